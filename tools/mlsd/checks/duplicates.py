"""Each id, chapter and list item once: duplicate ids, chapters, tags, references and cases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlsd.checks.index import Index, problem_at
from mlsd.content import CASES_DIR, Content, Loaded
from mlsd.gitbase import files_on_base
from mlsd.models import Case
from mlsd.problems import Problem

NUMBER_HINT = "leave 'chapter' out of a new case: it is numbered when it merges into main"


def duplicate_ids(content: Content, ids: Index) -> list[Problem]:
    problems = []
    groups: tuple[list[Loaded[Any]], ...] = (content.frameworks, content.cases)
    for group in groups:
        seen: dict[str, Loaded[Any]] = {}
        # The file named after the id owns it; the others are the duplicates.
        for loaded in sorted(group, key=lambda item: (ids.id_of(item) != item.path.stem, item.display)):
            identifier = ids.id_of(loaded)
            if identifier is None or loaded.document is None:
                continue
            if identifier in seen:
                problems.append(
                    problem_at(
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
                problem_at(
                    content.resources,
                    ("resources", index, "id"),
                    "duplicate-id",
                    f"resource id '{resource.id}' is already used by resources[{first[resource.id]}]",
                )
            )
        else:
            first[resource.id] = index
    return problems


def duplicate_chapters(content: Content, ids: Index) -> list[Problem]:
    """Two cases with one number: the case already on the base branch keeps it, the new one is blamed."""
    by_chapter: dict[int, list[Loaded[Case]]] = {}
    for loaded in sorted(content.cases, key=lambda item: item.display):
        if loaded.model is not None and loaded.model.chapter is not None:
            by_chapter.setdefault(loaded.model.chapter, []).append(loaded)
    collisions = {chapter: group for chapter, group in by_chapter.items() if len(group) > 1}
    if not collisions:
        return []
    on_base = files_on_base(content.root, CASES_DIR)  # git is asked only when numbers collide
    problems = []
    for chapter, group in sorted(collisions.items()):
        owner = next((item for item in group if on_base and item.display in on_base), group[0])
        where = ", which is on main" if on_base and owner.display in on_base else ""
        for loaded in group:
            if loaded is not owner:
                problems.append(
                    problem_at(
                        loaded,
                        ("chapter",),
                        "duplicate-chapter",
                        f"chapter {chapter} is already taken by {owner.display}{where}",
                        NUMBER_HINT,
                    )
                )
    return problems


def duplicate_items(content: Content, ids: Index) -> list[Problem]:
    problems = []

    def repeated(loaded: Loaded[Any], loc: tuple[str | int, ...], names: Sequence[str]) -> None:
        seen: set[str] = set()
        for index, name in enumerate(names):
            if name in seen:
                problems.append(
                    problem_at(
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
    return problems
