"""The two offline Mermaid renderers on PyPI, on this repository's own diagrams.

    python bench/bench_renderers.py            # every chapter's diagram, drawn top to bottom
    python bench/bench_renderers.py --limit 3  # the first three (mermaidx takes seconds each)

For each renderer: time per diagram, whether two renders (and a render in a fresh
process) give the same bytes, and whether the labels are <text> or <foreignObject>.
mmdr is what mlsd uses; mermaidx runs Mermaid's own JavaScript in QuickJS. Results go to
bench/results/renderers.md; docs/diagrams.md quotes them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml
from report import publish

from mlsd.diagrams.mermaid import to_mermaid
from mlsd.diagrams.svg import for_paper
from mlsd.models import Case

ROOT = Path(__file__).resolve().parents[1]
DRAW = {
    "mmdr 0.4.0 (merman)": "import mmdr, sys; sys.stdout.write(mmdr.render(sys.stdin.read(), backend='merman').svg())",
    "mermaidx 0.10.1 (quickjs)": (
        "import mermaidx, sys; sys.stdout.write(mermaidx.render(sys.stdin.read(),"
        " config={'flowchart': {'htmlLabels': False}}).svg())"
    ),
}


def sources(limit: int | None) -> list[str]:
    found = []
    for path in sorted((ROOT / "cases").glob("*.yaml")):
        case = Case.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        found += [to_mermaid(for_paper(diagram)) for diagram in case.diagrams or []]
    return found[:limit]


def draw(code: str, source: str) -> tuple[str, float]:
    """One render in a fresh process, timed inside it so start-up is not counted."""
    timed = f"import time; t = time.perf_counter(); {code}; sys.stderr.write(str(time.perf_counter() - t))"
    result = subprocess.run([sys.executable, "-c", timed], input=source, capture_output=True, text=True, check=True)
    return result.stdout, float(result.stderr.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    diagrams = sources(args.limit)
    lines = [
        f"{len(diagrams)} diagrams from cases/, drawn top to bottom as the checklist draws them.",
        "",
        "| renderer | ms per diagram (mean) | same bytes in a second process | `<text>` labels | `<foreignObject>` |",
        "| --- | ---: | --- | --- | --- |",
    ]
    for name, code in DRAW.items():
        seconds, same, text, foreign = 0.0, 0, 0, 0
        for source in diagrams:
            first, elapsed = draw(code, source)
            second, _ = draw(code, source)
            seconds += elapsed
            same += first == second
            text += "<text" in first
            foreign += "<foreignObject" in first
        count = len(diagrams)
        lines.append(
            f"| {name} | {1000 * seconds / count:,.0f} | {same} of {count} | {text} of {count} | {foreign} of {count} |"
        )
    publish("renderers", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
