"""`mlsd drill`: a timed mock interview for one chapter in the terminal, and the history of past drills."""

from __future__ import annotations

import argparse
import queue
import random
import sys
from pathlib import Path

from mlsd.collection import Collection, load_collection
from mlsd.errors import EXIT_OK, UsageError
from mlsd.models import Case
from mlsd.study.clock import Event, clock_from_environment, read_input
from mlsd.study.drill import Drill, Stopped, interviewer_sheet, report
from mlsd.study.scorecard import history_lines, load_all, save

EXIT_INTERRUPTED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "chapter", nargs="?", metavar="CHAPTER", help="a chapter number or case id (default: one at random)"
    )
    parser.add_argument("--seed", type=int, metavar="N", help="pick the chapter reproducibly when none is given")
    parser.add_argument(
        "--interviewer",
        action="store_true",
        help="print the interviewer's sheet for pair practice (what to listen for, follow-ups, rubric) instead",
    )
    parser.add_argument("--history", action="store_true", help="list past drills and progress per chapter")


def choose(collection: Collection, chapter: str | None, seed: int | None) -> Case:
    if chapter is None:
        return random.Random(seed).choice(collection.reading_order)
    for case in collection.reading_order:
        if chapter in (str(case.chapter), case.id):
            return case
    raise UsageError(f"no chapter is numbered or named '{chapter}' (see 'mlsd stats')")


def run(root: Path, chapter: str | None, seed: int | None, interviewer: bool, history: bool) -> int:
    if history:
        print("\n".join(history_lines([card for _, card in load_all()])))
        return EXIT_OK
    collection = load_collection(root)
    case = choose(collection, chapter, seed)
    framework = collection.framework[case.framework]
    if interviewer:
        print("\n".join(interviewer_sheet(case, framework)))
        return EXIT_OK
    events: queue.Queue[Event] = queue.Queue()
    clock = clock_from_environment()
    clock.start(events.put)
    read_input(sys.stdin.fileno(), events.put)
    code = EXIT_OK
    try:
        card = Drill(case, framework, clock, events, sys.stdout).run()
    except Stopped as stopped:
        card = stopped.card
        code = EXIT_INTERRUPTED if stopped.interrupted else EXIT_OK
    path = save(card)
    print("\n" + "\n".join(report(card)))
    what = "scorecard" if card.complete else "partial scorecard"
    print(f"{what} saved to {path}; see progress with 'mlsd drill --history'")
    return code
