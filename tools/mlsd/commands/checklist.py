"""`mlsd checklist`: a printable checklist, HTML with print CSS and optionally a PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlsd.collection import load_collection
from mlsd.diagrams.svg import CACHE_DIR, SvgCache
from mlsd.errors import EXIT_OK
from mlsd.files import write_atomic, write_atomic_bytes
from mlsd.models import Part
from mlsd.render.checklist import (
    ChecklistOptions,
    Layout,
    Paper,
    parse_chapters,
    render_checklist,
    write_pdf,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--chapters", metavar="LIST", help="chapter numbers and ranges, e.g. 2,5-7 (default: all)")
    parser.add_argument("--part", choices=("classic", "patched"), help="only classic or only patched chapters")
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default: a4)")
    parser.add_argument(
        "--layout",
        choices=("page", "compact"),
        default="page",
        help="a chapter per page, or chapters run on (default: page)",
    )
    parser.add_argument(
        "--no-follow-ups", dest="follow_ups", action="store_false", help="leave out the follow-up questions"
    )
    parser.add_argument(
        "--view",
        metavar="FRAMEWORK",
        help="group each chapter's points under a view of its framework, e.g. ml-system-design-4-step",
    )
    parser.add_argument(
        "--output",
        "-o",
        default="mlsd-checklist.html",
        metavar="FILE",
        help="where to write the HTML; '-' for standard output (default: mlsd-checklist.html)",
    )
    parser.add_argument("--pdf", metavar="FILE", help="also write a PDF (needs: pip install 'mlsd[pdf]')")


def run(
    root: Path,
    chapters: str | None,
    part: Part | None,
    paper: Paper,
    layout: Layout,
    follow_ups: bool,
    view: str | None,
    output: str,
    pdf: str | None,
) -> int:
    collection = load_collection(root)
    options = ChecklistOptions(
        chapters=parse_chapters(chapters) if chapters else None,
        part=part,
        paper=paper,
        layout=layout,
        follow_ups=follow_ups,
        view=view,
    )
    html = render_checklist(collection, options, SvgCache(root / CACHE_DIR))
    document = write_pdf(html, str(root)) if pdf else None
    if output == "-":
        sys.stdout.write(html)
    else:
        write_atomic(Path(output), html)
        print(f"wrote {output}", file=sys.stderr)
    if pdf is not None and document is not None:
        write_atomic_bytes(Path(pdf), document)
        print(f"wrote {pdf}", file=sys.stderr)
    return EXIT_OK
