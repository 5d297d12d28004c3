"""What architecture diagrams cost: `mlsd render --check` and a warm `pre-commit run`, this
version against the previous one (the code before diagrams), measured in the same run.

    python bench/bench_diagrams.py                     # previous = the merge base with main
    python bench/bench_diagrams.py --previous 60ebb56 --repeat 5

Both versions run from source with this venv's interpreter (`python -m mlsd` with
PYTHONPATH set), on the same content: this repository as it is, and a copy in which every
case without a diagram gets a synthetic one of 12 nodes, 13 edges and 3 groups (about the
size of a chapter's) whose request path fits its budget, so that every chapter pays the
full cost. Results go to bench/results/diagrams.md; docs/benchmarks.md quotes them.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

import yaml
from report import publish

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AFTER_STEPS = re.compile(r"(?m)^(sizing|experiment|tradeoffs|follow_ups|patches|in_production|references):")


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def export(ref: str, target: Path) -> None:
    """The files of a commit, without touching the repository's worktrees."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def synthetic_diagram(budget: int | None) -> str:
    hop = max(1, (budget or 100) // 10)  # four hops on the longest chain: 40% of the budget
    nodes = [
        ("client", "Client app", "client"),
        ("gateway", "API gateway", "service"),
        ("candidates", "Candidate generation", "service"),
        ("index", "ANN index", "index"),
        ("features", "Feature store", "store"),
        ("ranker", "Ranking model", "model"),
        ("cache", "Response cache", "cache"),
        ("events", "Event stream", "stream"),
        ("pipeline", "Feature pipeline", "job"),
        ("training", "Training job", "job"),
        ("registry", "Model registry", "store"),
        ("labelers", "Human review", "human"),
    ]
    edges = [
        ("client", "gateway", "request", hop),
        ("gateway", "candidates", "query", hop),
        ("candidates", "index", "top 500", hop),
        ("candidates", "ranker", "candidates", hop),
        ("ranker", "features", "features", hop),
        ("gateway", "cache", "lookup", None),
        ("gateway", "events", "impressions", None),
        ("events", "pipeline", None, None),
        ("pipeline", "features", None, None),
        ("pipeline", "training", "examples", None),
        ("labelers", "training", "labels", None),
        ("training", "registry", None, None),
        ("registry", "ranker", "deploy", None),
    ]
    lines = ["diagrams:", "  - id: synthetic", "    title: A synthetic architecture of a chapter's size", "    nodes:"]
    for identifier, label, kind in nodes:
        lines += [f"      - id: {identifier}", f"        label: {label}", f"        kind: {kind}"]
    lines.append("    edges:")
    for source, target, label, latency in edges:
        lines += [f"      - from: {source}", f"        to: {target}"]
        lines += [f"        label: {label}"] if label else []
        lines += [f"        latency_ms: {latency}"] if latency is not None else []
    lines.append("    groups:")
    for identifier, label, members in [
        ("online", "Online", "client, gateway, candidates, index, features, ranker, cache"),
        ("nearline", "Nearline", "events, pipeline"),
        ("offline", "Offline", "training, registry, labelers"),
    ]:
        lines += [f"      - id: {identifier}", f"        label: {label}", f"        nodes: [{members}]"]
    return "\n".join(lines) + "\n"


def add_diagrams(root: Path) -> int:
    added = 0
    for path in sorted((root / "cases").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        if data.get("diagrams"):
            continue
        budgets = [
            step["serving"]["latency_budget_ms"]
            for step in data["steps"].values()
            if isinstance(step.get("serving"), dict) and step["serving"].get("latency_budget_ms")
        ]
        match = AFTER_STEPS.search(text)
        assert match, path
        text = text[: match.start()] + synthetic_diagram(budgets[0] if budgets else None) + text[match.start() :]
        path.write_text(text, encoding="utf-8")
        added += 1
    return added


def with_diagrams(root: Path) -> int:
    paths = (root / "cases").glob("*.yaml")
    return sum("diagrams" in yaml.safe_load(path.read_text(encoding="utf-8")) for path in paths)


def wrapper(folder: Path, source: Path) -> Path:
    """A bin folder whose `mlsd` runs the given source tree; the other tools come from this venv."""
    folder.mkdir(parents=True)
    script = folder / "mlsd"
    script.write_text(
        f'#!/bin/sh\nPYTHONPATH="{source / "tools"}" exec "{sys.executable}" -m mlsd "$@"\n', encoding="utf-8"
    )
    script.chmod(0o755)
    return folder


def environment(bin_folder: Path, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{bin_folder}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(home),
        "NO_COLOR": "1",
    }


def run(command: list[str], cwd: Path, env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in ok:
        raise SystemExit(f"{' '.join(command)} in {cwd} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return elapsed


HOOK_FILES = (".pre-commit-config.yaml", ".yamllint.yaml", "tools/hooks")


def prepare(content: Path, target: Path, env: dict[str, str], version: Path) -> None:
    """A git repository of the content with the version's own hooks, rendered by it and committed.

    A version is its code and its hook layout: the hooks a commit runs changed between versions."""
    shutil.copytree(content, target)
    for name in HOOK_FILES:
        source, destination = version / name, target / name
        if destination.is_dir():
            shutil.rmtree(destination)
        elif destination.exists():
            destination.unlink()
        if source.is_dir():
            shutil.copytree(source, destination)
        elif source.exists():
            shutil.copy2(source, destination)
    run(["mlsd", "render", "--root", str(target)], target, env)
    run(["git", "init", "-q"], target, env)
    run(["git", "add", "-A"], target, env)
    run(["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "x"], target, env)


def render_check(repo: Path, env: dict[str, str], repeat: int) -> float:
    return min(run(["mlsd", "render", "--check", "--root", str(repo)], repo, env) for _ in range(repeat))


def precommit(repo: Path, env: dict[str, str], repeat: int) -> float:
    """Best time of `pre-commit run` with one changed case staged, after one warm-up run."""
    case = sorted((repo / "cases").glob("*.yaml"))[0]
    times = []
    for attempt in range(repeat + 1):
        run(["git", "checkout", "-q", "--", "."], repo, env)
        text = case.read_text(encoding="utf-8")
        case.write_text(re.sub(r"(?m)^summary: (>-\n  )?", r"\g<0>Edited. ", text, count=1), encoding="utf-8")
        run(["git", "add", str(case)], repo, env)
        elapsed = run(["pre-commit", "run"], repo, env, ok=(0, 1))  # 1: the render hook updated pages
        if attempt:
            times.append(elapsed)
        run(["git", "reset", "-q", "--hard"], repo, env)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--previous", default=None, help="the commit to compare with (default: merge base with main)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--content",
        type=Path,
        help="take cases/ from this folder instead of HEAD's (for content that does not validate yet)",
    )
    args = parser.parse_args()
    previous = args.previous or git("merge-base", "HEAD", "main").strip()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        export(previous, work / "previous")
        export("HEAD", work / "current")
        plain = work / "content-as-is"
        full = work / "content-every-case"
        for target in (plain, full):
            export("HEAD", target)
            if args.content:
                shutil.rmtree(target / "cases")
                shutil.copytree(args.content / "cases", target / "cases")
        added = add_diagrams(full)
        counted = {name: with_diagrams(root) for name, root in (("as-is", plain), ("every-case", full))}
        versions = {
            name: environment(wrapper(work / f"bin-{name}", work / name), work / f"pre-commit-{name}")
            for name in ("previous", "current")
        }
        for label, content in [
            (f"this repository ({counted['as-is']} cases with diagrams)", plain),
            (f"every case with a diagram ({added} synthetic)", full),
        ]:
            timings = {}
            for name, env in versions.items():
                repo = work / f"repo-{name}-{content.name}"
                prepare(content, repo, env, work / name)
                timings[name] = (render_check(repo, env, args.repeat), precommit(repo, env, args.repeat))
            rows.append((label, timings["previous"], timings["current"]))
    lines = [
        f"Previous version: {previous[:7]}. Python {platform.python_version()} on {platform.machine()}."
        + (f" Cases from {args.content}." if args.content else ""),
        f"Best of {args.repeat}; pre-commit runs warm, with one changed case staged.",
        "",
        "| content | command | previous (s) | this version (s) | this / previous |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for label, before, after in rows:
        for index, command in enumerate(["mlsd render --check", "pre-commit run"]):
            ratio = after[index] / before[index]
            lines.append(f"| {label} | `{command}` | {before[index]:.2f} | {after[index]:.2f} | {ratio:.2f}x |")
    publish("diagrams", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
