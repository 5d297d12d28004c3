"""Time and input for the drill, as events on one queue, so that a test controls time without sleeping.

The drill waits on a single queue for what happens next: a typed line, the end of input,
or a tick that says time may have moved. A clock reports the time and wakes the drill with
ticks: the system clock every quarter second; a test's clock when the test advances it. A
pipe clock reads the seconds to advance from a named pipe (MLSD_DRILL_CLOCK), so a test
can drive `mlsd drill` in a real terminal with no real waiting.
"""

from __future__ import annotations

import codecs
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol

from mlsd.errors import UsageError

CLOCK_ENV = "MLSD_DRILL_CLOCK"


@dataclass(frozen=True)
class Line:
    text: str


@dataclass(frozen=True)
class Tick:
    pass


@dataclass(frozen=True)
class EndOfInput:
    pass


Event = Line | Tick | EndOfInput
Wake = Callable[[Event], None]


class Events(Protocol):
    def get(self) -> Event: ...


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def now(self) -> datetime: ...

    def start(self, wake: Wake) -> None:
        """Begin putting a Tick on the drill's queue whenever time may have passed a deadline."""


def _daemon(target: Callable[[], None]) -> None:
    threading.Thread(target=target, daemon=True).start()


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def start(self, wake: Wake) -> None:
        def tick() -> None:
            while True:
                time.sleep(0.25)
                wake(Tick())

        _daemon(tick)


class ManualClock:
    """Time that moves only when told: `advance(seconds)`."""

    def __init__(self, start: datetime | None = None) -> None:
        self.seconds = 0.0
        self.started = start or datetime(2026, 1, 1, tzinfo=timezone.utc)
        self._wake: Wake | None = None

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.started.timestamp() + self.seconds, timezone.utc)

    def start(self, wake: Wake) -> None:
        self._wake = wake

    def advance(self, seconds: float) -> None:
        self.seconds += seconds
        if self._wake is not None:
            self._wake(Tick())


class PipeClock(ManualClock):
    """A manual clock advanced by the numbers written, one a line, to a named pipe."""

    def __init__(self, path: str) -> None:
        super().__init__(datetime.now(timezone.utc))
        self.path = path

    def start(self, wake: Wake) -> None:
        super().start(wake)

        def listen() -> None:
            for line in _LineIterator(os.open(self.path, os.O_RDONLY)):
                try:
                    seconds = float(line)
                except ValueError:
                    continue  # a line that is not a number moves nothing
                self.advance(seconds)

        _daemon(listen)


class _LineIterator:
    """Lines read with os.read: no buffered reader whose lock a daemon thread would hold at exit."""

    def __init__(self, fd: int) -> None:
        self.fd, self.pending = fd, ""
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def __iter__(self) -> _LineIterator:
        return self

    def __next__(self) -> str:
        while "\n" not in self.pending:
            chunk = os.read(self.fd, 4096)
            if not chunk:
                if self.pending:
                    line, self.pending = self.pending, ""
                    return line
                raise StopIteration
            self.pending += self.decoder.decode(chunk)
        line, self.pending = self.pending.split("\n", 1)
        return line.removesuffix("\r")


def read_input(fd: int, wake: Wake) -> None:
    """Put each line typed on fd on the queue, then EndOfInput."""

    def read() -> None:
        try:
            for line in _LineIterator(fd):
                wake(Line(line))
        except OSError:
            pass
        wake(EndOfInput())

    _daemon(read)


def clock_from_environment() -> Clock:
    path = os.environ.get(CLOCK_ENV)
    if not path:
        return SystemClock()
    if not (os.path.exists(path) and stat.S_ISFIFO(os.stat(path).st_mode)):
        raise UsageError(f"{CLOCK_ENV}={path} is not a named pipe (make one with mkfifo, or unset it)")
    return PipeClock(path)
