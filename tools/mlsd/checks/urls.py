"""The URL policy for every resource, no unofficial copies, and one entry per page."""

from __future__ import annotations

from collections import defaultdict

from mlsd.checks.index import Index, problem_at
from mlsd.content import Content
from mlsd.identity import page_key
from mlsd.problems import Problem
from mlsd.urls import check_url, copy_problem


def urls(content: Content, ids: Index) -> list[Problem]:
    if content.resources is None:
        return []
    problems = []
    by_key: dict[str, list[int]] = defaultdict(list)
    for index, resource in content.valid_resources:
        loc = ("resources", index, "url")
        issues = check_url(resource.url)
        copy = copy_problem(resource.url, resource.type) if not issues else None
        for issue in [*issues, *([copy] if copy else [])]:
            problems.append(problem_at(content.resources, loc, issue.code, issue.message, issue.hint))
        by_key[page_key(resource.url)].append(index)
    resources = dict(content.valid_resources)
    for indexes in by_key.values():
        for index in indexes[1:]:
            problems.append(
                problem_at(
                    content.resources,
                    ("resources", index, "url"),
                    "duplicate-url",
                    f"the same page as resources[{indexes[0]}] ('{resources[indexes[0]].id}')",
                    "keep one entry and point every case at it",
                )
            )
    return problems
