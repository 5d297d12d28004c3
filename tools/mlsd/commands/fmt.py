"""`mlsd fmt`: every mechanical fix (key order, sorted lists, canonical URLs, the schema line)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlsd.commands.arguments import content_selection
from mlsd.content import CASES_DIR, RESOURCES_FILE, Content, content_paths, kind_of, load_content, schema_comment
from mlsd.errors import EXIT_OK, EXIT_PROBLEMS
from mlsd.files import write_atomic
from mlsd.fmt import YAMLError, add_references, format_text, take_resource_cases
from mlsd.loader import load


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="only these content files (default: all)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file would change")


def _display(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def run(root: Path, paths: list[str], check: bool) -> int:
    content = load_content(root)
    step_orders = {item.model.id: [step.id for step in item.model.steps] for item in content.frameworks if item.model}
    # A file in a subfolder is not content (mlsd validate says so), so it is not formatted either.
    targets = [path for path in content_paths(root) if path.suffix == ".yaml" and kind_of(_display(root, path))]
    if paths:
        wanted = content_selection(root, paths)
        targets = [path for path in targets if path.relative_to(root).as_posix() in wanted]
    moved = _moved_resource_cases(root) if _lists_cases(content) else {}
    targets += [path for path in moved if path not in targets]  # a move is written whole or not at all
    unreadable: list[str] = []
    changed: list[str] = []
    for path in targets:
        display = path.relative_to(root).as_posix()
        kind = kind_of(display)
        document, _ = load(path, display)
        if document is None or kind is None:
            unreadable.append(display)
            continue
        framework = document.data.get("framework") if isinstance(document.data, dict) else None
        text = moved.get(path, document.text)
        formatted = format_text(kind, text, schema_comment(kind, display), step_orders.get(str(framework)))
        # Bytes, so a byte-order mark or CRLF line ends count as something to fix.
        if formatted.encode("utf-8") != path.read_bytes():
            changed.append(display)
            if not check:
                write_atomic(path, formatted)
    for name in changed:
        print(f"{'would reformat' if check else 'reformatted'} {name}", file=sys.stderr)
    # One report per mistake: validate reports why a file does not load, at its line; fmt only says it skipped it.
    for name in unreadable:
        print(f"{name}: not formatted, it does not load ('mlsd validate {name}' says where)", file=sys.stderr)
    if moved:
        verb = "would move" if check else "moved"
        print(f"{verb} the cases listed on resources into the references of {len(moved) - 1} cases", file=sys.stderr)
    if not changed and not unreadable:
        print(f"{len(targets)} files already formatted", file=sys.stderr)
    return EXIT_PROBLEMS if unreadable or (check and changed) else EXIT_OK


def _lists_cases(content: Content) -> bool:
    """Whether resources.yaml may still hold a `cases` list, read from the fast load already made.

    The round trip that moves the lists costs most of a second on the whole resource list, so a
    commit that touches one case pays it only when there is something to move."""
    document = content.resources.document if content.resources else None
    if document is None:
        return True  # not loadable here: let the move try, and validate report the rest
    resources = document.data.get("resources") if isinstance(document.data, dict) else None
    return isinstance(resources, list) and any(isinstance(item, dict) and "cases" in item for item in resources)


def _moved_resource_cases(root: Path) -> dict[Path, str]:
    """resources.yaml and the cases it names, rewritten so each case cites what a resource said it supports.

    A resource's `cases` list is no longer kept (relation.py); moving it, rather than dropping it,
    keeps every link the list held. Nothing moves unless every case it names can take it."""
    resources = root / RESOURCES_FILE
    if not resources.is_file():
        return {}
    try:
        stripped, taken = take_resource_cases(resources.read_text(encoding="utf-8"))
    except YAMLError:
        return {}  # validate reports the syntax error at its line
    wanted: dict[str, list[str]] = {}
    for resource_id, case_ids in taken.items():
        for case_id in case_ids:
            wanted.setdefault(case_id, []).append(resource_id)
    moved = {resources: stripped} if taken else {}
    for case_id, resource_ids in sorted(wanted.items()):
        case = root / CASES_DIR / f"{case_id}.yaml"
        try:
            moved[case] = add_references(case.read_text(encoding="utf-8"), resource_ids)
        except (OSError, UnicodeDecodeError, YAMLError, ValueError):
            return {}  # a case that is missing or broken: keep the list until validate's problems are fixed
    return moved
