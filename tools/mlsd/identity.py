"""When two URLs are the same page: normalise_url's rules, plus the identity of an arXiv paper.

arXiv serves one paper at /abs/ID, /pdf/ID, /pdf/ID.pdf and each of those with a version
(ID v7); all of them are the paper's one entry.
"""

from __future__ import annotations

import re

from mlsd.urls import normalise_url

ARXIV = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})"
    r"(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def page_key(url: str) -> str:
    """A key equal for two URLs of the same page."""
    found = ARXIV.match(url.strip())
    if found:
        return f"arxiv:{found['id'].lower()}"
    return normalise_url(url)
