"""Command line: ``citelint [PATH ...]``, ``citelint rule [RULE]``, ``citelint inspect FILE``.

Exit status: 0 nothing at or above the fail level, 1 findings, 2 usage, configuration or
internal error, or a named path that does not exist. Never derived from a count.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from citelint import __version__
from citelint.analysis.registry import RegistryError
from citelint.analysis.scoring import ModelError
from citelint.baseline import BaselineError, load_baseline, write_baseline
from citelint.config import DEFAULT_MIN_CONFIDENCE, ConfigError, load_config
from citelint.diagnostics import Notice, severity_rank
from citelint.discovery import discover
from citelint.document.reading import UnreadableFile, decode, format_for
from citelint.engine import FileReport, Linter, iter_diagnostics, lint_targets
from citelint.formatters import FORMATTERS, RunResult
from citelint.lexicons import LexiconError
from citelint.ruleset import RuleError, RuleIndex, load_rules
from citelint.safeio import TooLarge, identity, read_stream, write_atomic

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SUBCOMMANDS = ("rule", "inspect")
_PROGRESS_MIN_FILES = 20


class UsageError(Exception):
    """Bad command-line input: reported on stderr with exit status 2."""


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(item.strip() for value in values or () for item in value.split(",") if item.strip())


def _lint_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citelint",
        description="Lint articles for provenance: unattributed claims, vague attribution, unlinked sources, "
        "unsourced figures. Subcommands: 'citelint rule [RULE]' lists or explains rules; "
        "'citelint inspect FILE' shows the analyses behind the findings. "
        "(To lint a folder named 'rule' or 'inspect', write ./rule.)",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to lint (default: .); '-' reads stdin")
    parser.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="output format (default: text)")
    parser.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--fail-level", choices=("info", "warning", "error"),
                        help="lowest severity that makes the exit status 1 (default: warning)")
    parser.add_argument("--min-confidence", type=float, metavar="X",
                        help="report only findings with confidence X or more"
                        f" (0-1; default from config, else {DEFAULT_MIN_CONFIDENCE:.2f})")
    parser.add_argument("--show-confidence", action="store_true", help="show each finding's confidence in text output")
    parser.add_argument("--select", action="append", metavar="RULES",
                        help="run only these rules (codes, names, groups; comma-separated)")
    parser.add_argument("--extend-select", action="append", metavar="RULES", help="add rules to the selection")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="do not run these rules")
    parser.add_argument("--config", metavar="FILE",
                        help="configuration file (default: the nearest .citelint.yaml, .citelint.yml"
                        " or pyproject.toml [tool.citelint])")
    parser.add_argument("--stdin-filename", metavar="NAME", help="name (and so format) of the text read from '-'")
    parser.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (0: one per CPU)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print diagnostics only: no notices, totals or progress")
    parser.add_argument("--statistics", action="store_true", help="add a count of findings per rule")
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE (see --write-baseline)")
    parser.add_argument("--write-baseline", metavar="FILE", help="record every current finding in FILE and exit 0")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (2 still means an error)")
    links = parser.add_argument_group("link checking (off by default: it needs the network)")
    links.add_argument("--check-links", action="store_true",
                       help="check every cited http(s) link (dead-link, blocked-link, redirected-link, transient-link)")
    links.add_argument("--no-cache", action="store_true", help="ignore and do not update the link cache")
    links.add_argument("--cache-dir", metavar="DIR", help="folder for the link cache (default: the user cache folder)")
    parser.add_argument("--version", action="version", version=f"citelint {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            from citelint import subcommands

            return subcommands.run(args[0], args[1:])
        return lint(_lint_parser().parse_args(args))
    except (BaselineError, ConfigError, LexiconError, ModelError, RegistryError, RuleError, UsageError) as error:
        print(f"citelint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("citelint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (citelint … | head); exit quietly without a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except Exception as error:  # a bug: say so plainly, without a traceback unless asked
        if os.environ.get("CITELINT_DEBUG"):
            raise
        print(f"citelint: internal error: {type(error).__name__}: {error} "
              "(set CITELINT_DEBUG=1 for a traceback, and please report it)", file=sys.stderr)
        return EXIT_ERROR


def build_config(args: argparse.Namespace, search_from: Path):
    explicit = Path(args.config) if args.config else None
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"{explicit}: no such configuration file")
    config = load_config(explicit, search_from)
    if args.select:
        config.select = _split(args.select)
    if args.extend_select:
        config.extend_select = config.extend_select + _split(args.extend_select)
    if args.ignore:
        config.ignore = config.ignore + _split(args.ignore)
    if args.fail_level:
        config.fail_level = args.fail_level
    if args.min_confidence is not None:
        if not 0.0 <= args.min_confidence <= 1.0:
            raise UsageError("--min-confidence must be between 0 and 1")
        config.min_confidence = args.min_confidence
    if args.jobs is not None:
        if args.jobs < 0:
            raise UsageError("--jobs must be 0 or more")
        config.jobs = args.jobs
    return config


def lint(args: argparse.Namespace) -> int:
    paths = args.paths or ["."]
    reading_stdin = "-" in paths
    if reading_stdin and len(paths) > 1:
        raise UsageError("'-' (stdin) cannot be combined with other paths")
    first = Path(args.stdin_filename) if reading_stdin and args.stdin_filename else Path(paths[0])
    config = build_config(args, first if first.exists() else Path.cwd())
    index = RuleIndex(load_rules())
    linter = Linter(config, index)  # validates rule names before any work is done
    if args.check_links and reading_stdin:
        raise UsageError("--check-links needs files, not stdin")
    baseline = load_baseline(args.baseline) if args.baseline else None  # fail before the work, not after
    notices: list[Notice] = []
    status_error = False
    if reading_stdin:
        _refuse_to_overwrite_an_input(args, [], config)
        reports = [_lint_stdin(linter, args.stdin_filename)]
    else:
        found = discover(paths, config)
        _refuse_to_overwrite_an_input(args, found.targets, config)
        for name in found.missing:
            print(f"citelint: error: {name}: no such file or folder", file=sys.stderr)
            status_error = True
        for folder, why in found.unreadable_dirs:
            notices.append(Notice(f"cannot read folder: {why}", folder.as_posix(), "warning"))
        for skipped, why in found.skipped:
            notices.append(Notice(why, skipped.as_posix(), "warning"))
        if args.check_links:
            linter.link_results = check_cited_links(found.targets, linter, args, notices)
        progress = _progress_printer(len(found.targets), args.quiet)
        reports = lint_targets(linter, found.targets, progress)
        binary = sum(report.skipped_binary for report in reports)
        if binary:
            notices.append(Notice(f"skipped {_count(binary, 'binary file')}"))
        if found.excluded:
            notices.append(Notice(f"excluded {_count(found.excluded, 'path')} by configuration"))
    for report in reports:
        notices.extend(report.notices)
    linted = sum(1 for r in reports if not (r.skipped_binary or r.skipped_large))
    result = RunResult(files=linted, diagnostics=iter_diagnostics(reports), notices=notices, rules=index.rules)
    if args.write_baseline:
        recorded = write_baseline(args.write_baseline, result.diagnostics)
        notices.append(Notice(f"recorded {_count(recorded, 'finding')} in {args.write_baseline}"))
    if baseline is not None:
        result.diagnostics, known = baseline.split(result.diagnostics)
        notices.append(Notice(f"{_count(known, 'finding')} hidden by the baseline {args.baseline}"))
    _write(args, result)
    if status_error:
        return EXIT_ERROR
    if args.write_baseline or args.exit_zero:
        return EXIT_OK
    threshold = severity_rank(config.fail_level)
    failing = any(severity_rank(d.severity) >= threshold for d in result.diagnostics)
    return EXIT_FINDINGS if failing else EXIT_OK


def check_cited_links(targets, linter: Linter, args, notices: list[Notice]) -> dict:
    """Check every URL the targets cite, once, before linting; say so when offline."""
    from citelint.engine import cited_urls
    from citelint.links import OFFLINE, TRANSIENT, UNSAFE, check_links
    from citelint.links.settings import settings_from_config

    archive = any(item.rule.name == "unarchived-link" for item in linter.resolver.for_path(None))
    settings = settings_from_config(
        linter.config.links, use_cache=not args.no_cache, cache_dir=args.cache_dir, archive=archive
    )
    urls = cited_urls(targets, linter.config.max_file_size)
    results = check_links(urls, settings, _progress_printer(len(urls), args.quiet, "links"))
    offline = sum(result.state == OFFLINE for result in results.values())
    if offline:
        notices.append(Notice(f"link check offline: {_count(offline, 'link')} could not be "
                              "checked (no network); no link was reported dead", kind="warning"))
    unsafe = sum(result.state == UNSAFE for result in results.values())
    if unsafe:
        notices.append(Notice(f"{_count(unsafe, 'link')} to loopback or private addresses not "
                              "checked (set links.allow-private to check them)"))
    transient = sum(result.state == TRANSIENT for result in results.values())
    if transient:
        notices.append(Notice(f"{_count(transient, 'link')} failed for now (rate limits, "
                              "server errors, timeouts); not cached, the next run tries again"))
    return results


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _lint_stdin(linter: Linter, name: str | None) -> FileReport:
    display = name or "-"
    fmt = format_for(name, default="markdown") if name else "markdown"
    limit = linter.config.max_file_size
    try:
        data = read_stream(sys.stdin.buffer, limit)
    except TooLarge:
        report = FileReport(display, skipped_large=True)
        report.notices.append(Notice(f"skipped: stdin is over the max-file-size of {limit:,} bytes", display,
                                     "warning"))
        return report
    try:
        text = decode(data).text
    except UnreadableFile as error:
        report = FileReport(display)
        active = linter.resolver.for_path(Path(display))
        return linter.unreadable(report, active, str(error))
    return linter.lint_text(text, display, fmt, path=Path(name) if name else None)


def _progress_printer(total: int, quiet: bool, unit: str = "files"):
    """Progress on stderr for long runs on a terminal; nothing in CI or pipes."""
    if quiet or total < _PROGRESS_MIN_FILES or not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, of: int) -> None:
        end = "\n" if done == of else ""
        print(f"\rcitelint: {done}/{of} {unit}", end=end, file=sys.stderr, flush=True)

    return show


def _refuse_to_overwrite_an_input(args: argparse.Namespace, targets, config) -> None:
    """citelint never writes to the files it reads: not even when asked to by --output-file.

    Files are compared by identity, not by name: a hard link or a symlink to an article, the
    baseline being read or the configuration file in use is refused as surely as its own name.
    (--write-baseline may name the --baseline it replaces: that is how a baseline is renewed.)"""
    inputs: list[tuple[str, str]] = [(target.path.as_posix(), "one of the files being linted") for target in targets]
    if config.path is not None:
        inputs.append((str(config.path), "the configuration file in use"))
    outputs = [("output_file", args.output_file), ("write_baseline", args.write_baseline)]
    for option, name in outputs:
        if not name:
            continue
        flag = "--" + option.replace("_", "-")
        guarded = list(inputs)
        if args.baseline and option == "output_file":
            guarded.append((args.baseline, "the baseline being read"))
        if option == "output_file" and args.write_baseline:
            if os.path.realpath(name) == os.path.realpath(args.write_baseline):
                raise UsageError(f"{flag} {name} is the baseline being written; choose another file")
            guarded.append((args.write_baseline, "the baseline being written"))
        written = identity(name)
        if written is None:  # a new file cannot be one that is read
            continue
        for path, what in guarded:
            if identity(path) == written:
                raise UsageError(f"{flag} {name} is {what} ({path}); choose another file")


def _write(args: argparse.Namespace, result: RunResult) -> None:
    render = FORMATTERS[args.format]
    text = render(result, statistics=args.statistics, quiet=args.quiet, show_confidence=args.show_confidence)
    if args.output_file:
        try:
            write_atomic(args.output_file, text)
        except OSError as error:
            raise UsageError(f"{args.output_file}: cannot write: {error.strerror or error}") from None
    else:
        sys.stdout.write(text)
