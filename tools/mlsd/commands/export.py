"""`mlsd export`: the whole validated content as one JSON document on standard output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mlsd import __version__
from mlsd.collection import load_collection
from mlsd.errors import EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """export has no options of its own."""


def run(root: Path) -> int:
    collection = load_collection(root)
    document = {
        "version": __version__,
        "frameworks": [framework.model_dump(mode="json") for framework in collection.frameworks],
        "cases": [case.model_dump(mode="json") for case in collection.cases],
        # A resource's cases are derived from the cases' citations (relation.py) and exported as before.
        "resources": [
            {**resource.model_dump(mode="json"), "cases": [case.id for case in collection.cases_citing[resource.id]]}
            for resource in collection.resources
        ],
        "tags": collection.tags,
    }
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK
