"""What every command module shares: its errors, its registration hook, its view of the content.

Two exceptions end a command early and cli.main turns each into an exit code in one place:
UsageError (how mlsd was called; one line, exit 2) and InvalidContent (the content has
errors, so a command that writes or exports refuses; the report, exit 1).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from mlsd.checks import check_collection
from mlsd.content import Content, kind_of, load_content
from mlsd.edition import edition_problems
from mlsd.problems import Problem

Handler = Callable[[argparse.Namespace], int]
Command = Callable[[str, str, str, Handler], argparse.ArgumentParser]
CONTENT_FILES = "cases/*.yaml, frameworks/*.yaml, resources.yaml"


class UsageError(Exception):
    """A mistake in how mlsd was called."""


class InvalidContent(Exception):
    """The content has errors; a command that would write or export from it stops."""

    def __init__(self, problems: list[Problem], files_checked: int) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems, self.files_checked = problems, files_checked


def validated(root: Path) -> tuple[Content, list[Problem]]:
    content = load_content(root)
    return content, sorted([*content.problems, *check_collection(content), *edition_problems(content, date.today())])


def valid_content(root: Path) -> Content:
    content, problems = validated(root)
    if any(problem.severity == "error" for problem in problems):
        raise InvalidContent(problems, len(content.files))
    return content


def repository_file(root: Path, name: str) -> tuple[Path, str]:
    """A path given on the command line, checked to be an existing file inside the repository."""
    path = Path(name).resolve()
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{name} is outside the repository at {root}") from None
    if not path.is_file():
        raise UsageError(f"{name} does not exist")
    return path, relative


def content_selection(root: Path, names: Sequence[str]) -> set[str]:
    """The content files named on the command line, as paths relative to the root."""
    selected = set()
    for name in names:
        _, relative = repository_file(root, name)
        if kind_of(relative) is None:
            raise UsageError(f"{name} is not a content file ({CONTENT_FILES})")
        selected.add(relative)
    return selected
