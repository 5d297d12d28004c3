"""Find the content files of a repository, load them and validate each against its model.

The result keeps, for every file, the document (for line numbers) and the validated
model, or, when the model rejected it, whatever ids can still be read from the raw data
so that references to a broken file do not turn into a cascade of false errors.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from mlsd.loader import Document, load
from mlsd.models import ID_PATTERN, Case, Framework, Resource, ResourceList, yaml_keys
from mlsd.problems import Problem, field_path
from mlsd.truncation import truncated_text

CASES_DIR = "cases"
FRAMEWORKS_DIR = "frameworks"
RESOURCES_FILE = "resources.yaml"
SCHEMA_DIR = "schemas"
ID_HINT = "ids are lower-case words joined by hyphens, e.g. 'ad-click-prediction'"

# A resource's `cases` were kept by hand beside the cases' references and drifted apart;
# they are now derived (relation.py), and fmt moves an old list into the cases it names.
RESOURCE_CASES_HINT = (
    "which cases a resource supports is read from the cases' references now;"
    " run 'mlsd fmt', which moves this list into those cases"
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[BaseModel]
    schema_file: str


CASE = Kind("case", Case, "case.schema.json")
FRAMEWORK = Kind("framework", Framework, "framework.schema.json")
RESOURCES = Kind("resources", ResourceList, "resources.schema.json")
KINDS = (CASE, FRAMEWORK, RESOURCES)


@dataclass
class Loaded(Generic[M]):
    kind: Kind
    path: Path
    display: str
    document: Document | None
    model: M | None


@dataclass
class Content:
    root: Path
    frameworks: list[Loaded[Framework]] = field(default_factory=list)
    cases: list[Loaded[Case]] = field(default_factory=list)
    resources: Loaded[ResourceList] | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def files(self) -> list[Loaded[Any]]:
        return [*self.frameworks, *self.cases, *([self.resources] if self.resources else [])]

    @cached_property
    def valid_resources(self) -> list[tuple[int, Resource]]:
        """Resources that passed their model, with their index in the list (for locations)."""
        if self.resources is None or self.resources.document is None:
            return []
        if self.resources.model is not None:
            return list(enumerate(self.resources.model.resources))
        items = _raw(self.resources.document.data, "resources")
        valid = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            try:
                valid.append((index, Resource.model_validate(item)))
            except ValidationError:
                continue
        return valid


def schema_comment(kind: Kind, relative_to_root: str) -> str:
    depth = relative_to_root.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{kind.schema_file}"


def kind_of(relative: str) -> Kind | None:
    if relative == RESOURCES_FILE:
        return RESOURCES
    folder, _, name = relative.partition("/")
    if "/" in name or not name:
        return None
    return {CASES_DIR: CASE, FRAMEWORKS_DIR: FRAMEWORK}.get(folder)


def in_subfolder(relative: str) -> bool:
    """A file below cases/ or frameworks/ but not directly in it: reported, since it would not be read."""
    folder, _, rest = relative.partition("/")
    return folder in (CASES_DIR, FRAMEWORKS_DIR) and "/" in rest


def content_paths(root: Path, links: bool = False) -> list[Path]:
    """Every file of the content folders and resources.yaml, those in subfolders too (reported, never
    skipped); symbolic links only when asked for, since one can point anywhere on the machine."""
    paths = [*sorted((root / FRAMEWORKS_DIR).rglob("*")), *sorted((root / CASES_DIR).rglob("*"))]
    paths = [path for path in paths if path.is_file() and not _hidden(path.relative_to(root))]
    if (root / RESOURCES_FILE).is_file():
        paths.append(root / RESOURCES_FILE)
    return [path for path in paths if links or not path.is_symlink()]


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def load_content(root: Path) -> Content:
    content = Content(root)
    for path in content_paths(root, links=True):
        relative = path.relative_to(root).as_posix()
        kind = kind_of(relative)
        if path.is_symlink():
            content.problems.append(
                Problem(
                    relative,
                    1,
                    1,
                    "file-location",
                    "",
                    "a symbolic link is not read: a content file is a regular file in the repository",
                    "replace the link with the file itself",
                )
            )
            continue
        if kind is None:
            folder, _, name = relative.partition("/")
            content.problems.append(
                Problem(
                    relative,
                    1,
                    1,
                    "file-location",
                    "",
                    f"a file in a subfolder of {folder}/ is not read: it is neither validated nor rendered",
                    f"move it to {folder}/{name.rpartition('/')[2]}, or out of {folder}/ if it is not content yet",
                )
            )
            continue
        loaded = load_file(kind, path, relative, content.problems)
        if kind is CASE:
            content.cases.append(loaded)
        elif kind is FRAMEWORK:
            content.frameworks.append(loaded)
        else:
            content.resources = loaded
    if content.resources is None:
        content.problems.append(
            Problem(
                RESOURCES_FILE,
                1,
                1,
                "missing-file",
                "",
                "resources.yaml is missing",
                "every repository keeps its resource list and tag vocabulary there",
            )
        )
    return content


def load_file(kind: Kind, path: Path, relative: str, problems: list[Problem]) -> Loaded[Any]:
    if path.suffix != ".yaml":
        problems.append(
            Problem(
                relative,
                1,
                1,
                "file-name",
                "",
                f"content files end in .yaml, not '{path.suffix}'",
                f"rename it to {path.stem}.yaml",
            )
        )
        return Loaded(kind, path, relative, None, None)
    document, load_problems = load(path, relative)
    problems.extend(load_problems)
    if document is None:
        return Loaded(kind, path, relative, None, None)
    problems.extend(truncated_text(document.root, document.text, relative))
    expected = schema_comment(kind, relative)
    first_line = document.text.split("\n", 1)[0].rstrip()
    if first_line != expected:
        problems.append(
            Problem(
                relative,
                1,
                1,
                "schema-comment",
                "",
                "the first line must name the schema so that editors can check the file",
                f"make the first line: {expected}",
            )
        )
    if not isinstance(document.data, dict):
        line, col = document.locate(())
        found = type(document.data).__name__
        problems.append(
            Problem(
                relative,
                line,
                col,
                "type",
                "",
                f"the file must hold a mapping of keys to values, not a {found}",
                "start from a copy of an existing file of the same kind",
            )
        )
        return Loaded(kind, path, relative, document, None)
    try:
        model = kind.model.model_validate(document.data)
    except ValidationError as error:
        problems.extend(schema_problems(error, document, kind.model))
        return Loaded(kind, path, relative, document, None)
    return Loaded(kind, path, relative, document, model)


def schema_problems(error: ValidationError, document: Document, model: type[BaseModel]) -> list[Problem]:
    details = error.errors(include_url=False)
    missing = {tuple(detail["loc"]) for detail in details if detail["type"] == "missing"}
    explained: set[tuple[Any, ...]] = set()  # missing keys that a misspelt key already accounts for
    problems = []
    for detail in details:
        loc = tuple(detail["loc"])
        if detail["type"] == "extra_forbidden":
            guess = get_close_matches(str(loc[-1]), allowed_keys(model, loc[:-1]), n=1)
            if guess and (*loc[:-1], guess[0]) in missing:
                explained.add((*loc[:-1], guess[0]))
    # A key indented into the wrong mapping is unknown where it is and missing where it belongs;
    # the mistake is at the key, so it is reported there once (not also at the mapping it left).
    moved: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for detail in details:
        loc = tuple(detail["loc"])
        if detail["type"] == "extra_forbidden":
            homes = [home for home in missing - explained if home[-1] == loc[-1] and home[:-1] != loc[:-1]]
            if len(homes) == 1:
                moved[loc] = homes[0]
                explained.add(homes[0])
    for detail in details:
        if detail["type"] == "missing" and tuple(detail["loc"]) in explained:
            continue
        loc = tuple(detail["loc"])
        kind, message, hint = detail["type"], detail["msg"], None
        if loc and loc[-1] == "[key]":
            loc = loc[:-1]
            line, col = document.locate(loc, key=True)
        elif kind == "extra_forbidden":
            line, col = document.locate(loc, key=True)
            allowed = allowed_keys(model, loc[:-1])
            message = f"unknown key '{loc[-1]}'"
            guess = get_close_matches(str(loc[-1]), allowed, n=1)
            hint = (
                f"did you mean '{guess[0]}'?" if guess else (f"allowed keys: {', '.join(allowed)}" if allowed else None)
            )
            if model is ResourceList and loc[-1] == "cases":
                hint = RESOURCE_CASES_HINT
            if loc in moved:
                home = moved[loc][:-1]
                message = f"'{loc[-1]}' is indented as a key of {field_path(loc[:-1]) or 'the file'}"
                message += f", but belongs to {field_path(home) or 'the top level'}"
                hint = f"indent it like the other keys of '{home[-1]}'" if home else "move it to the start of the line"
        else:
            line, col = document.locate(loc)
        if kind == "missing":
            message = f"missing required key '{loc[-1]}'"
        hint = hint or _type_hint(kind, detail.get("input"))
        if kind in ("value_error", "assertion_error"):
            message = message.removeprefix("Value error, ")
        problems.append(Problem(document.path, line, col, "schema", field_path(loc), message, hint))
    return problems


def _type_hint(kind: str, value: object) -> str | None:
    if kind == "string_type" and isinstance(value, bool):
        return "YAML reads yes/no/on/off/true/false as booleans; put the text in quotes"
    if kind == "string_type" and isinstance(value, dict) and len(value) == 1:
        key, item = next(iter(value.items()))
        return f"YAML read '{key}: {item}' as a key and a value because of the ': '; put the whole item in quotes"
    if kind == "string_type" and value is not None and not isinstance(value, (dict, list)):
        return f"YAML read this as a {type(value).__name__}; put the text in quotes"
    if kind == "int_type" and isinstance(value, str):
        return "write the number without quotes"
    if kind == "list_type" and isinstance(value, str):
        return "write a list: one '- item' per line, or [a, b]"
    if kind == "string_pattern_mismatch" and isinstance(value, str) and value.lower() != value:
        return ID_HINT
    return None


def allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at a location, found by following its annotations."""
    annotation: Any = model
    for part in loc:
        annotation = unwrap_annotation(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found = yaml_keys(annotation).get(str(part))
            if found is None:
                return []
            annotation = found.annotation
        elif typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return []
    annotation = unwrap_annotation(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(yaml_keys(annotation))
    return []


def unwrap_annotation(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = options[0]
        else:
            return annotation


# Reading a file the model rejected: each helper takes what is well formed and ignores the rest.


def _raw(data: object, key: str) -> object:
    return data.get(key) if isinstance(data, dict) else None


def raw_keys(loaded: Loaded[Any]) -> set[str]:
    data = loaded.document.data if loaded.document else None
    return set(data) if isinstance(data, dict) else set()


def raw_id(loaded: Loaded[Any]) -> str | None:
    """The file's id if it is a well-formed one, even when the rest of the file is invalid."""
    if loaded.model is not None:
        return str(loaded.model.id)
    value = _raw(loaded.document.data if loaded.document else None, "id")
    return value if isinstance(value, str) and re.fullmatch(ID_PATTERN, value) else None


def raw_resource_ids(content: Content) -> set[str]:
    if content.resources is None or content.resources.document is None:
        return set()
    items = _raw(content.resources.document.data, "resources")
    return (
        {item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}
        if isinstance(items, list)
        else set()
    )


def raw_tags(content: Content) -> set[str]:
    if content.resources is None or content.resources.document is None:
        return set()
    tags = _raw(content.resources.document.data, "tags")
    return {tag for tag in tags if isinstance(tag, str)} if isinstance(tags, dict) else set()
