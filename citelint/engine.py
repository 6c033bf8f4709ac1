"""The lint pipeline for one file, and the fan-out over many.

read + decode -> parse -> analyses (shared, lazy) -> checks -> diagnostics (line/col
computed once) -> suppressions. A check that crashes becomes an ``internal-error``
diagnostic naming its rule; the other rules still run.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citelint.analysis import Analysis
from citelint.analysis.registry import Registry, load_registry
from citelint.analysis.scoring import load_model
from citelint.budget import FileBudgetExceeded, arm_cpu_limit, limit_memory, time_limit
from citelint.checks import CHECKS, ENGINE
from citelint.config import ActiveRule, Config, ConfigSet, RuleResolver
from citelint.derived import preload_regexes, remember_dataclass_code, remember_regexes
from citelint.diagnostics import Diagnostic, LineIndex, Notice, fingerprint
from citelint.discovery import Target
from citelint.document import parse
from citelint.document.language import foreign_language
from citelint.document.reading import UnreadableFile, decode, format_for, looks_binary
from citelint.lexicons import lexicon
from citelint.result_cache import ResultCache
from citelint.ruleset import RuleIndex, load_rules
from citelint.safeio import TooLarge, read_regular
from citelint.suppressions import apply_suppressions

#: Below this many files a process pool costs more than it saves, even when workers are asked for.
PARALLEL_THRESHOLD = 8
#: Below this many files the default (``jobs: 0``) lints in one process: a worker's start (its
#: tagger weights and per-word tables, the reports sent back) costs 0.1-0.2 s of CPU, the analysis
#: of a BBC article ~7 ms, so a second worker pays only from a few dozen files (benchmarks/speed.py).
DEFAULT_PARALLEL_THRESHOLD = 32
_CHUNK = 16


@dataclass
class FileReport:
    """What linting one file gave."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    skipped_binary: bool = False
    skipped_large: bool = False
    #: line number -> text of each line that holds a finding, for the text report to quote
    #: (only those lines travel with the report, not the whole file)
    source_lines: dict[int, str] = field(default_factory=dict)
    #: findings an inline or front-matter suppression hid (``citelint report`` shows them as such)
    suppressed: list[Diagnostic] = field(default_factory=list)
    #: the encoding the file was decoded in, by its web name (None when it was not decoded)
    encoding: str | None = None
    #: the analysis stopped before the end (a budget spent, a check crashed), whether or not a rule
    #: reports it: such a report is never kept by the result cache
    cut_short: bool = False


class Linter:
    """Lints files, each with the configuration that applies to it (one ``Config`` for every
    file, or a ``ConfigSet`` that finds the closest configuration to each)."""

    def __init__(self, config: Config | ConfigSet, index: RuleIndex | None = None,
                 link_results: dict | None = None) -> None:
        self.configs = config if isinstance(config, ConfigSet) else ConfigSet.single(config)
        #: the run's own configuration (fail level, jobs, links)
        self.config = self.configs.run
        self.index = index or RuleIndex(load_rules())
        #: results of a link check done before linting; network checks run only when given
        self.link_results = link_results
        #: called with each analysis and its report once its findings are in, within the file's
        #: time budget (``citelint report`` reads the analysis behind the findings)
        self.on_analysis: Callable[[Analysis, FileReport], None] | None = None
        #: reports of unchanged files from earlier runs (the command line sets it unless --no-cache)
        self.result_cache: ResultCache | None = None
        self._settings_keys: dict[int, tuple[list[ActiveRule], str]] = {}
        self._resolvers: dict[Path | None, RuleResolver] = {}
        self._registries: dict[Path | None, Registry] = {}
        preload_regexes()
        # Load (and so check) the data every analysis reads before any file is linted: a broken
        # lexicon, model or registry, or a bad `sources:` entry, is a configuration error
        # (LexiconError, ModelError, RegistryError: exit 2), not a crash in every file.
        lexicon()
        load_model()
        self.check_configs()

    def check_configs(self) -> None:
        """Check every configuration met so far (rule names, options, sources) before any work."""
        for config in self.configs.loaded():
            self._resolver(config)
            self._registry(config)

    def _resolver(self, config: Config) -> RuleResolver:
        resolver = self._resolvers.get(config.path)
        if resolver is None:
            resolver = self._resolvers[config.path] = RuleResolver(config, self.index)
        return resolver

    def _registry(self, config: Config) -> Registry:
        registry = self._registries.get(config.path)
        if registry is None:
            registry = self._registries[config.path] = load_registry(extra_entries=config.sources)
        return registry

    def registry_for(self, path: Path | None) -> Registry:
        """The source registry for ``path``: the shipped one plus its configuration's ``sources``."""
        return self._registry(self.configs.for_path(path))

    def active_rules(self, path: Path | None) -> list[ActiveRule]:
        """The rules that run on ``path``, as its configuration sets them."""
        return self._resolver(self.configs.for_path(path)).for_path(path)

    # -- one file -------------------------------------------------------------------

    def lint_target(self, target: Target) -> FileReport:
        path = target.path
        display = path.as_posix()
        report = FileReport(display)
        active = self.active_rules(path)
        limit = self.configs.for_path(path).max_file_size
        try:
            data = read_regular(path, limit)
        except TooLarge as error:
            report.skipped_large = True
            report.notices.append(Notice(f"skipped: {error.size:,} bytes is over the max-file-size of {limit:,}",
                                         display))
            return report
        except IsADirectoryError:
            return self.unreadable(report, active, "is a directory")
        except OSError as error:
            return self.unreadable(report, active, error.strerror or str(error))
        if not target.explicit and looks_binary(data):
            report.skipped_binary = True
            return report
        cache = self._usable_cache()
        key = cache.key(self.settings_key(path, active), display, data) if cache is not None else ""
        if cache is not None and cache.get(key, report):
            return report
        try:
            decoded = decode(data, format_for(display))
        except UnreadableFile as error:
            return self.unreadable(report, active, str(error))
        report.encoding = decoded.encoding
        self.lint_text(decoded.text, display, format_for(display), path=path, report=report)
        if cache is not None:
            cache.put(key, report)
        return report

    def _usable_cache(self) -> ResultCache | None:
        """The result cache, unless this run checks links (link findings are never served from
        it) or wants each file's analysis."""
        return self.result_cache if self.link_results is None and self.on_analysis is None else None

    def cached_report(self, target: Target) -> FileReport | None:
        """The report of ``target`` from the result cache, or None when it has to be linted."""
        cache = self._usable_cache()
        if cache is None:
            return None
        try:
            data = read_regular(target.path, self.configs.for_path(target.path).max_file_size)
        except (OSError, TooLarge):
            return None
        if not target.explicit and looks_binary(data):
            return None
        report = FileReport(target.path.as_posix())
        key = cache.key(self.settings_key(target.path, self.active_rules(target.path)), report.path, data)
        return report if cache.get(key, report) else None

    def settings_key(self, path: Path, active: list[ActiveRule]) -> str:
        """Everything in the settings for ``path`` that its report depends on, as a string (the
        result cache's key): each active rule with its level and options, the run's suppression
        settings, and the configuration's confidence floor, budget, sources and languages."""
        known = self._settings_keys.get(id(active))
        if known is not None and known[0] is active:
            return known[1]
        config = self.configs.for_path(path)
        described = json.dumps([
            [[item.rule.code, item.severity, item.options] for item in active],
            self.config.suppressions, config.min_confidence, config.max_seconds_per_file, config.max_memory_per_file,
            config.sources,
            config.lint_non_english,
        ], sort_keys=True, default=_plain)
        self._settings_keys[id(active)] = (active, described)
        return described

    def lint_text(
        self,
        source: str,
        display: str,
        fmt: str,
        path: Path | None = None,
        report: FileReport | None = None,
    ) -> FileReport:
        report = report or FileReport(display)
        where = path if path is not None else Path(display)
        try:
            with time_limit(self.configs.for_path(where).max_seconds_per_file):
                self.analyse(source, display, fmt, path, report)
        except (FileBudgetExceeded, MemoryError) as error:
            self.over_budget(report, where,
                             error.what if isinstance(error, FileBudgetExceeded) else "the analysis ran out of memory")
        report.source_lines = finding_lines(source, report.diagnostics)
        return report

    def analyse(self, source: str, display: str, fmt: str, path: Path | None, report: FileReport) -> Analysis | None:
        """Lint one text into ``report`` and return the analysis behind the findings (None when
        the file could not be parsed): ``citelint inspect`` shows that same analysis."""
        where = path if path is not None else Path(display)
        config = self.configs.for_path(where)
        active = self._resolver(config).for_path(where)
        registry = self._registry(config)
        lines = LineIndex(source)
        try:
            document = parse(source, display, fmt)
        except MemoryError:
            raise  # a budget, not a bug (lint_text reports it)
        except Exception:  # a reader bug must not take the run down
            self._crashed(report, active, lines, source, "reading the file failed")
            return None
        for problem in document.problems:
            self._emit(report, active, problem.code, lines, source, problem.offset, problem.end_offset,
                       {"detail": problem.message})
        analysis = Analysis(document, registry_factory=lambda: registry, link_results=self.link_results,
                            claims_only=True)
        not_english = None if config.lint_non_english else foreign_language(document)
        if not_english is not None:  # linted as English it would be reported as nonsense
            report.notices.append(Notice(f"skipped: not English ({not_english}); "
                                         "set lint-non-english: true to lint it", display))
        found: list[Diagnostic] = []
        for item in active if not_english is None else ():
            kind = CHECKS.get(item.rule.check)
            if kind is None or (kind.network and self.link_results is None):
                continue
            try:
                for finding in kind.run(analysis, item.options):
                    if finding.confidence < config.min_confidence:
                        continue
                    diagnostic = self._diagnostic(item, display, lines, source, finding.offset,
                                                  finding.end_offset, finding.fields, finding.context)
                    diagnostic.confidence = finding.confidence
                    diagnostic.reason = finding.verdict.reason if finding.verdict is not None else ""
                    found.append(diagnostic)
            except MemoryError:
                raise
            except Exception:
                self._crashed(report, active, lines, source, f"rule {item.rule.name} crashed")
        if not_english is None:
            report.diagnostics.extend(apply_suppressions(document, found, active, self, lines, report.suppressed))
        report.diagnostics.sort(key=Diagnostic.sort_key)
        if self.on_analysis is not None:
            self.on_analysis(analysis, report)
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

    def _crashed(self, report: FileReport, active: list[ActiveRule], lines: LineIndex, source: str, what: str) -> None:
        """An ``internal-error`` for the exception being handled: the report is cut short."""
        import traceback  # here: only a crash needs it

        report.cut_short = True
        self._emit(report, active, "internal-error", lines, source, 0, 0,
                   {"detail": f"{what}: " + _last_line(traceback.format_exc())})

    def over_budget(self, report: FileReport, path: Path, why: str) -> FileReport:
        """``report`` as the one finding of a file whose analysis could not finish within its
        budget: what ran before the budget was spent is not the file's report."""
        report.diagnostics, report.suppressed = [], []
        report.cut_short = True
        self._emit(report, self.active_rules(path), "analysis-budget-exceeded", LineIndex(""), "", 0, 0,
                   {"detail": why})
        return report

    def unreadable(self, report: FileReport, active: list[ActiveRule], why: str) -> FileReport:
        self._emit(report, active, "unreadable-file", LineIndex(""), "", 0, 0, {"detail": why})
        return report


