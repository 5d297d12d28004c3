"""Name lookups with dnspython, telling a name that does not exist from a resolver that failed.

The guard (guard.py) and the guard proxy (proxy.py) look every host up themselves, and
their verdicts rest on why a lookup failed: a name the DNS says does not exist (NXDOMAIN)
is a dead link, while a resolver that fails (SERVFAIL), does not answer or cannot be reached
says nothing about the link. getaddrinfo blurs these (an offline laptop can answer "name or
service not known"), so the answer is read from the DNS message itself.

Each query goes over a connected UDP socket, so that a server that is not listening is
reported at once (ICMP port unreachable) rather than waited for; a truncated answer is asked
again over TCP. The servers are the system's (/etc/resolv.conf) or one given as
ADDRESS[:PORT], which is how the tests point it at a server of their own on 127.0.0.1.
The result has getaddrinfo's shape, so the guard and the proxy take either.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver

DEFAULT_PORT = 53
_NODATA = getattr(socket, "EAI_NODATA", socket.EAI_NONAME)


def parse_server(text: str) -> tuple[str, int]:
    """'127.0.0.1', '127.0.0.1:5353', '::1' or '[::1]:5353' -> (address, port); ValueError otherwise."""
    address, port = text, DEFAULT_PORT
    if text.startswith("["):
        address, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":") or not rest[1:].isdigit():
                raise ValueError(f"'{text}' is not ADDRESS[:PORT]")
            port = int(rest[1:])
    elif text.count(":") == 1:
        address, _, number = text.partition(":")
        if not number.isdigit():
            raise ValueError(f"'{text}' is not ADDRESS[:PORT]")
        port = int(number)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise ValueError(f"'{text}' is not an IP address with an optional port") from None
    if not 0 < port < 65536:
        raise ValueError(f"port {port} is not between 1 and 65535")
    return address, port


def _system_servers() -> list[tuple[str, int]]:
    try:
        system = dns.resolver.Resolver(configure=True)
    except dns.resolver.NoResolverConfiguration:
        return []
    return [(str(server), int(system.port)) for server in system.nameservers]


class DnsResolver:
    """A getaddrinfo with the DNS's own answer in its errors: EAI_NONAME / EAI_NODATA for a name
    that does not exist or has no address, EAI_FAIL for SERVFAIL or REFUSED, EAI_AGAIN for a
    server that does not answer or cannot be reached."""

    def __init__(self, server: str | None = None, timeout: float = 5.0) -> None:
        self.servers = [parse_server(server)] if server else _system_servers()
        self.timeout = timeout

    def __call__(self, host: str, port: object = None, **_: object) -> list[tuple[Any, ...]]:
        number = port if isinstance(port, int) else 0
        infos = []
        for address in self.addresses(host):
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            infos.append((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, number)))
        return infos

    def addresses(self, host: str) -> list[str]:
        host = host.rstrip(".").lower()
        if host == "localhost" or host.endswith(".localhost"):
            return ["127.0.0.1", "::1"]  # RFC 6761: these names are loopback, and never asked
        try:
            name = dns.name.from_text(host)
        except (dns.exception.DNSException, UnicodeError) as error:
            raise socket.gaierror(socket.EAI_NONAME, f"'{host}' is not a host name ({error})") from None
        found: list[str] = []
        for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            response = self._ask(name, rdtype)
            if response.rcode() == dns.rcode.NXDOMAIN:
                raise socket.gaierror(socket.EAI_NONAME, f"no such name: {host} (NXDOMAIN)")
            found += [item.address for rrset in response.answer if rrset.rdtype == rdtype for item in rrset]
        if not found:
            raise socket.gaierror(_NODATA, f"{host} has no address")
        return found

    def probe(self) -> str | None:
        """Why the servers do not answer for the root zone, a name every resolver knows; None when they do."""
        try:
            response = self._ask(dns.name.root, dns.rdatatype.NS)
        except socket.gaierror as error:
            return str(error.strerror)
        if response.rcode() != dns.rcode.NOERROR or not response.answer:
            return f"the resolver answers {dns.rcode.to_text(response.rcode())} even for the root zone"
        return None

    def _ask(self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType) -> dns.message.Message:
        """The first answer of NOERROR or NXDOMAIN from the servers in turn; gaierror when none gives one."""
        if not self.servers:
            raise socket.gaierror(socket.EAI_FAIL, "no DNS server is configured (/etc/resolv.conf)")
        failure = socket.gaierror(socket.EAI_FAIL, "no DNS server answered")
        for address, port in self.servers:
            where = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
            try:
                response = self._query(name, rdtype, address, port)
            except dns.exception.Timeout:
                failure = socket.gaierror(
                    socket.EAI_AGAIN, f"the DNS server {where} did not answer in {self.timeout:g} s"
                )
                continue
            except OSError as error:
                reason = error.strerror or str(error)
                failure = socket.gaierror(socket.EAI_AGAIN, f"the DNS server {where} cannot be reached: {reason}")
                continue
            except dns.exception.DNSException as error:
                failure = socket.gaierror(socket.EAI_FAIL, f"the DNS server {where} sent a broken answer: {error}")
                continue
            if response.rcode() in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                return response
            rcode = dns.rcode.to_text(response.rcode())
            failure = socket.gaierror(socket.EAI_FAIL, f"the DNS server {where} failed ({rcode})")
        raise failure

    def _query(
        self, name: dns.name.Name, rdtype: dns.rdatatype.RdataType, address: str, port: int
    ) -> dns.message.Message:
        query = dns.message.make_query(name, rdtype)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            # Connected, so that ICMP "port unreachable" comes back as ConnectionRefusedError.
            sock.connect((address, port))
            sock.setblocking(False)  # dnspython waits on a socket it is given only if it does not block
            response = dns.query.udp(query, address, timeout=self.timeout, port=port, sock=sock)
        if response.flags & dns.flags.TC:
            response = dns.query.tcp(query, address, timeout=self.timeout, port=port)
        return response
