"""The request path of a diagram: the edges that carry latency_ms, and what they add up to.

Its cost is the longest chain of such edges (the critical path), so a fan-out to two
stages that run in parallel counts once. Pure functions of the model: the latency rule
in checks/diagrams.py and the case page's note both read them.
"""

from __future__ import annotations

from collections import defaultdict

from mlsd.models import Case, Diagram

Loc = tuple[str | int, ...]


def serving_budget(case: Case) -> int | None:
    found = budget_location(case)
    return found[1] if found else None


def request_path_ms(diagram: Diagram) -> int | None:
    """The latency of the request path's longest chain; None when no edge carries latency_ms (or on a cycle)."""
    path = critical_path(diagram)
    return sum(diagram.edges[index].latency_ms or 0 for index in path) if path else None


def budget_location(case: Case) -> tuple[Loc, int] | None:
    for name, step in case.steps.items():
        if step.serving is not None and step.serving.latency_budget_ms is not None:
            return ("steps", name, "serving", "latency_budget_ms"), step.serving.latency_budget_ms
    return None


def critical_path(diagram: Diagram) -> list[int] | None:
    """Indexes of the latency edges on the longest chain, or None when they form a cycle."""
    timed = [index for index, edge in enumerate(diagram.edges) if edge.latency_ms is not None]
    leaving: dict[str, list[int]] = defaultdict(list)
    for index in timed:
        leaving[diagram.edges[index].source].append(index)
    best: dict[str, tuple[int, list[int]]] = {}  # node -> (cost, edges) of the longest chain starting there
    state: dict[str, str] = {}

    def longest(node: str) -> tuple[int, list[int]] | None:
        if state.get(node) == "open":
            return None
        if node in best:
            return best[node]
        state[node] = "open"
        result: tuple[int, list[int]] = (0, [])
        for index in leaving[node]:
            edge = diagram.edges[index]
            tail = longest(edge.to)
            if tail is None:
                return None
            cost = (edge.latency_ms or 0) + tail[0]
            if cost > result[0]:
                result = (cost, [index, *tail[1]])
        state[node] = "done"
        best[node] = result
        return result

    path: list[int] = []
    cost = -1
    for start in sorted(leaving):  # sorted so that ties give the same path on every run
        found = longest(start)
        if found is None:
            return None
        if found[0] > cost:
            cost, path = found
    return path
