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


def test_a_symbolic_link_is_reported_not_read(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Git stores links, so a pull request can point a content file at any file of the CI machine.
    secret = tmp_path / "secret.yaml"
    secret.write_text("token: do-not-print\n", encoding="utf-8")
    (repo / "cases" / "visual-search.yaml").symlink_to(secret)

    assert main(["validate", "--root", str(repo), "--color", "never", "--today", TODAY]) == 1
    output = capsys.readouterr().out
    assert output == (
        "cases/visual-search.yaml:1:1: error[file-location] a symbolic link is not read:"
        " a content file is a regular file in the repository\n"
        "  hint: replace the link with the file itself\n"
        "1 error in 1 file (4 files checked)\n"
    )
