"""The commands of `mlsd`, one module each, and the registry the CLI and the tests read.

A command module has two functions: add_arguments(parser), which declares its options,
and run(root, ...), which takes those options as typed keyword arguments and returns the
exit code. The CLI imports only the module of the command being run, so a command's
heavy dependencies (Jinja2, ruamel.yaml, the link checker) load only when it runs.
A new command is a module here and a line in COMMANDS.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, cast


class CommandModule(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    run: Callable[..., int]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    example: str

    def load(self) -> CommandModule:
        return cast(CommandModule, importlib.import_module(f"mlsd.commands.{self.name}"))


COMMANDS = (
    Command(
        "validate",
        "Check the content files and report every problem with its line.",
        "mlsd validate cases/ad-click-prediction.yaml --format github",
    ),
    Command("schema", "Write the JSON Schemas generated from the models to schemas/.", "mlsd schema --check"),
    Command("export", "Print the whole validated content as one JSON document.", "mlsd export > content.json"),
    Command("stats", "Print words, follow-ups, references and patches per chapter.", "mlsd stats"),
    Command(
        "render",
        "Regenerate the README's generated part, the case and framework pages and "
        "docs/checklist.html; writes nothing when the content is invalid.",
        "mlsd render --check",
    ),
    Command(
        "checklist",
        "Write a printable checklist (HTML with print CSS, and optionally a PDF).",
        "mlsd checklist --chapters 2,5-7 --paper letter --pdf checklist.pdf",
    ),
    Command(
        "anki",
        "Write an Anki deck (.apkg) or a TSV of flashcards: follow-ups, trade-offs, clarifying questions, "
        "sizing, framework steps and talk tracks, with ids that keep review history across updates.",
        "mlsd anki --chapters 2,5-7 --output mlsd.apkg",
    ),
    Command(
        "drill",
        "Run a timed mock interview for one chapter in the terminal, then save a scorecard.",
        "mlsd drill 5",
    ),
    Command(
        "fmt",
        "Apply every mechanical fix: key order, sorted tags and lists, canonical URLs, "
        "the schema line; keeps comments.",
        "mlsd fmt --check",
    ),
    Command(
        "number",
        "Give each case without a chapter the next free number, in the order the cases merged; "
        "run on main by the regeneration workflow.",
        "mlsd number --check",
    ),
    Command(
        "generated",
        "Name the YAML each generated file is made from; with --changed-since, fail on a generated "
        "file that a branch edited by hand.",
        "mlsd generated --changed-since origin/main --format github",
    ),
    Command("new", "Create a new case skeleton or add a resource.", "mlsd new case fraud-rings --tags graph"),
    Command(
        "links",
        "Check every URL in the content with LinkChecker, and the internal links and anchors of the "
        "generated Markdown. Exit 1 only when a link is dead.",
        "mlsd links --max-age 7d --report links-report.md",
    ),
)
