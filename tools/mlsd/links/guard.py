"""The private-address guard, and the verdicts that the guard proxy's answers decide.

The guard has three layers. Guard refuses a URL of the content before the
run. During the run every request of LinkChecker, redirect hops included, goes through a
GuardProxy (proxy.py) that looks each host up itself, refuses it before connecting and
connects to the address it checked, so neither a redirect nor a name that resolves elsewhere
the second time (DNS rebinding) reaches a private address. `review` turns the proxy's answers
into verdicts and, as a last line, still refuses a redirect that LinkChecker's XML shows to a
private destination.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from mlsd.links.linkchecker import Record
from mlsd.links.proxy import MARK, GuardProxy, normal_host, refusal
from mlsd.links.verdicts import Result, classify, own_hops
from mlsd.urls import host_of, ip_literal

Resolver = Callable[..., list[tuple[Any, ...]]]

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
        # A resolver that can say whether it answers at all (resolver.DnsResolver.probe).
        self.probe: Callable[[], str | None] | None = getattr(resolve, "probe", None)
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
