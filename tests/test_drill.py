"""The timed mock interview: in a real pseudo-terminal with a clock the test advances through a named
pipe (no test sleeps), and in-process with a manual clock for the scorecard and the history."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from mlsd.cli import main
from mlsd.collection import load_collection
from mlsd.models import Case
from mlsd.study.clock import EndOfInput, Event, Line, ManualClock, Tick
from mlsd.study.drill import Drill, Stopped, parse_covered, prompt_of, report
from mlsd.study.items import follow_up_ids, key_point_ids
from mlsd.study.scorecard import Scorecard, history_lines

TIMEOUT = 30  # seconds pexpect waits for output that should come at once; never a sleep


def tiny_search(repo: Path) -> Case:
    return next(case for case in load_collection(repo).cases if case.id == "tiny-search")


class Terminal:
    """`mlsd drill` in a pseudo-terminal, with its clock on a named pipe and its data in tmp_path."""

    def __init__(self, repo: Path, tmp_path: Path, *args: str) -> None:
        pipe = tmp_path / "clock"
        os.mkfifo(pipe)
        # Read-write, so opening never waits for the drill to open its end.
        self.clock = os.open(pipe, os.O_RDWR)
        self.data = tmp_path / "data"
        env = {**os.environ, "MLSD_DRILL_CLOCK": str(pipe), "MLSD_DATA_DIR": str(self.data), "NO_COLOR": "1"}
        self.log = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "mlsd", "drill", "--root", str(repo), *args],
            env=env,
            encoding="utf-8",
            timeout=TIMEOUT,
            dimensions=(60, 200),
        )
        self.child.logfile_read = self.log
        # pexpect pauses before each send and after close by default; nothing here needs it.
        self.child.delaybeforesend = None
        self.child.delayafterclose = self.child.delayafterterminate = 0

    def advance(self, seconds: int) -> None:
        os.write(self.clock, f"{seconds}\n".encode())

    def type(self, line: str = "") -> None:
        """Type a line; what the drill prints next shows that it took it."""
        self.child.sendline(line)

    def note(self, line: str) -> None:
        """Type a note and wait for the drill's next prompt, so later clock moves come after it."""
        self.child.sendline(line)
        self.child.expect_exact(f"{line}\r\n> ")

    def expect(self, text: str) -> None:
        self.child.expect_exact(text)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        os.close(self.clock)
        assert "Traceback" not in self.log.getvalue()
        return int(self.child.exitstatus)

    def scorecard(self) -> dict[str, object]:
        [path] = sorted((self.data / "drills").glob("*.json"))
        document: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
        return document


@pytest.fixture
def terminal(repo: Path, tmp_path: Path) -> Iterator[Terminal]:
    session = Terminal(repo, tmp_path, "2")
    yield session
    session.child.terminate(force=True)


