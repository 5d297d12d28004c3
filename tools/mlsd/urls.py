"""URL policy and normalisation, shared by validation and link checking.

The policy exists because the link checker requests every URL in the content: a pull
request must never be able to steer it at an internal address (169.254.169.254, a
service on localhost) or make the list a carrier for trackers and pirated books.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mlsd.codes import Code

SHORTENERS = frozenset(
    {
        "aka.ms",
        "amzn.to",
        "bit.do",
        "bit.ly",
        "buff.ly",
        "cutt.ly",
        "dlvr.it",
        "fb.me",
        "goo.gl",
        "is.gd",
        "lnkd.in",
        "ow.ly",
        "rb.gy",
        "rebrand.ly",
        "s.id",
        "shorturl.at",
        "t.co",
        "t.ly",
        "tiny.cc",
        "tinyurl.com",
        "trib.al",
        "v.gd",
        "youtu.be",
    }
)

# Hosts known for unofficial copies of books and papers; a book links its publisher.
PIRACY_HOSTS = frozenset(
    {
        "1lib.net",
        "annas-archive.org",
        "annas-archive.li",
        "annas-archive.se",
        "b-ok.cc",
        "b-ok.org",
        "dokumen.pub",
        "ebin.pub",
        "epdf.pub",
        "gen.lib.rus.ec",
        "libgen.is",
        "libgen.li",
        "libgen.rs",
        "libgen.st",
        "pdfcoffee.com",
        "pdfdrive.com",
        "sci-hub.se",
        "sci-hub.ru",
        "sci-hub.st",
        "vdoc.pub",
        "z-lib.org",
        "z-library.sk",
        "zlibrary.to",
    }
)
PIRACY_LABELS = ("libgen", "sci-hub", "z-lib", "zlibrary", "annas-archive")

TRACKING_PARAMETERS = frozenset(
    {
        "_hsenc",
        "_hsmi",
        "dclid",
        "fbclid",
        "gclid",
        "gclsrc",
        "igshid",
        "mc_cid",
        "mc_eid",
        "msclkid",
        "ref_src",
        "spm",
        "trk",
        "twclid",
        "wbraid",
        "gbraid",
        "yclid",
        "si",
    }
)

INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".corp", ".lan", ".home.arpa")


@dataclass(frozen=True)
class UrlProblem:
    code: Code
    message: str
    hint: str | None = None


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMETERS


def tracking_parameters(url: str) -> list[str]:
    """The tracking parameters in a URL's query, sorted; empty for a clean or unparsable URL."""
    try:
        query = urlsplit(url).query
    except ValueError:
        return []
    return sorted({name for name, _ in parse_qsl(query, keep_blank_values=True) if is_tracking_parameter(name)})


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally, including the forms browsers accept (0x7f.1, 2130706433)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if host and all(part.isalnum() for part in host.split(".")) and host.split(".")[-1][:1].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def is_internal_name(host: str) -> bool:
    return host == "localhost" or "." not in host or host.endswith(INTERNAL_SUFFIXES)


def check_url(url: str) -> list[UrlProblem]:
    """Every way a URL breaks the content policy; empty when it is acceptable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return [UrlProblem("url-invalid", f"not a valid URL: {error}")]
    host = (parts.hostname or "").rstrip(".").lower()
    problems = []
    if parts.scheme.lower() != "https":
        problems.append(
            UrlProblem(
                "url-scheme",
                f"only https URLs are allowed, not '{parts.scheme or 'none'}'",
                "use the https:// address of the same page",
            )
        )
    if not host:
        return [*problems, UrlProblem("url-invalid", "the URL has no host")]
    problems += _host_problems(parts.username, parts.password, host, port)
    tracking = tracking_parameters(url)
    if tracking:
        problems.append(
            UrlProblem(
                "url-tracking", f"tracking parameters in the URL: {', '.join(tracking)}", f"use {canonical_url(url)}"
            )
        )
    return problems


def _host_problems(user: str | None, password: str | None, host: str, port: int | None) -> list[UrlProblem]:
    problems = []
    if user is not None or password is not None:
        problems.append(
            UrlProblem(
                "url-credentials",
                "the URL carries a user name or password",
                "link the public page; never put credentials in content",
            )
        )
    address = ip_literal(host)
    if address is not None:
        where = "a public" if is_public_address(address) else "a private, loopback, link-local or reserved"
        problems.append(
            UrlProblem(
                "url-private",
                f"'{host}' is {where} IP address, not a host name",
                "link the site by its public domain name",
            )
        )
    elif is_internal_name(host):
        problems.append(
            UrlProblem("url-private", f"'{host}' is not a public host name", "link a page on the public web")
        )
    if port is not None and port != 443:
        problems.append(
            UrlProblem(
                "url-private",
                f"port {port} is not allowed; public pages are served on 443",
                "remove the port from the URL",
            )
        )
    if host in SHORTENERS or host.removeprefix("www.") in SHORTENERS:
        problems.append(
            UrlProblem(
                "url-shortener", f"'{host}' is a link shortener", "link the full address the short link leads to"
            )
        )
    if host.removeprefix("www.") in PIRACY_HOSTS or any(label in host for label in PIRACY_LABELS):
        problems.append(
            UrlProblem(
                "url-piracy",
                f"'{host}' hosts unofficial copies of books and papers",
                "link the publisher's page, or the author's own copy",
            )
        )
    return problems


def canonical_url(url: str) -> str:
    """The URL without tracking parameters or an empty fragment; the host in lower case."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_parameter(k)]
    netloc = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, urlencode(query), parts.fragment))


def normalise_url(url: str) -> str:
    """A key under which two spellings of the same page compare equal (for duplicate detection)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".").lower().removeprefix("www.")
        port = parts.port
    except ValueError:
        return url.strip()
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_parameter(k))
    path = parts.path.rstrip("/") or ""
    return urlunsplit(("https", netloc, path, urlencode(query), ""))
