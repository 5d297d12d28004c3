"""Text YAML drops without a word: a ` #` after plain text starts a comment.

`summary: ranked #1 to #10 by ...` is read as `ranked`; the rest is a comment. A comment
written on purpose starts with `# ` (a space), so a `#` glued to the next word after a
plain value is taken for text that was lost, and reported at the `#` with the fix.
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mlsd.problems import Problem, field_path

STR_TAG = "tag:yaml.org,2002:str"
GLUED_COMMENT = re.compile(r"[ \t]+#(?=[^\s#])")


def truncated_text(root: Node, text: str, display: str) -> list[Problem]:
    lines = text.split("\n")
    problems: list[Problem] = []

    def visit(node: Node, loc: tuple[str | int, ...]) -> None:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                visit(value_node, (*loc, str(key_node.value)))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                visit(item, (*loc, index))
        elif isinstance(node, ScalarNode) and not node.style and node.tag == STR_TAG:
            end = node.end_mark
            rest = lines[end.line][end.column :] if end.line < len(lines) else ""
            found = GLUED_COMMENT.match(rest)
            if found:
                problems.append(
                    Problem(
                        display,
                        end.line + 1,
                        end.column + found.end(),
                        "truncated",
                        field_path(loc),
                        f"YAML reads this value as '{node.value}' and drops '{rest.strip()}' as a comment",
                        "put the whole text in quotes, or write it as a '>-' block",
                    )
                )

    visit(root, ())
    return problems
