"""Paths and values named on the command line, checked before a command uses them."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast, get_args

from pydantic import BaseModel, ValidationError, create_model

from mlsd.content import ID_HINT, content_paths, in_subfolder, kind_of
from mlsd.errors import UsageError
from mlsd.models import ID_PATTERN

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
    """The content files named on the command line (a folder stands for its files), relative to the root."""
    selected = set()
    for name in names:
        folder = Path(name).resolve()
        if folder.is_dir():
            files = _content_in(root, folder, name)
            if not files:
                raise UsageError(f"{name} holds no content file ({CONTENT_FILES})")
            selected |= files
            continue
        _, relative = repository_file(root, name)
        if kind_of(relative) is None and not in_subfolder(relative):
            raise UsageError(f"{name} is not a content file ({CONTENT_FILES})")
        selected.add(relative)  # a file in a subfolder is selected, so that its problem is shown
    return selected


def _content_in(root: Path, folder: Path, name: str) -> set[str]:
    try:
        folder.relative_to(root)
    except ValueError:
        raise UsageError(f"{name} is outside the repository at {root}") from None
    found = set()
    for path in content_paths(root):
        relative = path.relative_to(root).as_posix()
        if path.resolve().is_relative_to(folder) and kind_of(relative) is not None:
            found.add(relative)
    return found


def field_type(model: type[BaseModel], name: str) -> Callable[[str], Any]:
    """An argparse type that checks a value as the model's field does: its type, pattern and range."""
    field = model.model_fields[name]
    single = create_model(f"{model.__name__}_{name}", value=(cast(Any, field.annotation), field))

    def parse(text: str) -> Any:
        try:
            return single.model_validate({"value": text}).model_dump()["value"]
        except ValidationError as error:
            detail = error.errors(include_url=False)[0]
            is_id = detail["type"] == "string_pattern_mismatch" and detail.get("ctx", {}).get("pattern") == ID_PATTERN
            raise argparse.ArgumentTypeError(f"'{text}': {ID_HINT if is_id else detail['msg']}") from None

    return parse


def field_choices(model: type[BaseModel], name: str) -> list[str]:
    """The values a Literal field allows, in the model's order."""
    return list(get_args(model.model_fields[name].annotation))
