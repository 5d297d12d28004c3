from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import snapshot
from mlsd import __version__
from mlsd.cli import main
from mlsd.commands import COMMANDS


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"mlsd {__version__}\n"


def test_every_command_has_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    names = [command.name for command in COMMANDS]
    assert set(names) >= {"validate", "schema", "export", "stats"}
    for name in names:
        assert main([name, "--help"]) == 0
        out = capsys.readouterr().out
        assert "example:\n  mlsd " + name in out, name


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["valdate"]) == 2
    err = capsys.readouterr().err
    assert "mlsd: error: argument COMMAND: invalid choice: 'valdate'" in err


def test_unknown_format_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--root", str(repo), "--format", "xml"]) == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_path_outside_content_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "notes.md").write_text("hello\n")
    assert main(["validate", "--root", str(repo), str(repo / "notes.md")]) == 2
    assert "is not a content file" in capsys.readouterr().err


def test_given_paths_limit_the_report_but_not_the_checks(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(case.read_text().replace("\nreferences: [bm25-paper]\n", "\nreferences: [missing-one]\n"))
    resources = repo / "resources.yaml"
    resources.write_text(resources.read_text().replace("type: paper", "type: papers"))

    assert main(["validate", "--root", str(repo), "--color", "never", str(case)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "cases/tiny-search.yaml:144:16: error[unlisted-ref] in_production[0].reference: 'bm25-paper' is not in the"
        " chapter's references",
        "  hint: add it to 'references', so the reading list carries it",
        "cases/tiny-search.yaml:145:14: error[dangling-ref] references[0]: no resource has the id 'missing-one'",
        "2 errors in 1 file (1 file checked)",
    ]


def test_json_format(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(case.read_text().replace("difficulty: easy", "difficulty: trivial"))
    assert main(["validate", "--root", str(repo), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["files_checked"] == 4
    [problem] = document["problems"]
    assert problem["path"] == "cases/tiny-search.yaml"
    assert (problem["line"], problem["col"], problem["code"], problem["field"]) == (6, 13, "schema", "difficulty")
    assert problem["message"] == "Input should be 'easy', 'medium' or 'hard'"


def test_github_format_escapes_annotation_text(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(case.read_text().replace("difficulty: easy", "dificulty: easy"))
    assert main(["validate", "--root", str(repo), "--format", "github"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        "::error file=cases/tiny-search.yaml,line=6,col=1,title=schema dificulty::"
        "unknown key 'dificulty'%0Ahint: did you mean 'difficulty'?"
    )


def test_color_always_marks_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(case.read_text().replace("difficulty: easy", "dificulty: easy"))
    assert main(["validate", "--root", str(repo), "--color", "always"]) == 1
    assert "\033[31merror[schema]\033[0m" in capsys.readouterr().out


def test_root_is_found_from_a_subfolder(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo / "cases")
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == "no problems (4 files checked)\n"


def test_export_emits_the_content_as_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--root", str(repo)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [case["id"] for case in document["cases"]] == ["tiny-search", "tiny-rag"]
    assert [framework["id"] for framework in document["frameworks"]] == ["two-step"]
    assert [resource["id"] for resource in document["resources"]] == ["bm25-paper"]
    # Derived from the cases that cite it, in chapter order: the relation has one source.
    assert document["resources"][0]["cases"] == ["tiny-search", "tiny-rag"]
    assert document["cases"][0]["steps"]["requirements"]["requirements"]["scale"][0] == {
        "name": "documents",
        "value": "10 million",
    }


def test_export_refuses_invalid_content(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "cases" / "tiny-search.yaml").write_text("id: [\n")
    assert main(["export", "--root", str(repo)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "cases/tiny-search.yaml:2:1: error[yaml]" in captured.err


def test_stats(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "  2  tiny-search" in out
    assert " 12  tiny-rag " in out
    assert out.endswith("2 cases, 1 frameworks, 1 resources of 1 types (paper)\n")


def test_schema_writes_then_checks(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--root", str(repo), "--check"]) == 1
    assert "schemas/case.schema.json is out of date" in capsys.readouterr().err
    assert main(["schema", "--root", str(repo)]) == 0
    before = snapshot(repo)
    assert main(["schema", "--root", str(repo), "--check"]) == 0
    assert main(["schema", "--root", str(repo)]) == 0
    assert snapshot(repo) == before


def test_internal_error_is_one_line_without_traceback(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(root: Path) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("mlsd.checks.load_content", explode)
    monkeypatch.delenv("MLSD_DEBUG", raising=False)
    assert main(["validate", "--root", str(repo)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("mlsd: internal error: RuntimeError: boom")
    assert "Traceback" not in err


def _run_without(modules: list[str], argv: list[str]) -> subprocess.CompletedProcess[str]:
    # A fresh interpreter in which `import <module>` fails, as on an install that predates it.
    code = (
        "import sys\n"
        f"for name in {modules!r}: sys.modules[name] = None\n"
        "from mlsd.cli import main\n"
        f"sys.exit(main({argv!r}))\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_validate_and_render_need_no_formatter_or_link_checker_packages(repo: Path) -> None:
    assert main(["render", "--root", str(repo)]) == 0
    optional = ["ruamel", "ruamel.yaml", "markdown_it", "weasyprint"]
    validate = _run_without([*optional, "jinja2"], ["validate", "--root", str(repo)])
    assert validate.returncode == 0, validate.stderr
    render = _run_without(optional, ["render", "--root", str(repo), "--check"])
    assert render.returncode == 0, render.stderr


def test_a_missing_package_is_one_line_naming_it(repo: Path) -> None:
    result = _run_without(["ruamel", "ruamel.yaml"], ["fmt", "--root", str(repo)])
    assert result.returncode == 3
    expected = "mlsd: error: the Python package 'ruamel.yaml' is missing; reinstall mlsd: pip install -e .\n"
    assert result.stderr == expected


def test_an_unwritable_output_is_one_line_and_exit_1(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "a-file").write_text("not a folder\n")
    target = repo / "a-file" / "c.html"
    assert main(["checklist", "--root", str(repo), "--output", str(target)]) == 1
    assert capsys.readouterr().err == f"mlsd: error: cannot write {target}: File exists\n"


def test_an_output_that_is_not_a_regular_file_is_left_alone(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = repo / "a-pipe"
    os.mkfifo(fifo)
    assert main(["checklist", "--root", str(repo), "--output", str(fifo)]) == 1
    assert capsys.readouterr().err == f"mlsd: error: cannot write {fifo}: not a regular file\n"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_case_is_needed_for_a_checklist(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for case in (repo / "cases").glob("*.yaml"):
        case.unlink()
    (repo / "resources.yaml").write_text(
        (repo / "resources.yaml").read_text().replace("cases: [tiny-search]", "cases: []")
    )
    assert main(["checklist", "--root", str(repo), "--output", "-"]) == 1
    assert capsys.readouterr().err == "mlsd: error: the content has no case to put in a checklist\n"


def test_validate_loads_no_other_command_and_none_of_their_packages(repo: Path) -> None:
    code = (
        "import sys\n"
        "from mlsd.cli import main\n"
        f"main(['validate', '--root', {str(repo)!r}])\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    loaded = set(result.stdout.split())
    assert {"mlsd.commands.validate", "mlsd.checks"} <= loaded
    heavy = {"jinja2", "ruamel", "weasyprint", "mlsd.render", "mlsd.links", "mlsd.fmt"}
    others = {f"mlsd.commands.{command.name}" for command in COMMANDS} - {"mlsd.commands.validate"}
    assert not (heavy | others) & loaded


def test_validate_takes_a_folder_for_its_content_files(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(case.read_text().replace("difficulty: easy", "dificulty: easy"))
    monkeypatch.chdir(repo)

    assert main(["validate", "cases/", "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("cases/tiny-search.yaml:6:1: error[schema] dificulty: unknown key 'dificulty'\n")
    assert out.endswith("1 error in 1 file (2 files checked)\n")
    assert main(["validate", "frameworks"]) == 0
    (repo / "notes").mkdir()
    assert main(["validate", "notes"]) == 2
    assert "mlsd: error: notes holds no content file" in capsys.readouterr().err


def test_strict_turns_warnings_into_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = repo / "cases" / "tiny-search.yaml"
    case.write_text(case.read_text().replace("summary: A tiny search case", "summary: TODO A tiny search case"))
    assert main(["validate", "--root", str(repo), "--color", "never"]) == 0
    assert "warning[placeholder] summary:" in capsys.readouterr().out
    assert main(["validate", "--root", str(repo), "--color", "never", "--strict"]) == 1
    assert "error[placeholder] summary:" in capsys.readouterr().out
