"""A diagram -> Mermaid flowchart text, in which every label stays text.

A label is data. Mermaid reads much inside a diagram as syntax: brackets and quotes end
a label, `%%{init}%%` anywhere is a directive, a line starting `click` binds a link,
backticks start a Markdown string and labels may hold HTML. So nothing from the YAML is
written where Mermaid parses it: node ids are ones generated here (n1, n2, ...), and every
label is a quoted string in which each character outside a small safe set is written as
a Mermaid entity code (`#34;` for a quote, `#35;` for '#'), which Mermaid turns back into
that one character after parsing, never into markup.
"""

from __future__ import annotations

from markupsafe import Markup

from mlsd.models import Diagram, DiagramEdge, NodeKind

# Shapes by kind: a cylinder holds data, a parallelogram moves it, a hexagon is a model.
# No stadium: the Mermaid renderer mlsd uses draws it as a path of some 40 kB.
SHAPES: dict[NodeKind, tuple[str, str]] = {
    "client": ("(", ")"),
    "service": ("[", "]"),
    "model": ("{{", "}}"),
    "store": ("[(", ")]"),
    "index": ("[(", ")]"),
    "cache": ("[(", ")]"),
    "stream": ("[/", "/]"),
    "job": ("[[", "]]"),
    "external": ("[\\", "\\]"),
    "human": ("[/", "\\]"),
}

# Fill and stroke by kind, kept to a few pale colours that print well in grey.
STYLES: dict[NodeKind, str] = {
    "client": "fill:#f1f3f4,stroke:#5f6368",
    "service": "fill:#e8f0fe,stroke:#1a73e8",
    "model": "fill:#fce8e6,stroke:#c5221f",
    "store": "fill:#fef7e0,stroke:#b06000",
    "index": "fill:#fef7e0,stroke:#b06000",
    "cache": "fill:#fef7e0,stroke:#b06000,stroke-dasharray:4",
    "stream": "fill:#e6f4ea,stroke:#137333",
    "job": "fill:#f3e8fd,stroke:#8430ce",
    "external": "fill:#ffffff,stroke:#5f6368,stroke-dasharray:4",
    "human": "fill:#fff0f6,stroke:#a50e6e",
}

_SAFE = frozenset(" .,:/+-'?!()=@")


def escape_label(text: str) -> str:
    """A label as the inside of a Mermaid quoted string: one line, only letters, digits and entity codes."""
    flat = " ".join(text.split())
    return "".join(char if char.isalnum() or char in _SAFE else f"#{ord(char)};" for char in flat)


def _quoted(text: str) -> str:
    return f'"{escape_label(text)}"'


def edge_text(edge: DiagramEdge) -> str | None:
    parts = [edge.label] if edge.label else []
    if edge.latency_ms is not None:
        parts.append(f"{edge.latency_ms} ms")
    return ", ".join(parts) or None


def to_mermaid(diagram: Diagram) -> str:
    """The flowchart text, ending in a newline. Edges on the request path (with latency_ms) are thick."""
    ids = {node.id: f"n{index}" for index, node in enumerate(diagram.nodes, start=1)}
    declared = {node.id: f"{ids[node.id]}{_shape(node.kind, node.label)}" for node in diagram.nodes}
    lines = [f"flowchart {diagram.direction}"]
    grouped: set[str] = set()
    for number, group in enumerate(diagram.groups, start=1):
        lines.append(f"  subgraph g{number}[{_quoted(group.label)}]")
        for name in group.nodes:
            if name in declared and name not in grouped:
                lines.append(f"    {declared[name]}")
                grouped.add(name)
        lines.append("  end")
    lines += [f"  {declared[node.id]}" for node in diagram.nodes if node.id not in grouped]
    for edge in diagram.edges:
        if edge.source not in ids or edge.to not in ids:
            continue  # validation reports the missing node; a page never names one
        arrow = "==>" if edge.latency_ms is not None else "-->"
        text = edge_text(edge)
        label = f"|{_quoted(text)}|" if text else ""
        lines.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.to]}")
    kinds = [kind for kind in STYLES if any(node.kind == kind for node in diagram.nodes)]
    for kind in kinds:
        lines.append(f"  classDef {kind} {STYLES[kind]}")
    for kind in kinds:
        members = ",".join(ids[node.id] for node in diagram.nodes if node.kind == kind)
        lines.append(f"  class {members} {kind}")
    return "\n".join(lines) + "\n"


def _shape(kind: NodeKind, label: str) -> str:
    opening, closing = SHAPES[kind]
    return f"{opening}{_quoted(label)}{closing}"


def mermaid_block(diagram: Diagram) -> Markup:
    """The flowchart text as trusted Markdown: it holds no character of a label that Markdown or HTML would read."""
    return Markup(to_mermaid(diagram))
