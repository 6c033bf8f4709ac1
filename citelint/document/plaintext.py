"""Plain-text reader: paragraphs by blank lines, chrome recognised line by line.

Paragraphs end at blank lines, or where an indented line follows an unindented one.
Plain text has no markup to say what is a caption or a byline, so each line at the edge
of a paragraph is asked whether it is chrome (``boilerplate.classify_line``), and the
file's first line is its headline when it reads like one. A line that is only a
``<!-- citelint-… -->`` comment is a suppression directive, as in Markdown.
"""

from __future__ import annotations

import re

from citelint.document.boilerplate import classify_line, dateline_prefix
from citelint.document.model import Block, Directive, Document, Link, TextBuilder

_CITELINT = re.compile(r"\bcitelint-")
#: A blank line, or a line indented after an unindented one (wire copy marks paragraphs so).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v\r]*\n\s*|(?<=[^\s])\r?\n(?:[ ]{2,}|\t)(?=\S)")
_LINE = re.compile(r"[^\n]*\n?")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'“”‘’]+[^\s<>\"'“”‘’.,;:!?)\]]")
_TERMINAL = tuple(".!?:;…,")
_CLOSERS = "\"'”’)"
_MAX_HEADING_WORDS = 20


def read(source: str, path: str) -> Document:
    doc = Document(path=path, format="text", source=source)
    for start, end in _paragraphs(source):
        _add_paragraph(doc, start, end, first=not doc.blocks)
    return doc


def _paragraphs(source: str):
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(source):
        yield position, match.start()
        position = match.end()
    yield position, len(source)


def _lines(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the non-blank lines in ``source[start:end]``, without line endings."""
    spans = []
    for match in _LINE.finditer(source, start, end):
        line_start, line_end = match.start(), match.end()
        while line_end > line_start and source[line_end - 1] in "\r\n":
            line_end -= 1
        if source[line_start:line_end].strip():
            spans.append((line_start, line_end))
        if match.end() >= end:
            break
    return spans


def _add_paragraph(doc: Document, start: int, end: int, first: bool) -> None:
    lines = []
    for line_start, line_end in _lines(doc.source, start, end):
        line = doc.source[line_start:line_end]
        if _is_directive_line(line):  # suppression comments work in plain text too
            doc.directives.append(Directive(line.strip(), line_start + len(line) - len(line.lstrip()),
                                            line_start + len(line.rstrip())))
        else:
            lines.append((line_start, line_end))
    # Peel chrome lines (a caption, then its credit) off both edges of the paragraph.
    head: list[tuple[str, int, int]] = []
    while lines and (kind := classify_line(doc.source[lines[0][0] : lines[0][1]])):
        head.append((kind, *lines.pop(0)))
    tail: list[tuple[str, int, int]] = []
    while lines and (kind := classify_line(doc.source[lines[-1][0] : lines[-1][1]])):
        tail.insert(0, (kind, *lines.pop()))
    for kind, line_start, line_end in head:
        _add_block(doc, kind, [(line_start, line_end)])
    if lines:
        line = doc.source[lines[0][0] : lines[0][1]]
        if not head and len(lines) == 1 and ((first and _looks_like_title(line)) or _in_title_case(line)):
            _add_block(doc, "heading", lines)
        else:
            prefix = dateline_prefix(doc.source[lines[0][0] : lines[0][1]])
            if prefix:
                _add_block(doc, "dateline", [(lines[0][0], lines[0][0] + prefix)])
                lines[0] = (lines[0][0] + prefix, lines[0][1])
            _add_block(doc, "paragraph", lines)
    for kind, line_start, line_end in tail:
        _add_block(doc, kind, [(line_start, line_end)])


def _is_directive_line(line: str) -> bool:
    """Whether ``line`` (no line break) is ``^\\s*<!--.*\\bcitelint-.*-->\\s*$``. As one
    pattern it retried the scan to ``-->`` from every ``citelint-`` on the line
    (quadratic); here the comment's ends are checked, then one search between them."""
    inner = line.strip()
    if not (inner.startswith("<!--") and inner.endswith("-->")):
        return False
    return _CITELINT.search(inner, 4, len(inner) - 3) is not None


def _looks_like_title(line: str) -> bool:
    """A short line that does not end a sentence. A headline may end in a quoted phrase
    ("Rover deal 'may cost 2,000 jobs'"): what ends it is what stands before the closing marks."""
    stripped = line.strip()
    return (bool(stripped) and not stripped.rstrip(_CLOSERS).endswith(_TERMINAL)
            and len(stripped.split()) <= _MAX_HEADING_WORDS)


def _in_title_case(line: str) -> bool:
    """A line of its own whose words are nearly all capitalised ("Judge Gives Council Its Worst
    News Yet"): a headline or subheading, wherever it stands, not a sentence of prose."""
    words = [word for word in line.split() if len(word) >= 4 and word[0].isalpha()]
    if len(words) < 4:
        return False
    capitalised = len([word for word in words if word[0].isupper()])  # a list: cheaper than a generator per word
    return capitalised >= 0.8 * len(words)


def _add_block(doc: Document, kind: str, lines: list[tuple[int, int]]) -> None:
    """Join the lines with single spaces; bare URLs become links, not prose."""
    builder = TextBuilder()
    source = doc.source
    block_index = len(doc.blocks)
    for number, (line_start, line_end) in enumerate(lines):
        # Leading and trailing spaces of a line do not belong to the block text.
        while line_start < line_end and source[line_start].isspace():
            line_start += 1
        while line_end > line_start and source[line_end - 1].isspace():
            line_end -= 1
        if number:
            previous_end = lines[number - 1][1]
            builder.add_replaced(" ", previous_end, line_start)
        position = line_start
        for url in URL.finditer(source, line_start, line_end):
            builder.add(source[position : url.start()], position)
            link_start = builder.length
            builder.add_replaced(" ", url.start(), url.end())
            doc.links.append(
                Link(
                    url=url.group(0) if "://" in url.group(0) else "http://" + url.group(0),
                    kind="bare",
                    offset=url.start(),
                    end_offset=url.end(),
                    block=block_index,
                    start=link_start,
                    end=link_start + 1,
                    text=url.group(0),
                )
            )
            position = url.end()
        builder.add(source[position:line_end], position)
    text = builder.text()
    if text.strip():
        doc.blocks.append(Block(kind=kind, text=text, map=builder.map))
