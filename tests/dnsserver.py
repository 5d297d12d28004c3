"""A DNS server on 127.0.0.1 that the tests control, built on dnslib.

Each name is answered as the test says: addresses, NXDOMAIN, SERVFAIL or silence (no answer
at all); a name not listed gets the default, which makes "the resolver fails for every name"
one argument. The root zone is answered like any name listed as ".", or with the default.
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Mapping
from types import TracebackType

from dnslib import AAAA, NS, QTYPE, RCODE, RR, A, DNSRecord

# A list of addresses, or one of the failures.
Behaviour = list[str] | str
NXDOMAIN, SERVFAIL, SILENT = "nxdomain", "servfail", "silent"
WORKING_ROOT: dict[str, Behaviour] = {".": ["root"]}


class DnsServer:
    def __init__(self, names: Mapping[str, Behaviour], default: Behaviour = NXDOMAIN) -> None:
        self.names = {name.rstrip(".").lower() or ".": behaviour for name, behaviour in names.items()}
        self.default = default
        self.questions: list[tuple[str, str]] = []
        self._server = socketserver.UDPServer(("127.0.0.1", 0), self._handler())
        self.port = int(self._server.server_address[1])
        self.address = f"127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> DnsServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def answer(self, data: bytes) -> bytes | None:
        request = DNSRecord.parse(data)
        name = str(request.q.qname).rstrip(".").lower() or "."
        qtype = QTYPE[request.q.qtype]
        self.questions.append((name, qtype))
        behaviour = self.names.get(name, self.default)
        if behaviour == SILENT:
            return None
        reply = request.reply()
        if behaviour == NXDOMAIN:
            reply.header.rcode = RCODE.NXDOMAIN
        elif behaviour == SERVFAIL:
            reply.header.rcode = RCODE.SERVFAIL
        elif name == ".":
            if qtype == "NS":
                reply.add_answer(RR(".", QTYPE.NS, rdata=NS("a.root-servers.net."), ttl=60))
        else:
            for address in behaviour:
                six = ":" in address
                if qtype == ("AAAA" if six else "A"):
                    rdata = AAAA(address) if six else A(address)
                    reply.add_answer(RR(name, QTYPE.AAAA if six else QTYPE.A, rdata=rdata, ttl=60))
        return bytes(reply.pack())

    def _handler(self) -> type[socketserver.BaseRequestHandler]:
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                data, sock = self.request
                answer = server.answer(data)
                if answer is not None:
                    sock.sendto(answer, self.client_address)

        return Handler
