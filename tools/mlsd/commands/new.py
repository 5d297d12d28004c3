"""`mlsd new case|resource`: a new case skeleton, or a checked entry added to resources.yaml.

On a terminal, missing values are asked for; otherwise they must be given as flags,
so scripts and CI never hang on a prompt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlsd.commands.arguments import field_choices, field_type
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
from mlsd.models import Access, Case, Difficulty, Part, Resource, ResourceType
from mlsd.scaffold import BOOK, case_skeleton, dump, resource_entry
from mlsd.urls import check_url, normalise_url


def _ask(
    name: str,
    given: Any,
    prompt: str,
    choices: list[str] | None = None,
    default: str | None = None,
    check: Callable[[str], Any] = str,
) -> Any:
    """The value given as an option, or else asked for on a terminal and checked as the option is."""
    if given not in (None, ""):
        return given
    if not sys.stdin.isatty():
        raise UsageError(f"missing --{name.replace('_', '-')} (or run in a terminal to be asked)")
    hint = f" [{'/'.join(choices)}]" if choices else ""
    hint += f" (default {default})" if default else ""
    while True:
        answer = input(f"{prompt}{hint}: ").strip() or (default or "")
        if answer and (not choices or answer in choices):
            try:
                return check(answer)
            except argparse.ArgumentTypeError as error:
                print(f"  {error}", file=sys.stderr)
                continue
        print(f"  please answer {' or '.join(choices) if choices else 'with a value'}", file=sys.stderr)


CASE_ID = field_type(Case, "id")
CASE_TITLE = field_type(Case, "title")
CASE_FRAMEWORK = field_type(Case, "framework")
CASE_CHAPTER = field_type(Case, "chapter")
RESOURCE_ID = field_type(Resource, "id")
RESOURCE_TITLE = field_type(Resource, "title")
RESOURCE_URL = field_type(Resource, "url")
RESOURCE_YEAR = field_type(Resource, "year")
RESOURCE_DESCRIPTION = field_type(Resource, "description")


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def run_case(
    root: Path,
    id: str,
    title: str | None,
    part: Part | None,
    framework: str | None,
    difficulty: Difficulty | None,
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
    title = _ask("title", title, "Title", check=CASE_TITLE)
    part = _ask("part", part, "Part", field_choices(Case, "part"), "patched")
    framework_id = _ask("framework", framework, "Framework", sorted(frameworks))
    difficulty = _ask("difficulty", difficulty, "Difficulty", field_choices(Case, "difficulty"), "medium")
    if tags is None and sys.stdin.isatty():
        print(f"tags: {', '.join(vocabulary)}", file=sys.stderr)
    chosen_tags = _split(_ask("tags", tags, "Tags (comma-separated)"))
    unknown = [tag for tag in chosen_tags if tag not in vocabulary]
    if unknown:
        raise UsageError(f"unknown tags: {', '.join(unknown)} (the vocabulary is in {RESOURCES_FILE})")
    if framework_id not in frameworks:
        raise UsageError(f"no framework has the id '{framework_id}'")
    chapter = chapter or (max(taken, default=1) + 1)
    resource_ids = [resource.id for _, resource in content.valid_resources]
    reference = BOOK if BOOK in resource_ids or not resource_ids else resource_ids[0]
    skeleton = case_skeleton(
        identifier, chapter, title, part, difficulty, chosen_tags, frameworks[framework_id], reference, date.today()
    )
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
    type: ResourceType | None,
    tags: str | None,
    year: int | None,
    access: Access | None,
    cases: str | None,
    description: str | None,
) -> int:
    content = load_content(root)
    if content.resources is None or content.resources.model is None:
        raise UsageError(f"{RESOURCES_FILE} must be valid before a resource is added: run 'mlsd validate'")
    existing = content.resources.model
    values: dict[str, Any] = {
        "id": _ask("id", id, "Id (kebab-case, papers end in -paper)", check=RESOURCE_ID),
        "title": _ask("title", title, "Title", check=RESOURCE_TITLE),
        "url": _ask("url", url, "URL (https, looked up, no tracking parameters)", check=RESOURCE_URL),
        "type": _ask("type", type, "Type", field_choices(Resource, "type")),
        "tags": _split(_ask("tags", tags, "Tags (comma-separated)")),
        "year": _ask("year", year, "Year", check=RESOURCE_YEAR),
        "access": _ask("access", access, "Access", field_choices(Resource, "access"), "free"),
        "cases": _split(cases or ""),
        "description": _ask(
            "description", description, "One-line description in your own words", check=RESOURCE_DESCRIPTION
        ),
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
    # The id is also the file name: its pattern keeps the file inside cases/.
    case.add_argument("id", type=CASE_ID, help="kebab-case id, also the file name")
    _root_option(case)
    case.add_argument("--title", type=CASE_TITLE)
    case.add_argument("--part", choices=field_choices(Case, "part"))
    case.add_argument("--framework", type=CASE_FRAMEWORK)
    case.add_argument("--difficulty", choices=field_choices(Case, "difficulty"))
    case.add_argument("--tags", help="comma-separated tags from the vocabulary")
    case.add_argument("--chapter", type=CASE_CHAPTER, help="default: the next free chapter number")
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
    resource.add_argument("--id", type=RESOURCE_ID)
    resource.add_argument("--title", type=RESOURCE_TITLE)
    resource.add_argument("--url", type=RESOURCE_URL)
    resource.add_argument("--type", choices=field_choices(Resource, "type"))
    resource.add_argument("--tags", help="comma-separated tags from the vocabulary")
    resource.add_argument("--year", type=RESOURCE_YEAR)
    resource.add_argument("--access", choices=field_choices(Resource, "access"))
    resource.add_argument("--cases", help="comma-separated ids of the cases it supports")
    resource.add_argument("--description", type=RESOURCE_DESCRIPTION)
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
