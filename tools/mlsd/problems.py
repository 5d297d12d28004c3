"""The Problem record and the reporters that print a list of them.

Every mistake a contributor can make becomes one Problem with a file, a line and a
column, in the compiler convention editors and CI turn into links:

    cases/x.yaml:14:5: error[schema] steps.evaluation.offline[2]: Input should be a valid string
      hint: ...
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from mlsd.codes import Code
from mlsd.output import BOLD, DIM, RED, RESET, YELLOW, Format, escape_annotation_data, escape_annotation_property

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    code: Code
    field: str
    message: str
    hint: str | None = None
    severity: Severity = "error"


def field_path(loc: Sequence[str | int]) -> str:
    """('steps', 'evaluation', 'offline', 2) -> 'steps.evaluation.offline[2]'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def summary(problems: Sequence[Problem], files_checked: int) -> str:
    if not problems:
        return f"no problems ({files_checked} {_plural(files_checked, 'file')} checked)"
    files = len({problem.path for problem in problems})
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    counts = [f"{errors} {_plural(errors, 'error')}"] if errors else []
    counts += [f"{warnings} {_plural(warnings, 'warning')}"] if warnings else []
    return (
        f"{' and '.join(counts)} in {files} {_plural(files, 'file')}"
        f" ({files_checked} {_plural(files_checked, 'file')} checked)"
    )


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def format_text(problems: Sequence[Problem], files_checked: int, color: bool = False) -> str:
    lines = []
    for problem in problems:
        where = f"{problem.path}:{problem.line}:{problem.col}:"
        label = f"{problem.severity}[{problem.code}]"
        if color:
            shade = RED if problem.severity == "error" else YELLOW
            where, label = f"{BOLD}{where}{RESET}", f"{shade}{label}{RESET}"
        field = f" {problem.field}:" if problem.field else ""
        lines.append(f"{where} {label}{field} {problem.message}")
        if problem.hint:
            hint = f"{DIM}hint:{RESET}" if color else "hint:"
            lines.append(f"  {hint} {problem.hint}")
    lines.append(summary(problems, files_checked))
    return "\n".join(lines) + "\n"


def format_json(problems: Sequence[Problem], files_checked: int) -> str:
    document = {
        "problems": [asdict(problem) for problem in problems],
        "files_checked": files_checked,
        "summary": summary(problems, files_checked),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def format_github(problems: Sequence[Problem], files_checked: int) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its line."""
    lines = []
    for problem in problems:
        title = f"{problem.code} {problem.field}".strip()
        message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
        lines.append(
            f"::{problem.severity} file={escape_annotation_property(problem.path)},line={problem.line},"
            f"col={problem.col},title={escape_annotation_property(title)}::{escape_annotation_data(message)}"
        )
    lines.append(summary(problems, files_checked))
    return "\n".join(lines) + "\n"


def report(problems: Sequence[Problem], files_checked: int, fmt: Format, color: bool) -> str:
    ordered = sorted(problems)
    if fmt == "json":
        return format_json(ordered, files_checked)
    if fmt == "github":
        return format_github(ordered, files_checked)
    return format_text(ordered, files_checked, color)
