"""`mlsd number`: give each case that has no chapter yet the next free number, in merge order.

A new case leaves `chapter` out, so two pull requests never claim the same number; the
regeneration workflow runs this on main, where the order the cases merged in is known.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from mlsd.content import CASES_DIR, load_content
from mlsd.errors import EXIT_OK, EXIT_PROBLEMS
from mlsd.files import write_atomic
from mlsd.gitbase import merge_order

ID_LINE = re.compile(r"^id:[^\n]*\n", re.MULTILINE)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a case has no chapter yet")


def with_chapter(text: str, chapter: int) -> str:
    """The case's text with `chapter: N` after its id line, where fmt's key order puts it."""
    found = ID_LINE.search(text)
    if found is None:
        raise ValueError("the case has no top-level id line")
    return f"{text[: found.end()]}chapter: {chapter}\n{text[found.end() :]}"


def run(root: Path, check: bool) -> int:
    content = load_content(root)
    numbered = [item.model.chapter for item in content.cases if item.model and item.model.chapter is not None]
    waiting = {item.display: item for item in content.cases if item.model is not None and item.model.chapter is None}
    arrived = [path for path in merge_order(root, CASES_DIR) if path in waiting]
    order = arrived + sorted(set(waiting) - set(arrived))  # not committed yet: by name, after the rest
    if check:
        for display in order:
            print(f"{display} has no chapter yet; 'mlsd number' gives it one", file=sys.stderr)
        return EXIT_PROBLEMS if order else EXIT_OK
    following = max(numbered, default=0) + 1
    for display in order:
        loaded = waiting[display]
        assert loaded.document is not None
        write_atomic(loaded.path, with_chapter(loaded.document.text, following))
        print(f"{display}: chapter {following}", file=sys.stderr)
        following += 1
    if not order:
        print("every case has a chapter", file=sys.stderr)
    return EXIT_OK
