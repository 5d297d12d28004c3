"""What makes a chapter deliverable in 45 minutes: the second-edition fields, filled and consistent.

Every chapter carries a review date, a talk track, sizing, an experiment, production
examples and a diagram. The experiment's sample size and duration are recomputed from its
own inputs; sizing must cover the quantities an interviewer asks for; the talk track runs
in order inside the interview; a production example cites a write-up the chapter lists.
"""

from __future__ import annotations

from mlsd.checks.index import Index, did_you_mean, problem_at
from mlsd.content import Content, Loaded
from mlsd.models import Case, SizingKind
from mlsd.problems import Problem
from mlsd.sample_size import TOLERANCE, minimum_days, required_per_arm

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


def _valid_cases(content: Content) -> list[tuple[Loaded[Case], Case]]:
    return [(loaded, loaded.model) for loaded in content.cases if loaded.model is not None]


def required_fields(content: Content, ids: Index) -> list[Problem]:
    return [
        problem_at(
            loaded,
            ("id",),
            "missing-field",
            f"a {case.part} chapter needs '{name}'",
            "see CONTRIBUTING.md, 'The second-edition fields', for what it holds",
            key=True,
        )
        for loaded, case in _valid_cases(content)
        for name in REQUIRED_FIELDS
        if getattr(case, name) is None
    ]


def sizing(content: Content, ids: Index) -> list[Problem]:
    problems = []
    for loaded, case in _valid_cases(content):
        if case.sizing is None:
            continue
        needed = BASE_SIZING + (LLM_SIZING if LLM_TAGS & set(case.tags) else ())
        present = {row.kind for row in case.sizing.rows}
        problems += [
            problem_at(
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
    return problems


def experiment(content: Content, ids: Index) -> list[Problem]:
    problems = []
    for loaded, case in _valid_cases(content):
        test = case.experiment
        if test is None:
            continue
        metric = test.primary_metric
        try:
            needed = required_per_arm(metric, test.significance_level, test.power)
        except ValueError as error:
            problems.append(problem_at(loaded, ("experiment", "primary_metric"), "experiment-inputs", str(error)))
            continue
        stated = test.sample_size_per_arm
        if abs(stated - needed) > TOLERANCE * needed:
            kind = "two-proportion z-test" if metric.kind == "proportion" else "two-sample z-test"
            problems.append(
                problem_at(
                    loaded,
                    ("experiment", "sample_size_per_arm"),
                    "sample-size",
                    f"states {stated:,} per arm, but the inputs need {needed:,} (two-sided {kind},"
                    f" alpha {test.significance_level:g}, power {test.power:g},"
                    f" baseline {metric.baseline:g}, relative effect {metric.minimum_detectable_effect:g})",
                    f"write {needed:,}, or change the inputs; python -m mlsd.sample_size recomputes it",
                )
            )
        days = minimum_days(test)
        if test.duration_days < days:
            problems.append(
                problem_at(
                    loaded,
                    ("experiment", "duration_days"),
                    "experiment-duration",
                    f"{test.duration_days} days cannot reach {stated:,} units per arm at"
                    f" {test.daily_units_per_arm:,} a day; that takes {days} days",
                    "lengthen the test, raise the traffic share, or pick a more sensitive metric",
                )
            )
    return problems


def production_examples(content: Content, ids: Index) -> list[Problem]:
    problems: list[Problem] = []
    if not ids.resource_ids:
        return problems  # the resource list itself is broken; that problem is reported where it is
    for loaded, case in _valid_cases(content):
        for index, example in enumerate(case.in_production or []):
            loc = ("in_production", index, "reference")
            if example.reference not in ids.resource_ids:
                problems.append(
                    problem_at(
                        loaded,
                        loc,
                        "dangling-ref",
                        f"no resource has the id '{example.reference}'",
                        did_you_mean(example.reference, ids.resource_ids) or "add the write-up to resources.yaml first",
                    )
                )
            elif example.reference not in case.references:
                problems.append(
                    problem_at(
                        loaded,
                        loc,
                        "unlisted-ref",
                        f"'{example.reference}' is not in the chapter's references",
                        "add it to 'references', so the reading list carries it",
                    )
                )
    return problems


def talk_track(content: Content, ids: Index) -> list[Problem]:
    problems = []
    for loaded, case in _valid_cases(content):
        if case.talk_track is None:
            continue
        framework = ids.frameworks.get(case.framework)
        limit = framework.interview_minutes if framework else 60
        minutes = [point.minute for point in case.talk_track.must_say]
        for index, minute in enumerate(minutes):
            loc = ("talk_track", "must_say", index, "minute")
            if minute > limit:
                problems.append(
                    problem_at(loaded, loc, "talk-track", f"minute {minute} is past the {limit}-minute interview")
                )
            elif index and minute < minutes[index - 1]:
                problems.append(
                    problem_at(
                        loaded,
                        loc,
                        "talk-track",
                        f"minute {minute} comes after minute {minutes[index - 1]}",
                        "list the points in the order they are said",
                    )
                )
    return problems
