"""`mlsd validate`: every problem of the content files and of the collection, with its line."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from mlsd.checks import validated
from mlsd.commands.arguments import content_selection
from mlsd.errors import EXIT_OK, EXIT_PROBLEMS
from mlsd.output import ColorChoice, Format, add_report_options, use_color
from mlsd.problems import report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="only report problems in these files (the collection checks still see every file)",
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


def run(root: Path, paths: list[str], today: date | None, format: Format, color: ColorChoice) -> int:
    selected = content_selection(root, paths)
    content, problems = validated(root, today)
    if selected:
        problems = [problem for problem in problems if problem.path in selected]
    checked = len(selected) if selected else len(content.files)
    sys.stdout.write(report(problems, checked, format, use_color(color, sys.stdout)))
    return EXIT_PROBLEMS if any(problem.severity == "error" for problem in problems) else EXIT_OK
