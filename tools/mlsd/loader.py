"""YAML bytes -> (data, node tree), and a node tree -> line:col for any field path.

The data is built from composed nodes rather than with yaml.safe_load, so that what
YAML quietly accepts can be refused at its line: duplicate keys, anchors and aliases
(an alias bomb fails at the first anchor, before anything is expanded), merge keys, tags
(`!!python/object`, `!include`, `!!binary`: a value is what it looks like, or an error),
nesting deeper than any content needs (which would otherwise exhaust Python's stack), and
characters that change how text displays without showing themselves (text.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from mlsd.codes import Code
from mlsd.problems import Problem, field_path
from mlsd.text import describe, find_invisible

try:  # libyaml is several times faster; the pure loader keeps mlsd working without it
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32  # the deepest content nests about 8 levels; Python's stack would give out near 1,000
CORE_PREFIX = "tag:yaml.org,2002:"
MERGE_TAG = CORE_PREFIX + "merge"
STR_TAG = CORE_PREFIX + "str"
IMPLICIT_TAGS: dict[type[Node], str] = {MappingNode: CORE_PREFIX + "map", SequenceNode: CORE_PREFIX + "seq"}
_RESOLVER = Resolver()
_TOKEN_START = frozenset(" \t\n,[{")


@dataclass(frozen=True)
class Document:
    path: str
    text: str
    data: object
    root: Node

    def locate(self, loc: Sequence[str | int], key: bool = False) -> tuple[int, int]:
        """1-based line and column of the deepest node on the path (its key if key=True)."""
        node, key_node = self.root, None
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            key_node, node = child
        target = key_node if key and key_node is not None else node
        return target.start_mark.line + 1, target.start_mark.column + 1


def _child(node: Node, part: str | int) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                return key_node, value_node
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


class _Refused(Exception):
    def __init__(
        self, node: Node, code: Code, field: str, message: str, hint: str, position: tuple[int, int] | None = None
    ) -> None:
        super().__init__(message)
        self.node, self.code, self.field, self.message, self.hint = node, code, field, message, hint
        self.position = position


def load(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read one content file; on any problem return no document and the located problem."""
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        return None, [
            Problem(
                display,
                1,
                1,
                "size",
                "",
                f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
                "split the content or remove what does not belong in it",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, col = _position(raw, error.start)
        return None, [
            Problem(
                display,
                line,
                col,
                "encoding",
                "",
                f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                "save the file as UTF-8",
            )
        ]
    text = text.removeprefix("\ufeff")
    problem = _find_invisible(text, display) or _find_anchor(text, display)
    if problem is not None:
        return None, [problem]
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, text, display)]
    except yaml.YAMLError as error:  # a ReaderError: a character YAML does not allow
        position = getattr(error, "position", 0)
        line, col = _position(text, position)
        return None, [Problem(display, line, col, "yaml", "", str(getattr(error, "reason", error)))]
    if root is None:
        return None, [
            Problem(
                display,
                1,
                1,
                "empty",
                "",
                "the file holds no content",
                "start from a copy of an existing file of the same kind",
            )
        ]
    try:
        data = _construct(root, SafeConstructor(), ())
    except _Refused as refused:
        line, col = refused.position or (refused.node.start_mark.line + 1, refused.node.start_mark.column + 1)
        return None, [Problem(display, line, col, refused.code, refused.field, refused.message, refused.hint)]
    return Document(display, text, data, root), []


def _position(content: bytes | str, offset: int) -> tuple[int, int]:
    newline = b"\n" if isinstance(content, bytes) else "\n"
    before = content[:offset]
    line = before.count(newline) + 1  # type: ignore[arg-type]
    col = offset - (before.rfind(newline) + 1) + 1  # type: ignore[arg-type]
    return line, col


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = error.problem or "invalid YAML"
    if error.context:
        message = f"{message} ({error.context}"
        if error.context_mark and error.context_mark is not mark:
            message += f" at line {error.context_mark.line + 1}"
        message += ")"
    hint = None
    moved = _moved_key(error, text, line)
    if moved is not None:
        return Problem(display, line, moved[0], "yaml", "", moved[1], moved[2])
    if error.context and "expected a single document" in error.context:
        message = "the file holds more than one YAML document"
        hint = "remove the '---' line and what follows it"
    elif "mapping values are not allowed" in message:
        hint = 'a value that contains ": " must be quoted, or written as a ">-" block'
    elif _char_at(text, line, col) == "\t":
        message, hint = "a tab character where YAML expects spaces", "indent with spaces, not tabs"
    return Problem(display, line, col, "yaml", "", message, hint)


_KEY_LINE = re.compile(r"^(?P<indent> *)(?:- +)?(?P<key>[A-Za-z_][\w-]*):(?:\s|$)")


