"""The Jinja2 environments of the templates beside this module, and how each escapes.

Markdown pages escape every {{ expression }} as Markdown text unless mlsd built it as
Markup; the HTML checklist is autoescaped as HTML. Both fail on an undefined name.
"""

from __future__ import annotations

from collections.abc import Callable

import jinja2
from markupsafe import Markup

from mlsd.diagrams.mermaid import mermaid_block
from mlsd.diagrams.paths import request_path_ms, serving_budget
from mlsd.models import word_count
from mlsd.render.markdown import escape_html, escape_inline, github_slug, link

TEMPLATES = jinja2.PackageLoader("mlsd.render", "templates")


def _finalize(value: object) -> object:
    # Every {{ expression }} is escaped as Markdown text unless mlsd built it as Markup.
    if value is None:
        return ""
    return escape_inline(value)


def _anchor(text: str, target: str = "") -> Markup:
    return Markup(f"[{escape_inline(text)}]({target}#{github_slug(text)})")


def _page_link(text: str, path: str) -> Markup:
    return Markup(f"[{escape_inline(text)}]({path})")


def _thousands(number: int) -> str:
    return f"{number:,}"


def _percent(fraction: float) -> str:
    """0.05 -> '5%', 0.025 -> '2.5%': as many digits as the value has, never float noise."""
    return f"{round(fraction * 100, 6):g}%"


def environment_for_markdown() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=TEMPLATES,
        autoescape=False,  # Markdown is escaped by _finalize, not as HTML
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    filters: dict[str, Callable[..., object]] = {
        "html": escape_html,
        "link": link,
        "slug": github_slug,
        "anchor": _anchor,
        "page_link": _page_link,
        "words": word_count,
        "thousands": _thousands,
        "percent": _percent,
    }
    environment.filters.update(filters)
    environment.globals.update(
        Markup=Markup, mermaid=mermaid_block, request_path_ms=request_path_ms, serving_budget=serving_budget
    )
    return environment


def environment_for_html() -> jinja2.Environment:
    return jinja2.Environment(
        loader=TEMPLATES,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
