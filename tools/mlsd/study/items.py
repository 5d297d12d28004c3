"""The study items of the content, each with a stable id: what the deck, the drill and the checklist share.

An id is the case (or framework) id, the field path without list indexes, and a short hash
of the item's question side: `visual-search.follow_ups.3f2a1b9c`. Without the index, moving
an item or rewording another leaves the id alone; rewording the question itself makes it a
new item, which is what it is. Where no list is involved (a framework step, a talk track)
the path alone is unique. The Anki GUIDs, the drill's scorecard and the checklist's
local-storage keys all use these ids, so a reader's history follows an item across editions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from mlsd.collection import Collection
from mlsd.models import Case, Framework, Part

Kind = Literal["follow-up", "trade-off", "clarifying-question", "sizing", "framework-step", "talk-track", "key-point"]
# The kinds that become flashcards; key points are the checklist's and the drill's only.
CARD_KINDS: tuple[Kind, ...] = (
    "follow-up",
    "trade-off",
    "clarifying-question",
    "sizing",
    "framework-step",
    "talk-track",
)


@dataclass(frozen=True)
class Item:
    id: str
    kind: Kind
    question: str
    answer: str
    owner: str  # the case or framework id
    chapter: int | None  # None for a framework step
    part: Part | None
    step: str | None  # the framework step id the item belongs to, where it belongs to one
    topics: tuple[str, ...]


def short_hash(text: str) -> str:
    # Whitespace and case do not make a different question.
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()[:8]


def _with_ids(owner: str, path: str, questions: Iterable[str]) -> Iterator[str]:
    """Ids for a list's items; an exact repeat of a question gets -2, -3 so ids stay unique."""
    seen: dict[str, int] = {}
    for question in questions:
        base = f"{owner}.{path}.{short_hash(question)}"
        seen[base] = seen.get(base, 0) + 1
        yield base if seen[base] == 1 else f"{base}-{seen[base]}"


def key_point_ids(case: Case, step_id: str) -> list[str]:
    return list(_with_ids(case.id, f"steps.{step_id}.key_points", case.steps[step_id].key_points))


def follow_up_ids(case: Case) -> list[str]:
    return list(_with_ids(case.id, "follow_ups", (follow_up.question for follow_up in case.follow_ups)))


def _lines(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def case_items(case: Case, framework: Framework) -> list[Item]:
    """Every item of one chapter, in the order a reader meets it: steps, then sizing, trade-offs, follow-ups."""
    topics = tuple(case.tags)

    def item(id_: str, kind: Kind, question: str, answer: str, step: str | None = None) -> Item:
        return Item(id_, kind, question, answer, case.id, case.chapter, case.part, step, topics)

    items: list[Item] = []
    if case.talk_track is not None:
        track = case.talk_track
        items.append(
            item(
                f"{case.id}.talk_track.opening",
                "talk-track",
                f"Open chapter {case.chapter}, {case.title}: what do you say in the first 60 seconds?",
                track.opening,
            )
        )
        items.append(
            item(
                f"{case.id}.talk_track.must_say",
                "talk-track",
                f"Chapter {case.chapter}, {case.title}: what must you say, minute by minute?",
                _lines(f"minute {cue.minute}: {cue.point}" for cue in track.must_say),
            )
        )
    for step in framework.steps:
        content = case.steps[step.id]
        for id_, point in zip(key_point_ids(case, step.id), content.key_points, strict=True):
            items.append(item(id_, "key-point", point, "", step.id))
        questions = content.clarifying_questions or []
        path = f"steps.{step.id}.clarifying_questions"
        for id_, asked in zip(_with_ids(case.id, path, (q.question for q in questions)), questions, strict=True):
            items.append(item(id_, "clarifying-question", asked.question, asked.assumption, step.id))
    if case.sizing is not None:
        rows = case.sizing.rows
        for id_, row in zip(_with_ids(case.id, "sizing.rows", (row.quantity for row in rows)), rows, strict=True):
            answer = f"{row.result}\n{row.inputs}\nDecision: {row.decision}"
            items.append(item(id_, "sizing", f"Size it: {row.quantity}", answer))
    tradeoffs = case.tradeoffs
    for id_, tradeoff in zip(_with_ids(case.id, "tradeoffs", (t.decision for t in tradeoffs)), tradeoffs, strict=True):
        answer = f"Chosen: {tradeoff.chosen}\nAlternative: {tradeoff.alternative}\nWhy: {tradeoff.why}"
        items.append(item(id_, "trade-off", f"Trade-off: {tradeoff.decision}", answer))
    for id_, follow_up in zip(follow_up_ids(case), case.follow_ups, strict=True):
        items.append(item(id_, "follow-up", follow_up.question, follow_up.answer))
    return items


def framework_items(framework: Framework) -> list[Item]:
    return [
        Item(
            id=f"{framework.id}.steps.{step.id}",
            kind="framework-step",
            question=f"{framework.title}, step {number} of {len(framework.steps)}: {step.title}. "
            "What is its goal, its time budget and its checklist?",
            answer=f"{step.goal}\n{step.minutes} minutes\n{_lines(step.checklist)}",
            owner=framework.id,
            chapter=None,
            part=None,
            step=step.id,
            topics=(),
        )
        for number, step in enumerate(framework.steps, start=1)
    ]


def select_cases(collection: Collection, chapters: frozenset[int] | None, part: Part | None) -> list[Case]:
    """The chosen chapters in reading order, as `mlsd checklist` chooses them; empty when none matches."""
    return [
        case
        for case in collection.reading_order
        if (chapters is None or case.chapter in chapters) and (part is None or case.part == part)
    ]


def study_items(collection: Collection, cases: list[Case]) -> list[Item]:
    """The chapters' items, then the steps of the frameworks they follow, frameworks in order of use."""
    items = [item for case in cases for item in case_items(case, collection.framework[case.framework])]
    used = {case.framework for case in cases}
    for framework in collection.frameworks_by_use:
        if framework.id in used:
            items.extend(framework_items(framework))
    return items
