"""Fixes: text edits that answer a finding, shared by ``citelint --fix``/``--diff`` and the
language server's code actions.

An edit is a span of the decoded text (code-point offsets, as diagnostics carry them) and its
replacement. *Safe* fixes are applied by ``--fix`` without asking: removing an unused suppression,
and replacing a link that redirects permanently (301/308 only) to the same host with where it
leads. Any other redirect's replacement is *unsafe*: applied only with ``--unsafe-fixes``, since
another host may serve another page. Adding a suppression is offered in the editor, never applied
by ``--fix``.

On the command line a file is fixed only when it is unchanged since it was read: its bytes are
hashed when read and hashed again just before the atomic replace, and a file that changed in
between is skipped with a notice rather than overwritten.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from citelint.diagnostics import Diagnostic, Notice
from citelint.document.frontmatter import read_front_matter
from citelint.document.reading import UnreadableFile, decode, format_for
from citelint.engine import FileReport, Linter
from citelint.links.model import REDIRECTED, LinkResult
from citelint.safeio import TooLarge, read_regular, write_atomic

#: The engine rule whose findings have a safe fix: the directive is removed.
UNUSED_SUPPRESSION = "unused-suppression"
#: The link rule whose findings are fixed by citing where the link leads.
REDIRECTED_LINK = "redirected-link"
FIXABLE_RULES = (UNUSED_SUPPRESSION, REDIRECTED_LINK)
#: What may follow a URL in a link's markup (a bare URL may also end a sentence).
_URL_END = re.compile(r"$|[)>\]\"'\s]|[.,;:!?](?:\s|$)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Edit:
    """Replace ``source[offset:end_offset]`` with ``text``."""

    offset: int
    end_offset: int
    text: str


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """``source`` with ``edits`` applied; an edit overlapping one before it is left out."""
    parts: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda edit: (edit.offset, edit.end_offset)):
        if edit.offset < position:
            continue
        parts.append(source[position : edit.offset])
        parts.append(edit.text)
        position = edit.end_offset
    parts.append(source[position:])
    return "".join(parts)


def _line_span(source: str, offset: int, end_offset: int) -> tuple[int, int, int]:
    """(start of the line holding ``offset``, end of the line holding ``end_offset`` before its
    break, end after its break)."""
    start = max(source.rfind("\n", 0, offset), source.rfind("\r", 0, offset)) + 1
    match = _LINE_BREAK.search(source, end_offset)
    if match is None:
        return start, len(source), len(source)
    return start, match.start(), match.end()


def _line_before(source: str, start: int) -> str:
    """The text of the line before the one starting at ``start`` (which must not be 0)."""
    end = start - (2 if source.startswith("\r\n", start - 2) else 1)
    return source[max(source.rfind("\n", 0, end), source.rfind("\r", 0, end)) + 1 : end]


def _line_at(source: str, start: int) -> str:
    """The text of the line starting at ``start``, without its break."""
    match = _LINE_BREAK.search(source, start)
    return source[start : match.start() if match else len(source)]


def removal(source: str, diagnostic: Diagnostic, fmt: str) -> Edit | None:
    """The edit that removes the directive an ``unused-suppression`` finding points at; None
    for any other finding, and for a front-matter entry (editing YAML is left to the writer).

    A directive alone on its line takes its line with it. In Markdown, a comment line between
    two lines of text separated them into two blocks, so it leaves a blank line instead:
    the article keeps its structure and lints to the same findings."""
    if diagnostic.rule != UNUSED_SUPPRESSION:
        return None
    offset, end_offset = diagnostic.offset, diagnostic.end_offset
    if not source.startswith("<!--", offset):
        return None
    start, line_end, after_break = _line_span(source, offset, end_offset)
    if source[start:offset].strip() or source[end_offset:line_end].strip():
        # Shares its line with text: take the comment and the spaces before it.
        while offset > start and source[offset - 1] in " \t":
            offset -= 1
        return Edit(offset, end_offset, "")
    between_text = (start > 0 and _line_before(source, start).strip() != ""
                    and after_break < len(source) and _line_at(source, after_break).strip() != "")
    if fmt == "markdown" and between_text:
        return Edit(start, line_end, "")
    if after_break == line_end and start > 0:  # the last line, without a break: take the one before
        before = start - 2 if source.startswith("\r\n", start - 2) else start - 1
        return Edit(before, line_end, "")
    return Edit(start, after_break, "")


def redirect(source: str, diagnostic: Diagnostic, links: Mapping[str, LinkResult]) -> tuple[Edit, bool] | None:
    """The edit that cites where a ``redirected-link`` finding's link leads, and whether it is
    safe (every hop a permanent redirect, to the same host). None when the link's address is not
    written inside the finding (a reference link's definition is elsewhere; an HTML address with
    entities is not written as it is checked)."""
    if diagnostic.rule != REDIRECTED_LINK:
        return None
    from citelint.links.checker import PERMANENT_REDIRECTS  # here: the network code loads only for a link check

    span = source[diagnostic.offset : diagnostic.end_offset]
    for url, result in links.items():
        if result.state != REDIRECTED or not result.final_url:
            continue
        at = span.find(url)
        while at >= 0 and not _URL_END.match(span, at + len(url)):
            at = span.find(url, at + 1)
        if at < 0:
            continue
        target = result.final_url
        fragment = urldefrag(url).fragment
        if fragment and not urldefrag(target).fragment:
            target += "#" + fragment
        same_host = (urlsplit(url).hostname or "").lower() == (urlsplit(target).hostname or "").lower()
        safe = same_host and all(status in PERMANENT_REDIRECTS for status, _ in result.redirects)
        start = diagnostic.offset + at
        return Edit(start, start + len(url), target), safe
    return None


def safe_edits(source: str, diagnostics: Iterable[Diagnostic], fmt: str,
               links: Mapping[str, LinkResult] | None = None, unsafe: bool = False) -> list[tuple[Diagnostic, Edit]]:
    """Each finding with a safe fix (or, with ``unsafe``, any fix), and its edit."""
    found = []
    for diagnostic in diagnostics:
        edit = removal(source, diagnostic, fmt)
        if edit is None and links:
            moved = redirect(source, diagnostic, links)
            if moved is not None and (moved[1] or unsafe):
                edit = moved[0]
        if edit is not None:
            found.append((diagnostic, edit))
    return found


def line_break_of(source: str) -> str:
    """The file's own line break (its first one), so an inserted line matches the rest."""
    match = _LINE_BREAK.search(source)
    return match.group() if match else "\n"


def directive(verb: str, rule: str, reason: str) -> str:
    return f"<!-- citelint-{verb} {rule} -- {reason} -->"


def suppress_line(source: str, fmt: str, diagnostic: Diagnostic, reason: str) -> tuple[Edit, int]:
    """The edit that suppresses ``diagnostic`` on its line with ``reason``, and the offset of the
    reason in the edited text (for the editor to select it).

    In Markdown the comment goes at the end of the finding's line (``disable-line``): a comment
    line inserted above would split a paragraph, list item or quote in two. In plain text a
    directive must be alone on its line, and in HTML a comment never splits anything, so there
    a ``disable-next-line`` goes on its own line above, indented like it."""
    start, line_end, _ = _line_span(source, diagnostic.offset, diagnostic.offset)
    if fmt == "markdown":
        prefix = " " if source[start:line_end].strip() else ""
        text = prefix + directive("disable-line", diagnostic.rule, reason)
        return Edit(line_end, line_end, text), line_end + text.rindex(reason)
    line = source[start:line_end]
    indent = line[: len(line) - len(line.lstrip())]
    text = indent + directive("disable-next-line", diagnostic.rule, reason) + line_break_of(source)
    return Edit(start, start, text), start + text.rindex(reason)


def inside_script(source: str, fmt: str, offset: int) -> bool:
    """Whether a finding lies in a page's script (an article read from its JSON-LD or script
    state): an edit written there as markup or a comment line would break the script, so only
    the whole-file suppression is offered."""
    if fmt != "html":
        return False
    from citelint.document.html import script_spans  # here: only an HTML page's fix needs the reader

    return any(start <= offset < end for start, end in script_spans(source))