def _moved_key(error: yaml.MarkedYAMLError, text: str, line: int) -> tuple[int, str, str] | None:
    """A key indented unlike its neighbours: the column of the key, and what happened, in words.

    YAML reports it at the ':' (read as part of the value above) or as a missing key; the
    contributor moved the key, so the report points at the key."""
    lines = text.split("\n")
    found = _KEY_LINE.match(lines[line - 1]) if 0 < line <= len(lines) else None
    if found is None:
        return None
    key, column = found["key"], found.start("key") + 1
    above = next((lines[index] for index in range(line - 2, -1, -1) if lines[index].strip()), "")
    above_indent = len(above) - len(above.lstrip(" "))
    fix = f"indent '{key}' like the keys beside it (two spaces a level)"
    problem = error.problem or ""
    at_its_colon = error.problem_mark is not None and error.problem_mark.column == found.end("key")
    if "mapping values are not allowed" in problem and at_its_colon and len(found["indent"]) > above_indent:
        return column, f"'{key}' is indented deeper than the line above, so YAML reads it as part of that value", fix
    if any(words in problem for words in ("expected key", "expected <block end>", "expected '-' indicator")):
        return column, f"'{key}' is indented unlike the keys of the mapping it is in", fix
    return None


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    return lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""


def _find_anchor(text: str, display: str) -> Problem | None:
    # Events are only parsed when something could be an anchor or alias: '&' or '*' at the
    # start of a token. Prose such as "R&D" or "5*3" costs nothing.
    if not _may_hold_anchor(text):
        return None
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            is_alias = isinstance(event, yaml.AliasEvent)
            if (is_alias or getattr(event, "anchor", None) is not None) and event.start_mark:
                mark = event.start_mark
                what = "alias" if is_alias else "anchor"
                return Problem(
                    display,
                    mark.line + 1,
                    mark.column + 1,
                    "alias",
                    "",
                    f"YAML {what}s are not allowed in content",
                    "write the value out in full; an '&' or '*' at the start of a value must be quoted",
                )
    except yaml.YAMLError:
        return None  # compose reports the syntax error with its own position
    return None


def _may_hold_anchor(text: str) -> bool:
    for marker in "&*":
        index = text.find(marker)
        while index != -1:
            if index == 0 or text[index - 1] in _TOKEN_START:
                return True
            index = text.find(marker, index + 1)
    return False


INVISIBLE_HINT = (
    "delete it: it changes how the text displays (or hides text) without showing itself; retype the words around it"
)


def _find_invisible(text: str, display: str) -> Problem | None:
    # Written literally, in a value, a key or a comment (Trojan Source hides code in comments).
    found = find_invisible(text)
    if found is None:
        return None
    line, col = _position(text, found)
    return Problem(display, line, col, "invisible", "", f"invisible character {describe(text[found])}", INVISIBLE_HINT)


def _explicit_tag(node: Node) -> bool:
    """Whether a tag in the text gave the node another type than its plain reading would."""
    if isinstance(node, ScalarNode):
        if node.tag == STR_TAG:
            return False  # '!!str 12' is the text it looks like
        plain = not node.style  # libyaml's composer says '' for a plain scalar, PyYAML's None
        implicit = _RESOLVER.resolve(ScalarNode, node.value, (True, False)) if plain else STR_TAG  # type: ignore[no-untyped-call]
        return node.tag != implicit
    return node.tag != IMPLICIT_TAGS.get(type(node))


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(CORE_PREFIX) if tag.startswith(CORE_PREFIX) else tag


def _check_node(node: Node, loc: tuple[str | int, ...]) -> None:
    if len(loc) > MAX_DEPTH:
        raise _Refused(
            node,
            "depth",
            field_path(loc[:3]) + "...",
            f"values nest more than {MAX_DEPTH} levels deep",
            "content nests a few levels; flatten the lists and mappings",
        )
    if node.tag != MERGE_TAG and _explicit_tag(node):
        raise _Refused(
            node,
            "yaml-tag",
            field_path(loc),
            f"YAML tags are not allowed in content ('{_shown_tag(node.tag)}')",
            "remove the tag; text that starts with '!' must be quoted",
        )


def _construct(node: Node, constructor: SafeConstructor, loc: tuple[str | int, ...]) -> object:
    _check_node(node, loc)
    if isinstance(node, ScalarNode) and node.style == '"':
        # An escape such as "\u202e" never shows in the text, so the value itself is searched.
        found = find_invisible(node.value)
        if found is not None:
            raise _Refused(
                node, "invisible", field_path(loc), f"invisible character {describe(node.value[found])}", INVISIBLE_HINT
            )
    if isinstance(node, MappingNode):
        result: dict[object, object] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                raise _Refused(
                    key_node,
                    "alias",
                    field_path(loc),
                    "YAML merge keys ('<<') are not allowed",
                    "write the keys out in full",
                )
            key = _construct(key_node, constructor, loc)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise _Refused(
                    key_node, "yaml", field_path(loc), "a key must be a plain scalar", "keys are names such as 'title'"
                )
            if key in result:
                raise _Refused(
                    key_node,
                    "duplicate-key",
                    field_path((*loc, str(key))),
                    f"key '{key}' appears twice in the same mapping",
                    "YAML keeps only the last one; remove or merge the duplicate",
                )
            result[key] = _construct(value_node, constructor, (*loc, str(key)))
        return result
    if isinstance(node, SequenceNode):
        return [_construct(item, constructor, (*loc, index)) for index, item in enumerate(node.value)]
    if node.tag == STR_TAG:  # most scalars: skip the generic constructor's bookkeeping
        return node.value
    try:
        return constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.constructor.ConstructorError) as error:
        # A value that looks like a date or a timestamp but is none: 2026-02-30.
        raise _Refused(
            node,
            "yaml",
            field_path(loc),
            f"'{node.value}' reads as a {_shown_tag(node.tag).removeprefix('!!')} but is not one ({error})",
            "correct the value, or put it in quotes if it is text",
        ) from None
