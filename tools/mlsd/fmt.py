"""Mechanical fixes a contributor should never have to make by hand.

Canonical key order (the order of the model's fields), sorted lists where order carries
no meaning (tags, the cases a resource supports, the vocabulary, the resource list),
canonical URLs (tracking parameters stripped) and the schema comment on the first line.
ruamel.yaml's round-trip mode keeps comments, quoting and block scalars as written.
"""

from __future__ import annotations

import io
import typing
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from mlsd.content import CASE, RESOURCES, Kind, unwrap_annotation
from mlsd.models import yaml_keys
from mlsd.urls import canonical_url, tracking_parameters

__all__ = ["YAMLError", "add_references", "append_resource", "format_text", "take_resource_cases"]

UNORDERED_LISTS = {"tags"}


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap prose: a fixer must not rewrite what it does not fix
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def format_text(kind: Kind, text: str, schema_line: str, step_order: list[str] | None = None) -> str:
    """The canonical form of a content file's text; raises ruamel's YAMLError on broken YAML."""
    yaml = _yaml()
    body = text.split("\n", 1)[1] if text.startswith("# yaml-language-server:") else text
    data = yaml.load(body)
    if isinstance(data, CommentedMap):
        _canonical(data, kind.model)
        if kind is CASE and step_order and isinstance(data.get("steps"), CommentedMap):
            _order_keys(data["steps"], step_order)
        if kind is RESOURCES:
            _canonical_resources(data)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return schema_line + "\n" + stream.getvalue()


def append_resource(text: str, entry: dict[str, Any], schema_line: str) -> str:
    """resources.yaml with one more entry, in canonical order; comments elsewhere are kept."""
    yaml = _yaml()
    body = text.split("\n", 1)[1] if text.startswith("# yaml-language-server:") else text
    data = yaml.load(body)
    item = CommentedMap(entry)
    for key in ("tags", "authors"):
        if key in item:
            item[key] = CommentedSeq(item[key])
            item[key].fa.set_flow_style()
    data["resources"].append(item)
    _canonical(data, RESOURCES.model)
    _canonical_resources(data)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return schema_line + "\n" + stream.getvalue()


def _canonical(node: Any, annotation: Any) -> None:
    annotation = unwrap_annotation(annotation)
    if isinstance(node, CommentedMap) and isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = yaml_keys(annotation)
        _order_keys(node, list(fields))
        for key, value in node.items():
            if key in fields:
                _canonical(value, fields[key].annotation)
            if key in UNORDERED_LISTS and isinstance(value, CommentedSeq):
                _sort_sequence(value, key=lambda item: str(item))
    elif isinstance(node, CommentedSeq) and typing.get_origin(annotation) is list:
        for item in node:
            _canonical(item, typing.get_args(annotation)[0])
    elif isinstance(node, CommentedMap) and typing.get_origin(annotation) is dict:
        for value in node.values():
            _canonical(value, typing.get_args(annotation)[1])


def _order_keys(mapping: CommentedMap, order: list[str]) -> None:
    rank = {name: index for index, name in enumerate(order)}
    if any(str(key) not in rank for key in mapping):
        return  # a misspelt key stays where the contributor put it, so its error line still matches
    keys = sorted(mapping, key=lambda key: rank[str(key)])
    if keys != list(mapping):
        for key in keys:
            mapping.move_to_end(key)


def _sort_sequence(sequence: CommentedSeq, key: Any) -> None:
    ordered = sorted(sequence, key=key)
    if ordered != list(sequence):
        sequence[:] = ordered


def _canonical_resources(data: CommentedMap) -> None:
    tags = data.get("tags")
    if isinstance(tags, CommentedMap):
        _order_keys(tags, sorted(str(key) for key in tags))
    resources = data.get("resources")
    if isinstance(resources, CommentedSeq):
        _sort_sequence(resources, key=lambda item: str(item.get("id", "")) if isinstance(item, dict) else "")
        for resource in resources:
            url = resource.get("url") if isinstance(resource, CommentedMap) else None
            if isinstance(url, str) and tracking_parameters(url):
                resource["url"] = canonical_url(url)


def take_resource_cases(text: str) -> tuple[str, dict[str, list[str]]]:
    """resources.yaml without the hand-kept `cases` lists, and what each said (resource id -> case ids).

    Only a well-formed list is taken; anything else stays for validate to report."""
    yaml = _yaml()
    schema_line, body = _split_schema_line(text)
    data = yaml.load(body)
    taken: dict[str, list[str]] = {}
    resources = data.get("resources") if isinstance(data, CommentedMap) else None
    for resource in resources if isinstance(resources, CommentedSeq) else []:
        if not isinstance(resource, CommentedMap) or "cases" not in resource:
            continue
        cases, identifier = resource["cases"], resource.get("id")
        if isinstance(identifier, str) and isinstance(cases, list) and all(isinstance(case, str) for case in cases):
            taken[identifier] = [str(case) for case in cases]
            del resource["cases"]
    if not taken:
        return text, taken
    stream = io.StringIO()
    yaml.dump(data, stream)
    return schema_line + stream.getvalue(), taken


def add_references(text: str, resource_ids: list[str]) -> str:
    """A case's text with each of these resource ids in its `references`, appended if missing."""
    yaml = _yaml()
    schema_line, body = _split_schema_line(text)
    data = yaml.load(body)
    if not isinstance(data, CommentedMap):
        raise ValueError("the case is not a mapping")
    references = data.get("references")
    if references is None:
        references = data["references"] = CommentedSeq()
    if not isinstance(references, CommentedSeq):
        raise ValueError("the case's references are not a list")
    missing = [identifier for identifier in resource_ids if identifier not in references]
    if not missing:
        return text
    references.extend(missing)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return schema_line + stream.getvalue()


def _split_schema_line(text: str) -> tuple[str, str]:
    if text.startswith("# yaml-language-server:"):
        first, _, body = text.partition("\n")
        return first + "\n", body
    return "", text
