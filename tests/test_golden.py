"""Golden reports: each folder under fixtures/invalid overlays the minimal repository with
a broken file and holds the exact report `mlsd validate` must print for it.

Adding a case is adding a folder; MLSD_UPDATE_GOLDEN=1 rewrites the expected reports.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURES, overlay, snapshot
from mlsd.cli import main

TODAY = "2026-12-01"
INVALID = sorted(path for path in (FIXTURES / "invalid").iterdir() if path.is_dir())


@pytest.mark.parametrize("fixture", INVALID, ids=[path.name for path in INVALID])
def test_invalid_fixture_reports_exactly(fixture: Path, repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overlay(repo, fixture / "files")
    before = snapshot(repo)

    # The day is fixed so that the age of patches and reviews gives the same report every year.
    code = main(["validate", "--root", str(repo), "--color", "never", "--today", TODAY])

    output = capsys.readouterr().out
    expected_file = fixture / "expected.txt"
    if os.environ.get("MLSD_UPDATE_GOLDEN"):
        expected_file.write_text(output, encoding="utf-8")
    assert output == expected_file.read_text(encoding="utf-8")
    assert code == 1
    assert snapshot(repo) == before


def test_valid_fixture_is_clean(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--root", str(repo), "--today", TODAY]) == 0
    assert capsys.readouterr().out == "no problems (4 files checked)\n"
