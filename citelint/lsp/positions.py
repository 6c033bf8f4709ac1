"""Code-point offsets <-> LSP positions.

citelint places findings by code-point offsets into the decoded text; LSP counts lines from 0
and characters in the code units of the negotiated encoding (UTF-16 unless the client offers
another), so a character outside the Basic Multilingual Plane is two UTF-16 units. Both count
line breaks the same way: LF, CRLF and a lone CR.
"""

from __future__ import annotations

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _units(text: str, encoding: str) -> int:
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


class PositionMap:
    """Converts between offsets and ``(line, character)`` for one text in one encoding."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self._starts = [0]
        #: where each line's content ends (before its break)
        self._ends = []
        for match in _LINE_BREAK.finditer(text):
            self._ends.append(match.start())
            self._starts.append(match.end())
        self._ends.append(len(text))

    def position(self, offset: int) -> tuple[int, int]:
        """The 0-based line and character of ``offset`` (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        return line, _units(self.text[start : min(offset, self._ends[line])], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset of a position; past the end of a line means its end, as LSP says."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self.text)
        index, end = self._starts[line], self._ends[line]
        counted = 0
        while index < end and counted < character:
            counted += _units(self.text[index], self.encoding)
            index += 1
        return index
