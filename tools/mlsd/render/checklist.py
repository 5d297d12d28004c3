"""The printable checklist: one self-contained HTML file with print CSS, and a PDF from it.

The HTML is autoescaped by Jinja2. PDF output uses WeasyPrint, an optional extra
(`pip install 'mlsd[pdf]'`): asking for a PDF without it is a clear error, not a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from mlsd.collection import Collection
from mlsd.diagrams.svg import SvgCache
from mlsd.errors import MlsdError, UsageError
from mlsd.models import Case, Framework, Part
from mlsd.render.environment import environment_for_html
from mlsd.study.items import key_point_ids
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
    view: str | None = None  # a framework that regroups the chapters' steps, e.g. the 4-step view
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


@dataclass(frozen=True)
class Section:
    """One heading of a chapter's checklist and its points, each with its tick id (None: not tickable)."""

    heading: str
    points: list[tuple[str | None, str]]


def _key_points(case: Case, step_id: str) -> list[tuple[str | None, str]]:
    return list(zip(key_point_ids(case, step_id), case.steps[step_id].key_points, strict=True))


def sections(site: Collection, case: Case, view: Framework | None) -> list[Section]:
    """The chapter's key points under its own framework's steps, or under the view's when it applies.

    A key point keeps its tick id in either grouping, so a box ticked in one view is ticked in the other."""
    framework = site.framework[case.framework]
    if view is None or view.view_of != framework.id:
        return [
            Section(f"{number}. {step.title}", _key_points(case, step.id))
            for number, step in enumerate(framework.steps, start=1)
        ]
    drawn: list[tuple[str | None, str]] = [(None, cue.what) for cue in case.talk_track.draw] if case.talk_track else []
    return [
        Section(
            f"{number}. {step.title}",
            [point for covered in step.covers for point in _key_points(case, covered)] or drawn,
        )
        for number, step in enumerate(view.steps, start=1)
    ]


def render_checklist(site: Collection, options: ChecklistOptions, svgs: SvgCache | None = None) -> str:
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
    view = None
    if options.view is not None:
        view = site.framework.get(options.view)
        views = sorted(framework.id for framework in site.frameworks if framework.view_of)
        if view is None or view.view_of is None:
            raise ChecklistError(f"--view takes a framework that regroups another: {', '.join(views) or 'none exists'}")
    environment = environment_for_html()
    environment.globals["diagram_svg"] = (svgs or SvgCache()).diagram
    return environment.get_template("checklist.html.j2").render(
        site=site, cases=cases, options=options, sections=lambda case: sections(site, case, view), study=Ticking()
    )


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
