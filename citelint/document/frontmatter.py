"""Front matter: the YAML ``---`` or TOML ``+++`` (Hugo) block an article may start with.

Shared by every reader that may meet it, so all agree on where it ends and where each
key and list entry sits in the source (messages about metadata point at the key or
entry itself). Front matter is untrusted input: it is size-limited, every parse failure
becomes a :class:`Problem` at the position the parser reports, and alias expansion is
bounded. Of the keys, citelint reads ``citelint`` (see :mod:`citelint.suppressions`)
and checks ``draft``; it lints drafts like any other article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from citelint.resources import toml_parser

from .model import Problem

if TYPE_CHECKING:
    import yaml


#: Front matter larger than this is not parsed (a news article's metadata is a few KB).
MAX_FRONT_MATTER_CHARS = 64 * 1024
#: Upper bound on nodes after alias expansion, against "billion laughs" documents.
MAX_EXPANDED_NODES = 10_000

#: Where a key or list entry sits: ``("citelint", "disable", 0)``.
KeyPath = tuple[str | int, ...]
Spans = dict[KeyPath, tuple[int, int]]
KeySpans = dict[str, tuple[int, int]]
_Parsed = tuple[dict[str, Any] | None, Spans, list[Problem]]


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """An article's front matter: its data, where each key lies, and what was wrong with it."""

    #: the parsed mapping; None without front matter or when it is malformed
    data: dict[str, Any] | None
    #: source span of every key (YAML: scalar keys) and list entry, by path
    spans: Spans
    #: where the article's body starts (0 without front matter)
    body_offset: int
    problems: list[Problem]

    def keys(self) -> KeySpans:
        """Spans of the top-level keys."""
        return {path[0]: span for path, span in self.spans.items() if len(path) == 1 and isinstance(path[0], str)}


def read_front_matter(source: str) -> FrontMatter:
    """Read leading YAML or TOML front matter off ``source``. Never raises."""
    for fence in _FENCES:
        opening = fence.opening.match(source)
        if opening:
            return fence.read(source, opening)
    return FrontMatter(None, {}, 0, [])


def split_front_matter(source: str) -> tuple[dict[str, Any] | None, KeySpans, int, list[Problem]]:
    """``(data, top-level key spans, body_offset, problems)`` of :func:`read_front_matter`."""
    front = read_front_matter(source)
    return front.data, front.keys(), front.body_offset, front.problems


class _Fence:
    """The lines around front matter of one format, and its parser."""

    def __init__(self, marker: str, closers: tuple[str, ...], parse: Callable[[str, int], _Parsed]) -> None:
        self.marker, self.parse = marker, parse
        self.closers = " or ".join(f"'{closer}'" for closer in closers)
        self.opening = re.compile(rf"\ufeff?{re.escape(marker)}[ \t]*(?:\r\n|\r|\n)")
        alternatives = "|".join(map(re.escape, closers))
        self.closing = re.compile(rf"(?:(?<=\n)|(?<=\r))(?:{alternatives})[ \t]*(?:\r\n|\r|\n|\Z)")

    def read(self, source: str, opening: re.Match[str]) -> FrontMatter:
        closing = self.closing.search(source, opening.end() - 1)
        if not closing:
            message = f"front matter opened with '{self.marker}' is never closed by a {self.closers} line"
            return FrontMatter(None, {}, 0, [Problem(message, opening.start(), opening.end())])
        start, end = opening.end(), closing.start()
        if end - start > MAX_FRONT_MATTER_CHARS:
            message = f"front matter is longer than {MAX_FRONT_MATTER_CHARS} characters; not parsed"
            return FrontMatter(None, {}, closing.end(), [Problem(message, start, end)])
        data, spans, problems = self.parse(source[start:end], start)
        if data is not None:
            problems.extend(_known_key_problems(data, spans, (opening.start(), opening.end())))
        return FrontMatter(data, spans, closing.end(), problems)


def _known_key_problems(data: dict[str, Any], spans: Spans, fence: tuple[int, int]) -> list[Problem]:
    """``draft`` must be a boolean: quoted, ``"false"`` is text that site generators may
    read as true, and the article goes live (or stays hidden) by mistake. A key without
    a span of its own (from a YAML merge key) is reported at the opening fence."""
    draft = data.get("draft")
    if draft is None or isinstance(draft, bool):
        return []
    if isinstance(draft, str):
        hint = "write it without quotes" if draft.strip().lower() in ("true", "false") else "write true or false"
        shown = f"the text {draft!r} ({hint})"
    else:
        shown = repr(draft)
    return [Problem(f"front-matter 'draft' should be true or false, not {shown}", *spans.get(("draft",), fence))]


# -- YAML -------------------------------------------------------------------------------


