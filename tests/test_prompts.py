"""`mlsd new` under a real pseudo-terminal: a refused answer is asked again at its own
prompt, the earlier answers are kept, and the file written at the end validates."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from mlsd.cli import main

TIMEOUT = 60


def spawn(repo: Path, *arguments: str) -> pexpect.spawn:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "mlsd", "new", *arguments, "--root", str(repo)],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, 400),  # wide enough that no answer or message wraps
    )
    return child


def answer(child: pexpect.spawn, prompt: str, text: str) -> None:
    child.expect_exact(prompt)
    child.sendline(text)


def test_new_resource_asks_again_for_a_bad_url_and_an_unknown_tag(repo: Path) -> None:
    child = spawn(repo, "resource")
    answer(child, "Id (kebab-case, papers end in -paper): ", "a-paper")
    answer(child, "Title: ", "A Paper")
    answer(child, "URL (https, looked up, no tracking parameters): ", "https://example.com/a?utm_source=news")
    child.expect_exact("tracking parameters")
    child.expect_exact("; try again")
    answer(child, "URL (https, looked up, no tracking parameters): ", "https://example.com/a")
    answer(child, "Type [book/course/paper/blog/repository/talk/tool/newsletter]: ", "paper")
    child.expect_exact("tags: ranking, search")
    answer(child, "Tags (comma-separated): ", "serch")
    child.expect_exact("no tag 'serch'; did you mean 'search'?; try again")
    answer(child, "Tags (comma-separated): ", "search")
    answer(child, "Year: ", "2020")
    answer(child, "Access [free/paid/freemium] (default free): ", "")
    child.expect_exact("cases: tiny-rag, tiny-search")
    answer(child, "Cases it supports (comma-separated ids) (Enter for none): ", "tiny-rag")
    answer(child, "One-line description in your own words: ", "What it teaches.")
    child.expect_exact("added 'a-paper' to resources.yaml, cited by tiny-rag")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    assert "url: https://example.com/a\n" in (repo / "resources.yaml").read_text()
    assert main(["validate", "--root", str(repo)]) == 0


def test_new_case_asks_again_for_an_unknown_tag_and_framework(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    child = spawn(repo, "case", "fraud-rings")
    answer(child, "Title: ", "Fraud Rings")
    answer(child, "Part [classic/patched] (default patched): ", "")
    answer(child, "Framework [two-step]: ", "two-stp")
    child.expect_exact("did you mean 'two-step'?; try again")
    answer(child, "Framework [two-step]: ", "two-step")
    answer(child, "Difficulty [easy/medium/hard] (default medium): ", "hard")
    answer(child, "Tags (comma-separated): ", "search, fraud")
    child.expect_exact("no tag 'fraud' (the vocabulary is at the top of resources.yaml); try again")
    answer(child, "Tags (comma-separated): ", "search")
    child.expect_exact("wrote cases/fraud-rings.yaml (numbered when it merges)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    capsys.readouterr()
    assert main(["validate", "--root", str(repo), "--color", "never", str(repo / "cases" / "fraud-rings.yaml")]) == 0
    assert "warning[placeholder]" in capsys.readouterr().out
