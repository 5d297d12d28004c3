"""--fix: a moved URL rewritten on its own lines, only when nothing else in the YAML changes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from mlsd.files import write_atomic
from mlsd.links.report import Finding, Run
from mlsd.urls import canonical_url, check_url

_AFTER_URL = r"(?![.,;:!?*~)\]]*[^\s<>\"'`.,;:!?*~)\]])"  # the URL ends here, as urls_in() cuts it


def replace_url(text: str, old: str, new: str) -> str:
    return re.sub(re.escape(old) + _AFTER_URL, lambda _: new, text)


def _substitute(value: object, old: str, new: str) -> object:
    if isinstance(value, str):
        return replace_url(value, old, new)
    if isinstance(value, list):
        return [_substitute(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _substitute(item, old, new) for key, item in value.items()}
    return value


def rewrite(text: str, edits: Sequence[tuple[int, str, str]]) -> str | None:
    """The text with each (line, old, new) replaced on its line, or None when the YAML would
    change in any other way than those URLs (a quote the new URL breaks, an escape)."""
    lines = text.splitlines(keepends=True)
    for line, old, new in edits:
        if 0 < line <= len(lines):
            lines[line - 1] = replace_url(lines[line - 1], old, new)
    changed = "".join(lines)
    try:
        expected = yaml.safe_load(text)
        for _, old, new in edits:
            expected = _substitute(expected, old, new)
        return changed if yaml.safe_load(changed) == expected else None
    except yaml.YAMLError:
        return None


def fix_moved(root: Path, run: Run, progress: Callable[[str], None]) -> None:
    """Rewrite each moved URL on its lines, unless the new URL breaks the rules or the YAML would change."""
    edits: dict[str, list[tuple[int, str, str]]] = {}
    targets: dict[str, list[Finding]] = {}
    for finding in run.findings:
        new = finding.result.final_url
        if finding.result.verdict != "moved" or not finding.requested or not new:
            continue
        if check_url(new) and not check_url(canonical_url(new)):
            new = canonical_url(new)  # drop the tracking parameters a redirect added
        problems = check_url(new)
        if problems and not check_url(finding.url):
            finding.fix = f"not fixed: the new URL breaks the content rules ({problems[0].message})"
            continue
        for origin in finding.origins:
            edits.setdefault(origin.path, []).append((origin.line, finding.url, new))
            targets.setdefault(origin.path, []).append(finding)
    rewritten = 0
    for path, file_edits in sorted(edits.items()):
        text = (root / path).read_text(encoding="utf-8")
        changed = rewrite(text, file_edits)
        refused = f"not fixed: rewriting {path} would change more than the URL"
        for finding in targets[path]:
            finding.fix = "fixed" if changed is not None else refused
        if changed is not None and changed != text:
            write_atomic(root / path, changed)
            rewritten += 1
    if rewritten:
        progress(f"rewrote moved URLs in {rewritten} files; run 'mlsd validate' to check them against the rules")
