"""A view of another framework (the 4-step view of the 7 steps) covers each of its steps once, in order."""

from __future__ import annotations

from mlsd.checks.index import Index, did_you_mean, problem_at
from mlsd.content import Content, Loaded
from mlsd.models import Framework
from mlsd.problems import Problem


def crosswalks(content: Content, ids: Index) -> list[Problem]:
    problems = []
    for loaded in content.frameworks:
        if loaded.model is not None:
            problems += _crosswalk(loaded, loaded.model, ids)
    return problems


def _crosswalk(loaded: Loaded[Framework], framework: Framework, ids: Index) -> list[Problem]:
    if framework.view_of is None:
        return [
            problem_at(loaded, ("steps", index, "covers"), "crosswalk", "only a view of another framework covers steps")
            for index, step in enumerate(framework.steps)
            if step.covers
        ]
    base = ids.frameworks.get(framework.view_of)
    if base is None:
        if framework.view_of in ids.framework_ids:
            return []  # the framework it views is broken; that problem is reported where it is
        return [
            problem_at(
                loaded,
                ("view_of",),
                "dangling-ref",
                f"no framework has the id '{framework.view_of}'",
                did_you_mean(framework.view_of, ids.framework_ids),
            )
        ]
    order = [step.id for step in base.steps]
    problems = []
    covered: list[str] = []
    for index, step in enumerate(framework.steps):
        for position, name in enumerate(step.covers):
            loc = ("steps", index, "covers", position)
            if name not in order:
                hint = did_you_mean(name, order) or f"its steps are: {', '.join(order)}"
                problems.append(
                    problem_at(loaded, loc, "dangling-ref", f"framework '{base.id}' has no step '{name}'", hint)
                )
            elif name in covered:
                problems.append(
                    problem_at(loaded, loc, "crosswalk", f"step '{name}' is already covered by an earlier step")
                )
            else:
                covered.append(name)
    missing = [name for name in order if name not in covered]
    if missing:
        problems.append(
            problem_at(
                loaded,
                ("view_of",),
                "crosswalk",
                f"no step covers {', '.join(repr(name) for name in missing)} of '{base.id}'",
                "every step of the framework it views belongs to exactly one of its steps",
            )
        )
    elif covered != order:
        problems.append(problem_at(loaded, ("view_of",), "crosswalk", f"the steps cover '{base.id}' out of its order"))
    return problems
