"""The timed mock interview: prompt, clarifying questions, each framework step on its own countdown,
self-graded key points, follow-ups, and a scorecard.

Everything waits on one event queue (clock.py), so a step ends on the first of an empty
line or its deadline, and a test drives time by advancing a clock instead of sleeping.
Plain lines on a terminal are enough here: notes are free text, grading is a line of
numbers, and no screen library would make the countdown more honest. Stopping early
(Ctrl-C, end of input) raises Stopped with the scorecard so far, which the command saves.
"""

from __future__ import annotations

import re
import textwrap
from typing import TextIO

from mlsd.collection import chapter_of
from mlsd.models import Case, Framework
from mlsd.study.clock import Clock, EndOfInput, Events, Line
from mlsd.study.items import follow_up_ids, key_point_ids
from mlsd.study.scorecard import FollowUpScore, Scorecard, StepScore, clock

WARN_SECONDS = 60
WIDTH = 78


class Stopped(Exception):
    """The candidate stopped early; the scorecard holds what was done."""

    def __init__(self, card: Scorecard, interrupted: bool) -> None:
        super().__init__("stopped")
        self.card, self.interrupted = card, interrupted


class _InputEnded(Exception):
    pass


def prompt_of(case: Case) -> str:
    """The first sentence of the summary: the task, without the design that follows it."""
    match = re.match(r"(.+?[.!?])(\s|$)", case.summary.strip(), flags=re.DOTALL)
    return match.group(1) if match else case.summary.strip()


def parse_covered(text: str, count: int) -> list[int] | None:
    """'1 3,4' -> [0, 2, 3]; 'all' -> every index; '' -> []; None when it is not a valid answer."""
    words = text.replace(",", " ").split()
    if [word.lower() for word in words] == ["all"]:
        return list(range(count))
    if not all(word.isdigit() and 1 <= int(word) <= count for word in words):
        return None
    return sorted({int(word) - 1 for word in words})


class Drill:
    def __init__(self, case: Case, framework: Framework, clock_: Clock, events: Events, out: TextIO) -> None:
        self.case, self.framework, self.clock, self.events, self.out = case, framework, clock_, events, out
        self.card = Scorecard(
            case=case.id,
            chapter=chapter_of(case),  # a Collection numbers every case, new ones provisionally
            title=case.title,
            framework=framework.id,
            started=clock_.now().isoformat(timespec="seconds"),
        )

    def say(self, text: str = "", indent: str = "", hang: int = 2) -> None:
        """Wrapped to the terminal's usual width; continuation lines indented by `hang` past `indent`."""
        for paragraph in text.split("\n"):
            wrapped = textwrap.fill(paragraph, WIDTH, initial_indent=indent, subsequent_indent=indent + " " * hang)
            self.out.write((wrapped or indent.rstrip()) + "\n")
        self.out.flush()

    def ask(self, prompt: str = "> ", deadline: float | None = None) -> str | None:
        """The next line typed, or None when the deadline passes first."""
        self.out.write(prompt)
        self.out.flush()
        warned = deadline is not None and deadline - self.clock.monotonic() <= WARN_SECONDS
        while True:
            event = self.events.get()
            if isinstance(event, Line):
                return event.text
            if isinstance(event, EndOfInput):
                raise _InputEnded
            if deadline is None:
                continue
            left = deadline - self.clock.monotonic()
            if left <= 0:
                self.out.write("\n")
                return None
            if not warned and left <= WARN_SECONDS:
                warned = True
                self.out.write(f"\n[{clock(left)} left in this step]\n{prompt}")
                self.out.flush()

    def notes(self, lines: list[str], deadline: float | None = None) -> bool:
        """Add lines up to an empty one, as they come (a stop keeps them); True when the deadline ended them."""
        while True:
            line = self.ask(deadline=deadline)
            if line is None:
                return True
            if not line.strip():
                return False
            lines.append(line)

    def run(self) -> Scorecard:
        try:
            self._interview()
        except _InputEnded:
            raise Stopped(self.card, interrupted=False) from None
        except KeyboardInterrupt:
            raise Stopped(self.card, interrupted=True) from None
        self.card.complete = True
        return self.card

    def _interview(self) -> None:
        case, framework = self.case, self.framework
        self.say(f"Chapter {case.chapter}: {case.title}  ({case.part}, {case.difficulty})")
        self.say(f"{framework.title}: {len(framework.steps)} steps, {framework.interview_minutes} minutes.")
        self.say(
            "Type notes as you go, one line at a time; an empty line ends a phase. Ctrl-C or Ctrl-D stops and saves."
        )
        self.say()
        self.say(f"PROMPT: {prompt_of(case)}")
        self.say()
        self._clarify()
        for number, step in enumerate(framework.steps, start=1):
            self._step(number, step.id)
        self._follow_ups()

    def _clarify(self) -> None:
        self.say("Ask your clarifying questions, one a line; an empty line when done.")
        started = self.clock.monotonic()
        try:
            self.notes(self.card.clarifying)
        finally:
            self.card.clarifying_seconds = self.clock.monotonic() - started
        questions = [q for step in self.case.steps.values() for q in step.clarifying_questions or []]
        if questions:
            self.say("\nThe chapter's clarifying questions, and what this design assumes:")
            for question in questions:
                self.say(f"- {question.question}", "  ")
                self.say(f"  -> {question.assumption}", "  ")
        self.say()

    def _step(self, number: int, step_id: str) -> None:
        step = next(step for step in self.framework.steps if step.id == step_id)
        ids = key_point_ids(self.case, step_id)
        score = StepScore(id=step.id, title=step.title, budget_seconds=step.minutes * 60, key_points=ids)
        self.card.steps.append(score)
        self.say(f"STEP {number}/{len(self.framework.steps)}: {step.title}  [{step.minutes} min]")
        self.say(f"Goal: {step.goal}")
        started = self.clock.monotonic()
        deadline = started + score.budget_seconds
        try:
            score.timed_out = self.notes(score.notes, deadline)
        finally:
            score.seconds_used = self.clock.monotonic() - started
        if score.timed_out:
            self.say(f"Time is up for {step.title} ({step.minutes} min).")
        self.say(f"Key points for {step.title}: which did you cover?")
        points = self.case.steps[step_id].key_points
        for index, point in enumerate(points, start=1):
            self.say(f"{index:>2}. {point}", "  ", hang=4)
        while True:
            answer = self.ask("Covered (numbers such as 1 3, 'all', or Enter for none): ")
            chosen = parse_covered(answer or "", len(points))
            if chosen is not None:
                break
            self.say(f"Type numbers from 1 to {len(points)}, 'all', or nothing.")
        score.covered, score.graded = [ids[index] for index in chosen], True
        self.say(f"{len(chosen)} of {len(points)} in {clock(score.seconds_used)} of {step.minutes}:00.\n")

    def _follow_ups(self) -> None:
        follow_ups = self.case.follow_ups
        self.say(f"FOLLOW-UPS: {len(follow_ups)} questions. Answer each; an empty line shows the chapter's answer.")
        for number, (id_, follow_up) in enumerate(zip(follow_up_ids(self.case), follow_ups, strict=True), start=1):
            score = FollowUpScore(id=id_, question=follow_up.question)
            self.card.follow_ups.append(score)
            self.say(f"\nFollow-up {number}/{len(follow_ups)}: {follow_up.question}")
            self.notes(score.notes)
            self.say(f"Answer: {follow_up.answer}", "  ")
            while True:
                answer = (self.ask("Did yours cover it? [y/n] ") or "").strip().lower()
                if answer in ("y", "yes", "n", "no", ""):
                    break
            score.covered, score.graded = answer.startswith("y"), True
        self.say()


