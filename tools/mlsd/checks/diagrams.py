"""Architecture diagrams: the rules a case's diagrams follow beyond what the model can say.

Unique ids, edges and groups that name real nodes, no isolated node, a node in one group
at most, one-line plain-text labels, and a request path (the edges with latency_ms) whose
critical path fits the serving latency budget and does not go round in a cycle. Each
rule reads one valid case, its model and its YAML document (for line numbers).
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable, Sequence

from mlsd.checks.index import Index, did_you_mean, problem_at
from mlsd.codes import Code
from mlsd.content import Content, Loaded
from mlsd.diagrams.paths import Loc, budget_location, critical_path
from mlsd.models import Case, Diagram
from mlsd.problems import Problem, field_path

Rule = Callable[[Loaded[Case], Case], list[Problem]]


def diagrams(content: Content, ids: Index) -> list[Problem]:
    problems: list[Problem] = []
    for loaded in content.cases:
        case = loaded.model
        if case is None or not case.diagrams or loaded.document is None:
            continue  # a case that failed its model has its problem reported already
        for rule in RULES:
            problems += rule(loaded, case)
    return problems


def _problem(loaded: Loaded[Case], loc: Loc, code: Code, message: str, hint: str | None = None) -> Problem:
    return problem_at(loaded, loc, code, message, hint)


def _diagrams(case: Case) -> list[tuple[Loc, Diagram]]:
    return [(("diagrams", index), diagram) for index, diagram in enumerate(case.diagrams or [])]


def _first_use(loaded: Loaded[Case], items: Sequence[tuple[Loc, str]], what: str) -> list[Problem]:
    """A problem for every id after its first appearance in items."""
    problems: list[Problem] = []
    seen: dict[str, Loc] = {}
    for loc, identifier in items:
        if identifier in seen:
            message = f"{what} id '{identifier}' is already used by {field_path(seen[identifier])}"
            problems.append(_problem(loaded, (*loc, "id"), "diagram-duplicate-id", message, "give each one its own id"))
        else:
            seen[identifier] = loc
    return problems


def duplicate_ids(loaded: Loaded[Case], case: Case) -> list[Problem]:
    diagrams = _diagrams(case)
    problems = _first_use(loaded, [(loc, diagram.id) for loc, diagram in diagrams], "diagram")
    for loc, diagram in diagrams:
        nodes = [((*loc, "nodes", index), node.id) for index, node in enumerate(diagram.nodes)]
        groups = [((*loc, "groups", index), group.id) for index, group in enumerate(diagram.groups)]
        problems += _first_use(loaded, nodes, "node")
        problems += _first_use(loaded, groups, "group")
    return problems


def duplicate_edges(loaded: Loaded[Case], case: Case) -> list[Problem]:
    problems = []
    for loc, diagram in _diagrams(case):
        seen: dict[tuple[str, str], int] = {}
        for index, edge in enumerate(diagram.edges):
            pair = (edge.source, edge.to)
            if pair in seen:
                problems.append(
                    _problem(
                        loaded,
                        (*loc, "edges", index),
                        "diagram-duplicate-edge",
                        f"the arrow from '{edge.source}' to '{edge.to}' is already drawn at edges[{seen[pair]}]",
                        "keep one arrow per pair of nodes and put both meanings in its label",
                    )
                )
            else:
                seen[pair] = index
    return problems


def dangling_nodes(loaded: Loaded[Case], case: Case) -> list[Problem]:
    problems = []
    for loc, diagram in _diagrams(case):
        known = {node.id for node in diagram.nodes}
        named: list[tuple[Loc, str]] = []
        for index, edge in enumerate(diagram.edges):
            named += [((*loc, "edges", index, "from"), edge.source), ((*loc, "edges", index, "to"), edge.to)]
        for index, group in enumerate(diagram.groups):
            named += [((*loc, "groups", index, "nodes", member), name) for member, name in enumerate(group.nodes)]
        for where, name in named:
            if name not in known:
                problems.append(
                    _problem(
                        loaded,
                        where,
                        "diagram-dangling-node",
                        f"diagram '{diagram.id}' has no node '{name}'",
                        did_you_mean(name, known) or f"add a node with id '{name}' to its nodes",
                    )
                )
    return problems


def isolated_nodes(loaded: Loaded[Case], case: Case) -> list[Problem]:
    problems = []
    for loc, diagram in _diagrams(case):
        touched = {edge.source for edge in diagram.edges} | {edge.to for edge in diagram.edges}
        for index, node in enumerate(diagram.nodes):
            if node.id not in touched:
                problems.append(
                    _problem(
                        loaded,
                        (*loc, "nodes", index, "id"),
                        "diagram-isolated-node",
                        f"no edge goes to or from node '{node.id}'",
                        "draw the arrow that connects it, or leave the node out",
                    )
                )
    return problems


def group_overlap(loaded: Loaded[Case], case: Case) -> list[Problem]:
    problems = []
    for loc, diagram in _diagrams(case):
        owner: dict[str, str] = {}
        for index, group in enumerate(diagram.groups):
            for member, name in enumerate(group.nodes):
                if name in owner:
                    where = "this group" if owner[name] == group.id else f"group '{owner[name]}'"
                    problems.append(
                        _problem(
                            loaded,
                            (*loc, "groups", index, "nodes", member),
                            "diagram-group-overlap",
                            f"node '{name}' is already in {where}",
                            "a node belongs to at most one group; draw a second node if it really runs in both",
                        )
                    )
                else:
                    owner[name] = group.id
    return problems


def labels(loaded: Loaded[Case], case: Case) -> list[Problem]:
    # A label is one line: Mermaid would read a line break as the end of a statement.
    problems = []
    for loc, diagram in _diagrams(case):
        texts: list[tuple[Loc, str]] = [((*loc, "title"), diagram.title)]
        texts += [((*loc, "nodes", i, "label"), node.label) for i, node in enumerate(diagram.nodes)]
        texts += [((*loc, "edges", i, "label"), edge.label) for i, edge in enumerate(diagram.edges) if edge.label]
        texts += [((*loc, "groups", i, "label"), group.label) for i, group in enumerate(diagram.groups)]
        for where, text in texts:
            if any(not char.isprintable() for char in text) or text != text.strip():
                problems.append(
                    _problem(
                        loaded,
                        where,
                        "diagram-label",
                        "a label is one line of text, without line breaks, tabs or spaces at either end",
                        "write it on one line; a '>-' block folds the lines of a long label into one",
                    )
                )
            elif html.unescape(text) != text:
                # '&lt;' is shown as '&lt;' by Mermaid on GitHub but as '<' by the SVG renderer:
                # a character reference has no one meaning in a label, so it is not allowed.
                problems.append(
                    _problem(
                        loaded,
                        where,
                        "diagram-label",
                        "a label is plain text, but this one holds an HTML character reference",
                        f"write the characters themselves: '{html.unescape(text)}'",
                    )
                )
    return problems


def latency_budget(loaded: Loaded[Case], case: Case) -> list[Problem]:
    problems = []
    budget = budget_location(case)
    for loc, diagram in _diagrams(case):
        timed = [index for index, edge in enumerate(diagram.edges) if edge.latency_ms is not None]
        if not timed:
            continue
        path = critical_path(diagram)
        if path is None:
            closing, cycle = _closing_edge(diagram, timed)
            problems.append(
                _problem(
                    loaded,
                    (*loc, "edges", closing, "latency_ms"),
                    "diagram-latency-cycle",
                    f"the request path of diagram '{diagram.id}' goes round in a cycle: {' -> '.join(cycle)}",
                    "latency_ms marks the one-way request path; leave it off the edge that returns",
                )
            )
            continue
        if budget is None:
            continue
        total = sum(diagram.edges[index].latency_ms or 0 for index in path)
        budget_loc, budget_ms = budget
        if total > budget_ms:
            nodes = " -> ".join([diagram.edges[path[0]].source, *(diagram.edges[index].to for index in path)])
            steps = " + ".join(f"{diagram.edges[index].latency_ms}" for index in path)
            problems.append(
                _problem(
                    loaded,
                    (*loc, "edges", path[0], "latency_ms"),
                    "diagram-latency-budget",
                    f"the request path of diagram '{diagram.id}' takes {total} ms ({nodes}: {steps}),"
                    f" over the serving latency budget of {budget_ms} ms",
                    f"shorten a stage or raise {field_path(budget_loc)}; parallel branches count once, the longest",
                )
            )
    return problems


def _closing_edge(diagram: Diagram, timed: list[int]) -> tuple[int, list[str]]:
    """The last latency edge (in file order) on a cycle, usually the one drawn back, and the cycle's nodes."""
    leaving: dict[str, list[str]] = defaultdict(list)
    for index in timed:
        leaving[diagram.edges[index].source].append(diagram.edges[index].to)
    for index in reversed(timed):
        edge = diagram.edges[index]
        came_from: dict[str, str] = {}
        frontier, seen = [edge.to], {edge.to}
        while frontier:  # breadth first from the edge's end back to its start: a shortest cycle
            node = frontier.pop(0)
            if node == edge.source:
                back = [node]
                while back[-1] != edge.to:
                    back.append(came_from[back[-1]])
                return index, [edge.source, *reversed(back)]
            for following in leaving[node]:
                if following not in seen:
                    seen.add(following)
                    came_from[following] = node
                    frontier.append(following)
    raise AssertionError("critical_path found a cycle that is not there")


RULES: tuple[Rule, ...] = (
    duplicate_ids,
    duplicate_edges,
    dangling_nodes,
    isolated_nodes,
    group_overlap,
    labels,
    latency_budget,
)
