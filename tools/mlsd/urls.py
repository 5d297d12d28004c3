"""URL policy and normalisation, shared by validation and link checking.

The policy exists because the link checker requests every URL in the content: a pull
request must never be able to steer it at an internal address (169.254.169.254, a
service on localhost) or make the list a carrier for trackers and pirated books.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from mlsd.codes import Code
from mlsd.hostlists import (
    DOCUMENT_SUFFIXES,
    FILE_HOSTS,
    INTERNAL_SUFFIXES,
    PIRACY_HOSTS,
    PIRACY_LABELS,
    SHARING_HOSTS,
    SHORTENERS,
    TRACKING_PARAMETERS,
)
from mlsd.text import describe, find_invisible


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
    written = _written_problem(url)
    if written is not None:
        return [written]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return [UrlProblem("url-invalid", f"not a valid URL: {error}")]
    host = (parts.hostname or "").rstrip(".").lower()
    if host and ip_literal(host) is None:
        shape = host_shape(parts.hostname or "")
        if shape is not None:
            return [shape]
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
        hint = "write '//' after the scheme: https://example.com/..." if not parts.netloc else None
        return [*problems, UrlProblem("url-invalid", "the URL has no host", hint)]
    problems += _host_problems(parts.username, parts.password, host, port)
    tracking = tracking_parameters(url)
    if tracking:
        problems.append(
            UrlProblem(
                "url-tracking", f"tracking parameters in the URL: {', '.join(tracking)}", f"use {canonical_url(url)}"
            )
        )
    return problems


def _written_problem(url: str) -> UrlProblem | None:
    # Each of these reads differently in different parsers, so what is checked (urlsplit here,
    # requests in LinkChecker, the reader's browser) may not be one page.
    found = find_invisible(url)
    if found is not None:
        return UrlProblem(
            "url-invalid", f"invisible character {describe(url[found])} in the URL", "delete it and retype the URL"
        )
    if "\\" in url:
        return UrlProblem(
            "url-invalid",
            "a backslash in the URL: browsers read it as '/', other parsers do not",
            "write '/' where a path is meant, or '%5C' for a literal backslash",
        )
    if any(char.isspace() for char in url.split("#", 1)[0].partition("//")[2].partition("/")[0]):
        return UrlProblem("url-host", "the host holds a space", "remove the space from the host")
    if any(char.isspace() for char in url):
        return UrlProblem("url-invalid", "the URL holds a space", "write a space in a path or query as %20")
    return None


MAX_LABEL, MAX_HOST = 63, 253
_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")


def host_shape(written: str) -> UrlProblem | None:
    """Why a host name (not an IP literal) is not one plain DNS name as written, or None."""
    host = written.lower()
    if not host.isascii():
        hint = "write the host in ASCII (an international domain name in its xn-- form)"
        with contextlib.suppress(UnicodeError):
            hint += f": {host.encode('idna').decode('ascii')}" if host.rstrip(".") == host else ""
        return UrlProblem(
            "url-host",
            f"the host '{written}' is not ASCII: Unicode in a host can read as another host "
            "(a fullwidth or an ideographic full stop is a dot) or imitate one",
            hint,
        )
    if "%" in host:
        return UrlProblem(
            "url-host",
            f"percent-encoding in the host '{written}' hides the name that is requested",
            "write the host name itself",
        )
    if host.endswith("."):
        return UrlProblem("url-host", f"the host '{written}' ends in a dot", f"write {host.rstrip('.')}")
    if len(host) > MAX_HOST:
        message = f"the host is {len(host)} characters long; DNS allows {MAX_HOST}"
        return UrlProblem("url-host", message, "no such host can exist; copy the address again")
    for label in host.split("."):
        if len(label) > MAX_LABEL:
            length = len(label)
            message = f"a label of the host is {length} characters long; DNS allows {MAX_LABEL}"
            return UrlProblem("url-host", message, "no such host can exist; copy the address again")
        if not _LABEL.fullmatch(label):
            shown = f"'{label}'" if label else "an empty label"
            return UrlProblem(
                "url-host",
                f"{shown} in the host '{written}' is not a DNS label",
                "a host is letters, digits and hyphens between dots",
            )
        homograph = _mixed_scripts(label)
        if homograph is not None:
            return UrlProblem(
                "url-host",
                f"the host '{written}' reads as '{homograph}', which mixes scripts: a look-alike of another host",
                "link the site by its real name",
            )
    return None


def _mixed_scripts(label: str) -> str | None:
    """The Unicode reading of an xn-- label whose letters come from more than one script."""
    if not label.startswith("xn--"):
        return None
    try:
        decoded = label.encode("ascii").decode("idna")
    except UnicodeError:
        return label  # not a valid punycode label: nothing a registry would have issued
    scripts = {unicodedata.name(char, "?").split()[0] for char in decoded if char.isalpha()}
    return decoded if len(scripts) > 1 else None


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


def _on(host: str, hosts: frozenset[str]) -> bool:
    labels = host.split(".")
    return any(".".join(labels[index:]) in hosts for index in range(len(labels) - 1))


def document_suffix(url: str) -> str | None:
    """The file type a URL's path ends in (.pdf, .epub, ...), or None for a page."""
    try:
        path = unquote(urlsplit(url).path).lower().rstrip("/")
    except ValueError:
        return None
    return next((suffix for suffix in DOCUMENT_SUFFIXES if path.endswith(suffix)), None)


def copy_problem(url: str, resource_type: str) -> UrlProblem | None:
    """Why a resource's URL may be an unofficial copy: the rule CONTRIBUTING.md states under "Links".

    A book links its publisher's or author's page, never a file; a document file is linked only
    for a paper, and never from a host where anyone can put any file."""
    host, suffix = host_of(url), document_suffix(url)
    if resource_type == "book" and suffix is not None:
        return UrlProblem(
            "url-copy",
            f"a book links its publisher's or author's page, not a {suffix} file",
            "link the page where the publisher or the author offers the book",
        )
    if suffix is not None and _on(host, FILE_HOSTS):
        return UrlProblem(
            "url-copy",
            f"a {suffix} file on '{host}', where anyone can put any file, is not the author's or publisher's copy",
            "link the paper on its publisher's site, arXiv, or the author's own page",
        )
    if suffix is not None and resource_type != "paper":
        return UrlProblem(
            "url-copy",
            f"a {resource_type} links a page, not a {suffix} file; only a paper may link its PDF",
            "link the page that presents it",
        )
    if resource_type == "book" and _on(host, SHARING_HOSTS):
        return UrlProblem(
            "url-copy",
            f"a book on '{host}', a file-sharing host, is not its publisher's or author's page",
            "link the page where the publisher or the author offers the book",
        )
    return None


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
