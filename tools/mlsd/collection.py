"""The validated content as one typed collection: what export, stats, render and checklist read.

It is built only from content without errors, so every model is present and every
reference resolves. A case not numbered yet (a new case before it merges) gets the next
free numbers, in id order, so a pull request's preview shows where it would land; on main,
`mlsd number` writes the real number. Which cases a resource supports is derived from the
cases' citations, the one place the relation is kept. Fields keep the order of the files (cases by chapter); the orders
readers see (frameworks by use, classic chapters first) are derived here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from mlsd.checks import validated
from mlsd.content import Content
from mlsd.errors import InvalidContent
from mlsd.models import Case, Framework, Resource
from mlsd.relation import citations

PART_ORDER = {"classic": 0, "patched": 1}


@dataclass(frozen=True)
class Collection:
    frameworks: list[Framework]
    cases: list[Case]
    resources: list[Resource]
    tags: dict[str, str]

    @classmethod
    def from_content(cls, content: Content) -> Collection:
        if content.resources is None or content.resources.model is None:
            raise ValueError("a collection is built from valid content only")
        cases = provisional_numbers([item.model for item in content.cases if item.model is not None])
        return cls(
            frameworks=[item.model for item in content.frameworks if item.model is not None],
            cases=sorted(cases, key=chapter_of),
            resources=list(content.resources.model.resources),
            tags=dict(content.resources.model.tags),
        )

    @cached_property
    def framework(self) -> dict[str, Framework]:
        return {framework.id: framework for framework in self.frameworks}

    def views_of(self, framework_id: str) -> list[Framework]:
        """Frameworks that regroup this one's steps (the 4-step view of the 7 steps), by id."""
        return sorted((item for item in self.frameworks if item.view_of == framework_id), key=lambda item: item.id)

    @cached_property
    def resource(self) -> dict[str, Resource]:
        return {resource.id: resource for resource in self.resources}

    @cached_property
    def frameworks_by_use(self) -> list[Framework]:
        """The framework most chapters follow first; ties keep a stable order by id."""
        usage = {
            framework.id: sum(case.framework == framework.id for case in self.cases) for framework in self.frameworks
        }
        return sorted(self.frameworks, key=lambda framework: (-usage[framework.id], framework.id))

    @cached_property
    def reading_order(self) -> list[Case]:
        """Classic chapters, then patched ones, each by chapter number."""
        return sorted(self.cases, key=lambda case: (PART_ORDER[case.part], chapter_of(case)))

    @cached_property
    def cases_citing(self) -> dict[str, list[Case]]:
        """Resource id -> the cases that cite it, by chapter: a resource's `cases`, derived."""
        citing: dict[str, list[Case]] = {resource.id: [] for resource in self.resources}
        for case in self.cases:
            for resource_id in citations(case):
                citing.setdefault(resource_id, []).append(case)
        return citing

    @cached_property
    def resources_by_id(self) -> list[Resource]:
        return sorted(self.resources, key=lambda resource: resource.id)

    @cached_property
    def _position(self) -> dict[str, int]:
        return {case.id: index for index, case in enumerate(self.reading_order)}

    def neighbours(self, case: Case) -> tuple[Case | None, Case | None]:
        """The chapters before and after this one in reading order."""
        order, index = self.reading_order, self._position[case.id]
        previous = order[index - 1] if index > 0 else None
        following = order[index + 1] if index + 1 < len(order) else None
        return previous, following


def chapter_of(case: Case) -> int:
    return case.chapter or 0  # every case in a Collection is numbered; 0 only satisfies the type


def provisional_numbers(cases: list[Case]) -> list[Case]:
    """Cases without a chapter numbered after the highest one, in id order."""
    following = max((case.chapter or 0 for case in cases), default=0) + 1
    numbered = []
    for case in sorted(cases, key=lambda case: (case.chapter is None, case.id)):
        if case.chapter is None:
            case = case.model_copy(update={"chapter": following})
            following += 1
        numbered.append(case)
    return numbered


def load_collection(root: Path) -> Collection:
    """The repository's content, or InvalidContent with every problem when it has errors."""
    content, problems = validated(root)
    if any(problem.severity == "error" for problem in problems):
        raise InvalidContent(problems, len(content.files))
    return Collection.from_content(content)
