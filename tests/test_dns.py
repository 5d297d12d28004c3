"""Dead links told from a resolver that is down, against a real DNS server on 127.0.0.1.

The resolver the guard and the guard proxy use (mlsd.links.resolver) asks a dnslib server
the test controls (dnsserver.py): NXDOMAIN, SERVFAIL, silence, a port where nothing listens.
The only waits are the resolver's own short timeout, for the server that never answers.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from conftest import make_repo
from dnsserver import NXDOMAIN, SERVFAIL, SILENT, WORKING_ROOT, DnsServer
from faultserver import FaultServer
from mlsd.cli import main
from mlsd.errors import NetworkUnavailable
from mlsd.links import Options, check_urls
from mlsd.links.guard import Lookup
from mlsd.links.network import connects_down, lookups_down
from mlsd.links.resolver import DnsResolver, parse_server

TIMEOUT = 0.3  # the resolver's per-query timeout: the bound on the test that waits for silence


def closed_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def failure(resolver: DnsResolver, host: str) -> tuple[int, str]:
    with pytest.raises(socket.gaierror) as raised:
        resolver(host, 443)
    return raised.value.errno, str(raised.value.strerror)


# --- the resolver on its own -------------------------------------------------------------


def test_each_answer_of_the_server_is_told_apart() -> None:
    names = {"ok.test": ["192.0.2.7", "2001:db8::7"], "gone.test": NXDOMAIN, "broken.test": SERVFAIL}
    with DnsServer({**WORKING_ROOT, **names}, default=SILENT) as server:
        resolver = DnsResolver(server.address, timeout=TIMEOUT)
        assert sorted(info[4][0] for info in resolver("ok.test", 443)) == ["192.0.2.7", "2001:db8::7"]
        assert failure(resolver, "gone.test") == (socket.EAI_NONAME, "no such name: gone.test (NXDOMAIN)")
        assert failure(resolver, "broken.test") == (
            socket.EAI_FAIL,
            f"the DNS server {server.address} failed (SERVFAIL)",
        )
        assert failure(resolver, "silent.test") == (
            socket.EAI_AGAIN,
            f"the DNS server {server.address} did not answer in {TIMEOUT:g} s",
        )
        assert resolver.probe() is None
    # localhost is loopback by definition (RFC 6761) and never asked.
    assert ("localhost", "A") not in server.questions
    assert [info[4][0] for info in resolver("localhost", 80)] == ["127.0.0.1", "::1"]


def test_a_server_that_is_not_listening_is_unreachable_at_once() -> None:
    port = closed_udp_port()
    resolver = DnsResolver(f"127.0.0.1:{port}", timeout=30)  # a refusal, not the timeout, ends the wait
    errno, reason = failure(resolver, "example.test")
    assert errno == socket.EAI_AGAIN
    assert reason == f"the DNS server 127.0.0.1:{port} cannot be reached: Connection refused"
    assert resolver.probe() == reason


def test_a_resolver_that_says_nxdomain_for_everything_fails_the_probe() -> None:
    with DnsServer({}, default=NXDOMAIN) as server:
        assert DnsResolver(server.address, TIMEOUT).probe() == "the resolver answers NXDOMAIN even for the root zone"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("127.0.0.1", ("127.0.0.1", 53)), ("127.0.0.1:5353", ("127.0.0.1", 5353)), ("[::1]:53", ("::1", 53))],
)
def test_a_server_is_an_address_and_a_port(text: str, expected: tuple[str, int]) -> None:
    assert parse_server(text) == expected


@pytest.mark.parametrize("text", ["dns.example", "127.0.0.1:x", "127.0.0.1:70000", "[::1]x"])
def test_a_server_that_is_not_an_address_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_server(text)


# --- check_urls: dead, unverified, or nothing checked ------------------------------------


def test_nxdomain_under_a_working_resolver_is_dead_and_servfail_is_not(
    linkchecker: list[str], server: FaultServer
) -> None:
    names = {"site.test": ["127.0.0.1"], "gone.test": NXDOMAIN, "broken.test": SERVFAIL}
    with DnsServer({**WORKING_ROOT, **names}) as dns:
        options = Options(timeout=5, retries=0, allow_private=True, dns_server=dns.address, dns_timeout=TIMEOUT)
        ok, gone, broken = f"http://site.test:{server.port}/ok", "https://gone.test/page", "https://broken.test/page"
        results = check_urls([ok, gone, broken], options, linkchecker)
    assert results[ok].verdict == "ok"
    assert (results[gone].verdict, results[gone].detail) == ("dead", "unknown host gone.test")
    assert results[broken].verdict == "unverified"
    assert (
        results[broken].detail == f"name lookup for broken.test failed: the DNS server {dns.address} failed (SERVFAIL)"
    )


def test_a_lone_nxdomain_is_dead_when_the_resolver_answers_for_the_root(linkchecker: list[str]) -> None:
    with DnsServer(WORKING_ROOT, default=NXDOMAIN) as server:
        options = Options(timeout=5, retries=0, dns_server=server.address, dns_timeout=TIMEOUT)
        results = check_urls(["https://gone.test/page"], options, linkchecker)
    assert results["https://gone.test/page"].verdict == "dead"


@pytest.mark.parametrize(
    ("default", "reason"),
    [
        (SERVFAIL, "name lookups failed for 5 of 5 hosts; the first: the DNS server {address} failed (SERVFAIL)"),
        (SILENT, "name lookups failed for 5 of 5 hosts; the first: the DNS server {address} did not answer in 0.3 s"),
        (NXDOMAIN, "no host name resolved, and the resolver answers NXDOMAIN even for the root zone"),
    ],
    ids=["servfail", "never-answers", "nxdomain-for-everything"],
)
def test_a_resolver_that_fails_for_every_name_checks_nothing(linkchecker: list[str], default: str, reason: str) -> None:
    urls = [f"https://site{index}.test/page" for index in range(5)]
    with DnsServer({}, default=default) as server:
        options = Options(timeout=5, retries=2, dns_server=server.address, dns_timeout=TIMEOUT)
        with pytest.raises(NetworkUnavailable) as raised:
            check_urls(urls, options, linkchecker, sleep=pytest.fail)  # no retry, so no wait
    assert str(raised.value) == f"network unavailable: nothing was checked ({reason.format(address=server.address)})"


def test_a_retry_of_the_few_failed_lookups_is_not_taken_for_the_network(
    linkchecker: list[str], server: FaultServer
) -> None:
    working = {f"ok{index}.test": ["127.0.0.1"] for index in range(5)}
    broken = {f"broken{index}.test": SERVFAIL for index in range(4)}
    with DnsServer({**WORKING_ROOT, **working, **broken}) as dns:
        options = Options(timeout=5, retries=1, allow_private=True, dns_server=dns.address, dns_timeout=TIMEOUT)
        urls = [f"http://{name}:{server.port}/ok" for name in working] + [f"https://{name}/page" for name in broken]
        waits: list[float] = []
        results = check_urls(urls, options, linkchecker, sleep=waits.append)
    assert waits == [2.0]  # the four failures were asked about again, alone, and failed again
    assert sorted({result.verdict for result in results.values()}) == ["ok", "unverified"]
    assert sum(result.verdict == "unverified" for result in results.values()) == 4


def test_one_failing_lookup_among_few_is_unverified_not_a_network_failure(linkchecker: list[str]) -> None:
    with DnsServer({**WORKING_ROOT, "broken.test": SERVFAIL}) as server:
        options = Options(timeout=5, retries=0, dns_server=server.address, dns_timeout=TIMEOUT)
        results = check_urls(["https://broken.test/page"], options, linkchecker)
    assert results["https://broken.test/page"].verdict == "unverified"


# --- mlsd links: exit 4, one line, the history untouched ---------------------------------


HISTORY = {
    "version": 1,
    "urls": {
        "https://site0.test/page": {
            "verdict": "ok",
            "status": 200,
            "final_url": None,
            "first_failure": None,
            "consecutive_failures": 0,
            "checked_at": "2026-11-01T00:00:00Z",
        }
    },
}


@pytest.mark.parametrize("resolver", ["servfail", "unreachable"])
def test_mlsd_links_without_a_working_resolver_exits_4_and_records_nothing(
    linkchecker: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], resolver: str
) -> None:
    repo = make_repo(tmp_path / "repo", [f"https://site{index}.test/page" for index in range(6)])
    history, report = tmp_path / "history.json", tmp_path / "report.md"
    history.write_text(json.dumps(HISTORY), encoding="utf-8")
    before = history.read_bytes()
    with DnsServer({}, default=SERVFAIL) as server:
        address = server.address if resolver == "servfail" else f"127.0.0.1:{closed_udp_port()}"
        arguments = ["links", "--root", str(repo), "--history", str(history), "--report", str(report)]
        code = main([*arguments, "--dns-server", address, "--retries", "0", "--timeout", "1"])
    captured = capsys.readouterr()
    assert code == 4
    assert captured.out == ""
    last = captured.err.splitlines()[-1]
    assert last.startswith("mlsd: error: network unavailable: nothing was checked (name lookups failed for 6 of 6")
    assert sum("network unavailable" in line for line in captured.err.splitlines()) == 1
    assert history.read_bytes() == before
    assert not report.exists()


def test_mlsd_links_still_fails_on_a_dead_name_when_dns_works(
    linkchecker: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", ["https://gone.test/page"])
    history = tmp_path / "history.json"
    with DnsServer(WORKING_ROOT, default=NXDOMAIN) as server:
        arguments = ["links", "--root", str(repo), "--history", str(history), "--dns-server", server.address]
        code = main([*arguments, "--retries", "0", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(item["url"], item["verdict"]) for item in document["urls"]] == [("https://gone.test/page", "dead")]
    assert json.loads(history.read_text())["urls"]["https://gone.test/page"]["verdict"] == "dead"


# --- the thresholds on their own ---------------------------------------------------------


def lookups(ok: int, failed: int, unknown: int) -> dict[str, Lookup]:
    found = {f"ok{index}.test": Lookup(("192.0.2.1",)) for index in range(ok)}
    found |= {f"failed{index}.test": Lookup(error="SERVFAIL") for index in range(failed)}
    return found | {f"gone{index}.test": Lookup(error="NXDOMAIN", unknown=True) for index in range(unknown)}


def test_a_majority_of_failed_lookups_among_four_or_more_hosts_is_the_network() -> None:
    assert lookups_down(lookups(ok=1, failed=3, unknown=0), None) == (
        "name lookups failed for 3 of 4 hosts; the first: SERVFAIL"
    )
    assert lookups_down(lookups(ok=2, failed=2, unknown=0), None) is None  # half is not most
    assert lookups_down(lookups(ok=0, failed=3, unknown=0), None) is None  # too few to tell without a probe
    assert (
        lookups_down(lookups(ok=0, failed=3, unknown=0), lambda: "it is down")
        == "no host name resolved, and it is down"
    )
    assert lookups_down(lookups(ok=0, failed=0, unknown=2), lambda: None) is None  # the root answered: gone is gone


def test_a_majority_of_failed_connects_among_four_or_more_hosts_is_the_network() -> None:
    requested = ["a.test", "b.test", "c.test", "d.test"]
    assert connects_down(["a.test", "b.test", "c.test", "elsewhere.test"], requested) == (
        "connections failed to 3 of 4 hosts (unreachable or timed out)"
    )
    assert connects_down(["a.test", "b.test"], requested) is None
    assert connects_down(["a.test", "b.test"], requested[:2]) is None
