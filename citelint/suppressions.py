"""Inline suppressions: ``<!-- citelint-disable-next-line RULE -- reason -->`` and friends.

Forms: ``citelint-disable-next-line``, ``citelint-disable`` … ``citelint-enable`` (a
range), ``citelint-disable-file``, and ``citelint: {disable: [...]}`` in front matter.
Rules are named by code or name; no rule means every rule. A directive naming an
unknown rule, lacking a required reason, or suppressing nothing is itself reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from citelint.config import ActiveRule
from citelint.diagnostics import Diagnostic, LineIndex
from citelint.document.model import Document

if TYPE_CHECKING:
    from citelint.engine import Linter

#: Readers hand over the comment's inner text; the ``<!--``/``-->`` are accepted too.
#: The rest of a directive, ``(.*?)(?:--\s*(.*?))?\s*(?:-->)?\s*$`` as one pattern,
#: retried its ``\s*`` runs at every character: cubic over whitespace (10 KB of
#: spaces took over a minute). :func:`_match_directive` reads that part in one pass.
_DIRECTIVE_HEAD = re.compile(r"\s*(?:<!--\s*)?citelint-(disable-next-line|disable-file|disable|enable)\b")


def _match_directive(text: str) -> tuple[str, str, str | None] | None:
    r"""``(verb, rule names, reason or None)`` of a directive, else None; the same
    groups as ``^\s*(?:<!--)?\s*citelint-(VERB)\b(.*?)(?:--\s*(.*?))?\s*(?:-->)?\s*$``
    with DOTALL, in linear time."""
    head = _DIRECTIVE_HEAD.match(text)
    if head is None:
        return None
    tail = text[head.end() :]
    # Where the text may end: trailing whitespace, or a last "-->" and the whitespace
    # around it. ``ends`` is the first such place; with a "-->", the places inside it
    # cannot end the text, so a reason starting there runs on past it.
    content = len(tail.rstrip())
    arrow = content - 3 if tail[:content].endswith("-->") else -1
    ends = len(tail[:arrow].rstrip()) if arrow >= 0 else content
    dashes = tail.find("--")
    if dashes < 0 or dashes > ends:
        return head.group(1), tail[:ends], None
    start = dashes + 2
    start += len(tail[start:]) - len(tail[start:].lstrip())
    if start <= arrow:
        end = max(start, ends)
    elif start < content:
        end = content
    else:
        end = start
    return head.group(1), tail[:dashes], tail[start:end]


@dataclass
class _Suppression:
    kind: str  # next-line | file | range
    rules: tuple[str, ...]  # rule codes; empty = every rule
    offset: int
    end_offset: int
    start_line: int = 0
    end_line: int = 10**9
    used: bool = False
    #: codes named in the directive that are active in this run (for "unused")
    checked: tuple[str, ...] = field(default_factory=tuple)

    def covers(self, diagnostic: Diagnostic) -> bool:
        if self.rules and diagnostic.code not in self.rules:
            return False
        return self.start_line <= diagnostic.line <= self.end_line


def apply_suppressions(
    document: Document,
    diagnostics: list[Diagnostic],
    active: list[ActiveRule],
    linter: Linter,
    lines: LineIndex,
) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add diagnostics about the directives themselves."""
    source = document.source
    problems: list[Diagnostic] = []
    settings = linter.config.suppressions
    require_reason = bool(settings.get("require-reason", False))
    report_unused = bool(settings.get("report-unused", True))
    active_codes = {item.rule.code for item in active}

    def problem(name: str, offset: int, end_offset: int, detail: str) -> None:
        diagnostic = linter.engine_diagnostic(active, name, document.path, lines, source, offset, end_offset,
                                              {"detail": detail})
        if diagnostic is not None:
            problems.append(diagnostic)

    def resolve(names: list[str], offset: int, end_offset: int) -> tuple[str, ...] | None:
        codes: list[str] = []
        for name in names:
            rules = linter.index.resolve(name)
            if not rules:
                problem("bad-suppression", offset, end_offset, linter.index.unknown(name))
                return None
            codes.extend(rule.code for rule in rules)
        return tuple(codes)

    suppressions: list[_Suppression] = []
    open_ranges: dict[tuple[str, ...], _Suppression] = {}
    for directive in document.directives:
        match = _match_directive(directive.text)
        if match is None:
            if "citelint-" in directive.text:
                problem("bad-suppression", directive.offset, directive.end_offset,
                        "not a citelint directive (use citelint-disable-next-line, citelint-disable, "
                        "citelint-enable or citelint-disable-file)")
            continue
        verb, names_text, reason = match[0], match[1], (match[2] or "").strip()
        names = [name for name in re.split(r"[\s,]+", names_text.strip()) if name]
        codes = resolve(names, directive.offset, directive.end_offset)
        if codes is None:
            continue
        if require_reason and verb != "enable" and not reason:
            problem("bad-suppression", directive.offset, directive.end_offset,
                    "a reason is required: add ' -- why' before '-->'")
        start_line, _ = lines.position(directive.offset)
        end_line, _ = lines.position(directive.end_offset)
        if verb == "enable":
            for key in list(open_ranges):
                if not codes or set(codes) & set(key) or not key:
                    opened = open_ranges.pop(key)
                    opened.end_line = end_line
            continue
        suppression = _Suppression(verb, codes, directive.offset, directive.end_offset)
        if verb == "disable-next-line":
            target = _next_content_line(source, directive.end_offset, lines)
            suppression.start_line = suppression.end_line = target
        elif verb == "disable":
            suppression.start_line = end_line
            open_ranges[codes] = suppression
        else:
            suppression.kind = "file"
            suppression.start_line = 0
        suppression.checked = tuple(code for code in codes if code in active_codes) if codes else tuple(active_codes)
        suppressions.append(suppression)
    suppressions.extend(_front_matter_suppressions(document, resolve))

    kept = []
    for diagnostic in diagnostics:
        covering = [s for s in suppressions if s.covers(diagnostic)]
        for suppression in covering:
            suppression.used = True
        if not covering:
            kept.append(diagnostic)
    if report_unused:
        for suppression in suppressions:
            if not suppression.used and suppression.checked and suppression.kind != "front-matter":
                problem("unused-suppression", suppression.offset, suppression.end_offset,
                        "this directive suppresses nothing: remove it")
    return kept + problems


def _next_content_line(source: str, offset: int, lines: LineIndex) -> int:
    """The line of the first non-blank character after ``offset``."""
    index = offset
    while index < len(source) and source[index].isspace():
        index += 1
    return lines.position(index)[0]


def _front_matter_suppressions(document: Document, resolve) -> list[_Suppression]:
    data = document.front_matter or {}
    settings = data.get("citelint") if isinstance(data, dict) else None
    if not isinstance(settings, dict):
        return []
    names = settings.get("disable", [])
    if isinstance(names, str):
        names = [names]
    offset, end_offset = document.front_matter_keys.get("citelint", (0, 0))
    codes = resolve([str(name) for name in names if name], offset, end_offset)
    if codes is None:
        return []
    return [_Suppression("front-matter", codes, offset, end_offset, 0)]