def report(card: Scorecard) -> list[str]:
    """The scorecard as a table: points covered and time used per step."""
    lines = [f"SCORECARD  chapter {card.chapter}: {card.title}" + ("" if card.complete else "  (partial)")]
    lines.append(f"  {'step':<40} {'points':>7}  {'time':>11}")
    lines.append(f"  {'clarifying questions':<40} {len(card.clarifying):>5} q  {clock(card.clarifying_seconds):>11}")
    for step in card.steps:
        points = f"{len(step.covered)}/{len(step.key_points)}" if step.graded else "-"
        used = f"{clock(step.seconds_used)}/{clock(step.budget_seconds)}" + ("!" if step.timed_out else " ")
        lines.append(f"  {step.title[:40]:<40} {points:>7}  {used:>11}")
    covered, total = card.points
    graded = [follow_up for follow_up in card.follow_ups if follow_up.graded]
    lines.append(f"  key points {covered}/{total}; follow-ups covered {sum(f.covered for f in graded)}/{len(graded)}")
    lines.append(
        f"  time used {clock(card.seconds)} of {card_minutes(card)}:00 ('!' marks a step that ran out of time)"
    )
    return lines


def card_minutes(card: Scorecard) -> int:
    return sum(step.budget_seconds for step in card.steps) // 60


def interviewer_sheet(case: Case, framework: Framework) -> list[str]:
    """What an interviewer needs for pair practice: the answers to give, what to listen for, the rubric."""
    lines = [f"INTERVIEWER'S SHEET  chapter {case.chapter}: {case.title}", "", f"Read out: {prompt_of(case)}", ""]
    lines.append("If asked, answer with the design's assumptions:")
    for content in case.steps.values():
        for question in content.clarifying_questions or []:
            lines.append(f"  - {question.question} -> {question.assumption}")
    for number, step in enumerate(framework.steps, start=1):
        lines += ["", f"STEP {number}: {step.title}  [{step.minutes} min; call time at {step.minutes}:00]"]
        lines.append("  Listen for:")
        lines += [f"    - {point}" for point in case.steps[step.id].key_points]
        lines += [f"    - {point}" for point in step.interviewer_listens_for]
        lines.append("  Pitfalls to note:")
        lines += [f"    - {pitfall}" for pitfall in step.pitfalls]
    lines += ["", "FOLLOW-UPS to ask, with the answer to compare:"]
    for follow_up in case.follow_ups:
        lines += [f"  - {follow_up.question}", f"    {follow_up.answer}"]
    lines += [
        "",
        "RUBRIC per step: strong = most key points, unprompted, with numbers and a reason, inside the time;",
        "  adequate = about half, or most only when prompted; weak = few, or no trade-off named.",
        "  Overall: a hire shows strong in most steps and no weak step in framing, modelling or evaluation.",
    ]
    return lines
