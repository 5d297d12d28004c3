"""A chapter that stopped moving: its newest patch older than 18 months, its review older than 12.

Both are warnings, judged against the run's day (Index.today), which tests fix.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from mlsd.checks.index import Index, problem_at
from mlsd.content import Content
from mlsd.problems import Problem

PATCH_MAX_AGE_MONTHS = 18
REVIEW_MAX_AGE_MONTHS = 12


def months_before(moment: date, months: int) -> date:
    total = moment.year * 12 + moment.month - 1 - months
    return date(total // 12, total % 12 + 1, min(moment.day, 28))


def ageing(content: Content, ids: Index) -> list[Problem]:
    problems = []
    patch_limit = months_before(ids.today, PATCH_MAX_AGE_MONTHS)
    review_limit = months_before(ids.today, REVIEW_MAX_AGE_MONTHS)
    for loaded in content.cases:
        case = loaded.model
        if case is None:
            continue
        # A patch's year is dated at its middle, 1 July (see Patch.year).
        newest = max((patch.year for patch in case.patches), default=None)
        if newest is not None and date(newest, 7, 1) < patch_limit:
            problems.append(
                problem_at(
                    loaded,
                    ("patches",),
                    "stale-patch",
                    f"the newest patch is from {newest}, more than {PATCH_MAX_AGE_MONTHS} months before {ids.today}",
                    "add a patch for what changed in practice since then, with its source",
                    key=True,
                )
            )
        if case.reviewed is not None and case.reviewed < review_limit:
            problems.append(
                problem_at(
                    loaded,
                    ("reviewed",),
                    "stale-review",
                    f"last reviewed {case.reviewed}, more than {REVIEW_MAX_AGE_MONTHS} months before {ids.today}",
                    "read the chapter whole against current practice, then set 'reviewed' to that day",
                )
            )
    return [dataclasses.replace(problem, severity="warning") for problem in problems]
