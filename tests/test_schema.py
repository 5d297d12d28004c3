from __future__ import annotations

from pathlib import Path

from mlsd.schema import schema_texts

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schemas_match_the_models() -> None:
    for name, text in schema_texts().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, f"run 'mlsd schema' ({name})"
