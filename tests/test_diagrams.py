"""Architecture diagrams: the Mermaid text (golden), labels that stay text, the critical
path, and every diagram of the repository and the fixtures parsed and drawn by mmdr."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, MINIMAL
from mermaidjs import MermaidJs
from mlsd.checks.diagrams import diagrams
from mlsd.checks.index import Index
from mlsd.content import load_content
from mlsd.diagrams.mermaid import escape_label, to_mermaid
from mlsd.diagrams.paths import critical_path, request_path_ms
from mlsd.diagrams.svg import (
    CACHE_DIR,
    RENDERER_VERSION,
    DiagramError,
    SvgCache,
    cache_key,
    for_paper,
    inline_svg,
    render_svg,
)
from mlsd.models import Case, Diagram

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_MERMAID = FIXTURES / "diagrams" / "answer-path.mmd"


def _case(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    return Case.model_validate(yaml.safe_load(text))


def _every_diagram() -> list[tuple[str, Diagram]]:
    """Every diagram of the repository's cases and of every fixture case that validates."""
    found = []
    for path in sorted([*(ROOT / "cases").glob("*.yaml"), *FIXTURES.rglob("cases/*.yaml")]):
        try:
            case = _case(path)
        except Exception:  # broken fixtures are broken on purpose; test_golden reports them
            continue
        for diagram in case.diagrams or []:
            found.append((f"{path.relative_to(ROOT).as_posix()}#{diagram.id}", diagram))
    return found


DIAGRAMS = _every_diagram()
ANSWER_PATH = _case(MINIMAL / "cases" / "tiny-rag.yaml").diagrams[0]  # type: ignore[index]


def _diagram(edges: list[dict[str, object]]) -> Diagram:
    names = sorted({str(edge[end]) for edge in edges for end in ("from", "to")})
    nodes = [{"id": name, "label": name.upper(), "kind": "service"} for name in names]
    return Diagram.model_validate({"id": "d", "title": "D", "nodes": nodes, "edges": edges})


def test_mermaid_text_matches_the_golden_file() -> None:
    text = to_mermaid(ANSWER_PATH)
    if os.environ.get("MLSD_UPDATE_GOLDEN"):
        GOLDEN_MERMAID.write_text(text, encoding="utf-8")
    assert text == GOLDEN_MERMAID.read_text(encoding="utf-8")


def test_the_fixtures_hold_diagrams() -> None:
    # The repository may hold few diagrams or none while they are being written; the fixtures never do.
    assert sum(name.startswith("tests/") for name, _ in DIAGRAMS) >= 2


@pytest.mark.parametrize(("name", "diagram"), DIAGRAMS, ids=[name for name, _ in DIAGRAMS])
def test_every_diagram_parses_and_draws_its_labels_as_text(name: str, diagram: Diagram) -> None:
    svg = render_svg(to_mermaid(diagram))  # raises DiagramError on a syntax error
    assert "<foreignObject" not in svg
    if "/invalid/" in name:
        return  # a duplicate id or a character reference is broken on purpose; it still parses
    # The renderer wraps long labels over several <text> lines, so compare without whitespace.
    drawn = "".join("".join(_texts(svg)).split())
    for node in diagram.nodes:
        assert "".join(node.label.split()) in drawn, f"{name}: node '{node.id}' is not drawn as text"


def test_a_syntax_error_fails() -> None:
    with pytest.raises(DiagramError, match="parse error"):
        render_svg('flowchart LR\n  n1["unterminated] --> n2\n')


@pytest.mark.parametrize(
    ("label", "escaped"),
    [
        ('a"] --> b["c', "a#34;#93; --#62; b#91;#34;c"),
        ("%%{init: {}}%%", "#37;#37;#123;init: #123;#125;#125;#37;#37;"),
        ("<script>", "#60;script#62;"),
        ("#quot; #35;", "#35;quot#59; #35;35#59;"),
        ("line one\nline two\t end", "line one line two end"),
        ("`code` **b** _i_ [l](u)", "#96;code#96; #42;#42;b#42;#42; #95;i#95; #91;l#93;(u)"),
        ("Déjà vu, 10 ms: p99 (x)", "Déjà vu, 10 ms: p99 (x)"),
    ],
)
def test_labels_become_letters_digits_and_entity_codes(label: str, escaped: str) -> None:
    assert escape_label(label) == escaped


QUOTED = r'"[\w .,:/+\-\'?!()=@#;]*"'
SHAPE = r"(\(|\[|\{\{|\[\(|\[/|\[\[|\[\\)" + QUOTED + r"(\)|\]|\}\}|\)\]|/\]|\]\]|\\\])"
GRAMMAR = re.compile(
    "|".join(
        [
            r"flowchart (LR|RL|TB|BT)",
            rf"  subgraph g\d+\[{QUOTED}\]",
            rf" {{2,4}}n\d+{SHAPE}",
            r"  end",
            rf"  n\d+ (==>|-->)(\|{QUOTED}\|)? n\d+",
            r"  classDef [a-z]+ [a-z:#0-9,-]+",
            r"  class n\d+(,n\d+)* [a-z]+",
        ]
    )
)


@pytest.mark.parametrize(("name", "diagram"), DIAGRAMS, ids=[name for name, _ in DIAGRAMS])
def test_every_line_is_mlsd_syntax_with_labels_only_inside_quotes(name: str, diagram: Diagram) -> None:
    # Node ids are generated, labels are quoted strings of safe characters: nothing from the
    # YAML can stand where Mermaid reads syntax, in any diagram, the hostile fixture's included.
    for line in to_mermaid(diagram).splitlines():
        assert GRAMMAR.fullmatch(line), f"{name}: {line!r}"


