"""The Anki deck: an .apkg written with genanki, the same bytes for the same content, and a TSV twin.

genanki stamps the time into every note, card and note type and numbers notes from the
clock, and zipfile stamps each member's mtime. Here every one of those is fixed: the
timestamp comes from the content (SOURCE_DATE_EPOCH when set, else the newest `reviewed`
date), note and card ids from the item id, and the zip members carry a fixed date. The
timestamp must grow when the content does: Anki updates an imported note only when the
incoming one is newer, and it matches notes by GUID, which is the item id's.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from mlsd.collection import Collection
from mlsd.errors import UsageError
from mlsd.models import Case
from mlsd.study.items import Item

# Fixed forever: a new id would make Anki treat the deck and its note type as new ones.
MODEL_ID = 1_733_011_200_014
DECK_ROOT = "mlsd"
EPOCH_DEFAULT = 1_767_225_600  # 2026-01-01, for content with no reviewed date at all
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

CSS = """.card { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 18px; text-align: left;
  color: #111; background: #fff; max-width: 42em; margin: 0 auto; }
.source { font-size: 13px; color: #666; margin-bottom: 0.8em; }
ul { padding-left: 1.2em; }
"""


class AnkiUnavailable(UsageError):
    """The apkg format needs genanki, an optional extra."""


def _genanki() -> Any:
    try:
        import genanki  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise AnkiUnavailable(
            "the apkg format needs the optional 'anki' extra: pip install 'mlsd[anki]' (or use --format tsv)"
        ) from None
    return genanki


def stable_int(text: str, bits: int = 50) -> int:
    """A positive id from a name; even, so a note's card can take the next number."""
    value = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    return (value % (1 << bits)) * 2 + (1 << bits)


def timestamp(cases: list[Case]) -> int:
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    reviewed = [case.reviewed for case in cases if case.reviewed is not None]
    if not reviewed:
        return EPOCH_DEFAULT
    newest: date = max(reviewed)
    return int(datetime(newest.year, newest.month, newest.day, tzinfo=timezone.utc).timestamp())


def deck_name(item: Item, collection: Collection) -> str:
    if item.chapter is None:
        return f"{DECK_ROOT}::Frameworks::{collection.framework[item.owner].title}"
    case = next(case for case in collection.cases if case.id == item.owner)
    part = "Classic chapters" if case.part == "classic" else "Patched chapters"
    return f"{DECK_ROOT}::{part}::{case.chapter:02d} {case.title}"


def tags(item: Item) -> list[str]:
    found = [f"mlsd::kind::{item.kind}"]
    if item.chapter is not None:
        found.append(f"mlsd::chapter::{item.chapter:02d}")
    if item.part is not None:
        found.append(f"mlsd::part::{item.part}")
    if item.step is not None:
        found.append(f"mlsd::step::{item.step}")
    found.extend(f"mlsd::topic::{topic}" for topic in item.topics)
    return sorted(found)


def source(item: Item, collection: Collection) -> str:
    return deck_name(item, collection).removeprefix(f"{DECK_ROOT}::").replace("::", " · ")


def as_html(text: str) -> str:
    """Plain content text as Anki field HTML: lines that start with '- ' become a list."""
    out: list[str] = []
    bullets: list[str] = []
    for line in text.splitlines():
        if line.startswith("- "):
            bullets.append(f"<li>{html.escape(line[2:])}</li>")
            continue
        if bullets:
            out.append("<ul>" + "".join(bullets) + "</ul>")
            bullets = []
        out.append(html.escape(line))
    if bullets:
        out.append("<ul>" + "".join(bullets) + "</ul>")
    return "<br>".join(out).replace("<br><ul>", "<ul>")


def cards(items: list[Item]) -> list[Item]:
    return [item for item in items if item.kind != "key-point"]


def build_apkg(collection: Collection, cases: list[Case], items: list[Item]) -> bytes:
    genanki = _genanki()

    note_class: Any = genanki.Note

    class StableNote(note_class):  # type: ignore[misc]
        """A note whose note and card ids come from its item id, not from the clock."""

        def __init__(self, note_id: int, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.note_id = note_id

        def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Iterator[int]) -> None:
            super().write_to_db(cursor, timestamp, deck_id, itertools.count(self.note_id))

    model = genanki.Model(
        MODEL_ID,
        "mlsd question and answer",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Source"}, {"name": "Id"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": '<div class="source">{{Source}}</div>{{Question}}',
                "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}',
            }
        ],
        css=CSS,
    )
    decks: dict[str, Any] = {}
    for position, item in enumerate(cards(items)):
        name = deck_name(item, collection)
        if name not in decks:
            decks[name] = genanki.Deck(stable_int(name), name)
        decks[name].add_note(
            StableNote(
                stable_int(item.id),
                model=model,
                fields=[as_html(item.question), as_html(item.answer), html.escape(source(item, collection)), item.id],
                tags=tags(item),
                guid=genanki.guid_for(item.id),
                due=position,
            )
        )
    package = genanki.Package(list(decks.values()))
    with tempfile.TemporaryDirectory(prefix="mlsd-anki-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            package.write_to_db(connection.cursor(), timestamp(cases), itertools.count(1))
            connection.commit()
        finally:
            connection.close()
        collection_bytes = database.read_bytes()
    return _zip({"collection.anki2": collection_bytes, "media": b"{}"})


def _zip(members: dict[str, bytes]) -> bytes:
    with tempfile.SpooledTemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in members.items():
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        buffer.seek(0)
        return buffer.read()


def _plain(text: str) -> str:
    # A TSV field holds no tab and no newline; the lines of an answer are joined with ' / '.
    return " / ".join(line.replace("\t", " ") for line in text.splitlines() if line.strip())


def build_tsv(collection: Collection, items: list[Item]) -> str:
    """question, answer, tags, deck, id: the first two are what every flashcard app imports."""
    rows = [
        "\t".join(
            [_plain(item.question), _plain(item.answer), " ".join(tags(item)), deck_name(item, collection), item.id]
        )
        for item in cards(items)
    ]
    return "\n".join(rows) + "\n"
