"""What every rule reads: the ids of the collection, read once per run, and where a problem is.

Ids are read from broken files too, as far as the raw data allows, so that a reference
to a file with an unrelated mistake does not turn into a cascade of false errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches
from typing import Any

from mlsd.codes import Code
from mlsd.content import Content, Loaded, raw_id, raw_resource_ids, raw_tags
from mlsd.models import Framework
from mlsd.problems import Problem, field_path


@dataclass(frozen=True)
class Index:
    file_ids: dict[str, str | None]  # display path -> the file's id, if well formed
    frameworks: dict[str, Framework]  # the valid ones
    framework_ids: set[str]
    case_ids: set[str]  # a broken id still has a file name
    resource_ids: set[str]
    tags: set[str]
    today: date  # the day ages are judged against

    @classmethod
    def build(cls, content: Content, today: date) -> Index:
        named: list[Loaded[Any]] = [*content.frameworks, *content.cases]
        file_ids = {loaded.display: raw_id(loaded) for loaded in named}
        return cls(
            file_ids=file_ids,
            frameworks={item.model.id: item.model for item in content.frameworks if item.model is not None},
            framework_ids={identifier for item in content.frameworks if (identifier := file_ids[item.display])},
            case_ids={identifier for item in content.cases if (identifier := file_ids[item.display])}
            | {item.path.stem for item in content.cases},
            resource_ids=raw_resource_ids(content),
            tags=raw_tags(content),
            today=today,
        )

    def id_of(self, loaded: Loaded[Any]) -> str | None:
        return self.file_ids[loaded.display]


def problem_at(
    loaded: Loaded[Any], loc: Sequence[str | int], code: Code, message: str, hint: str | None = None, key: bool = False
) -> Problem:
    assert loaded.document is not None
    line, col = loaded.document.locate(loc, key=key)
    return Problem(loaded.display, line, col, code, field_path(loc), message, hint)


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    guess = get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{guess[0]}'?" if guess else None
