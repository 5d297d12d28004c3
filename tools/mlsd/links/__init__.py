"""Link checking: every URL of the content, and the internal links of the generated Markdown.

This is the surface commands/links.py uses; the modules, read in the order a run goes:

- origins.py   every URL of the content with each file:line it appears at
- session.py   what a run requests, given the history and the allowlist, and what it records
- check.py     host groups, one LinkChecker process each, retries with backoff
- guard.py     the private-address guard before the run, and verdicts from the proxy's answers
- proxy.py     the guard proxy every request of LinkChecker goes through
- resolver.py  name lookups with dnspython: NXDOMAIN told from a resolver that failed
- network.py   when the resolver or the network is down, so that nothing is judged
- linkchecker.py  LinkChecker as a subprocess, and its XML; verdicts.py reads a verdict from it
- state.py     the history between runs, and the allowlist
- report.py    text, JSON, GitHub annotations and the Markdown issue report
- markdown.py  internal links and anchors of the generated Markdown
- fix.py       --fix: moved URLs rewritten in place
- changes.py   --changed-since: the lines a branch added
"""

from __future__ import annotations

from mlsd.links.changes import changed_lines
from mlsd.links.check import Options, check_urls
from mlsd.links.fix import fix_moved
from mlsd.links.linkchecker import INSTALL_HINT, LINKCHECKER_VERSION, find_linkchecker, linkchecker_version
from mlsd.links.markdown import check_markdown, markdown_files
from mlsd.links.origins import Origin, collect
from mlsd.links.report import Note, Run, format_github, format_json, format_markdown, format_text
from mlsd.links.resolver import parse_server
from mlsd.links.session import Policy, check_scope
from mlsd.links.state import ALLOWLIST_FILE, HISTORY_FILE, describe_age, parse_age, read_allowlist
from mlsd.links.verdicts import Result

__all__ = [
    "ALLOWLIST_FILE",
    "HISTORY_FILE",
    "INSTALL_HINT",
    "LINKCHECKER_VERSION",
    "Note",
    "Options",
    "Origin",
    "Policy",
    "Result",
    "Run",
    "changed_lines",
    "check_markdown",
    "check_scope",
    "check_urls",
    "collect",
    "describe_age",
    "find_linkchecker",
    "fix_moved",
    "format_github",
    "format_json",
    "format_markdown",
    "format_text",
    "linkchecker_version",
    "markdown_files",
    "parse_age",
    "parse_server",
    "read_allowlist",
]