def test_critical_path_counts_a_parallel_fan_out_once() -> None:
    diagram = _diagram(
        [
            {"from": "a", "to": "b", "latency_ms": 10},
            {"from": "b", "to": "c", "latency_ms": 30},  # c and d are called in parallel
            {"from": "b", "to": "d", "latency_ms": 50},
            {"from": "d", "to": "e", "latency_ms": 5},
            {"from": "c", "to": "e"},  # no latency: not on the request path
        ]
    )
    assert critical_path(diagram) == [0, 2, 3]
    assert request_path_ms(diagram) == 65


def test_critical_path_finds_a_cycle_and_no_path_without_latency() -> None:
    cycle = _diagram([{"from": "a", "to": "b", "latency_ms": 1}, {"from": "b", "to": "a", "latency_ms": 1}])
    assert critical_path(cycle) is None
    assert request_path_ms(_diagram([{"from": "a", "to": "b"}])) is None


def test_svg_is_byte_identical_across_runs_and_processes() -> None:
    source = to_mermaid(ANSWER_PATH)
    first = render_svg(source)
    assert render_svg(source) == first
    code = "import sys; from mlsd.diagrams.svg import render_svg; sys.stdout.write(render_svg(sys.stdin.read()))"
    fresh = subprocess.run(
        [sys.executable, "-c", code], input=source, capture_output=True, text=True, check=True, timeout=120
    )
    assert fresh.stdout == first


def test_inline_svg_ids_are_unique_on_a_page() -> None:
    one = SvgCache().diagram("tiny-rag", ANSWER_PATH)
    two = inline_svg(to_mermaid(ANSWER_PATH), "d-other")
    assert 'id="merman' not in one and "#merman" not in one
    ids = re.findall(r'\sid="([^"]+)"', one + two)
    assert len(ids) == len(set(ids))
    with pytest.raises(ValueError, match="prefix"):
        inline_svg(to_mermaid(ANSWER_PATH), 'x" onload="y')


def _texts(svg: str) -> list[str]:
    import html

    return [html.unescape(text) for text in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.DOTALL)]


def test_repository_diagrams_follow_the_diagram_rules() -> None:
    # Whatever number of diagrams the repository holds, the diagram rules pass on them.
    content = load_content(ROOT)
    assert diagrams(content, Index.build(content, date.today())) == []


@pytest.fixture(scope="module")
def mermaid_js() -> Iterator[MermaidJs]:
    parser = MermaidJs()
    yield parser
    parser.close()


@pytest.mark.parametrize(("name", "diagram"), DIAGRAMS, ids=[name for name, _ in DIAGRAMS])
def test_mermaid_js_accepts_every_diagram(name: str, diagram: Diagram, mermaid_js: MermaidJs) -> None:
    assert mermaid_js.parse(to_mermaid(diagram)) is None


def test_mermaid_js_refuses_a_syntax_error(mermaid_js: MermaidJs) -> None:
    error = mermaid_js.parse('flowchart LR\n  n1["unterminated] --> n2\n')
    assert error is not None and "Parse error" in error


def test_every_committed_svg_is_what_the_renderer_draws_now() -> None:
    # A cached SVG is trusted by its name; this is where that trust is earned.
    cached = {path.stem: path for path in (ROOT / CACHE_DIR).glob("*.svg")}
    drawn = (to_mermaid(for_paper(diagram)) for _, diagram in DIAGRAMS)  # the checklist's SVGs
    sources = {cache_key(source): source for source in drawn}
    for key, path in sorted(cached.items()):
        assert key in sources, f"{path.name} is drawn from no diagram; run 'mlsd render'"
        assert path.read_text(encoding="utf-8") == render_svg(sources[key]), path.name


def test_the_cache_reads_a_committed_svg_and_lists_what_it_used(tmp_path: Path) -> None:
    source = to_mermaid(ANSWER_PATH)
    (tmp_path / f"{cache_key(source)}.svg").write_text("<svg>cached</svg>\n", encoding="utf-8")
    cache = SvgCache(tmp_path)
    assert cache.svg(source) == "<svg>cached</svg>\n"
    other = source.replace("Chat client", "Web client")
    assert cache.svg(other) == render_svg(other)
    assert cache.files("docs/diagrams") == {
        f"docs/diagrams/{cache_key(source)}.svg": "<svg>cached</svg>\n",
        f"docs/diagrams/{cache_key(other)}.svg": render_svg(other),
    }
    assert cache_key(source) != cache_key(other)


def test_the_cache_key_names_the_installed_and_pinned_renderer() -> None:
    import importlib.metadata

    assert importlib.metadata.version("mmdr") == RENDERER_VERSION
    assert f'"mmdr=={RENDERER_VERSION}"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_paper_draws_the_page_diagram_top_to_bottom() -> None:
    page, paper = to_mermaid(ANSWER_PATH), to_mermaid(for_paper(ANSWER_PATH))
    assert page.startswith("flowchart LR\n") and paper.startswith("flowchart TB\n")
    assert page.split("\n", 1)[1] == paper.split("\n", 1)[1]  # the same nodes, groups, edges and labels
    assert 'viewBox="' in SvgCache().diagram("tiny-rag", ANSWER_PATH)
