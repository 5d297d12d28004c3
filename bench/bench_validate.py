"""Benchmark `mlsd validate` against check-jsonschema on the same files, in the same run.

    python bench/bench_validate.py            # repository, 1,000 and 10,000 synthetic cases
    python bench/bench_validate.py --sizes 1000 --repeat 1

Synthetic repositories copy this repository's frameworks and resources and multiply its
largest case under new ids and chapter numbers. check-jsonschema validates the case files
against the exported schema only (no line numbers, no cross-file checks); mlsd does both.
Results go to bench/results/validate.md; docs/benchmarks.md quotes them.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import publish

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def largest_case() -> Path:
    return max((ROOT / "cases").glob("*.yaml"), key=lambda path: path.stat().st_size)


def synthetic_repository(target: Path, count: int) -> None:
    shutil.copytree(ROOT / "frameworks", target / "frameworks")
    shutil.copytree(ROOT / "schemas", target / "schemas")
    shutil.copy(ROOT / "resources.yaml", target / "resources.yaml")
    template = largest_case()
    text = template.read_text(encoding="utf-8")
    shutil.copytree(ROOT / "cases", target / "cases")  # the real cases keep resources' references valid
    for number in range(count):
        identifier = f"synthetic-case-{number:05d}"
        body = re.sub(r"(?m)^id: .*$", f"id: {identifier}", text, count=1)
        body = re.sub(r"(?m)^chapter: .*$", f"chapter: {1000 + number}", body, count=1)
        (target / "cases" / f"{identifier}.yaml").write_text(body, encoding="utf-8")


def best_of(command: list[str], cwd: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{command[0]} failed: {result.stderr[-2000:]}")
    return min(times)


def measure(root: Path, label: str, repeat: int) -> tuple[str, int, float, float]:
    cases = sorted(str(path.relative_to(root)) for path in (root / "cases").glob("*.yaml"))
    check = subprocess.run([str(BIN / "mlsd"), "validate", "--root", str(root)], capture_output=True, text=True)
    if check.returncode != 0:
        raise SystemExit(f"the benchmark repository is not valid:\n{check.stdout[-2000:]}")
    mlsd = best_of([str(BIN / "mlsd"), "validate", "--root", str(root), "--format", "json"], root, repeat)
    peer = best_of([str(BIN / "check-jsonschema"), "--schemafile", "schemas/case.schema.json", *cases], root, repeat)
    return label, len(cases), mlsd, peer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [measure(ROOT, "this repository", args.repeat)]
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            synthetic_repository(Path(folder), size)
            rows.append(
                measure(
                    Path(folder),
                    f"{size:,} synthetic cases and this repository's",
                    max(1, args.repeat if size <= 1000 else 1),
                )
            )
    version = subprocess.run(
        [str(BIN / "check-jsonschema"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    lines = [
        f"Template case: {largest_case().name} ({largest_case().stat().st_size:,} bytes). "
        f"Peer: {version}. Python {platform.python_version()} on {platform.machine()}, "
        f"best of {args.repeat} (one run at 10,000).",
        "",
        "| content | case files | mlsd validate (s) | check-jsonschema (s) | check-jsonschema / mlsd |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, files, mlsd, peer in rows:
        lines.append(f"| {label} | {files:,} | {mlsd:.2f} | {peer:.2f} | {peer / mlsd:.1f}x |")
    publish("validate", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
