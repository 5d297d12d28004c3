"""References resolve: frameworks and their steps, resources and the tag vocabulary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlsd.checks.index import Index, did_you_mean, problem_at
from mlsd.content import Content, Loaded
from mlsd.models import Case, Framework
from mlsd.problems import Problem


def case_references(content: Content, ids: Index) -> list[Problem]:
    frameworks, known_frameworks = ids.frameworks, ids.framework_ids
    resource_ids, tags = ids.resource_ids, ids.tags
    problems = []
    for loaded in content.cases:
        case = loaded.model
        if case is None:
            continue
        if case.framework not in known_frameworks:
            problems.append(
                problem_at(
                    loaded,
                    ("framework",),
                    "dangling-ref",
                    f"no framework has the id '{case.framework}'",
                    did_you_mean(case.framework, known_frameworks),
                )
            )
        elif case.framework in frameworks:
            problems += _steps(loaded, case, frameworks[case.framework])
        problems += _dangling(loaded, ("tags",), case.tags, tags, "tag", "add it to the tags in resources.yaml")
        problems += _dangling(loaded, ("references",), case.references, resource_ids, "resource")
        for index, patch in enumerate(case.patches):
            problems += _dangling(loaded, ("patches", index, "references"), patch.references, resource_ids, "resource")
    return problems


def _dangling(
    loaded: Loaded[Any],
    loc: tuple[str | int, ...],
    names: Sequence[str],
    known: set[str],
    what: str,
    fallback_hint: str | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    if not known:
        return problems  # the list itself is broken; that problem is reported where it is
    for index, name in enumerate(names):
        if name not in known:
            problems.append(
                problem_at(
                    loaded,
                    (*loc, index),
                    "dangling-ref",
                    f"no {what} has the id '{name}'",
                    did_you_mean(name, known) or fallback_hint,
                )
            )
    return problems


def _steps(loaded: Loaded[Case], case: Case, framework: Framework) -> list[Problem]:
    problems = []
    expected = [step.id for step in framework.steps]
    for step in framework.steps:
        if step.id not in case.steps:
            problems.append(
                problem_at(
                    loaded,
                    ("steps",),
                    "missing-step",
                    f"step '{step.id}' of framework '{framework.id}' is missing",
                    f"the framework's steps are: {', '.join(expected)}",
                    key=True,
                )
            )
            continue
        filled = case.steps[step.id].filled_sections()
        for section in step.sections:
            if section not in filled:
                problems.append(
                    problem_at(
                        loaded,
                        ("steps", step.id),
                        "missing-section",
                        f"step '{step.id}' needs a '{section}' section",
                        f"framework '{framework.id}' requires it in this step",
                        key=True,
                    )
                )
    for name in case.steps:
        if name not in expected:
            problems.append(
                problem_at(
                    loaded,
                    ("steps", name),
                    "unknown-step",
                    f"framework '{framework.id}' has no step '{name}'",
                    did_you_mean(name, expected) or f"its steps are: {', '.join(expected)}",
                    key=True,
                )
            )
    return problems


def resource_references(content: Content, ids: Index) -> list[Problem]:
    if content.resources is None:
        return []
    tags = ids.tags
    problems = []
    for index, resource in content.valid_resources:
        problems += _dangling(
            content.resources,
            ("resources", index, "tags"),
            resource.tags,
            tags,
            "tag",
            "add it to the tags at the top of resources.yaml",
        )
    return problems
