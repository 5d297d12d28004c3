"""Paths named on the command line, checked before a command reads them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mlsd.content import kind_of
from mlsd.errors import UsageError

CONTENT_FILES = "cases/*.yaml, frameworks/*.yaml, resources.yaml"


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
