"""mlsd fmt (idempotent, keeps comments) and mlsd new (skeletons that validate)."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from conftest import snapshot
from mlsd.cli import main
from mlsd.models import Access, Difficulty, Part, ResourceType

ROOT = Path(__file__).resolve().parents[1]


def test_fmt_orders_keys_sorts_tags_strips_trackers_and_keeps_comments(repo: Path) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    text = case.read_text()
    text = text.replace("difficulty: easy\ntags: [search]\n", "tags: [search]  # why this tag\ndifficulty: easy\n")
    case.write_text(text)
    resources = repo / "resources.yaml"
    resources.write_text(
        resources.read_text()
        .replace("tags: [ranking, search]", "tags: [search, ranking]  # keep me")
        .replace("https://example.org/bm25", "https://example.org/bm25?utm_source=news&id=3")
    )

    assert main(["fmt", "--root", str(repo)]) == 0

    formatted = case.read_text()
    assert "difficulty: easy\ntags: [search]  # why this tag\n" in formatted
    resource_text = resources.read_text()
    assert "tags: [ranking, search]  # keep me" in resource_text
    assert "url: https://example.org/bm25?id=3\n" in resource_text
    assert main(["validate", "--root", str(repo)]) == 0


def test_fmt_is_idempotent_and_check_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    resources = repo / "resources.yaml"
    resources.write_text(resources.read_text().replace("tags: [ranking, search]", "tags: [search, ranking]"))
    assert main(["fmt", "--root", str(repo), "--check"]) == 1
    assert "would reformat resources.yaml" in capsys.readouterr().err
    assert main(["fmt", "--root", str(repo)]) == 0
    once = snapshot(repo)
    assert main(["fmt", "--root", str(repo)]) == 0
    assert snapshot(repo) == once
    assert main(["fmt", "--root", str(repo), "--check"]) == 0


def test_fmt_adds_a_missing_schema_line(repo: Path) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(case.read_text().split("\n", 1)[1])
    assert main(["fmt", "--root", str(repo)]) == 0
    assert case.read_text().startswith("# yaml-language-server: $schema=../schemas/case.schema.json\nid: tiny-search\n")


def test_fmt_reports_broken_yaml_and_changes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "cases" / "tiny-search.yaml").write_text("id: [\n")
    before = snapshot(repo)
    assert main(["fmt", "--root", str(repo)]) == 1
    assert snapshot(repo) == before
    assert capsys.readouterr().err == (
        "cases/tiny-search.yaml: not formatted, it does not load ('mlsd validate cases/tiny-search.yaml' says where)\n"
    )


def test_the_repository_is_formatted(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--root", str(ROOT), "--check"]) == 0, capsys.readouterr().err


def test_new_case_validates_and_lists_its_placeholders(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "new",
            "case",
            "fraud-rings",
            "--root",
            str(repo),
            "--title",
            "Fraud Rings",
            "--part",
            "patched",
            "--framework",
            "two-step",
            "--difficulty",
            "hard",
            "--tags",
            "search",
        ]
    )
    assert code == 0
    text = (repo / "cases" / "fraud-rings.yaml").read_text()
    # No chapter: the case is numbered when it merges, so two new cases never claim one number.
    assert text.startswith("# yaml-language-server: $schema=../schemas/case.schema.json\nid: fraud-rings\ntitle:")
    capsys.readouterr()
    assert main(["validate", "--root", str(repo), "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "cases/fraud-rings.yaml:9:10: warning[placeholder] summary:" in out
    assert out.endswith("warnings in 1 file (5 files checked)\n")
    assert main(["fmt", "--root", str(repo), "--check"]) == 0


def test_new_case_without_a_terminal_names_the_missing_flag(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["new", "case", "fraud-rings", "--root", str(repo)]) == 2
    assert "missing --title (or run in a terminal to be asked)" in capsys.readouterr().err
    assert not (repo / "cases" / "fraud-rings.yaml").exists()


def test_new_case_asks_on_a_terminal(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["Fraud Rings", "", "two-step", "hard", "search"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["new", "case", "fraud-rings", "--root", str(repo)]) == 0
    assert "part: patched\n" in (repo / "cases" / "fraud-rings.yaml").read_text()


def test_new_resource_is_checked_then_added_in_order(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = [
        "new",
        "resource",
        "--root",
        str(repo),
        "--title",
        "A Paper",
        "--type",
        "paper",
        "--tags",
        "search",
        "--year",
        "2020",
        "--access",
        "free",
        "--description",
        "What it teaches.",
    ]
    assert main([*base, "--id", "a-paper", "--url", "https://example.com/a?fbclid=1"]) == 2
    assert "tracking parameters" in capsys.readouterr().err
    assert main([*base, "--id", "a-paper", "--url", "https://www.example.org/bm25/"]) == 2
    assert "'bm25-paper' already links this page" in capsys.readouterr().err
    assert main([*base, "--id", "a-paper", "--url", "https://example.com/a"]) == 0
    text = (repo / "resources.yaml").read_text()
    assert text.index("- id: a-paper") < text.index("- id: bm25-paper")
    assert main(["validate", "--root", str(repo)]) == 0
    assert main(["fmt", "--root", str(repo), "--check"]) == 0


def test_new_case_refuses_an_id_that_is_not_a_file_name_in_cases(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    before = snapshot(repo.parent)
    assert main(["new", "case", "../../escaped", "--root", str(repo), "--title", "Escaped"]) == 2
    assert capsys.readouterr().err.startswith(
        "mlsd: error: 5 problems, nothing written:\n"
        "  --id: '../../escaped': ids are lower-case words joined by hyphens, e.g. 'ad-click-prediction'\n"
        "  missing --part (or run in a terminal to be asked)\n"
    )
    assert snapshot(repo.parent) == before


def test_new_reports_every_bad_flag_at_once_and_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    before = snapshot(repo)
    argv = ["new", "case", "BadID", "--root", str(repo), "--title", "T", "--part", "patched", "--framework", "two-stp"]
    argv += ["--difficulty", "hard", "--tags", "serch", "--chapter", "2"]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        "mlsd: error: 4 problems, nothing written:\n"
        "  --id: 'BadID': ids are lower-case words joined by hyphens, e.g. 'ad-click-prediction'\n"
        "  --framework: 'two-stp' is not one of: two-step; did you mean 'two-step'?\n"
        "  --tags: no tag 'serch'; did you mean 'search'?\n"
        "  --chapter: chapter 2 is taken by cases/tiny-search.yaml;"
        " leave it out and the case is numbered when it merges\n"
    )
    resource = ["new", "resource", "--root", str(repo), "--id", "a-paper", "--title", "A", "--type", "paper"]
    resource += ["--url", "http://example.com/a?utm_source=x", "--tags", "search", "--year", "1800"]
    resource += ["--access", "free", "--cases", "tiny-serch", "--description", "What it teaches."]
    assert main(resource) == 2
    err = capsys.readouterr().err
    assert err.startswith("mlsd: error: 3 problems, nothing written:\n  --url: ")
    assert "  --year: '1800': Input should be greater than or equal to 1950\n" in err
    assert "  --cases: no case 'tiny-serch'; did you mean 'tiny-search'?\n" in err
    assert snapshot(repo) == before


def test_new_resource_with_cases_makes_each_case_cite_it(repo: Path) -> None:
    argv = ["new", "resource", "--root", str(repo), "--id", "a-paper", "--title", "A Paper", "--type", "paper"]
    argv += ["--url", "https://example.com/a", "--tags", "search", "--year", "2020", "--access", "free"]
    assert main([*argv, "--cases", "tiny-rag", "--description", "What it teaches."]) == 0
    assert "references: [bm25-paper, a-paper]\n" in (repo / "cases" / "tiny-rag.yaml").read_text()
    assert "a-paper" not in (repo / "cases" / "tiny-search.yaml").read_text()
    assert "cases:" not in (repo / "resources.yaml").read_text()
    assert main(["validate", "--root", str(repo)]) == 0
    assert main(["fmt", "--root", str(repo), "--check"]) == 0


def test_new_resource_refuses_the_same_arxiv_paper_under_another_address(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["new", "resource", "--root", str(repo), "--title", "A Paper", "--type", "paper", "--tags", "search"]
    argv += ["--year", "2020", "--access", "free", "--description", "What it teaches."]
    assert main([*argv, "--id", "a-paper", "--url", "https://arxiv.org/abs/2008.13535"]) == 0
    assert main([*argv, "--id", "b-paper", "--url", "https://arxiv.org/pdf/2008.13535v3"]) == 2
    assert "--url: 'a-paper' already links this page; cite that id instead" in capsys.readouterr().err


def test_new_resource_checks_the_year_as_the_model_does(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    before = snapshot(repo)
    assert main(["new", "resource", "--root", str(repo), "--year", "abc"]) == 2
    assert "  --year: 'abc': Input should be a valid integer, unable to parse string as an integer\n" in (
        capsys.readouterr().err
    )
    assert snapshot(repo) == before


def test_new_takes_its_choices_from_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "resource", "--help"]) == 0
    assert main(["new", "case", "x", "--help"]) == 0
    help_text = capsys.readouterr().out
    for options in (get_args(ResourceType), get_args(Access), get_args(Part), get_args(Difficulty)):
        assert "{" + ",".join(options) + "}" in help_text


def test_an_answer_on_a_terminal_is_checked_as_the_option_is(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["A Paper", "https://example.org/a-paper", "search", "abc", "2020", "", "What it teaches."])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    argv = ["new", "resource", "--root", str(repo), "--id", "a-paper", "--type", "paper", "--access", "free"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "  'abc': Input should be a valid integer, unable to parse string as an integer; try again\n" in err
    assert "  year: 2020\n" in (repo / "resources.yaml").read_text()


NEW_RESOURCE = """  - id: dense-paper
    title: Dense Passage Retrieval
    url: https://example.org/dpr
    type: paper
    tags: [search]
    year: 2020
    access: free
    cases: [tiny-search, tiny-rag]
    description: Dual encoders for open-domain retrieval.
"""


def test_fmt_moves_a_resource_cases_list_into_the_cases_it_names(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    resources = repo / "resources.yaml"
    resources.write_text(resources.read_text() + NEW_RESOURCE)
    assert main(["validate", "--root", str(repo), "--color", "never"]) == 1
    assert "hint: which cases a resource supports is read from the cases' references now" in capsys.readouterr().out

    assert main(["fmt", "--root", str(repo), str(resources)]) == 0

    assert "cases:" not in resources.read_text()
    for name in ("tiny-search", "tiny-rag"):
        assert "references: [bm25-paper, dense-paper]\n" in (repo / "cases" / f"{name}.yaml").read_text()
    assert main(["validate", "--root", str(repo)]) == 0
    assert main(["fmt", "--root", str(repo), "--check"]) == 0


def test_fmt_keeps_a_resource_cases_list_while_a_case_it_names_is_broken(repo: Path) -> None:
    resources = repo / "resources.yaml"
    resources.write_text(resources.read_text() + NEW_RESOURCE)
    (repo / "cases" / "tiny-rag.yaml").write_text("id: [\n")
    before = snapshot(repo)
    assert main(["fmt", "--root", str(repo)]) == 1
    assert snapshot(repo) == before  # nothing moves until every case can take it
