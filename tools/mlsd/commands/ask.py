"""Answers for `mlsd new`: each checked where it is given, a flag or a prompt.

Every flag is checked first and all bad flags are reported together, before anything is
asked or written. On a terminal, a missing value is asked for and a refused answer is
asked again, with the reason, so a late mistake never costs the earlier answers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from mlsd.errors import UsageError


class Refused(ValueError):
    """An answer that cannot be used; the message says why and how to fix it."""


@dataclass(frozen=True)
class Question:
    flag: str
    prompt: str
    check: Callable[[str], Any]  # the value, or Refused
    choices: Sequence[str] = ()
    default: str | None = None
    optional: bool = False  # an empty answer (or no flag) is allowed and means none
    listing: str | None = None  # printed before the prompt: the tags or case ids to choose from
    asked: bool = True  # False: a flag only (a chapter is chosen by a maintainer, never by default)

    def parse(self, text: str) -> Any:
        if self.choices and text not in self.choices:
            guess = get_close_matches(text, self.choices, n=1)
            raise Refused(
                f"'{text}' is not one of: {', '.join(self.choices)}"
                + (f"; did you mean '{guess[0]}'?" if guess else "")
            )
        return self.check(text)


def answers(questions: Sequence[Question], given: dict[str, str | None]) -> dict[str, Any]:
    """Every question's value: from its flag, else asked on a terminal."""
    values: dict[str, Any] = {}
    errors: list[str] = []
    interactive = sys.stdin.isatty()
    for question in questions:
        text = given.get(question.flag)
        option = f"--{question.flag.replace('_', '-')}"
        if text is None and (question.optional or interactive):
            continue
        if text is None:
            errors.append(f"missing {option} (or run in a terminal to be asked)")
            continue
        try:
            values[question.flag] = question.parse(text)
        except Refused as refused:
            errors.append(f"{option}: {refused}")
    if errors:
        raise UsageError(
            errors[0] if len(errors) == 1 else f"{len(errors)} problems, nothing written:\n  " + "\n  ".join(errors)
        )
    for question in questions:
        if question.flag not in values and given.get(question.flag) is None and interactive and question.asked:
            values[question.flag] = _ask(question)
    return values


def _ask(question: Question) -> Any:
    if question.listing:
        print(question.listing, file=sys.stderr)
    suffix = f" [{'/'.join(question.choices)}]" if question.choices else ""
    suffix += f" (default {question.default})" if question.default else ""
    suffix += " (Enter for none)" if question.optional else ""
    while True:
        answer = input(f"{question.prompt}{suffix}: ").strip() or (question.default or "")
        if not answer:
            if question.optional:
                return None
            print("  please answer with a value", file=sys.stderr)
            continue
        try:
            return question.parse(answer)
        except Refused as refused:
            print(f"  {refused}; try again", file=sys.stderr)
