"""Markdown as GitHub renders it: escaping content so it stays text, links and heading anchors.

Content is data. A title such as `<script>` or `](javascript:alert(1))` must reach the
page as the characters it is, so every value is escaped unless the template marks it as
trusted markup (markupsafe.Markup) that mlsd built itself.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup

# Characters that start inline Markdown constructs on GitHub (emphasis, links, code,
# tables, strikethrough, math); < > & are escaped as HTML entities first.
_INLINE = str.maketrans({char: "\\" + char for char in "\\`*_[]|~$"})
_WHITESPACE = re.compile(r"\s+")
_NUMBERED = re.compile(r"^(\d+)([.)])")


def escape_inline(value: object) -> Markup:
    """Text that renders as itself inside a paragraph, list item, table cell or heading."""
    if isinstance(value, Markup):
        return value
    text = _WHITESPACE.sub(" ", str(value))  # a newline would end a table row or list item
    text = html.escape(text, quote=False).translate(_INLINE)
    # At the start of a line "# x" is a heading, "- x" a list, "1. x" a numbered list.
    if text[:1] in ("#", ">", "+", "-", "="):
        text = "\\" + text
    elif text[:1].isdigit():
        text = _NUMBERED.sub(r"\1\\\2", text, count=1)
    return Markup(text)


def escape_html(value: object) -> Markup:
    """Text inside raw HTML (for example <summary>), where Markdown is not parsed."""
    return Markup(html.escape(_WHITESPACE.sub(" ", str(value)), quote=True))


def safe_href(url: str) -> str | None:
    """A URL fit for a Markdown link target, or None when it is not an https URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not parts.netloc:
        return None
    return quote(url.strip(), safe=":/?#[]@!$&'*+,;=%-._~")


def link(text: object, url: str) -> Markup:
    href = safe_href(url)
    if href is None:
        return escape_inline(text)
    return Markup(f"[{escape_inline(text)}]({href})")


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
