"""`mlsd render` and `mlsd checklist`: the generated README part, pages and printable checklist.

Jinja2 and the templates load only when one of these commands runs, so `mlsd validate`
starts without them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mlsd.commands import Command, UsageError, valid_content
from mlsd.files import is_stale, write_atomic, write_atomic_bytes

if TYPE_CHECKING:
    from mlsd.render import Site

CHECKLIST_FILE = "docs/checklist.html"


def generated_files(root: Path, site: Site) -> dict[str, str]:
    from mlsd.checklist import ChecklistOptions, render_checklist
    from mlsd.diagrams.svg import CACHE_DIR, SvgCache
    from mlsd.render import render_pages

    readme = root / "README.md"
    current = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    files = render_pages(site, current)
    svgs = SvgCache(root / CACHE_DIR)
    files[CHECKLIST_FILE] = render_checklist(site, ChecklistOptions(), svgs)
    files.update(svgs.files(CACHE_DIR))
    return files


def orphans(root: Path, files: dict[str, str]) -> list[str]:
    """Generated pages whose case or framework no longer exists."""
    found = []
    from mlsd.diagrams.svg import CACHE_DIR
    from mlsd.render import CASE_PAGES, FRAMEWORK_PAGES

    for folder, pattern in ((CASE_PAGES, "*.md"), (FRAMEWORK_PAGES, "*.md"), (CACHE_DIR, "*.svg")):
        for path in sorted((root / folder).glob(pattern)):
            relative = path.relative_to(root).as_posix()
            if relative not in files:
                found.append(relative)
    return found


def cmd_render(args: argparse.Namespace) -> int:
    from mlsd.checklist import ChecklistError
    from mlsd.render import RenderError, Site

    root: Path = args.root
    content = valid_content(root)
    try:
        files = generated_files(root, Site.from_content(content))
    except (RenderError, ChecklistError) as error:
        print(f"mlsd: error: {error}", file=sys.stderr)
        return 1
    stale = sorted(name for name, text in files.items() if is_stale(root / name, text))
    removed = orphans(root, files)
    if args.check:
        for name in stale:
            print(f"{name} is out of date", file=sys.stderr)
        for name in removed:
            print(f"{name} belongs to no case or framework", file=sys.stderr)
        if stale or removed:
            print("run 'mlsd render' and commit the result", file=sys.stderr)
            return 1
        print(f"{len(files)} generated files are up to date", file=sys.stderr)
        return 0
    for name in stale:
        write_atomic(root / name, files[name])
    for name in removed:
        (root / name).unlink()
    print(
        f"wrote {len(stale)} of {len(files)} generated files" + (f", removed {len(removed)}" if removed else ""),
        file=sys.stderr,
    )
    return 0


def cmd_checklist(args: argparse.Namespace) -> int:
    from mlsd.checklist import ChecklistError, ChecklistOptions, parse_chapters, render_checklist, write_pdf
    from mlsd.diagrams.svg import CACHE_DIR, SvgCache
    from mlsd.render import Site

    content = valid_content(args.root)
    try:
        options = ChecklistOptions(
            chapters=parse_chapters(args.chapters) if args.chapters else None,
            part=args.part,
            paper=args.paper,
            layout=args.layout,
            follow_ups=args.follow_ups,
        )
        html = render_checklist(Site.from_content(content), options, SvgCache(args.root / CACHE_DIR))
        pdf = write_pdf(html, str(args.root)) if args.pdf else None
    except ChecklistError as error:
        raise UsageError(str(error)) from None
    if args.output == "-":
        sys.stdout.write(html)
    else:
        write_atomic(Path(args.output), html)
        print(f"wrote {args.output}", file=sys.stderr)
    if pdf is not None:
        write_atomic_bytes(Path(args.pdf), pdf)
        print(f"wrote {args.pdf}", file=sys.stderr)
    return 0


def register(command: Command) -> None:
    render = command(
        "render",
        "Regenerate the README's generated part, the case and framework pages and "
        "docs/checklist.html; writes nothing when the content is invalid.",
        "mlsd render --check",
        cmd_render,
    )
    render.add_argument("--check", action="store_true", help="write nothing; list stale files and exit 1 if any")
    checklist = command(
        "checklist",
        "Write a printable checklist (HTML with print CSS, and optionally a PDF).",
        "mlsd checklist --chapters 2,5-7 --paper letter --pdf checklist.pdf",
        cmd_checklist,
    )
    checklist.add_argument("--chapters", metavar="LIST", help="chapter numbers and ranges, e.g. 2,5-7 (default: all)")
    checklist.add_argument("--part", choices=("classic", "patched"), help="only classic or only patched chapters")
    checklist.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default: a4)")
    checklist.add_argument(
        "--layout",
        choices=("page", "compact"),
        default="page",
        help="a chapter per page, or chapters run on (default: page)",
    )
    checklist.add_argument(
        "--no-follow-ups", dest="follow_ups", action="store_false", help="leave out the follow-up questions"
    )
    checklist.add_argument(
        "--output",
        "-o",
        default="mlsd-checklist.html",
        metavar="FILE",
        help="where to write the HTML; '-' for standard output (default: mlsd-checklist.html)",
    )
    checklist.add_argument("--pdf", metavar="FILE", help="also write a PDF (needs: pip install 'mlsd[pdf]')")
