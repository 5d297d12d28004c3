from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"


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
