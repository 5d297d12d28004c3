"""Every problem code is declared once in codes.py, and each has a golden report that shows it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from conftest import FIXTURES
from mlsd.codes import CODES, Code

TESTS = Path(__file__).parent
# The allowlist is not content, so `mlsd validate` never reports it; test_links.py does.
REPORTED_BY_LINKS = {"allowlist"}


def _reported(text: str) -> set[str]:
    return set(re.findall(r"^\S+:\d+:\d+: (?:error|warning)\[([a-z-]+)\]", text, flags=re.MULTILINE))


def _golden_codes() -> set[str]:
    return {code for path in (FIXTURES / "invalid").glob("*/expected.txt") for code in _reported(path.read_text())}


def test_each_code_is_declared_once_with_a_meaning() -> None:
    assert list(CODES) == list(get_args(Code))
    assert all(meaning and "\n" not in meaning for meaning in CODES.values())


def test_every_declared_code_has_a_golden_report() -> None:
    missing = set(CODES) - REPORTED_BY_LINKS - _golden_codes()
    assert not missing, f"add a folder under tests/fixtures/invalid/ for: {sorted(missing)}"
    links_tests = (TESTS / "test_links.py").read_text(encoding="utf-8")
    assert all(f"error[{code}]" in links_tests for code in REPORTED_BY_LINKS)


def test_every_reported_code_is_declared() -> None:
    assert _golden_codes() <= set(CODES)
