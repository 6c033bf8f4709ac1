"""Diagnostics: findings placed in a file. Line and column are computed here, once."""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from dataclasses import dataclass, fields
from typing import Any

SEVERITIES = ("info", "warning", "error")
LEVELS = (*SEVERITIES, "off")
_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def severity_rank(severity: str) -> int:
    return _RANK[severity]


def closest_match(word: str, candidates: list[str], cutoff: float = 0.6) -> str | None:
    """The candidate ``word`` most likely misspells, for a "did you mean" hint (``difflib`` is
    imported here: only a misspelt name needs it)."""
    import difflib

    close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
    return close[0] if close else None


class LineIndex:
    """Offset -> (line, column), both 1-based, columns in code points.

    Line breaks are LF, CRLF and lone CR, as editors count them.
    """

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        self._starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


@dataclass(slots=True)
class Diagnostic:
    """One finding as the formatters print it."""

    path: str
    code: str
    rule: str
    severity: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int
    #: stable identity for baselines and SARIF: rule + normalised finding text + its context
    fingerprint: str = ""
    #: how likely an editor is to agree (0-1): the verdict scorer's, 1.0 for unscored rules
    confidence: float = 1.0
    #: the analysis strategy that decided (``citelint inspect`` shows it with the verdict)
    reason: str = ""

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.end_offset)

    def to_json(self) -> dict[str, Any]:
        # Field by field, not dataclasses.asdict: that deep-copies, and reports can be large.
        return {name: getattr(self, name) for name in _DIAGNOSTIC_FIELDS}


_DIAGNOSTIC_FIELDS = tuple(f.name for f in fields(Diagnostic))


#: A finding's text or context longer than this (far longer than a sentence of prose) enters
#: its fingerprint by its own digest, computed once: findings of one run-on "sentence" share it
#: as their context, and hashing it whole for each of them made the work quadratic.
_DIGESTED_TEXT = 10_000


def fingerprint(rule: str, finding_text: str, context: str) -> str:
    """Hash of what was found and where in the prose, not of line numbers, so edits
    elsewhere in the file leave it unchanged."""
    normal = _hashed_part(finding_text) + "\x00" + _hashed_part(context)
    return hashlib.sha256(f"{rule}\x00{normal}".encode()).hexdigest()[:32]


def _hashed_part(text: str) -> str:
    normal = _normalised(text)
    return normal if len(normal) <= _DIGESTED_TEXT else _digest(normal)


@functools.lru_cache(maxsize=64)
def _normalised(text: str) -> str:
    """``text`` with its whitespace collapsed, in lower case. Remembered: the findings of one
    sentence share its text as their context, which a run-on sentence makes very long."""
    return " ".join(text.split()).lower()


@functools.lru_cache(maxsize=64)
def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Notice:
    """Something worth saying that has no position: a skipped file, offline link checking."""

    message: str
    path: str | None = None
    kind: str = "info"

    def to_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "message": self.message}
        if self.path is not None:
            data["path"] = self.path
        return data
