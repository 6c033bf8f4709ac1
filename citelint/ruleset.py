"""Rules are data: load ``rules/<group>/<name>.yml``, validate them, select them.

A rule names a check kind (code in ``citelint/checks``) and gives it options; the
message template's named fields are filled from what the check finds. The checked contents of
every rule file come from the derived-data cache while the files and the schema are unchanged,
so a run validates (and imports the validator) only after an edit.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citelint import resources
from citelint.derived import cached
from citelint.diagnostics import closest_match

#: Folders of ``rules/`` that hold data other than rules.
DATA_FOLDERS = frozenset({"sources", "lexicons"})


class RuleError(Exception):
    """A rule file is invalid; the message names the file."""


@dataclass(frozen=True)
class Example:
    """An example of a rule's documentation, linted by the tests to show what the rule reports."""

    text: str
    format: str = "markdown"
    #: merged over the rule's default options when the example is linted, to show what an option changes
    options: dict[str, Any] = field(default_factory=dict)
    #: why the example does not behave as shown yet (a known bug); the test run lists it as an expected failure
    xfail: str = ""

    def notes(self, code: str = "") -> list[str]:
        """What else the example depends on: the options it sets (one line of YAML, as under
        ``options:`` in a configuration, quoted with ``code``) and a known bug that keeps it from
        holding yet. Shown beside it, so an example never passes for the default behaviour."""
        notes = []
        if self.options:
            import yaml  # only to show a rule's options

            options = yaml.safe_dump(self.options, default_flow_style=True, allow_unicode=True, width=1000)
            notes.append(f"with options {code}{options.strip()}{code}")
        if self.xfail:
            notes.append(f"known bug: {self.xfail}")
        return notes


@dataclass(frozen=True, eq=False)
class Rule:
    """One rule file. Rules compare and hash by identity: each is loaded once."""

    code: str
    name: str
    group: str
    level: str
    summary: str
    message: str
    check: str
    description: str
    rationale: str
    options: dict[str, Any] = field(default_factory=dict)
    fail: tuple[Example, ...] = ()
    passes: tuple[Example, ...] = ()
    aliases: tuple[str, ...] = ()
    presets: tuple[str, ...] = ("default", "strict")
    path: str = ""

    @property
    def docs_path(self) -> str:
        """Where the rule is documented: ``docs/rules.md`` in the citelint repository (and
        ``citelint rule NAME`` wherever citelint is installed)."""
        return f"docs/rules.md#{self.name}"

    def message_fields(self) -> list[str]:
        return [name for _, name, _, _ in string.Formatter().parse(self.message) if name]

    def format_message(self, fields: Mapping[str, Any]) -> str:
        return self.message.format_map(_Fields(fields))


class _Fields(dict):
    """Leaves an unknown field visible instead of raising, so a message never crashes a run."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _examples(raw: list[Any] | None) -> tuple[Example, ...]:
    # The schema allows exactly Example's fields as keys, so a mapping is passed on as it is.
    return tuple(Example(item) if isinstance(item, str) else Example(**item) for item in raw or ())


def _validated(path: Path) -> Any:
    """A rule file's data, read and checked against the rule schema."""
    import jsonschema  # here, not at start-up: unchanged rules come checked from the derived-data cache

    try:
        data = resources.load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, resources.YAMLError) as error:
        raise RuleError(f"{path}: {error}") from None
    validator = jsonschema.Draft202012Validator(resources.schema("rule"))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(top level)"
        raise RuleError(f"{path}: {where}: {errors[0].message}")
    return data


def load_rule(path: Path) -> Rule:
    return _rule(path, _validated(path))


def _rule(path: Path, data: dict[str, Any]) -> Rule:
    """The rule of a checked rule file."""
    examples = data.get("examples", {})
    return Rule(
        code=data["code"],
        name=data["name"],
        group=path.parent.name,
        level=data["level"],
        summary=data["summary"],
        message=data["message"],
        check=data["check"],
        description=data["description"].strip(),
        rationale=data["rationale"].strip(),
        options=data.get("options", {}) or {},
        fail=_examples(examples.get("fail")),
        passes=_examples(examples.get("pass")),
        aliases=tuple(data.get("aliases", ())),
        presets=tuple(data.get("presets", ("default", "strict"))),
        path=str(path),
    )


@functools.cache
def load_rules() -> tuple[Rule, ...]:
    """Every rule shipped with citelint, sorted by code."""
    paths = [path for group in sorted(resources.rules_dir().iterdir())
             if group.is_dir() and group.name not in DATA_FOLDERS and not group.name.startswith((".", "_"))
             for path in sorted(group.glob("*.yml"))]
    documents = cached("rules", [*paths, resources.schemas_dir() / "rule.schema.json"],
                       lambda: [_validated(path) for path in paths])
    rules = [_rule(path, data) for path, data in zip(paths, documents, strict=True)]
    return tuple(sorted(rules, key=lambda rule: rule.code))


class RuleIndex:
    """Resolve what users write (code, name, alias or group) to rules."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self._by_key: dict[str, list[Rule]] = {}
        for rule in rules:
            for key in (rule.code, rule.name, *rule.aliases):
                self._by_key.setdefault(key.lower(), []).append(rule)
            self._by_key.setdefault(rule.group.lower(), []).append(rule)
        # A code prefix such as "CIT1" selects a range of codes, as in ruff.
        self._codes = {rule.code.lower(): rule for rule in rules}

    def resolve(self, key: str) -> list[Rule]:
        lowered = key.strip().lower()
        if lowered in ("all", "*"):
            return list(self.rules)
        if lowered in self._by_key:
            return list(dict.fromkeys(self._by_key[lowered]))
        prefixed = [rule for code, rule in self._codes.items() if code.startswith(lowered) and len(lowered) >= 3]
        return prefixed

    def get(self, key: str) -> Rule | None:
        """One rule by code, name or alias (not a group)."""
        for rule in self._by_key.get(key.strip().lower(), ()):
            if key.strip().lower() in (rule.code.lower(), rule.name, *rule.aliases):
                return rule
        return None

    def suggest(self, key: str) -> str | None:
        return closest_match(key.lower(), sorted({*self._by_key, "all"}))

    def unknown(self, key: str) -> str:
        """The message for a rule name nobody knows, with the closest valid one."""
        close = self.suggest(key)
        hint = f" (did you mean '{close}'?)" if close else " (see `citelint rule` for the list)"
        return f"unknown rule '{key}'{hint}"
