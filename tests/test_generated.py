"""Generated files off the pull-request path, in a real git repository: two new-case branches
merge without a conflict, the regeneration step numbers them in merge order, and a branch
that edits a generated file by hand is told which YAML to edit instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlsd.cli import main

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MLSD_BASE_REF", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def git(repo: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *arguments], cwd=repo, capture_output=True, text=True, timeout=60, check=False)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def main_branch(repo: Path, env: dict[str, str]) -> Path:
    """The minimal repository on main, with its generated files, as the regeneration step leaves it."""
    ok(
        subprocess.run(
            ["bash", str(ROOT / "tools" / "regenerate.sh")], cwd=repo, env=env, capture_output=True, text=True
        )
    )
    ok(git(repo, "init", "-q", "-b", "main"))
    ok(git(repo, "add", "-A"))
    ok(git(repo, "commit", "-qm", "seed"))
    return repo


def new_case(repo: Path, identifier: str, title: str) -> None:
    argv = ["new", "case", identifier, "--root", str(repo), "--title", title, "--part", "patched"]
    argv += ["--framework", "two-step", "--difficulty", "medium", "--tags", "search"]
    assert main(argv) == 0


def test_two_new_case_branches_merge_cleanly_and_main_validates_after_regeneration(
    main_branch: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = main_branch
    for branch, identifier, title in (("fraud", "fraud-rings", "Fraud Rings"), ("spam", "spam-filter", "Spam")):
        ok(git(repo, "switch", "-q", "-c", branch, "main"))
        new_case(repo, identifier, title)
        # What a contributor commits now: the YAML, nothing generated.
        assert ok(git(repo, "status", "--porcelain")).strip() == f"?? cases/{identifier}.yaml"
        ok(git(repo, "add", "cases"))
        ok(git(repo, "commit", "-qm", f"Add {identifier}"))
    ok(git(repo, "switch", "-q", "main"))
    ok(git(repo, "merge", "--no-ff", "-q", "-m", "Merge spam", "spam"))  # merged first, numbered first
    ok(git(repo, "merge", "--no-ff", "-q", "-m", "Merge fraud", "fraud"))

    result = subprocess.run(
        ["bash", str(ROOT / "tools" / "regenerate.sh")], cwd=repo, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "cases/spam-filter.yaml: chapter 13" in result.stderr
    assert "cases/fraud-rings.yaml: chapter 14" in result.stderr
    assert "\nchapter: 14\n" in (repo / "cases" / "fraud-rings.yaml").read_text()
    capsys.readouterr()
    assert main(["validate", "--root", str(repo), "--color", "never"]) == 0
    assert main(["render", "--root", str(repo), "--check"]) == 0
    assert main(["number", "--root", str(repo), "--check"]) == 0
    assert main(["fmt", "--root", str(repo), "--check"]) == 0
    assert "Chapter 14: Fraud Rings" in (repo / "docs" / "cases" / "fraud-rings.md").read_text()


def test_a_chapter_collision_blames_the_case_that_is_not_on_main(
    main_branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = main_branch
    ok(git(repo, "switch", "-q", "-c", "taken"))
    # Sorted by name, a-search comes first: only git can tell that tiny-search was there before it.
    (repo / "cases" / "a-search.yaml").write_text(
        (repo / "cases" / "tiny-search.yaml").read_text().replace("id: tiny-search", "id: a-search")
    )
    capsys.readouterr()
    assert main(["validate", "--root", str(repo), "--color", "never", str(repo / "cases" / "a-search.yaml")]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "cases/a-search.yaml:3:10: error[duplicate-chapter] chapter: chapter 2 is already taken by"
        " cases/tiny-search.yaml, which is on main\n"
        "  hint: leave 'chapter' out of a new case: it is numbered when it merges into main\n"
    )


def test_a_hand_edited_generated_file_is_named_with_its_yaml(
    main_branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = main_branch
    ok(git(repo, "switch", "-q", "-c", "edits"))
    page = repo / "docs" / "cases" / "tiny-search.md"
    page.write_text(page.read_text() + "A fix made in the wrong place.\n")
    readme = repo / "README.md"
    text = readme.read_text()
    readme.write_text(text.replace("A hand-written introduction", "An edited introduction"))
    ok(git(repo, "commit", "-qam", "edit the hand-written part and a page"))

    assert main(["generated", "--root", str(repo), "--changed-since", "main", "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert out == (
        "docs/cases/tiny-search.md:1:1: error[generated-file] docs/cases/tiny-search.md is generated;"
        " a pull request changes cases/tiny-search.yaml instead\n"
        "  hint: undo this change (git checkout origin/main -- docs/cases/tiny-search.md);"
        " the workflow on main regenerates it after the merge\n"
        "1 error in 1 file (2 files checked)\n"
    )

    readme.write_text(readme.read_text().replace("<!-- mlsd:generated:end -->", "edited\n<!-- mlsd:generated:end -->"))
    ok(git(repo, "commit", "-qam", "edit the generated part"))
    assert main(["generated", "--root", str(repo), "--changed-since", "main", "--format", "github"]) == 1
    assert "::error file=README.md,line=" in capsys.readouterr().out


def test_generated_names_the_source_of_a_path(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["generated", "--root", str(repo), "docs/frameworks/two-step.md", "schemas/case.schema.json", "cases/x.yaml"]
    assert main(argv) == 0
    assert capsys.readouterr().out == (
        "docs/frameworks/two-step.md: made from frameworks/two-step.yaml\n"
        "schemas/case.schema.json: made from tools/mlsd/models.py (then the workflow runs 'mlsd schema')\n"
        "cases/x.yaml: not generated; edit it directly\n"
    )


def test_render_output_writes_a_preview_and_leaves_the_repository_alone(repo: Path, tmp_path: Path) -> None:
    from conftest import snapshot

    before = snapshot(repo)
    assert main(["render", "--root", str(repo), "--output", str(tmp_path / "preview")]) == 0
    assert snapshot(repo) == before
    assert (tmp_path / "preview" / "docs" / "cases" / "tiny-search.md").is_file()
    assert (tmp_path / "preview" / "README.md").is_file()


def test_a_schema_regenerated_with_its_models_is_not_a_hand_edit(
    main_branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = main_branch
    ok(git(repo, "switch", "-q", "-c", "schema"))
    schema = repo / "schemas" / "case.schema.json"
    current = schema.read_text()
    schema.write_text(current.replace('"type": "object"', '"type": "object", "x": 1', 1))
    ok(git(repo, "commit", "-qam", "a hand edit"))
    assert main(["generated", "--root", str(repo), "--changed-since", "main", "--color", "never"]) == 1
    assert (
        "schemas/case.schema.json is generated; a pull request changes tools/mlsd/models.py" in capsys.readouterr().out
    )
    schema.write_text(current)
    ok(git(repo, "commit", "-qam", "as the models make it"))
    assert main(["generated", "--root", str(repo), "--changed-since", "main"]) == 0


def test_a_pull_request_sees_the_warnings_of_its_own_files_and_every_error(
    main_branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = main_branch
    search, rag = repo / "cases" / "tiny-search.yaml", repo / "cases" / "tiny-rag.yaml"
    search.write_text(search.read_text().replace("summary: A tiny", "summary: TODO A tiny"))
    ok(git(repo, "commit", "-qam", "a placeholder already on main"))
    ok(git(repo, "switch", "-q", "-c", "draft"))
    rag.write_text(rag.read_text().replace("summary: ", "summary: TODO ", 1).replace("difficulty:", "dificulty:"))
    capsys.readouterr()

    assert main(["validate", "--root", str(repo), "--color", "never", "--changed-since", "main"]) == 1

    out = capsys.readouterr().out
    assert "cases/tiny-rag.yaml" in out and "error[schema] dificulty" in out
    assert "cases/tiny-search.yaml" not in out  # not this branch's to fix
