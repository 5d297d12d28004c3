"""`mlsd fmt`: every mechanical fix (key order, sorted lists, canonical URLs, the schema line)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlsd.commands.arguments import content_selection
from mlsd.content import content_paths, kind_of, load_content, schema_comment
from mlsd.errors import EXIT_OK, EXIT_PROBLEMS
from mlsd.files import write_atomic
from mlsd.fmt import format_text
from mlsd.loader import load
from mlsd.problems import report


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
    problems, changed = [], []
    for path in targets:
        display = path.relative_to(root).as_posix()
        kind = kind_of(display)
        document, load_problems = load(path, display)
        if document is None or kind is None:
            problems.extend(load_problems)
            continue
        framework = document.data.get("framework") if isinstance(document.data, dict) else None
        formatted = format_text(kind, document.text, schema_comment(kind, display), step_orders.get(str(framework)))
        # Bytes, so a byte-order mark or CRLF line ends count as something to fix.
        if formatted.encode("utf-8") != path.read_bytes():
            changed.append(display)
            if not check:
                write_atomic(path, formatted)
    for name in changed:
        print(f"{'would reformat' if check else 'reformatted'} {name}", file=sys.stderr)
    if problems:
        sys.stderr.write(report(problems, len(targets), "text", False))
    if not changed and not problems:
        print(f"{len(targets)} files already formatted", file=sys.stderr)
    return EXIT_PROBLEMS if problems or (check and changed) else EXIT_OK