def _parse_yaml(text: str, base: int) -> _Parsed:
    """Compose then construct with one SafeLoader (what ``yaml.safe_load`` does), keeping
    the node tree so marks give exact offsets (``base`` + mark index)."""
    import yaml  # here: only a file with YAML front matter needs PyYAML

    end = base + len(text)
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # checks for unprintable characters
        node = loader.get_single_node()
        if node is None:
            return {}, {}, []
        problem = _shape_problem(node, base, end)
        if problem is None:
            assert isinstance(node, yaml.MappingNode)  # _shape_problem rejects anything else
            spans, problems = _yaml_spans(node, base)
            return loader.construct_document(node), spans, problems
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = _problem_at(error.problem or error.context, mark.index if mark else 0, base, end)
    except yaml.reader.ReaderError as error:
        problem = _problem_at(error.reason, error.position, base, end)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as error:
        # Unmarked errors: nesting too deep for the recursive composer, impossible
        # dates ("2024-02-30") or unhashable keys in the constructor.
        problem = Problem(f"malformed front matter: {error}", base, end)
    finally:
        if loader is not None:
            loader.dispose()
    return None, {}, [problem]


def _problem_at(detail: str | None, index: int, base: int, end: int) -> Problem:
    """A one-character problem at the parser's ``index``, kept on a line of the front
    matter (parsers report end-of-stream errors just past the last character)."""
    offset = max(base, min(base + index, end - 1))
    return Problem(f"malformed front matter: {detail}", offset, min(offset + 1, end))


def _shape_problem(node: yaml.Node, base: int, end: int) -> Problem | None:
    """Front matter must be a mapping, and must not expand into a huge structure."""
    import yaml  # here: only a file with YAML front matter needs PyYAML

    if not isinstance(node, yaml.MappingNode):
        start = base + node.start_mark.index
        message = "front matter is not a mapping of keys to values"
        return Problem(message, start, base + node.end_mark.index)
    if _expanded_size(node) > MAX_EXPANDED_NODES:
        return Problem("front matter expands to too many values (aliases)", base, end)
    return None


