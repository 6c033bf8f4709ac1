"""Inline suppressions: ``<!-- citelint-disable-next-line RULE -- reason -->`` and friends.

Forms: ``citelint-disable-line`` (the line the comment is on), ``citelint-disable-next-line``,
``citelint-disable`` … ``citelint-enable`` (a range), ``citelint-disable-file``, and
``citelint: {disable: [...], reason: ...}`` in front matter. Rules are named by code,
name or group; a directive naming no rule covers every rule. A directive or front-matter
entry naming an unknown rule, lacking a required reason, or suppressing nothing is itself
reported; the other rules it names still apply.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citelint.config import ActiveRule
from citelint.diagnostics import Diagnostic, LineIndex, closest_match
from citelint.document.frontmatter import KeyPath, read_front_matter
from citelint.document.model import Document

if TYPE_CHECKING:
    from citelint.engine import Linter

#: Readers hand over the comment's inner text; the ``<!--``/``-->`` are accepted too.
#: The rest of a directive, ``(.*?)(?:--\s*(.*?))?\s*(?:-->)?\s*$`` as one pattern,
#: retried its ``\s*`` runs at every character: cubic over whitespace (10 KB of
#: spaces took over a minute). :func:`_match_directive` reads that part in one pass.
#: A verb ends at a space, a ``--`` or the end: ``disable-line`` is not ``disable`` + ``-line``.
_DIRECTIVE_HEAD = re.compile(
    r"\s*(?:<!--\s*)?citelint-(disable-next-line|disable-line|disable-file|disable|enable)(?!\w|-(?!-))"
)
_DIRECTIVE_FORMS = "citelint-disable-line, citelint-disable-next-line, citelint-disable, citelint-enable or citelint-disable-file"
#: Keys of the front-matter ``citelint:`` mapping.
_FRONT_MATTER_KEYS = ("disable", "reason")


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
    """One suppression comment or front-matter entry, and whether it suppressed anything."""

    kind: str  # disable-line | disable-next-line | disable (a range) | file | front-matter
    rules: tuple[str, ...]  # rule codes; empty = every rule
    offset: int
    end_offset: int
    start_line: int = 0
    end_line: int = 10**9
    used: bool = False



def apply_suppressions(
    document: Document,
    diagnostics: list[Diagnostic],
    active: list[ActiveRule],
    linter: Linter,
    lines: LineIndex,
    hidden: list[Diagnostic] | None = None,
) -> list[Diagnostic]:
    """Drop suppressed diagnostics (into ``hidden`` when given, for reports that show them as
    suppressed); add diagnostics about the directives themselves."""
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
        """Codes of the rules named; an unknown name is reported and left out. None when
        no name is known (no name at all, the empty tuple, means every rule)."""
        codes: list[str] = []
        for name in names:
            rules = linter.index.resolve(name)
            if not rules:
                problem("bad-suppression", offset, end_offset, linter.index.unknown(name))
            codes.extend(rule.code for rule in rules)
        return tuple(codes) if codes or not names else None

    suppressions: list[_Suppression] = []
    open_ranges: dict[tuple[str, ...], _Suppression] = {}
    for directive in document.directives:
        match = _match_directive(directive.text)
        if match is None:
            if "citelint-" in directive.text:
                problem("bad-suppression", directive.offset, directive.end_offset,
                        f"not a citelint directive (use {_DIRECTIVE_FORMS})")
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
        elif verb == "disable-line":
            suppression.start_line, suppression.end_line = start_line, end_line
        elif verb == "disable":
            if codes in open_ranges:
                # Already disabled: this directive spans nothing (and is reported unused); the
                # range already open is the one the next enable closes.
                suppression.start_line, suppression.end_line = end_line, end_line - 1
            else:
                suppression.start_line = end_line
                open_ranges[codes] = suppression
        else:
            suppression.kind = "file"
            suppression.start_line = 0
        suppressions.append(suppression)
    suppressions.extend(_front_matter_suppressions(document, resolve, problem, require_reason))

    kept = []
    for diagnostic, suppressed in zip(diagnostics, _suppressed(suppressions, diagnostics), strict=True):
        if not suppressed:
            kept.append(diagnostic)
        elif hidden is not None:
            hidden.append(diagnostic)
    if report_unused:
        for suppression in suppressions:
            # Only rules selected in this run count: the others could not have been found.
            checked = active_codes.intersection(suppression.rules) if suppression.rules else active_codes
            if not suppression.used and checked:
                what = "front-matter disable" if suppression.kind == "front-matter" else "directive"
                problem("unused-suppression", suppression.offset, suppression.end_offset,
                        f"this {what} suppresses nothing: remove it")
    return kept + problems


def _suppressed(suppressions: list[_Suppression], diagnostics: list[Diagnostic]) -> list[bool]:
    """Whether each diagnostic is suppressed (a suppression naming its rule, or every rule,
    spans its line), marking each suppression that spans one as used. By binary searches in
    the lines per rule, not by testing every suppression against every diagnostic: a file of
    thousands of directives and findings made that quadratic."""
    lines: dict[str | None, list[int]] = {None: sorted(diagnostic.line for diagnostic in diagnostics)}
    for diagnostic in diagnostics:
        lines.setdefault(diagnostic.code, []).append(diagnostic.line)
    for found in lines.values():
        found.sort()
    spans: dict[str | None, list[tuple[int, int]]] = {}  # rule code (None: every rule) -> line spans
    for suppression in suppressions:
        for code in suppression.rules or (None,):
            found = lines.get(code, [])
            first = bisect.bisect_left(found, suppression.start_line)
            if first < len(found) and found[first] <= suppression.end_line:
                suppression.used = True
            spans.setdefault(code, []).append((suppression.start_line, suppression.end_line))
    # Per code: the spans by start, with the furthest end reached so far.
    reach: dict[str | None, tuple[list[int], list[int]]] = {}
    for code, ranges in spans.items():
        ranges.sort()
        furthest = list(itertools.accumulate((end for _, end in ranges), max))
        reach[code] = ([start for start, _ in ranges], furthest)

    def spanned(code: str | None, line: int) -> bool:
        starts, furthest = reach.get(code, ([], []))
        started = bisect.bisect_right(starts, line)
        return started > 0 and furthest[started - 1] >= line

    return [spanned(diagnostic.code, diagnostic.line) or spanned(None, diagnostic.line) for diagnostic in diagnostics]


def _next_content_line(source: str, offset: int, lines: LineIndex) -> int:
    """The line of the first non-blank character after ``offset``."""
    index = offset
    while index < len(source) and source[index].isspace():
        index += 1
    return lines.position(index)[0]


def _front_matter_suppressions(
    document: Document,
    resolve: Callable[[list[str], int, int], tuple[str, ...] | None],
    problem: Callable[[str, int, int, str], None],
    require_reason: bool,
) -> list[_Suppression]:
    """One file-wide suppression per ``citelint.disable`` entry, each at its own place in
    the front matter, so a typo or an unused entry is reported alone and the others apply."""
    data = document.front_matter or {}
    settings = data.get("citelint")
    if settings is None:
        return []
    # The Document keeps the spans of top-level keys; the entries' are read again here.
    spans = read_front_matter(document.source).spans
    where = spans.get(("citelint",), (0, 0))

    def at(*path: str | int) -> tuple[int, int]:
        return spans.get(("citelint", *path), where)

    if not isinstance(settings, dict):
        problem("bad-suppression", *where,
                "front-matter 'citelint' should be a mapping such as {disable: [unsourced-figure]}")
        return []
    for key in settings:
        if key not in _FRONT_MATTER_KEYS:
            close = closest_match(str(key), list(_FRONT_MATTER_KEYS))
            hint = f"did you mean '{close}'?" if close else "the keys are " + " and ".join(_FRONT_MATTER_KEYS)
            problem("bad-suppression", *at(key), f"unknown front-matter key 'citelint.{key}' ({hint})")
    names = settings.get("disable", [])
    if isinstance(names, str):
        entries: list[tuple[KeyPath, object]] = [(("disable",), names)]
    elif isinstance(names, list):
        entries = [(("disable", index), name) for index, name in enumerate(names)]
    else:
        problem("bad-suppression", *at("disable"), "front-matter 'citelint.disable' should be a rule name or a list of them")
        return []
    reason = settings.get("reason")
    if reason is not None and not isinstance(reason, str):
        problem("bad-suppression", *at("reason"), "front-matter 'citelint.reason' should be text")
    elif require_reason and entries and not (reason or "").strip():
        problem("bad-suppression", *where, "a reason is required: add 'reason: why' under 'citelint:'")
    suppressions = []
    for path, name in entries:
        offset, end_offset = at(*path)
        if not isinstance(name, str) or not name.strip():
            problem("bad-suppression", offset, end_offset, f"front-matter 'citelint.disable' entry {name!r} is not a rule name")
            continue
        codes = resolve([name], offset, end_offset)
        if codes is not None:
            suppressions.append(_Suppression("front-matter", codes, offset, end_offset))
    return suppressions
