"""What one `mlsd links` run found, and the four ways to report it.

Text and GitHub annotations give each origin of each link its own line, in the compiler
convention (`path:line: verdict url (detail)`); JSON holds everything; the Markdown report
is written for an issue body, most urgent first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from mlsd.links.markdown import Broken
from mlsd.links.origins import Origin
from mlsd.links.state import Allowance
from mlsd.links.verdicts import Result
from mlsd.output import GREEN, RED, YELLOW, escape_annotation_data, escape_annotation_property, paint


@dataclass
class Finding:
    url: str
    origins: list[Origin]
    result: Result
    requested: bool
    escalated: bool = False
    streak: int = 0
    since: str | None = None
    allowance: Allowance | None = None
    fix: str | None = None  # "fixed", or why --fix left the URL alone

    @property
    def skipped_by_allowlist(self) -> bool:
        return self.allowance is not None and not self.requested

    def detail(self) -> str:
        text = self.result.detail
        if self.escalated and self.since:
            text += f"; escalated: not verified in {self.streak} runs in a row since {self.since[:10]}"
        if self.fix:
            text += f"; {self.fix}"
        return text


@dataclass(frozen=True, order=True)
class Note:
    path: str
    line: int
    kind: str  # "unneeded" or "expired"
    url: str
    detail: str


@dataclass
class Run:
    findings: list[Finding] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    total_urls: int = 0
    internal_links: int = 0
    max_age: str = "0"
    checked_at: str = ""
    engine: str = ""

    def count(self, verdict: str) -> int:
        return sum(f.result.verdict == verdict and not f.skipped_by_allowlist for f in self.findings)

    def summary(self) -> dict[str, int]:
        return {
            "urls": self.total_urls,
            "in_scope": len(self.findings),
            "requested": sum(f.requested for f in self.findings),
            "cached": sum(not f.requested and f.allowance is None for f in self.findings),
            "allowlisted": sum(f.skipped_by_allowlist for f in self.findings),
            "dead": self.count("dead"),
            "moved": self.count("moved"),
            "unverified": self.count("unverified"),
            "escalated": sum(f.escalated for f in self.findings),
            "ok": self.count("ok"),
            "internal_links": self.internal_links,
            "internal_broken": len(self.broken),
        }

    def failed(self) -> bool:
        return bool(self.broken) or self.count("dead") > 0


_SHADES = {"dead": RED, "moved": YELLOW, "unverified": YELLOW, "ok": GREEN}


def _shown(finding: Finding, verbose: bool) -> bool:
    if verbose:
        return True
    return finding.result.verdict != "ok" and not finding.skipped_by_allowlist


def _lines(run: Run, verbose: bool) -> list[tuple[str, int, str, str, str]]:
    """(path, line, verdict, target, detail) for every origin of every reported link, sorted."""
    lines: list[tuple[str, int, str, str, str]] = [
        (origin.path, origin.line, finding.result.verdict, finding.url, finding.detail())
        for finding in run.findings
        if _shown(finding, verbose)
        for origin in finding.origins
    ]
    lines += [(broken.path, broken.line, "dead", broken.target, broken.detail) for broken in run.broken]
    lines += [(note.path, note.line, note.kind, note.url, note.detail) for note in run.notes]
    return sorted(lines, key=lambda item: (item[0], item[1]))


def summary_text(run: Run) -> str:
    s = run.summary()
    parts = []
    if s["urls"] or s["in_scope"]:
        escalated = f" ({s['escalated']} escalated)" if s["escalated"] else ""
        of = f"{s['in_scope']} URLs" + (f" of {s['urls']} in the content" if s["in_scope"] != s["urls"] else "")
        how = [f"{s['requested']} requested"]
        how += [f"{s['cached']} checked ok within {run.max_age}"] if s["cached"] else []
        how += [f"{s['allowlisted']} allowlisted"] if s["allowlisted"] else []
        parts.append(
            f"{s['dead']} dead, {s['moved']} moved, {s['unverified']} unverified{escalated} among {of}"
            f" ({', '.join(how)})"
        )
    if s["internal_links"] or run.broken:
        parts.append(f"{s['internal_broken']} of {s['internal_links']} internal links broken")
    return "; ".join(parts) if parts else "nothing to check"


def format_text(run: Run, verbose: bool, color: bool = False) -> str:
    out = []
    for path, line, verdict, target, detail in _lines(run, verbose):
        word = paint(verdict, _SHADES[verdict], color) if verdict in _SHADES else verdict
        out.append(f"{path}:{line}: {word} {target} ({detail})")
    out.append(summary_text(run))
    return "\n".join(out) + "\n"


def format_json(run: Run, verbose: bool, color: bool = False) -> str:
    def allowance(item: Allowance | None) -> dict[str, object] | None:
        return None if item is None else {"reason": item.reason, "review_by": str(item.review_by), "line": item.line}

    document = {
        "urls": [
            {
                "url": f.url,
                "verdict": f.result.verdict,
                "status": f.result.status,
                "detail": f.detail(),
                "final_url": f.result.final_url,
                "requested": f.requested,
                "escalated": f.escalated,
                "consecutive_failures": f.streak,
                "first_failure": f.since,
                "allowlisted": allowance(f.allowance),
                "fix": f.fix,
                "origins": [{"path": o.path, "line": o.line} for o in f.origins],
            }
            for f in sorted(run.findings, key=lambda f: f.url)
        ],
        "internal": [
            {"path": b.path, "line": b.line, "target": b.target, "verdict": "dead", "detail": b.detail}
            for b in run.broken
        ],
        "allowlist": [
            {"path": n.path, "line": n.line, "kind": n.kind, "url": n.url, "detail": n.detail} for n in run.notes
        ],
        "summary": run.summary(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def format_github(run: Run, verbose: bool, color: bool = False) -> str:
    """GitHub workflow commands: an annotation on each line; only dead links are errors."""
    levels = {"dead": "error", "moved": "warning", "unverified": "warning", "expired": "warning"}
    escalated = {(o.path, o.line, f.url) for f in run.findings if f.escalated for o in f.origins}
    out = []
    for path, line, verdict, target, detail in _lines(run, verbose):
        level = levels.get(verdict, "notice")
        title = "escalated link" if (path, line, target) in escalated else f"{verdict} link"
        out.append(
            f"::{level} file={escape_annotation_property(path)},line={line},"
            f"title={escape_annotation_property(title)}::{escape_annotation_data(f'{target} ({detail})')}"
        )
    out.append(summary_text(run))
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def format_markdown(run: Run) -> str:
    """A report for an issue body: what fails, what lasts, what to update, what to review."""
    s = run.summary()
    out = [
        "# Link check report",
        "",
        f"{summary_text(run)}.",
        "",
        f"Checked {run.checked_at}" + (f" with {run.engine}" if run.engine else "") + ".",
    ]

    def table(title: str, intro: str, rows: list[tuple[str, str, str]]) -> None:
        if not rows:
            return
        out.extend(["", f"## {title}", "", intro, "", "| Link | Where | Detail |", "| --- | --- | --- |"])
        out.extend(f"| {_cell(link)} | {_cell(where)} | {_cell(detail)} |" for link, where, detail in rows)

    def where(origins: Sequence[Origin]) -> str:
        return ", ".join(f"`{origin.path}:{origin.line}`" for origin in origins)

    def link(url: str) -> str:
        return f"<{url}>" if re.fullmatch(r"https?://[^\s<>]+", url) else f"`{url}`"

    shown = sorted(run.findings, key=lambda f: f.url)
    table(
        "Dead links",
        "These fail the check. Fix or remove each link, or allowlist it with a reason and a review date.",
        [(link(f.url), where(f.origins), f.detail()) for f in shown if f.result.verdict == "dead"]
        + [(f"`{b.target}`", f"`{b.path}:{b.line}`", b.detail) for b in run.broken],
    )
    table(
        "Escalated",
        "Not verified in several runs in a row: check each by hand, then fix it or allowlist it.",
        [(link(f.url), where(f.origins), f.detail()) for f in shown if f.escalated],
    )
    table(
        "Moved",
        "Permanent redirects: `mlsd links --fix` rewrites these URLs in the YAML files.",
        [(link(f.url), where(f.origins), f.detail()) for f in shown if f.result.verdict == "moved"],
    )
    table(
        "Unverified",
        "Transient or bot-blocked answers; they do not fail the check.",
        [
            (link(f.url), where(f.origins), f.detail())
            for f in shown
            if f.result.verdict == "unverified" and not f.escalated and not f.skipped_by_allowlist
        ],
    )
    table(
        "Allowlist",
        "Entries to retire or review.",
        [(link(n.url), f"`{n.path}:{n.line}`", f"{n.kind}: {n.detail}") for n in run.notes],
    )
    if not (s["dead"] or s["internal_broken"] or s["escalated"] or s["moved"] or s["unverified"] or run.notes):
        out.extend(["", "Nothing needs attention."])
    return "\n".join(out) + "\n"
