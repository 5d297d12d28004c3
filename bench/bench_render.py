"""Benchmark `mlsd render` on this repository and on synthetic repositories.

    python bench/bench_render.py              # repository and 10,000 synthetic cases
    python bench/bench_render.py --sizes 1000 --repeat 1

There is no peer tool that renders this content, so the figures are absolute: wall time
for a cold render (every file written) and a `--check` run (everything rendered, nothing
written), and cases per second. Results go to bench/results/render.md.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import tempfile
import time
from pathlib import Path

from bench_validate import BIN, ROOT, largest_case, synthetic_repository
from report import publish


def timed(command: list[str], repeat: int) -> float:
    import subprocess

    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed: {result.stderr[-2000:]}")
    return best


def measure(root: Path, label: str, repeat: int) -> tuple[str, int, float, float]:
    cases = len(list((root / "cases").glob("*.yaml")))
    mlsd = str(BIN / "mlsd")
    cold = timed([mlsd, "render", "--root", str(root)], 1)
    check = timed([mlsd, "render", "--root", str(root), "--check"], repeat)
    return label, cases, cold, check


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "repo"
        copy.mkdir()
        synthetic_repository(copy, 0)
        shutil.copy(ROOT / "README.md", copy / "README.md")
        rows.append(measure(copy, "this repository", args.repeat))
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            synthetic_repository(Path(folder), size)
            shutil.copy(ROOT / "README.md", Path(folder) / "README.md")
            rows.append(measure(Path(folder), f"{size:,} synthetic cases and this repository's", 1))
    lines = [
        f"Template case: {largest_case().name}. Python {platform.python_version()} on {platform.machine()}.",
        "",
        "| content | cases | render, cold (s) | render --check (s) | cases per second (check) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, cases, cold, check in rows:
        lines.append(f"| {label} | {cases:,} | {cold:.2f} | {check:.2f} | {cases / check:,.0f} |")
    publish("render", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
