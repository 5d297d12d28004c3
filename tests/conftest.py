from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from faultserver import FaultServer
from mlsd.links import find_linkchecker

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"
HEAD_LINE = "# yaml-language-server: $schema=schemas/resources.schema.json"


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root with the hash of its bytes: proof that a command changed nothing."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


REMOVED = ".removed"


def overlay(target: Path, source: Path) -> None:
    """Copy source's files over target; an empty NAME.removed file deletes NAME instead."""
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        destination = target / path.relative_to(source)
        if path.name.endswith(REMOVED):
            destination.with_name(path.name.removesuffix(REMOVED)).unlink()
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the minimal valid repository that a test may break."""
    root = tmp_path / "repo"
    shutil.copytree(MINIMAL, root)
    return root


def require(available: bool, reason: str) -> None:
    """Skip on a developer's machine that lacks a tool; fail in CI, where .ci/run installs it."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI installs it: see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def linkchecker() -> list[str]:
    """The LinkChecker command; skipped on a developer's machine without it, required in CI."""
    command = find_linkchecker()
    require(command is not None, "LinkChecker is not installed: pip install 'mlsd[links]'")
    assert command is not None
    return command


@pytest.fixture
def server() -> Iterator[FaultServer]:
    """A real HTTP server on 127.0.0.1 that answers each path with a chosen fault."""
    with FaultServer(slow_seconds=5) as running:
        yield running


def make_repo(root: Path, urls: list[str]) -> Path:
    """The minimal repository with one resource per URL (and nothing else that names a URL)."""
    shutil.copytree(MINIMAL, root)
    lines = [HEAD_LINE, "tags:", "  search: Search.", "resources:"]
    for index, url in enumerate(urls):
        lines += [f"  - id: r{index}", f"    url: {url}"]
    (root / "resources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root
