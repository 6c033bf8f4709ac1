"""Command line: ``citelint [PATH ...]``, ``citelint rule [RULE]``, ``citelint inspect FILE``.

Exit status: 0 nothing at or above the fail level, 1 findings, 2 usage, configuration or
internal error, or a named path that does not exist. Never derived from a count.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from citelint import __version__
from citelint.analysis.registry import RegistryError
from citelint.analysis.scoring import ModelError
from citelint.baseline import BaselineError, load_baseline, write_baseline
from citelint.config import DEFAULT_MIN_CONFIDENCE, CommandLine, ConfigError, ConfigSet, Selection
from citelint.diagnostics import Notice, severity_rank
from citelint.discovery import discover
from citelint.document.reading import UnreadableFile, decode, format_for
from citelint.engine import MAX_JOBS, FileReport, Linter, iter_diagnostics, job_limit, lint_targets
from citelint.formatters import FORMATTERS, RunResult
from citelint.formatters.text import wants_colour
from citelint.lexicons import LexiconError
from citelint.resources import cache_folder
from citelint.result_cache import ResultCache
from citelint.ruleset import RuleError, RuleIndex, load_rules
from citelint.safeio import TooLarge, identity, read_stream, write_atomic

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SUBCOMMANDS = ("rule", "inspect", "init", "server", "report", "audit")
_PROGRESS_MIN_FILES = 20


class UsageError(Exception):
    """Bad command-line input: reported on stderr with exit status 2."""


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(item.strip() for value in values or () for item in value.split(",") if item.strip())


_FIX_OPTIONS = (
    ("--fix", "apply the safe fixes (remove unused suppressions; with --check-links, cite where a link moved"
              " permanently on the same host) in place, then report what remains"),
    ("--diff", "print the fixes as a unified diff and change nothing (exit 1 when there are any)"),
    ("--unsafe-fixes", "with --fix or --diff, also the unsafe fixes (a redirect to another host, or not only 301/308)"),
)


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, told the terminal's width: argparse makes a formatter for every
    option it adds and, told nothing, asks ``shutil`` (importing it, and with it ``bz2`` and
    ``lzma``: 2 ms of every start) for a width that only ``--help`` uses."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None, **more: Any) -> None:
        super().__init__(prog, indent_increment, max_help_position, width if width is not None else _help_width(),
                         **more)


def _help_width() -> int:
    """What argparse would take: the width ``shutil.get_terminal_size`` gives (``COLUMNS``, else
    the terminal's, else 80), less 2. (On Python 3.10 shutil gave 0 for a terminal of no size,
    and argparse a width of -2; this gives 78, as later Pythons do.)"""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


def _lint_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citelint", formatter_class=_HelpFormatter,
        description="Lint articles for provenance: unattributed claims, vague attribution, unlinked sources, "
        "unsourced figures. Subcommands: 'citelint rule [RULE]' lists or explains rules; "
        "'citelint inspect FILE' shows the analyses behind the findings; "
        "'citelint report PATH -o report.html' writes an HTML provenance report for editors; "
        "'citelint audit SOURCE -o OUTDIR' audits an archive (folders, JSON Lines, WARC, Parquet). "
        "'citelint server' is the language server for editors. "
        "(To lint a folder named 'rule' or 'inspect', write ./rule.)",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to lint (default: .); '-' reads stdin")
    parser.add_argument("--format", choices=sorted(FORMATTERS), default="text",
                        help="output format (default: text, each finding with its source line; concise: one line each)")
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
    parser.add_argument("--statistics", action="store_true",
                        help="show how many findings each rule has instead of the findings (text and concise)")
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE (see --write-baseline)")
    parser.add_argument("--write-baseline", metavar="FILE", help="record every current finding in FILE and exit 0")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (2 still means an error)")
    for flag, explanation in _FIX_OPTIONS:
        parser.add_argument(flag, action="store_true", help=explanation)
    links = parser.add_argument_group("link checking (off by default: it needs the network)")
    links.add_argument("--check-links", action="store_true",
                       help="check every cited http(s) link (dead-link, blocked-link, redirected-link, transient-link)")
    links.add_argument("--no-cache", action="store_true",
                       help="ignore and do not update the result cache (reports of unchanged files) and the link cache")
    links.add_argument("--cache-dir", metavar="DIR",
                       help="folder for the result cache and the link cache (default: the user cache folder)")
    links.add_argument("--allow-private-links", action="store_true",
                       help="also check links to loopback, private and link-local addresses (never taken from a"
                       " repository's configuration)")
    links.add_argument("--archive-endpoint", metavar="URL",
                       help="Wayback-style availability API for unarchived-link (never taken from a repository's"
                       " configuration)")
    parser.add_argument("--show-settings", metavar="FILE",
                        help="print the settings that apply to FILE and where each came from, then exit")
    parser.add_argument("--show-files", action="store_true",
                        help="list the files that would be linted (and, on stderr, those left out and why), then exit")
    parser.add_argument("--version", action="version", version=f"citelint {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _utf8_output()
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


def _utf8_output() -> None:
    """Reports go out as UTF-8 whatever the locale or PYTHONIOENCODING says (as -o writes
    them): a cp1252 or ASCII stdout cannot hold a quoted "—" or "東京", and the whole report
    was lost to an internal error."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")


