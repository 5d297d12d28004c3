"""Second-edition rules: what makes a chapter deliverable in 45 minutes and current.

Every chapter carries a talk track, sizing, an experiment, production examples, a review
date and a diagram; the experiment's sample size and duration are recomputed from its own
inputs; a chapter whose newest patch or whose review has aged is flagged. Views of another
framework (the 4-step view of the 7 steps) must cover each of its steps exactly once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from difflib import get_close_matches
from typing import Any

from mlsd.content import Content, Loaded
from mlsd.models import Case, Framework, SizingKind
from mlsd.problems import Problem, field_path
from mlsd.sample_size import TOLERANCE, minimum_days, required_per_arm

# Fields every chapter must fill, whatever its part.
REQUIRED_FIELDS = ("reviewed", "talk_track", "sizing", "experiment", "in_production", "diagrams")
BASE_SIZING: tuple[tuple[SizingKind, ...], ...] = (
    ("request-rate",),
    ("candidates-scored",),
    ("storage", "memory"),
    ("fleet",),
    ("cost",),
)
# A chapter tagged with one of these serves a language model and sizes it as one.
LLM_TAGS = frozenset({"llm", "llm-serving"})
LLM_SIZING: tuple[tuple[SizingKind, ...], ...] = (("gpu-memory",), ("tokens-per-second",), ("cost-per-million-tokens",))
# While the chapters are being brought to the second edition a missing field only warns.
TRANSITION = True
PATCH_MAX_AGE_MONTHS = 18
REVIEW_MAX_AGE_MONTHS = 12


def edition_problems(content: Content, today: date) -> list[Problem]:
    frameworks = {item.model.id: item.model for item in content.frameworks if item.model is not None}
    resource_ids = {resource.id for _, resource in content.valid_resources}
    problems: list[Problem] = []
    for loaded in content.cases:
        case = loaded.model
        if case is None:
            continue
        problems += _required_fields(loaded, case)
        problems += _sizing(loaded, case)
        problems += _experiment(loaded, case)
        problems += _production(loaded, case, resource_ids)
        problems += _talk_track(loaded, case, frameworks.get(case.framework))
        problems += _ageing(loaded, case, today)
    for loaded_framework in content.frameworks:
        if loaded_framework.model is not None:
            problems += _crosswalk(loaded_framework, loaded_framework.model, frameworks)
    return problems


def _at(
    loaded: Loaded[Any],
    loc: Sequence[str | int],
    code: str,
    message: str,
    hint: str | None = None,
    *,
    key: bool = False,
    warning: bool = False,
) -> Problem:
    assert loaded.document is not None
    line, col = loaded.document.locate(loc, key=key)
    problem = Problem(loaded.display, line, col, code, field_path(loc), message, hint)
    return dataclasses.replace(problem, severity="warning") if warning else problem


def _required_fields(loaded: Loaded[Case], case: Case) -> list[Problem]:
    return [
        _at(
            loaded,
            ("id",),
            "missing-field",
            f"a {case.part} chapter needs '{name}'",
            "see CONTRIBUTING.md, 'The second-edition fields', for what it holds",
            key=True,
            warning=TRANSITION,
        )
        for name in REQUIRED_FIELDS
        if getattr(case, name) is None
    ]


def _sizing(loaded: Loaded[Case], case: Case) -> list[Problem]:
    if case.sizing is None:
        return []
    needed = BASE_SIZING + (LLM_SIZING if LLM_TAGS & set(case.tags) else ())
    present = {row.kind for row in case.sizing.rows}
    return [
        _at(
            loaded,
            ("sizing", "rows"),
            "sizing-gap",
            f"sizing has no '{' or '.join(kinds)}' row",
            "a chapter tagged llm sizes GPU memory, tokens per second per GPU and cost per million tokens"
            if kinds in LLM_SIZING
            else "every chapter sizes request rate, candidates scored, its biggest store, its fleet and its cost",
            key=True,
        )
        for kinds in needed
        if not present & set(kinds)
    ]


def _experiment(loaded: Loaded[Case], case: Case) -> list[Problem]:
    experiment = case.experiment
    if experiment is None:
        return []
    metric = experiment.primary_metric
    try:
        needed = required_per_arm(metric, experiment.significance_level, experiment.power)
    except ValueError as error:
        return [_at(loaded, ("experiment", "primary_metric"), "experiment-inputs", str(error))]
    problems = []
    stated = experiment.sample_size_per_arm
    if abs(stated - needed) > TOLERANCE * needed:
        test = "two-proportion z-test" if metric.kind == "proportion" else "two-sample z-test"
        problems.append(
            _at(
                loaded,
                ("experiment", "sample_size_per_arm"),
                "sample-size",
                f"states {stated:,} per arm, but the inputs need {needed:,} (two-sided {test},"
                f" alpha {experiment.significance_level:g}, power {experiment.power:g},"
                f" baseline {metric.baseline:g}, relative effect {metric.minimum_detectable_effect:g})",
                f"write {needed:,}, or change the inputs; python -m mlsd.sample_size recomputes it",
            )
        )
    days = minimum_days(experiment)
    if experiment.duration_days < days:
        problems.append(
            _at(
                loaded,
                ("experiment", "duration_days"),
                "experiment-duration",
                f"{experiment.duration_days} days cannot reach {stated:,} units per arm at"
                f" {experiment.daily_units_per_arm:,} a day; that takes {days} days",
                "lengthen the test, raise the traffic share, or pick a more sensitive metric",
            )
        )
    return problems


def _production(loaded: Loaded[Case], case: Case, resource_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    if not resource_ids:
        return problems  # the resource list itself is broken; that problem is reported where it is
    for index, example in enumerate(case.in_production or []):
        loc = ("in_production", index, "reference")
        if example.reference not in resource_ids:
            guess = get_close_matches(example.reference, sorted(resource_ids), n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else "add the write-up to resources.yaml first"
            problems.append(_at(loaded, loc, "dangling-ref", f"no resource has the id '{example.reference}'", hint))
        elif example.reference not in case.references:
            problems.append(
                _at(
                    loaded,
                    loc,
                    "unlisted-ref",
                    f"'{example.reference}' is not in the chapter's references",
                    "add it to 'references', so the reading list carries it",
                )
            )
    return problems


def _talk_track(loaded: Loaded[Case], case: Case, framework: Framework | None) -> list[Problem]:
    if case.talk_track is None:
        return []
    problems = []
    limit = framework.interview_minutes if framework else 60
    minutes = [point.minute for point in case.talk_track.must_say]
    for index, minute in enumerate(minutes):
        loc = ("talk_track", "must_say", index, "minute")
        if minute > limit:
            problems.append(_at(loaded, loc, "talk-track", f"minute {minute} is past the {limit}-minute interview"))
        elif index and minute < minutes[index - 1]:
            problems.append(
                _at(
                    loaded,
                    loc,
                    "talk-track",
                    f"minute {minute} comes after minute {minutes[index - 1]}",
                    "list the points in the order they are said",
                )
            )
    return problems


def _months_before(moment: date, months: int) -> date:
    total = moment.year * 12 + moment.month - 1 - months
    return date(total // 12, total % 12 + 1, min(moment.day, 28))


def _ageing(loaded: Loaded[Case], case: Case, today: date) -> list[Problem]:
    problems = []
    if case.patches:
        newest = max(patch.year for patch in case.patches)
        # A patch's year is dated at its middle, 1 July (see Patch.year).
        if date(newest, 7, 1) < _months_before(today, PATCH_MAX_AGE_MONTHS):
            problems.append(
                _at(
                    loaded,
                    ("patches",),
                    "stale-patch",
                    f"the newest patch is from {newest}, more than {PATCH_MAX_AGE_MONTHS} months ago",
                    "add a patch for what changed in practice since then, with its source",
                    key=True,
                    warning=True,
                )
            )
    if case.reviewed is not None and case.reviewed < _months_before(today, REVIEW_MAX_AGE_MONTHS):
        problems.append(
            _at(
                loaded,
                ("reviewed",),
                "stale-review",
                f"last reviewed {case.reviewed.isoformat()}, more than {REVIEW_MAX_AGE_MONTHS} months ago",
                "read the chapter whole against current practice, then set 'reviewed' to that day",
                warning=True,
            )
        )
    return problems


def _crosswalk(loaded: Loaded[Framework], framework: Framework, frameworks: dict[str, Framework]) -> list[Problem]:
    if framework.view_of is None:
        return [
            _at(loaded, ("steps", index, "covers"), "crosswalk", "only a view of another framework covers steps")
            for index, step in enumerate(framework.steps)
            if step.covers
        ]
    base = frameworks.get(framework.view_of)
    if base is None:
        guess = get_close_matches(framework.view_of, sorted(frameworks), n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else None
        return [_at(loaded, ("view_of",), "dangling-ref", f"no framework has the id '{framework.view_of}'", hint)]
    order = [step.id for step in base.steps]
    problems = []
    covered: list[str] = []
    for index, step in enumerate(framework.steps):
        for position, name in enumerate(step.covers):
            loc = ("steps", index, "covers", position)
            if name not in order:
                guess = get_close_matches(name, order, n=1, cutoff=0.6)
                problems.append(
                    _at(
                        loaded,
                        loc,
                        "dangling-ref",
                        f"framework '{base.id}' has no step '{name}'",
                        f"did you mean '{guess[0]}'?" if guess else f"its steps are: {', '.join(order)}",
                    )
                )
            elif name in covered:
                problems.append(_at(loaded, loc, "crosswalk", f"step '{name}' is already covered by an earlier step"))
            else:
                covered.append(name)
    missing = [name for name in order if name not in covered]
    if missing:
        problems.append(
            _at(
                loaded,
                ("view_of",),
                "crosswalk",
                f"no step covers {', '.join(repr(name) for name in missing)} of '{base.id}'",
                "every step of the framework it views belongs to exactly one of its steps",
            )
        )
    elif covered != [name for name in order if name in covered]:
        problems.append(_at(loaded, ("view_of",), "crosswalk", f"the steps cover '{base.id}' out of its order", None))
    return problems
