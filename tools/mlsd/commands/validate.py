"""`mlsd validate`: every problem of the content files and of the collection, with its line."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import date
from pathlib import Path

from mlsd import gitbase
from mlsd.checks import validated
from mlsd.commands.arguments import content_selection
from mlsd.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from mlsd.output import ColorChoice, Format, add_report_options, use_color
from mlsd.problems import report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="only report problems in these files or folders (the collection checks still see every file)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="count warnings (placeholders, stale reviews) as errors: what CI runs on main",
    )
    parser.add_argument(
        "--changed-since",
        metavar="REF",
        help="every error, but warnings only for the files this branch changed since REF (a pull request's view)",
    )
    parser.add_argument(
        "--today",
        type=day,
        metavar="YYYY-MM-DD",
        help="judge the age of patches and reviews as of this day (default: today), e.g. for reproducible reports",
    )
    add_report_options(parser)


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def run(
    root: Path,
    paths: list[str],
    today: date | None,
    strict: bool,
    changed_since: str | None,
    format: Format,
    color: ColorChoice,
) -> int:
    selected = content_selection(root, paths)
    content, problems = validated(root, today)
    if selected:
        problems = [problem for problem in problems if problem.path in selected]
    if changed_since is not None:
        found = gitbase.changed_since(root, changed_since)
        if found is None:
            raise UsageError(f"cannot find where this branch left '{changed_since}' (fetch it first)")
        changed = set(found[1])
        # A warning in a file the branch did not touch is not its author's to fix; an error always is.
        problems = [problem for problem in problems if problem.severity == "error" or problem.path in changed]
    if strict:
        problems = [dataclasses.replace(problem, severity="error") for problem in problems]
    checked = len(selected) if selected else len(content.files)
    sys.stdout.write(report(problems, checked, format, use_color(color, sys.stdout)))
    return EXIT_PROBLEMS if any(problem.severity == "error" for problem in problems) else EXIT_OK