def build_configs(args: argparse.Namespace) -> ConfigSet:
    """Each file's configuration (``--config`` for all, else the closest), the command line over it."""
    explicit = Path(args.config) if args.config else None
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"{explicit}: no such configuration file")
    if args.min_confidence is not None and not 0.0 <= args.min_confidence <= 1.0:
        raise UsageError("--min-confidence must be between 0 and 1")
    if args.jobs is not None and args.jobs < 0:
        raise UsageError("--jobs must be 0 or more")
    command_line = CommandLine(
        selection=Selection(
            select=_split(args.select) if args.select else None,
            extend_select=_split(args.extend_select),
            ignore=_split(args.ignore),
        ),
        fail_level=args.fail_level,
        min_confidence=args.min_confidence,
        jobs=args.jobs,
    )
    return ConfigSet(explicit, Path.cwd(), command_line)


def lint(args: argparse.Namespace) -> int:
    if args.stdin_filename and not args.paths:
        args.paths = ["-"]  # as in ruff: naming the text read from stdin means reading stdin
    paths = args.paths or ["."]
    reading_stdin = "-" in paths
    if reading_stdin and len(paths) > 1:
        raise UsageError("'-' (stdin) cannot be combined with other paths")
    if args.stdin_filename and not reading_stdin:
        raise UsageError("--stdin-filename names the text read from stdin: give '-' (or no path), not "
                         + ", ".join(paths))
    configs = build_configs(args)
    config = configs.run
    index = RuleIndex(load_rules())
    linter = Linter(configs, index)  # validates rule names before any work is done
    if not args.no_cache:
        folder = cache_folder(Path(args.cache_dir).expanduser() if args.cache_dir else None)
        if folder is None:
            print("citelint: no home folder to keep the caches in: linting every file afresh (set HOME, or "
                  "XDG_CACHE_HOME on Linux)", file=sys.stderr)
        else:
            linter.result_cache = ResultCache(folder)
    if args.show_settings:
        return _show_settings(linter, Path(args.show_settings))
    if args.check_links and reading_stdin:
        raise UsageError("--check-links needs files, not stdin")
    if (args.fix or args.diff) and reading_stdin:
        raise UsageError("--fix and --diff change files: name them instead of reading stdin")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes goes with --fix or --diff")
    baseline_path = args.baseline or (str(config.baseline) if config.baseline else None)
    baseline = load_baseline(baseline_path) if baseline_path else None  # fail before the work, not after
    notices: list[Notice] = []
    if config.jobs > job_limit():
        notices.append(Notice(f"jobs: {config.jobs} asked for, {job_limit()} used (one per CPU, at most {MAX_JOBS})"))
    status_error = False
    if reading_stdin:
        linter.active_rules(Path(args.stdin_filename) if args.stdin_filename else None)
        linter.check_configs()
        _refuse_to_overwrite_an_input(args, [], configs, baseline_path)
        reports = [_lint_stdin(linter, args.stdin_filename)]
    else:
        found = discover(paths, configs)
        linter.check_configs()  # every configuration the walk met, before any file is linted
        if args.show_files:
            return _show_files(found, args.quiet)
        _refuse_to_overwrite_an_input(args, found.targets, configs, baseline_path)
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
        if args.fix or args.diff:
            from citelint.fixes import fix_reports  # here: it brings the link checker's imports

            fixing = fix_reports(linter, reports, write=not args.diff, unsafe=args.unsafe_fixes)
            if args.diff:
                sys.stdout.write("".join(fixing.diffs))
                for notice in fixing.notices:
                    print(f"citelint: {notice.path}: {notice.message}", file=sys.stderr)
                return EXIT_ERROR if status_error else EXIT_FINDINGS if fixing.diffs else EXIT_OK
            reports = fixing.reports
            notices.extend(fixing.notices)
            if fixing.fixed:
                notices.append(Notice(f"fixed {_count(fixing.fixed, 'finding')} in {_count(fixing.files, 'file')}"))
        for report in reports:
            if report.skipped_binary:
                notices.append(Notice("skipped: a binary file, not an article", report.path))
        summary = found.left_out_summary()
        if summary:
            notices.append(Notice(summary))
    for report in reports:
        notices.extend(report.notices)
    linted = sum(1 for r in reports if not (r.skipped_binary or r.skipped_large))
    result = RunResult(files=linted, diagnostics=iter_diagnostics(reports), notices=notices, rules=index.rules,
                       missing=0 if reading_stdin else len(found.missing),
                       source_lines={report.path: report.source_lines for report in reports if report.source_lines},
                       encodings={report.path: report.encoding for report in reports if report.encoding})
    if args.write_baseline:
        recorded = write_baseline(args.write_baseline, result.diagnostics)
        notices.append(Notice(f"recorded {_count(recorded, 'finding')} in {args.write_baseline}"))
    if baseline is not None:
        result.diagnostics, known = baseline.split(result.diagnostics)
        notices.append(Notice(f"{_count(known, 'finding')} hidden by the baseline {baseline_path}"))
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
    from citelint.links.settings import read_user_links, settings_from_config, user_config_path

    archive = any(item.rule.name == "unarchived-link" for item in linter.active_rules(None))
    settings, ignored = settings_from_config(
        linter.config.links, use_cache=not args.no_cache, cache_dir=args.cache_dir, archive=archive,
        user=read_user_links(), allow_private=args.allow_private_links, archive_endpoint=args.archive_endpoint,
        where=str(linter.config.path or "the configuration"),
    )
    notices.extend(Notice(message, kind="warning") for message in ignored)
    urls = cited_urls(targets, max(config.max_file_size for config in linter.configs.loaded()))
    results = check_links(urls, settings, _progress_printer(len(urls), args.quiet, "links"),
                          warn=lambda message: notices.append(Notice(message, kind="warning")))
    offline = sum(result.state == OFFLINE for result in results.values())
    if offline:
        notices.append(Notice(f"link check offline: {_count(offline, 'link')} could not be "
                              "checked (no network); no link was reported dead", kind="warning"))
    unsafe = sum(result.state == UNSAFE for result in results.values())
    if unsafe:
        notices.append(Notice(f"{_count(unsafe, 'link')} to loopback or private addresses not "
                              "checked (pass --allow-private-links, or set links.allow-private in "
                              f"{user_config_path()}, to check them)"))
    transient = sum(result.state == TRANSIENT for result in results.values())
    if transient:
        notices.append(Notice(f"{_count(transient, 'link')} failed for now (rate limits, "
                              "server errors, timeouts); not cached, the next run tries again"))
    return results


