"""Rendering: golden output, determinism, --check, refusal to write on invalid content,
escaping of hostile content, and links and anchors that resolve as GitHub resolves them."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from conftest import FIXTURES, snapshot
from mlsd.cli import main

GOLDEN = FIXTURES / "rendered" / "minimal"
GENERATED = [
    "README.md",
    "docs/cases/tiny-rag.md",
    "docs/cases/tiny-search.md",
    "docs/checklist.html",
    "docs/frameworks/two-step.md",
]


def generated(root: Path) -> dict[str, str]:
    svgs = [path.relative_to(root).as_posix() for path in sorted((root / "docs" / "diagrams").glob("*.svg"))]
    return {name: (root / name).read_text(encoding="utf-8") for name in [*GENERATED, *svgs]}


def test_render_matches_the_golden_output(repo: Path) -> None:
    assert main(["render", "--root", str(repo)]) == 0
    if os.environ.get("MLSD_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in generated(repo).items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {
        path.relative_to(GOLDEN).as_posix(): path.read_text(encoding="utf-8")
        for path in GOLDEN.rglob("*")
        if path.is_file()
    }
    assert generated(repo) == expected


def test_render_keeps_the_hand_written_readme(repo: Path) -> None:
    assert main(["render", "--root", str(repo)]) == 0
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Minimal\n\nA hand-written introduction that rendering keeps as it is.\n")
    assert readme.endswith("<!-- mlsd:generated:end -->\n\n## Hand-written end\n\nKept too.\n")


def test_render_is_deterministic_and_check_passes_after_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--root", str(repo)]) == 0
    first = snapshot(repo)
    assert main(["render", "--root", str(repo)]) == 0
    assert snapshot(repo) == first
    assert main(["render", "--root", str(repo), "--check"]) == 0
    assert "7 generated files are up to date" in capsys.readouterr().err


def test_check_lists_stale_and_orphaned_files_and_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "--root", str(repo)]) == 0
    case = repo / "cases" / "tiny-rag.yaml"
    case.write_text(case.read_text().replace("title: Tiny Retrieval-Augmented Answers", "title: Tiny RAG"))
    (repo / "docs" / "cases" / "gone.md").write_text("old page\n")
    capsys.readouterr()
    before = snapshot(repo)

    assert main(["render", "--root", str(repo), "--check"]) == 1

    assert snapshot(repo) == before
    assert capsys.readouterr().err.splitlines() == [
        "README.md is out of date",
        "docs/cases/tiny-rag.md is out of date",
        "docs/cases/tiny-search.md is out of date",
        "docs/checklist.html is out of date",
        "docs/frameworks/two-step.md is out of date",
        "docs/cases/gone.md belongs to no case or framework",
        "run 'mlsd render' and commit the result",
    ]
    assert main(["render", "--root", str(repo)]) == 0
    assert not (repo / "docs" / "cases" / "gone.md").exists()


def test_invalid_content_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--root", str(repo)]) == 0
    case = repo / "cases" / "tiny-rag.yaml"
    case.write_text(case.read_text().replace("difficulty: medium", "difficulty: [medium"))
    before = snapshot(repo)
    assert main(["render", "--root", str(repo)]) == 1
    assert snapshot(repo) == before
    err = capsys.readouterr().err
    assert "cases/tiny-rag.yaml:" in err and "nothing was written" in err


def test_missing_markers_are_a_clear_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "README.md").write_text("# Someone removed the markers\n")
    before = snapshot(repo)
    assert main(["render", "--root", str(repo)]) == 1
    assert snapshot(repo) == before
    assert "README.md has lost its generated-section markers" in capsys.readouterr().err


HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_LINK = "](javascript:alert(1))"


def test_hostile_content_is_text_in_every_output(repo: Path) -> None:
    case = repo / "cases" / "tiny-rag.yaml"
    text = case.read_text()
    text = text.replace("title: Tiny Retrieval-Augmented Answers", f'title: "{HOSTILE_TITLE}"')
    text = text.replace(
        "summary: Answer questions from retrieved documents, citing them.",
        f'summary: "[click me{HOSTILE_LINK} and <img src=x onerror=alert(1)>"',
    )
    text = text.replace(
        "question: How would you add dense retrieval later?", 'question: "</summary><script>alert(2)</script>"'
    )
    case.write_text(text)
    assert main(["render", "--root", str(repo)]) == 0

    markdown = MarkdownIt("gfm-like", {"html": True})
    for name in ["README.md", "docs/cases/tiny-rag.md"]:
        html = markdown.render((repo / name).read_text(encoding="utf-8"))
        assert "<script" not in html and "<img" not in html and "javascript:" not in html.split('href="')[-1][:11]
        assert not re.search(r'href="\s*javascript:', html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    checklist = (repo / "docs" / "checklist.html").read_text(encoding="utf-8")
    # The one script is the checklist's own, allowed by the CSP hash; content never adds another.
    assert checklist.count("<script") == 1 and "<script>(function () {" in checklist
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in checklist


def _targets(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_every_internal_link_and_anchor_resolves(repo: Path) -> None:
    assert main(["render", "--root", str(repo)]) == 0
    assert_links_resolve(repo, minimum=30)


def test_the_repository_pages_link_and_anchor_correctly() -> None:
    assert_links_resolve(Path(__file__).resolve().parents[1], minimum=300)


def assert_links_resolve(repo: Path, minimum: int) -> None:
    markdown = MarkdownIt("gfm-like", {"html": True}).use(anchors_plugin, max_level=6)
    pages = [path for path in [repo / "README.md", *sorted((repo / "docs").rglob("*.md"))]]
    anchors = {path.resolve(): set(re.findall(r'id="([^"]+)"', markdown.render(path.read_text()))) for path in pages}
    checked = 0
    for page in pages:
        for target in _targets(markdown.render(page.read_text())):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # external, or linkified prose such as QCon.ai
                continue
            file_part, _, fragment = target.partition("#")
            destination = (page.parent / file_part).resolve() if file_part else page.resolve()
            assert destination.exists(), f"{page.name}: {target}"
            if fragment:
                assert fragment in anchors[destination], f"{page.name}: {target}"
            checked += 1
    assert checked > minimum


def test_generated_files_pass_the_hygiene_hooks(repo: Path) -> None:
    # A framework no case uses renders no trailing section; the page must still end cleanly.
    unused = repo / "frameworks" / "unused-step.yaml"
    unused.write_text((repo / "frameworks" / "two-step.yaml").read_text().replace("id: two-step", "id: unused-step"))
    assert main(["render", "--root", str(repo)]) == 0
    for path in [repo / "README.md", *sorted((repo / "docs").rglob("*.*"))]:
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n"), path.name
        assert not re.search(r"[ \t]+$", text, flags=re.MULTILINE), path.name
