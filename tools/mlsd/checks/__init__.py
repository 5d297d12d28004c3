"""Whole-collection rules: what no single file can know is wrong.

Each rule is a function of the loaded content and the index of its ids, built once per
run, returning its problems; RULES is the registry, one module per family of rules.
A new rule is a function in its family's module and a line in RULES.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from mlsd.checks import (
    ageing,
    crosswalk,
    delivery,
    diagrams,
    duplicates,
    names,
    patches,
    placeholders,
    references,
    urls,
)
from mlsd.checks.index import Index
from mlsd.content import Content, load_content
from mlsd.problems import Problem

Rule = Callable[[Content, Index], list[Problem]]

RULES: tuple[Rule, ...] = (
    names.file_names,
    duplicates.duplicate_ids,
    duplicates.duplicate_chapters,
    patches.classic_patches,
    references.case_references,
    references.resource_references,
    duplicates.duplicate_items,
    urls.urls,
    placeholders.placeholders,
    delivery.required_fields,
    delivery.sizing,
    delivery.experiment,
    delivery.production_examples,
    delivery.talk_track,
    ageing.ageing,
    crosswalk.crosswalks,
    diagrams.diagrams,
)


def check_collection(content: Content, today: date) -> list[Problem]:
    ids = Index.build(content, today)
    return [problem for rule in RULES for problem in rule(content, ids)]


def validated(root: Path, today: date | None = None) -> tuple[Content, list[Problem]]:
    """The repository's content with every problem of its files and of the collection, sorted.

    Ages (stale patches and reviews) are judged as of today unless a day is given."""
    content = load_content(root)
    return content, sorted([*content.problems, *check_collection(content, today or date.today())])
