"""Every URL of the content with its origins, checked over disjoint host groups with retries.

`collect` maps each URL to every file:line it appears at. `check_urls` refuses destinations
with non-public addresses or ports other than 80 and 443 before the run (Guard), splits the
rest into host groups, runs one LinkChecker process per group at the same time
(linkchecker.py), and asks again about transient failures after a backoff, honouring
Retry-After. `rewrite` puts a moved URL in place on its lines, for --fix.

The private-address guard has three layers. Guard refuses a URL of the content before the
run. During the run every request of LinkChecker, redirect hops included, goes through a
GuardProxy (guardproxy.py) that looks each host up itself, refuses it before connecting and
connects to the address it checked, so neither a redirect nor a name that resolves elsewhere
the second time (DNS rebinding) reaches a private address. `review` turns the proxy's answers
into verdicts and, as a last line, still refuses a redirect that LinkChecker's XML shows to a
private destination.
"""

from __future__ import annotations

import re
import socket
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mlsd.content import content_paths, kind_of
from mlsd.guardproxy import MARK, GuardProxy, normal_host, refusal
from mlsd.linkchecker import Record, Result, classify, own_hops, record_key, run_linkchecker
from mlsd.loader import STR_TAG, Document, load
from mlsd.urls import host_of, ip_literal

Resolver = Callable[..., list[tuple[Any, ...]]]


@dataclass(frozen=True, order=True)
class Origin:
    path: str
    line: int


@dataclass(frozen=True)
class Options:
    timeout: int = 20
    retries: int = 2
    backoff: float = 2.0
    workers: int = 8
    allow_private: bool = False
    max_wait: float = 60.0  # the longest Retry-After honoured; a longer one leaves the URL unverified


# --- URLs and their origins ------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)


def urls_in(text: str) -> list[str]:
    """The URLs in a string: the whole value when it is one URL, else each URL found in prose."""
    stripped = text.strip()
    if _URL.fullmatch(stripped):
        return [stripped]
    return [url for url in (_trim(match.group()) for match in _URL.finditer(text)) if len(url) > 8]


def _trim(url: str) -> str:
    # Prose ends a sentence or a parenthesis after a URL; a URL may still hold balanced brackets.
    while url:
        last = url[-1]
        unbalanced = (last == ")" and url.count("(") < url.count(")")) or (
            last == "]" and url.count("[") < url.count("]")
        )
        if last not in ".,;:!?*_~" and not unbalanced:
            break
        url = url[:-1]
    return url


def document_urls(document: Document) -> dict[str, set[Origin]]:
    found: dict[str, set[Origin]] = defaultdict(set)
    stack: list[Node] = [document.root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, ScalarNode) and node.tag == STR_TAG:
            for url in urls_in(node.value):
                found[url].add(Origin(document.path, _line_of(document.text, node, url)))
    return found


def _line_of(text: str, node: Node, url: str) -> int:
    # A URL never spans lines (it holds no white space), so its own line is found in the
    # node's source; an escape sequence inside a quoted string falls back to the node's line.
    at = text.find(url, node.start_mark.index, node.end_mark.index)
    return text.count("\n", 0, at) + 1 if at >= 0 else node.start_mark.line + 1


def collect(root: Path, selected: set[str] | None = None) -> tuple[dict[str, list[Origin]], list[str]]:
    """URL -> sorted origins over the content files, and a message per file that could not be read."""
    found: dict[str, set[Origin]] = defaultdict(set)
    unreadable = []
    for path in content_paths(root):
        relative = path.relative_to(root).as_posix()
        if kind_of(relative) is None or path.suffix != ".yaml" or (selected is not None and relative not in selected):
            continue
        document, problems = load(path, relative)
        if document is None:
            first = problems[0]
            unreadable.append(f"{first.path}:{first.line}:{first.col}: {first.message}")
            continue
        for url, origins in document_urls(document).items():
            found[url] |= origins
    return {url: sorted(origins) for url, origins in sorted(found.items())}, unreadable


