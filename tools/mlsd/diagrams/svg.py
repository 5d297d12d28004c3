"""Mermaid text -> SVG with real <text> labels, for the printable checklist and its PDF.

The renderer is mmdr (pinned in pyproject.toml; docs/diagrams.md says why): a native
Mermaid implementation that parses the flowchart, lays it out and writes plain <text>
elements, with no browser, no network and the same bytes on every run. mmdr names
every element after one fixed SVG id ("merman"); a page that inlines several diagrams
gets each under an id of its own, so their styles and arrowheads never cross.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from mlsd.diagrams.mermaid import to_mermaid
from mlsd.models import Diagram

RENDERER = "mmdr"
BACKEND = "merman"
_FIXED_ID = "merman"
_PREFIX = re.compile(r"^[a-z][a-z0-9-]*$")
# The renderer lays text out with Arial's widths whatever the font; print in Arial or a
# font as narrow (Liberation Sans has its metrics; DejaVu Sans, WeasyPrint's usual
# fallback, is wider and would overflow the label boxes, its condensed cut is not).
FONT = "Arial, Liberation Sans, Arimo, DejaVu Sans Condensed, sans-serif"
_THEME = f'%%{{init: {{"themeVariables": {{"fontFamily": "{FONT}"}}}}}}%%\n'


class DiagramError(Exception):
    """The renderer refused a diagram: a syntax error in the Mermaid text (a bug in mlsd)."""


def render_svg(source: str) -> str:
    """The SVG for one Mermaid flowchart as the renderer writes it, in a font that fits its layout."""
    import mmdr  # a native module: loaded only when a diagram is drawn

    try:
        return str(mmdr.render(_THEME + source, backend=BACKEND).svg())
    except ValueError as error:
        raise DiagramError(str(error)) from None


def inline_svg(source: str, prefix: str) -> Markup:
    """The SVG ready to inline in HTML, its ids starting with prefix (unique on the page)."""
    if not _PREFIX.match(prefix):
        raise ValueError(f"an SVG id prefix is lower-case letters, digits and hyphens, not {prefix!r}")
    svg = render_svg(source)
    # The fixed id appears as an attribute value and in CSS selectors and url(#...) references.
    svg = svg.replace(f'id="{_FIXED_ID}', f'id="{prefix}').replace(f"#{_FIXED_ID}", f"#{prefix}")
    return Markup(svg)


def diagram_svg(case_id: str, diagram: Diagram) -> Markup:
    """A case's diagram as inline SVG, drawn from the same Mermaid text as its case page."""
    return inline_svg(to_mermaid(diagram), f"d-{case_id}-{diagram.id}")
