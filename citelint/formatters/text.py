"""Reports people triage at a glance, in the style of ruff and rustc.

``text`` (the default) gives each finding a header, ``path:line:col: CODE [severity] message``,
then its source line with the finding's span underlined; ``concise`` gives the header alone, one
line per finding. Both end with the notices and a summary. ``--statistics`` shows counts per rule
instead of the findings. Colour follows NO_COLOR and FORCE_COLOR, and is otherwise used only on a
terminal.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TextIO

from citelint.diagnostics import Diagnostic
from citelint.formatters import RunResult

#: A long source line (Markdown often keeps a paragraph on one line) is quoted as a window of at
#: most this many code points around the span, so the underline stays under it on a terminal.
WINDOW = 100
#: How much of the line before the span the window shows, at most.
LEAD = 24
#: A window's edge moves up to this far to fall between words rather than inside one.
WORD_SNAP = 12
ELLIPSIS = "…"

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_GUTTER = "\x1b[1;34m"
_SEVERITY_STYLES = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;36m"}

# Control characters from an article must not reach a terminal (an escape sequence could rewrite
# the screen; a bidi override could reorder what is shown). Each becomes one visible code point,
# so columns still line up: C0 controls their Unicode "control pictures", the rest U+FFFD.
_VISIBLE = str.maketrans(
    {code: 0x2400 + code for code in range(0x20) if code != 0x09}
    | {0x7F: 0x2421}
    | {code: 0xFFFD for code in (*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
)


def wants_colour(stream: TextIO) -> bool:
    """Colour for ``stream``: never with NO_COLOR (no-color.org), always with FORCE_COLOR
    (force-color.org), otherwise only on a terminal that is not 'dumb'."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return os.environ.get("TERM") != "dumb" and callable(isatty) and bool(isatty())


def render(result: RunResult, statistics: bool = False, quiet: bool = False, show_confidence: bool = False,
           concise: bool = False, colour: bool = False, **_: object) -> str:
    paint = _Painter(colour)
    if statistics:
        lines = _statistics(result.diagnostics)
    else:
        lines = []
        for diagnostic in result.diagnostics:
            lines.append(_header(diagnostic, show_confidence, paint))
            if not concise:
                quoted = result.source_lines.get(diagnostic.path, {}).get(diagnostic.line)
                lines.extend(_snippet(diagnostic, quoted, paint))
    if not quiet:
        for notice in result.notices:
            kind = paint(notice.kind, _SEVERITY_STYLES.get(notice.kind, ""))
            lines.append(f"{notice.path + ': ' if notice.path else ''}{kind}: {notice.message}")
        lines.append(paint(result.summary(), _BOLD))
    return "\n".join(lines) + "\n" if lines else ""


class _Painter:
    """Wraps text in an ANSI style when colour is on; leaves it as it is when off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if self.enabled and style and text else text


def _header(diagnostic: Diagnostic, show_confidence: bool, paint: _Painter) -> str:
    style = _SEVERITY_STYLES[diagnostic.severity]
    place = f"{paint(diagnostic.path, _BOLD)}:{diagnostic.line}:{diagnostic.column}:"
    label = paint(f"{diagnostic.code} [{diagnostic.severity}]", style)
    confidence = f" (confidence {diagnostic.confidence:.2f})" if show_confidence else ""
    return f"{place} {label} {diagnostic.message.translate(_VISIBLE)}{confidence}"


def _snippet(diagnostic: Diagnostic, line: str | None, paint: _Painter) -> list[str]:
    """The finding's source line under a numbered gutter, its span underlined and labelled with the
    rule's name (the name a suppression comment uses); then a blank line. A span that runs on past
    its first line is underlined to that line's end."""
    if line is None or not line.strip():
        return [""]
    start = min(diagnostic.column - 1, len(line))
    end = diagnostic.end_column - 1 if diagnostic.end_line == diagnostic.line else len(line)
    shown, start, end = _excerpt(line.translate(_VISIBLE), start, max(start, end))
    number = str(diagnostic.line)
    gutter = paint(" " * len(number) + " |", _GUTTER)
    # Pad with the line's own tabs so the carets sit under the span however wide a tab is shown.
    indent = "".join("\t" if char == "\t" else " " for char in shown[:start])
    carets = paint("^" * max(1, end - start) + " " + diagnostic.rule, _SEVERITY_STYLES[diagnostic.severity])
    return [gutter, f"{paint(number + ' |', _GUTTER)} {shown}", f"{gutter} {indent}{carets}", ""]


def _excerpt(line: str, start: int, end: int) -> tuple[str, int, int]:
    """The part of ``line`` to quote, and the span's start and end in it (code points)."""
    if len(line) <= WINDOW:
        return line, start, end
    left = max(0, min(start - LEAD, len(line) - WINDOW))
    right = min(len(line), left + WINDOW)
    if left > 0:
        space = line.find(" ", left, min(start, left + WORD_SNAP))
        if space != -1:
            left = space + 1
            while left < start and line[left] == " ":  # past the whole gap, indentation included
                left += 1
    if right < len(line):
        space = line.rfind(" ", max(end, right - WORD_SNAP), right)
        right = right if space == -1 else space
    head = ELLIPSIS if line[:left].strip() else ""
    tail = ELLIPSIS if right < len(line) else ""
    shift = len(head) - left
    return head + line[left:right] + tail, start + shift, min(end, right) + shift


def _statistics(diagnostics: list[Diagnostic]) -> list[str]:
    """One line per rule: how many findings, the most first (ties by code)."""
    counts = Counter((d.code, d.rule) for d in diagnostics)
    if not counts:
        return []
    width = max(len(str(count)) for count in counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [f"{count:>{width}}  {code} [{rule}]" for (code, rule), count in ranked]
