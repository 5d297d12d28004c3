"""Mermaid text -> SVG with real <text> labels, for the printable checklist and its PDF.

The renderer is mmdr (pinned in pyproject.toml; docs/diagrams.md says why): a native
Mermaid implementation that parses the flowchart, lays it out and writes plain <text>
elements, with no browser, no network and the same bytes on every run. mmdr names
every element after one fixed SVG id ("merman"); a page that inlines several diagrams
gets each under an id of its own, so their styles and arrowheads never cross.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from markupsafe import Markup

from mlsd.diagrams.mermaid import to_mermaid
from mlsd.models import Diagram, Direction

CACHE_DIR = "docs/diagrams"
RENDERER = "mmdr"
# The version pinned in pyproject.toml, written out because reading the installed one costs
# a fresh process 30 ms (importlib.metadata); tests/test_diagrams.py keeps the two equal.
RENDERER_VERSION = "0.4.0"
BACKEND = "merman"
_FIXED_ID = "merman"
_ROOT = re.compile(r'<svg\b[^>]*\bviewBox="(?P<box>[^"]+)"[^>]*>')
_MM_PER_PX = 0.13  # the renderer's 14 px text prints at about 5 pt
_PAGE_MM = (180.0, 215.0)  # what an A4 or letter page leaves a figure, with its caption
_PORTRAIT: dict[Direction, Direction] = {"LR": "TB", "RL": "BT", "TB": "TB", "BT": "BT"}
_PREFIX = re.compile(r"^[a-z][a-z0-9-]*$")
# The renderer lays text out with Arial's widths whatever the font; print in Arial or a
# font as narrow (Liberation Sans has its metrics; DejaVu Sans, WeasyPrint's usual
# fallback, is wider and would overflow the label boxes, its condensed cut is not).
FONT = "Arial, Liberation Sans, Arimo, DejaVu Sans Condensed, sans-serif"
_THEME = f'%%{{init: {{"themeVariables": {{"fontFamily": "{FONT}"}}}}}}%%\n'
# Attributes for Mermaid's browser interactivity, read by no style: a fifth of the file.
_UNUSED_DATA = re.compile(r' data-(?:points|merman-source-classes|merman-foreignobject|id|et|edge)="[^"]*"')
# Part of every cache key: bump it when render_svg changes what it does to the renderer's output.
_POSTPROCESS = "strip-data-1"


class DiagramError(Exception):
    """The renderer refused a diagram: a syntax error in the Mermaid text (a bug in mlsd)."""


def cache_key(source: str) -> str:
    """Names the SVG of a source: a different renderer, theme or text gives a different name."""
    drawn_from = f"{RENDERER} {RENDERER_VERSION} {BACKEND} {_POSTPROCESS}\n{_THEME}{source}"
    return hashlib.sha256(drawn_from.encode("utf-8")).hexdigest()[:20]


def render_svg(source: str) -> str:
    """The SVG for one Mermaid flowchart, in a font that fits its layout, ending in one newline."""
    import mmdr  # a native module: loaded only when a diagram is drawn

    try:
        svg = str(mmdr.render(_THEME + source, backend=BACKEND).svg())
    except ValueError as error:
        raise DiagramError(str(error)) from None
    return _UNUSED_DATA.sub("", svg).rstrip("\n") + "\n"


def with_prefix(svg: str, prefix: str) -> Markup:
    """The SVG ready to inline in HTML, its ids starting with prefix (unique on the page)."""
    if not _PREFIX.match(prefix):
        raise ValueError(f"an SVG id prefix is lower-case letters, digits and hyphens, not {prefix!r}")
    # The fixed id appears as an attribute value and in CSS selectors and url(#...) references.
    svg = svg.replace(f'id="{_FIXED_ID}', f'id="{prefix}').replace(f"#{_FIXED_ID}", f"#{prefix}")
    return Markup(svg.rstrip("\n"))


def inline_svg(source: str, prefix: str) -> Markup:
    return with_prefix(render_svg(source), prefix)


def paper_size(svg: str) -> str:
    """The SVG with a printed size: its labels at about 5 pt, shrunk to fit the page when larger.

    mmdr makes the SVG as wide as its container (width="100%"), which would blow a small
    diagram up to the page width; a size in millimetres keeps every diagram's text alike.
    """
    match = _ROOT.match(svg)
    if match is None:
        raise DiagramError("the renderer's SVG has no root element with a viewBox")
    width, height = (float(value) for value in match.group("box").split()[2:])
    scale = min(_MM_PER_PX, _PAGE_MM[0] / width, _PAGE_MM[1] / height)
    root = match.group(0).replace(' width="100%"', "")
    root = re.sub(r' style="max-width:[^"]*"', "", root)
    root = root.replace("<svg ", f'<svg width="{width * scale:.1f}mm" height="{height * scale:.1f}mm" ', 1)
    return root + svg[match.end() :]


def for_paper(diagram: Diagram) -> Diagram:
    """The same diagram laid out top to bottom. A chapter's architecture drawn left to right
    is four to eight times wider than tall: on a portrait page its labels would print at
    about 2 pt; top to bottom, at 3 to 5 pt (measured on the 24 chapters)."""
    return diagram.model_copy(update={"direction": _PORTRAIT[diagram.direction]})


class SvgCache:
    """SVGs by a hash of their Mermaid source, kept in a folder that is committed (docs/diagrams).

    A render reads the SVG of an unchanged diagram instead of drawing it again, and lists
    every SVG it used, so that `mlsd render` writes the new ones and removes the unused.
    An SVG's name is a hash of all it is drawn from, so a cached one is never stale;
    tests/test_diagrams.py draws every committed one again to prove it.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._used: dict[str, str] = {}

    def svg(self, source: str) -> str:
        key = cache_key(source)
        if key not in self._used:
            path = self.folder / f"{key}.svg" if self.folder else None
            self._used[key] = path.read_text(encoding="utf-8") if path and path.is_file() else render_svg(source)
        return self._used[key]

    def diagram(self, case_id: str, diagram: Diagram) -> Markup:
        """A case's diagram as inline SVG for paper: the Mermaid text of its case page, drawn top to bottom."""
        return with_prefix(paper_size(self.svg(to_mermaid(for_paper(diagram)))), f"d-{case_id}-{diagram.id}")

    def files(self, relative_folder: str) -> dict[str, str]:
        """Every SVG this cache handed out: path relative to the root -> text."""
        return {f"{relative_folder}/{key}.svg": text for key, text in sorted(self._used.items())}
