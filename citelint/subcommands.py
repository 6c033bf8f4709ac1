"""``citelint rule [RULE]``, ``citelint inspect FILE``, ``citelint init``, ``citelint server``, and the
entry points of ``citelint report`` and ``citelint audit``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from citelint.config import DEFAULT_MIN_CONFIDENCE
from citelint.ruleset import Example, Rule, RuleError, RuleIndex, load_rules
from citelint.safeio import write_atomic


def run(name: str, argv: list[str]) -> int:
    if name == "rule":
        return _rule(argv)
    if name == "init":
        return _init(argv)
    if name == "server":
        from citelint.lsp import serve

        return serve(argv)
    if name == "report":
        from citelint import report

        return report.run(argv)
    if name == "audit":
        from citelint import audit

        return audit.run(argv)
    return _inspect(argv)


#: What ``citelint init`` writes: every key commented, so the file documents itself.
STARTER_CONFIG = f"""\
# citelint configuration (see the README's "Configuration" section).
# The closest .citelint.yaml to each article applies; a sub-folder's file replaces this one
# unless it starts with `extend: ../.citelint.yaml`. `citelint --show-settings FILE` shows
# what applies to FILE and where each value came from.

# Which rules run: 'default' (what most newsrooms want) or 'strict' (every rule).
preset: default

# Add or remove rules by code, name or group (see `citelint rule`).
# extend-select: [hedged-claim]
# ignore: [unlinked-source]

# Per-rule levels (info, warning, error, off) and options.
# rules:
#   vague-attribution: error
#   anonymous-source: off

# The lowest severity that fails the run (exit status 1).
fail-level: warning

# Report only findings the verdict scorer is at least this sure of (0-1).
# min-confidence: {DEFAULT_MIN_CONFIDENCE:.2f}

# Files and folders never linted (.gitignore and .citelintignore are honoured as well).
# exclude: ["drafts/**"]

# Findings recorded here are not reported (write it with --write-baseline FILE).
# baseline: .citelint-baseline.json

# Your newsroom's own sources, in the form of rules/sources/*.yml entries.
# sources: []

