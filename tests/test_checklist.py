"""The printable checklist: selection options, a real PDF from WeasyPrint and the page
count a real headless Chromium prints."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import require
from mlsd.cli import main
from mlsd.render.checklist import ChecklistError, parse_chapters

SEARCH, RAG = "Chapter 2: Tiny Search", "Chapter 12: Tiny Retrieval-Augmented Answers"


def test_parse_chapters() -> None:
    assert parse_chapters("2,5-7") == {2, 5, 6, 7}
    assert parse_chapters(" 3 ") == {3}
    for bad in ["", "x", "7-5", "2,,3"]:
        with pytest.raises(ChecklistError):
            parse_chapters(bad)


def checklist(repo: Path, *options: str) -> str:
    output = repo / "out.html"
    assert main(["checklist", "--root", str(repo), "--output", str(output), *options]) == 0
    return output.read_text(encoding="utf-8")


def test_chapter_and_part_selection(repo: Path) -> None:
    assert SEARCH in checklist(repo) and RAG in checklist(repo)
    only_rag = checklist(repo, "--chapters", "12")
    assert RAG in only_rag and SEARCH not in only_rag
    classic = checklist(repo, "--part", "classic")
    assert SEARCH in classic and RAG not in classic


def test_paper_layout_and_follow_ups(repo: Path) -> None:
    default = checklist(repo)
    assert "size: A4;" in default and "break-before: page" in default
    assert "How would you add dense retrieval later?" in default
    letter = checklist(repo, "--paper", "letter", "--layout", "compact", "--no-follow-ups")
    assert "size: letter;" in letter and "break-before: page" not in letter
    assert "How would you add dense retrieval later?" not in letter


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--chapters", "99"], "no chapter has the number 99"),
        (["--chapters", "2-x"], "--chapters takes numbers and ranges"),
        (["--chapters", "12", "--part", "classic"], "no chapter matches the selection"),
    ],
)
def test_bad_selection_is_a_usage_error(
    repo: Path, options: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["checklist", "--root", str(repo), "-o", str(repo / "x.html"), *options]) == 2
    assert message in capsys.readouterr().err
    assert not (repo / "x.html").exists()


def test_stdout_output(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklist", "--root", str(repo), "--output", "-"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_pdf_without_the_extra_names_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # makes `import weasyprint` fail
    assert main(["checklist", "--root", str(repo), "-o", str(repo / "x.html"), "--pdf", str(repo / "x.pdf")]) == 2
    assert "pip install 'mlsd[pdf]'" in capsys.readouterr().err
    assert not (repo / "x.pdf").exists()


def test_weasyprint_pdf_holds_every_selected_chapter(repo: Path) -> None:
    require(importlib.util.find_spec("weasyprint") is not None, "WeasyPrint is not installed")
    pdf = repo / "checklist.pdf"
    assert main(["checklist", "--root", str(repo), "-o", str(repo / "c.html"), "--pdf", str(pdf)]) == 0
    reader = PdfReader(pdf)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert SEARCH in text and RAG in text
    # The cover, chapter 2 on a page, chapter 12 on two (its diagram takes half a page).
    assert len(reader.pages) == 4
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "2. Tiny Search" in cover and "12. Tiny Retrieval-Augmented Answers" in cover  # chapter numbers, not 1, 2
    assert RAG in reader.pages[2].extract_text() and "Page 4 of 4" in reader.pages[3].extract_text()


def chromium_pages(html: Path, tmp_path: Path) -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    require(browser is not None, "Chromium is not installed")
    assert browser is not None
    pdf = tmp_path / f"{html.stem}.pdf"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return len(PdfReader(pdf).pages)


def test_chromium_prints_a_page_per_chapter_or_runs_them_on(repo: Path, tmp_path: Path) -> None:
    checklist(repo)
    per_chapter = repo / "per-chapter.html"
    (repo / "out.html").rename(per_chapter)
    checklist(repo, "--layout", "compact", "--no-follow-ups")
    assert chromium_pages(per_chapter, tmp_path) == 4  # the cover, chapter 2, chapter 12 on two pages
    # Both chapters, their diagrams and talk tracks run on after the cover: two pages instead of four.
    assert chromium_pages(repo / "out.html", tmp_path) == 2
