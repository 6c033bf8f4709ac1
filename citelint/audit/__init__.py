"""``citelint audit SOURCE… -o OUTDIR``: lint a whole archive, resumably, on one machine or a Dask cluster.

The inputs are cut into partitions of a few thousand articles (``inputs``); each partition is
linted by one worker (``partition``) in a local process pool or on Dask (``runners``); its
findings and article summaries are written as Parquet, and the manifest records it as finished
(``output``). At the end the aggregate table is worked out from every finished partition.
Parquet and WARC need the ``audit`` extra, Dask the ``dask`` extra: the default install stays small.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citelint.audit.inputs import Fields

AUDIT_EXTRA = "pip install 'citelint-provenance[audit]'"
DASK_EXTRA = "pip install 'citelint-provenance[dask]'"
DEFAULT_PARTITION_SIZE = 2000
TEXT_FORMATS = ("text", "markdown", "html")
#: Output columns ``--by`` can group on besides the metadata: the article's input file and its status.
GROUPABLE_COLUMNS = ("input", "status")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citelint audit",
        description="Audit an archive: lint every article of folders, JSON Lines, WARC or Parquet files and write "
        "the findings, a summary per article and an aggregate table to OUTDIR. Resumable (--resume); runs on "
        "a local process pool, or on Dask (--dask, --cluster).",
    )
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="a folder of articles, or a .jsonl/.ndjson, .warc/.warc.gz or .parquet file")
    parser.add_argument("--output", "-o", dest="outdir", metavar="OUTDIR", required=True,
                        help="the folder for the findings, summaries, aggregate.csv, report.html and manifest.json")
    records = parser.add_argument_group("records (JSON Lines and Parquet)")
    records.add_argument("--text-field", default="text", metavar="FIELDS",
                         help="the field holding the article's text; several (title,body) are joined by a blank line"
                         " (default: text)")
    records.add_argument("--id-field", metavar="FIELD", help="the field holding the article's id (default: FILE:LINE)")
    records.add_argument("--meta", action="append", metavar="FIELDS",
                         help="fields kept with every finding and summary (comma-separated); a folder gives folder "
                         "and file, a WARC file url and date")
    records.add_argument("--text-format", choices=TEXT_FORMATS, default="text",
                         help="how a record's text is read (default: text)")
    parser.add_argument("--by", action="append", metavar="FIELDS",
                        help="group the aggregate table by these metadata fields (comma-separated; year and month "
                        "are worked out from a date field)")
    parser.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION_SIZE, metavar="N",
                        help=f"articles per partition (default: {DEFAULT_PARTITION_SIZE:,})")
    parser.add_argument("--resume", action="store_true", help="finish an interrupted audit in OUTDIR")
    parser.add_argument("--jobs", "-j", type=int, metavar="N",
                        help="worker processes, local or on the LocalCluster (default: one per CPU)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--dask", action="store_true", help="run on a Dask LocalCluster (the dask extra)")
    where.add_argument("--cluster", metavar="ADDRESS", help="run on the Dask cluster at ADDRESS (tcp://HOST:8786)")
    parser.add_argument("--progress", action="store_true", help="show progress even when stderr is not a terminal")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress and no closing summary")
    rules = parser.add_argument_group("rules (as for citelint)")
    rules.add_argument("--config", metavar="FILE", help="configuration file (default: the nearest one)")
    rules.add_argument("--select", action="append", metavar="RULES", help="run only these rules (comma-separated)")
    rules.add_argument("--extend-select", action="append", metavar="RULES", help="add rules to the selection")
    rules.add_argument("--ignore", action="append", metavar="RULES", help="do not run these rules")
    rules.add_argument("--min-confidence", type=float, metavar="X", help="keep only findings with confidence X or more")
    return parser


def _missing(*modules: str) -> bool:
    """Whether any of ``modules`` cannot be imported (not installed, or broken)."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            return True
    return False


