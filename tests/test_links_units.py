"""The pure parts of link checking: origins, LinkChecker's XML, verdicts, groups, history, --fix."""

from __future__ import annotations

import json
import socket
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from mlsd.links.check import Options, check_urls, groups
from mlsd.links.fix import replace_url, rewrite
from mlsd.links.guard import Guard, refused, review
from mlsd.links.linkchecker import Record, parse_xml
from mlsd.links.origins import collect, urls_in
from mlsd.links.state import History, load_allowlist, parse_age
from mlsd.links.verdicts import classify, own_hops

XML = """<?xml version="1.0" encoding="utf-8"?>
<linkchecker created="2026-01-01 00:00:00+000">
  <urldata>
    <url>https://a.test/old</url>
    <realurl>https://a.test/new</realurl>
    <warnings>
      <warning tag="http-redirected">Redirected to `https://a.test/mid' status: 301 Moved Permanently.</warning>
      <warning tag="http-redirected">Redirected to `https://a.test/new' status: 302 Found.</warning>
    </warnings>
    <valid result="200 OK">1</valid>
  </urldata>
  <urldata>
    <url>https://a.test/mid</url>
    <realurl>https://a.test/new</realurl>
    <warnings>
      <warning tag="http-redirected">Redirected to `https://a.test/mid' status: 301 Moved Permanently.</warning>
      <warning tag="http-redirected">Redirected to `https://a.test/new' status: 302 Found.</warning>
    </warnings>
    <valid result="200 OK">1</valid>
  </urldata>
  <urldata>
    <url>https://b.test/busy</url>
    <warnings><warning tag="http-rate-limited">Rate limited (Retry-After: 30)</warning></warnings>
    <valid result="429 Too Many Requests">1</valid>
  </urldata>
  <urldata>
    <url>https://b.test/cut</url>
    <valid result="ConnectionError: HTTPSConnectionPool(host='b.test', port=443): Max retries exce"""


def test_xml_records_survive_a_run_killed_midway() -> None:
    old, _, busy = parse_xml(XML)
    assert old.hops == (("https://a.test/mid", 301), ("https://a.test/new", 302))
    assert busy.retry_after == "30" and busy.valid and busy.real_url == "https://b.test/busy"


def test_a_record_copied_from_another_urls_chain_is_cut_to_its_own() -> None:
    old, mid, _ = parse_xml(XML)
    # LinkChecker logs /mid (a redirect target of /old) with /old's record, 301 included.
    assert own_hops("https://a.test/mid", mid) == (("https://a.test/new", 302),)
    assert classify("https://a.test/mid", mid).verdict == "ok"
    assert classify("https://a.test/old", old).verdict == "moved"
    assert classify("https://a.test/old", old).final_url == "https://a.test/mid"


def test_429_is_unverified_with_its_retry_after() -> None:
    result = classify("https://b.test/busy", parse_xml(XML)[2])
    assert (result.verdict, result.retry, result.retry_after) == ("unverified", True, 30.0)


@pytest.mark.parametrize(
    ("text", "verdict", "retry"),
    [
        ("ReadTimeout: HTTPSConnectionPool(host='x', port=443): Read timed out.", "unverified", True),
        ("SSLError: HTTPSConnectionPool(host='x', port=443): certificate verify failed", "unverified", False),
        ("TooManyRedirects: Exceeded 10 redirects.", "unverified", False),
        ("ConnectionError: ... [Errno 111] Connection refused", "dead", True),
        ("ConnectionError: ('Connection aborted.', RemoteDisconnected('closed'))", "unverified", True),
    ],
)
def test_failures_without_an_http_answer(text: str, verdict: str, retry: bool) -> None:
    result = classify("https://x/", Record("https://x/", "https://x/", False, text))
    assert (result.verdict, result.retry) == (verdict, retry)


def test_a_refusal_cut_off_by_linkchecker_is_confirmed_with_a_connect() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # LinkChecker cuts error texts at 240 characters, often before "Connection refused".
    text = f"ConnectionError: HTTPConnectionPool(host='127.0.0.1', port={port}): Max retries exceeded (Caus..."
    record = Record(f"http://127.0.0.1:{port}/x", f"http://127.0.0.1:{port}/x", False, text)
    guard = Guard(socket.getaddrinfo, allow_private=True, content={("127.0.0.1", port)})
    assert refused("127.0.0.1", port, 1.0)
    assert review(record.url, record, guard, 1.0).verdict == "dead"


