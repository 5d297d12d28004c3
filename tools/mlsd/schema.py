"""JSON Schemas generated from the models, for editors and for other validators."""

from __future__ import annotations

import json

from mlsd.content import KINDS, Kind

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_for(kind: Kind) -> dict[str, object]:
    generated = kind.model.model_json_schema(mode="validation")
    return {"$schema": DIALECT, "$id": kind.schema_file, **generated}


def schema_texts() -> dict[str, str]:
    """File name -> the exact text committed under schemas/."""
    return {
        kind.schema_file: json.dumps(schema_for(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        for kind in KINDS
    }
