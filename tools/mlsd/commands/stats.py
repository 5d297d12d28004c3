"""`mlsd stats`: words, follow-ups, references and patches per chapter."""

from __future__ import annotations

import argparse
from pathlib import Path

from mlsd.collection import load_collection
from mlsd.errors import EXIT_OK
from mlsd.models import word_count


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """stats has no options of its own."""


def run(root: Path) -> int:
    collection = load_collection(root)
    print(f"{'ch':>3}  {'id':<34} {'part':<8} {'words':>6} {'follow-ups':>10} {'refs':>5} {'patches':>7}")
    for case in collection.cases:
        print(
            f"{case.chapter:>3}  {case.id:<34} {case.part:<8} {word_count(case.model_dump(mode='json')):>6}"
            f" {len(case.follow_ups):>10} {len(case.references):>5} {len(case.patches):>7}"
        )
    types = sorted({resource.type for resource in collection.resources})
    print(
        f"{len(collection.cases)} cases, {len(collection.frameworks)} frameworks, "
        f"{len(collection.resources)} resources of {len(types)} types ({', '.join(types)})"
    )
    return EXIT_OK
