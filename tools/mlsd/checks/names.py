"""A file is named after its id."""

from __future__ import annotations

from typing import Any

from mlsd.checks.index import Index, problem_at
from mlsd.content import Content, Loaded
from mlsd.problems import Problem


def file_names(content: Content, ids: Index) -> list[Problem]:
    problems = []
    everything: list[Loaded[Any]] = [*content.frameworks, *content.cases]
    for loaded in everything:
        if loaded.document is None or loaded.path.suffix != ".yaml":
            continue
        identifier = ids.id_of(loaded)
        if identifier is not None and identifier != loaded.path.stem:
            problems.append(
                problem_at(
                    loaded,
                    ("id",),
                    "file-name",
                    f"id '{identifier}' does not match the file name '{loaded.path.name}'",
                    _rename_hint(loaded, identifier),
                )
            )
    return problems


def _rename_hint(loaded: Loaded[Any], identifier: str) -> str:
    if (loaded.path.parent / f"{identifier}.yaml").exists():
        return f"set id: {loaded.path.stem} (another file is already named {identifier}.yaml)"
    return f"rename the file to {identifier}.yaml, or set id: {loaded.path.stem}"