_LINE_END = re.compile(r"[\r\n]")


def finding_lines(source: str, diagnostics: Iterable[Diagnostic]) -> dict[int, str]:
    """The text of each line of ``source`` where a diagnostic starts, without its line break."""
    lines: dict[int, str] = {}
    for diagnostic in diagnostics:
        if diagnostic.line not in lines:
            start = diagnostic.offset - diagnostic.column + 1
            end = _LINE_END.search(source, start)
            lines[diagnostic.line] = source[start : end.start() if end else len(source)]
    return lines


def _plain(value: Any) -> Any:
    """``value`` (rule options) as JSON can write it, the same in every run: a set's order
    changes with the hash seed, so sets are sorted."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return repr(value)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "unknown error"


def cited_urls(targets: list[Target], max_file_size: int) -> list[str]:
    """Every http(s) URL cited by the targets, in first-seen order (for the link check).
    Files the lint skips for their size are skipped here too."""
    urls: dict[str, None] = {}
    for target in targets:
        try:
            display = target.path.as_posix()
            decoded = decode(read_regular(target.path, max_file_size), format_for(display))
        except (OSError, TooLarge, UnreadableFile):
            continue
        for link in parse(decoded.text, display, format_for(display)).links:
            if link.url.startswith(("http://", "https://")):
                urls.setdefault(link.url, None)
    return list(urls)


# -- many files ------------------------------------------------------------------------

_WORKER: Linter | None = None
#: the folder where each worker notes the file it is on (``<pid>``, emptied when the file is done),
#: so that the parent can tell which file a killed worker was analysing
_WORKER_STATE: str = ""


def _init_worker(configs: ConfigSet, link_results: dict | None, result_cache: ResultCache | None,
                 state: str) -> None:
    global _WORKER, _WORKER_STATE
    _WORKER = Linter(configs, link_results=link_results)
    _WORKER.result_cache = result_cache
    _WORKER_STATE = state
    limit_memory(configs.run.max_memory_per_file)


def _lint_chunk(targets: list[Target]) -> list[FileReport]:
    assert _WORKER is not None
    note = os.path.join(_WORKER_STATE, str(os.getpid()))
    reports = []
    for target in targets:
        with open(note, "w", encoding="utf-8") as handle:
            handle.write(str(target.path.absolute()))
        arm_cpu_limit(_WORKER.configs.for_path(target.path).max_seconds_per_file)
        reports.append(_WORKER.lint_target(target))
        open(note, "w").close()
    return reports


#: Workers beyond one per CPU only cost memory (~70 MB each); beyond this many, even with the CPUs.
MAX_JOBS = 32


def job_limit() -> int:
    """The most worker processes a run uses, whatever ``--jobs`` or ``jobs:`` asks for."""
    return min(os.cpu_count() or 1, MAX_JOBS)


def worker_count(config: Config, files: int) -> int:
    if files < (PARALLEL_THRESHOLD if config.jobs else DEFAULT_PARALLEL_THRESHOLD):
        return 1
    wanted = min(config.jobs or (os.cpu_count() or 1), job_limit())
    return max(1, min(wanted, files // 4 or 1))


def lint_targets(
    linter: Linter,
    targets: list[Target],
    progress: Callable[[int, int], None] | None = None,
) -> list[FileReport]:
    """Lint every target, in a process pool when there are enough of them.

    A worker the kernel kills (over its CPU or memory budget) breaks the pool: the files it and
    its fellow workers were on become suspects, each linted again alone; one that kills its
    worker again is reported as over budget, and every other file is linted in a fresh pool."""
    total = len(targets)
    done: dict[Path, FileReport] = {}
    if worker_count(linter.config, total) > 1:
        # Unchanged files are read back here: a pool is worth starting only for the others.
        for target in targets:
            report = linter.cached_report(target)
            if report is not None:
                done[target.path] = report
    remaining = [target for target in targets if target.path not in done]
    workers = worker_count(linter.config, len(remaining))
    if workers == 1:
        for target in remaining:
            done[target.path] = linter.lint_target(target)
            if progress:
                progress(len(done), total)
        remember_regexes()  # the patterns this process compiled, for the next run's start
        remember_dataclass_code()  # and the dataclass methods it compiled
        return [done[target.path] for target in targets]

    def finished(report_list: list[FileReport], chunk: list[Target]) -> None:
        for target, report in zip(chunk, report_list, strict=True):
            done[target.path] = report
        if progress:
            progress(len(done), total)

    while remaining:
        suspects = _pool_round(linter, remaining, workers, finished)
        unfinished = [target for target in remaining if target.path not in done]
        if len(unfinished) == len(remaining) and not suspects:
            for target in unfinished:  # the pool cannot start at all: lint here, where errors are seen
                finished([linter.lint_target(target)], [target])
            break
        for target in (target for target in unfinished if target.path.absolute() in suspects):
            _pool_round(linter, [target], 1, finished)
            if target.path not in done:
                stopped = "the worker analysing it was stopped (over the time or memory budget)"
                finished([linter.over_budget(FileReport(target.path.as_posix()), target.path, stopped)], [target])
        remaining = [target for target in unfinished if target.path not in done]
    return [done[target.path] for target in targets]


def _pool_round(linter: Linter, targets: list[Target], workers: int,
                finished: Callable[[list[FileReport], list[Target]], None]) -> set[Path]:
    """Lint ``targets`` in one pool; the files workers were on when the pool broke (empty when
    it did not)."""
    # Here, not at start-up: a run on a few files (a pre-commit hook's) never starts a pool.
    import tempfile
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    chunks = [targets[i : i + _CHUNK] for i in range(0, len(targets), _CHUNK)]
    with tempfile.TemporaryDirectory(prefix="citelint-workers-") as state:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                 initargs=(linter.configs, linter.link_results, linter.result_cache, state)) as pool:
            futures = {pool.submit(_lint_chunk, chunk): chunk for chunk in chunks}
            broken = False
            for future in as_completed(futures):
                try:
                    finished(future.result(), futures[future])
                except BrokenProcessPool:
                    broken = True
        if not broken:
            return set()
        suspects = set()
        for note in Path(state).iterdir():
            text = note.read_text(encoding="utf-8")
            if text:
                suspects.add(Path(text))
        return suspects


def iter_diagnostics(reports: Iterable[FileReport]) -> list[Diagnostic]:
    return sorted((d for report in reports for d in report.diagnostics), key=Diagnostic.sort_key)
