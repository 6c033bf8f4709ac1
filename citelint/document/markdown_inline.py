"""marko's inline parser (2.2.4) in linear time, with the same results.

marko finds links and emphasis in one pass over a paragraph, but several of its steps
rescan what lies ahead or behind, so a crafted paragraph makes it quadratic (issue 15):
100 KB of ``[a](b`` took over 90 s, ``*a_ `` 4 s. The causes, and what replaces them:

- each ``]`` copied the whole delimiter list to find the last ``[`` → a stack of the
  open brackets (only the last bracket and what lies above it is ever removed, so the
  indices below stay valid);
- each link deactivated every ``[`` before it → brackets already deactivated are skipped;
- a link destination, and the balance of ``[]`` in a link text, were read character by
  character to the end of the paragraph from every ``](`` → answered from the positions
  of the unescaped parentheses or brackets and their nesting depth, found once;
- a code span was matched by a lazy regex from every backtick run → the runs are indexed
  by length, so the closing run is one binary search;
- emphasis processing removed delimiters with ``list.remove`` and from the middle of the
  list → delimiters left of the one being processed and those right of it are kept in two
  lists, so every removal happens at the end of one;
- GFM's bare e-mail pattern, tried from each ``_`` of a long word, read to the word's end
  before failing → tried only in words followed by ``@`` whose domain matches.

Every function keeps marko's order of decisions and index arithmetic (including where
marko differs from CommonMark), and tests/test_markdown_inline.py compares the results
with marko's own functions on generated text.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from marko import inline
from marko.ext.gfm.elements import Url
from marko.helpers import find_next, is_paired, normalize_label
from marko.inline_parser import (
    _EMPTY_GROUP,
    ASCII_CONTROL,
    WHITESPACE,
    Delimiter,
    Group,
    MatchObj,
    ParseError,
    Token,
    _parse_link_separator,
    _resolve_overlap,
    make_elements,
)

if TYPE_CHECKING:
    from marko.source import Source

_DELIMITER = re.compile(r"(?:!?\[|\*+|_+)")
#: The characters marko's scanning loop acts on; it steps over every other one.
_ACTIVE = re.compile(r"[\\`\]!\[*_]")
_BACKTICKS = re.compile(r"`+")
#: Shorter distances are checked directly; the indexes pay off only for long ones.
_DIRECT_SCAN = 64


def parse(
    text: str,
    elements: Sequence[type[inline.InlineElement]],
    fallback: type[inline.InlineElement],
    source: Source,
    positions: Sequence[int] | None = None,
) -> list[inline.InlineElement]:
    """``marko.inline_parser.parse``, with this module's link and emphasis finder. marko
    wraps those matches in a class it defines on every call, which builds the element the
    match names; here the token is given that element class itself (with the same
    priority, 5, and parsed children), without a class built per paragraph."""
    kinds = source.parser.inline_elements
    tokens = [Token(kinds[match.etype], match, text, fallback, positions)
              for match in find_links_or_emphs(text, source.root.link_ref_defs)]
    for etype in elements:
        for found in etype.find(text, source=source):
            tokens.append(Token(etype, found, text, fallback, positions))
    tokens.sort()
    return make_elements(_resolve_overlap(tokens), text, fallback=fallback, positions=positions)


# -- indexes of one paragraph's text ---------------------------------------------------


def _escaped(text: str, position: int) -> bool:
    """Whether the character at ``position`` follows an odd run of backslashes. marko's
    scans start after a ``[``, ``(`` or space, never inside such a run, so this is the
    escape state they would reach."""
    run = 0
    while position - run > 0 and text[position - run - 1] == "\\":
        run += 1
    return run % 2 == 1


class _Balance:
    """The unescaped ``open``/``close`` characters of a text and the nesting depth after
    each, answering for any start what a left-to-right count from there would find."""

    def __init__(self, text: str, open_char: str, close_char: str) -> None:
        pattern = re.compile(f"[{re.escape(open_char)}{re.escape(close_char)}]")
        self.positions: list[int] = []
        self.after: list[int] = []  # depth after each character
        depth = 0
        for match in pattern.finditer(text):
            if _escaped(text, match.start()):
                continue
            depth += 1 if match.group() == open_char else -1
            self.positions.append(match.start())
            self.after.append(depth)
        # first_below[k]: the first j >= k whose depth after is below the depth before k
        self.first_below: list[int | None] = [None] * len(self.positions)
        latest: dict[int, int] = {}
        for k in range(len(self.positions) - 1, -1, -1):
            latest[self.after[k]] = k
            self.first_below[k] = latest.get(self._before(k) - 1)

    def _before(self, k: int) -> int:
        return self.after[k - 1] if k > 0 else 0

    def depth(self, position: int) -> int:
        """Depth in front of ``position``."""
        k = bisect.bisect_left(self.positions, position)
        return self._before(k)

    def unmatched_close(self, start: int) -> int | None:
        """The first ``close`` at or after ``start`` that no ``open`` after ``start`` matches."""
        k = bisect.bisect_left(self.positions, start)
        if k == len(self.positions):
            return None
        below = self.first_below[k]
        return None if below is None else self.positions[below]


class _Paragraph:
    """What marko's scans read from one paragraph's text, indexed once and on demand."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _runs(self) -> dict[int, list[int]]:
        """Backtick run length -> the starts of the runs of exactly that length."""
        runs: dict[int, list[int]] = {}
        for match in _BACKTICKS.finditer(self.text):
            runs.setdefault(len(match.group()), []).append(match.start())
        return runs

    def code_end(self, start: int) -> int | None:
        """Where the code span opened at ``start`` ends (after its closing run), if one is."""
        text = self.text
        if text[start] != "`" or (start and text[start - 1] == "`"):
            return None
        run = _BACKTICKS.match(text, start)
        assert run is not None
        length = run.end() - start
        starts = self._runs.get(length, [])
        closing = bisect.bisect_right(starts, start)
        return starts[closing] + length if closing < len(starts) else None

    @cached_property
    def brackets(self) -> _Balance:
        return _Balance(self.text, "[", "]")

    @cached_property
    def parentheses(self) -> _Balance:
        return _Balance(self.text, "(", ")")

    @cached_property
    def _stops(self) -> list[int]:
        """Unescaped whitespace and control characters, which end a link destination."""
        stop = re.compile("[" + re.escape(WHITESPACE + ASCII_CONTROL) + "]")
        return [m.start() for m in stop.finditer(self.text) if not _escaped(self.text, m.start())]

    def next_stop(self, start: int) -> int | None:
        found = bisect.bisect_left(self._stops, start)
        return self._stops[found] if found < len(self._stops) else None

    def is_paired(self, start: int, end: int) -> bool:
        """``marko.helpers.is_paired(text[start:end], "[", "]")`` where ``text[start - 1]`` is ``[``."""
        if end - start <= _DIRECT_SCAN:
            return is_paired(self.text[start:end], "[", "]")
        brackets = self.brackets
        unmatched = brackets.unmatched_close(start)
        return (unmatched is None or unmatched >= end) and brackets.depth(end) == brackets.depth(start)


# -- links and emphasis ----------------------------------------------------------------


def find_links_or_emphs(text: str, link_ref_defs: dict[str, tuple[str, str]]) -> list[MatchObj]:
    """``marko.inline_parser.find_links_or_emphs``: links, images and emphasis."""
    paragraph = _Paragraph(text)
    state = _Delimiters()
    matches: list[MatchObj] = []
    escape = False
    i = 0
    while i < len(text):
        if escape:
            escape = False
            i += 1
            continue
        if text[i] not in "\\`]![*_":
            active = _ACTIVE.search(text, i)
            if active is None:
                break
            i = active.start()
        char = text[i]
        if char == "\\":
            escape = True
            i += 1
        elif char == "`" and (code_end := paragraph.code_end(i)) is not None:
            i = code_end
        elif char == "]":
            node = _close_bracket(paragraph, state, i, link_ref_defs, matches)
            if node:
                i = node.end()
                matches.append(node)
            else:
                i += 1
        else:
            match = _DELIMITER.match(text, i)
            if match:
                state.push(Delimiter(match, text))
                i = match.end()
            else:
                i += 1
    process_emphasis(text, state.items, None, matches)
    return matches


class _Delimiters:
    """marko's delimiter list, with a stack of where its brackets are."""

    def __init__(self) -> None:
        self.items: list[Delimiter] = []
        self.brackets: list[int] = []  # indices in items of the "[" and "![" delimiters
        self.checked = 0  # brackets[:checked] hold no active "[" any more

    def push(self, delimiter: Delimiter) -> None:
        if delimiter.content in ("[", "!["):
            self.brackets.append(len(self.items))
        self.items.append(delimiter)

    def drop_last_bracket(self) -> None:
        del self.items[self.brackets.pop()]
        self.checked = min(self.checked, len(self.brackets))

    def deactivate_below_last(self) -> None:
        for index in self.brackets[self.checked : -1]:
            if self.items[index].content == "[":
                self.items[index].active = False
        self.checked = max(len(self.brackets) - 1, 0)


def _close_bracket(
    paragraph: _Paragraph,
    state: _Delimiters,
    close: int,
    link_ref_defs: dict[str, tuple[str, str]],
    matches: list[MatchObj],
) -> MatchObj | None:
    """``marko.inline_parser.look_for_image_or_link``: the link or image a ``]`` closes."""
    if not state.brackets:
        return None
    text = paragraph.text
    i = state.brackets[-1]
    opener = state.items[i]
    if not opener.active or not paragraph.is_paired(opener.end, close):
        state.drop_last_bracket()
        return None
    link_text = Group(opener.end, close, text[opener.end : close])
    assert link_text.text is not None
    etype = "Image" if opener.content == "![" else "Link"
    found = _expect_inline_link(paragraph, close + 1) or _expect_reference_link(
        text, close + 1, link_text.text, link_ref_defs
    )
    if not found:
        state.drop_last_bracket()
        return None
    node = MatchObj(etype, text, opener.start, found[2], link_text, found[0], found[1])
    process_emphasis(text, state.items, i, matches)
    if etype == "Link":
        state.deactivate_below_last()
    state.drop_last_bracket()
    return node


def _expect_inline_link(paragraph: _Paragraph, start: int) -> tuple[Group, Group, int] | None:
    """``(link_dest "link_title")``"""
    text = paragraph.text
    if start >= len(text) - 1 or text[start] != "(":
        return None
    i = _parse_link_separator(text, start + 1)
    try:
        link_dest, link_title = _parse_inline_dest_title(paragraph, i)
    except ParseError:
        return None
    end = _parse_link_separator(text, max(link_dest.end, link_title.end))
    if end >= len(text) or text[end] != ")":
        return None
    return link_dest, link_title, end + 1


def _parse_inline_dest_title(paragraph: _Paragraph, start: int) -> tuple[Group, Group]:
    """``marko.inline_parser._parse_link_dest_title(text, start, is_inline=True)``."""
    link_text = paragraph.text
    if start >= len(link_text):
        raise ParseError()
    if link_text[start] == "<":
        right_bracket = find_next(link_text, ">", start + 1, disallowed="<\n")
        if right_bracket < 0:
            raise ParseError()
        i = right_bracket + 1
        link_dest = Group(start, i, link_text[start:i])
    else:
        i = _destination_end(paragraph, start)
        if link_text[i] == ")":  # closes the link: no title
            return Group(start, i, link_text[start:i]), _EMPTY_GROUP
        if link_text[i] not in WHITESPACE:  # a control character
            raise ParseError("Invalid character in link destination")
        link_dest = Group(start, i, link_text[start:i])
        if not link_dest.text:
            raise ParseError("Empty link destination")
    prev = i
    i = _parse_link_separator(link_text, i)
    if i >= len(link_text) or link_text[i] == "\n" or link_text[i] == ")":
        return link_dest, _EMPTY_GROUP
    if link_text[i] == '"':
        end = find_next(link_text, '"', i + 1)
    elif link_text[i] == "'":
        end = find_next(link_text, "'", i + 1)
    elif link_text[i] == "(":
        end = find_next(link_text, ")", i + 1, disallowed="(")
    elif "\n" in link_text[prev:i]:
        return link_dest, _EMPTY_GROUP
    else:
        raise ParseError()
    if 0 < i < len(link_text) and link_text[i - 1] not in WHITESPACE:
        raise ParseError()
    if end < 0:
        raise ParseError()
    if "\n\n" in link_text[i:end]:
        raise ParseError()
    return link_dest, Group(i, end + 1, link_text[i : end + 1])


def _destination_end(paragraph: _Paragraph, start: int) -> int:
    """Where marko's character loop over a destination stops: the first unescaped
    whitespace or control character, or ``)`` that closes no ``(`` of the destination.
    Raises ParseError when the text ends first. Near ends are found by that loop itself."""
    text = paragraph.text
    escaped, pairs = False, 0
    for position in range(start, min(len(text), start + _DIRECT_SCAN)):
        char = text[position]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in WHITESPACE or char in ASCII_CONTROL:
            return position
        elif char == "(":
            pairs += 1
        elif char == ")":
            if not pairs:
                return position
            pairs -= 1
    if start + _DIRECT_SCAN >= len(text):
        raise ParseError("No right parenthesis is found")
    stop = paragraph.next_stop(start)
    closing = paragraph.parentheses.unmatched_close(start)
    ends = [position for position in (stop, closing) if position is not None]
    if not ends:
        raise ParseError("No right parenthesis is found")
    return min(ends)


def _expect_reference_link(
    text: str, start: int, link_text: str, link_ref_defs: dict[str, tuple[str, str]]
) -> tuple[Group, Group, int] | None:
    """``marko.inline_parser._expect_reference_link``; without definitions there is nothing
    to look up, and the label is not normalised (that reads the whole link text)."""
    if not link_ref_defs:
        return None
    link_label = _parse_link_label(text, start)
    label = link_text
    if link_label is not None:
        assert link_label.text is not None
        label = link_label.text[1:-1] or link_text
    elif text[start : start + 2] == "[]":
        link_label = Group(start, start + 2, "[]")
    result = link_ref_defs.get(normalize_label(label))
    if not result:
        return None
    return Group(start, start, result[0]), Group(start, start, result[1]), link_label.end if link_label else start


def _parse_link_label(text: str, start: int) -> Group | None:
    if text[start : start + 1] != "[":
        return None
    i = find_next(text, "]", start + 1, disallowed="[")
    if i < 0:
        return None
    label = text[start + 1 : i]
    if not label.strip() or len(label) > 999:
        return None
    return Group(start, i + 1, text[start : i + 1])


# -- emphasis --------------------------------------------------------------------------


class _Split:
    """The delimiters above the stack bottom as two lists: ``left`` up to the one being
    processed, ``right`` (reversed) after it, so removals happen at the end of a list."""

    def __init__(self, items: list[Delimiter]) -> None:
        self.left: list[Delimiter] = []
        self.right = items[::-1]

    def at(self, index: int) -> Delimiter | None:
        """The delimiter at ``index``, moving delimiters to ``left`` up to it."""
        while index >= len(self.left) and self.right:
            self.left.append(self.right.pop())
        return self.left[index] if index < len(self.left) else None


def process_emphasis(
    text: str, delimiters: list[Delimiter], stack_bottom: int | None, matches: list[MatchObj]
) -> None:
    """``marko.inline_parser.process_emphasis``: emphasis among the delimiters above
    ``stack_bottom``, which are then removed. Indices are relative to the first delimiter
    above the bottom; -1 stands for the bottom (marko's ``None``)."""
    lower = stack_bottom + 1 if stack_bottom is not None else 0
    split = _Split(delimiters[lower:])
    left = split.left
    star_bottom = underscore_bottom = -1
    cur = _next_closer(split, -1)
    while cur is not None:
        d_closer = left[cur]
        bottom = star_bottom if d_closer.content[0] == "*" else underscore_bottom
        opener = _nearest_opener(left, cur, bottom)
        if opener is not None:
            d_opener = left[opener]
            n = 2 if len(d_opener.content) >= 2 and len(d_closer.content) >= 2 else 1
            matches.append(MatchObj(
                "StrongEmphasis" if n == 2 else "Emphasis",
                text,
                d_opener.end - n,
                d_closer.start + n,
                Group(d_opener.end, d_closer.start, text[d_opener.end : d_closer.start]),
            ))
            del left[opener + 1 : cur]
            cur = opener + 1
            if d_opener.remove(n):
                del left[opener]
                cur -= 1
            if d_closer.remove(n, True):
                del left[cur]
            cur -= 1
        else:
            # marko: "cur - 1 if cur > 1 else None" on absolute indices; above a bracket the
            # absolute index is never below 2, at the bottom of the whole list it may be.
            bottom = cur - 1 if cur > 1 or lower > 0 else -1
            if d_closer.content[0] == "*":
                star_bottom = bottom
            else:
                underscore_bottom = bottom
            if not d_closer.can_open:
                del left[cur]
                cur -= 1
        cur = _next_closer(split, cur)
    del delimiters[lower:]


def _next_closer(split: _Split, bound: int) -> int | None:
    i = bound + 1
    while (delimiter := split.at(i)) is not None:
        if getattr(delimiter, "can_close", False):
            return i
        i += 1
    return None


def _nearest_opener(left: list[Delimiter], higher: int, lower: int) -> int | None:
    closer = left[higher]
    for i in range(higher - 1, lower, -1):
        delimiter = left[i]
        if getattr(delimiter, "can_open", False) and delimiter.closed_by(closer):
            return i
    return None


# -- elements found by their own patterns ----------------------------------------------


class CodeSpan(inline.CodeSpan):
    """marko's pattern ran a lazy match to the end of the paragraph from every backtick
    run that no run of the same length closes."""

    override = True

    @classmethod
    def find(cls, text: str, *, source: Source) -> Iterator[re.Match[str]]:
        pattern = inline.CodeSpan.pattern
        assert isinstance(pattern, re.Pattern)
        paragraph = _Paragraph(text)
        position = text.find("`")
        while position >= 0:
            end = paragraph.code_end(position)
            if end is None:
                run = _BACKTICKS.match(text, position)
                assert run is not None
                position = text.find("`", run.end())
                continue
            found = pattern.match(text, position)
            assert found is not None and found.end() == end
            yield found
            position = text.find("`", end)


class _BareUrlPattern:
    """GFM's bare URL and e-mail pattern, searched only where it can match. Its e-mail
    branch, ``[\\w.\\-+]+@…``, may start after any ``_`` of a long word and reads to the
    word's end before failing; every start in a word reaches the same ``@``, so the domain
    after it decides for all of them at once."""

    _WORD = re.compile(r"[\w.\-+]+")
    _SCHEME = re.compile(r"(?:https?|ftp)://")
    _START = re.compile(r"[\s*_~(\uff00-\uffef]")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        position = 0
        for start in self._starts(text):
            if start < position:
                continue
            found = self.pattern.match(text, start)
            if found is not None:
                yield found
                position = found.end()

    def _starts(self, text: str) -> Iterator[int]:
        """Positions, in order, where the pattern may match (a superset)."""
        schemes = (match.start() for match in self._SCHEME.finditer(text))
        emails = (start for word in self._WORD.finditer(text) if _email_domain(text, word.end())
                  for start in range(word.start(), word.end()))
        previous = -1
        for start in heapq.merge(schemes, emails):
            if start != previous and (start == 0 or self._START.match(text, start - 1)):
                yield start
            previous = start


_DOMAIN_RUN = re.compile(r"[\w.\-]*")


def _email_domain(text: str, at: int) -> bool:
    """Whether GFM's e-mail domain, ``@[\\w.\\-]*?\\.[\\w.\\-]*[a-zA-Z0-9](?=[\\s.<]|\\Z)``,
    matches at ``at``, read in one pass: the regex retries its lazy part at every full stop
    and so is quadratic in a long domain that fails. It matches when, after the first full
    stop, some letter or digit is followed by a full stop, a space, ``<`` or the end."""
    if text[at : at + 1] != "@":
        return False
    word = _DOMAIN_RUN.match(text, at + 1)
    assert word is not None
    first_stop = text.find(".", at + 1, word.end())
    if first_stop < 0:
        return False
    after = text[word.end() : word.end() + 1]
    ends_well = not after or after.isspace() or after == "<"
    for position in range(first_stop + 1, word.end()):
        if text[position].isascii() and text[position].isalnum():
            following = text[position + 1] if position + 1 < word.end() else None
            if following == "." or (following is None and ends_well):
                return True
    return False


class BareUrl(Url):
    override = True
    bare_pattern = _BareUrlPattern(Url.bare_pattern)  # type: ignore[assignment]  # a pattern in all marko uses
