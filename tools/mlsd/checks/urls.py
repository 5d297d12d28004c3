"""The URL policy for every resource, and one entry per page."""

from __future__ import annotations

from collections import defaultdict

from mlsd.checks.index import Index, problem_at
from mlsd.content import Content
from mlsd.identity import page_key
from mlsd.problems import Problem
from mlsd.urls import check_url


def urls(content: Content, ids: Index) -> list[Problem]:
    if content.resources is None:
        return []
    problems = []
    by_key: dict[str, list[int]] = defaultdict(list)
    for index, resource in content.valid_resources:
        loc = ("resources", index, "url")
        for issue in check_url(resource.url):
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
