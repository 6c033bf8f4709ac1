"""``citelint rule [RULE]`` and ``citelint inspect FILE``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from citelint.ruleset import Example, Rule, RuleError, RuleIndex, load_rules


def run(name: str, argv: list[str]) -> int:
    if name == "rule":
        return _rule(argv)
    return _inspect(argv)


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
    from citelint.config import DEFAULT_MAX_FILE_SIZE, ConfigError, load_config
    from citelint.document.reading import UnreadableFile, format_for, read_file
    from citelint.engine import FileReport, Linter
    from citelint.inspect import inspect_json, inspect_text
    from citelint.lexicons import LexiconError

    parser = argparse.ArgumentParser(
        prog="citelint inspect",
        description="Lint FILE as citelint would and show the analyses and verdicts behind each finding.",
    )
    parser.add_argument("file")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: the nearest one, as for linting)")
    args = parser.parse_args(argv)
    path = Path(args.file)
    if not path.is_file():
        print(f"citelint: error: {args.file}: no such file", file=sys.stderr)
        return 2
    try:
        decoded = read_file(path, DEFAULT_MAX_FILE_SIZE)
    except UnreadableFile as error:
        print(f"citelint: error: {args.file}: cannot read: {error}", file=sys.stderr)
        return 2
    try:
        explicit = Path(args.config) if args.config else None
        linter = Linter(load_config(explicit, path))
    except (ConfigError, LexiconError, ModelError, RegistryError, RuleError) as error:
        print(f"citelint: error: {error}", file=sys.stderr)
        return 2
    report = FileReport(path.as_posix())
    analysis = linter.analyse(decoded.text, path.as_posix(), format_for(args.file), path, report)
    if analysis is None:
        print(f"citelint: error: {args.file}: could not be read as {format_for(args.file)}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(inspect_json(analysis, report.diagnostics), ensure_ascii=False, indent=2))
    else:
        print(inspect_text(analysis, report.diagnostics))
    return 0
