"""The language server's lint process: where documents are linted, apart from the event loop.

A process rather than a thread, so that the per-file budgets hold as on the command line: the
analysis runs in this process's main thread, where the ``max-seconds-per-file`` timer can
interrupt it, under a CPU-time limit the kernel enforces and the ``max-memory-per-file`` cap.
A document that kills the process costs the server a new one, not the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pygls.uris import from_fs_path, to_fs_path

from citelint import resources
from citelint.budget import arm_cpu_limit, limit_memory
from citelint.config import Config, ConfigSet
from citelint.diagnostics import Diagnostic
from citelint.discovery import discover
from citelint.document import parse
from citelint.document.reading import UnreadableFile, format_for, read_file
from citelint.engine import FileReport, Linter
from citelint.inspect import inspect_json, sentence_blocks
from citelint.links.cache import LinkCache
from citelint.links.model import REDIRECTED, LinkResult
from citelint.links.settings import read_user_links, settings_from_config
from citelint.lsp.positions import PositionMap

UNLINKED_SOURCE = "unlinked-source"
_LANGUAGE_FORMATS = {"markdown": "markdown", "html": "html", "plaintext": "text"}

_ROOT = Path.cwd()
_LINTER: Linter | None = None


@dataclass(frozen=True)
class Linted:
    """The findings for one exact text of a document."""

    text: str
    fmt: str
    diagnostics: list[Diagnostic]
    positions: PositionMap
    #: what the link cache knows of the links that moved (the server never checks links itself)
    moved: dict[str, LinkResult] = field(default_factory=dict)
    #: the registry's domain of each unlinked source found (by the finding's offset)
    sites: dict[int, str] = field(default_factory=dict)
    #: why the text was not linted, for the writer to be told once
    notice: str = ""

    def at(self, start: int, end: int) -> list[Diagnostic]:
        """Findings touching the offsets ``start``-``end``."""
        return [d for d in self.diagnostics if d.offset <= end and d.end_offset >= start]


def start(root: str) -> None:
    """The process's initializer: the workspace folder whose configuration applies."""
    global _ROOT
    _ROOT = Path(root)


def _linter() -> Linter:
    """The linter, made on first use (a configuration error then reaches the server as the
    error of that lint, not as a broken process)."""
    global _LINTER
    if _LINTER is None:
        _LINTER = Linter(ConfigSet(None, _ROOT))
        limit_memory(_LINTER.config.max_memory_per_file)
    return _LINTER


def path_of(uri: str) -> Path | None:
    if urlsplit(uri).scheme != "file":
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


def display_of(path: Path | None, uri: str) -> str:
    if path is None:
        return unquote(urlsplit(uri).path) or uri
    try:
        return path.relative_to(_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def lint(uri: str, text: str, language: str, encoding: str) -> Linted:
    """Lint a document's text as ``citelint FILE`` would lint the file."""
    path = path_of(uri)
    display = display_of(path, uri)
    fmt = format_for(display, default=_LANGUAGE_FORMATS.get(language, ""))
    positions = PositionMap(text, encoding)
    if not fmt:  # neither an article's file name nor its language: a config file, say
        return Linted(text, fmt, [], positions)
    linter = _linter()
    config = linter.configs.for_path(path)
    if path is not None and config.excludes(path):
        return Linted(text, fmt, [], positions)
    if len(text.encode("utf-8", "surrogatepass")) > config.max_file_size:
        return Linted(text, fmt, [], positions,
                      notice=f"{display} is over the max-file-size of {config.max_file_size:,} bytes: not linted")
    moved = _cached_redirects(text, display, fmt, config)
    linter.link_results = moved or None  # one lint at a time in this process: no other lint sees this
    arm_cpu_limit(config.max_seconds_per_file)
    report = linter.lint_text(text, display, fmt, path=path)
    registry = linter.registry_for(path)
    sites = {}
    for diagnostic in report.diagnostics:
        entry = registry.lookup(text[diagnostic.offset : diagnostic.end_offset]) \
            if diagnostic.rule == UNLINKED_SOURCE else None
        if entry is not None and entry.domains:
            sites[diagnostic.offset] = entry.domains[0]
    return Linted(text, fmt, report.diagnostics, positions, moved, sites)


def _cached_redirects(text: str, display: str, fmt: str, config: Config) -> dict[str, LinkResult]:
    """The document's links that an earlier ``--check-links`` found moved permanently, from the
    link cache only: the editor never waits on the network."""
    urls = {link.url for link in parse(text, display, fmt).links if link.url.startswith(("http://", "https://"))}
    if not urls:
        return {}
    settings, _ = settings_from_config(config.links, user=read_user_links(),
                                       where=str(config.path or "the configuration"))
    if not settings.use_cache:
        return {}
    folder = resources.cache_folder(settings.cache_dir)
    if folder is None:  # no home folder, so no link cache
        return {}
    cache = LinkCache(folder, settings.cache_ttl)
    found = {url: cache.get(url, settings.allow_private) for url in urls}
    return {url: result for url, result in found.items() if result is not None and result.state == REDIRECTED}


def sentence_at(uri: str, linted: Linted, offset: int) -> str:
    """What ``citelint inspect`` says about the sentence at ``offset`` (the analysis is run
    again, only when the writer hovers)."""
    path = path_of(uri)
    display = display_of(path, uri)
    report = FileReport(display)
    linter = _linter()
    linter.link_results = linted.moved or None  # as the text was linted
    arm_cpu_limit(linter.configs.for_path(path).max_seconds_per_file)
    analysis = linter.analyse(linted.text, display, linted.fmt, path, report)
    if analysis is None:
        return ""
    for start_offset, end, lines in sentence_blocks(analysis, inspect_json(analysis, report.diagnostics)):
        if start_offset <= offset < max(end, start_offset + 1):
            return "\n".join(lines)
    return ""


def lint_files(encoding: str, open_uris: set[str]) -> list[tuple[str, Linted]]:
    """Lint every file ``citelint`` would lint in the workspace folder but the open ones (their
    diagnostics follow their unsaved text)."""
    linter = _linter()
    linter.link_results = None  # as `citelint` lints them, without a link check
    found = discover([str(_ROOT)], linter.configs)
    results = []
    for target in found.targets:
        uri = from_fs_path(str(target.path.absolute()))
        if uri is None or unquote(uri) in open_uris:
            continue
        try:  # the text the findings' offsets count in
            text = read_file(target.path, linter.configs.for_path(target.path).max_file_size).text
        except UnreadableFile:
            text = ""  # its one finding is at the start
        arm_cpu_limit(linter.configs.for_path(target.path).max_seconds_per_file)
        report = linter.lint_target(target)
        results.append((uri, Linted(text, format_for(target.path.name), report.diagnostics,
                                    PositionMap(text, encoding))))
    return results
