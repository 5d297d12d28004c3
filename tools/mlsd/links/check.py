"""Checking many URLs: disjoint host groups, one LinkChecker process each, with retries.

`check_urls` refuses destinations with non-public addresses or ports other than 80 and 443
before the run (guard.py), splits the rest into host groups, runs one LinkChecker process
per group at the same time (linkchecker.py) through one guard proxy (proxy.py), and asks
again about transient failures after a backoff, honouring Retry-After. Names are looked up
with dnspython (resolver.py), so that a dead name is told from a resolver that is down.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from mlsd.errors import NetworkUnavailable
from mlsd.links.guard import Guard, Resolver, destination, review
from mlsd.links.linkchecker import Record, run_linkchecker
from mlsd.links.network import connects_down, lookups_down
from mlsd.links.proxy import GuardProxy, normal_host
from mlsd.links.resolver import DnsResolver
from mlsd.links.verdicts import Result, record_key
from mlsd.urls import host_of, ip_literal


@dataclass(frozen=True)
class Options:
    timeout: int = 20
    retries: int = 2
    backoff: float = 2.0
    workers: int = 8
    allow_private: bool = False
    max_wait: float = 60.0  # the longest Retry-After honoured; a longer one leaves the URL unverified
    dns_server: str | None = None  # ADDRESS[:PORT]; None asks the system's servers
    dns_timeout: float = 5.0  # per DNS query: a resolver that does not answer is given up on soon


_CUT_OFF = ("unreachable", "timed out", "lookup failed")  # the proxy's answers that say nothing of the link


def default_resolver(options: Options) -> Resolver:
    return DnsResolver(options.dns_server, min(options.dns_timeout, float(options.timeout)))


def host_key(url: str) -> str:
    """LinkChecker's politeness key: host and port as written."""
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return url


