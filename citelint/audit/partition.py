"""Audit one partition: the function every worker runs, in the local pool or on Dask.

It returns plain columns (lists), not Arrow tables: the writer builds the tables, so a worker
needs no Arrow of its own for folders, JSON Lines and WARC, and what it sends back pickles
the same way to a pool or over a cluster. Rows come in the partition's article order and, for
one article, in the linter's finding order, so they are the same whichever worker ran them.
"""

from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from citelint.analysis import Analysis
from citelint.audit.inputs import Article, Fields, Partition, read_partition
from citelint.config import ConfigSet
from citelint.diagnostics import Notice
from citelint.engine import FileReport, Linter
from citelint.engine import _last_line as last_line
from citelint.report.model import BASES, ArticleReport, read_analysis

#: Findings of these engine rules say the article could not be analysed: its row is an error row.
UNANALYSED = ("analysis-budget-exceeded", "unreadable-file")
OK, ERROR, SKIPPED = "ok", "error", "skipped"


@dataclass(frozen=True)
class AuditSettings:
    """Everything a worker needs besides the partition (picklable; sent once per task)."""

    configs: ConfigSet
    fields: Fields
    #: every rule's name: one count column each in the article summaries, in this order
    rules: tuple[str, ...]
    #: identifies the settings, so a worker that audits several runs builds a linter for each
    token: str


@dataclass
class PartitionResult:
    partition: Partition
    findings: dict[str, list] = field(default_factory=dict)
    articles: dict[str, list] = field(default_factory=dict)
    #: why the input stopped before the partition's last article (its missing articles are error
    #: rows, and --resume reads the partition again)
    incomplete: str | None = None

    @property
    def errors(self) -> int:
        return sum(status == ERROR for status in self.articles["status"])


FINDING_COLUMNS = ("article_id", "input", "rule", "code", "severity", "offset", "end_offset", "line", "column",
                   "end_line", "end_column", "confidence", "message")
CLAIM_COLUMNS = tuple(f"claims_{basis}" for basis in BASES)
ARTICLE_COLUMNS = ("article_id", "input", "status", "note", "words", "findings", "claims", *CLAIM_COLUMNS,
                   "linked_share", "sources")

_linters: dict[str, Linter] = {}


def worker_linter(settings: AuditSettings) -> Linter:
    """The linter of this worker process, built once (tagger weights, registry, lexicons)."""
    linter = _linters.get(settings.token)
    if linter is None:
        linter = _linters[settings.token] = Linter(settings.configs)
    return linter


def audit_partition(partition: Partition, settings: AuditSettings) -> PartitionResult:
    """Lint every article of ``partition``. A record that cannot be read, or an article the
    linter cannot analyse, is an error row. A reader that fails or ends before the partition's
    last article (the input cannot be opened, is damaged, or changed since it was planned) makes
    each missing article an error row and marks the partition incomplete: its articles are
    counted, and never silently lost."""
    linter = worker_linter(settings)
    result = _empty_result(partition, settings)
    done = 0
    try:
        for article in read_partition(partition, settings.fields):
            _audit_article(linter, article, settings, result)
            done += 1
    except Exception:
        _add_missing(result, settings, done, "the input could not be read further: " + last_line(traceback.format_exc()))
    else:
        if done < partition.articles:
            _add_missing(result, settings, done, "the input ended early (it changed after the audit was planned)")
    return result


def lost_partition(partition: Partition, settings: AuditSettings, reason: str) -> PartitionResult:
    """The result of a partition no worker could finish (each time, its worker died): every
    article an error row saying why, and the partition incomplete, for --resume to try again."""
    result = _empty_result(partition, settings)
    _add_missing(result, settings, 0, reason)
    return result


def _empty_result(partition: Partition, settings: AuditSettings) -> PartitionResult:
    return PartitionResult(partition, {name: [] for name in (*FINDING_COLUMNS, *settings.fields.meta)},
                           {name: [] for name in (*ARTICLE_COLUMNS, *settings.rules, *settings.fields.meta)})


