"""Markdown reader: marko's syntax tree turned into blocks of visible text.

marko (2.2.4) records ``source_span`` offsets on every element, so each character of a
block's text is mapped to the source from those spans alone; nothing is found by
searching the text again. Markup is removed, entities and escapes are decoded, and
anything that is not prose (inline code, URLs, HTML) leaves at most a one-space
placeholder mapped to its source span, so sentence splitting still works and no rule
ever reads inside it.

marko normalises line endings before parsing (``\\r\\n`` becomes ``\\n``), so its
offsets are into the normalised text; :meth:`_Reader._orig` maps them back.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import html
import re
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import marko
from marko import block, inline
from marko.ext.footnote import FootnoteDef, FootnoteRef
from marko.ext.gfm.elements import Alert, Table, TableCell, TableRow, Url
from marko.helpers import MarkoExtension
from marko.source import Source

from . import boilerplate, markdown_inline, plaintext
from .frontmatter import split_front_matter
from .model import Block, Directive, Document, Link, Problem, TextBuilder

#: Deeper container nesting (``> > >``, ``- - -``) makes marko's parse time explode
#: (cubic for quotes) before it ends in RecursionError; real articles nest 2-3 deep.
MAX_BLOCK_NESTING = 32
#: Deeply nested ``[`` make marko's link matching quadratic.
MAX_BRACKET_NESTING = 100
#: marko parses about 0.4 MB/s; bigger inputs (no article is this long) are read as
#: plain paragraphs instead, so reading time stays bounded.
MAX_MARKDOWN_CHARS = 1_000_000

_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
_ANCHOR_OPEN = re.compile(
    r"<a\s[^>]*?\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))", re.IGNORECASE
)
_ANCHOR_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
_BR = re.compile(r"<br\b", re.IGNORECASE)
_CONTAINER_PREFIX = re.compile(r"^(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))+", re.MULTILINE)
_CONTAINER_MARKER = re.compile(r">|[-+*]|\d{1,9}[.)]")
_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1)*[ \t]*")
_BRACKET_TOKEN = re.compile(r"\\.|\[|\]|(?:\r\n?|\n)[ \t]*(?:\r\n?|\n)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")

#: Paragraph kinds whose text may turn out to be chrome (bylines, credits, captions).
_PARAGRAPH_FAMILY = frozenset({"paragraph", "blockquote", "list_item"})


class _LinkRefDef(block.LinkRefDef):
    """marko's pattern scans ahead to the next blank line although only the ``[`` is
    used, which is quadratic over consecutive definitions (4,000 take 8 s)."""

    override = True
    pattern = re.compile(r" {,3}(\[)")


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class _Source(Source):
    """marko's Source with each pattern string compiled once: marko hands it pattern strings
    and compiles them on every line it tries, about a third of its block parsing (a 1 MB list
    took 11.5 s)."""

    def _expect_re(self, regexp: re.Pattern[str] | str, pos: int) -> re.Match[str] | None:
        if isinstance(regexp, str):
            regexp = _compiled(regexp)
        return regexp.match(self._buffer, pos)


class _KeepInlinePositions:
    """Parser mixin: marko discards each element's map from inline-body index to source
    offset once inline parsing is done; keep it for text that is not contiguous in the
    source (a table cell's ``\\|`` is unescaped before inline parsing). Inline parsing
    itself is marko's, in linear time (markdown_inline.py)."""

    def parse(self, text: str) -> block.Document:
        """marko's ``Parser.parse`` with a ``_Source`` (marko has no hook for the class)."""
        parser: marko.parser.Parser = self  # type: ignore[assignment]
        source = _Source(text)
        source.parser = parser
        document = typing.cast(block.Document, parser.block_elements["Document"]())
        document.source_span = (0, len(source._buffer))
        with source.under_state(document):
            document.children = parser.parse_source(source)
            parser.parse_inline(document, source)
        return document

    def _parse_inline(self, text: str, source: Source, positions: Sequence[int] | None = None) -> list:
        # a mixin: mypy cannot see the parser class it is mixed into
        parser: marko.parser.Parser = self  # type: ignore[assignment]
        return markdown_inline.parse(text, parser._build_inline_element_list(), parser.inline_elements["RawText"],
                                     source, positions)

    def parse_inline(self, element: block.BlockElement, source: object) -> None:
        if element.inline_body:
            # marko elements have no field for this; read back with getattr in _container
            vars(element)["citelint_positions"] = element._inline_positions
        # a mixin: mypy cannot see that the parser class it is mixed into defines parse_inline
        super().parse_inline(element, source)  # type: ignore[misc]


#: marko's block-quote line prefix is `` {,3}>[^\n\S]?``, and the prefixes of all open
#: quotes are joined into one pattern. The space after a ``>`` may be taken by that
#: optional ``[^\n\S]?`` or by the next level's `` {,3}``, so a line the joined
#: pattern does not match is retried both ways at every level: 2**depth steps (a
#: 28-deep quote took 9 s). The guard in front, "not right after a ``>`` with a
#: space ahead" (one lookahead, so it cannot itself succeed two ways), rules out the
#: second way. Both ways reach the same end, so the pattern matches the same lines at
#: the same ends, once per level. (Python 3.10 has no possessive ``?+``, and marko's
#: indented-code check drops the final ``?`` of the joined prefix to require the
#: space, so the pattern must still end in ``[^\n\S]?``.) Nothing else marko joins
#: before a quote prefix ends in ``>``.
_QUOTE_PREFIX = r"(?!(?<=>)[^\n\S]) {,3}>[^\n\S]?"


class _Quote(block.Quote):
    override = True
    _prefix = _QUOTE_PREFIX


class _Alert(Alert):  # a block quote with a [!NOTE] header: the same prefix
    override = True
    _prefix = _QUOTE_PREFIX


def _tab_tolerant(text: str) -> str:
    """A pattern for ``text`` as marko matches prefixes: on the line with its tabs
    expanded to 4-column stops, where each tab is 1 to 4 spaces."""
    return "".join(" {1,4}" if char == "\t" else re.escape(char) for char in text)


class _FootnoteDef(FootnoteDef):
    """marko keeps the matched ``[^label]:`` and its trailing spaces, escaped, as the
    prefix every line of the definition must start with. But prefixes are matched
    against the line with tabs expanded, so a tab in that text (``[^1]:<TAB>text``)
    never matches: the definition then reads no lines, consumes nothing, and the
    parser matches it again at the same place, forever, appending each time (a 7-byte
    file hung with memory growing). The prefix here matches the expanded line, and a
    definition whose prefix still would not match the line it starts on is refused
    (the line is read as a paragraph), so parsing always moves on."""

    override = True

    def __init__(self, match: re.Match[str]) -> None:
        super().__init__(match)
        self._prefix = " {,3}" + _tab_tolerant(match.group().lstrip(" "))

    @classmethod
    def match(cls, source: Source) -> re.Match[str] | None:
        found = source.expect_re(cls.pattern)
        if found is None:
            return None
        prefix = source.prefix + cls(found)._prefix
        line = source.next_line(require_prefix=False)  # this sets source.match
        source.match = found  # parse() reads the label from source.match
        if source.match_prefix(prefix, line) < 0:
            source.match = None
            return None
        return found


#: The branches of marko's inline HTML pattern that scan lazily for a closing string:
#: a comment, a processing instruction, a declaration, a CDATA section, each with the
#: string it scans for and how far past its start that string may begin.
_LAZY_HTML = (
    (r"<!--(?:>|->|[\s\S]*?-->)", r"<!--(?:>|->)", "-->", 4),
    (r"<\?[\s\S]*?\?>", "(?!)", "?>", 2),
    (r"<![A-Z]+ +[\s\S]*?>", "(?!)", ">", 3),
    (r"<!\[CDATA\[[\s\S]*?\]\]>", "(?!)", "]]>", 9),
)


class _InlineHTML(inline.InlineHTML):
    """marko finds inline HTML with one ``finditer``, whose comment, processing-instruction,
    declaration and CDATA branches scan to the end of the paragraph from every opening that
    no closing string follows: quadratic (``a <!--<!--…``, 40 KB, took 15 s). Once a
    closing string occurs nowhere further on, its branch cannot match, so the pattern
    without it finds the same matches."""

    override = True

    @classmethod
    def find(cls, text: str, *, source: Source) -> Iterator[re.Match[str]]:
        last_closes = [text.rfind(close) for _, _, close, _ in _LAZY_HTML]
        position = text.find("<")  # every branch of the pattern starts with "<"
        while position >= 0:
            closable = tuple(last >= position + skip for last, (_, _, _, skip) in zip(last_closes, _LAZY_HTML, strict=True))
            match = cls._pattern(closable).match(text, position)
            if match is None:
                position = text.find("<", position + 1)
            else:
                yield match
                position = text.find("<", match.end())

    @staticmethod
    @functools.cache
    def _pattern(closable: tuple[bool, ...]) -> re.Pattern[str]:
        """marko's pattern with the branches whose closing string is gone made to fail."""
        source = inline.InlineHTML.pattern.pattern
        for keep, (branch, without, _, _) in zip(closable, _LAZY_HTML, strict=True):
            assert branch in source, branch  # marko's pattern as this was written against
            if not keep:
                source = source.replace(branch, without)
        return re.compile(source)


_EXTENSION = MarkoExtension(
    elements=[_LinkRefDef, _Quote, _Alert, _FootnoteDef, _InlineHTML, markdown_inline.CodeSpan,
              markdown_inline.BareUrl],
    parser_mixins=[_KeepInlinePositions],
)


def read(source: str, path: str) -> Document:
    """Read a Markdown article. Never raises: problems with the input itself go to
    ``Document.problems``."""
    document = Document(path=path, format="markdown", source=source)
    data, keys, body_offset, problems = split_front_matter(source)
    document.front_matter, document.front_matter_keys = data, keys
    document.problems.extend(problems)
    if body_offset:
        front = _Text()
        front.add(source[:body_offset], 0)
        text = front.text()
        document.blocks.append(front.block("front_matter", *front.trimmed(text, 0, len(text))))
    body = source[body_offset:]
    reader = _Reader(source, body_offset, len(document.blocks))
    refusal = _refusal(body, body_offset)
    if refusal is None:
        try:
            with _collector_paused():
                reader.read(_markdown().parse(body))
        except RecursionError:
            refusal = Problem(
                "Markdown nested too deeply to parse; read as plain paragraphs",
                body_offset,
                len(source),
            )
    if refusal is not None:
        # The default code, "malformed-input", is the engine rule that reports it: a
        # code naming no rule would make the fallback silent.
        document.problems.append(refusal)
        reader = _Reader(source, body_offset, len(document.blocks))
        reader.read_plain(body)
    document.blocks.extend(reader.blocks)
    document.links.extend(reader.links)
    document.directives.extend(reader.directives)
    return document


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """marko's tree is a great many small objects, all alive until the reader is done, and
    the cyclic garbage collector's passes over them grow with their number: a 0.9 MB table
    parsed in 11 s with it, 5 s without. What the parse leaves behind is collected later."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _markdown() -> marko.Markdown:
    # A new instance per call: marko.Markdown is not thread-safe, and setup costs ~0.1 ms.
    return marko.Markdown(extensions=["gfm", "footnote", _EXTENSION])


def _refusal(body: str, base: int) -> Problem | None:
    """Why ``body`` must not be given to marko (too large, nested too deeply), if so."""
    if len(body) > MAX_MARKDOWN_CHARS:
        return Problem(
            f"Markdown longer than {MAX_MARKDOWN_CHARS} characters; read as plain paragraphs",
            base,
            base + len(body),
        )
    for match in _CONTAINER_PREFIX.finditer(body):
        if len(match.group()) <= MAX_BLOCK_NESTING:
            continue
        line_match = _LINE.match(body, match.start())
        assert line_match is not None  # _LINE matches anywhere, if only the empty string
        line = line_match.group().rstrip("\r\n")
        if len(_CONTAINER_MARKER.findall(match.group())) > MAX_BLOCK_NESTING and not (
            _THEMATIC_BREAK.fullmatch(line)
        ):
            return Problem(
                f"block quotes or lists nested more than {MAX_BLOCK_NESTING} deep; "
                "read as plain paragraphs",
                base + match.start(),
                base + match.end(),
            )
    if body.count("[") > MAX_BRACKET_NESTING:
        depth = 0
        for match in _BRACKET_TOKEN.finditer(body):
            token = match.group()
            if token == "[":
                depth += 1
                if depth > MAX_BRACKET_NESTING:
                    return Problem(
                        f"brackets nested more than {MAX_BRACKET_NESTING} deep; "
                        "read as plain paragraphs",
                        base + match.start(),
                        base + match.end(),
                            )
            elif token == "]":
                depth = max(depth - 1, 0)
            elif token[0] in "\r\n":  # a blank line ends the paragraph
                depth = 0
    return None


class _Text:
    """A container's visible text as pieces, cut into one or more blocks once the
    whole container has been read (a dateline or per-line chrome splits it)."""

    __slots__ = ("_parts", "_starts", "length", "breaks", "placeholders")

    def __init__(self) -> None:
        #: (text_start, text, src_start, src_end or None when verbatim)
        self._parts: list[tuple[int, str, int, int | None]] = []
        self._starts: list[int] = []  # text_start of each part, for bisection
        self.length = 0
        #: text indices of the spaces standing for line breaks
        self.breaks: list[int] = []
        #: text indices of URL placeholders, which trimming must keep
        self.placeholders: set[int] = set()

    def add(self, text: str, src_start: int) -> None:
        if text:
            self._parts.append((self.length, text, src_start, None))
            self._starts.append(self.length)
            self.length += len(text)

    def add_replaced(self, text: str, src_start: int, src_end: int) -> None:
        if text and src_end > src_start:
            self._parts.append((self.length, text, src_start, src_end))
            self._starts.append(self.length)
            self.length += len(text)

    def text(self) -> str:
        return "".join(part[1] for part in self._parts)

    def trimmed(self, text: str, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` without surrounding whitespace other than URL placeholders."""
        while start < end and text[start].isspace() and start not in self.placeholders:
            start += 1
        while end > start and text[end - 1].isspace() and end - 1 not in self.placeholders:
            end -= 1
        return start, end

    def block(self, kind: str, start: int, end: int) -> Block:
        builder = TextBuilder()
        first = max(bisect.bisect_right(self._starts, start) - 1, 0)
        for index in range(first, len(self._parts)):
            text_start, text, src_start, src_end = self._parts[index]
            if text_start >= end:
                break
            low, high = max(start, text_start), min(end, text_start + len(text))
            piece = text[low - text_start : high - text_start]
            if src_end is None:
                builder.add(piece, src_start + low - text_start)
            else:
                builder.add_replaced(piece, src_start, src_end)
        return Block(kind, builder.text(), builder.map)


@dataclass(slots=True)
class _PendingLink:
    """A link whose block is not known until its container has been cut into blocks."""

    url: str
    kind: str
    offset: int
    end_offset: int
    start: int
    end: int
    text: str | None = None  # shown text when it is not the block text (a URL)


class _Inline:
    """State while reading one container's inline elements."""

    __slots__ = ("out", "positions", "links", "anchor")

    def __init__(self, positions: Sequence[int] | None) -> None:
        self.out = _Text()
        self.positions = positions
        self.links: list[_PendingLink] = []
        self.anchor: tuple[str, int, int] | None = None  # open <a href>: url, text index, offset


class _Reader:
    """Walks marko's tree and collects blocks, links and directives."""

    def __init__(self, source: str, base: int, first_block: int) -> None:
        self.source = source
        self.base = base
        self.first_block = first_block
        self.blocks: list[Block] = []
        self.links: list[Link] = []
        self.directives: list[Directive] = []
        self._seen_paragraph = False
        self._footnote_urls: dict[str, str] = {}
        self._footnotes: dict[str, FootnoteDef] = {}
        body = source[base:]
        # Normalised index of each "\n" that was "\r\n" in the source.
        self._crlf = [m.start() - k for k, m in enumerate(re.finditer("\r\n", body))]

    # -- offsets ---------------------------------------------------------------

    def _orig(self, position: int) -> int:
        """Source offset of marko's (normalised, body-relative) ``position``."""
        if self._crlf:
            position += bisect.bisect_left(self._crlf, position)
        return self.base + position

    def _span(self, element: object) -> tuple[int, int] | None:
        span = getattr(element, "source_span", None)
        if span is None:
            return None
        return self._orig(span[0]), self._orig(span[1])

    # -- blocks ----------------------------------------------------------------

    def read(self, root: block.Document) -> None:
        self._footnotes = getattr(root, "footnotes", {})
        self._blocks(root.children, "paragraph")

    def _blocks(self, elements: Sequence[object], para_kind: str) -> None:
        in_footnote = para_kind == "footnote"
        for element in elements:
            if isinstance(element, (block.Heading, block.SetextHeading)):
                self._container(element, "footnote" if in_footnote else "heading")
            elif isinstance(element, block.Paragraph):
                self._container(element, para_kind)
            elif isinstance(element, Table):
                for row in element.children:
                    assert isinstance(row, TableRow)  # marko types a table's children loosely
                    for cell in row.children:
                        assert isinstance(cell, TableCell)
                        self._container(cell, "footnote" if in_footnote else "table_cell")
            elif isinstance(element, (block.CodeBlock, block.FencedCode)):
                self._raw(element, "code")
            elif isinstance(element, block.HTMLBlock):
                self._raw(element, "html")
            elif isinstance(element, (block.BlankLine, block.ThematicBreak, block.LinkRefDef)):
                continue
            else:  # containers: lists, list items, block quotes and alerts, footnote definitions
                children = getattr(element, "children", None)
                if isinstance(children, list):
                    self._blocks(children, _container_kind(element, para_kind))

    def _raw(self, element: block.BlockElement, kind: str) -> None:
        """Code and HTML blocks: kept verbatim as chrome; HTML comments may be directives."""
        span = self._span(element)
        if span is None:
            return
        start, end = span
        raw = self.source[start:end]
        if kind == "html":
            for low, high in _comments(raw):
                self._directive(raw[low + 4 : high - 3], start + low, start + high)
        out = _Text()
        out.add(raw, start)
        low, high = out.trimmed(raw, 0, len(raw))
        if low < high:
            self.blocks.append(out.block(kind, low, high))

    def _container(self, element: block.BlockElement, kind: str) -> None:
        """A paragraph, heading or table cell: its inline content becomes blocks."""
        family = kind in _PARAGRAPH_FAMILY
        positions = getattr(element, "citelint_positions", None)
        children = list(element.children)
        images, skip = _leading_images(children) if family else ([], 0)
        for image in images:
            alt = _Inline(positions)
            self._inlines(image.children, alt)
            self._emit(alt, "caption", family=False)
        state = _Inline(positions)
        self._inlines(children[skip:], state)
        self._emit(state, kind, family, after_image=bool(images))

    def _emit(self, state: _Inline, kind: str, family: bool, after_image: bool = False) -> None:
        """Cut the container's text into blocks and attach its links to them."""
        out = state.out
        text = out.text()
        start, end = out.trimmed(text, 0, len(text))
        if family:
            segments = self._segments(out, text, start, end, kind, after_image)
        else:
            segments = [(kind, start, end)]
        placed: list[tuple[int, int, int]] = []  # (segment start, trimmed start, trimmed end)
        for segment_kind, low, high in segments:
            trim_low, trim_high = out.trimmed(text, low, high)
            if trim_low >= trim_high:
                continue
            placed.append((low, trim_low, trim_high))
            self.blocks.append(out.block(segment_kind, trim_low, trim_high))
        first_index = self.first_block + len(self.blocks) - len(placed)
        starts = [low for low, _, _ in placed]
        for link in state.links:
            self.links.append(self._place(link, text, placed, starts, first_index))

    def _place(
        self,
        link: _PendingLink,
        text: str,
        placed: list[tuple[int, int, int]],
        starts: list[int],
        first_index: int,
    ) -> Link:
        if not placed:  # the container had no visible text
            shown = link.text or ""
            return Link(link.url, link.kind, link.offset, link.end_offset, None, 0, 0, shown)
        which = max(bisect.bisect_right(starts, link.start) - 1, 0)
        _, low, high = placed[which]
        start = min(max(link.start, low), high)
        end = min(max(link.end, start), high)
        shown = link.text if link.text is not None else text[start:end]
        return Link(
            link.url, link.kind, link.offset, link.end_offset,
            first_index + which, start - low, end - low, shown,
        )

    def _segments(
        self, out: _Text, text: str, start: int, end: int, kind: str, after_image: bool
    ) -> list[tuple[str, int, int]]:
        """Kinds for a paragraph's text: whole-paragraph chrome, one chrome kind per line,
        a caption under an image, or prose with a leading wire dateline split off."""
        if start >= end:
            return []
        chrome = boilerplate.classify_line(text[start:end])
        lines = _lines(out.breaks, start, end)
        if after_image and len(lines) == 1:
            return [(chrome or "caption", start, end)]
        if chrome:
            return [(chrome, start, end)]
        if len(lines) > 1:
            kinds = [line_kind for low, high in lines if (line_kind := boilerplate.classify_line(text[low:high]))]
            if len(kinds) == len(lines):  # every line is chrome
                return [(line_kind, low, high) for line_kind, (low, high) in zip(kinds, lines, strict=True)]
        if kind == "paragraph" and not self._seen_paragraph:
            self._seen_paragraph = True
            cut = boilerplate.dateline_prefix(text[start:end])
            if cut:
                return [("dateline", start, start + cut), ("paragraph", start + cut, end)]
        return [(kind, start, end)]

    # -- inline ----------------------------------------------------------------

    def _inlines(self, elements: Sequence[object], state: _Inline) -> None:
        out = state.out
        for element in elements:
            if isinstance(element, inline.RawText):
                self._raw_text(element, state)
                continue
            span = self._span(element)
            if span is None:
                continue
            if isinstance(element, inline.Literal):
                out.add_replaced(_leaf_text(element), *span)
            elif isinstance(element, inline.LineBreak):
                out.breaks.append(out.length)
                out.add_replaced(" ", *span)
            elif isinstance(element, inline.CodeSpan):
                out.add_replaced(" ", *span)
            elif isinstance(element, inline.InlineHTML):
                self._inline_html(_leaf_text(element), span, state)
            elif isinstance(element, inline.Image):
                continue  # alt text is not paragraph text; leading images become captions
            elif isinstance(element, FootnoteRef):
                url = self._footnote_url(element.label)
                state.links.append(_PendingLink(url, "footnote", *span, out.length, out.length, ""))
            elif isinstance(element, inline.AutoLink):  # includes GFM bare URLs
                kind = "bare" if isinstance(element, Url) else "autolink"
                shown = "".join(_leaf_text(child) for child in element.children)
                out.placeholders.add(out.length)
                state.links.append(
                    _PendingLink(element.dest, kind, *span, out.length, out.length + 1, shown)
                )
                out.add_replaced(" ", *span)
            elif isinstance(element, inline.Link):
                start = out.length
                self._inlines(element.children, state)
                url, kind = html.unescape(element.dest), self._link_kind(element)
                state.links.append(_PendingLink(url, kind, *span, start, out.length))
            elif isinstance(children := getattr(element, "children", None), list):
                self._inlines(children, state)  # emphasis, strikethrough

    def _raw_text(self, element: inline.RawText, state: _Inline) -> None:
        """Plain text: verbatim where it equals the source, entities decoded."""
        text, span = element.children, element.source_span
        if not text or span is None:
            return
        at = self._text_positions(text, span, state.positions)
        if at is None:  # marko kept no positions (not so in 2.2.4): map to the whole span
            state.out.add_replaced(text, self._orig(span[0]), self._orig(span[1]))
            return
        done = 0
        if "&" in text:
            for match in _ENTITY.finditer(text):
                decoded = html.unescape(match.group())
                if decoded == match.group():
                    continue  # not a known entity: plain text
                self._verbatim(text, done, match.start(), at, state.out)
                state.out.add_replaced(
                    decoded, self._orig(at(match.start())), self._orig(at(match.end() - 1) + 1)
                )
                done = match.end()
        self._verbatim(text, done, len(text), at, state.out)

    @staticmethod
    def _text_positions(
        text: str, span: tuple[int, int], positions: Sequence[int] | None
    ) -> Callable[[int], int] | None:
        """Normalised source position of each character of ``text``."""
        start, end = span
        if end - start == len(text):
            return lambda index: start + index
        if positions is None:
            return None
        first = bisect.bisect_left(positions, start)
        return lambda index: positions[first + index]

    def _verbatim(
        self, text: str, low: int, high: int, at: Callable[[int], int], out: _Text
    ) -> None:
        if low >= high:
            return
        start, end = self._orig(at(low)), self._orig(at(high - 1) + 1)
        if end - start == high - low and self.source[start:end] == text[low:high]:
            out.add(text[low:high], start)
            return
        # Characters marko normalised (NUL, lone CR, form feed) or skipped (the "\" of
        # "\|" in a table cell): map each character on its own.
        for index in range(low, high):
            char_start, char_end = self._orig(at(index)), self._orig(at(index) + 1)
            if self.source[char_start:char_end] == text[index]:
                out.add(text[index], char_start)
            else:
                out.add_replaced(text[index], char_start, char_end)

    def _inline_html(self, tag: str, span: tuple[int, int], state: _Inline) -> None:
        """Tags are dropped (``<br>`` reads as a space); ``<a href>`` makes a link and
        comments may be directives."""
        out = state.out
        if tag.startswith("<!--"):
            self._directive(tag[4:-3], *span)
        elif _BR.match(tag):
            out.breaks.append(out.length)
            out.add_replaced(" ", *span)
        elif (anchor := _ANCHOR_OPEN.match(tag)) is not None:
            url = next(group for group in anchor.groups() if group is not None)
            state.anchor = (html.unescape(url), out.length, span[0])
        elif _ANCHOR_CLOSE.match(tag) and state.anchor is not None:
            url, start, offset = state.anchor
            state.links.append(_PendingLink(url, "html", offset, span[1], start, out.length))
            state.anchor = None

    def _directive(self, comment: str, start: int, end: int) -> None:
        if "citelint" in comment.lower():
            self.directives.append(Directive(comment.strip(), start, end))

    def _link_kind(self, link: inline.Link) -> str:
        """``inline`` when the closing bracket is followed by ``(``, else ``reference``
        (``dest_span`` cannot tell: it is None for ``[t]()`` as for ``[t][ref]``)."""
        closing = link.syntax_spans[-1][0] if link.syntax_spans else None
        if closing is not None and self.source.startswith("](", self._orig(closing)):
            return "inline"
        return "reference"

    def _footnote_url(self, label: str) -> str:
        """The first URL in the footnote's definition, else an anchor to it."""
        if label not in self._footnote_urls:
            definition = self._footnotes.get(label)
            found = _first_url(definition.children) if definition is not None else None
            self._footnote_urls[label] = found or f"#fn:{label}"
        return self._footnote_urls[label]

    # -- fallback --------------------------------------------------------------

    def read_plain(self, body: str) -> None:
        """Paragraphs separated by blank lines, with no Markdown parsing at all; links
        (``[text](url)``, ``<url>``, bare URLs) are still found, line by line."""
        out, previous_end = _Text(), 0
        links: list[_PendingLink] = []
        for match in _LINE.finditer(body):
            line = match.group()
            if not line:
                break
            content = line.rstrip("\r\n")
            stripped = content.strip()
            start = self.base + match.start() + len(content) - len(content.lstrip())
            if not stripped:
                self._flush_plain(out, links)
                out, links = _Text(), []
                continue
            if out.length:
                out.breaks.append(out.length)
                out.add_replaced(" ", previous_end, start)
            links.extend(_plain_links(stripped, out.length, start))
            out.add(stripped, start)
            previous_end = start + len(stripped)
        self._flush_plain(out, links)

    def _flush_plain(self, out: _Text, links: list[_PendingLink]) -> None:
        if out.length:
            index = self.first_block + len(self.blocks)
            self.blocks.append(out.block("paragraph", 0, out.length))
            self.links.extend(Link(link.url, link.kind, link.offset, link.end_offset, index, link.start, link.end,
                                   link.text or "") for link in links)


#: Links in text read without Markdown parsing. Each part stops at a bracket, parenthesis,
#: quote or space, so no attempt reads far past where the next one starts.
_PLAIN_INLINE_LINK = re.compile(
    r"\[([^\[\]]*)\]\(\s*<?([^\s()<>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_PLAIN_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+)>")


def _plain_links(line: str, text_start: int, source_start: int) -> list[_PendingLink]:
    """The links of one line of the plain fallback: ``line`` starts at ``text_start`` in
    its block's text and at ``source_start`` in the file."""
    found: list[_PendingLink] = []
    starts: list[int] = []  # the spans taken so far, sorted; they never overlap, so their
    ends: list[int] = []  # ends are sorted too
    for pattern, kind, group in ((_PLAIN_INLINE_LINK, "inline", 2), (_PLAIN_AUTOLINK, "autolink", 1),
                                 (plaintext.URL, "bare", 0)):
        for match in pattern.finditer(line):
            before = bisect.bisect_left(starts, match.end())
            if before and ends[before - 1] > match.start():
                continue  # a URL inside a link found already
            starts.insert(before, match.start())
            ends.insert(before, match.end())
            shown_start, shown_end = match.span(1 if kind != "bare" else 0)
            found.append(_PendingLink(
                html.unescape(match.group(group)), kind, source_start + match.start(), source_start + match.end(),
                text_start + shown_start, text_start + shown_end, line[shown_start:shown_end],
            ))
    return sorted(found, key=lambda link: link.offset)


def _comments(raw: str) -> list[tuple[int, int]]:
    """Spans of the ``<!-- … -->`` comments in ``raw``, found as the pattern
    ``<!--[\\s\\S]*?-->`` would find them. That pattern scans to the end of the text
    from every ``<!--`` of an unclosed run, which is quadratic (100 KB of ``<!--``
    took 30 s); once no ``-->`` follows one ``<!--``, none follows any later one."""
    spans = []
    position = raw.find("<!--")
    while position >= 0:
        close = raw.find("-->", position + 4)
        if close < 0:
            break
        spans.append((position, close + 3))
        position = raw.find("<!--", close + 3)
    return spans


def _container_kind(element: object, para_kind: str) -> str:
    """Kind of the paragraphs inside ``element``: the innermost container decides,
    except that everything inside a footnote definition is footnote text."""
    if para_kind == "footnote" or isinstance(element, FootnoteDef):
        return "footnote"
    if isinstance(element, block.Quote):
        return "blockquote"
    if isinstance(element, block.ListItem):
        return "list_item"
    return para_kind


def _leaf_text(element: object) -> str:
    """The text of a marko leaf element (raw text, literal, inline HTML): marko types
    ``children`` as text or elements, and for these it is always text."""
    assert isinstance(element, inline.InlineElement) and isinstance(element.children, str), element
    return element.children


def _leading_images(children: Sequence[object]) -> tuple[list[inline.Image], int]:
    """Images a paragraph starts with (whitespace between them allowed), and how many
    children they and that whitespace take up."""
    images: list[inline.Image] = []
    taken = 0
    for index, child in enumerate(children):
        if isinstance(child, inline.Image):
            images.append(child)
            taken = index + 1
        elif not (
            isinstance(child, inline.LineBreak)
            or (isinstance(child, inline.RawText) and not child.children.strip())
        ):
            break
    return images, taken


def _lines(breaks: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """Text ranges of the lines in ``[start, end)``, split at line-break spaces."""
    lines, low = [], start
    for point in breaks:
        if start <= point < end:
            lines.append((low, point))
            low = point + 1
    lines.append((low, end))
    return [(low, high) for low, high in lines if low < high]


def _first_url(elements: Sequence[object]) -> str | None:
    for element in elements:
        if isinstance(element, (inline.Link, inline.AutoLink)) and element.dest:
            return html.unescape(element.dest) if isinstance(element, inline.Link) else element.dest
        children = getattr(element, "children", None)
        if isinstance(children, list):
            found = _first_url(children)
            if found:
                return found
    return None
