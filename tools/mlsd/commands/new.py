"""`mlsd new case|resource`: a new case skeleton, or a checked entry added to resources.yaml.

Each value is checked where it is given (commands/ask.py): against the model's pattern or
choices, and against the collection (the tag vocabulary, the URL policy, the ids and
pages already listed, the chapters taken). Before anything is written, the files as they
would be are validated beside the rest of the content, so no `new` command ever writes
a file that `mlsd validate` rejects.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from mlsd.checks import validated
from mlsd.checks.index import did_you_mean
from mlsd.commands.arguments import field_choices, field_type
from mlsd.commands.ask import Question, Refused, answers
from mlsd.content import (
    CASE,
    CASES_DIR,
    RESOURCES,
    RESOURCES_FILE,
    Content,
    content_paths,
    load_content,
    raw_tags,
    schema_comment,
)
from mlsd.errors import EXIT_OK, InvalidContent, UsageError
from mlsd.files import write_atomic
from mlsd.fmt import add_references, append_resource, format_text
from mlsd.identity import page_key
from mlsd.models import Case, Resource
from mlsd.scaffold import BOOK, case_skeleton, dump, resource_entry
from mlsd.urls import check_url


def _model_check(model: type[Case] | type[Resource], name: str) -> Callable[[str], Any]:
    """The model's own check of one field (type, pattern, range), raising Refused."""
    parse = field_type(model, name)

    def check(text: str) -> Any:
        try:
            return parse(text)
        except argparse.ArgumentTypeError as error:
            raise Refused(str(error)) from None

    return check


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _names_check(known: Iterable[str], what: str, where: str) -> Callable[[str], list[str]]:
    """A comma-separated list of known names, each once; an unknown one with 'did you mean'."""
    vocabulary = sorted(known)

    def check(text: str) -> list[str]:
        names = _split(text)
        for name in names:
            if name not in vocabulary:
                guess = did_you_mean(name, vocabulary)
                raise Refused(f"no {what} '{name}'" + (f"; {guess}" if guess else f" ({where})"))
        if len(set(names)) != len(names):
            raise Refused(f"a {what} is listed twice")
        return names

    return check


def _tags_question(content: Content) -> Question:
    tags = raw_tags(content)  # read from the raw file, so a mistake elsewhere in it does not hide them
    return Question(
        "tags",
        "Tags (comma-separated)",
        _names_check(tags, "tag", f"the vocabulary is at the top of {RESOURCES_FILE}"),
        listing=f"tags: {', '.join(sorted(tags))}",
    )


def _checked_before_writing(root: Path, changes: dict[Path, str]) -> None:
    """Refuse unless the repository, with these files changed, has no error in them."""
    with tempfile.TemporaryDirectory(prefix="mlsd-new-") as folder:
        trial = Path(folder)
        for path in content_paths(root):
            target = trial / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        for path, text in changes.items():
            (trial / path.relative_to(root)).write_text(text, encoding="utf-8")
        content, problems = validated(trial)
        touched = {path.relative_to(root).as_posix() for path in changes}
        errors = [problem for problem in problems if problem.severity == "error" and problem.path in touched]
    if errors:
        raise InvalidContent(errors, len(content.files))


def _write(root: Path, changes: dict[Path, str]) -> None:
    _checked_before_writing(root, changes)
    for path, text in changes.items():
        write_atomic(path, text)


