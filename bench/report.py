"""Where every benchmark writes its table: bench/results/NAME.md, and standard output."""

from __future__ import annotations

import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def publish(name: str, lines: list[str]) -> None:
    output = "\n".join(lines) + "\n"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.md").write_text(output, encoding="utf-8")
    sys.stdout.write(output)
