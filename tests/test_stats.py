"""mlsd stats: placeholder text is not counted, a draft with errors is still measured, and
each chapter is shown against the depth bar."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.cli import main


def test_a_fresh_skeleton_has_written_no_words(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    argv = ["new", "case", "fraud-rings", "--root", str(repo), "--title", "Fraud Rings", "--part", "patched"]
    assert main([*argv, "--framework", "two-step", "--difficulty", "hard", "--tags", "search"]) == 0
    capsys.readouterr()

    assert main(["stats", "--root", str(repo)]) == 0

    row = next(line for line in capsys.readouterr().out.splitlines() if "fraud-rings" in line)
    # What is left are ids and fixed values (the diagram's node ids and kinds, the title): no TODO counts,
    # where it used to count about a thousand words.
    words = int(row.split()[3].split("/")[0].replace(",", ""))
    assert words < 100, row
    assert row.startswith("new  fraud-rings")
    assert row.endswith("below: words, follow-ups, references")


def test_stats_runs_on_a_repository_with_errors_and_reports_them(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = repo / "cases" / "tiny-rag.yaml"
    case.write_text(case.read_text().replace("difficulty:", "dificulty:"))

    assert main(["stats", "--root", str(repo)]) == 0

    captured = capsys.readouterr()
    assert "cases/tiny-rag.yaml:6:1: error[schema] dificulty: unknown key 'dificulty'" in captured.err
    assert "leave out the cases with errors" in captured.err
    assert "tiny-search" in captured.out and "tiny-rag" not in captured.out
    assert " depth bar" in captured.out.splitlines()[0]