# --- the private-address guard ---------------------------------------------------------------

_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


@dataclass(frozen=True)
class Lookup:
    addresses: tuple[str, ...] = ()
    error: str | None = None
    unknown: bool = False  # the name does not exist, as opposed to a lookup that failed


def destination(url: str) -> tuple[str, int]:
    """The host and port a URL is requested from."""
    try:
        port = urlsplit(url).port
    except ValueError:
        port = None
    return host_of(url), port or (80 if url.lower().startswith("http:") else 443)


def lookup(host: str, resolve: Resolver) -> Lookup:
    literal = ip_literal(host)
    if literal is not None:
        return Lookup((str(literal),))
    try:
        infos = resolve(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        return Lookup(error=str(error.strerror or error), unknown=error.errno in _NO_SUCH_NAME)
    except (OSError, UnicodeError) as error:
        return Lookup(error=str(error))
    return Lookup(tuple(sorted({str(info[4][0]) for info in infos})))


class Guard:
    """Refuses destinations with non-public addresses or ports other than 80 and 443; caches lookups.

    With allow_private, the exact host and port of each URL of the content may be private (a
    local test server), but a redirect anywhere else that is private, another port of the same
    host included, is still refused: the content is reviewed, the places a remote server
    redirects to are not. GuardProxy enforces the same allow set for every request.
    """

    def __init__(self, resolve: Resolver, allow_private: bool, content: Iterable[tuple[str, int]]) -> None:
        self.resolve = resolve
        self.allowed = set(content) if allow_private else set()
        self.lookups: dict[str, Lookup] = {}

    def prefetch(self, hosts: Iterable[str]) -> None:
        missing = sorted({host for host in hosts if host and host not in self.lookups})
        if not missing:
            return
        with ThreadPoolExecutor(max_workers=min(32, len(missing))) as pool:
            for host, found in zip(missing, pool.map(lambda host: lookup(host, self.resolve), missing), strict=True):
                self.lookups[host] = found

    def forget_failures(self) -> None:
        """Look failed names up again: a name that stays unknown after a wait is really gone."""
        self.lookups = {host: found for host, found in self.lookups.items() if found.error is None}

    def get(self, host: str) -> Lookup:
        if host not in self.lookups:
            self.lookups[host] = lookup(host, self.resolve)
        return self.lookups[host]

    def refusal(self, host: str, port: int) -> str | None:
        return None if (host, port) in self.allowed else refusal(host, port, self.get(host).addresses)


_TARGET = re.compile(r"host='(?P<host>[^']+)', port=(?P<port>\d+)")


def refused(host: str, port: int, timeout: float) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


def review(url: str, record: Record, guard: Guard, timeout: float, proxy: GuardProxy | None = None) -> Result:
    """The verdict, then what LinkChecker's record shows of where the request went."""
    if proxy is not None:
        # An http request's error names the proxy's address, which is no destination of its own.
        text = record.result.replace(f"host='127.0.0.1', port={proxy.port}", "via the guard proxy")
        record = replace(record, result=text)
        answered = proxy_result(url, record, proxy)
        if answered is not None:
            return answered
    result = classify(url, record)
    for target, _ in own_hops(url, record):
        reason = guard.refusal(*destination(target))
        if reason is not None:
            return Result("dead", f"refused: redirects to {target}, and {reason}", None, target)
    where = _TARGET.search(record.result)
    if result.verdict == "unverified" and where and record.result.startswith("ConnectionError"):
        host, port = where["host"], int(where["port"])
        reason = guard.refusal(host, port)
        if reason is not None:
            return Result("dead", f"refused: redirected to {host}, and {reason}")
        found = guard.get(host)
        if found.unknown:
            return Result("dead", f"unknown host {host}", retry=True)
        # The text may be cut before its reason; the server's answer to a connect of our own is not.
        lowered = record.result.lower()
        dropped = any(word in lowered for word in ("aborted", "reset", "remotedisconnected", "resolve"))
        if not dropped and refused(host, port, timeout):
            return Result("dead", f"connection refused by {host}:{port}", retry=True)
    return result


def proxy_result(url: str, record: Record, proxy: GuardProxy) -> Result | None:
    """The verdict when the record shows an answer of the proxy's own: a refusal or a failed connect.

    An http request gets the answer as its response, with MARK in its reason, after the last
    redirect logged; a refused CONNECT (https) is an error naming its destination, the redirect
    that led there unlogged; a refused robots.txt reads as "robots.txt forbids it"."""
    hops = own_hops(url, record)
    target: str | None = hops[-1][0] if hops else url
    host, port = destination(target or url)
    where = _TARGET.search(record.result)
    robots = record.valid and any("robots.txt" in info for info in record.infos)
    if where and record.result.startswith("ProxyError"):
        host, port, target = where["host"], int(where["port"]), None
    elif MARK not in record.result and not robots:
        return None
    answer = proxy.answer(host, port)
    if answer is None:
        return None
    own_host, own_port = destination(url)
    redirected = (normal_host(host), port) != (normal_host(own_host), own_port) or bool(hops)
    shown = target or f"a URL on {f'[{host}]' if ':' in host else host}:{port}"
    if answer.kind == "refused" and redirected:
        return Result("dead", f"refused: redirects to {shown}, and {answer.reason}", None, target)
    if answer.kind == "refused":
        return Result("dead", f"refused: {answer.reason}; not requested")
    detail = answer.reason + (f" after a redirect to {shown}" if redirected else "")
    return Result("dead" if answer.kind in ("connection refused", "unknown host") else "unverified", detail, retry=True)


# --- one run over many hosts, with retries ---------------------------------------------------


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
    resolve: Resolver = socket.getaddrinfo,
    progress: Callable[[str], None] = lambda message: None,
    sleep: Callable[[float], None] | None = None,
) -> dict[str, Result]:
    """A result for every URL. Fragments are not requested; URLs that differ only there share one."""
    sleep = sleep or time.sleep
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
            results.update(_check_once(pending, options, command, guard, Path(folder) / f"attempt-{attempt}", progress))
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
) -> dict[str, Result]:
    results: dict[str, Result] = {}
    guard.prefetch(host_of(url) for url in urls)
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
    for url in allowed:
        record = records.get(record_key(url))
        if record is None:
            results[url] = Result("unverified", "LinkChecker gave no result for it", retry=True)
        else:
            results[url] = review(url, record, guard, options.timeout, proxy)
    return results


