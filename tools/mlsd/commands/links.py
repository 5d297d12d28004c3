"""`mlsd links`: check every URL of the content, and the generated Markdown's internal links.

The command gathers the URLs with their origins, sets aside what need not be requested
(checked ok within --max-age, allowlisted until a review date, outside --changed-since), has
LinkChecker check the rest (mlsd.links), keeps the history and reports each
origin of each URL. Only a dead link fails the run: an unverified result is usually the
weather (a rate limit, a bot wall, a slow server) and is escalated when it lasts, not failed.
When the resolver or the network is down for the run, nothing is judged: the run exits 4
(NetworkUnavailable) and writes neither the history nor the report.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from mlsd.commands.arguments import CONTENT_FILES, repository_file
from mlsd.content import kind_of
from mlsd.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from mlsd.files import write_atomic
from mlsd.links import (
    ALLOWLIST_FILE,
    HISTORY_FILE,
    INSTALL_HINT,
    LINKCHECKER_VERSION,
    Note,
    Options,
    Policy,
    Run,
    changed_lines,
    check_markdown,
    check_scope,
    collect,
    describe_age,
    find_linkchecker,
    fix_moved,
    format_github,
    format_json,
    format_markdown,
    format_text,
    linkchecker_version,
    markdown_files,
    parse_age,
    parse_server,
    read_allowlist,
)
from mlsd.output import ColorChoice, Format, add_report_options, use_color


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


def _dns_server(text: str) -> str:
    try:
        parse_server(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


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
        "--dns-server",
        type=_dns_server,
        metavar="ADDRESS[:PORT]",
        help="look names up at this DNS server, e.g. 127.0.0.1:5353 (default: the system's, from /etc/resolv.conf)",
    )
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


def _progress(message: str) -> None:
    print(f"mlsd: {message}", file=sys.stderr)


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
    dns_server: str | None,
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
    allowances, allowlist_display = read_allowlist(root, allowlist)
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
        policy = Policy(
            history=history if history is not None else root / HISTORY_FILE,
            max_age=max_age,
            escalate_after=escalate_after,
            options=Options(
                timeout=timeout,
                retries=retries,
                backoff=backoff,
                workers=workers,
                allow_private=allow_private,
                dns_server=dns_server,
            ),
            whole_run=not paths and not changed_since,
        )
        check_scope(policy, run, scope, allowances, allowlist_display, command, now, _progress)
        if not paths:
            gone = "no longer in the content; remove the entry"
            unneeded = [allowance for allowance in allowances if allowance.url not in found]
            run.notes += [Note(allowlist_display, item.line, "unneeded", item.url, gone) for item in unneeded]
        if fix:
            fix_moved(root, run, _progress)
    run.notes.sort()
    formatter = {"json": format_json, "github": format_github}.get(format, format_text)
    sys.stdout.write(formatter(run, verbose, use_color(color, sys.stdout)))
    if report:
        write_atomic(Path(report), format_markdown(run))
        _progress(f"wrote {report}")
    return EXIT_PROBLEMS if run.failed() else EXIT_OK
