"""Diagrams in the outputs: a Mermaid block on the case page, inline SVG in the checklist,
text in its PDF; and the hostile-label fixture, which stays text in every one of them."""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import FIXTURES, overlay, require
from mlsd.cli import main
from mlsd.study.ticking import Ticking

HOSTILE = FIXTURES / "diagrams" / "hostile"
HOSTILE_LABELS = [
    'a"] --> evil["x',
    '%%{init: {"theme": "dark"}}%%',
    "click n1 call alert(1)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold** _em_ [link](https://x.test)",
    "``` fence and `code`",
    "#quot; #35; #59; R&D & a&b",
    "<b>bold</b> | pipe ; semi {braces}",
    '"] end subgraph x["',
    "<i>em</i> & <u>u</u>",
    '"|x|" --> n9, 1 ms',
]
RAG_LABELS = ["Chat client", "Answer API", "BM25 retriever", "Inverted index", "Answer model", "Document store"]
# Tags and attributes a hostile label would smuggle in if it became markup anywhere.
MARKUP = re.compile(r"<(script|img|b|i|u)\b|\sonerror=|\son\w+=\"", re.IGNORECASE)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _mermaid_blocks(page: str) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)^```$", page, flags=re.DOTALL | re.MULTILINE)


@pytest.fixture
def hostile(repo: Path) -> Path:
    overlay(repo, HOSTILE)
    assert main(["validate", "--root", str(repo)]) == 0  # every hostile label is valid content
    assert main(["render", "--root", str(repo)]) == 0
    return repo


def test_case_page_shows_each_diagram_as_a_mermaid_block(repo: Path) -> None:
    assert main(["render", "--root", str(repo)]) == 0
    page = (repo / "docs" / "cases" / "tiny-rag.md").read_text(encoding="utf-8")
    assert "- [Architecture](#architecture)" in page
    (block,) = _mermaid_blocks(page)
    assert block.startswith('flowchart LR\n  subgraph g1["Online"]\n')
    assert "135 ms along its longest chain, within the 200 ms serving budget" in page
    assert len(_mermaid_blocks((repo / "docs" / "cases" / "tiny-search.md").read_text(encoding="utf-8"))) == 1


def test_hostile_labels_stay_text_in_markdown(hostile: Path) -> None:
    page = (hostile / "docs" / "cases" / "tiny-search.md").read_text(encoding="utf-8")
    (block,) = _mermaid_blocks(page)
    # Every label is a quoted string of letters, digits and entity codes; outside the strings
    # stands only mlsd's own syntax: nothing that ends the fence, opens a directive or a tag.
    strings = re.findall(r'"([^"]*)"', block)
    assert len(strings) == 10 + 2 + 3  # ten nodes, two groups, three labelled edges
    for string in strings:
        assert re.fullmatch(r"[\w .,:/+\-'?!()=@#;]*", string), string
    syntax = re.sub(r'"[^"]*"', "", block)
    assert not re.search(r"[`<%&]|click|init", syntax)
    rendered = MarkdownIt("gfm-like", {"html": True}).render(page)
    outside = re.sub(r'<pre><code class="language-mermaid">.*?</code></pre>', "", rendered, flags=re.DOTALL)
    assert not MARKUP.search(outside)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outside  # the diagram's title, as text


def test_hostile_labels_stay_text_in_html_and_svg(hostile: Path) -> None:
    checklist = (hostile / "docs" / "checklist.html").read_text(encoding="utf-8")
    # The page's own tick script is the one script mlsd writes; nothing a label holds may add another.
    assert checklist.count("<script") == 1
    assert not MARKUP.search(checklist.replace(str(Ticking().script), ""))
    assert "<foreignObject" not in checklist
    svg = checklist[checklist.index("<svg") : checklist.index("</svg>")]
    texts = [html.unescape(text) for text in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.DOTALL)]
    drawn = _squeeze("".join(texts))
    for label in HOSTILE_LABELS:
        assert _squeeze(label) in drawn, label


def _pdf_text(repo: Path, chapter: str) -> str:
    require(importlib.util.find_spec("weasyprint") is not None, "WeasyPrint is not installed")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    pdf = repo / "chapter.pdf"
    assert (
        main(["checklist", "--root", str(repo), "--chapters", chapter, "-o", str(repo / "c.html"), "--pdf", str(pdf)])
        == 0
    )
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60)
    return result.stdout


def test_a_chapter_pdf_holds_its_diagram_labels_as_text(repo: Path) -> None:
    text = _squeeze(_pdf_text(repo, "12"))
    for label in [*RAG_LABELS, "passages, 120 ms", "Online", "Offline"]:
        assert _squeeze(label) in text, label


def test_hostile_labels_stay_text_in_the_pdf(hostile: Path) -> None:
    text = _squeeze(_pdf_text(hostile, "2"))
    for label in HOSTILE_LABELS:
        assert _squeeze(label) in text, label


def test_render_keeps_one_cached_svg_per_diagram_and_removes_the_unused(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "--root", str(repo)]) == 0
    before = {path: path.read_text(encoding="utf-8") for path in (repo / "docs" / "diagrams").glob("*.svg")}
    assert len(before) == 2  # tiny-rag's and tiny-search's
    case = repo / "cases" / "tiny-rag.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("label: Chat client", "label: Web client"))
    capsys.readouterr()

    assert main(["render", "--root", str(repo), "--check"]) == 1
    err = capsys.readouterr().err
    assert len(re.findall(r"docs/diagrams/[0-9a-f]{20}\.svg belongs to no case or framework", err)) == 1
    assert len(re.findall(r"docs/diagrams/[0-9a-f]{20}\.svg is out of date", err)) == 1
    assert main(["render", "--root", str(repo)]) == 0
    after = set((repo / "docs" / "diagrams").glob("*.svg"))
    (old,), (new,) = set(before) - after, after - set(before)
    assert "Chat client" in before[old] and "Web client" in new.read_text(encoding="utf-8")
    assert "Web client" in (repo / "docs" / "checklist.html").read_text(encoding="utf-8")
