"""The Anki deck, opened as Anki opens it: a zip holding an SQLite collection. Its notes, fields,
tags, GUIDs and subdecks; the same bytes from the same content; ids that survive an edit."""

from __future__ import annotations

import json
import sqlite3
import sys
import zipfile
from pathlib import Path

import genanki  # type: ignore[import-untyped]
import pytest

from mlsd.cli import main
from mlsd.collection import load_collection
from mlsd.study.items import short_hash, study_items

FOLLOW_UP = "How would you add dense retrieval later?"
FOLLOW_UP_ID = f"tiny-search.follow_ups.{short_hash(FOLLOW_UP)}"


def write_deck(repo: Path, name: str = "deck.apkg", *options: str) -> Path:
    path = repo / name
    assert main(["anki", "--root", str(repo), "--output", str(path), *options]) == 0
    return path


def notes(apkg: Path, tmp_path: Path) -> dict[str, dict[str, object]]:
    """Each note by its Id field: its note id, GUID, fields, tags, and the deck of its card."""
    with zipfile.ZipFile(apkg) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        assert archive.read("media") == b"{}"
        database = tmp_path / f"{apkg.stem}.anki2"
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
        rows = connection.execute(
            "SELECT notes.id, guid, flds, tags, cards.did, cards.id FROM notes JOIN cards ON cards.nid = notes.id"
        ).fetchall()
    finally:
        connection.close()
    found = {}
    for note_id, guid, fields, tags, deck_id, card_id in rows:
        question, answer, source, item_id = fields.split("\x1f")
        found[item_id] = {
            "note_id": note_id,
            "card_id": card_id,
            "guid": guid,
            "question": question,
            "answer": answer,
            "source": source,
            "tags": tags.split(),
            "deck": decks[str(deck_id)]["name"],
        }
    return found


def test_the_deck_holds_every_card_with_fields_tags_guids_and_subdecks(repo: Path, tmp_path: Path) -> None:
    found = notes(write_deck(repo), tmp_path)
    items = study_items(load_collection(repo), load_collection(repo).reading_order)
    assert sorted(found) == sorted(item.id for item in items if item.kind != "key-point")
    assert (
        len(found) == 22
    )  # 2 talk tracks, 1 clarifying question, 5 sizing rows, 1 trade-off, 1 follow-up a chapter; 2 steps

    note = found[FOLLOW_UP_ID]
    assert note["guid"] == genanki.guid_for(FOLLOW_UP_ID)
    assert note["question"] == FOLLOW_UP
    assert note["answer"] == "Log clicks, train a two-tower model on them and fuse both result lists."
    assert note["deck"] == "mlsd::Classic chapters::02 Tiny Search"
    assert note["source"] == "Classic chapters · 02 Tiny Search"
    assert note["tags"] == [
        "mlsd::chapter::02",
        "mlsd::kind::follow-up",
        "mlsd::part::classic",
        "mlsd::topic::search",
    ]
    assert note["card_id"] == note["note_id"] + 1  # ids come from the item id, not from the clock

    step = found["two-step.steps.requirements"]
    assert step["deck"] == "mlsd::Frameworks::A Two-Step Framework"
    assert step["answer"] == (
        "Agree on what is being built.<br>10 minutes<ul><li>Ask who the users are</li>"
        "<li>Ask for the scale in queries per second</li><li>State the latency budget</li></ul>"
    )
    assert "mlsd::step::requirements" in step["tags"]
    assert found["tiny-rag.talk_track.opening"]["deck"] == "mlsd::Patched chapters::12 Tiny Retrieval-Augmented Answers"
    clarifying = found[f"tiny-search.steps.requirements.clarifying_questions.{short_hash('How many documents?')}"]
    assert (clarifying["question"], clarifying["answer"]) == ("How many documents?", "Ten million.")


def test_the_same_content_gives_the_same_bytes(repo: Path) -> None:
    first = write_deck(repo, "first.apkg").read_bytes()
    assert write_deck(repo, "second.apkg").read_bytes() == first