def test_urls_and_their_lines_in_yaml(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    (tmp_path / "resources.yaml").write_text(
        "resources:\n"
        "  - url: https://a.test/x  # comment\n"
        "    description: >-\n"
        "      Folded prose that mentions\n"
        "      https://a.test/x, then (https://b.test/wiki/Foo_(bar)).\n"
        '    quoted: "see https://c.test/\\u00e9 and https://a.test/y."\n'
    )
    (tmp_path / "cases" / "c.yaml").write_text("summary: |\n  line one\n  see https://a.test/x\n")
    (tmp_path / "cases" / "broken.yaml").write_text("summary: [\n")
    found, unreadable = collect(tmp_path)
    assert {url: [(o.path, o.line) for o in origins] for url, origins in found.items()} == {
        "https://a.test/x": [("cases/c.yaml", 3), ("resources.yaml", 2), ("resources.yaml", 5)],
        "https://a.test/y": [("resources.yaml", 6)],
        "https://b.test/wiki/Foo_(bar)": [("resources.yaml", 5)],
        "https://c.test/é": [("resources.yaml", 6)],  # an escape: the scalar's own line
    }
    [message] = unreadable  # the parser's wording differs between libyaml and pure Python
    assert message.startswith("cases/broken.yaml:2:1: ")


def test_prose_urls_lose_the_punctuation_around_them() -> None:
    assert urls_in("(see https://x.test/a.) or https://x.test/b], and https://x.test/c?q=1;") == [
        "https://x.test/a",
        "https://x.test/b",
        "https://x.test/c?q=1",
    ]
    assert urls_in("  https://x.test/whole.value.  ") == ["https://x.test/whole.value."]


def test_groups_keep_each_host_in_one_process_and_balance_the_load() -> None:
    urls = [f"https://h{host}.test/{page}" for host in range(5) for page in range(host + 1)]
    batches = groups(urls, 2)
    hosts = [{url.split("/")[2] for url in batch} for batch in batches]
    assert len(batches) == 2 and not hosts[0] & hosts[1]
    assert sorted(len(batch) for batch in batches) == [7, 8]
    # Interleaved, so consecutive URLs seldom wait for the same host.
    assert batches[0][:2] == ["https://h4.test/0", "https://h1.test/0"]
    assert groups(urls, 50) == [[url for url in urls if url.startswith(f"https://h{h}.")] for h in (4, 3, 2, 1, 0)]


def test_history_counts_failures_in_a_row_and_forgets_them_on_success(tmp_path: Path) -> None:
    history, now = History(), datetime(2026, 1, 1, tzinfo=timezone.utc)
    history.record("u", "unverified", 503, None, now)
    history.record("u", "dead", 404, None, now + timedelta(days=1))
    entry = history.record("u", "unverified", 503, None, now + timedelta(days=2))
    assert (entry.consecutive_failures, entry.first_failure) == (3, "2026-01-01T00:00:00Z")
    entry = history.record("u", "ok", 200, None, now + timedelta(days=3))
    assert (entry.consecutive_failures, entry.first_failure) == (0, None)
    assert history.fresh("u", now + timedelta(days=4), parse_age("2d")) is not None
    assert history.fresh("u", now + timedelta(days=6), parse_age("2d")) is None
    path = tmp_path / "h.json"
    history.save(path)
    assert History.load(path)[0].entries == history.entries
    path.write_text("{not json")
    empty, warning = History.load(path)
    assert empty.entries == {} and warning is not None and "starting a new history" in warning
    path.write_text(json.dumps({"version": 99, "urls": {}}))
    assert "history version 99" in (History.load(path)[1] or "")


def test_durations() -> None:
    assert parse_age("7d") == timedelta(days=7) and parse_age("12h") == timedelta(hours=12)
    assert parse_age("0") == timedelta(0)
    with pytest.raises(ValueError):
        parse_age("7")


def test_allowlist_entries_keep_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "allow.yaml"
    path.write_text("- url: https://a.test/\n  reason: bot wall\n  review_by: 2030-05-01\n")
    [entry], problems = load_allowlist(path, "allow.yaml")
    assert problems == [] and entry.line == 1 and entry.review_by == date(2030, 5, 1)
    assert entry.expired(date(2030, 5, 2)) and not entry.expired(date(2030, 5, 1))


def test_rewrite_refuses_an_edit_that_would_change_more_than_the_url() -> None:
    text = "url: 'https://a.test/old'\nnote: https://a.test/old-and-more\n"
    assert rewrite(text, [(1, "https://a.test/old", "https://a.test/new")]) == (
        "url: 'https://a.test/new'\nnote: https://a.test/old-and-more\n"
    )
    # The new URL holds a quote that would end the single-quoted scalar early.
    assert rewrite(text, [(1, "https://a.test/old", "https://a.test/it's")]) is None
    assert replace_url("https://a.test/old.", "https://a.test/old", "N") == "N."
    assert replace_url("https://a.test/old.html", "https://a.test/old", "N") == "https://a.test/old.html"


def test_a_linkchecker_that_fails_leaves_its_urls_unverified_and_says_why() -> None:
    broken = [sys.executable, "-c", "import sys; print('config error: bad option', file=sys.stderr); sys.exit(2)"]
    messages: list[str] = []
    options = Options(retries=0, allow_private=True)
    results = check_urls(["http://127.0.0.1:9/x"], options, broken, progress=messages.append)
    assert results["http://127.0.0.1:9/x"].verdict == "unverified"
    assert results["http://127.0.0.1:9/x"].detail == "LinkChecker gave no result for it"
    assert "warning: LinkChecker exited with 2: config error: bad option" in messages