def _yaml_spans(root: yaml.MappingNode, base: int) -> tuple[Spans, list[Problem]]:
    """Spans of scalar keys and of list entries; a repeated key is a problem (YAML keeps
    the last value silently, which hides an editing mistake). Bounded by the expansion
    check before it; iterative, as nesting depth is attacker-controlled."""
    import yaml  # here: only a file with YAML front matter needs PyYAML

    spans: Spans = {}
    problems: list[Problem] = []
    checked: set[int] = set()  # mappings reached again through an alias are reported once
    stack: list[tuple[KeyPath, yaml.Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                entry = (*path, index)
                spans[entry] = (base + item.start_mark.index, base + item.end_mark.index)
                stack.append((entry, item))
        elif isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key_path = (*path, key_node.value)
                span = (base + key_node.start_mark.index, base + key_node.end_mark.index)
                if key_node.value in seen and id(node) not in checked:
                    dotted = ".".join(map(str, key_path))
                    problems.append(Problem(f"duplicate front-matter key {dotted!r}", *span))
                seen.add(key_node.value)
                spans[key_path] = span
                stack.append((key_path, value))
            checked.add(id(node))
    problems.sort(key=lambda problem: problem.offset)
    return spans, problems


def _expanded_size(root: yaml.Node) -> int:
    """Number of nodes once aliases are expanded, counted without expanding them and
    stopping early past the limit; a cyclic alias counts as over the limit."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    # Iterative post-order walk: nesting depth is attacker-controlled.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            sizes[key] = min(size, MAX_EXPANDED_NODES + 1)
            if size > MAX_EXPANDED_NODES:
                return size
            continue
        if key in sizes:
            continue
        if key in on_path:
            return MAX_EXPANDED_NODES + 1
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml  # here: only a file with YAML front matter needs PyYAML

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


# -- TOML -------------------------------------------------------------------------------

#: tomllib reports where it failed only inside its message.
_TOML_ERROR_PLACE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")
#: TOML split into what the span walk needs: strings (all four kinds), punctuation,
#: newlines and bare words (keys, dotted keys, numbers, dates, booleans).
_TOML_TOKEN = re.compile(
    r"""(?P<skip>[ \t]+|\#[^\r\n]*)
      | (?P<newline>\r?\n)
      | (?P<string>\"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*\"\"\"(?:""?)?
                 | '''(?:[^']|'(?!''))*'''(?:''?)?
                 | "(?:[^"\\\r\n]|\\.)*"
                 | '[^'\r\n]*')
      | (?P<punct>[\[\]{}=,])
      | (?P<bare>[^\s\[\]{}=,\#"']+)""",
    re.VERBOSE,
)
_Token = tuple[str, int, int]  # kind, start, end


def _parse_toml(text: str, base: int) -> _Parsed:
    """tomllib gives values but no positions; once it has accepted the text, a token
    walk finds where each key and list entry is."""
    tomllib = toml_parser()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        detail = str(error)
        place = _TOML_ERROR_PLACE.search(detail)
        index = len(text)
        if place and place.group(1):
            line, column = int(place.group(1)), int(place.group(2))
            index = sum(len(row) for row in text.splitlines(keepends=True)[: line - 1]) + column - 1
        return None, {}, [_problem_at(detail[: place.start()] if place else detail, index, base, base + len(text))]
    except RecursionError:
        return None, {}, [Problem("malformed front matter: nested too deeply", base, base + len(text))]
    return data, _TomlSpans(text, base).walk(), []


class _TomlSpans:
    """One pass over the tokens of valid TOML, tracking the current table and the open
    arrays and inline tables (a stack, not recursion: nesting depth is untrusted)."""

    def __init__(self, text: str, base: int) -> None:
        self.text, self.base = text, base
        self.tokens: list[_Token] = [
            (str(match.lastgroup), match.start(), match.end())
            for match in _TOML_TOKEN.finditer(text)
            if match.lastgroup != "skip"
        ]
        self.spans: Spans = {}

    def walk(self) -> Spans:
        table: KeyPath = ()
        array_tables: dict[KeyPath, int] = {}
        stack: list[tuple[KeyPath, bool]] = []  # open arrays and inline tables: path, is an array
        state, target = "statement", table
        index = 0
        while index < len(self.tokens):
            kind, start, _ = self.tokens[index]
            symbol = self.text[start] if kind == "punct" else ""
            if kind == "newline":
                state = state if stack else "statement"
                index += 1
            elif state == "statement" and symbol == "[":
                double = self._adjacent(index, "[")
                parts, index = self._key(index + 1 + double)
                table = self._record((), parts)
                if double:
                    array_tables[table] = array_tables.get(table, -1) + 1
                    table = (*table, array_tables[table])
                    self.spans[table] = (self.base + parts[-1][1], self.base + parts[-1][2])
                state, index = "after", index + 1 + double
            elif symbol in ("]", "}"):  # closes the innermost array or inline table, even empty
                target, _ = stack.pop()
                state, index = "after", index + 1
            elif state in ("statement", "key"):
                parts, index = self._key(index)
                target = self._record(stack[-1][0] if stack else table, parts)
                state, index = "value", index + 1
            elif state == "value" and symbol in ("[", "{"):
                stack.append((target, symbol == "["))
                target, state, index = (*target, 0), "value" if symbol == "[" else "key", index + 1
            elif state == "value":
                last = index
                while last + 1 < len(self.tokens) and kind == "bare" == self.tokens[last + 1][0]:
                    last += 1  # a date and time separated by a space
                self.spans.setdefault(target, (self.base + start, self.base + self.tokens[last][2]))
                state, index = "after", last + 1
            else:  # the "," after an entry: in an array, ``target`` is that entry's path
                path, is_array = stack[-1]
                if is_array:
                    target, state = (*path, int(target[-1]) + 1), "value"
                else:
                    state = "key"
                index += 1
        return self.spans

    def _adjacent(self, index: int, symbol: str) -> bool:
        """Whether the next token is ``symbol`` right after this one (``[[``)."""
        if index + 1 >= len(self.tokens):
            return False
        _, start, end = self.tokens[index + 1]
        return start == self.tokens[index][2] and self.text[start:end] == symbol

    def _key(self, index: int) -> tuple[list[tuple[str, int, int]], int]:
        """The parts of a (dotted) key starting at token ``index``, and the index of the
        token that ends it (``=`` or ``]``)."""
        parts: list[tuple[str, int, int]] = []
        while index < len(self.tokens) and self.tokens[index][0] != "punct":
            kind, start, end = self.tokens[index]
            if kind == "string":
                parts.append((toml_parser().loads(f"key = {self.text[start:end]}")["key"], start, end))
            else:
                parts.extend((piece.group(), start + piece.start(), start + piece.end())
                             for piece in re.finditer(r"[^.\s]+", self.text[start:end]))
            index += 1
        return parts, index

    def _record(self, prefix: KeyPath, parts: list[tuple[str, int, int]]) -> KeyPath:
        """Record each part of a key under ``prefix``; the first mention of a table keeps it."""
        path = prefix
        for name, start, end in parts:
            path = (*path, name)
            self.spans.setdefault(path, (self.base + start, self.base + end))
        return path


_FENCES = (_Fence("---", ("---", "..."), _parse_yaml), _Fence("+++", ("+++",), _parse_toml))
