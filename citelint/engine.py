"""The lint pipeline for one file, and the fan-out over many.

read + decode -> parse -> analyses (shared, lazy) -> checks -> diagnostics (line/col
computed once) -> suppressions. A check that crashes becomes an ``internal-error``
diagnostic naming its rule; the other rules still run.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citelint.analysis import Analysis
from citelint.analysis.registry import load_registry
from citelint.analysis.scoring import load_model
from citelint.checks import CHECKS, ENGINE
from citelint.config import ActiveRule, Config, RuleResolver
from citelint.diagnostics import Diagnostic, LineIndex, Notice, fingerprint
from citelint.discovery import Target
from citelint.document import parse
from citelint.document.reading import UnreadableFile, decode, format_for, looks_binary
from citelint.lexicons import lexicon
from citelint.ruleset import RuleIndex, load_rules
from citelint.safeio import TooLarge, read_regular
from citelint.suppressions import apply_suppressions

#: Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 8
_CHUNK = 16


@dataclass
class FileReport:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    skipped_binary: bool = False
    skipped_large: bool = False


class Linter:
    def __init__(self, config: Config, index: RuleIndex | None = None, link_results: dict | None = None) -> None:
        self.config = config
        self.index = index or RuleIndex(load_rules())
        self.resolver = RuleResolver(config, self.index)
        #: results of a link check done before linting; network checks run only when given
        self.link_results = link_results
        # Load (and so check) the data every analysis reads before any file is linted: a broken
        # lexicon, model or registry, or a bad `sources:` entry, is a configuration error
        # (LexiconError, ModelError, RegistryError: exit 2), not a crash in every file.
        lexicon()
        load_model()
        self.registry = load_registry(extra_entries=self.config.sources)

    # -- one file -------------------------------------------------------------------

    def lint_target(self, target: Target) -> FileReport:
        path = target.path
        display = path.as_posix()
        report = FileReport(display)
        active = self.resolver.for_path(path)
        try:
            data = read_regular(path, self.config.max_file_size)
        except TooLarge as error:
            report.skipped_large = True
            report.notices.append(
                Notice(f"skipped: {error.size:,} bytes is over the max-file-size of {self.config.max_file_size:,}",
                       display)
            )
            return report
        except IsADirectoryError:
            return self.unreadable(report, active, "is a directory")
        except OSError as error:
            return self.unreadable(report, active, error.strerror or str(error))
        if not target.explicit and looks_binary(data):
            report.skipped_binary = True
            return report
        try:
            decoded = decode(data)
        except UnreadableFile as error:
            return self.unreadable(report, active, str(error))
        return self.lint_text(decoded.text, display, format_for(display), path=path, report=report)

    def lint_text(
        self,
        source: str,
        display: str,
        fmt: str,
        path: Path | None = None,
        report: FileReport | None = None,
    ) -> FileReport:
        report = report or FileReport(display)
        self.analyse(source, display, fmt, path, report)
        return report

    def analyse(self, source: str, display: str, fmt: str, path: Path | None, report: FileReport) -> Analysis | None:
        """Lint one text into ``report`` and return the analysis behind the findings (None when
        the file could not be parsed): ``citelint inspect`` shows that same analysis."""
        active = self.resolver.for_path(path if path is not None else Path(display))
        lines = LineIndex(source)
        try:
            document = parse(source, display, fmt)
        except Exception:  # a reader bug must not take the run down
            self._emit(report, active, "internal-error", lines, source, 0, 0,
                       {"detail": "reading the file failed: " + _last_line(traceback.format_exc())})
            return None
        for problem in document.problems:
            self._emit(report, active, problem.code, lines, source, problem.offset, problem.end_offset,
                       {"detail": problem.message})
        analysis = Analysis(document, registry_factory=lambda: self.registry, link_results=self.link_results,
                            claims_only=True)
        found: list[Diagnostic] = []
        for item in active:
            kind = CHECKS.get(item.rule.check)
            if kind is None or (kind.network and self.link_results is None):
                continue
            try:
                for finding in kind.run(analysis, item.options):
                    if finding.confidence < self.config.min_confidence:
                        continue
                    diagnostic = self._diagnostic(item, display, lines, source, finding.offset,
                                                  finding.end_offset, finding.fields, finding.context)
                    diagnostic.confidence = finding.confidence
                    diagnostic.reason = finding.verdict.reason if finding.verdict is not None else ""
                    found.append(diagnostic)
            except Exception:
                self._emit(report, active, "internal-error", lines, source, 0, 0,
                           {"detail": f"rule {item.rule.name} crashed: " + _last_line(traceback.format_exc())})
        report.diagnostics.extend(apply_suppressions(document, found, active, self, lines))
        report.diagnostics.sort(key=Diagnostic.sort_key)
        return analysis

    # -- building diagnostics --------------------------------------------------------

    def _diagnostic(self, item: ActiveRule, display: str, lines: LineIndex, source: str, offset: int,
                    end_offset: int, fields: Mapping[str, Any], context: str = "") -> Diagnostic:
        line, column = lines.position(offset)
        end_line, end_column = lines.position(end_offset)
        rule = item.rule
        return Diagnostic(
            path=display,
            code=rule.code,
            rule=rule.name,
            severity=item.severity,
            message=rule.format_message(fields),
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            offset=offset,
            end_offset=end_offset,
            fingerprint=fingerprint(rule.name, source[offset:end_offset], context),
        )

    def engine_diagnostic(self, active: list[ActiveRule], name: str, display: str, lines: LineIndex,
                          source: str, offset: int, end_offset: int, fields: dict) -> Diagnostic | None:
        """A diagnostic of an engine rule, or None when that rule is not active."""
        item = next((a for a in active if a.rule.name == name and a.rule.check == ENGINE), None)
        if item is None:
            return None
        return self._diagnostic(item, display, lines, source, offset, end_offset, fields, str(fields))

    def _emit(self, report, active, name, lines, source, offset, end_offset, fields) -> None:
        diagnostic = self.engine_diagnostic(active, name, report.path, lines, source, offset, end_offset, fields)
        if diagnostic is not None:
            report.diagnostics.append(diagnostic)

    def unreadable(self, report: FileReport, active: list[ActiveRule], why: str) -> FileReport:
        self._emit(report, active, "unreadable-file", LineIndex(""), "", 0, 0, {"detail": why})
        return report


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "unknown error"


def cited_urls(targets: list[Target], max_file_size: int) -> list[str]:
    """Every http(s) URL cited by the targets, in first-seen order (for the link check).
    Files the lint skips for their size are skipped here too."""
    urls: dict[str, None] = {}
    for target in targets:
        try:
            decoded = decode(read_regular(target.path, max_file_size))
        except (OSError, TooLarge, UnreadableFile):
            continue
        display = target.path.as_posix()
        for link in parse(decoded.text, display, format_for(display)).links:
            if link.url.startswith(("http://", "https://")):
                urls.setdefault(link.url, None)
    return list(urls)


# -- many files ------------------------------------------------------------------------

_WORKER: Linter | None = None


def _init_worker(config: Config, link_results: dict | None) -> None:
    global _WORKER
    _WORKER = Linter(config, link_results=link_results)


def _lint_chunk(targets: list[Target]) -> list[FileReport]:
    assert _WORKER is not None
    return [_WORKER.lint_target(target) for target in targets]


def worker_count(config: Config, files: int) -> int:
    if files < PARALLEL_THRESHOLD:
        return 1
    wanted = config.jobs or (os.cpu_count() or 1)
    return max(1, min(wanted, files // 4 or 1))


def lint_targets(
    linter: Linter,
    targets: list[Target],
    progress: Callable[[int, int], None] | None = None,
) -> list[FileReport]:
    """Lint every target, in a process pool when there are enough of them."""
    total = len(targets)
    workers = worker_count(linter.config, total)
    reports: list[FileReport] = []
    if workers == 1:
        for number, target in enumerate(targets, 1):
            reports.append(linter.lint_target(target))
            if progress:
                progress(number, total)
        return reports
    chunks = [targets[i : i + _CHUNK] for i in range(0, total, _CHUNK)]
    done = 0
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(linter.config, linter.link_results)
    ) as pool:
        for chunk_reports in pool.map(_lint_chunk, chunks):
            reports.extend(chunk_reports)
            done += len(chunk_reports)
            if progress:
                progress(done, total)
    return reports


def iter_diagnostics(reports: Iterable[FileReport]) -> list[Diagnostic]:
    return sorted((d for report in reports for d in report.diagnostics), key=Diagnostic.sort_key)
