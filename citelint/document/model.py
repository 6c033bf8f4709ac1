"""The document model every reader produces and every analysis reads.

A reader turns a file into *blocks* of visible text (markup removed, entities decoded).
Each block carries an :class:`OffsetMap` from its text back to the decoded source, so any
span an analysis finds in block text maps to exact source offsets without re-searching.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

#: Block kinds that are article prose: claims live here.
PROSE_KINDS = frozenset(
    {"paragraph", "heading", "list_item", "blockquote", "table_cell", "caption"}
)
#: Prose kinds that are titles rather than claims (rules that judge claims skip them).
TITLE_KINDS = frozenset({"heading", "caption"})
#: Non-article text kept for completeness; no rule reads it as prose.
CHROME_KINDS = frozenset(
    {"byline", "dateline", "credit", "boilerplate", "code", "front_matter", "html", "footnote"}
)
BLOCK_KINDS = PROSE_KINDS | CHROME_KINDS


class OffsetMap:
    """Maps positions in a block's text to offsets in the decoded source file.

    Stored as runs, so memory grows with markup, not with text length. A run is either
    *verbatim* (text equals the source slice character for character) or *replaced* (its
    text was decoded from a source span of another length, e.g. ``&amp;`` -> ``&``).
    """

    __slots__ = ("_text_starts", "_src_starts", "_src_ends", "_verbatim", "length")

    def __init__(self) -> None:
        self._text_starts: list[int] = []
        self._src_starts: list[int] = []
        self._src_ends: list[int] = []
        self._verbatim: list[bool] = []
        self.length = 0

    def append(self, text_length: int, src_start: int, src_end: int | None = None) -> None:
        """Record ``text_length`` characters taken from the source at ``src_start``.

        With ``src_end`` omitted the characters are verbatim; otherwise all of them stand
        for the source span ``[src_start, src_end)``.
        """
        if text_length <= 0:
            return
        verbatim = src_end is None
        if src_end is None:
            src_end = src_start + text_length
            # Extend the previous verbatim run when contiguous in both text and source.
            if (
                self._verbatim
                and self._verbatim[-1]
                and self._src_ends[-1] == src_start
            ):
                self._src_ends[-1] = src_end
                self.length += text_length
                return
        self._text_starts.append(self.length)
        self._src_starts.append(src_start)
        self._src_ends.append(src_end)
        self._verbatim.append(verbatim)
        self.length += text_length

    def _run(self, index: int) -> int:
        return bisect.bisect_right(self._text_starts, index) - 1

    def start(self, index: int) -> int:
        """Source offset where text character ``index`` begins."""
        if index >= self.length:
            return self.end(self.length)
        run = self._run(index)
        if self._verbatim[run]:
            return self._src_starts[run] + index - self._text_starts[run]
        return self._src_starts[run]

    def end(self, index: int) -> int:
        """Source offset just after text character ``index - 1`` (exclusive end)."""
        if not self._text_starts:
            return 0
        if index <= 0:
            return self._src_starts[0]
        run = self._run(index - 1)
        if self._verbatim[run]:
            return self._src_starts[run] + index - self._text_starts[run]
        return self._src_ends[run]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span of the text slice ``[start, end)``."""
        if end <= start:
            point = self.start(start)
            return point, point
        return self.start(start), self.end(end)

    def runs(self) -> list[tuple[int, int, int, bool]]:
        """``(text_start, src_start, src_end, verbatim)`` for each run (for tests and inspect)."""
        return list(zip(self._text_starts, self._src_starts, self._src_ends, self._verbatim, strict=True))


class TextBuilder:
    """Accumulates a block's visible text together with its offset map."""

    __slots__ = ("_parts", "map")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.map = OffsetMap()

    def add(self, text: str, src_start: int) -> None:
        """Append text copied verbatim from the source at ``src_start``."""
        self._parts.append(text)
        self.map.append(len(text), src_start)

    def add_replaced(self, text: str, src_start: int, src_end: int) -> None:
        """Append text decoded from the source span ``[src_start, src_end)``."""
        self._parts.append(text)
        self.map.append(len(text), src_start, src_end)

    @property
    def length(self) -> int:
        return self.map.length

    def text(self) -> str:
        return "".join(self._parts)


@dataclass(slots=True)
class Block:
    """A unit of text with one scope: a paragraph, heading, list item, caption, byline…"""

    kind: str
    text: str
    map: OffsetMap

    @property
    def is_prose(self) -> bool:
        return self.kind in PROSE_KINDS

    @property
    def offset(self) -> int:
        return self.map.start(0)

    @property
    def end_offset(self) -> int:
        return self.map.end(len(self.text))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.map.span(start, end)


@dataclass(frozen=True, slots=True)
class Link:
    """A citation: hyperlink, bare URL, HTML anchor or footnote reference.

    ``offset``/``end_offset`` span the whole construct in the source; ``block`` with
    ``start``/``end`` locate the link's visible text inside that block (``start == end``
    for a footnote reference, which has no visible text). ``block`` is None for links in
    chrome that no block holds.
    """

    url: str
    kind: str  # inline | reference | autolink | bare | html | footnote
    offset: int
    end_offset: int
    block: int | None
    start: int
    end: int
    text: str = ""


@dataclass(frozen=True, slots=True)
class Directive:
    """An inline comment addressed to citelint (``<!-- citelint-disable … -->``)."""

    text: str
    offset: int
    end_offset: int


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the input itself (malformed front matter, nesting too deep)."""

    message: str
    offset: int
    end_offset: int
    code: str = "malformed-input"


@dataclass(slots=True)
class Document:
    """A parsed article: its source, its blocks of text and its links."""

    path: str
    format: str  # markdown | html | text
    source: str
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    front_matter: dict[str, Any] | None = None
    #: top-level front-matter key -> (offset, end_offset) of the key in the source
    front_matter_keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    directives: list[Directive] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: the page's own addresses (canonical link, og:url, base href): a link to that site is the
    #: site's own story, never a link to a source it names
    page_urls: list[str] = field(default_factory=list)

    def prose_blocks(self) -> list[tuple[int, Block]]:
        return [(i, b) for i, b in enumerate(self.blocks) if b.is_prose]
