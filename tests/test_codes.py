"""Every problem code is declared once in codes.py, and each has a golden report that shows it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from conftest import FIXTURES
from mlsd.codes import CODES, Code

TESTS = Path(__file__).parent
# Codes that `mlsd validate` never reports, each shown by the test file named: the allowlist
# is not content (mlsd links), and a hand-edited generated file is a fact of git history.
REPORTED_ELSEWHERE = {"allowlist": "test_links.py", "generated-file": "test_generated.py"}


def _reported(text: str) -> set[str]:
    return set(re.findall(r"^\S+:\d+:\d+: (?:error|warning)\[([a-z-]+)\]", text, flags=re.MULTILINE))


def _golden_codes() -> set[str]:
    return {code for path in (FIXTURES / "invalid").glob("*/expected.txt") for code in _reported(path.read_text())}


def test_each_code_is_declared_once_with_a_meaning() -> None:
    assert list(CODES) == list(get_args(Code))
    assert all(meaning and "\n" not in meaning for meaning in CODES.values())


def test_every_declared_code_has_a_golden_report() -> None:
    missing = set(CODES) - set(REPORTED_ELSEWHERE) - _golden_codes()
    assert not missing, f"add a folder under tests/fixtures/invalid/ for: {sorted(missing)}"
    for code, test_file in REPORTED_ELSEWHERE.items():
        assert f"error[{code}]" in (TESTS / test_file).read_text(encoding="utf-8")


def test_every_reported_code_is_declared() -> None:
    assert _golden_codes() <= set(CODES)
