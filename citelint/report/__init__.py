"""``citelint report PATH… -o report.html``: one self-contained HTML page for editors.

Each article is linted exactly as ``citelint`` would (same configuration, rules, confidence
threshold, suppressions and baseline), and the analysis behind its findings is kept: the page
shows the article with every finding highlighted, who says what, the sources and figures,
and, for several articles, an index worst first with small charts. Suppressed and baselined
findings are shown as such rather than hidden: an editor should see what was waved through.
"""

from __future__ import annotations

import argparse
import sys

from citelint.analysis import Analysis
from citelint.baseline import Baseline, load_baseline
from citelint.config import ConfigSet
from citelint.discovery import Discovery, discover
from citelint.engine import FileReport, Linter
from citelint.report.model import BASELINED, NEW, SUPPRESSED, ArticleReport, Finding, read_analysis
from citelint.report.render import render
from citelint.ruleset import RuleIndex, load_rules
from citelint.safeio import identity, write_atomic

DEFAULT_OUTPUT = "report.html"
#: How every report starts (the template's first lines): a file that starts so is an earlier report.
REPORT_HEAD = b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
GENERATOR = b'<meta name="generator" content="citelint '


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citelint report",
        description="Write a self-contained HTML provenance report of the articles: each finding highlighted in "
        "the text, who says what, the sources and figures, and for a folder an index worst first.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to report on (default: .)")
    parser.add_argument("--output", "--output-file", "-o", dest="output_file", metavar="FILE", default=DEFAULT_OUTPUT,
                        help=f"the HTML file to write (default: {DEFAULT_OUTPUT}); never one of the inputs")
    parser.add_argument("--select", action="append", metavar="RULES", help="run only these rules (comma-separated)")
    parser.add_argument("--extend-select", action="append", metavar="RULES", help="add rules to the selection")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="do not run these rules")
    parser.add_argument("--min-confidence", type=float, metavar="X", help="show only findings with confidence X or more")
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: the nearest, as for linting)")
    parser.add_argument("--baseline", metavar="FILE",
                        help="mark findings recorded in FILE as baselined (default: the configuration's baseline)")
    parser.add_argument("--quiet", "-q", action="store_true", help="do not say where the report was written")
    return parser


def run(argv: list[str]) -> int:
    from citelint.cli import EXIT_ERROR, EXIT_OK, UsageError, _refuse_to_overwrite_an_input, build_configs

    args = _parser().parse_args(argv)
    args.jobs = args.fail_level = args.write_baseline = None  # what build_configs and the guard read
    paths = args.paths or ["."]
    if "-" in paths:
        raise UsageError("citelint report reads files, not stdin")
    configs = build_configs(args)
    index = RuleIndex(load_rules())
    linter = Linter(configs, index)
    baseline_path = args.baseline or (str(configs.run.baseline) if configs.run.baseline else None)
    baseline = load_baseline(baseline_path) if baseline_path else None
    found = discover(paths, configs)
    linter.check_configs()
    _leave_out_an_earlier_report(found, args.output_file)
    _refuse_to_overwrite_an_input(args, found.targets, configs, baseline_path)
    for name in found.missing:
        print(f"citelint: error: {name}: no such file or folder", file=sys.stderr)
    articles, notes = _report_articles(linter, found)
    if baseline is not None:
        _mark_baselined(articles, baseline)
    settings = _settings(configs, args, baseline_path)
    page = render(articles, list(index.rules), settings, notes)
    try:
        write_atomic(args.output_file, page)
    except OSError as error:
        raise UsageError(f"{args.output_file}: cannot write: {error.strerror or error}") from None
    if not args.quiet:
        print(f"citelint: wrote the report of {len(articles)} article{'s' if len(articles) != 1 else ''} "
              f"to {args.output_file}", file=sys.stderr)
    return EXIT_ERROR if found.missing else EXIT_OK


def _leave_out_an_earlier_report(found: Discovery, output: str) -> None:
    """The report being replaced is not an article: ``citelint report .`` run twice must not read
    (and so refuse to replace) the report.html its first run wrote. Only a file found by walking a
    folder, and only one citelint wrote, is left out; any other input stays guarded."""
    written = identity(output)
    for target in list(found.targets):
        if target.explicit or written is None or identity(target.path) != written:
            continue
        try:
            with open(target.path, "rb") as handle:
                head = handle.read(512)
        except OSError:
            continue
        if head.startswith(REPORT_HEAD) and GENERATOR in head:
            found.targets.remove(target)
            found.left_out.append((target.path, "the report being replaced"))


def _report_articles(linter: Linter, found: Discovery) -> tuple[list[ArticleReport], list[str]]:
    """Lint each target as lint does, reading the analysis behind its findings as it goes."""
    articles: list[ArticleReport] = []
    notes = [f"{path.as_posix()}: {why}" for path, why in [*found.skipped, *found.unreadable_dirs]]
    summary = found.left_out_summary()
    if summary:
        notes.append(summary)
    current: ArticleReport | None = None

    def keep(analysis: Analysis, report: FileReport) -> None:
        assert current is not None
        read_analysis(current, analysis)

    linter.on_analysis = keep
    for target in found.targets:
        current = ArticleReport(target.path.as_posix(), len(articles) + 1)
        report = linter.lint_target(target)
        if report.skipped_binary:
            notes.append(f"{report.path}: skipped: a binary file, not an article")
            continue
        current.notes.extend(notice.message for notice in report.notices)
        findings = [(diagnostic, NEW) for diagnostic in report.diagnostics]
        findings += [(diagnostic, SUPPRESSED) for diagnostic in report.suppressed]
        findings.sort(key=lambda pair: pair[0].sort_key())
        for number, (diagnostic, state) in enumerate(findings, 1):
            current.findings.append(Finding(number, diagnostic, state))
        articles.append(current)
    return articles, notes


def _mark_baselined(articles: list[ArticleReport], baseline: Baseline) -> None:
    """Mark the findings the baseline records (the suppressed ones are not lint's to count)."""
    listed = [finding for article in articles for finding in article.findings if finding.state != SUPPRESSED]
    new, _ = baseline.split(finding.diagnostic for finding in listed)
    still_new = {id(diagnostic) for diagnostic in new}
    for finding in listed:
        if id(finding.diagnostic) not in still_new:
            finding.state = BASELINED


def rule_settings(configs: ConfigSet, args: argparse.Namespace) -> list[tuple[str, str]]:
    """The configuration, confidence threshold and rule flags behind the findings, in words, for
    a page's header (the report's, the audit's)."""
    config = configs.run
    settings = [("configuration", str(config.path) if config.path else "none found: defaults"),
                ("findings shown", f"confidence {config.min_confidence:.2f} or more")]
    for flag, values in (("--select", args.select), ("--extend-select", args.extend_select), ("--ignore", args.ignore)):
        if values:
            settings.append((flag, ", ".join(values)))
    return settings


def _settings(configs: ConfigSet, args: argparse.Namespace, baseline_path: str | None) -> list[tuple[str, str]]:
    """What shaped the findings shown, in words, for the page's header."""
    settings = rule_settings(configs, args)
    settings.append(("baseline", f"{baseline_path}: its findings are marked 'baselined'" if baseline_path else "none"))
    settings.append(("suppressions", "findings hidden by citelint-disable comments are marked 'suppressed'"))
    return settings
