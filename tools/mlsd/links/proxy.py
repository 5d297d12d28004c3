"""A forward proxy on 127.0.0.1 that every LinkChecker request goes through: the private-address guard.

Looking host names up before a run cannot stop a request: a public page can redirect to
http://169.254.169.254/, and a name can resolve to another address by the time LinkChecker
asks (DNS rebinding). So LinkChecker reaches the network only through this proxy (its
environment names it, linkchecker.py), which for each destination, redirect hops included:

- looks the host up itself and refuses (403, and records why) when any address is not
  public, unless the caller allowed that exact host and port (--allow-private);
- refuses ports other than 80 and 443 for hosts not allowed;
- connects to the address it checked, so no second lookup can be steered elsewhere.

It relays `CONNECT host:port` tunnels (https) and absolute-form GET and HEAD requests (http),
the latter with `Connection: close` both ways. What it answers itself, a refusal or a failure
to connect, is recorded per destination for links.review. Every wait is bounded: a connection
slot, the request head, the connect and each silence in a relay.
"""

from __future__ import annotations

import contextlib
import http
import ipaddress
import selectors
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, NoReturn, cast
from urllib.parse import urlsplit

from mlsd.urls import ip_literal, is_public_address

Resolver = Callable[..., list[tuple[Any, ...]]]
Connector = Callable[[tuple[str, int], float], socket.socket]
Kind = Literal["refused", "unknown host", "lookup failed", "connection refused", "timed out", "unreachable", "busy"]

PORTS = (80, 443)
MARK = "mlsd guard"  # in the reason phrase of every answer the proxy makes itself
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "upgrade", "host"}
_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


@dataclass(frozen=True)
class Answer:
    """What the proxy said instead of relaying: a refusal (403) or a failure to connect (502, 504)."""

    status: int
    kind: Kind
    reason: str


def refusal(host: str, port: int, addresses: Iterable[str]) -> str | None:
    """Why a destination that was not allowed is refused: an address that is not public, or its port."""
    private = sorted(a for a in addresses if not is_public_address(ipaddress.ip_address(a.split("%", 1)[0])))
    if private:
        return f"'{host}' resolves to the non-public address {private[0]}"
    if port not in PORTS:
        return f"port {port} of '{host}' is not allowed (only 80 and 443)"
    return None


class _Failed(Exception):
    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.reason)
        self.answer = answer


def normal_host(host: str) -> str:
    """A host as the proxy compares it: no brackets or final dot, lower case, IDNA-encoded."""
    host = host.strip("[]").rstrip(".").lower()
    with contextlib.suppress(UnicodeError):
        host = host if host.isascii() else host.encode("idna").decode("ascii")
    return host