def run_case(
    root: Path,
    id: str,
    title: str | None,
    part: str | None,
    framework: str | None,
    difficulty: str | None,
    tags: str | None,
    chapter: str | None,
) -> int:
    content = load_content(root)
    frameworks = {item.model.id: item.model for item in content.frameworks if item.model}
    if not frameworks:
        raise UsageError("no valid framework found in frameworks/")
    taken = {item.model.chapter: item.display for item in content.cases if item.model and item.model.chapter}
    case_ids = {item.path.stem for item in content.cases}

    def check_id(text: str) -> str:
        identifier: str = _model_check(Case, "id")(text)
        if identifier in case_ids:
            raise Refused(f"{CASES_DIR}/{identifier}.yaml already exists")
        return identifier

    def check_framework(text: str) -> str:
        if text not in frameworks:
            raise Refused(
                f"no framework '{text}'; " + (did_you_mean(text, frameworks) or f"one of {sorted(frameworks)}")
            )
        return text

    def check_chapter(text: str) -> int:
        number: int = _model_check(Case, "chapter")(text)
        if number in taken:
            raise Refused(
                f"chapter {number} is taken by {taken[number]}; leave it out and the case is numbered when it merges"
            )
        return number

    questions = [
        Question("id", "Id (kebab-case, also the file name)", check_id),
        Question("title", "Title", _model_check(Case, "title")),
        Question("part", "Part", str, field_choices(Case, "part"), "patched"),
        Question("framework", "Framework", check_framework, sorted(frameworks)),
        Question("difficulty", "Difficulty", str, field_choices(Case, "difficulty"), "medium"),
        _tags_question(content),
        Question("chapter", "Chapter", check_chapter, optional=True, asked=False),
    ]
    given = {"id": id, "title": title, "part": part, "framework": framework, "difficulty": difficulty}
    given |= {"tags": tags, "chapter": chapter}
    values = answers(questions, given)
    resource_ids = [resource.id for _, resource in content.valid_resources]
    reference = BOOK if BOOK in resource_ids or not resource_ids else resource_ids[0]
    skeleton = case_skeleton(
        values["id"],
        values.get("chapter"),
        values["title"],
        values["part"],
        values["difficulty"],
        values["tags"],
        frameworks[values["framework"]],
        reference,
        date.today(),
    )
    relative = f"{CASES_DIR}/{values['id']}.yaml"
    line = schema_comment(CASE, relative)
    _write(root, {root / relative: format_text(CASE, dump(skeleton, line), line)})
    numbered = f"chapter {values['chapter']}" if values.get("chapter") else "numbered when it merges"
    print(f"wrote {relative} ({numbered}); replace every TODO, then run 'mlsd validate {relative}'", file=sys.stderr)
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
    existing = content.resources.model.resources
    pages = {page_key(item.url): item.id for item in existing}
    case_files = {item.path.stem: item for item in content.cases if item.model is not None}

    def check_id(text: str) -> str:
        identifier: str = _model_check(Resource, "id")(text)
        if identifier in {item.id for item in existing}:
            raise Refused(f"a resource with the id '{identifier}' already exists")
        return identifier

    def check_link(text: str) -> str:
        link: str = _model_check(Resource, "url")(text)
        for problem in check_url(link):
            raise Refused(problem.message + (f" ({problem.hint})" if problem.hint else ""))
        if page_key(link) in pages:
            raise Refused(f"'{pages[page_key(link)]}' already links this page; cite that id instead")
        return link

    questions = [
        Question("id", "Id (kebab-case, papers end in -paper)", check_id),
        Question("title", "Title", _model_check(Resource, "title")),
        Question("url", "URL (https, looked up, no tracking parameters)", check_link),
        Question("type", "Type", str, field_choices(Resource, "type")),
        _tags_question(content),
        Question("year", "Year", _model_check(Resource, "year")),
        Question("access", "Access", str, field_choices(Resource, "access"), "free"),
        Question(
            "cases",
            "Cases it supports (comma-separated ids)",
            _names_check(case_files, "case", f"the cases are in {CASES_DIR}/"),
            optional=True,
            listing=f"cases: {', '.join(sorted(case_files))}",
        ),
        Question("description", "One-line description in your own words", _model_check(Resource, "description")),
    ]
    given = {"id": id, "title": title, "url": url, "type": type, "tags": tags, "year": year}
    given |= {"access": access, "cases": cases, "description": description}
    values = answers(questions, given)
    supported: list[str] = values.pop("cases", None) or []
    resource = Resource.model_validate(resource_entry(values))
    path = root / RESOURCES_FILE
    entry = resource_entry(resource.model_dump(mode="json", exclude_defaults=True))
    changes = {
        path: append_resource(path.read_text(encoding="utf-8"), entry, schema_comment(RESOURCES, RESOURCES_FILE))
    }
    # The case cites the resource; which cases a resource supports is read from there (relation.py).
    for case_id in supported:
        loaded = case_files[case_id]
        assert loaded.document is not None
        changes[loaded.path] = add_references(loaded.document.text, [resource.id])
    _write(root, changes)
    cited = f", cited by {', '.join(supported)}" if supported else ""
    print(f"added '{resource.id}' to {RESOURCES_FILE}{cited}", file=sys.stderr)
    return EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # Values are plain strings here and checked in run, so every bad flag is reported at once.
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
    _choice_option(case, "--part", field_choices(Case, "part"))
    case.add_argument("--framework")
    _choice_option(case, "--difficulty", field_choices(Case, "difficulty"))
    case.add_argument("--tags", help="comma-separated tags from the vocabulary")
    case.add_argument(
        "--chapter", help="only when a maintainer asks: a new case is numbered when it merges (mlsd number)"
    )
    case.set_defaults(run=run_case)
    resource = kinds.add_parser(
        "resource",
        help="add an entry to resources.yaml",
        description="Add an entry to resources.yaml, checked before it is written.",
        epilog="example:\n  mlsd new resource --id dcn-v2-paper --title 'DCN V2' "
        "--url https://arxiv.org/abs/2008.13535 --type paper --tags ads,ranking "
        "--year 2020 --access free --cases ad-click-prediction --description 'Feature crosses at scale.'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _root_option(resource)
    resource.add_argument("--id")
    resource.add_argument("--title")
    resource.add_argument("--url")
    _choice_option(resource, "--type", field_choices(Resource, "type"))
    resource.add_argument("--tags", help="comma-separated tags from the vocabulary")
    resource.add_argument("--year")
    _choice_option(resource, "--access", field_choices(Resource, "access"))
    resource.add_argument("--cases", help="comma-separated ids of the cases it supports; each case then cites it")
    resource.add_argument("--description")
    resource.set_defaults(run=run_resource)


def _choice_option(parser: argparse.ArgumentParser, flag: str, choices: list[str]) -> None:
    parser.add_argument(flag, metavar="{" + ",".join(choices) + "}")


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
