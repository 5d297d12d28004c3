"""A real threaded HTTP server on 127.0.0.1 that fails in every way a link checker meets.

Each path is one behaviour, so one server serves a whole test module:

    /ok  /page/<anything>                  200 with a small HTML page
    /moved  /moved-chain  /found           301 -> /ok, 301 -> 308 -> /ok, 302 -> /ok
    /moved-home                            301 -> / (the page is gone; a home page is not a new address)
    /moved-missing                         301 -> /missing
    /missing /gone /forbidden              404, 410, 403
    /limited                               429 with Retry-After: 1, every time
    /limited-once                          429 with Retry-After: 1 on the first request, then 200
    /limited-long                          429 with Retry-After: 3600, longer than a checker waits
    /error  /unavailable                   500, 503 (Retry-After: 1)
    /unavailable-once                      503 on the first request, then 200
    /slow                                  answers after `slow_seconds`, beyond the checker's timeout
    /drop                                  closes the connection without a response
    /loop                                  301 -> /loop-b -> /loop ...
    /to-private                            302 -> http://localhost:<port>/ok, another host name for
                                           a loopback address (never beyond 127.0.0.1)
    /to/<port>/<path>  /to-https/...       302 -> http(s)://127.0.0.1:<port>/<path>, another server
    /robots.txt                            Disallow: /private-area/

Every request is recorded (path and time) so tests can assert what was requested, and when.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

PAGE = b"<!doctype html><html><head><title>ok</title></head><body><p>fine</p></body></html>\n"


class FaultServer:
    def __init__(self, latency: float = 0.0, slow_seconds: float = 3.0) -> None:
        self.latency = latency
        self.slow_seconds = slow_seconds
        self.requests: list[tuple[str, float]] = []
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server._handle(self)

            def do_HEAD(self) -> None:
                server._handle(self)

            def log_message(self, format: str, *args: object) -> None:  # keep test output clean
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that gives up (a timeout, a dropped connection) is expected here

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for seen, _ in self.requests if seen == path)

    def times(self, path: str) -> list[float]:
        with self._lock:
            return [when for seen, when in self.requests if seen == path]

    def _first(self, path: str) -> bool:
        with self._lock:
            self._counts[path] += 1
            return self._counts[path] == 1

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        with self._lock:
            self.requests.append((path, time.monotonic()))
        if self.latency:
            time.sleep(self.latency)
        if path == "/robots.txt":
            return self._send(handler, 200, b"User-agent: *\nDisallow: /private-area/\n", "text/plain")
        if path == "/ok" or path.startswith(("/page/", "/private-area/")):
            return self._send(handler, 200, PAGE)
        if path == "/":
            return self._send(handler, 200, PAGE)
        redirects = {
            "/moved": (301, "/ok"),
            "/moved-chain": (301, "/moved-chain-2"),
            "/moved-chain-2": (308, "/ok"),
            "/found": (302, "/ok"),
            "/moved-home": (301, "/"),
            "/moved-missing": (301, "/missing"),
            "/loop": (301, "/loop-b"),
            "/loop-b": (301, "/loop"),
            "/to-private": (302, f"http://localhost:{self.port}/ok"),
        }
        for prefix, scheme in (("/to/", "http"), ("/to-https/", "https")):
            if path.startswith(prefix):
                port, _, rest = path[len(prefix) :].partition("/")
                return self._send(handler, 302, b"", headers={"Location": f"{scheme}://127.0.0.1:{port}/{rest}"})
        if path in redirects:
            status, location = redirects[path]
            if location.startswith("/"):
                location = self.base + location
            return self._send(handler, status, b"", headers={"Location": location})
        statuses = {"/missing": 404, "/gone": 410, "/forbidden": 403, "/error": 500}
        if path in statuses:
            return self._send(handler, statuses[path], b"no\n")
        if path == "/limited" or (path == "/limited-once" and self._first(path)):
            return self._send(handler, 429, b"slow down\n", headers={"Retry-After": "1"})
        if path == "/unavailable" or (path == "/unavailable-once" and self._first(path)):
            return self._send(handler, 503, b"later\n", headers={"Retry-After": "1"})
        if path == "/limited-long":
            return self._send(handler, 429, b"come back tomorrow\n", headers={"Retry-After": "3600"})
        if path in ("/limited-once", "/unavailable-once"):
            return self._send(handler, 200, PAGE)
        if path == "/slow":
            # Sleep in slices so that shutting the server down never waits for a sleeping handler.
            deadline = time.monotonic() + self.slow_seconds
            while time.monotonic() < deadline and not self._stopping.is_set():
                time.sleep(0.05)
            return self._send(handler, 200, PAGE)
        if path == "/drop":
            handler.close_connection = True
            handler.connection.close()
            return None
        return self._send(handler, 404, b"unknown path\n")

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the checker gave up first (a timeout)
            handler.close_connection = True
