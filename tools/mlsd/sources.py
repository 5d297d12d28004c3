"""Which files are generated, and the YAML (or code) each is made from.

Contributors edit YAML only; the regeneration workflow on main rewrites these files. A pull
request that edits one by hand is told which file to edit instead (`mlsd generated`).
"""

from __future__ import annotations

import re

README = "README.md"
# The generated part of the README lies between these two lines (render/pages.py writes them).
README_START = "<!-- mlsd:generated:start"
README_END = "<!-- mlsd:generated:end -->"
ALL_CONTENT = "the cases/*.yaml, frameworks/*.yaml and resources.yaml it lists"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"docs/cases/(?P<id>[^/]+)\.md"), "cases/{id}.yaml"),
    (re.compile(r"docs/frameworks/(?P<id>[^/]+)\.md"), "frameworks/{id}.yaml"),
    (re.compile(r"docs/checklist\.html"), "the cases/*.yaml and frameworks/*.yaml it lists"),
    (re.compile(r"schemas/[^/]+\.schema\.json"), "tools/mlsd/models.py (then the workflow runs 'mlsd schema')"),
)


def source_of(path: str) -> str | None:
    """What to edit instead of a generated file; None for a file that is not generated.

    The README is only partly generated: ask readme_generated_part for that."""
    for pattern, source in _RULES:
        found = pattern.fullmatch(path)
        if found:
            return source.format(**found.groupdict())
    return None


def readme_generated_part(text: str) -> tuple[int, list[str]]:
    """The first line number (1-based) and the lines of the README's generated part."""
    lines = text.split("\n")
    start = next((index for index, line in enumerate(lines) if line.startswith(README_START)), None)
    if start is None:
        return 0, []
    end = next((index for index in range(start, len(lines)) if lines[index] == README_END), len(lines))
    return start + 1, lines[start:end]
