"""Every URL of the content with its origins: each file:line it appears at."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mlsd.content import content_paths, kind_of
from mlsd.loader import STR_TAG, Document, load


@dataclass(frozen=True, order=True)
class Origin:
    path: str
    line: int


_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)


def urls_in(text: str) -> list[str]:
    """The URLs in a string: the whole value when it is one URL, else each URL found in prose."""
    stripped = text.strip()
    if _URL.fullmatch(stripped):
        return [stripped]
    return [url for url in (_trim(match.group()) for match in _URL.finditer(text)) if len(url) > 8]


def _trim(url: str) -> str:
    # Prose ends a sentence or a parenthesis after a URL; a URL may still hold balanced brackets.
    while url:
        last = url[-1]
        unbalanced = (last == ")" and url.count("(") < url.count(")")) or (
            last == "]" and url.count("[") < url.count("]")
        )
        if last not in ".,;:!?*_~" and not unbalanced:
            break
        url = url[:-1]
    return url


def document_urls(document: Document) -> dict[str, set[Origin]]:
    found: dict[str, set[Origin]] = defaultdict(set)
    stack: list[Node] = [document.root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, ScalarNode) and node.tag == STR_TAG:
            for url in urls_in(node.value):
                found[url].add(Origin(document.path, _line_of(document.text, node, url)))
    return found


def _line_of(text: str, node: Node, url: str) -> int:
    # A URL never spans lines (it holds no white space), so its own line is found in the
    # node's source; an escape sequence inside a quoted string falls back to the node's line.
    at = text.find(url, node.start_mark.index, node.end_mark.index)
    return text.count("\n", 0, at) + 1 if at >= 0 else node.start_mark.line + 1


def collect(root: Path, selected: set[str] | None = None) -> tuple[dict[str, list[Origin]], list[str]]:
    """URL -> sorted origins over the content files, and a message per file that could not be read."""
    found: dict[str, set[Origin]] = defaultdict(set)
    unreadable = []
    for path in content_paths(root):
        relative = path.relative_to(root).as_posix()
        if kind_of(relative) is None or path.suffix != ".yaml" or (selected is not None and relative not in selected):
            continue
        document, problems = load(path, relative)
        if document is None:
            first = problems[0]
            unreadable.append(f"{first.path}:{first.line}:{first.col}: {first.message}")
            continue
        for url, origins in document_urls(document).items():
            found[url] |= origins
    return {url: sorted(origins) for url, origins in sorted(found.items())}, unreadable
