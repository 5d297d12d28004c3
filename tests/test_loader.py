from __future__ import annotations

from pathlib import Path

import pytest

from mlsd import loader
from mlsd.cli import main


def test_file_over_the_size_cap_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(case.read_text() + "# padding\n" * (loader.MAX_BYTES // 10 + 1))
    assert main(["validate", "--root", str(repo), "--color", "never"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("cases/tiny-search.yaml:1:1: error[size] file is 1,")


def test_deep_alias_bomb_fails_at_the_first_anchor(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 30 levels of nine-fold aliases would expand to 9**30 nodes if anything expanded them.
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for level in range(1, 31):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    (repo / "cases" / "tiny-search.yaml").write_text("\n".join(lines) + "\n")
    assert main(["validate", "--root", str(repo), "--color", "never"]) == 1
    assert "cases/tiny-search.yaml:1:5: error[alias]" in capsys.readouterr().out


def test_quoted_ampersand_and_asterisk_are_plain_text(repo: Path) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(
        case.read_text().replace("summary: A tiny search case used by the tests.", 'summary: "&rock *and* roll: tiny"')
    )
    assert main(["validate", "--root", str(repo)]) == 0


def test_document_locates_keys_values_and_missing_paths(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a:\n  b:\n    - 1\n    - c: 2\n")
    document, problems = loader.load(path, "x.yaml")
    assert problems == [] and document is not None
    assert document.locate(("a", "b", 1, "c")) == (4, 10)
    assert document.locate(("a", "b", 1, "c"), key=True) == (4, 7)
    assert document.locate(("a", "nope", 3)) == (2, 3)  # the deepest node that exists


def test_pure_python_loader_gives_the_same_positions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb: [2, 3\n")
    _, with_c = loader.load(path, "x.yaml")
    monkeypatch.setattr(loader, "SafeLoader", yaml.SafeLoader)
    _, pure = loader.load(path, "x.yaml")
    assert [(p.line, p.col, p.code) for p in with_c] == [(p.line, p.col, p.code) for p in pure]


def test_control_character_is_a_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\nb: bad\x07char\n")
    document, problems = loader.load(path, "x.yaml")
    assert document is None
    assert [(p.line, p.col, p.code) for p in problems] == [(2, 7, "invisible")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A colon inside a value: the advice is to quote it, not to move a key.
        (
            "a:\n  - question: What is X: Y?\n",
            (2, 24, 'a value that contains ": " must be quoted, or written as a ">-" block'),
        ),
        # A key indented past its neighbours: reported at the key, not at its colon.
        (
            "a:\n  - question: q\n      assumption: a\n",
            (3, 7, "indent 'assumption' like the keys beside it (two spaces a level)"),
        ),
    ],
)
def test_a_moved_key_is_told_apart_from_a_colon_in_a_value(
    tmp_path: Path, text: str, expected: tuple[int, int, str]
) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text)
    document, problems = loader.load(path, "x.yaml")
    assert document is None
    assert [(problem.line, problem.col, problem.hint) for problem in problems] == [expected]


def test_text_after_a_glued_hash_is_reported_where_it_was_dropped(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    # A comment written on purpose ('  # why') is fine; '#1' glued to the text is lost text.
    text = case.read_text().replace("difficulty: easy", "difficulty: easy  # a comment")
    case.write_text(text.replace("summary: A tiny search case", "summary: Rank the top #1 tiny search case"))
    assert main(["validate", "--root", str(repo), "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "cases/tiny-search.yaml:9:23: error[truncated] summary: YAML reads this value as 'Rank the top'"
    )
    assert out.count("error[") == 1
