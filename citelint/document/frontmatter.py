"""YAML front matter: the ``---`` block some Markdown articles start with.

Shared by every reader that may meet it, so all agree on where it ends and where each
top-level key sits in the source (rules that check metadata point at the key itself).
Front matter is untrusted input: it is size-limited, every YAML failure becomes a
:class:`Problem` at the position YAML reports, and alias expansion is bounded.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .model import Problem

#: Front matter larger than this is not parsed (a news article's metadata is a few KB).
MAX_FRONT_MATTER_CHARS = 64 * 1024
#: Upper bound on nodes after alias expansion, against "billion laughs" documents.
MAX_EXPANDED_NODES = 10_000

_OPENING = re.compile(r"\ufeff?---[ \t]*(?:\r\n|\r|\n)")
_CLOSING = re.compile(r"(?:(?<=\n)|(?<=\r))(?:---|\.\.\.)[ \t]*(?:\r\n|\r|\n|\Z)")

KeySpans = dict[str, tuple[int, int]]


def split_front_matter(
    source: str,
) -> tuple[dict[str, Any] | None, KeySpans, int, list[Problem]]:
    """Split leading YAML front matter off ``source``.

    Returns ``(data, keys, body_offset, problems)``: the parsed mapping (None when there
    is no front matter or it is malformed), the source span of each top-level key, the
    offset where the Markdown body starts (0 without front matter) and problems found.
    Never raises.
    """
    opening = _OPENING.match(source)
    if not opening:
        return None, {}, 0, []
    closing = _CLOSING.search(source, opening.end() - 1)
    if not closing:
        problem = Problem(
            "front matter opened with '---' is never closed by a '---' or '...' line",
            opening.start(),
            opening.end(),
        )
        return None, {}, 0, [problem]
    yaml_start, yaml_end = opening.end(), closing.start()
    if yaml_end - yaml_start > MAX_FRONT_MATTER_CHARS:
        problem = Problem(
            f"front matter is longer than {MAX_FRONT_MATTER_CHARS} characters; not parsed",
            yaml_start,
            yaml_end,
        )
        return None, {}, closing.end(), [problem]
    data, keys, problems = _parse_yaml(source[yaml_start:yaml_end], yaml_start)
    return data, keys, closing.end(), problems


def _parse_yaml(
    text: str, base: int
) -> tuple[dict[str, Any] | None, KeySpans, list[Problem]]:
    """Compose then construct with one SafeLoader (what ``yaml.safe_load`` does), keeping
    the node tree so key marks give exact offsets (``base`` + mark index)."""
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
            keys, problems = _key_spans(node, base)
            return loader.construct_document(node), keys, problems
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
    """A one-character problem at YAML's ``index``, kept on a line of the front matter
    (YAML reports end-of-stream errors just past the last character)."""
    offset = max(base, min(base + index, end - 1))
    return Problem(f"malformed front matter: {detail}", offset, min(offset + 1, end))


def _shape_problem(node: yaml.Node, base: int, end: int) -> Problem | None:
    """Front matter must be a mapping, and must not expand into a huge structure."""
    if not isinstance(node, yaml.MappingNode):
        start = base + node.start_mark.index
        message = "front matter is not a mapping of keys to values"
        return Problem(message, start, base + node.end_mark.index)
    if _expanded_size(node) > MAX_EXPANDED_NODES:
        return Problem("front matter expands to too many values (aliases)", base, end)
    return None


def _key_spans(node: yaml.MappingNode, base: int) -> tuple[KeySpans, list[Problem]]:
    """Source spans of scalar top-level keys; a repeated key is a problem (YAML keeps
    the last value silently, which hides an editing mistake)."""
    keys: KeySpans = {}
    problems: list[Problem] = []
    for key_node, _value in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        span = (base + key_node.start_mark.index, base + key_node.end_mark.index)
        if key_node.value in keys:
            problems.append(Problem(f"duplicate front-matter key {key_node.value!r}", *span))
        keys[key_node.value] = span
    return keys, problems


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
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []
