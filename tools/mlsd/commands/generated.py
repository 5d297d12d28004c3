"""`mlsd generated`: the source of each generated file, and a check that a branch edited none by hand."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlsd.content import SCHEMA_DIR
from mlsd.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from mlsd.gitbase import changed_since, git
from mlsd.output import ColorChoice, Format, add_report_options, use_color
from mlsd.problems import Problem, report
from mlsd.sources import ALL_CONTENT, README, readme_generated_part, source_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="generated files to name the source of")
    parser.add_argument(
        "--changed-since",
        metavar="REF",
        help="report every generated file this branch changed since it left REF (e.g. origin/main)",
    )
    add_report_options(parser)


def _hand_edit(path: str, message_source: str, line: int = 1, undo: str | None = None) -> Problem:
    undo = undo or f"undo this change (git checkout origin/main -- {path})"
    return Problem(
        path,
        line,
        1,
        "generated-file",
        "",
        f"{path} is generated; a pull request changes {message_source} instead",
        f"{undo}; the workflow on main regenerates it after the merge",
    )


def _readme_edit(root: Path, merge_base: str) -> Problem | None:
    before = git(root, "show", f"{merge_base}:./{README}")  # ./: relative to the root, wherever git's top is
    after_path = root / README
    if before is None or not after_path.is_file():
        return None
    _, old = readme_generated_part(before)
    start, new = readme_generated_part(after_path.read_text(encoding="utf-8"))
    if old == new:
        return None  # the hand-written part may change freely
    first = next((index for index, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    return _hand_edit(
        README,
        f"{ALL_CONTENT} (the part between the mlsd:generated markers)",
        start + first,
        "undo the change between the markers (the rest of the README is yours to edit)",
    )


def _is_current_schema(root: Path, path: str) -> bool:
    folder, _, name = path.partition("/")
    if folder != SCHEMA_DIR:
        return False
    from mlsd.schema import schema_texts  # the models, loaded only when a schema changed

    expected = schema_texts().get(name)
    target = root / path
    return expected is not None and target.is_file() and target.read_text(encoding="utf-8") == expected


def changed_by_hand(root: Path, ref: str) -> tuple[list[Problem], int]:
    """The generated files this branch edited, and how many files it changed in all."""
    found = changed_since(root, ref)
    if found is None:
        raise UsageError(f"cannot find where this branch left '{ref}' (fetch it first: git fetch origin main)")
    merge_base, paths = found
    problems = []
    for path in paths:
        if path == README:
            problem = _readme_edit(root, merge_base)
            problems += [problem] if problem else []
        elif _is_current_schema(root, path):
            continue  # a tooling change regenerated it from models.py, as tests/test_schema.py asks
        elif (source := source_of(path)) is not None:
            problems.append(_hand_edit(path, source))
    return problems, len(paths)


def run(root: Path, paths: list[str], changed_since: str | None, format: Format, color: ColorChoice) -> int:
    if changed_since is None:
        if not paths:
            raise UsageError("name a generated file, or give --changed-since REF")
        for path in paths:
            relative = Path(path).resolve().relative_to(root).as_posix() if Path(path).is_absolute() else path
            source = ALL_CONTENT + " (its generated part)" if relative == README else source_of(relative)
            print(f"{relative}: {'made from ' + source if source else 'not generated; edit it directly'}")
        return EXIT_OK
    problems, changed = changed_by_hand(root, changed_since)
    sys.stdout.write(report(problems, changed, format, use_color(color, sys.stdout)))
    return EXIT_PROBLEMS if problems else EXIT_OK
