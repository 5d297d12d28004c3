"""Whole-collection rules: what no single file can know is wrong.

Duplicate ids, chapters and URLs; references between cases, frameworks, resources and
the tag vocabulary; the steps a case owes its framework; and the URL policy.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from difflib import get_close_matches
from typing import Any

from mlsd.content import Content, Loaded, raw_id, raw_resource_ids, raw_tags
from mlsd.diagrams.rules import check_diagrams
from mlsd.models import Case, Framework
from mlsd.problems import Problem, field_path
from mlsd.urls import check_url, normalise_url


def check_collection(content: Content) -> list[Problem]:
    return [
        *_file_names(content),
        *_duplicate_ids(content),
        *_duplicate_chapters(content),
        *_classic_patches(content),
        *_case_references(content),
        *_resource_references(content),
        *_duplicate_items(content),
        *_urls(content),
        *_placeholders(content),
        *check_diagrams(content),
    ]


def _problem(
    loaded: Loaded[Any], loc: Sequence[str | int], code: str, message: str, hint: str | None = None, key: bool = False
) -> Problem:
    assert loaded.document is not None
    line, col = loaded.document.locate(loc, key=key)
    return Problem(loaded.display, line, col, code, field_path(loc), message, hint)


def _did_you_mean(name: str, known: Iterable[str]) -> str | None:
    guess = get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{guess[0]}'?" if guess else None


def _file_names(content: Content) -> list[Problem]:
    problems = []
    everything: list[Loaded[Any]] = [*content.frameworks, *content.cases]
    for loaded in everything:
        if loaded.document is None or loaded.path.suffix != ".yaml":
            continue
        identifier = raw_id(loaded)
        if identifier is not None and identifier != loaded.path.stem:
            problems.append(
                _problem(
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


def _duplicate_ids(content: Content) -> list[Problem]:
    problems = []
    groups: tuple[list[Loaded[Any]], ...] = (content.frameworks, content.cases)
    for group in groups:
        seen: dict[str, Loaded[Any]] = {}
        # The file named after the id owns it; the others are the duplicates.
        for loaded in sorted(group, key=lambda item: (raw_id(item) != item.path.stem, item.display)):
            identifier = raw_id(loaded)
            if identifier is None or loaded.document is None:
                continue
            if identifier in seen:
                problems.append(
                    _problem(
                        loaded,
                        ("id",),
                        "duplicate-id",
                        f"id '{identifier}' is already used by {seen[identifier].display}",
                    )
                )
            else:
                seen[identifier] = loaded
    first: dict[str, int] = {}
    for index, resource in content.valid_resources:
        if resource.id in first:
            assert content.resources is not None
            problems.append(
                _problem(
                    content.resources,
                    ("resources", index, "id"),
                    "duplicate-id",
                    f"resource id '{resource.id}' is already used by resources[{first[resource.id]}]",
                )
            )
        else:
            first[resource.id] = index
    return problems


def _duplicate_chapters(content: Content) -> list[Problem]:
    problems = []
    seen: dict[int, Loaded[Case]] = {}
    for loaded in sorted(content.cases, key=lambda item: item.display):
        if loaded.model is None:
            continue
        chapter = loaded.model.chapter
        if chapter in seen:
            taken = {item.model.chapter for item in content.cases if item.model is not None}
            problems.append(
                _problem(
                    loaded,
                    ("chapter",),
                    "duplicate-chapter",
                    f"chapter {chapter} is already taken by {seen[chapter].display}",
                    f"the next free chapter number is {max(taken) + 1}",
                )
            )
        else:
            seen[chapter] = loaded
    return problems


def _classic_patches(content: Content) -> list[Problem]:
    return [
        _problem(
            loaded,
            ("patches",) if "patches" in _keys(loaded) else ("part",),
            "missing-patch",
            "a classic chapter needs at least one patch",
            "add to 'patches' what practice changed since 2023, and why",
        )
        for loaded in content.cases
        if loaded.model is not None and loaded.model.part == "classic" and not loaded.model.patches
    ]


def _keys(loaded: Loaded[Any]) -> set[str]:
    data = loaded.document.data if loaded.document else None
    return set(data) if isinstance(data, dict) else set()


def _case_references(content: Content) -> list[Problem]:
    frameworks = {item.model.id: item.model for item in content.frameworks if item.model is not None}
    known_frameworks = {identifier for item in content.frameworks if (identifier := raw_id(item))}
    resource_ids = raw_resource_ids(content)
    tags = raw_tags(content)
    problems = []
    for loaded in content.cases:
        case = loaded.model
        if case is None:
            continue
        if case.framework not in known_frameworks:
            problems.append(
                _problem(
                    loaded,
                    ("framework",),
                    "dangling-ref",
                    f"no framework has the id '{case.framework}'",
                    _did_you_mean(case.framework, known_frameworks),
                )
            )
        elif case.framework in frameworks:
            problems += _steps(loaded, case, frameworks[case.framework])
        problems += _names(loaded, ("tags",), case.tags, tags, "tag", "add it to the tags in resources.yaml")
        problems += _names(loaded, ("references",), case.references, resource_ids, "resource")
        for index, patch in enumerate(case.patches):
            problems += _names(loaded, ("patches", index, "references"), patch.references, resource_ids, "resource")
    return problems


def _names(
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
                _problem(
                    loaded,
                    (*loc, index),
                    "dangling-ref",
                    f"no {what} has the id '{name}'",
                    _did_you_mean(name, known) or fallback_hint,
                )
            )
    return problems


def _steps(loaded: Loaded[Case], case: Case, framework: Framework) -> list[Problem]:
    problems = []
    expected = [step.id for step in framework.steps]
    for step in framework.steps:
        if step.id not in case.steps:
            problems.append(
                _problem(
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
                    _problem(
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
                _problem(
                    loaded,
                    ("steps", name),
                    "unknown-step",
                    f"framework '{framework.id}' has no step '{name}'",
                    _did_you_mean(name, expected) or f"its steps are: {', '.join(expected)}",
                    key=True,
                )
            )
    return problems


def _resource_references(content: Content) -> list[Problem]:
    if content.resources is None:
        return []
    case_ids = {identifier for item in content.cases if (identifier := raw_id(item))}
    case_ids |= {item.path.stem for item in content.cases}  # a broken id still has a file name
    tags = raw_tags(content)
    problems = []
    for index, resource in content.valid_resources:
        problems += _names(
            content.resources,
            ("resources", index, "tags"),
            resource.tags,
            tags,
            "tag",
            "add it to the tags at the top of resources.yaml",
        )
        problems += _names(content.resources, ("resources", index, "cases"), resource.cases, case_ids, "case")
    return problems


def _duplicate_items(content: Content) -> list[Problem]:
    problems = []

    def repeated(loaded: Loaded[Any], loc: tuple[str | int, ...], names: Sequence[str]) -> None:
        seen: set[str] = set()
        for index, name in enumerate(names):
            if name in seen:
                problems.append(
                    _problem(
                        loaded, (*loc, index), "duplicate-item", f"'{name}' is listed twice", "remove the second one"
                    )
                )
            seen.add(name)

    for loaded in content.cases:
        if loaded.model is not None:
            repeated(loaded, ("tags",), loaded.model.tags)
            repeated(loaded, ("references",), loaded.model.references)
    if content.resources is not None:
        for index, resource in content.valid_resources:
            repeated(content.resources, ("resources", index, "tags"), resource.tags)
            repeated(content.resources, ("resources", index, "cases"), resource.cases)
    return problems


def _urls(content: Content) -> list[Problem]:
    if content.resources is None:
        return []
    problems = []
    by_key: dict[str, list[int]] = defaultdict(list)
    for index, resource in content.valid_resources:
        loc = ("resources", index, "url")
        for issue in check_url(resource.url):
            problems.append(_problem(content.resources, loc, issue.code, issue.message, issue.hint))
        by_key[normalise_url(resource.url)].append(index)
    resources = dict(content.valid_resources)
    for indexes in by_key.values():
        for index in indexes[1:]:
            problems.append(
                _problem(
                    content.resources,
                    ("resources", index, "url"),
                    "duplicate-url",
                    f"the same page as resources[{indexes[0]}] ('{resources[indexes[0]].id}')",
                    "keep one entry and point every case at it",
                )
            )
    return problems


def _placeholders(content: Content) -> list[Problem]:
    """Scaffolded TODO text left in a case: a warning, so a draft validates but is not forgotten."""
    problems: list[Problem] = []

    def walk(loaded: Loaded[Any], value: object, loc: tuple[str | int, ...]) -> None:
        if isinstance(value, str) and value.startswith("TODO"):
            problem = _problem(
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