def _show_files(found, quiet: bool) -> int:
    for target in found.targets:
        print(target.path.as_posix())
    if not quiet:
        for path, why in [*found.left_out, *found.skipped]:
            print(f"citelint: left out {path.as_posix()}: {why.removeprefix('skipped: ')}", file=sys.stderr)
    for name in found.missing:
        print(f"citelint: error: {name}: no such file or folder", file=sys.stderr)
    return EXIT_ERROR if found.missing else EXIT_OK


_SHOWN_SETTINGS = (("preset", "preset"), ("select", "select"), ("extend-select", "extend_select"),
                   ("ignore", "ignore"), ("fail-level", "fail_level"), ("min-confidence", "min_confidence"),
                   ("max-file-size", "max_file_size"), ("jobs", "jobs"), ("baseline", "baseline"))


def _show_settings(linter: Linter, path: Path) -> int:
    """What applies to ``path``: the configuration file, each setting with where it came from,
    and every rule that runs with its level."""
    config = linter.configs.for_path(path)
    linter.check_configs()
    lines = [f"settings for {path.as_posix()}",
             f"configuration: {config.path if config.path else '(none found: defaults)'}"]
    for key, attribute in _SHOWN_SETTINGS:
        value = getattr(config, attribute)
        if attribute == "select" and value is None:
            value = "(the preset)"
        elif value is None:
            value = "(none)"
        elif isinstance(value, tuple):
            value = ", ".join(value) or "(none)"
        lines.append(f"  {key}: {value}  [{config.origins.get(key, 'default')}]")
    if config.command_line.select is not None:
        lines.append(f"  --select: {', '.join(config.command_line.select)}  [command line]")
    for key, setting in config.rules.items():
        lines.append(f"  rules.{key}: {setting}  [{config.origins.get('rules', 'default')}]")
    for glob in config.exclude:
        lines.append(f"  exclude: {glob.pattern}  [relative to {glob.root}]")
    lines.append(f"  excluded: {'yes' if config.excludes(path) else 'no'}")
    lines.append("rules that run:")
    for item in linter.active_rules(path):
        setting = config.rules.get(item.rule.name) or config.rules.get(item.rule.code)
        options = setting.get("options") if isinstance(setting, dict) else None
        lines.append(f"  {item.rule.code} {item.rule.name}: {item.severity}" + (f"  options {options}" if options else ""))
    print("\n".join(lines))
    return EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _lint_stdin(linter: Linter, name: str | None) -> FileReport:
    display = name or "-"
    fmt = format_for(name, default="markdown") if name else "markdown"
    limit = linter.configs.for_path(Path(name) if name else None).max_file_size
    try:
        data = read_stream(sys.stdin.buffer, limit)
    except TooLarge:
        report = FileReport(display, skipped_large=True)
        report.notices.append(Notice(f"skipped: stdin is over the max-file-size of {limit:,} bytes", display,
                                     "warning"))
        return report
    try:
        decoded = decode(data, fmt)
    except UnreadableFile as error:
        report = FileReport(display)
        active = linter.active_rules(Path(display))
        return linter.unreadable(report, active, str(error))
    return linter.lint_text(decoded.text, display, fmt, path=Path(name) if name else None,
                            report=FileReport(display, encoding=decoded.encoding))


