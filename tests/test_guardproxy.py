"""The guard proxy on its own: what it relays, what it refuses before connecting, and its bounds.

Every connection the proxy makes goes through a recording `connect`, and every name it looks
up through a resolver passed in: a name the test did not define fails, so no test asks DNS.
The only servers reached are FaultServers on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from faultserver import PAGE, FaultServer
from mlsd.links.proxy import Answer, GuardProxy

PUBLIC = "93.184.216.34"  # a global address that no test connects to: the recording connect refuses it


class Network:
    """The names the tests define, and every connection the proxy asks for."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        self.names = names
        self.asked: list[str] = []
        self.connects: list[tuple[str, int]] = []

    def resolve(self, host: str, port: object, **kwargs: object) -> list[tuple[Any, ...]]:
        self.asked.append(host)
        if host not in self.names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in self.names[host]]

    def connect(self, address: tuple[str, int], timeout: float) -> socket.socket:
        self.connects.append(address)
        if not address[0].startswith("127."):
            raise ConnectionRefusedError(111, "Connection refused")  # never beyond loopback
        return socket.create_connection(address, timeout)


@pytest.fixture
def servers() -> Iterator[tuple[FaultServer, FaultServer]]:
    with FaultServer() as allowed, FaultServer() as other:
        yield allowed, other


def ask(proxy: GuardProxy, request: str) -> bytes:
    """The whole answer to one raw request, read until the proxy closes the connection."""
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as client:
        client.sendall(request.encode("latin-1"))
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    return answer


def test_connect_and_absolute_form_get_reach_an_allowed_server(servers: tuple[FaultServer, FaultServer]) -> None:
    allowed, _ = servers
    network = Network({})
    with GuardProxy([("127.0.0.1", allowed.port)], resolve=network.resolve, connect=network.connect) as proxy:
        plain = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
        plain.request("GET", allowed.url("/page/plain"), headers={"Connection": "keep-alive"})
        response = plain.getresponse()
        assert (response.status, response.read()) == (200, PAGE)
        assert response.getheader("Connection") == "close"  # so the client never reuses it for another host
        plain.close()

        tunnel = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
        tunnel.set_tunnel("127.0.0.1", allowed.port)
        for path in ("/page/one", "/page/two"):  # two requests over one tunnel (keep-alive)
            tunnel.request("GET", path)
            response = tunnel.getresponse()
            assert (response.status, response.read()) == (200, PAGE)
        tunnel.close()
    assert [path for path, _ in allowed.requests] == ["/page/plain", "/page/one", "/page/two"]
    assert network.connects == [("127.0.0.1", allowed.port)] * 2 and network.asked == []
    assert proxy.answers == {}


def test_private_destinations_are_refused_before_any_connection(servers: tuple[FaultServer, FaultServer]) -> None:
    allowed, other = servers
    network = Network({"internal.test": ["10.0.0.7"], "mixed.test": [PUBLIC, "127.0.0.1"], "public.test": [PUBLIC]})
    with GuardProxy([("127.0.0.1", allowed.port)], resolve=network.resolve, connect=network.connect) as proxy:
        requests = {
            # Another port of an allowed host is another destination.
            ("127.0.0.1", other.port): f"CONNECT 127.0.0.1:{other.port} HTTP/1.1\r\n\r\n",
            ("169.254.169.254", 80): "CONNECT 169.254.169.254:80 HTTP/1.1\r\n\r\n",
            ("169.254.169.254", 8080): "GET http://169.254.169.254:8080/latest/meta-data/ HTTP/1.1\r\n\r\n",
            ("internal.test", 443): "CONNECT internal.test:443 HTTP/1.1\r\n\r\n",
            ("mixed.test", 80): "GET http://mixed.test/ HTTP/1.1\r\nHost: mixed.test\r\n\r\n",
            ("public.test", 8443): "CONNECT public.test:8443 HTTP/1.1\r\n\r\n",
            ("::1", 443): "CONNECT [::1]:443 HTTP/1.1\r\n\r\n",
        }
        answers = {destination: ask(proxy, request) for destination, request in requests.items()}
    for answer in answers.values():
        assert answer.startswith(b"HTTP/1.1 403 Forbidden (mlsd guard: refused)\r\n")
    assert answers[("internal.test", 443)].endswith(
        b"\r\n\r\n'internal.test' resolves to the non-public address 10.0.0.7\n"
    )
    assert network.connects == [] and other.requests == [] and allowed.requests == []
    assert network.asked == ["internal.test", "mixed.test", "public.test"]
    assert proxy.answers == {
        ("127.0.0.1", other.port): Answer(403, "refused", "'127.0.0.1' resolves to the non-public address 127.0.0.1"),
        ("169.254.169.254", 80): Answer(
            403, "refused", "'169.254.169.254' resolves to the non-public address 169.254.169.254"
        ),
        ("169.254.169.254", 8080): Answer(
            403, "refused", "'169.254.169.254' resolves to the non-public address 169.254.169.254"
        ),
        ("internal.test", 443): Answer(403, "refused", "'internal.test' resolves to the non-public address 10.0.0.7"),
        ("mixed.test", 80): Answer(403, "refused", "'mixed.test' resolves to the non-public address 127.0.0.1"),
        ("public.test", 8443): Answer(403, "refused", "port 8443 of 'public.test' is not allowed (only 80 and 443)"),
        ("::1", 443): Answer(403, "refused", "'::1' resolves to the non-public address ::1"),
    }


