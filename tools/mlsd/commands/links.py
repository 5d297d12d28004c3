"""`mlsd links`: check every URL of the content, and the generated Markdown's internal links.

The command gathers the URLs with their origins, sets aside what need not be requested
(checked ok within --max-age, allowlisted until a review date, outside --changed-since), has
LinkChecker check the rest (links.py), keeps the history (linkstate.py) and reports each
origin of each URL. Only a dead link fails the run: an unverified result is usually the
weather (a rate limit, a bot wall, a slow server) and is escalated when it lasts, not failed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from mlsd.commands.arguments import CONTENT_FILES, repository_file
from mlsd.content import kind_of
from mlsd.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from mlsd.files import write_atomic
from mlsd.linkchecker import INSTALL_HINT, LINKCHECKER_VERSION, Result, find_linkchecker, linkchecker_version
from mlsd.linkreport import Finding, Note, Run, format_github, format_json, format_markdown, format_text
from mlsd.links import Options, Origin, check_urls, collect, rewrite
from mlsd.linkstate import (
    ALLOWLIST_FILE,
    HISTORY_FILE,
    Allowance,
    History,
    describe_age,
    load_allowlist,
    parse_age,
    parse_timestamp,
)
from mlsd.mdlinks import check_markdown, markdown_files
from mlsd.output import ColorChoice, Format, add_report_options, use_color
from mlsd.problems import report as problem_report
from mlsd.urls import canonical_url, check_url

CONTENT_PATHSPECS = ("resources.yaml", "cases", "frameworks")


def _at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _age(text: str) -> timedelta:
    try:
        return parse_age(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_arguments(links: argparse.ArgumentParser) -> None:
    links.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="only these content files (their URLs) or Markdown files (their internal links); default: all",
    )
    add_report_options(links)
    links.add_argument("--report", metavar="FILE", help="also write a Markdown report, e.g. for an issue body")
    links.add_argument("--verbose", "-v", action="store_true", help="also list ok, cached and allowlisted URLs")
    links.add_argument(
        "--history", metavar="FILE", type=Path, help=f"the run history (default: {HISTORY_FILE} under the root)"
    )
    links.add_argument(
        "--allowlist", metavar="FILE", type=Path, help=f"URLs not to request (default: {ALLOWLIST_FILE}, if present)"
    )
    links.add_argument(
        "--max-age",
        type=_age,
        default=parse_age("0"),
        metavar="AGE",
        help="skip URLs checked ok within AGE, e.g. 7d, 12h (default: 0, check everything)",
    )
    links.add_argument(
        "--changed-since",
        metavar="REF",
        help="only URLs on lines added since the git REF (for pull requests), e.g. origin/main",
    )
    links.add_argument(
        "--escalate-after",
        type=_at_least(1),
        default=3,
        metavar="N",
        help="escalate a URL unverified in N runs in a row (default: 3)",
    )
    links.add_argument("--fix", action="store_true", help="rewrite moved URLs in the YAML files, keeping the layout")
    links.add_argument("--offline", action="store_true", help="request nothing; check only the internal links")
    links.add_argument(
        "--allow-private",
        action="store_true",
        help="allow the exact host and port of each content URL even when it resolves to a private or loopback "
        "address (a local test server); any other private destination, a redirect or another port included, "
        "is still refused before it is requested",
    )
    links.add_argument(
        "--workers", type=_at_least(1), default=8, metavar="N", help="LinkChecker processes (default: 8)"
    )
    links.add_argument("--timeout", type=_at_least(1), default=20, metavar="SECONDS", help="per request (default: 20)")
    links.add_argument(
        "--retries", type=_at_least(0), default=2, metavar="N", help="retries of transient failures (default: 2)"
    )
    links.add_argument(
        "--backoff",
        type=_seconds,
        default=2.0,
        metavar="SECONDS",
        help="first wait before a retry, doubled each time; a longer Retry-After wins (default: 2)",
    )


# --- the run ---------------------------------------------------------------------------------


def _selected(root: Path, paths: Sequence[str]) -> tuple[set[str], set[Path]]:
    content, markdown = set(), set()
    for name in paths:
        path, relative = repository_file(root, name)
        if kind_of(relative) is not None:
            content.add(relative)
        elif path.suffix.lower() == ".md":
            markdown.add(path)
        else:
            raise UsageError(f"{name} is neither a content file ({CONTENT_FILES}) nor Markdown")
    return content, markdown


def changed_lines(root: Path, ref: str) -> dict[str, set[int]]:
    """Lines of content files added since ref (committed or not), and every line of new untracked files."""
    if ref.startswith("-"):
        raise UsageError(f"--changed-since {ref}: a git ref does not start with '-'")
    git = ["git", "-C", str(root), "-c", "core.quotepath=off"]
    # Explicit prefixes and --relative: a user's diff.noprefix or a content root below the
    # repository's top would otherwise change the paths the diff prints.
    arguments = ["diff", "--no-color", "--no-ext-diff", "--relative", "-U0", "--src-prefix=a/", "--dst-prefix=b/"]
    try:
        diff = subprocess.run([*git, *arguments, ref, "--", *CONTENT_PATHSPECS], capture_output=True, text=True)
        untracked = subprocess.run(
            [*git, "ls-files", "--others", "--exclude-standard", "--", *CONTENT_PATHSPECS],
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which was not found") from None
    if diff.returncode != 0:
        reason = (diff.stderr.strip().splitlines() or ["git diff failed"])[-1]
        raise UsageError(f"--changed-since {ref}: {reason}")
    added: dict[str, set[int]] = {}
    current: str | None = None
    for line in diff.stdout.splitlines():
        if line.startswith("+++ "):
            current = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("@@") and current is not None:
            hunk = re.match(r"@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", line)
            if hunk:
                start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
                added.setdefault(current, set()).update(range(start, start + count))
    for name in untracked.stdout.splitlines() if untracked.returncode == 0 else []:
        path = root / name
        if path.is_file():
            added[name] = set(range(1, path.read_text(encoding="utf-8", errors="replace").count("\n") + 2))
    return added


def _progress(message: str) -> None:
    print(f"mlsd: {message}", file=sys.stderr)


def _allowlist(root: Path, given: Path | None) -> tuple[list[Allowance], str]:
    path = given if given is not None else root / ALLOWLIST_FILE
    if given is not None and not given.is_file():
        raise UsageError(f"--allowlist {given} does not exist")
    if not path.is_file():
        return [], ALLOWLIST_FILE
    try:
        display = path.resolve().relative_to(root).as_posix()
    except ValueError:
        display = str(path)
    entries, problems = load_allowlist(path, display)
    if problems:
        sys.stderr.write(problem_report(problems, 1, "text", False))
        raise UsageError(f"{display} is not a valid allowlist")
    return entries, display


@dataclass(frozen=True)
class _Policy:
    """Which URLs are requested again, how, and what the history keeps."""

    history: Path
    max_age: timedelta
    escalate_after: int
    options: Options
    whole_run: bool  # every URL was in scope, so the history forgets the others


def run(
    root: Path,
    paths: list[str],
    format: Format,
    color: ColorChoice,
    report: str | None,
    verbose: bool,
    history: Path | None,
    allowlist: Path | None,
    max_age: timedelta,
    changed_since: str | None,
    escalate_after: int,
    fix: bool,
    offline: bool,
    allow_private: bool,
    workers: int,
    timeout: int,
    retries: int,
    backoff: float,
) -> int:
    content_paths, markdown_paths = _selected(root, paths)
    external = not paths or bool(content_paths)
    internal = not paths or bool(markdown_paths)
    command: list[str] | None = None
    if external and not offline:
        command = find_linkchecker()
        if command is None:
            raise UsageError(f"mlsd links needs LinkChecker, which is not installed; run: {INSTALL_HINT}")
        version = linkchecker_version()
        if version is not None and version != LINKCHECKER_VERSION:
            _progress(f"warning: mlsd links is tested with LinkChecker {LINKCHECKER_VERSION}, found {version}")
    allowances, allowlist_display = _allowlist(root, allowlist)
    now = datetime.now(timezone.utc)
    run = Run(max_age=describe_age(max_age), checked_at=now.strftime("%Y-%m-%d %H:%M UTC"))
    if internal:
        try:
            run.broken, run.internal_links = check_markdown(root, sorted(markdown_paths) or markdown_files(root))
        except ImportError:
            raise UsageError(
                f"checking Markdown links needs markdown-it-py and mdit-py-plugins; run: {INSTALL_HINT}"
            ) from None
    if command is not None:
        found, unreadable = collect(root, content_paths or None)
        for message in unreadable:
            _progress(f"skipping {message} (run 'mlsd validate')")
        run.total_urls = len(found)
        scope = found
        if changed_since:
            added = changed_lines(root, changed_since)
            scope = {
                url: origins for url, origins in found.items() if any(o.line in added.get(o.path, ()) for o in origins)
            }
        run.engine = f"LinkChecker {linkchecker_version() or '(unknown version)'}"
        policy = _Policy(
            history=history if history is not None else root / HISTORY_FILE,
            max_age=max_age,
            escalate_after=escalate_after,
            options=Options(
                timeout=timeout, retries=retries, backoff=backoff, workers=workers, allow_private=allow_private
            ),
            whole_run=not paths and not changed_since,
        )
        _check(policy, run, scope, allowances, allowlist_display, command, now)
        if not paths:
            gone = "no longer in the content; remove the entry"
            unneeded = [allowance for allowance in allowances if allowance.url not in found]
            run.notes += [Note(allowlist_display, item.line, "unneeded", item.url, gone) for item in unneeded]
        if fix:
            _fix(root, run)
    run.notes.sort()
    formatter = {"json": format_json, "github": format_github}.get(format, format_text)
    sys.stdout.write(formatter(run, verbose, use_color(color, sys.stdout)))
    if report:
        write_atomic(Path(report), format_markdown(run))
        _progress(f"wrote {report}")
    return EXIT_PROBLEMS if run.failed() else EXIT_OK


def _check(
    policy: _Policy,
    run: Run,
    scope: dict[str, list[Origin]],
    allowances: list[Allowance],
    allowlist_display: str,
    command: list[str],
    now: datetime,
) -> None:
    history, problem = History.load(policy.history)
    if problem:
        _progress(f"warning: {problem}")
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
        _progress(f"{len(scope) - len(to_check)} of {len(scope)} URLs need no request (recent history, allowlist)")
    results = check_urls(to_check, policy.options, command, progress=_progress) if to_check else {}
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


# --- --fix -----------------------------------------------------------------------------------


def _fix(root: Path, run: Run) -> None:
    edits: dict[str, list[tuple[int, str, str]]] = {}
    targets: dict[str, list[Finding]] = {}
    for finding in run.findings:
        new = finding.result.final_url
        if finding.result.verdict != "moved" or not finding.requested or not new:
            continue
        if check_url(new) and not check_url(canonical_url(new)):
            new = canonical_url(new)  # drop the tracking parameters a redirect added
        problems = check_url(new)
        if problems and not check_url(finding.url):
            finding.fix = f"not fixed: the new URL breaks the content rules ({problems[0].message})"
            continue
        for origin in finding.origins:
            edits.setdefault(origin.path, []).append((origin.line, finding.url, new))
            targets.setdefault(origin.path, []).append(finding)
    rewritten = 0
    for path, file_edits in sorted(edits.items()):
        text = (root / path).read_text(encoding="utf-8")
        changed = rewrite(text, file_edits)
        refused = f"not fixed: rewriting {path} would change more than the URL"
        for finding in targets[path]:
            finding.fix = "fixed" if changed is not None else refused
        if changed is not None and changed != text:
            write_atomic(root / path, changed)
            rewritten += 1
    if rewritten:
        _progress(f"rewrote moved URLs in {rewritten} files; run 'mlsd validate' to check them against the rules")
