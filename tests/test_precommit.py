"""A real `pre-commit` run in a real git repository built from the minimal fixture and
this repository's hook configuration: good content passes, a broken case is blocked."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlsd.cli import main

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def git_repo(repo: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    # The tree the hooks expect: the package (ruff, mypy), the config, a fixture folder.
    for name in (".pre-commit-config.yaml", ".yamllint.yaml", "pyproject.toml"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "tools", repo / "tools", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (repo / "tests" / "fixtures").mkdir(parents=True)
    (repo / "tests" / "fixtures" / "broken.yaml").write_text("a: [\n")
    assert main(["render", "--root", str(repo)]) == 0
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "NO_COLOR": "1",
    }
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "seed"]):
        result = run(command, repo, env)
        assert result.returncode == 0, result.stderr
    return repo, env


def test_hooks_pass_on_good_content(git_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = git_repo
    result = run([str(BIN / "pre-commit"), "run", "--all-files"], repo, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mlsd validate" in result.stdout and "Passed" in result.stdout


def test_a_broken_case_is_blocked_with_its_location(git_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = git_repo
    assert run([str(BIN / "pre-commit"), "install"], repo, env).returncode == 0
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(case.read_text().replace("difficulty: easy", "dificulty: easy"))
    run(["git", "add", "-A"], repo, env)

    result = run(["git", "commit", "-m", "break a case"], repo, env)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "cases/tiny-search.yaml:6:1: error[schema] dificulty: unknown key 'dificulty'" in output
    assert "hint: did you mean 'difficulty'?" in output
    log = run(["git", "log", "--oneline"], repo, env).stdout.splitlines()
    assert len(log) == 1  # the commit did not happen


def test_render_is_a_manual_hook_that_regenerates_on_demand(git_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = git_repo
    case = repo / "cases" / "tiny-rag.yaml"
    case.write_text(case.read_text().replace("title: Tiny Retrieval-Augmented Answers", "title: Tiny RAG"))
    run(["git", "add", "-A"], repo, env)
    # A contributor's commit changes the YAML only: main regenerates the pages after the merge.
    assert run([str(BIN / "pre-commit"), "run", "--all-files"], repo, env).returncode == 0
    assert "Tiny RAG" not in (repo / "docs" / "cases" / "tiny-rag.md").read_text()

    result = run([str(BIN / "pre-commit"), "run", "--hook-stage", "manual", "mlsd-render", "--all-files"], repo, env)
    assert result.returncode != 0
    assert "files were modified by this hook" in result.stdout
    assert "Tiny RAG" in (repo / "docs" / "cases" / "tiny-rag.md").read_text()


def test_a_yaml_mistake_in_content_is_reported_once(git_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = git_repo
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(case.read_text().replace("difficulty: easy", "difficulty: easy\n    part: classic"))
    run(["git", "add", "-A"], repo, env)

    result = run([str(BIN / "pre-commit"), "run", "--all-files"], repo, env)

    assert result.returncode != 0
    located = [line for line in result.stdout.splitlines() if re.match(r"\S+:\d+:\d+: ", line)]
    assert located == [
        "cases/tiny-search.yaml:7:5: error[yaml] 'part' is indented deeper than the line above,"
        " so YAML reads it as part of that value"
    ], result.stdout


def test_a_hook_without_its_tool_says_how_to_get_it_in_one_line(git_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = git_repo
    bare = {**env, "PATH": os.defpath}
    result = run(["bash", "tools/hooks/run", "mlsd", "--version"], repo, bare)
    assert result.returncode == 1
    assert result.stderr == (
        "mlsd not found: activate the environment (source .venv/bin/activate)"
        " or set it up (python3 -m venv .venv && .venv/bin/pip install -e '.[dev]')\n"
    )
    # Committing from an editor that did not activate the environment: .venv is found anyway.
    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "mlsd").symlink_to(BIN / "mlsd")
    result = run(["bash", "tools/hooks/run", "mlsd", "--version"], repo, bare)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("mlsd ")
