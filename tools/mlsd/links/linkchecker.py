"""Running LinkChecker in a separate process and reading a verdict from each of its records.

LinkChecker is GPL, so its code never runs in our process: each run writes a config file
into a fresh temporary folder and starts `linkchecker` as a subprocess over one group of
hosts, then reads its XML. Its sharp edges, each verified against 10.6.0 and handled here:

- Start URLs are crawled: an HTML page is parsed and every link under its path is checked
  in turn. `recursionlevel=0` checks the given URLs and nothing else.
- Links it does not check (outside the domain filter without `--check-extern`, or refused by
  robots.txt) are logged as valid ("filtered", "syntax OK"). Both become `unverified`.
- Without `-v` only failures and warnings are logged, so a missing URL could be ok or never
  checked; with `-v` every URL has a record and a URL without one is retried.
- Each URL is reported once: a duplicate, or a URL that another URL redirected to, gets a copy
  of the first record, redirect warnings included. `own_hops` cuts a copy back to its own chain.
- It never retries: 429 counts as valid, 503 and timeouts fail at once. `check_urls` retries
  transient failures itself, with backoff, honouring Retry-After from the 429 warning.
- It writes into $HOME (~/.config/linkchecker, ~/.local/share/linkchecker); HOME and XDG_*
  point into the temporary folder. It reads its translations from the locale: LANGUAGE=en.
- Its exit code counts warnings (a redirect is one); only the XML decides anything here.
- Its politeness gap (0.1-0.6 s per request to a host) is taken under one global lock, so one
  host with many URLs serialises the whole process; disjoint host groups run in parallel.
- Tokens on stdin are split on white space and a token without a scheme is a local file
  relative to the working directory: URLs never hold white space here, the working directory
  is the empty temporary folder and `allowedschemes=http,https`.
- Error texts are cut at 240 characters, which can cut "Connection refused" off; a refused
  connection is then confirmed with a TCP connect of our own (links.review).
- Running as root, it drops to the user nobody once it has read its config, so what it needs
  later never lives in our private temporary folder: URLs come on stdin, XML goes to stdout.
- It has no proxy setting of its own (10.x dropped it); requests takes the proxy from the
  environment for every request, in Session.send and again for each redirect hop in
  resolve_redirects, robots.txt included. So http_proxy and https_proxy name the guard proxy
  (proxy.py) and an empty no_proxy overrides the user's, which could exempt a host.
  Through the proxy an https URL is a CONNECT tunnel, so its errors still name the host; an
  http URL's errors name the proxy, and a refusal is a response: 403 with MARK in its reason.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LINKCHECKER_VERSION = "10.6.0"
INSTALL_HINT = "pip install 'mlsd[links]'"


def find_linkchecker() -> list[str] | None:
    """The command that runs the LinkChecker installed beside this Python, if there is one."""
    folder = Path(sys.executable).parent
    for name in ("linkchecker", "linkchecker.exe"):
        if (folder / name).is_file():
            return [str(folder / name)]
    # find_spec locates the package without running any of its code in our process.
    if importlib.util.find_spec("linkcheck") is not None:
        return [sys.executable, "-m", "linkcheck"]
    return None


def linkchecker_version() -> str | None:
    try:
        return importlib.metadata.version("linkchecker")
    except importlib.metadata.PackageNotFoundError:
        return None


CONFIG = """\
# Written by mlsd links for one LinkChecker run; mlsd/links/linkchecker.py says why each line is here.
[checking]
threads={threads}
timeout={timeout}
aborttimeout={abort}
recursionlevel=0
robotstxt=1
allowedschemes=http,https

[output]
status=0
warnings=1
"""


@dataclass(frozen=True)
class Record:
    """One <urldata> of LinkChecker's XML."""

    url: str
    real_url: str
    valid: bool
    result: str
    hops: tuple[tuple[str, int], ...] = ()
    infos: tuple[str, ...] = ()
    retry_after: str | None = None


_REDIRECT = re.compile(r"Redirected to `(?P<url>.*)' status: (?P<code>\d{3})")
_RETRY_AFTER = re.compile(r"Retry-After: (?P<value>.*)\)\s*$")


def parse_xml(text: str) -> list[Record]:
    """Records from LinkChecker's XML; a run that was killed midway still yields what it wrote."""
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(events=("end",))
    records = []
    try:
        parser.feed(text)
        for event in parser.read_events():
            element = event[-1]
            if isinstance(element, ElementTree.Element) and element.tag == "urldata":
                records.append(_record(element))
    except ElementTree.ParseError:
        pass
    return records


def _record(element: ElementTree.Element) -> Record:
    url = element.findtext("url") or ""
    valid = element.find("valid")
    hops, retry_after = [], None
    for warning in element.iterfind("warnings/warning"):
        text = warning.text or ""
        redirect = _REDIRECT.match(text)
        if warning.get("tag") == "http-redirected" and redirect:
            hops.append((redirect["url"], int(redirect["code"])))
        limited = _RETRY_AFTER.search(text)
        if warning.get("tag") == "http-rate-limited" and limited:
            retry_after = limited["value"].strip()
    return Record(
        url=url,
        real_url=element.findtext("realurl") or url,
        valid=valid is not None and (valid.text or "").strip() == "1",
        result=valid.get("result", "") if valid is not None else "",
        hops=tuple(hops),
        infos=tuple(info.text or "" for info in element.iterfind("infos/info")),
        retry_after=retry_after,
    )


def _environment(folder: Path, proxy: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("LOCPATH", "PYTHONSTARTUP")}
    if proxy is not None:
        # Every request, redirect hops and robots.txt included, goes through the guard proxy:
        # requests reads these for each hop. An empty no_proxy exempts no host, not even loopback.
        for name in ("http_proxy", "https_proxy", "no_proxy"):
            value = "" if name == "no_proxy" else proxy
            env[name], env[name.upper()] = value, value
    env.update(
        HOME=str(folder),
        XDG_CONFIG_HOME=str(folder / "config"),
        XDG_DATA_HOME=str(folder / "data"),
        XDG_CACHE_HOME=str(folder / "cache"),
        LANGUAGE="en",
        LC_ALL="C.UTF-8",
        PYTHONIOENCODING="utf-8",
    )
    return env


def run_linkchecker(
    command: Sequence[str], urls: Sequence[str], timeout: int, threads: int, folder: Path, proxy: str | None = None
) -> tuple[list[Record], str | None]:
    """The records of one LinkChecker process, and what went wrong when it wrote none."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "linkcheckerrc"
    config.write_text(CONFIG.format(threads=threads, timeout=timeout, abort=timeout * 2 + 10), encoding="utf-8")
    arguments = [*command, "-f", str(config), "--check-extern", "-v", "--no-status", "-o", "xml/utf-8", "--stdin"]
    # A generous bound for a process that hangs: every URL of one host in a row, each timing out.
    deadline = 60 + len(urls) * (timeout + 1)
    try:
        process = subprocess.run(
            arguments,
            input="\n".join(urls) + "\n",
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            cwd=folder,
            env=_environment(folder, proxy),
            timeout=deadline,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        partial = expired.stdout or b""
        output = partial.decode("utf-8", "replace") if isinstance(partial, bytes) else partial
        return parse_xml(output), f"LinkChecker was stopped after {deadline} s"
    records = parse_xml(process.stdout)
    if records or process.returncode in (0, 1):
        return records, None
    last = (process.stderr.strip().splitlines() or ["no message"])[-1]
    return records, f"LinkChecker exited with {process.returncode}: {last}"
