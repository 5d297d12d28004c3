"""The diagram `mlsd new case` writes: the usual shape of an ML system, to be redrawn.

It validates as written (every node is connected, the request path fits the skeleton's
100 ms serving budget), and its TODO labels are listed as placeholders until replaced.
"""

from __future__ import annotations

from typing import Any

# (id, label, kind): the online path first, then the offline path that feeds it.
_NODES = [
    ("client", "TODO: client", "client"),
    ("service", "TODO: serving service", "service"),
    ("features", "TODO: feature store", "store"),
    ("model", "TODO: model", "model"),
    ("logs", "TODO: event log", "stream"),
    ("training", "TODO: training job", "job"),
    ("registry", "TODO: model registry", "store"),
]
# (from, to, label, latency_ms): edges with a latency are the online request path.
_EDGES: list[tuple[str, str, str | None, int | None]] = [
    ("client", "service", "request", 10),
    ("service", "features", "features", 10),
    ("service", "model", "score", 30),
    ("service", "logs", "impressions", None),
    ("logs", "training", "labels", None),
    ("training", "registry", None, None),
    ("registry", "model", "deploy", None),
]


def diagram_skeleton() -> dict[str, Any]:
    edges = []
    for source, target, label, latency in _EDGES:
        edge: dict[str, Any] = {"from": source, "to": target}
        if label:
            edge["label"] = label
        if latency is not None:
            edge["latency_ms"] = latency
        edges.append(edge)
    return {
        "id": "architecture",
        "title": "TODO: the online request path and the offline path that feeds it",
        "direction": "LR",
        "nodes": [{"id": identifier, "label": label, "kind": kind} for identifier, label, kind in _NODES],
        "edges": edges,
        "groups": [
            {"id": "online", "label": "Online", "nodes": ["client", "service", "features", "model"]},
            {"id": "offline", "label": "Offline", "nodes": ["logs", "training", "registry"]},
        ],
    }
