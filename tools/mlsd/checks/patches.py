"""A classic chapter says what practice changed since the book: at least one patch."""

from __future__ import annotations

from mlsd.checks.index import Index, problem_at
from mlsd.content import Content, raw_keys
from mlsd.problems import Problem


def classic_patches(content: Content, ids: Index) -> list[Problem]:
    return [
        problem_at(
            loaded,
            ("patches",) if "patches" in raw_keys(loaded) else ("part",),
            "missing-patch",
            "a classic chapter needs at least one patch",
            "add to 'patches' what practice changed since 2023, and why",
        )
        for loaded in content.cases
        if loaded.model is not None and loaded.model.part == "classic" and not loaded.model.patches
    ]