class GuardProxy:
    def __init__(
        self,
        allow: Iterable[tuple[str, int | None]] = (),
        *,
        resolve: Resolver = socket.getaddrinfo,
        connect: Connector = socket.create_connection,
        connect_timeout: float = 10.0,
        idle_timeout: float = 30.0,
        keepalive_timeout: float = 5.0,
        max_connections: int = 128,
        max_head: int = 32 * 1024,
    ) -> None:
        self.allow = {(normal_host(host), port) for host, port in allow}
        self.resolve, self.connect = resolve, connect
        self.connect_timeout, self.idle_timeout = connect_timeout, idle_timeout
        self.keepalive_timeout, self.max_head = keepalive_timeout, max_head
        self.answers: dict[tuple[str, int], Answer] = {}  # the latest answer per destination
        self._slots = threading.BoundedSemaphore(max_connections)
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._server = _Server(self)
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> GuardProxy:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            for sock in self._open:  # wakes every relay; its own thread closes the socket
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def answer(self, host: str, port: int) -> Answer | None:
        with self._lock:
            return self.answers.get((normal_host(host), port))

    # --- the policy ------------------------------------------------------------------------

    def open(self, host: str, port: int) -> socket.socket:
        """A connection to a checked address of host; _Failed says why there is none."""
        host = normal_host(host)
        allowed = (host, port) in self.allow or (host, None) in self.allow
        addresses = self._addresses(host, port)
        reason = None if allowed else refusal(host, port, addresses)
        if reason is not None:
            self._fail(host, port, 403, "refused", reason)
        failure: tuple[int, Kind, str] = (502, "unreachable", f"no address of '{host}' to connect to")
        # The addresses share connect_timeout, so the client, which waits as long, hears the outcome.
        timeout = self.connect_timeout / max(1, len(addresses))
        for address in addresses:
            try:
                upstream = self.connect((address, port), timeout)
                upstream.settimeout(self.idle_timeout)
                with self._lock:
                    self._open.add(upstream)
                return upstream
            except ConnectionRefusedError:
                failure = (502, "connection refused", f"connection refused by {host}:{port}")
            except TimeoutError:
                failure = (504, "timed out", f"connecting to {host}:{port} timed out")
            except OSError as error:
                failure = (502, "unreachable", f"cannot connect to {host}:{port}: {error.strerror or error}")
        self._fail(host, port, *failure)

    def _addresses(self, host: str, port: int) -> list[str]:
        literal = ip_literal(host)
        if literal is not None:
            return [str(literal)]
        try:
            infos = self.resolve(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            if error.errno in _NO_SUCH_NAME:
                self._fail(host, port, 502, "unknown host", f"unknown host {host}")
            self._fail(host, port, 502, "lookup failed", f"name lookup for {host} failed: {error.strerror or error}")
        except (OSError, UnicodeError) as error:
            self._fail(host, port, 502, "lookup failed", f"name lookup for {host} failed: {error}")
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    def _fail(self, host: str, port: int, status: int, kind: Kind, reason: str) -> NoReturn:
        answer = Answer(status, kind, reason)
        with self._lock:
            self.answers[(host, port)] = answer
        raise _Failed(answer)

    # --- one client connection ---------------------------------------------------------------

    def serve(self, client: socket.socket) -> None:
        if not self._slots.acquire(timeout=self.connect_timeout):
            _reply(client, Answer(503, "busy", "too many connections through the guard proxy"))
            return
        upstream: socket.socket | None = None
        with self._lock:
            self._open.add(client)
        try:
            client.settimeout(self.idle_timeout)
            method, target, headers, rest = self._read_head(client)
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                if not host or not port.isdigit():
                    raise _Failed(Answer(400, "refused", f"not host:port: {target[:80]}"))
                upstream = self.open(host, int(port))
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)
                self._relay(client, upstream, tunnel=True)
                return
            parts = urlsplit(target)
            if parts.scheme.lower() != "http" or not parts.hostname:
                raise _Failed(Answer(400, "refused", "only absolute http:// targets are relayed"))
            if method not in ("GET", "HEAD"):
                raise _Failed(Answer(405, "refused", "only GET and HEAD are relayed"))
            upstream = self.open(parts.hostname, parts.port or 80)
            lines = [f"{method} {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1"]
            lines.append(f"Host: {parts.netloc.rpartition('@')[2]}")
            lines += [f"{name}: {value}" for name, value in headers if name.lower() not in _HOP_BY_HOP]
            upstream.sendall(("\r\n".join([*lines, "Connection: close", "", ""])).encode("latin-1"))
            self._relay(client, upstream, tunnel=False)
        except _Failed as failed:
            _reply(client, failed.answer)
        except (OSError, ValueError, UnicodeError):
            pass  # a client that went away, or a relay that timed out: closing is the answer
        finally:
            with self._lock:
                self._open.difference_update((client, upstream))
            for sock in (client, upstream):
                if sock is not None:
                    sock.close()
            self._slots.release()

    def _read_head(self, client: socket.socket) -> tuple[str, str, list[tuple[str, str]], bytes]:
        data, deadline = b"", time.monotonic() + self.idle_timeout
        while b"\r\n\r\n" not in data and len(data) <= self.max_head:
            if time.monotonic() > deadline:
                raise TimeoutError("the request head came too slowly")
            chunk = client.recv(4096)
            if not chunk:
                raise ConnectionAbortedError("the client closed the connection")
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        if len(head) > self.max_head:
            raise _Failed(Answer(431, "refused", "the request head is too long"))
        request, *fields = head.decode("latin-1").split("\r\n")
        words = request.split()
        if len(words) != 3 or not words[2].startswith("HTTP/"):
            raise _Failed(Answer(400, "refused", "not an HTTP request"))
        headers = [(name.strip(), value.strip()) for name, _, value in (field.partition(":") for field in fields)]
        return words[0].upper(), words[1], headers, rest

    def _relay(self, client: socket.socket, upstream: socket.socket, tunnel: bool) -> None:
        """Bytes both ways until either side closes or stays silent for idle_timeout.

        For a plain request, only the response flows (its head rewritten to close the
        connection); anything more from the client is dropped, never sent upstream."""
        head: bytes | None = None if tunnel else b""
        wait = self.idle_timeout
        with selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ, upstream)
            selector.register(upstream, selectors.EVENT_READ, client)
            while events := selector.select(wait):
                for key, _ in events:
                    source, target = cast(socket.socket, key.fileobj), cast(socket.socket, key.data)
                    data = source.recv(65536)
                    if not data:
                        return
                    if source is client and not tunnel:
                        continue
                    if source is upstream and head is not None:
                        head += data
                        if b"\r\n\r\n" not in head:
                            if len(head) > self.max_head:
                                return
                            continue
                        data, head = _closing(head), None
                    target.sendall(data)
                    # A server has idle_timeout to answer; a tunnel that has answered and only waits
                    # for the client's next request (keep-alive) gives its slot back sooner.
                    wait = self.keepalive_timeout if tunnel and target is client else self.idle_timeout


def _closing(data: bytes) -> bytes:
    """A response head with its connection headers replaced by `Connection: close`."""
    head, _, body = data.partition(b"\r\n\r\n")
    status, *fields = head.split(b"\r\n")
    kept = [field for field in fields if field.split(b":", 1)[0].strip().lower() not in (b"connection", b"keep-alive")]
    return b"\r\n".join([status, *kept, b"Connection: close", b"", body])


def _reply(client: socket.socket, answer: Answer) -> None:
    body = (answer.reason + "\n").encode("utf-8", "replace")
    phrase = f"{http.HTTPStatus(answer.status).phrase} ({MARK}: {answer.kind})"
    head = f"HTTP/1.1 {answer.status} {phrase}\r\nContent-Type: text/plain; charset=utf-8\r\n"
    head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    with contextlib.suppress(OSError):
        client.sendall(head.encode("latin-1") + body)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, proxy: GuardProxy) -> None:
        self.proxy = proxy
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # serve() answers or closes every connection itself


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        cast(_Server, self.server).proxy.serve(self.request)