def _progress_printer(total: int, quiet: bool, unit: str = "files"):
    """Progress on stderr for long runs on a terminal; nothing in CI or pipes."""
    if quiet or total < _PROGRESS_MIN_FILES or not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, of: int) -> None:
        end = "\n" if done == of else ""
        print(f"\rcitelint: {done}/{of} {unit}", end=end, file=sys.stderr, flush=True)

    return show


def _refuse_to_overwrite_an_input(args: argparse.Namespace, targets, configs: ConfigSet,
                                  baseline: str | None) -> None:
    """citelint never writes to the files it reads: not even when asked to by --output-file.

    Files are compared by identity, not by name: a hard link or a symlink to an article, the
    baseline being read or a configuration file in use is refused as surely as its own name.
    (--write-baseline may name the --baseline it replaces: that is how a baseline is renewed.)"""
    inputs: list[tuple[str, str]] = [(target.path.as_posix(), "one of the files being linted") for target in targets]
    inputs.extend((str(config.path), "a configuration file in use") for config in configs.loaded()
                  if config.path is not None)
    outputs = [("output_file", args.output_file), ("write_baseline", args.write_baseline)]
    for option, name in outputs:
        if not name:
            continue
        flag = "--" + option.replace("_", "-")
        guarded = list(inputs)
        if baseline and option == "output_file":
            guarded.append((baseline, "the baseline being read"))
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
    text = render(result, statistics=args.statistics, quiet=args.quiet, show_confidence=args.show_confidence,
                  colour=not args.output_file and wants_colour(sys.stdout))
    if args.output_file:
        try:
            write_atomic(args.output_file, text)
        except OSError as error:
            raise UsageError(f"{args.output_file}: cannot write: {error.strerror or error}") from None
    else:
        sys.stdout.write(text)
