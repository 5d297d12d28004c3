"""`mlsd render`: the README's generated part, the case and framework pages and the checklist."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mlsd.collection import load_collection
from mlsd.errors import EXIT_OK, EXIT_PROBLEMS
from mlsd.files import is_stale, write_atomic
from mlsd.render.generated import generated_files, orphans


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="write nothing; list stale files and exit 1 if any")
    parser.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="write every generated file under DIR instead of the repository (a pull request's preview)",
    )


def run(root: Path, check: bool, output: Path | None) -> int:
    collection = load_collection(root)
    files = generated_files(root, collection)
    if output is not None:
        for name, text in files.items():
            write_atomic(output / name, text)
        print(f"wrote {len(files)} generated files under {output}", file=sys.stderr)
        return EXIT_OK
    stale = sorted(name for name, text in files.items() if is_stale(root / name, text))
    removed = orphans(root, files)
    if check:
        for name in stale:
            print(f"{name} is out of date", file=sys.stderr)
        for name in removed:
            print(f"{name} belongs to no case or framework", file=sys.stderr)
        if stale or removed:
            print("run 'mlsd render' and commit the result", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"{len(files)} generated files are up to date", file=sys.stderr)
        return EXIT_OK
    for name in stale:
        write_atomic(root / name, files[name])
    for name in removed:
        (root / name).unlink()
    print(
        f"wrote {len(stale)} of {len(files)} generated files" + (f", removed {len(removed)}" if removed else ""),
        file=sys.stderr,
    )
    return EXIT_OK
