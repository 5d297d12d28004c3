"""Scaffolded TODO text left in a case: a warning, so a draft validates but is not forgotten."""

from __future__ import annotations

import dataclasses
from typing import Any

from mlsd.checks.index import Index, problem_at
from mlsd.content import Content, Loaded
from mlsd.problems import Problem


def placeholders(content: Content, ids: Index) -> list[Problem]:
    """Scaffolded TODO text left in a case: a warning, so a draft validates but is not forgotten."""
    problems: list[Problem] = []

    def walk(loaded: Loaded[Any], value: object, loc: tuple[str | int, ...]) -> None:
        if isinstance(value, str) and value.startswith("TODO"):
            problem = problem_at(
                loaded,
                loc,
                "placeholder",
                "placeholder text from 'mlsd new case' is still here",
                "write this part of the case",
            )
            problems.append(dataclasses.replace(problem, severity="warning"))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(loaded, item, (*loc, str(key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(loaded, item, (*loc, index))

    for loaded in content.cases:
        if loaded.document is not None:
            walk(loaded, loaded.document.data, ())
    return problems
