"""Benchmark `mlsd links` against plain LinkChecker and linkinator on the same URLs, in the same run.

    python bench/bench_links.py                     # 1,000 URLs over 20 hosts, 50 ms per response
    python bench/bench_links.py --urls 200 --hosts 5 --no-linkinator

Loopback servers, one port per host (LinkChecker's politeness key is host and port), answer
every request after --latency seconds. The URLs go into a synthetic resources.yaml in a
shuffled order, as a curated list mixes its hosts. Measured in one run, each over the same URLs:

- `mlsd links`, cold: no history, so every URL is requested (default --workers, then one
  process per host), and warm: the cold run's history with --max-age 7d;
- plain LinkChecker: one process over all URLs on stdin, the same pinned version and the
  same recursionlevel=0 config, its default 10 threads and per-host gap;
- linkinator from npm, installed into a temporary folder, if npm is available: 100 concurrent
  requests and no per-host gap, so it measures the network and not politeness.

Each run must report every URL as ok, or the benchmark stops. Results go to bench/results/links.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from report import publish

from mlsd.links import Options

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LIMIT = 420  # seconds for any one tool: the whole benchmark stays within about ten minutes
PAGE = b"<!doctype html><html><head><title>page</title></head><body><p>page</p></body></html>\n"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    latency = 0.05

    def do_GET(self) -> None:
        time.sleep(self.latency)
        status, body = (404, b"") if self.path == "/robots.txt" else (200, PAGE)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a checker closing a kept-alive connection is not news


@contextmanager
def servers(count: int, latency: float) -> Iterator[list[int]]:
    _Handler.latency = latency
    running = []
    for _ in range(count):
        server = _Server(("127.0.0.1", 0), _Handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        running.append(server)
    try:
        yield [int(server.server_address[1]) for server in running]
    finally:
        for server in running:
            server.shutdown()
            server.server_close()


def synthetic_repository(target: Path, urls: list[str]) -> None:
    lines = [
        "# yaml-language-server: $schema=schemas/resources.schema.json",
        "tags:",
        "  bench: Benchmark.",
        "resources:",
    ]
    for index, url in enumerate(urls):
        lines += [f"  - id: page-{index:05d}", f"    title: Page {index}", f"    url: {url}"]
    target.mkdir(parents=True)
    (target / "resources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(command: list[str], **kwargs: object) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=LIMIT, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - start, result


def run_mlsd(repo: Path, history: Path, extra: list[str], expected: int) -> float:
    command = [str(BIN / "mlsd"), "links", "--root", str(repo), "--allow-private", "--history", str(history)]
    seconds, result = timed([*command, "--max-age", "7d", "--format", "json", *extra])
    summary = json.loads(result.stdout or "{}").get("summary", {})
    if result.returncode != 0 or summary.get("ok") != expected:
        raise SystemExit(f"mlsd links did not find {expected} ok URLs: {summary} {result.stderr[-2000:]}")
    return seconds


def run_linkchecker(urls: list[str], folder: Path) -> float:
    config = folder / "linkcheckerrc"
    config.write_text("[checking]\nrecursionlevel=0\n", encoding="utf-8")
    env = {**os.environ, "HOME": str(folder), "LANGUAGE": "en"}
    command = [str(BIN / "linkchecker"), "-f", str(config), "--check-extern", "-v", "--no-status", "-o", "xml"]
    seconds, result = timed([*command, "--stdin"], input="\n".join(urls) + "\n", env=env, cwd=folder)
    found = result.stdout.count('<valid result="200 OK">1</valid>')
    if found != len(urls):
        raise SystemExit(f"linkchecker found {found} of {len(urls)} ok: {result.stderr[-2000:]}")
    return seconds


def install_linkinator(folder: Path) -> tuple[Path | None, str]:
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm is not installed"
    try:
        install = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder), "linkinator@7"],
            capture_output=True,
            text=True,
            timeout=180,
        )
    except subprocess.TimeoutExpired:
        return None, "npm install linkinator timed out"
    program = folder / "node_modules" / ".bin" / "linkinator"
    if install.returncode != 0 or not program.exists():
        return None, f"npm install linkinator failed: {(install.stderr.strip().splitlines() or ['?'])[-1]}"
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True).stdout.strip()
    return program, version


def run_linkinator(program: Path, urls: list[str]) -> float:
    seconds, result = timed([str(program), *urls, "--format", "json"])
    report = json.loads(result.stdout or "{}")
    ok = {link["url"] for link in report.get("links", []) if link.get("state") == "OK"}
    if not set(urls) <= ok:
        raise SystemExit(f"linkinator found {len(set(urls) & ok)} of {len(urls)} ok: {result.stderr[-2000:]}")
    return seconds


def version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as metadata_version

    try:
        return metadata_version(name)
    except PackageNotFoundError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--no-linkinator", action="store_true", help="skip the npm peer")
    args = parser.parse_args()
    rows: list[tuple[str, float]] = []
    notes = []
    load = os.getloadavg()[0]  # other work on the machine slows the parallel runs most
    with tempfile.TemporaryDirectory(prefix="bench-links-") as temporary, servers(args.hosts, args.latency) as ports:
        folder = Path(temporary)
        urls = [f"http://127.0.0.1:{ports[index % len(ports)]}/page/{index}" for index in range(args.urls)]
        random.Random(6).shuffle(urls)
        repo = folder / "repo"
        synthetic_repository(repo, urls)

        cold = run_mlsd(repo, folder / "history.json", [], len(urls))
        rows.append((f"mlsd links, cold (default --workers {Options().workers})", cold))
        warm = run_mlsd(repo, folder / "history.json", [], len(urls))
        rows.append(("mlsd links, warm (history of the cold run, --max-age 7d)", warm))
        per_host = run_mlsd(repo, folder / "history-2.json", ["--workers", str(args.hosts)], len(urls))
        rows.append((f"mlsd links, cold, --workers {args.hosts} (one process per host)", per_host))
        (folder / "plain").mkdir()
        rows.append(("plain LinkChecker (one process, 10 threads)", run_linkchecker(urls, folder / "plain")))
        if args.no_linkinator:
            notes.append("linkinator was skipped (--no-linkinator).")
        else:
            program, detail = install_linkinator(folder / "npm")
            if program is None:
                notes.append(f"linkinator was skipped: {detail}.")
            else:
                rows.append(
                    (f"linkinator {detail} (100 concurrent requests, no per-host gap)", run_linkinator(program, urls))
                )
    plain = next(seconds for label, seconds in rows if label.startswith("plain"))
    lines = [
        f"{args.urls:,} URLs over {args.hosts} loopback hosts, {args.latency * 1000:.0f} ms per response, shuffled.",
        f"LinkChecker {version('linkchecker')}, Python {platform.python_version()} on {platform.machine()}"
        f" with {os.cpu_count()} CPUs (load average {load:.1f} at the start); one run of each, in this order.",
        "",
        "| tool | wall time (s) | URLs per second | plain LinkChecker / tool |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, seconds in rows:
        lines.append(f"| {label} | {seconds:.2f} | {args.urls / seconds:,.0f} | {plain / seconds:.1f}x |")
    lines += ["", *notes] if notes else []
    publish("links", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