def test_a_whole_drill_in_a_terminal(terminal: Terminal, repo: Path) -> None:
    case = tiny_search(repo)
    terminal.expect("PROMPT: A tiny search case used by the tests.")
    terminal.expect("Ask your clarifying questions")
    terminal.note("How many documents?")
    terminal.type()
    terminal.expect("- How many documents?")
    terminal.expect("-> Ten million.")

    terminal.expect("STEP 1/2: Requirements  [10 min]")
    terminal.note("ask about users")
    terminal.advance(550)
    terminal.expect("[0:50 left in this step]")
    terminal.advance(50)
    terminal.expect("Time is up for Requirements (10 min).")
    terminal.expect("1. Ask how many documents there are")
    terminal.expect("3. Ask whether results are personalised")
    terminal.type("7")
    terminal.expect("Type numbers from 1 to 3, 'all', or nothing.")
    terminal.type("1 2")
    terminal.expect("2 of 3 in 10:00 of 10:00.")

    terminal.expect("STEP 2/2: Design  [35 min]")
    terminal.note("BM25 first")
    terminal.advance(2050)
    terminal.expect("[0:50 left in this step]")
    terminal.type()
    terminal.expect("1. Name two candidates")
    terminal.type("all")
    terminal.expect("3 of 3 in 34:10 of 35:00.")

    terminal.expect("Follow-up 1/1: How would you add dense retrieval later?")
    terminal.note("log clicks, then train a two-tower model")
    terminal.type()
    terminal.expect("Answer: Log clicks, train a two-tower model on them")
    terminal.type("y")
    terminal.expect("SCORECARD  chapter 2: Tiny Search\r\n")
    terminal.expect("Requirements")
    terminal.expect("2/3  10:00/10:00!")
    terminal.expect("key points 5/6; follow-ups covered 1/1")
    terminal.expect("scorecard saved to")
    assert terminal.finish() == 0

    card = terminal.scorecard()
    assert card["format"] == "mlsd-drill-scorecard" and card["complete"] is True
    assert card["clarifying"] == ["How many documents?"]
    requirements, design = card["steps"]  # type: ignore[misc]
    assert requirements["timed_out"] is True and requirements["seconds_used"] == 600
    assert requirements["notes"] == ["ask about users"]
    assert requirements["covered"] == key_point_ids(case, "requirements")[:2]
    assert design["timed_out"] is False and design["seconds_used"] == 2050
    assert design["covered"] == key_point_ids(case, "design")
    [follow_up] = card["follow_ups"]  # type: ignore[misc]
    assert follow_up["id"] == follow_up_ids(case)[0] and follow_up["covered"] is True


def test_ctrl_c_mid_step_saves_a_partial_scorecard(terminal: Terminal) -> None:
    terminal.expect("Ask your clarifying questions")
    terminal.type()
    terminal.expect("STEP 1/2: Requirements")
    terminal.note("a first note")
    terminal.advance(570)
    terminal.expect("[0:30 left in this step]")
    terminal.child.sendintr()
    terminal.expect("SCORECARD  chapter 2: Tiny Search  (partial)")
    terminal.expect("partial scorecard saved to")
    assert terminal.finish() == 130

    card = terminal.scorecard()
    assert card["complete"] is False
    [step] = card["steps"]  # type: ignore[misc]
    assert (step["notes"], step["seconds_used"], step["graded"]) == (["a first note"], 570, False)


def test_end_of_input_saves_a_partial_scorecard(terminal: Terminal) -> None:
    terminal.expect("Ask your clarifying questions")
    terminal.note("Who are the users?")
    terminal.child.sendeof()
    terminal.expect("partial scorecard saved to")
    assert terminal.finish() == 0
    assert terminal.scorecard()["clarifying"] == ["Who are the users?"]


class Script:
    """The drill's events from a list: a str is a typed line, a number advances the clock, None ends input."""

    def __init__(self, clock: ManualClock, steps: list[str | int | None]) -> None:
        self.clock, self.steps = clock, list(steps)

    def get(self) -> Event:
        step = self.steps.pop(0)
        if step is None:
            return EndOfInput()
        if isinstance(step, int):
            self.clock.seconds += step
            return Tick()
        return Line(step)


def drill(repo: Path, steps: list[str | int | None]) -> tuple[Scorecard | Stopped, str]:
    collection = load_collection(repo)
    case = tiny_search(repo)
    clock, out = ManualClock(), io.StringIO()
    try:
        result: Scorecard | Stopped = Drill(
            case, collection.framework[case.framework], clock, Script(clock, steps), out
        ).run()
    except Stopped as stopped:
        result = stopped
    return result, out.getvalue()