# --- --fix: a moved URL rewritten on its own lines ---------------------------------------------

_AFTER_URL = r"(?![.,;:!?*~)\]]*[^\s<>\"'`.,;:!?*~)\]])"  # the URL ends here, as urls_in() cuts it


def replace_url(text: str, old: str, new: str) -> str:
    return re.sub(re.escape(old) + _AFTER_URL, lambda _: new, text)


def _substitute(value: object, old: str, new: str) -> object:
    if isinstance(value, str):
        return replace_url(value, old, new)
    if isinstance(value, list):
        return [_substitute(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _substitute(item, old, new) for key, item in value.items()}
    return value


def rewrite(text: str, edits: Sequence[tuple[int, str, str]]) -> str | None:
    """The text with each (line, old, new) replaced on its line, or None when the YAML would
    change in any other way than those URLs (a quote the new URL breaks, an escape)."""
    lines = text.splitlines(keepends=True)
    for line, old, new in edits:
        if 0 < line <= len(lines):
            lines[line - 1] = replace_url(lines[line - 1], old, new)
    changed = "".join(lines)
    try:
        expected = yaml.safe_load(text)
        for _, old, new in edits:
            expected = _substitute(expected, old, new)
        return changed if yaml.safe_load(changed) == expected else None
    except yaml.YAMLError:
        return None
