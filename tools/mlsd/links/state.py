"""What the link check remembers between runs, and what maintainers told it to leave alone.

The history is a JSON file outside the content (CI caches it between runs): for every URL
its last verdict, status and final URL, when it was checked, and for how many runs in a row
it has failed since when. It lets a run skip URLs checked ok recently (--max-age) and
escalate a URL that stays unverified run after run, which no single run can tell apart
from a bad day.

The allowlist is a YAML file kept in the repository, reviewed like content: each entry is a
URL, the reason it is not checked, and the date by which someone looks at it again. Until
then the URL is not requested; after that it is checked like any other, and an entry whose
URL is ok again, or gone from the content, is reported as no longer needed.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from mlsd.errors import InvalidAllowlist
from mlsd.files import write_atomic
from mlsd.loader import load
from mlsd.problems import Problem, field_path

HISTORY_FILE = ".cache/mlsd/links-history.json"
ALLOWLIST_FILE = "links-allowlist.yaml"
HISTORY_VERSION = 1
FAILURES = ("dead", "unverified")


def parse_age(text: str) -> timedelta:
    """'7d', '12h', '30m', '90s' or '0' -> a duration; ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d+)\s*([dhms]?)\s*", text)
    if match is None or (match.group(2) == "" and match.group(1) != "0"):
        raise ValueError(f"'{text}' is not a duration such as 7d, 12h, 30m or 0")
    unit = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds", "": "seconds"}[match.group(2)]
    return timedelta(**{unit: int(match.group(1))})


def describe_age(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass
class Entry:
    verdict: str
    status: int | None
    final_url: str | None
    first_failure: str | None
    consecutive_failures: int
    checked_at: str


class History:
    def __init__(self, entries: dict[str, Entry] | None = None) -> None:
        self.entries = entries or {}

    @classmethod
    def load(cls, path: Path) -> tuple[History, str | None]:
        """The history, or an empty one and why: a damaged cache must never stop a run."""
        if not path.is_file():
            return cls(), None
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("version") != HISTORY_VERSION:
                return cls(), f"{path} has history version {document.get('version')!r}; starting a new history"
            entries = {url: Entry(**fields) for url, fields in document["urls"].items()}
            for entry in entries.values():
                parse_timestamp(entry.checked_at)
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            return cls(), f"{path} is not a link history ({type(error).__name__}: {error}); starting a new history"
        return cls(entries), None

    def save(self, path: Path) -> None:
        document = {
            "version": HISTORY_VERSION,
            "urls": {url: asdict(self.entries[url]) for url in sorted(self.entries)},
        }
        write_atomic(path, json.dumps(document, indent=1, ensure_ascii=False) + "\n")

    def fresh(self, url: str, now: datetime, max_age: timedelta) -> Entry | None:
        """The entry when the URL was checked ok less than max_age ago."""
        entry = self.entries.get(url)
        if entry is None or entry.verdict != "ok" or max_age <= timedelta(0):
            return None
        return entry if now - parse_timestamp(entry.checked_at) < max_age else None

    def record(self, url: str, verdict: str, status: int | None, final_url: str | None, now: datetime) -> Entry:
        previous = self.entries.get(url)
        failing = verdict in FAILURES
        streak = previous.consecutive_failures if previous and failing else 0
        first = previous.first_failure if previous and failing and previous.consecutive_failures else None
        entry = Entry(
            verdict=verdict,
            status=status,
            final_url=final_url,
            first_failure=(first or timestamp(now)) if failing else None,
            consecutive_failures=streak + 1 if failing else 0,
            checked_at=timestamp(now),
        )
        self.entries[url] = entry
        return entry

    def prune(self, keep: Iterable[str]) -> int:
        wanted = set(keep)
        gone = [url for url in self.entries if url not in wanted]
        for url in gone:
            del self.entries[url]
        return len(gone)


@dataclass(frozen=True)
class Allowance:
    url: str
    reason: str
    review_by: date
    line: int

    def expired(self, today: date) -> bool:
        return self.review_by < today


ALLOWLIST_KEYS = ("url", "reason", "review_by")
ALLOWLIST_HINT = "each entry is '- url: https://...' with 'reason: ...' and 'review_by: YYYY-MM-DD'"


def load_allowlist(path: Path, display: str) -> tuple[list[Allowance], list[Problem]]:
    document, problems = load(path, display)
    if document is None:
        return [], problems
    data = document.data
    if not isinstance(data, list):
        line, col = document.locate(())
        return [], [
            Problem(display, line, col, "allowlist", "", "the allowlist must be a list of entries", ALLOWLIST_HINT)
        ]
    entries: list[Allowance] = []
    seen: dict[str, int] = {}

    def problem(loc: tuple[str | int, ...], message: str, hint: str | None = ALLOWLIST_HINT, key: bool = False) -> None:
        line, col = document.locate(loc, key=key)
        problems.append(Problem(display, line, col, "allowlist", field_path(loc), message, hint))

    for index, item in enumerate(data):
        if not isinstance(item, dict):
            problem((index,), "an entry must be a mapping with url, reason and review_by")
            continue
        before = len(problems)
        for key in item:
            if key not in ALLOWLIST_KEYS:
                problem((index, str(key)), f"unknown key '{key}'", f"allowed keys: {', '.join(ALLOWLIST_KEYS)}", True)
        url, reason, review_by = item.get("url"), item.get("reason"), item.get("review_by")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            problem((index, "url") if "url" in item else (index,), "url must be an http or https URL")
        if not isinstance(reason, str) or not reason.strip():
            problem((index, "reason") if "reason" in item else (index,), "reason must say why the URL is not checked")
        if isinstance(review_by, str):
            with contextlib.suppress(ValueError):  # reported below as not a date
                review_by = date.fromisoformat(review_by)
        if not isinstance(review_by, date) or isinstance(review_by, datetime):
            problem(
                (index, "review_by") if "review_by" in item else (index,),
                "review_by must be a date (YYYY-MM-DD) by which someone checks the entry again",
            )
        if len(problems) > before:
            continue
        assert isinstance(url, str) and isinstance(reason, str) and isinstance(review_by, date)
        line, _ = document.locate((index,))
        if url in seen:
            problem((index, "url"), f"the URL is already allowed at line {seen[url]}", "keep one entry per URL")
            continue
        seen[url] = line
        entries.append(Allowance(url, reason.strip(), review_by, line))
    return entries, problems


def read_allowlist(root: Path, given: Path | None) -> tuple[list[Allowance], str]:
    """The allowlist (--allowlist, else the root's if present) and how to name it; InvalidAllowlist when broken."""
    path = given if given is not None else root / ALLOWLIST_FILE
    if given is not None and not given.is_file():
        raise InvalidAllowlist(f"--allowlist {given} does not exist")
    if not path.is_file():
        return [], ALLOWLIST_FILE
    try:
        display = path.resolve().relative_to(root).as_posix()
    except ValueError:
        display = str(path)
    entries, problems = load_allowlist(path, display)
    if problems:
        raise InvalidAllowlist(f"{display} is not a valid allowlist", problems)
    return entries, display
