"""Study item ids: one per item, and each survives moving or rewording the other items."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from mlsd.collection import load_collection
from mlsd.models import Case, FollowUp, Framework
from mlsd.study.items import Kind, case_items, follow_up_ids, short_hash, study_items

ROOT = Path(__file__).resolve().parents[1]


def visual_search() -> tuple[Case, Framework]:
    collection = load_collection(ROOT)
    case = next(case for case in collection.cases if case.chapter == 2)
    return case, collection.framework[case.framework]


def test_ids_follow_the_item_not_its_position_or_its_neighbours() -> None:
    case, _ = visual_search()
    before = dict(zip(follow_up_ids(case), (f.question for f in case.follow_ups), strict=True))
    first, *rest = case.follow_ups
    reworded = FollowUp(question=first.question + " Say why.", answer=first.answer)
    changed = case.model_copy(update={"follow_ups": [*reversed(rest), reworded]})
    after = dict(zip(follow_up_ids(changed), (f.question for f in changed.follow_ups), strict=True))
    assert {id_: q for id_, q in after.items() if q != reworded.question} == {
        id_: q for id_, q in before.items() if q != first.question
    }
    assert f"{case.id}.follow_ups.{short_hash(reworded.question)}" in after


def test_whitespace_and_case_do_not_change_an_id() -> None:
    assert short_hash("How  would you\nscale it?") == short_hash("how would you scale it?")
    assert short_hash("How would you scale it?") != short_hash("How would you shard it?")


def test_a_repeated_question_gets_its_own_id() -> None:
    case, _ = visual_search()
    twice = case.model_copy(update={"follow_ups": [case.follow_ups[0], case.follow_ups[0]]})
    first, second = follow_up_ids(twice)
    assert second == f"{first}-2"


def test_every_item_of_the_repository_has_a_unique_id_and_every_kind_is_present() -> None:
    collection = load_collection(ROOT)
    items = study_items(collection, collection.reading_order)
    assert len({item.id for item in items}) == len(items)
    assert {item.kind for item in items} == set(get_args(Kind))
    case, framework = visual_search()
    kinds = [item.kind for item in case_items(case, framework)]
    assert kinds.index("talk-track") < kinds.index("key-point") < kinds.index("sizing") < kinds.index("follow-up")
