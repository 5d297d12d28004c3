"""`mlsd anki`: an Anki package (.apkg) or a TSV of flashcards from the validated content."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Literal

from mlsd.collection import load_collection
from mlsd.errors import EXIT_OK, UsageError
from mlsd.files import write_atomic, write_atomic_bytes
from mlsd.models import Part
from mlsd.render.checklist import parse_chapters
from mlsd.study.deck import build_apkg, build_tsv, cards
from mlsd.study.items import select_cases, study_items

DeckFormat = Literal["apkg", "tsv"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--chapters", metavar="LIST", help="chapter numbers and ranges, e.g. 2,5-7 (default: all)")
    parser.add_argument("--part", choices=("classic", "patched"), help="only classic or only patched chapters")
    parser.add_argument(
        "--format", dest="deck_format", choices=("apkg", "tsv"), default="apkg", help="file format (default: apkg)"
    )
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="where to write; '-' for standard output (default: mlsd.apkg or mlsd.tsv)",
    )


def run(root: Path, chapters: str | None, part: Part | None, deck_format: DeckFormat, output: str | None) -> int:
    collection = load_collection(root)
    chosen = parse_chapters(chapters) if chapters else None
    if chosen is not None:
        missing = sorted(chosen - {case.chapter for case in collection.cases})
        if missing:
            raise UsageError(f"no chapter has the number {', '.join(map(str, missing))}")
    cases = select_cases(collection, chosen, part)
    if not cases:
        raise UsageError("no chapter matches the selection")
    items = study_items(collection, cases)
    target = output or f"mlsd.{deck_format}"
    if deck_format == "tsv":
        text = build_tsv(collection, items)
        if target == "-":
            sys.stdout.write(text)
        else:
            write_atomic(Path(target), text)
    else:
        data = build_apkg(collection, cases, items)
        if target == "-":
            sys.stdout.buffer.write(data)
        else:
            write_atomic_bytes(Path(target), data)
    kinds = Counter(item.kind for item in cards(items))
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    where = "standard output" if target == "-" else target
    print(f"wrote {sum(kinds.values())} cards from {len(cases)} chapters to {where} ({summary})", file=sys.stderr)
    return EXIT_OK
