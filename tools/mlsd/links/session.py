"""One run of `mlsd links` against what it remembers: what is requested, and what is recorded.

A URL allowlisted until a review date, or checked ok within --max-age, is not requested;
the rest go to check_urls. Each result updates the URL's history entry, and a URL that
stays unverified for --escalate-after runs in a row is escalated. Only a run over every
URL forgets the URLs that left the content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from mlsd.links.check import Options, check_urls
from mlsd.links.origins import Origin
from mlsd.links.report import Finding, Note, Run
from mlsd.links.state import Allowance, History, describe_age, parse_timestamp
from mlsd.links.verdicts import Result


@dataclass(frozen=True)
class Policy:
    """Which URLs are requested again, how, and what the history keeps."""

    history: Path
    max_age: timedelta
    escalate_after: int
    options: Options
    whole_run: bool  # every URL was in scope, so the history forgets the others


def check_scope(
    policy: Policy,
    run: Run,
    scope: dict[str, list[Origin]],
    allowances: list[Allowance],
    allowlist_display: str,
    command: list[str],
    now: datetime,
    progress: Callable[[str], None],
) -> None:
    history, problem = History.load(policy.history)
    if problem:
        progress(f"warning: {problem}")
    allowed = {allowance.url: allowance for allowance in allowances}
    today = now.date()
    to_check = []
    for url, origins in scope.items():
        allowance = allowed.get(url)
        if allowance is not None and not allowance.expired(today):
            detail = f"allowlisted until {allowance.review_by}: {allowance.reason}; not requested"
            run.findings.append(Finding(url, origins, Result("unverified", detail), False, allowance=allowance))
            continue
        entry = history.fresh(url, now, policy.max_age)
        if entry is not None:
            age = describe_age(now - parse_timestamp(entry.checked_at))
            result = Result("ok", f"checked ok {age} ago; not requested", entry.status, entry.final_url)
            run.findings.append(Finding(url, origins, result, False))
            continue
        to_check.append(url)
    if len(to_check) < len(scope):
        progress(f"{len(scope) - len(to_check)} of {len(scope)} URLs need no request (recent history, allowlist)")
    results = check_urls(to_check, policy.options, command, progress=progress) if to_check else {}
    for url in to_check:
        result = results[url]
        entry = history.record(url, result.verdict, result.status, result.final_url, now)
        escalated = result.verdict == "unverified" and entry.consecutive_failures >= policy.escalate_after
        streak, since = entry.consecutive_failures, entry.first_failure
        finding = Finding(url, scope[url], result, True, escalated, streak, since, allowance=allowed.get(url))
        run.findings.append(finding)
        if finding.allowance is not None:  # an expired entry: checked again, so it can be retired or renewed
            run.notes.append(_expired_note(allowlist_display, finding.allowance, result))
    if policy.whole_run:
        history.prune(scope)
    history.save(policy.history)


def _expired_note(display: str, allowance: Allowance, result: Result) -> Note:
    when = f"review_by {allowance.review_by} has passed"
    if result.verdict == "ok":
        return Note(display, allowance.line, "unneeded", allowance.url, f"{when} and the URL is ok; remove the entry")
    if result.verdict == "moved":
        detail = f"{when} and the URL moved to {result.final_url}; update the content and remove the entry"
        return Note(display, allowance.line, "unneeded", allowance.url, detail)
    detail = f"{when}; checked again: {result.verdict}; fix the link or renew the entry with a new review_by"
    return Note(display, allowance.line, "expired", allowance.url, detail)
