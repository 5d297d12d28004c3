"""The contributor path for diagrams: `mlsd new case` writes one that validates and renders,
`mlsd fmt` puts its keys in the model's order, and the JSON Schema describes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlsd.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_new_case_writes_a_diagram_that_validates_and_renders(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options = ["--title", "Fresh", "--part", "patched", "--framework", "two-step", "--difficulty", "easy"]
    assert main(["new", "case", "fresh-case", "--root", str(repo), *options, "--tags", "search"]) == 0
    capsys.readouterr()
    assert main(["validate", "--root", str(repo), "--format", "json"]) == 0
    problems = json.loads(capsys.readouterr().out)["problems"]
    diagram_problems = [problem for problem in problems if problem["field"].startswith("diagrams")]
    assert diagram_problems and {problem["code"] for problem in diagram_problems} == {"placeholder"}
    assert main(["render", "--root", str(repo)]) == 0
    page = (repo / "docs" / "cases" / "fresh-case.md").read_text(encoding="utf-8")
    assert "```mermaid\nflowchart LR\n" in page and 'n1 ==>|"request, 10 ms"| n2' in page


def test_fmt_orders_diagram_keys_as_the_model_does(repo: Path) -> None:
    case = repo / "cases" / "tiny-rag.yaml"
    text = case.read_text(encoding="utf-8")
    scrambled = text.replace(
        "      - from: client\n        to: api\n        label: question\n        latency_ms: 10\n",
        "      - latency_ms: 10  # the first hop\n        label: question\n        to: api\n        from: client\n",
    ).replace("  - id: answer-path\n    title:", "  - title:", 1)
    scrambled = scrambled.replace("    direction: LR\n", "    direction: LR\n    id: answer-path\n", 1)
    assert scrambled != text
    case.write_text(scrambled, encoding="utf-8")

    assert main(["fmt", "--root", str(repo)]) == 0

    formatted = case.read_text(encoding="utf-8")
    edge = "      - from: client\n        to: api\n        label: question\n        latency_ms: 10  # the first hop\n"
    assert edge in formatted
    assert formatted.replace("  # the first hop", "") == text


def test_the_case_schema_describes_diagrams() -> None:
    schema = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    edge = schema["$defs"]["DiagramEdge"]
    assert set(edge["properties"]) == {"from", "to", "label", "latency_ms"}
    assert edge["required"] == ["from", "to"]
    kinds = schema["$defs"]["DiagramNode"]["properties"]["kind"]["enum"]
    assert {"client", "service", "model", "store", "stream", "job", "external", "human"} <= set(kinds)