def groups(urls: Sequence[str], workers: int) -> list[list[str]]:
    """Disjoint host groups of similar size, each host's URLs interleaved with the others'."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[host_key(url)].append(url)
    bins: list[list[list[str]]] = [[] for _ in range(max(1, min(workers, len(by_host))))]
    for _, members in sorted(by_host.items(), key=lambda item: (-len(item[1]), item[0])):
        min(bins, key=lambda hosts: sum(len(each) for each in hosts)).append(members)
    return [_interleave(hosts) for hosts in bins if hosts]


def _interleave(hosts: list[list[str]]) -> list[str]:
    # LinkChecker's threads take URLs in order; consecutive URLs of one host wait for each other.
    longest = max(len(each) for each in hosts)
    return [each[index] for index in range(longest) for each in hosts if index < len(each)]


def _threads(urls: Sequence[str]) -> int:
    # More threads than a group has hosts only wait on LinkChecker's per-host gap.
    return max(1, min(10, len({host_key(url) for url in urls}) * 2))


def without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def check_urls(
    urls: Sequence[str],
    options: Options,
    command: Sequence[str],
    resolve: Resolver | None = None,
    progress: Callable[[str], None] = lambda message: None,
    sleep: Callable[[float], None] | None = None,
) -> dict[str, Result]:
    """A result for every URL. Fragments are not requested; URLs that differ only there share one.

    NetworkUnavailable when the resolver or the network is down for the run (network.py)."""
    sleep = sleep or time.sleep
    resolve = resolve or default_resolver(options)
    requests = sorted({without_fragment(url) for url in urls})
    guard = Guard(resolve, options.allow_private, {destination(url) for url in requests})
    results: dict[str, Result] = {}
    pending = requests
    with tempfile.TemporaryDirectory(prefix="mlsd-links-") as folder:
        for attempt in range(options.retries + 1):
            if attempt:
                wait = options.backoff * 2 ** (attempt - 1)
                waits = [results[url].retry_after for url in pending if results[url].retry_after is not None]
                wait = max([wait, *(value for value in waits if value is not None and value <= options.max_wait)])
                progress(f"retrying {len(pending)} URLs in {wait:g} s (attempt {attempt + 1} of {options.retries + 1})")
                sleep(wait)
                guard.forget_failures()
            # Only the first attempt judges the network: a retry asks about failures alone, so
            # that most of them fail again says nothing of the network.
            folder_of_attempt = Path(folder) / f"attempt-{attempt}"
            results.update(_check_once(pending, options, command, guard, folder_of_attempt, progress, attempt == 0))
            pending = [
                url for url in pending if results[url].retry and (results[url].retry_after or 0) <= options.max_wait
            ]
            if not pending:
                break
    return {url: _for_url(url, results[without_fragment(url)]) for url in urls}


def _for_url(url: str, result: Result) -> Result:
    result = replace(result, retry=False)
    fragment = url.partition("#")[2]
    if fragment and result.final_url and "#" not in result.final_url:
        new = f"{result.final_url}#{fragment}"
        return replace(result, final_url=new, detail=result.detail.replace(result.final_url, new))
    return result


def _check_once(
    urls: Sequence[str],
    options: Options,
    command: Sequence[str],
    guard: Guard,
    folder: Path,
    progress: Callable[[str], None],
    judge_network: bool,
) -> dict[str, Result]:
    results: dict[str, Result] = {}
    guard.prefetch(host_of(url) for url in urls)
    names = {host for host in map(host_of, urls) if host and ip_literal(host) is None}
    down = lookups_down({host: guard.get(host) for host in names}, guard.probe) if judge_network else None
    if down is not None:
        raise NetworkUnavailable(down)
    allowed = []
    for url in urls:
        host = host_of(url)
        found = guard.get(host)
        if found.unknown:
            results[url] = Result("dead", f"unknown host {host}", retry=True)
        elif found.error is not None:
            results[url] = Result("unverified", f"name lookup for {host} failed: {found.error}", retry=True)
        elif (reason := guard.refusal(*destination(url))) is not None:
            results[url] = Result("dead", f"refused: {reason}; not requested (--allow-private checks local servers)")
        else:
            allowed.append(url)
    batches = groups(allowed, options.workers)
    if batches:
        hosts = len({host_key(url) for url in allowed})
        progress(f"checking {len(allowed)} URLs on {hosts} hosts with {len(batches)} LinkChecker processes")

    # One proxy per attempt, so its answers are this attempt's. A server gets the whole timeout to
    # answer, beyond LinkChecker's own, so that LinkChecker's timeout is the one that shows. Each
    # LinkChecker thread (up to 10 per process) may hold a kept-alive tunnel to a few hosts.
    proxy = GuardProxy(
        guard.allowed,
        resolve=guard.resolve,
        connect_timeout=options.timeout,
        idle_timeout=options.timeout + 10,
        max_connections=64 + 20 * options.workers,
    )

    def run(index: int, batch: list[str]) -> tuple[list[Record], str | None]:
        return run_linkchecker(command, batch, options.timeout, _threads(batch), folder / f"group-{index}", proxy.url)

    with proxy, ThreadPoolExecutor(max_workers=max(1, len(batches))) as pool:
        runs = pool.map(run, range(len(batches)), batches)
        records: dict[str, Record] = {}
        for written, problem in runs:
            if problem:
                progress(f"warning: {problem}")
            for each in written:
                records.setdefault(record_key(each.url), each)
    cut_off = {host for (host, _), answer in proxy.answers.items() if answer.kind in _CUT_OFF}
    down = connects_down(cut_off, {normal_host(host_of(url)) for url in allowed}) if judge_network else None
    if down is not None:
        raise NetworkUnavailable(down)
    for url in allowed:
        record = records.get(record_key(url))
        if record is None:
            results[url] = Result("unverified", "LinkChecker gave no result for it", retry=True)
        else:
            results[url] = review(url, record, guard, options.timeout, proxy)
    return results