# Per-folder settings.
# overrides:
#   - files: ["opinion/**"]
#     ignore: [unattributed-claim]
"""


def _init(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="citelint init",
                                     description="Write a commented starter .citelint.yaml in a folder.")
    parser.add_argument("folder", nargs="?", default=".", help="where to write it (default: .)")
    parser.add_argument("--force", action="store_true", help="replace an existing .citelint.yaml")
    args = parser.parse_args(argv)
    target = Path(args.folder) / ".citelint.yaml"
    if not Path(args.folder).is_dir():
        print(f"citelint: error: {args.folder}: no such folder", file=sys.stderr)
        return 2
    if os.path.lexists(target) and not args.force:
        print(f"citelint: error: {target} already exists (use --force to replace it)", file=sys.stderr)
        return 2
    try:
        write_atomic(target, STARTER_CONFIG)
    except OSError as error:
        print(f"citelint: error: {target}: cannot write: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"wrote {target}: edit it, then run citelint")
    return 0


def _rule(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="citelint rule", description="List the rules, or explain one.")
    parser.add_argument("rule", nargs="?", help="code, name or group")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    index = RuleIndex(load_rules())
    rules = list(index.rules)
    if args.rule:
        rules = index.resolve(args.rule)
        if not rules:
            print(f"citelint: error: {index.unknown(args.rule)}", file=sys.stderr)
            return 2
    if args.format == "json":
        print(json.dumps([_rule_json(rule) for rule in rules], ensure_ascii=False, indent=2))
    elif args.rule and len(rules) == 1:
        print(explain(rules[0]))
    else:
        width = max(len(rule.name) for rule in rules)
        for rule in rules:
            presets = "" if "default" in rule.presets else "  (strict preset)"
            print(f"{rule.code}  {rule.name:<{width}}  {rule.group:<8} {rule.level:<7}  {rule.summary}{presets}")
    return 0


def _rule_json(rule: Rule) -> dict:
    return {
        "code": rule.code, "name": rule.name, "group": rule.group, "level": rule.level,
        "summary": rule.summary, "description": rule.description, "rationale": rule.rationale,
        "options": rule.options, "presets": list(rule.presets), "aliases": list(rule.aliases),
        "examples": {"fail": [e.text for e in rule.fail], "pass": [e.text for e in rule.passes]},
        "docs": rule.docs_path,
    }


def explain(rule: Rule) -> str:
    parts = [
        f"{rule.code} {rule.name} ({rule.group}, {rule.level})",
        "",
        rule.summary,
        "",
        rule.description,
        "",
        "Why: " + rule.rationale,
    ]
    if rule.options:
        parts += ["", "Options (set under rules: {name: {options: …}} in .citelint.yaml):"]
        parts += [f"  {key}: {json.dumps(value)}" for key, value in rule.options.items()]
    if rule.fail:
        parts += ["", "Flagged (⟦…⟧ marks the finding):"] + [_example_line(e) for e in rule.fail]
    if rule.passes:
        parts += ["", "Not flagged:"] + [_example_line(e) for e in rule.passes]
    return "\n".join(parts)


def _example_line(example: Example) -> str:
    notes = example.notes()
    return f"  {example.text.strip()}" + (f"  ({'; '.join(notes)})" if notes else "")


def _inspect(argv: list[str]) -> int:
    from citelint.analysis.registry import RegistryError
    from citelint.analysis.scoring import ModelError
    from citelint.config import ConfigError, ConfigSet
    from citelint.document.reading import UnreadableFile, decode, format_for, read_file
    from citelint.engine import FileReport, Linter
    from citelint.inspect import inspect_json, inspect_text
    from citelint.lexicons import LexiconError
    from citelint.safeio import TooLarge, read_stream

    parser = argparse.ArgumentParser(
        prog="citelint inspect",
        description="Lint FILE as citelint would and show the analyses and verdicts behind each finding.",
    )
    parser.add_argument("file", help="the article ('-' reads stdin)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: the nearest one, as for linting)")
    parser.add_argument("--stdin-filename", metavar="NAME",
                        help="name (and so format and configuration) of the text read from '-'")
    args = parser.parse_args(argv)
    reading_stdin = args.file == "-"
    name = (args.stdin_filename or "-") if reading_stdin else args.file
    path = Path(name)
    try:
        configs = ConfigSet(Path(args.config) if args.config else None, Path.cwd())
        linter = Linter(configs)
        linter.active_rules(path)
        linter.check_configs()
        limit = configs.for_path(path).max_file_size
        if reading_stdin:
            try:
                decoded = decode(read_stream(sys.stdin.buffer, limit), format_for(name, default="markdown"))
            except TooLarge:
                raise UnreadableFile(f"stdin is over the max-file-size of {limit:,} bytes") from None
        elif not path.is_file():
            print(f"citelint: error: {args.file}: no such file", file=sys.stderr)
            return 2
        else:
            decoded = read_file(path, limit)
    except UnreadableFile as error:
        print(f"citelint: error: {name}: cannot read: {error}", file=sys.stderr)
        return 2
    except (ConfigError, LexiconError, ModelError, RegistryError, RuleError) as error:
        print(f"citelint: error: {error}", file=sys.stderr)
        return 2
    fmt = format_for(name, default="markdown") if reading_stdin else format_for(name)
    report = FileReport(path.as_posix())
    analysis = linter.analyse(decoded.text, path.as_posix(), fmt, None if reading_stdin and name == "-" else path, report)
    if analysis is None:
        print(f"citelint: error: {name}: could not be read as {fmt}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(inspect_json(analysis, report.diagnostics), ensure_ascii=False, indent=2))
    else:
        print(inspect_text(analysis, report.diagnostics))
    return 0
