"""`mlsd schema`: the JSON Schemas generated from the models, written to schemas/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlsd.content import SCHEMA_DIR
from mlsd.errors import EXIT_OK, EXIT_PROBLEMS
from mlsd.files import is_stale, write_atomic
from mlsd.schema import schema_texts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a schema is out of date")


def run(root: Path, check: bool) -> int:
    folder = root / SCHEMA_DIR
    stale = [name for name, text in schema_texts().items() if is_stale(folder / name, text)]
    if check:
        for name in stale:
            print(f"{SCHEMA_DIR}/{name} is out of date", file=sys.stderr)
        if stale:
            print("run 'mlsd schema' to regenerate it", file=sys.stderr)
        return EXIT_PROBLEMS if stale else EXIT_OK
    for name, text in schema_texts().items():
        if name in stale:
            write_atomic(folder / name, text)
            print(f"wrote {SCHEMA_DIR}/{name}", file=sys.stderr)
    return EXIT_OK
