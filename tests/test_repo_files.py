"""The repository's own configuration: workflows parse and pin actions by SHA, hooks stay
offline, and CONTRIBUTING.md only names commands that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mlsd.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
FORMS = sorted((ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_workflow_parses_and_pins_every_action(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["jobs"] and "permissions" in workflow
    uses = re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8"))
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{action} is not pinned to a commit SHA"


@pytest.mark.parametrize("path", FORMS, ids=[path.name for path in FORMS])
def test_issue_forms_parse(path: Path) -> None:
    form = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(form, dict)
    if path.name != "config.yml":
        assert form["name"] and form["body"]


def test_pre_commit_uses_only_local_and_meta_hooks() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert {repo["repo"] for repo in config["repos"]} == {"local", "meta"}
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {
        "mlsd-validate",
        "mlsd-render",
        "check-yaml",
        "end-of-file-fixer",
        "trailing-whitespace",
        "check-merge-conflict",
        "yamllint",
        "ruff",
        "mypy",
    } <= hooks


def test_contributing_names_only_real_commands() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    commands = {command.name for command in COMMANDS}
    code = "\n".join(re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL) + re.findall(r"`([^`\n]+)`", text))
    code = re.sub(r"\s#.*$", "", code, flags=re.MULTILINE)  # shell comments are prose
    named = set(re.findall(r"(?:^|[\s(])mlsd ([a-z]+)\b", code, flags=re.MULTILINE))
    assert named, "CONTRIBUTING.md should show the mlsd commands"
    assert named <= commands, f"unknown commands: {named - commands}"


def test_a_newcomer_following_contributing_adds_a_case_that_validates_and_renders(tmp_path: Path) -> None:
    import shlex
    import shutil

    from mlsd.cli import main

    for name in ("cases", "frameworks", "schemas", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("resources.yaml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    command = re.search(r"^mlsd new case fraud-rings --title .*?(?<!\\)$", text.replace("\\\n", " "), re.MULTILINE)
    assert command, "CONTRIBUTING.md shows the scripted form of `mlsd new case`"
    argv = shlex.split(command.group())[1:]

    assert main([*argv, "--root", str(tmp_path)]) == 0
    assert main(["validate", "--root", str(tmp_path), str(tmp_path / "cases" / "fraud-rings.yaml")]) == 0
    assert main(["render", "--root", str(tmp_path)]) == 0
    assert (tmp_path / "docs" / "cases" / "fraud-rings.md").is_file()


def test_line_ends_are_lf_for_content_and_code() -> None:
    import subprocess

    result = subprocess.run(
        ["git", "-C", str(ROOT), "check-attr", "eol", "--", "cases/x.yaml", "resources.yaml", "tools/mlsd/cli.py"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip("not a git checkout")
    assert result.stdout.splitlines() == [
        "cases/x.yaml: eol: lf",
        "resources.yaml: eol: lf",
        "tools/mlsd/cli.py: eol: lf",
    ]


def test_dependabot_groups_updates_and_leaves_linkchecker_pinned() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(updates) == {"github-actions", "pip"}
    assert all(update["groups"] for update in updates.values())
    assert {"dependency-name": "linkchecker"} in updates["pip"]["ignore"]
    assert '"linkchecker==10.6.0"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
