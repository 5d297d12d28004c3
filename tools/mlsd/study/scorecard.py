"""A drill's scorecard: what was covered and how long each step took, saved as JSON, and the history of them.

Scorecards live under the user's data directory (platformdirs), or MLSD_DATA_DIR when set,
one file a session, named by its start time and chapter so they sort by date. Key points
and follow-ups are recorded by their item ids, so a session compares with earlier ones
even after the chapter's other points have moved or been reworded.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mlsd.errors import MlsdError
from mlsd.files import write_atomic

DATA_ENV = "MLSD_DATA_DIR"
FORMAT = "mlsd-drill-scorecard"


@dataclass
class StepScore:
    id: str
    title: str
    budget_seconds: int
    seconds_used: float = 0.0
    timed_out: bool = False
    notes: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)
    graded: bool = False


@dataclass
class FollowUpScore:
    id: str
    question: str
    notes: list[str] = field(default_factory=list)
    covered: bool = False
    graded: bool = False


@dataclass
class Scorecard:
    case: str
    chapter: int
    title: str
    framework: str
    started: str
    complete: bool = False
    clarifying: list[str] = field(default_factory=list)
    clarifying_seconds: float = 0.0
    steps: list[StepScore] = field(default_factory=list)
    follow_ups: list[FollowUpScore] = field(default_factory=list)

    @property
    def points(self) -> tuple[int, int]:
        return sum(len(step.covered) for step in self.steps), sum(len(step.key_points) for step in self.steps)

    @property
    def seconds(self) -> float:
        return self.clarifying_seconds + sum(step.seconds_used for step in self.steps)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "version": 1, **asdict(self)}, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorecard:
        values = {key: value for key, value in data.items() if key not in ("format", "version")}
        values["steps"] = [StepScore(**step) for step in values.get("steps", [])]
        values["follow_ups"] = [FollowUpScore(**follow_up) for follow_up in values.get("follow_ups", [])]
        return cls(**values)


def data_dir() -> Path:
    configured = os.environ.get(DATA_ENV)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_data_dir("mlsd", appauthor=False))


def scorecard_dir() -> Path:
    return data_dir() / "drills"


def save(card: Scorecard) -> Path:
    stamp = card.started.replace("-", "").replace(":", "").split(".")[0].split("+")[0]
    path = scorecard_dir() / f"{stamp}Z-{card.case}.json"
    number = 1
    while path.exists():  # two sessions started in the same second: keep both
        number += 1
        path = scorecard_dir() / f"{stamp}Z-{card.case}-{number}.json"
    write_atomic(path, card.to_json())
    return path


def load_all() -> list[tuple[Path, Scorecard]]:
    """Every scorecard, oldest first; a file that is not one is named in a one-line error."""
    found = []
    for path in sorted(scorecard_dir().glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError("not a drill scorecard")
            found.append((path, Scorecard.from_json(data)))
        except (ValueError, TypeError, AttributeError) as error:
            raise MlsdError(f"{path}: cannot read the scorecard ({error}); move it away to go on") from None
    return found


def clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def history_lines(cards: list[Scorecard]) -> list[str]:
    if not cards:
        return [f"no drill yet: run 'mlsd drill' (scorecards are kept in {scorecard_dir()})"]
    lines = [f"{'started':<17} {'ch':>3}  {'key points':>12}  {'time':>6}  status"]
    for card in cards:
        covered, total = card.points
        share = f"{covered}/{total} {100 * covered // total if total else 0:>3}%"
        status = "complete" if card.complete else "partial"
        started = card.started[:16].replace("T", " ")
        lines.append(f"{started:<17} {card.chapter:>3}  {share:>12}  {clock(card.seconds):>6}  {status}")
    chapters: dict[int, list[Scorecard]] = {}
    for card in cards:
        chapters.setdefault(card.chapter, []).append(card)
    lines.append("")
    for chapter, sessions in sorted(chapters.items()):
        shares = [f"{100 * c.points[0] // c.points[1] if c.points[1] else 0}%" for c in sessions]
        lines.append(
            f"chapter {chapter}: {len(sessions)} session{'s' if len(sessions) != 1 else ''}, {' -> '.join(shares)}"
        )
    return lines
