"""Internal links and anchors of the generated Markdown, checked offline.

A relative link must name a file inside the repository, and a #fragment must match a
heading anchor (or an id in raw HTML) of the page it points to, as GitHub resolves them.
Markdown is parsed with markdown-it and heading anchors come from mdit_py_plugins.anchors,
the pair tests/test_render.py checks the renderer with; both are imported only here, so the
other commands work without the 'links' extra.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

MARKDOWN_ROOTS = ("README.md", "docs")
_HREF = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_ID = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True, order=True)
class Broken:
    path: str
    line: int
    target: str
    detail: str


def markdown_files(root: Path) -> list[Path]:
    files = [root / "README.md"] if (root / "README.md").is_file() else []
    return files + sorted(path for path in (root / "docs").rglob("*.md") if path.is_file())


def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin

    # commonmark plus tables: the links and headings GitHub sees, without needing linkify.
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(anchors_plugin, max_level=6)


def _links(tokens: Sequence[Any]) -> Iterator[tuple[int, str]]:
    """(line, href) for every link, image and raw HTML href or src, in order."""
    line = 1
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        if token.type == "html_block":
            for match in _HREF.finditer(token.content):
                yield line + token.content.count("\n", 0, match.start()), match.group(1) or match.group(2) or ""
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                yield line, str(child.attrGet("href") or "")
            elif child.type == "image":
                yield line, str(child.attrGet("src") or "")
            elif child.type == "html_inline":
                for match in _HREF.finditer(child.content):
                    yield line, match.group(1) or match.group(2) or ""


def _anchors(tokens: Sequence[Any]) -> set[str]:
    found = set()
    for token in tokens:
        if token.type == "heading_open" and token.attrGet("id"):
            found.add(str(token.attrGet("id")))
        for piece in [token, *(token.children or ())]:
            if piece.type in ("html_block", "html_inline"):
                found.update(match.group(1) or match.group(2) or "" for match in _ID.finditer(piece.content))
    return found


class _Pages:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.parser = _parser()
        self.tokens: dict[Path, Sequence[Any]] = {}

    def parse(self, path: Path) -> Sequence[Any]:
        if path not in self.tokens:
            self.tokens[path] = self.parser.parse(path.read_text(encoding="utf-8"))
        return self.tokens[path]

    def anchors(self, path: Path) -> set[str]:
        if path.suffix.lower() == ".md":
            return _anchors(self.parse(path))
        return {match.group(1) or match.group(2) or "" for match in _ID.finditer(path.read_text(encoding="utf-8"))}

    def display(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def check_markdown(root: Path, files: Sequence[Path]) -> tuple[list[Broken], int]:
    """Broken internal links in the given Markdown files, and how many internal links were checked."""
    pages = _Pages(root)
    broken, checked = [], 0
    for page in (path.resolve() for path in files):
        for line, href in _links(pages.parse(page)):
            if not href or _SCHEME.match(href) or href.startswith("//"):
                continue  # external: the URLs come from the content and are checked there
            checked += 1
            problem = _problem(pages, page, href)
            if problem is not None:
                broken.append(Broken(pages.display(page), line, href, problem))
    return sorted(broken, key=lambda item: (item.path, item.line)), checked


def _problem(pages: _Pages, page: Path, href: str) -> str | None:
    path_part, _, fragment = href.partition("#")
    path_part = unquote(path_part.split("?", 1)[0])
    if path_part.startswith("/"):
        target = (pages.root / path_part.lstrip("/")).resolve()
    else:
        target = (page.parent / path_part).resolve() if path_part else page
    try:
        shown = pages.display(target)
    except ValueError:
        return "points outside the repository"
    if not target.exists():
        return f"{shown} does not exist"
    fragment = unquote(fragment)
    if not fragment or target.is_dir() or target.suffix.lower() not in (".md", ".html", ".htm"):
        return None
    if fragment not in pages.anchors(target):
        return f"no heading or id '{fragment}' in {shown}"
    return None