def link_to_site(source: str, fmt: str, diagnostic: Diagnostic, domain: str) -> Edit:
    """The edit that links a source's name (an ``unlinked-source`` finding) to its site's home
    page: an *unsafe* fix, since the writer should link the statement or report itself."""
    name = source[diagnostic.offset : diagnostic.end_offset]
    url = f"https://{domain}/"
    linked = {"markdown": f"[{name}]({url})", "html": f'<a href="{url}">{name}</a>'}.get(fmt, f"{name} ({url})")
    return Edit(diagnostic.offset, diagnostic.end_offset, linked)


def suppress_file(source: str, rule: str, reason: str, fmt: str = "") -> tuple[Edit, int]:
    """The edit that suppresses ``rule`` in the whole file (after any front matter, which must
    stay first, and after an HTML page's doctype: a comment before it puts a browser in quirks
    mode), and the offset of the reason in the edited text."""
    start = read_front_matter(source).body_offset
    doctype = _DOCTYPE.match(source, start) if fmt == "html" else None
    if doctype:
        start = doctype.end()
    text = directive("disable-file", rule, reason) + line_break_of(source)
    return Edit(start, start, text), start + text.rindex(reason)


#: An HTML page's doctype with the line break after it (a byte-order mark or blank lines before).
_DOCTYPE = re.compile(r"\ufeff?\s*<!doctype\b[^>]*>[ \t]*(?:\r\n|\n|\r)?", re.IGNORECASE)


# -- the command line -----------------------------------------------------------------


@dataclass
class FixRun:
    """What ``--fix``/``--diff`` did: the reports of what remains, the diffs, and notices."""

    reports: list[FileReport]
    diffs: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    #: findings fixed (or, for a diff, that would be) and the files they are in
    fixed: int = 0
    files: int = 0


def fix_reports(linter: Linter, reports: list[FileReport], write: bool, unsafe: bool = False) -> FixRun:
    """Fix the safe findings of each report's file (with ``unsafe``, the unsafe ones too); with
    ``write`` false, only make the diffs. Redirects are fixed from the run's link check.

    A file is read again and linted on exactly those bytes, so that the edits match the text
    they are applied to; what remains is the lint of the fixed text."""
    run = FixRun(reports=[])
    for report in reports:
        fixable = any(diagnostic.rule in FIXABLE_RULES for diagnostic in report.diagnostics)
        run.reports.append(_fix_file(linter, report, write, unsafe, run) if fixable else report)
    return run


def _fix_file(linter: Linter, report: FileReport, write: bool, unsafe: bool, run: FixRun) -> FileReport:
    path = Path(report.path)
    limit = linter.configs.for_path(path).max_file_size
    try:
        data = read_regular(path, limit)
        prefix = _UTF8_BOM if data.startswith(_UTF8_BOM) else b""
        text = decode(data, format_for(report.path)).text
        if not prefix and text.encode("utf-8") != data:
            run.notices.append(Notice("not fixed: only UTF-8 files are fixed", report.path, "warning"))
            return report
    except (OSError, TooLarge, UnreadableFile) as error:
        run.notices.append(Notice(f"not fixed: cannot read it again ({error})", report.path, "warning"))
        return report
    fmt = format_for(report.path)
    edits = safe_edits(text, linter.lint_text(text, report.path, fmt, path=path).diagnostics, fmt,
                       linter.link_results, unsafe)
    if not edits:
        return report
    fixed_text = apply_edits(text, (edit for _, edit in edits))
    if not write:
        run.diffs.append("".join(difflib.unified_diff(
            text.splitlines(keepends=True), fixed_text.splitlines(keepends=True),
            fromfile=f"a/{report.path}", tofile=f"b/{report.path}")))
    else:
        try:
            unchanged = hashlib.sha256(read_regular(path, limit)).digest() == hashlib.sha256(data).digest()
        except (OSError, TooLarge):
            unchanged = False
        if not unchanged:
            run.notices.append(Notice("not fixed: the file changed while citelint was reading it; run again",
                                      report.path, "warning"))
            return report
        try:
            write_atomic(path, ("\ufeff" if prefix else "") + fixed_text)
        except OSError as error:
            run.notices.append(Notice(f"not fixed: cannot write it ({error.strerror or error})", report.path,
                                      "warning"))
            return report
    run.fixed += len(edits)
    run.files += 1
    return linter.lint_text(fixed_text, report.path, fmt, path=path)

