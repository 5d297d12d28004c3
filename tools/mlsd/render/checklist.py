"""The printable checklist: one self-contained HTML file with print CSS, and a PDF from it.

The HTML is autoescaped by Jinja2. PDF output uses WeasyPrint, an optional extra
(`pip install 'mlsd[pdf]'`): asking for a PDF without it is a clear error, not a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from mlsd.collection import Collection
from mlsd.errors import MlsdError, UsageError
from mlsd.models import Part
from mlsd.render.environment import environment_for_html
from mlsd.study.ticking import Ticking

Paper = Literal["a4", "letter"]
Layout = Literal["page", "compact"]


class ChecklistError(UsageError):
    """A checklist option that cannot be honoured."""


@dataclass(frozen=True)
class ChecklistOptions:
    chapters: frozenset[int] | None = None
    part: Part | None = None
    paper: Paper = "a4"
    layout: Layout = "page"
    follow_ups: bool = True
    title: str = "mlsd: ML system design interview checklist"
    extra_css: list[str] = field(default_factory=list)


def parse_chapters(text: str) -> frozenset[int]:
    """'2,5-7' -> {2, 5, 6, 7}."""
    chapters: set[int] = set()
    for piece in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", piece)
        if match is None:
            raise ChecklistError(f"--chapters takes numbers and ranges such as 2,5-7, not '{piece.strip()}'")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise ChecklistError(f"--chapters range {first}-{last} runs backwards")
        chapters.update(range(first, last + 1))
    return frozenset(chapters)


def render_checklist(site: Collection, options: ChecklistOptions) -> str:
    if not site.cases:
        raise MlsdError("the content has no case to put in a checklist")
    cases = [
        case
        for case in site.reading_order
        if (options.chapters is None or case.chapter in options.chapters)
        and (options.part is None or case.part == options.part)
    ]
    if options.chapters is not None:
        missing = sorted(options.chapters - {case.chapter for case in site.cases})
        if missing:
            raise ChecklistError(f"no chapter has the number {', '.join(map(str, missing))}")
    if not cases:
        raise ChecklistError("no chapter matches the selection")
    template = environment_for_html().get_template("checklist.html.j2")
    return template.render(site=site, cases=cases, options=options, study=Ticking())


def write_pdf(html: str, base_url: str) -> bytes:
    try:
        import weasyprint  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise ChecklistError(
            "PDF output needs the optional 'pdf' extra: pip install 'mlsd[pdf]' (WeasyPrint)"
        ) from None
    except OSError as error:  # WeasyPrint is installed but the Pango libraries are not
        raise ChecklistError(
            f"WeasyPrint cannot start: {error} (install Pango, e.g. apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        ) from None
    document = weasyprint.HTML(string=html, base_url=base_url)
    pdf: bytes = document.write_pdf()
    return pdf
