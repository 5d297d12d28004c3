"""`mlsd links` end to end: LinkChecker against a real fault server on 127.0.0.1.

Nothing here reaches beyond loopback: every URL is built from a FaultServer's address or
a closed port on 127.0.0.1, and the made-up names (one that must not exist, one that resolves
elsewhere during the run) are answered by a resolver passed in, never by DNS. Timeouts,
retries and backoffs are short so the module stays fast.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from conftest import HEAD_LINE, make_repo, require
from faultserver import FaultServer
from mlsd.cli import main
from mlsd.commands import links as links_command
from mlsd.links import Options, Result, check_urls

FAST = ["--timeout", "2", "--retries", "1", "--backoff", "0.1"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def run_json(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, dict[str, Any]]:
    code = main(["links", *arguments, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def by_url(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["url"]: item for item in document["urls"]}


def test_every_verdict_against_the_fault_server(
    linkchecker: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with ExitStack() as stack:
        # Four hosts, so four LinkChecker processes share the politeness gaps.
        a, b, c, d = (stack.enter_context(FaultServer(slow_seconds=5)) for _ in range(4))
        refused = f"http://127.0.0.1:{closed_port()}/nothing-listens"
        expected = {
            a.url("/ok"): ("ok", "200 OK"),
            a.url("/moved"): ("moved", f"301 permanent redirect to {a.url('/ok')}"),
            a.url("/moved-chain"): ("moved", f"301 permanent redirect to {a.url('/ok')}"),
            # LinkChecker logs this one as a copy of /moved-chain's record (301 then 308).
            a.url("/moved-chain-2"): ("moved", f"308 permanent redirect to {a.url('/ok')}"),
            a.url("/found"): ("ok", f"200 OK after a 302 temporary redirect to {a.url('/ok')}"),
            a.url("/moved-home"): ("unverified", f"301 to the site's home page {a.url('/')}: the page may be gone"),
            a.url("/moved-missing"): ("dead", f"404 Not Found after redirects to {a.url('/missing')}"),
            b.url("/missing"): ("dead", "404 Not Found"),
            b.url("/gone"): ("dead", "410 Gone"),
            b.url("/forbidden"): ("unverified", "403 Forbidden: the site refused the checker"),
            b.url("/limited"): ("unverified", "429 Too Many Requests: rate limited; Retry-After 1"),
            b.url("/limited-once"): ("ok", "200 OK"),
            c.url("/error"): ("unverified", "500 Internal Server Error"),
            c.url("/unavailable"): ("unverified", "503 Service Unavailable"),
            c.url("/unavailable-once"): ("ok", "200 OK"),
            c.url("/slow"): ("unverified", "timed out: ReadTimeout"),
            c.url("/drop"): ("unverified", "the server closed the connection without an answer"),
            d.url("/loop"): ("unverified", "redirect loop (more than 10 redirects)"),
            d.url("/to-private"): (
                "dead",
                f"refused: redirects to http://localhost:{d.port}/ok, and 'localhost' resolves to the non-public"
                " address 127.0.0.1",
            ),
            d.url("/private-area/page"): ("unverified", "robots.txt does not allow checking it"),
            d.url("/tls").replace("http:", "https:"): ("unverified", "TLS error: SSLError"),
            refused: ("dead", "connection refused"),
        }
        repo = make_repo(tmp_path / "repo", list(expected))
        # The same dead URL in prose elsewhere: it is reported at each of its lines.
        case = repo / "cases" / "tiny-rag.yaml"
        case.write_text(case.read_text().replace("citing them.", f"citing them (see {b.url('/missing')})."))
        report = tmp_path / "report.md"

        code, document = run_json(
            capsys, "--root", str(repo), "--allow-private", "--workers", "4", "--report", str(report), *FAST
        )

        results = by_url(document)
        assert code == 1
        assert {url: results[url]["verdict"] for url in expected} == {url: v for url, (v, _) in expected.items()}
        for url, (_, detail) in expected.items():
            assert results[url]["detail"].startswith(detail), url
        assert results[a.url("/moved")]["final_url"] == a.url("/ok")
        assert results[b.url("/missing")]["origins"] == [
            {"path": "cases/tiny-rag.yaml", "line": line_of(case, "/missing")},
            {"path": "resources.yaml", "line": line_of(repo / "resources.yaml", b.url("/missing"))},
        ]
        # No transient failure fails the run on its own: it is retried, honouring Retry-After.
        first, second = b.times("/limited-once")
        assert second - first >= 1.0
        assert c.hits("/unavailable-once") == 2 and b.hits("/missing") == 1 and b.hits("/forbidden") == 1
        assert d.hits("/private-area/page") == 0
        summary = document["summary"]
        assert (summary["dead"], summary["moved"], summary["unverified"], summary["ok"]) == (5, 3, 10, 4)
        history = json.loads((repo / ".cache" / "mlsd" / "links-history.json").read_text())
        assert history["urls"][b.url("/gone")]["verdict"] == "dead"
        assert history["urls"][b.url("/gone")]["consecutive_failures"] == 1
        markdown = report.read_text()
        assert markdown.startswith("# Link check report\n\n5 dead, 3 moved, 10 unverified among 22 URLs (22 requested)")
        assert f"| <{b.url('/gone')}> | `resources.yaml:{line_of(repo / 'resources.yaml', '/gone')}` | 410 Gone |" in (
            markdown
        )
        assert "## Moved\n\nPermanent redirects: `mlsd links --fix` rewrites" in markdown


def test_transient_failures_alone_pass_and_text_names_each_line(
    linkchecker: list[str], server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = ["/limited", "/unavailable", "/forbidden", "/limited-long", "/ok"]
    urls = [server.url(path) for path in paths]
    repo = make_repo(tmp_path / "repo", urls)
    assert main(["links", "--root", str(repo), "--allow-private", "--color", "never", *FAST]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"resources.yaml:6: unverified {urls[0]} (429 Too Many Requests: rate limited; Retry-After 1)",
        f"resources.yaml:8: unverified {urls[1]} (503 Service Unavailable)",
        f"resources.yaml:10: unverified {urls[2]} (403 Forbidden: the site refused the checker)",
        f"resources.yaml:12: unverified {urls[3]} (429 Too Many Requests: rate limited; Retry-After 3600)",
        "0 dead, 0 moved, 4 unverified among 5 URLs (5 requested)",
    ]
    # Transient answers are asked again; a 403 is not, nor a Retry-After longer than the run waits.
    assert [server.hits(path) for path in paths] == [2, 2, 1, 1, 1]


def test_private_addresses_are_never_requested_without_allow_private(
    linkchecker: list[str], server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = [server.url("/ok"), f"http://localhost:{server.port}/ok", "http://[::1]:9/ok", "http://2130706433/ok"]
    repo = make_repo(tmp_path / "repo", urls)
    code, document = run_json(capsys, "--root", str(repo), *FAST)
    assert code == 1
    assert server.requests == []
    for item in document["urls"]:
        assert item["verdict"] == "dead"
        assert item["detail"].startswith("refused: '")
        assert "not requested (--allow-private checks local servers)" in item["detail"]


def test_a_redirect_to_a_private_server_outside_the_allow_set_is_never_requested(
    linkchecker: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy setting of the user's own must not let a request past the guard proxy.
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "*")
    with FaultServer() as content, FaultServer() as private:
        # --allow-private allows the content's own host and port; the other server is on 127.0.0.1 too.
        urls = [content.url(f"/to/{private.port}/ok"), content.url(f"/to-https/{private.port}/ok")]
        results = check_urls(urls, Options(timeout=2, retries=0, allow_private=True), linkchecker)
        assert private.requests == []  # the proxy refused both hops before connecting
        assert [content.hits(path) for path in (f"/to/{private.port}/ok", f"/to-https/{private.port}/ok")] == [1, 1]
    reason = "'127.0.0.1' resolves to the non-public address 127.0.0.1"
    target = private.url("/ok")
    assert results[urls[0]] == Result("dead", f"refused: redirects to {target}, and {reason}", None, target)
    # LinkChecker logs no hop for a CONNECT that failed: the proxy's record names the destination.
    assert results[urls[1]] == Result("dead", f"refused: redirects to a URL on 127.0.0.1:{private.port}, and {reason}")


def test_a_name_that_resolves_to_a_private_address_during_the_run_is_refused(linkchecker: list[str]) -> None:
    asked: list[str] = []

    def resolve(host: str, port: object, **kwargs: object) -> list[tuple[Any, ...]]:
        # The lookup before the run sees a public address; every later one (the proxy's) loopback.
        address = "93.184.216.34" if not asked else "127.0.0.1"
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    url = "http://rebind.test/page"
    results = check_urls([url], Options(timeout=2, retries=0), linkchecker, resolve=resolve)
    assert results[url] == Result(
        "dead", "refused: 'rebind.test' resolves to the non-public address 127.0.0.1; not requested"
    )
    assert len(asked) >= 2 and set(asked) == {"rebind.test"}


def test_an_unknown_host_is_dead_and_looked_up_again_before_it_counts(linkchecker: list[str]) -> None:
    asked: list[str] = []

    def resolve(host: str, port: object, **kwargs: object) -> list[tuple[Any, ...]]:
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    waits: list[float] = []
    options = Options(timeout=1, retries=2, backoff=0.5)
    results = check_urls(["https://gone.example.test/page"], options, linkchecker, resolve=resolve, sleep=waits.append)
    assert results["https://gone.example.test/page"].verdict == "dead"
    assert results["https://gone.example.test/page"].detail == "unknown host gone.example.test"
    assert asked == ["gone.example.test"] * 3 and waits == [0.5, 1.0]


def test_history_skips_recent_ok_and_escalates_what_stays_unverified(
    linkchecker: list[str], server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok, blocked = server.url("/ok"), server.url("/forbidden")
    repo = make_repo(tmp_path / "repo", [ok, blocked])
    history = tmp_path / "state" / "history.json"
    common = ["links", "--root", str(repo), "--allow-private", "--history", str(history), "--escalate-after", "2"]

    assert main([*common, *FAST]) == 0
    first = json.loads(history.read_text())["urls"]
    assert first[ok]["verdict"] == "ok" and first[ok]["consecutive_failures"] == 0
    assert first[blocked]["consecutive_failures"] == 1 and first[blocked]["status"] == 403
    capsys.readouterr()

    assert main([*common, "--max-age", "1d", "--format", "github", *FAST]) == 0
    assert server.hits("/ok") == 1 and server.hits("/forbidden") == 2
    out = capsys.readouterr().out.splitlines()
    since = first[blocked]["first_failure"][:10]
    assert out == [
        f"::warning file=resources.yaml,line=8,title=escalated link::{blocked} (403 Forbidden: the site refused"
        f" the checker; escalated: not verified in 2 runs in a row since {since})",
        "0 dead, 0 moved, 1 unverified (1 escalated) among 2 URLs (1 requested, 1 checked ok within 1d)",
    ]
    second = json.loads(history.read_text())["urls"]
    assert second[blocked]["first_failure"] == first[blocked]["first_failure"]
    assert second[blocked]["consecutive_failures"] == 2

    # An ok older than --max-age is checked again.
    document = json.loads(history.read_text())
    document["urls"][ok]["checked_at"] = "2000-01-01T00:00:00Z"
    history.write_text(json.dumps(document))
    assert main([*common, "--max-age", "1d", *FAST]) == 0
    assert server.hits("/ok") == 2


def test_allowlist_skips_until_review_and_reports_entries_to_retire(
    linkchecker: list[str], server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked, ok, missing = server.url("/forbidden"), server.url("/ok"), server.url("/missing")
    repo = make_repo(tmp_path / "repo", [blocked, ok, missing])
    (repo / "links-allowlist.yaml").write_text(
        f"# URLs the link check leaves alone until someone reviews them\n"
        f"- url: {blocked}\n  reason: answers 403 to every bot\n  review_by: 2999-01-01\n"
        f"- url: {ok}\n  reason: was down for a migration\n  review_by: 2000-01-01\n"
        f"- url: {missing}\n  reason: publisher is restoring it\n  review_by: '2000-01-02'\n"
        f"- url: https://example.org/long-gone\n  reason: removed from the list\n  review_by: 2999-01-01\n"
    )
    assert main(["links", "--root", str(repo), "--allow-private", *FAST]) == 1
    assert server.hits("/forbidden") == 0 and server.hits("/ok") == 1
    assert capsys.readouterr().out.splitlines() == [
        f"links-allowlist.yaml:5: unneeded {ok} (review_by 2000-01-01 has passed and the URL is ok; remove the entry)",
        f"links-allowlist.yaml:8: expired {missing} (review_by 2000-01-02 has passed; checked again: dead; fix the"
        " link or renew the entry with a new review_by)",
        "links-allowlist.yaml:11: unneeded https://example.org/long-gone (no longer in the content; remove the entry)",
        f"resources.yaml:10: dead {missing} (404 Not Found)",
        "1 dead, 0 moved, 0 unverified among 3 URLs (2 requested, 1 allowlisted)",
    ]


def test_a_broken_allowlist_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", [])
    allowlist = tmp_path / "allow.yaml"
    allowlist.write_text("- url: ftp://x\n  reason: ''\n  review_by: soon\n  owner: me\n")
    assert main(["links", "--root", str(repo), "--offline", "--allowlist", str(allowlist)]) == 2
    err = capsys.readouterr().err
    assert "allow.yaml:4:3: error[allowlist] [0].owner: unknown key 'owner'" in err
    assert "allow.yaml:1:8: error[allowlist] [0].url: url must be an http or https URL" in err
    assert "allow.yaml:2:11: error[allowlist] [0].reason: reason must say why the URL is not checked" in err
    assert "allow.yaml:3:14: error[allowlist] [0].review_by: review_by must be a date" in err
    assert err.endswith("is not a valid allowlist\n")


def test_fix_rewrites_moved_urls_in_place_keeping_comments_and_quotes(
    linkchecker: list[str], server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved, chain, ok = server.url("/moved"), server.url("/moved-chain"), server.url("/ok")
    repo = make_repo(tmp_path / "repo", [])
    head = f"{HEAD_LINE}\ntags:\n  search: Search.\nresources:\n"
    before = (
        "  # the paper, kept first on purpose\n"
        f"  - id: a\n    url: {moved}  # moved last year\n"
        f"    description: 'Mirror of {chain}, and of {moved}.'\n"
        f'  - id: b\n    url: "{chain}#section-2"\n'
    )
    after = (
        "  # the paper, kept first on purpose\n"
        f"  - id: a\n    url: {ok}  # moved last year\n"
        f"    description: 'Mirror of {ok}, and of {ok}.'\n"
        f'  - id: b\n    url: "{ok}#section-2"\n'
    )
    (repo / "resources.yaml").write_text(head + before)
    assert main(["links", "--root", str(repo), "--allow-private", "--fix", *FAST]) == 0
    assert (repo / "resources.yaml").read_text() == head + after
    out = capsys.readouterr().out
    assert f"resources.yaml:7: moved {moved} (301 permanent redirect to {ok}; fixed)" in out
    assert f"resources.yaml:8: moved {chain} (301 permanent redirect to {ok}; fixed)" in out
    assert f"resources.yaml:10: moved {chain}#section-2 (301 permanent redirect to {ok}#section-2; fixed)" in out
    assert main(["links", "--root", str(repo), "--allow-private", *FAST]) == 0


def test_changed_since_checks_only_urls_on_added_lines(
    linkchecker: list[str], server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require(shutil.which("git") is not None, "git is not installed")
    repo = make_repo(tmp_path / "repo", [server.url("/gone"), server.url("/ok")])
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"

    def git(*arguments: str) -> None:
        subprocess.run(["git", "-C", str(repo), *arguments], check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    resources = repo / "resources.yaml"
    resources.write_text(resources.read_text() + f"  - id: added\n    url: {server.url('/missing')}\n")
    (repo / "cases" / "new-case.yaml").write_text(f"id: new-case\nsummary: see {server.url('/error')}\n")

    code, document = run_json(capsys, "--root", str(repo), "--allow-private", "--changed-since", "HEAD", *FAST)
    assert code == 1
    assert sorted(by_url(document)) == [server.url("/error"), server.url("/missing")]
    assert server.hits("/gone") == 0 and server.hits("/ok") == 0
    assert document["summary"]["urls"] == 4 and document["summary"]["in_scope"] == 2

    assert main(["links", "--root", str(repo), "--changed-since", "no-such-ref", *FAST]) == 2
    assert "--changed-since no-such-ref: fatal: bad revision 'no-such-ref'" in capsys.readouterr().err


def test_linkchecker_runs_with_its_own_home(
    linkchecker: list[str], server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    results = check_urls([server.url("/ok")], Options(timeout=1, retries=0, allow_private=True), linkchecker)
    assert results[server.url("/ok")].verdict == "ok"
    assert list(home.iterdir()) == []


def test_missing_linkchecker_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(links_command, "find_linkchecker", lambda: None)
    repo = make_repo(tmp_path / "repo", ["https://example.org/never-requested"])
    assert main(["links", "--root", str(repo)]) == 2
    assert capsys.readouterr().err == (
        "mlsd: error: mlsd links needs LinkChecker, which is not installed; run: pip install 'mlsd[links]'\n"
    )


def test_internal_links_and_anchors_are_checked_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", ["https://example.org/never-requested"])
    (repo / "docs" / "cases").mkdir(parents=True)
    (repo / "docs" / "cases" / "a.md").write_text(
        "# Case A\n\n## Data and features\n\n[back](../../README.md#minimal) [up](../../README.md#nowhere)\n"
    )
    (repo / "README.md").write_text(
        "# Minimal\n\n"
        "See [a](docs/cases/a.md#data-and-features), [b](docs/cases/b.md)\n"
        "and [c](docs/cases/a.md#data), [top](#minimal), [out](../x.md).\n\n"
        '<a href="docs/cases/a.md#case-a">A</a> <img src="docs/logo.png">\n\n'
        "| table | [cell](#missing-row) |\n| --- | --- |\n\n[external](https://example.org/x)\n"
    )
    assert main(["links", "--root", str(repo), "--offline"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "README.md:3: dead docs/cases/b.md (docs/cases/b.md does not exist)",
        "README.md:4: dead docs/cases/a.md#data (no heading or id 'data' in docs/cases/a.md)",
        "README.md:4: dead ../x.md (points outside the repository)",
        "README.md:6: dead docs/logo.png (docs/logo.png does not exist)",
        "README.md:8: dead #missing-row (no heading or id 'missing-row' in README.md)",
        "docs/cases/a.md:5: dead ../../README.md#nowhere (no heading or id 'nowhere' in README.md)",
        "6 of 10 internal links broken",
    ]
    # Given Markdown paths limit the check to those files.
    assert main(["links", "--root", str(repo), str(repo / "docs" / "cases" / "a.md")]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "1 of 2 internal links broken"


def test_paths_must_be_content_or_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", [])
    (repo / "notes.txt").write_text("x\n")
    assert main(["links", "--root", str(repo), "--offline", str(repo / "notes.txt")]) == 2
    assert "is neither a content file" in capsys.readouterr().err
    assert main(["links", "--root", str(repo), "--max-age", "a week"]) == 2
    assert "'a week' is not a duration such as 7d, 12h, 30m or 0" in capsys.readouterr().err
