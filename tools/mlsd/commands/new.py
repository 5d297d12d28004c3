"""`mlsd new case|resource`: a new case skeleton, or a checked entry added to resources.yaml.

On a terminal, missing values are asked for; otherwise they must be given as flags,
so scripts and CI never hang on a prompt.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlsd.content import (
    CASE,
    CASES_DIR,
    RESOURCES,
    RESOURCES_FILE,
    load_content,
    schema_comment,
)
from mlsd.errors import EXIT_OK, UsageError
from mlsd.files import write_atomic
from mlsd.fmt import append_resource, format_text
from mlsd.models import Resource
from mlsd.scaffold import BOOK, case_skeleton, dump, resource_entry
from mlsd.urls import check_url, normalise_url


def _ask(name: str, given: Any, prompt: str, choices: list[str] | None = None, default: str | None = None) -> str:
    if given not in (None, ""):
        return str(given)
    if not sys.stdin.isatty():
        raise UsageError(f"missing --{name.replace('_', '-')} (or run in a terminal to be asked)")
    hint = f" [{'/'.join(choices)}]" if choices else ""
    hint += f" (default {default})" if default else ""
    while True:
        answer = input(f"{prompt}{hint}: ").strip() or (default or "")
        if answer and (not choices or answer in choices):
            return answer
        print(f"  please answer {' or '.join(choices) if choices else 'with a value'}", file=sys.stderr)


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def run_case(
    root: Path,
    id: str,
    title: str | None,
    part: str | None,
    framework: str | None,
    difficulty: str | None,
    tags: str | None,
    chapter: int | None,
) -> int:
    content = load_content(root)
    frameworks = {item.model.id: item.model for item in content.frameworks if item.model}
    taken = {item.model.chapter for item in content.cases if item.model}
    identifier = id
    path = root / CASES_DIR / f"{identifier}.yaml"
    if path.exists():
        raise UsageError(f"{path.relative_to(root)} already exists")
    if not frameworks:
        raise UsageError("no valid framework found in frameworks/")
    vocabulary = sorted(content.resources.model.tags) if content.resources and content.resources.model else []
    title = _ask("title", title, "Title")
    part = _ask("part", part, "Part", ["classic", "patched"], "patched")
    framework_id = _ask("framework", framework, "Framework", sorted(frameworks))
    difficulty = _ask("difficulty", difficulty, "Difficulty", ["easy", "medium", "hard"], "medium")
    if tags is None and sys.stdin.isatty():
        print(f"tags: {', '.join(vocabulary)}", file=sys.stderr)
    chosen_tags = _split(_ask("tags", tags, "Tags (comma-separated)"))
    unknown = [tag for tag in chosen_tags if tag not in vocabulary]
    if unknown:
        raise UsageError(f"unknown tags: {', '.join(unknown)} (the vocabulary is in {RESOURCES_FILE})")
    if framework_id not in frameworks:
        raise UsageError(f"no framework has the id '{framework_id}'")
    chapter = chapter or (max(taken, default=1) + 1)
    skeleton = case_skeleton(identifier, chapter, title, part, difficulty, chosen_tags, frameworks[framework_id])
    resource_ids = [resource.id for _, resource in content.valid_resources]
    if BOOK not in resource_ids and resource_ids:
        skeleton["references"] = [resource_ids[0]]
    relative = f"{CASES_DIR}/{identifier}.yaml"
    line = schema_comment(CASE, relative)
    write_atomic(path, format_text(CASE, dump(skeleton, line), line))
    print(
        f"wrote {relative} (chapter {chapter}); replace every TODO, then run 'mlsd validate {relative}'",
        file=sys.stderr,
    )
    return EXIT_OK


def run_resource(
    root: Path,
    id: str | None,
    title: str | None,
    url: str | None,
    type: str | None,
    tags: str | None,
    year: str | None,
    access: str | None,
    cases: str | None,
    description: str | None,
) -> int:
    content = load_content(root)
    if content.resources is None or content.resources.model is None:
        raise UsageError(f"{RESOURCES_FILE} must be valid before a resource is added: run 'mlsd validate'")
    existing = content.resources.model
    values: dict[str, Any] = {
        "id": _ask("id", id, "Id (kebab-case, papers end in -paper)"),
        "title": _ask("title", title, "Title"),
        "url": _ask("url", url, "URL (https, looked up, no tracking parameters)"),
        "type": _ask(
            "type", type, "Type", ["book", "course", "paper", "blog", "repository", "talk", "tool", "newsletter"]
        ),
        "tags": _split(_ask("tags", tags, "Tags (comma-separated)")),
        "year": int(_ask("year", year, "Year")),
        "access": _ask("access", access, "Access", ["free", "paid", "freemium"], "free"),
        "cases": _split(cases or ""),
        "description": _ask("description", description, "One-line description in your own words"),
    }
    try:
        resource = Resource.model_validate(resource_entry(values))
    except ValidationError as error:
        detail = error.errors(include_url=False)[0]
        raise UsageError(f"{'.'.join(map(str, detail['loc']))}: {detail['msg']}") from None
    if resource.id in {item.id for item in existing.resources}:
        raise UsageError(f"a resource with the id '{resource.id}' already exists")
    same = [item.id for item in existing.resources if normalise_url(item.url) == normalise_url(resource.url)]
    if same:
        raise UsageError(f"'{same[0]}' already links this page")
    for problem in check_url(resource.url):
        raise UsageError(f"{problem.message}" + (f" ({problem.hint})" if problem.hint else ""))
    unknown = [tag for tag in resource.tags if tag not in existing.tags]
    if unknown:
        raise UsageError(f"unknown tags: {', '.join(unknown)}")
    path = root / RESOURCES_FILE
    entry = resource_entry(resource.model_dump(mode="json", exclude_defaults=True))
    text = append_resource(path.read_text(encoding="utf-8"), entry, schema_comment(RESOURCES, RESOURCES_FILE))
    write_atomic(path, text)
    print(f"added '{resource.id}' to {RESOURCES_FILE}", file=sys.stderr)
    return EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(metavar="KIND")
    case = kinds.add_parser(
        "case",
        help="write cases/ID.yaml with every step of its framework as TODOs",
        description="Write cases/ID.yaml with every step of its framework as TODOs.",
        epilog="example:\n  mlsd new case fraud-rings --title 'Fraud Rings' --part patched "
        "--framework ml-system-design --difficulty hard --tags graph,fraud-detection",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    case.add_argument("id", help="kebab-case id, also the file name")
    _root_option(case)
    case.add_argument("--title")
    case.add_argument("--part", choices=("classic", "patched"))
    case.add_argument("--framework")
    case.add_argument("--difficulty", choices=("easy", "medium", "hard"))
    case.add_argument("--tags", help="comma-separated tags from the vocabulary")
    case.add_argument("--chapter", type=int, help="default: the next free chapter number")
    case.set_defaults(run=run_case)
    resource = kinds.add_parser(
        "resource",
        help="add an entry to resources.yaml",
        description="Add an entry to resources.yaml, checked before it is written.",
        epilog="example:\n  mlsd new resource --id dcn-v2-paper --title 'DCN V2' "
        "--url https://arxiv.org/abs/2008.13535 --type paper --tags ads,ranking "
        "--year 2020 --access free --description 'Feature crosses at scale.'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _root_option(resource)
    for name in ("id", "title", "url", "type", "tags", "year", "access", "cases", "description"):
        resource.add_argument(f"--{name}")
    resource.set_defaults(run=run_resource)


def _root_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=argparse.SUPPRESS,
        help="the repository root (default: the nearest folder above with resources.yaml)",
    )


def run(root: Path) -> int:
    """`mlsd new` without a kind; each kind sets its own run."""
    raise UsageError("say what to create: 'mlsd new case ID' or 'mlsd new resource'")