def run(argv: list[str]) -> int:
    from citelint import __version__
    from citelint.cli import EXIT_ERROR, EXIT_OK, UsageError, _split, build_configs

    args = _parser().parse_args(argv)
    if _missing("pyarrow"):
        raise UsageError(f"citelint audit writes Parquet and needs the audit extra: {AUDIT_EXTRA}")
    if (args.dask or args.cluster) and _missing("dask", "distributed"):
        raise UsageError(f"--dask and --cluster need the dask extra: {DASK_EXTRA}")
    if args.cluster:
        from citelint.audit.runners import check_cluster_address

        try:
            check_cluster_address(args.cluster)
        except ValueError as error:
            raise UsageError(f"--cluster {args.cluster}: not a Dask scheduler address ({error});"
                             " write it as tcp://HOST:PORT") from None
    if any(source.lower().endswith((".warc", ".warc.gz")) for source in args.sources) and _missing("warcio"):
        raise UsageError(f"reading WARC files needs the audit extra: {AUDIT_EXTRA}")
    if args.partition_size < 1:
        raise UsageError("--partition-size must be 1 or more")
    if args.jobs is not None and args.jobs < 0:
        raise UsageError("--jobs must be 0 or more")

    from citelint.audit.inputs import InputError, plan
    from citelint.audit.output import (
        AGGREGATE,
        REPORT,
        ManifestError,
        Output,
        aggregate,
        aggregate_csv,
        plan_digest,
        schemas,
    )
    from citelint.audit.page import render_page
    from citelint.audit.partition import AuditSettings
    from citelint.audit.runners import Progress, RunError, run_dask, run_local
    from citelint.checks import CHECKS
    from citelint.engine import Linter, job_limit
    from citelint.report import rule_settings
    from citelint.ruleset import RuleIndex, load_rules
    from citelint.safeio import write_atomic

    args.fail_level = None  # what build_configs reads and an audit has no use for
    configs = build_configs(args)
    index = RuleIndex(load_rules())
    linter = Linter(configs, index)  # checks the configuration (exit 2) before any input is read
    rules = tuple(rule.name for rule in index.rules)
    #: the rules the aggregate table rates: those that run on an audit (no engine rules, no link checks)
    reported = tuple(item.rule.name for item in linter.active_rules(None)
                     if item.rule.check in CHECKS and not CHECKS[item.rule.check].network)
    by = tuple(dict.fromkeys(_split(args.by)))
    fields = _fields(args, by, rules)
    meta = fields.meta

    outdir = Path(args.outdir)
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir}: not a folder")
    try:
        partitions = plan(args.sources, args.partition_size, configs, outdir, fields)
    except InputError as error:
        raise UsageError(str(error)) from None
    # the settings each partition is linted with: a resumed audit under another configuration is refused
    settings_paths = dict.fromkeys(Path(p.source, *p.files[:1]) for p in partitions)
    options = {"fields": [list(fields.text), fields.id, list(meta), fields.format], "rules": list(reported),
               "columns": list(rules), "min_confidence": configs.run.min_confidence, "citelint": __version__,
               "configuration": [linter.settings_key(path, linter.active_rules(path)) for path in settings_paths]}
    digest = plan_digest(partitions, options)
    findings_schema, articles_schema = schemas(rules, meta)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        output = Output(outdir, digest, findings_schema, articles_schema, args.resume)
    except ManifestError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{outdir}: cannot write: {error.strerror or error}") from None

    pending = [partition for partition in partitions if partition.name not in output.finished]
    before = len(partitions) - len(pending)
    jobs = min(args.jobs or os.cpu_count() or 1, job_limit())
    settings = AuditSettings(configs, fields, rules, digest)
    progress = Progress(sum(p.articles for p in pending), len(pending),
                        not args.quiet and (args.progress or (sys.stderr.isatty() and not os.environ.get("CI"))))
    results = run_dask(pending, settings, jobs, args.cluster) if args.dask or args.cluster else \
        run_local(pending, settings, max(1, min(jobs, len(pending))))
    unwritten: list[str] = []
    try:
        for result in results:
            try:
                counts = output.write(result)
            except (ValueError, TypeError) as error:  # rows Arrow cannot store cost their partition, not the run
                print(f"citelint: error: {result.partition.name} ({result.partition.source}) could not be written:"
                      f" {error}", file=sys.stderr)
                unwritten.append(result.partition.name)
                continue
            progress.advance(counts["articles"])
    except RunError as error:
        print(f"citelint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:
        print(f"citelint: error: {outdir}: cannot write: {error.strerror or error}; the partitions finished so far "
              "are kept: run again with --resume to audit the rest", file=sys.stderr)
        return EXIT_ERROR
    finally:
        with contextlib.suppress(OSError):
            output.flush()  # interrupted or not, what was written is recorded for --resume
    names = [partition.name for partition in partitions if partition.name in output.finished]
    groups = aggregate(outdir, names, by, reported)
    write_atomic(outdir / AGGREGATE, aggregate_csv(groups, by, reported))
    by_name = {rule.name: rule for rule in index.rules}
    write_atomic(outdir / REPORT, render_page(groups, by, [by_name[name] for name in reported], args.sources,
                                              len(partitions), rule_settings(configs, args)))
    if not args.quiet:
        totals = output.totals()
        print(f"citelint: audited {totals['articles']:,} articles in {len(partitions):,} partitions"
              f" ({before:,} finished before): {totals['findings']:,} findings,"
              f" {totals['errors']:,} records with errors; wrote {outdir}", file=sys.stderr)
    incomplete = [name for name in names if not output.complete(name)] + unwritten
    if incomplete:
        print(f"citelint: error: {len(incomplete):,} partitions were not read or written whole ({', '.join(incomplete[:5])}"
              f"{', …' if len(incomplete) > 5 else ''}): the articles not read are error rows, a partition not written is"
              " left out; run again with --resume to audit them again", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _fields(args: argparse.Namespace, by: tuple[str, ...], rules: tuple[str, ...]) -> Fields:
    """Where the records hold what the audit reads; the metadata kept is ``--meta`` and what
    ``--by`` groups on (a ``date`` for ``year`` and ``month``)."""
    from citelint.audit.inputs import Fields
    from citelint.audit.output import DATE_FIELDS
    from citelint.audit.partition import ARTICLE_COLUMNS, FINDING_COLUMNS
    from citelint.cli import UsageError, _split

    taken = set(FINDING_COLUMNS) | set(ARTICLE_COLUMNS) | set(rules)
    ungroupable = [name for name in by if name in taken and name not in GROUPABLE_COLUMNS]
    if ungroupable:
        raise UsageError(f"--by {ungroupable[0]}: an output column that cannot be grouped on; --by takes metadata "
                         f"fields, {' and '.join(DATE_FIELDS)} (from a date field) and {' and '.join(GROUPABLE_COLUMNS)}")
    meta = tuple(dict.fromkeys([*_split(args.meta), *(f for f in by if f not in (*DATE_FIELDS, *GROUPABLE_COLUMNS)),
                                *(("date",) if set(by) & set(DATE_FIELDS) else ())]))
    clashes = [name for name in meta if name in taken]
    if clashes:
        raise UsageError(f"metadata field {clashes[0]!r} has the name of an output column; rename it in the input")
    return Fields(text=_split([args.text_field]) or ("text",), id=args.id_field, meta=meta, format=args.text_format)