def test_a_step_ends_on_an_empty_line_or_its_deadline(repo: Path) -> None:
    card, _ = drill(repo, ["", 30, "n1", 30, "", "", 2100, "3", "note", "", "n"])
    assert isinstance(card, Scorecard) and card.complete
    assert [(step.seconds_used, step.timed_out, len(step.covered)) for step in card.steps] == [
        (60, False, 0),
        (2100, True, 1),
    ]
    assert card.follow_ups[0].notes == ["note"] and card.follow_ups[0].covered is False
    assert "\n".join(report(card)).count("!") == 2  # the timed-out design step, and the legend


def test_stopping_keeps_what_was_done(repo: Path) -> None:
    stopped, _ = drill(repo, ["q1", "", "n1", 45, None])
    assert isinstance(stopped, Stopped) and not stopped.interrupted
    assert stopped.card.clarifying == ["q1"] and stopped.card.steps[0].seconds_used == 45
    assert not stopped.card.complete


def test_parse_covered_and_prompt() -> None:
    assert parse_covered("1 3,4", 4) == [0, 2, 3]
    assert parse_covered("ALL", 2) == [0, 1]
    assert parse_covered("", 3) == []
    assert parse_covered("0", 3) is None and parse_covered("x", 3) is None and parse_covered("4", 3) is None


def test_prompt_is_the_first_sentence(repo: Path) -> None:
    case = tiny_search(repo).model_copy(update={"summary": "Design a thing. The trick is a cache."})
    assert prompt_of(case) == "Design a thing."


def test_interviewer_sheet(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drill", "2", "--root", str(repo), "--interviewer"]) == 0
    out = capsys.readouterr().out
    for expected in [
        "INTERVIEWER'S SHEET  chapter 2: Tiny Search",
        "  - How many documents? -> Ten million.",
        "STEP 1: Requirements  [10 min; call time at 10:00]",
        "    - Numbers, not adjectives",
        "  - How would you add dense retrieval later?",
        "RUBRIC per step",
    ]:
        assert expected in out


def test_seed_picks_a_chapter_reproducibly(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = []
    for _ in range(2):
        assert main(["drill", "--root", str(repo), "--seed", "7", "--interviewer"]) == 0
        sheets.append(capsys.readouterr().out.splitlines()[0])
    assert sheets[0] == sheets[1]


def test_unknown_chapter_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drill", "99", "--root", str(repo)]) == 2
    assert capsys.readouterr().err == "mlsd: error: no chapter is numbered or named '99' (see 'mlsd stats')\n"


def test_history(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MLSD_DATA_DIR", str(tmp_path / "data"))
    assert main(["drill", "--history"]) == 0
    assert capsys.readouterr().out.startswith("no drill yet: run 'mlsd drill'")

    from mlsd.study.scorecard import save

    first, _ = drill(repo, ["", 60, "", "1", 120, "", "", "", "n"])
    second, _ = drill(repo, ["", 60, "", "all", 120, "", "all", "", "y"])
    assert isinstance(first, Scorecard) and isinstance(second, Scorecard)
    second.started = "2026-01-02T09:30:00+00:00"
    save(first), save(second)
    assert main(["drill", "--history"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "started            ch    key points    time  status",
        "2026-01-01 00:00    2      1/6  16%    3:00  complete",
        "2026-01-02 09:30    2      6/6 100%    3:00  complete",
        "",
        "chapter 2: 2 sessions, 16% -> 100%",
    ]
    assert history_lines([]) != []

    (tmp_path / "data" / "drills" / "broken.json").write_text("{")
    assert main(["drill", "--history"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mlsd: error: ") and "broken.json: cannot read the scorecard" in err and err.count("\n") == 1


def test_a_clock_that_is_not_a_pipe_is_a_usage_error(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "clock").write_text("60\n")
    monkeypatch.setenv("MLSD_DRILL_CLOCK", str(tmp_path / "clock"))
    assert main(["drill", "2", "--root", str(repo)]) == 2
    assert capsys.readouterr().err == (
        f"mlsd: error: MLSD_DRILL_CLOCK={tmp_path / 'clock'} is not a named pipe (make one with mkfifo, or unset it)\n"
    )