def _add_missing(result: PartitionResult, settings: AuditSettings, done: int, reason: str) -> None:
    """An error row for each article of the partition after the first ``done`` (at least one, to
    say why), and the partition marked incomplete."""
    partition = result.partition
    result.incomplete = reason
    for number in range(done + 1, max(partition.articles, done + 1) + 1):
        where = f"{partition.source}: partition {partition.number}, article {number}"
        _add_article(result, settings, Article(where, partition.source, error=reason), ERROR, 0, None, Counter())


def _audit_article(linter: Linter, article: Article, settings: AuditSettings, result: PartitionResult) -> None:
    if article.error is not None:
        _add_article(result, settings, article, ERROR, 0, None, Counter())
        return
    seen: list[Analysis] = []
    linter.on_analysis = lambda analysis, report: seen.append(analysis)
    try:
        if article.target is not None:
            report = linter.lint_target(article.target)
        else:
            assert article.text is not None
            report = _too_large(linter, article.text, article) or \
                linter.lint_text(article.text, article.id, article.format, path=Path(article.source))
    except Exception:  # a bug in the linter must cost one article, not the partition
        article.error = "linting failed: " + last_line(traceback.format_exc())
        _add_article(result, settings, article, ERROR, 0, None, Counter())
        return
    finally:
        linter.on_analysis = None
    rules = Counter(diagnostic.rule for diagnostic in report.diagnostics)
    notes = [notice.message for notice in report.notices]
    # without an analysis, an internal error is the reader's: nothing of the article was linted
    problems = [diagnostic.message for diagnostic in report.diagnostics
                if diagnostic.rule in UNANALYSED or (not seen and diagnostic.rule == "internal-error")]
    if problems or not (seen or report.skipped_binary or notes):
        article.error = "; ".join(problems + notes) or "could not be analysed"
        _add_article(result, settings, article, ERROR, 0, None, rules)
    elif report.skipped_binary or notes:  # not an article, not in English, or over the max-file-size
        article.error = "; ".join(notes) or "skipped: a binary file, not an article"
        _add_article(result, settings, article, SKIPPED, 0, None, rules)
    else:
        _add_article(result, settings, article, OK, _words(seen[0]), seen[0], rules)
    _add_findings(result, settings, article, report)


def _too_large(linter: Linter, text: str, article: Article) -> FileReport | None:
    """A skipped report for a record whose text is over the ``max-file-size`` that applies to its
    input, as a file of that size would be; None for any other."""
    limit = linter.configs.for_path(Path(article.source)).max_file_size
    if len(text) * 4 <= limit:  # four bytes a character at most in UTF-8
        return None
    size = len(text.encode("utf-8"))
    if size <= limit:
        return None
    report = FileReport(article.id, skipped_large=True)
    report.notices.append(Notice(f"skipped: the text is {size:,} bytes, over the max-file-size of {limit:,}",
                                 article.id))
    return report


def _words(analysis: Analysis) -> int:
    """Words of prose (markup, navigation and bylines are not counted)."""
    return sum(len(block.text.split()) for _, block in analysis.document.prose_blocks())


def _add_findings(result: PartitionResult, settings: AuditSettings, article: Article, report: FileReport) -> None:
    columns = result.findings
    for diagnostic in report.diagnostics:
        columns["article_id"].append(article.id)
        columns["input"].append(article.source)
        for name in FINDING_COLUMNS[2:]:
            columns[name].append(getattr(diagnostic, name))
        for key in settings.fields.meta:
            columns[key].append(article.meta.get(key))


def _add_article(result: PartitionResult, settings: AuditSettings, article: Article, status: str, words: int,
                 analysis: Analysis | None, rules: Counter[str]) -> None:
    summary = ArticleReport(article.id, 0)
    if analysis is not None:
        read_analysis(summary, analysis)
    bases = summary.score.bases
    claims = summary.score.claims
    columns = result.articles
    row = {
        "article_id": article.id, "input": article.source, "status": status, "note": article.error,
        "words": words, "findings": sum(rules.values()), "claims": claims,
        **{f"claims_{basis}": bases[basis] for basis in BASES},
        "linked_share": bases["linked"] / claims if claims else None,
        "sources": [{"name": row.name, "kind": row.kind, "linked": row.linked, "claims": row.claims}
                    for row in summary.sources],
        **{rule: rules[rule] for rule in settings.rules},
        **{key: article.meta.get(key) for key in settings.fields.meta},
    }
    for name, value in row.items():
        columns[name].append(value)