def test_an_edited_answer_keeps_its_guid_and_note_id(repo: Path, tmp_path: Path) -> None:
    before = notes(write_deck(repo, "before.apkg"), tmp_path)
    case = repo / "cases" / "tiny-search.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(
        text.replace(
            "answer: Log clicks, train a two-tower model", "answer: Log clicks for a month, train a two-tower model"
        )
        # reword another item too: that changes its id only
        .replace("decision: Lexical or dense retrieval", "decision: Lexical or dense retrieval first"),
        encoding="utf-8",
    )
    after = notes(write_deck(repo, "after.apkg"), tmp_path)
    old, new = before[FOLLOW_UP_ID], after[FOLLOW_UP_ID]
    assert new["answer"] != old["answer"] and "for a month" in str(new["answer"])
    assert (new["guid"], new["note_id"], new["card_id"]) == (old["guid"], old["note_id"], old["card_id"])
    assert set(after) - set(before) == {f"tiny-search.tradeoffs.{short_hash('Lexical or dense retrieval first')}"}


def test_chapters_and_part_select_subdecks(repo: Path, tmp_path: Path) -> None:
    only_rag = notes(write_deck(repo, "rag.apkg", "--chapters", "12"), tmp_path)
    assert {str(note["deck"]) for note in only_rag.values()} == {
        "mlsd::Patched chapters::12 Tiny Retrieval-Augmented Answers",
        "mlsd::Frameworks::A Two-Step Framework",
    }
    classic = notes(write_deck(repo, "classic.apkg", "--part", "classic"), tmp_path)
    assert not any(item_id.startswith("tiny-rag.") for item_id in classic)


def test_tsv_has_one_card_a_line_for_other_apps(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["anki", "--root", str(repo), "--format", "tsv", "--output", "-"]) == 0
    out, err = capsys.readouterr()
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == 22 and all(len(row) == 5 for row in rows)
    assert [FOLLOW_UP, "Log clicks, train a two-tower model on them and fuse both result lists."] in [
        row[:2] for row in rows
    ]
    assert "wrote 22 cards from 2 chapters to standard output" in err
    assert "(2 clarifying-question, 2 follow-up, 2 framework-step, 10 sizing, 4 talk-track, 2 trade-off)" in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--chapters", "99"], "mlsd: error: no chapter has the number 99\n"),
        (["--chapters", "12", "--part", "classic"], "mlsd: error: no chapter matches the selection\n"),
        (["--chapters", "x"], "mlsd: error: --chapters takes numbers and ranges such as 2,5-7, not 'x'\n"),
    ],
)
def test_a_bad_selection_is_one_line_and_writes_nothing(
    repo: Path, options: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["anki", "--root", str(repo), "--output", str(repo / "x.apkg"), *options]) == 2
    assert capsys.readouterr().err == message
    assert not (repo / "x.apkg").exists()


def test_apkg_without_genanki_names_the_extra(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "genanki", None)  # makes `import genanki` fail
    assert main(["anki", "--root", str(repo), "--output", str(repo / "x.apkg")]) == 2
    assert "pip install 'mlsd[anki]'" in capsys.readouterr().err
    assert not (repo / "x.apkg").exists()


def test_source_date_epoch_sets_the_modification_time(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    apkg = write_deck(repo)
    with zipfile.ZipFile(apkg) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(tmp_path / "c.anki2")
    try:
        assert connection.execute("SELECT DISTINCT mod FROM notes").fetchall() == [(1800000000,)]
    finally:
        connection.close()


def test_the_repository_deck_is_deterministic_and_its_ids_unique(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    items = study_items(load_collection(root), load_collection(root).reading_order)
    assert len({item.id for item in items}) == len(items)
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    assert main(["anki", "--root", str(root), "--output", str(first)]) == 0
    assert main(["anki", "--root", str(root), "--output", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