def test_the_proxy_connects_to_the_address_it_checked() -> None:
    network = Network({"pinned.test": [PUBLIC]})
    with GuardProxy(resolve=network.resolve, connect=network.connect) as proxy:
        answer = ask(proxy, "CONNECT pinned.test:443 HTTP/1.1\r\n\r\n")
        unknown = ask(proxy, "GET http://gone.test/ HTTP/1.1\r\n\r\n")
    # One lookup, and the address it returned is what the proxy connects to: no second lookup to rebind.
    assert network.asked == ["pinned.test", "gone.test"] and network.connects == [(PUBLIC, 443)]
    assert answer.startswith(b"HTTP/1.1 502 Bad Gateway (mlsd guard: connection refused)\r\n")
    assert unknown.startswith(b"HTTP/1.1 502 Bad Gateway (mlsd guard: unknown host)\r\n")
    assert proxy.answer("PINNED.test.", 443) == Answer(
        502, "connection refused", "connection refused by pinned.test:443"
    )
    assert proxy.answer("gone.test", 80) == Answer(502, "unknown host", "unknown host gone.test")


def test_every_wait_is_bounded(servers: tuple[FaultServer, FaultServer]) -> None:
    allowed, _ = servers
    network = Network({})
    proxy = GuardProxy(
        [("127.0.0.1", allowed.port)],
        resolve=network.resolve,
        connect=network.connect,
        connect_timeout=0.3,
        idle_timeout=0.5,
        max_connections=1,
        max_head=1024,
    )
    with proxy:
        assert ask(proxy, "GET http://127.0.0.1/ HTTP/1.1\r\n" + "X-Filler: x\r\n" * 200 + "\r\n").startswith(
            b"HTTP/1.1 431 Request Header Fields Too Large (mlsd guard: refused)"
        )
        assert ask(proxy, "POST http://127.0.0.1/ HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 405 ")
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as silent:
            time.sleep(0.1)  # the silent client holds the only slot
            assert ask(proxy, "CONNECT 127.0.0.1:1 HTTP/1.1\r\n\r\n").startswith(
                b"HTTP/1.1 503 Service Unavailable (mlsd guard: busy)"
            )
            started = time.monotonic()
            assert silent.recv(1) == b""  # closed after idle_timeout without a request head
            assert time.monotonic() - started < 2
        # A tunnel whose ends both fall silent is closed too, and its slot given back.
        with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as client:
            client.sendall(f"CONNECT 127.0.0.1:{allowed.port} HTTP/1.1\r\n\r\n".encode())
            assert client.recv(1024) == b"HTTP/1.1 200 Connection established\r\n\r\n"
            started = time.monotonic()
            assert client.recv(1) == b""
            assert time.monotonic() - started < 2
        assert ask(proxy, "GET http://127.0.0.1:1/ HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 403 ")
