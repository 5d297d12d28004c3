"""A verdict for each of LinkChecker's records: ok, moved, dead or unverified, and why.

LinkChecker's sharp edges that decide a verdict are listed in linkchecker.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from mlsd.links.linkchecker import Record

Verdict = Literal["ok", "moved", "dead", "unverified"]
PERMANENT = (301, 308)


@dataclass(frozen=True)
class Result:
    verdict: Verdict
    detail: str
    status: int | None = None
    final_url: str | None = None
    retry: bool = False  # transient, or dead for a reason worth confirming later in the run
    retry_after: float | None = None


def record_key(url: str) -> str:
    """A URL as LinkChecker's result cache sees it: case-folded scheme and host, no fragment."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.lower()
    except ValueError:
        return url
    default = {"http": ":80", "https": ":443"}.get(parts.scheme.lower())
    if default and netloc.endswith(default):
        netloc = netloc[: -len(default)]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def own_hops(url: str, record: Record) -> tuple[tuple[str, int], ...]:
    """The redirects that start at url, when record is a copy made for another URL's chain."""
    keys = [record_key(target) for target, _ in record.hops]
    if record_key(url) in keys:
        last = len(keys) - 1 - keys[::-1].index(record_key(url))
        return record.hops[last + 1 :]
    return record.hops


def _status(result: str) -> int | None:
    match = re.match(r"(\d{3})\b", result)
    return int(match.group(1)) if match else None


def _seconds(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None


def _is_home(url: str, target: str) -> bool:
    before, after = urlsplit(url), urlsplit(target)
    return before.path.strip("/") != "" and after.path.strip("/") == "" and not after.query


def classify(url: str, record: Record) -> Result:
    hops = own_hops(url, record)
    if any("robots.txt" in info for info in record.infos):
        return Result("unverified", "robots.txt does not allow checking it, so it was not requested")
    status = _status(record.result)
    if status is None and record.valid:  # "filtered", "syntax OK": LinkChecker looked at the text only
        return Result("unverified", f"LinkChecker did not request it ({record.result or 'no result'})")
    if status is None:
        return _failure(record.result)
    final = hops[-1][0] if hops else None
    via = f" after redirects to {final}" if final else ""
    reason = record.result
    if status == 429:
        wait = _seconds(record.retry_after)
        note = f"; Retry-After {record.retry_after}" if record.retry_after else ""
        return Result("unverified", f"{reason}: rate limited{note}{via}", status, final, True, wait)
    if status in (404, 410):
        return Result("dead", reason + via, status, final)
    if status >= 500:
        return Result("unverified", reason + via, status, final, retry=True)
    if status >= 400:
        return Result("unverified", f"{reason}{via}: the site refused the checker", status, final)
    if status >= 300:
        return Result("unverified", f"{reason}: a redirect without a usable Location{via}", status, final)
    permanent = []
    for target, code in hops:
        if code not in PERMANENT:
            break
        permanent.append(target)
    if permanent:
        new = permanent[-1]
        if _is_home(url, new):
            return Result(
                "unverified", f"{hops[0][1]} to the site's home page {new}: the page may be gone", status, new
            )
        return Result("moved", f"{hops[0][1]} permanent redirect to {new}", status, new)
    if hops:
        return Result("ok", f"{reason} after a {hops[0][1]} temporary redirect to {final}", status, final)
    return Result("ok", reason, status)


def _failure(text: str) -> Result:
    """An exception instead of an HTTP answer, from its text (which LinkChecker cuts at 240 characters)."""
    lowered = text.lower()
    if "toomanyredirects" in lowered:
        return Result("unverified", "redirect loop (more than 10 redirects)")
    if "timeout" in lowered or "timed out" in lowered:
        return Result("unverified", f"timed out: {_short(text)}", retry=True)
    if "sslerror" in lowered or "certificate" in lowered:
        return Result("unverified", f"TLS error: {_short(text)}")
    if "connection refused" in lowered or "errno 111" in lowered:
        return Result("dead", "connection refused", retry=True)
    if "remotedisconnected" in lowered or "connection aborted" in lowered or "connection reset" in lowered:
        return Result("unverified", "the server closed the connection without an answer", retry=True)
    if "failed to resolve" in lowered or "nameresolutionerror" in lowered or "hostname not found" in lowered:
        return Result("unverified", f"name lookup failed: {_short(text)}", retry=True)
    return Result("unverified", _short(text), retry=True)


def _short(text: str) -> str:
    text = re.sub(r"<[^>]*object at 0x[0-9a-f]+>", "", text)
    return text if len(text) <= 160 else text[:157] + "..."
