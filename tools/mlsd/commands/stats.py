"""`mlsd stats`: each chapter's words, follow-ups, references and patches against the depth bar.

Placeholder text from `mlsd new case` is not counted: a fresh skeleton has written nothing.
A repository with errors still gets its numbers (for the cases that pass their model), and
the errors are reported on stderr, so a draft can be measured before it is finished.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from mlsd.checks import validated
from mlsd.errors import EXIT_OK
from mlsd.models import Case, word_count
from mlsd.output import use_color
from mlsd.problems import report
from mlsd.scaffold import TODO


@dataclass(frozen=True)
class Bar:
    """What CONTRIBUTING.md's "What makes a case good" asks of every chapter."""

    words: int = 1500
    follow_ups: int = 5
    references: int = 4
    classic_patches: int = 1


BAR = Bar()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """stats has no options of its own."""


def written_words(value: object) -> int:
    """Words in every string of a dumped model, without the placeholders still to be written."""
    if isinstance(value, str):
        return 0 if value.startswith(TODO) else word_count(value)
    if isinstance(value, dict):
        return sum(written_words(item) for item in value.values())
    if isinstance(value, list):
        return sum(written_words(item) for item in value)
    return 0


def _cell(have: int, need: int) -> tuple[str, bool]:
    return f"{have:,}/{need:,}", have >= need


def row(case: Case) -> str:
    patches_needed = BAR.classic_patches if case.part == "classic" else 0
    cells = {
        "words": _cell(written_words(case.model_dump(mode="json")), BAR.words),
        "follow-ups": _cell(len(case.follow_ups), BAR.follow_ups),
        "references": _cell(len(case.references), BAR.references),
        "patches": _cell(len(case.patches), patches_needed),
    }
    short = [name for name, (_, met) in cells.items() if not met]
    verdict = "meets the bar" if not short else "below: " + ", ".join(short)
    chapter = str(case.chapter) if case.chapter is not None else "new"
    text = "".join(f" {cells[name][0]:>12}" for name in cells)
    return f"{chapter:>3}  {case.id:<34} {case.part:<8}{text}  {verdict}"


def run(root: Path) -> int:
    content, problems = validated(root)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        sys.stderr.write(report(errors, len(content.files), "text", use_color("auto", sys.stderr)))
        print("mlsd: the numbers below leave out the cases with errors", file=sys.stderr)
    cases = sorted(
        (item.model for item in content.cases if item.model is not None),
        key=lambda case: (case.chapter is None, case.chapter or 0, case.id),
    )
    header = "".join(f" {name:>12}" for name in ("words", "follow-ups", "references", "patches"))
    print(f"{'ch':>3}  {'id':<34} {'part':<8}{header}  depth bar")
    for case in cases:
        print(row(case))
    resources = content.valid_resources
    types = sorted({resource.type for _, resource in resources})
    print(
        f"{len(cases)} cases, {len(content.frameworks)} frameworks, "
        f"{len(resources)} resources of {len(types)} types ({', '.join(types)})"
    )
    return EXIT_OK
