"""Configuration: defaults <- config file <- per-path overrides <- command line.

The file is ``.citelint.yaml``/``.citelint.yml`` or ``[tool.citelint]`` in
``pyproject.toml``, found by walking up from the linted path. It is validated against
``schemas/config.schema.json``; a mistake is an error that names the key and suggests
the closest valid one.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from citelint import resources
from citelint.checks import CHECKS, ENGINE, OptionError, make_options
from citelint.ruleset import Rule, RuleIndex

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_NAMES = (".citelint.yaml", ".citelint.yml")
DEFAULT_MAX_FILE_SIZE = 10_000_000
_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmg]?)(i?)b?\s*$", re.IGNORECASE)


#: The default ``min-confidence``, chosen by cross-validation on the training set
#: (benchmarks/train_verdicts.py), never on the annotated dev set.
DEFAULT_MIN_CONFIDENCE = 0.15


class ConfigError(Exception):
    """Invalid configuration; the message says where and what to write instead."""


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    severity: str
    options: Any


@dataclass(frozen=True)
class Override:
    files: tuple[str, ...]
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: dict[str, Any] = field(default_factory=dict)


@dataclass
class Config:
    """Settings from one configuration file (or the defaults), plus command-line flags."""

    root: Path
    path: Path | None = None
    preset: str = "default"
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_level: str = "warning"
    #: findings the verdict scorer is less sure of than this are not reported
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    exclude: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    jobs: int = 0
    rules: dict[str, Any] = field(default_factory=dict)
    sources: tuple[dict[str, Any], ...] = ()
    suppressions: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()

    def excludes(self, path: Path) -> bool:
        relative = _relative(path, self.root)
        return any(glob_matches(pattern, relative) for pattern in self.exclude)


def _relative(path: Path, root: Path) -> str:
    absolute = path.absolute()
    try:
        return absolute.relative_to(root.absolute()).as_posix()
    except ValueError:
        return absolute.as_posix()


_GLOB_CACHE: dict[str, re.Pattern[str]] = {}


def _glob_regex(pattern: str) -> re.Pattern[str]:
    cached = _GLOB_CACHE.get(pattern)
    if cached is not None:
        return cached
    parts = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            parts.append(".*")
            index += 2
            continue
        parts.append({"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char)))
        index += 1
    compiled = re.compile("".join(parts) + "(?:/.*)?$")
    _GLOB_CACHE[pattern] = compiled
    return compiled


def glob_matches(pattern: str, relative: str) -> bool:
    """gitignore-like: a pattern without '/' matches a name at any depth, one with '/'
    is anchored at the config's folder; a folder match covers what is inside it."""
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if "/" not in pattern.rstrip("/"):
        names = relative.split("/")
        regex = _glob_regex(pattern.rstrip("/"))
        return any(regex.match(name) for name in names)
    return bool(_glob_regex(pattern.strip("/")).match(relative))


def parse_size(value: int | str) -> int:
    if isinstance(value, int):
        return value
    match = _SIZE.match(value)
    if not match:
        raise ConfigError(f"max-file-size: cannot read {value!r} as a size (write e.g. 10MB)")
    number, unit, binary = match.groups()
    base = 1024 if binary else 1000
    return int(float(number) * base ** " kmg".index(unit.lower() or " "))


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start``."""
    folder = start.absolute()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _pyproject_section(pyproject) is not None:
            return pyproject
    return None


def _pyproject_section(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    section = data.get("tool", {}).get("citelint")
    return section if isinstance(section, dict) else None


def read_config_file(path: Path) -> dict[str, Any]:
    if path.name == "pyproject.toml":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot read: {error}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: invalid TOML: {error}") from None
        return data.get("tool", {}).get("citelint", {}) or {}
    try:
        data = resources.load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: invalid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of keys to values")
    return data


def _schema_error(error: jsonschema.ValidationError, where: str) -> str:
    location = ".".join(str(part) for part in error.absolute_path)
    prefix = f"{where}: {location + ': ' if location else ''}"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict) and isinstance(error.schema, Mapping):
        allowed = list(error.schema.get("properties", {}))
        unknown = [key for key in error.instance if key not in allowed]
        if unknown:
            key = unknown[0]
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (valid keys: {', '.join(allowed)})"
            return f"{prefix}unknown key '{key}'{hint}"
    return prefix + error.message


def validate_config(data: dict[str, Any], where: str) -> None:
    validator = jsonschema.Draft202012Validator(resources.schema("config"))
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(list(e.absolute_path)), str(e.message)))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise ConfigError(_schema_error(best, where))


def config_from_data(data: dict[str, Any], root: Path, path: Path | None) -> Config:
    where = str(path) if path else "configuration"
    validate_config(data, where)

    def names(key: str) -> tuple[str, ...]:
        return tuple(data.get(key, ()))

    return Config(
        root=root,
        path=path,
        preset=data.get("preset", "default"),
        select=tuple(data["select"]) if "select" in data else None,
        extend_select=names("extend-select"),
        ignore=names("ignore"),
        fail_level=data.get("fail-level", "warning"),
        min_confidence=float(data.get("min-confidence", DEFAULT_MIN_CONFIDENCE)),
        exclude=names("exclude"),
        max_file_size=parse_size(data.get("max-file-size", DEFAULT_MAX_FILE_SIZE)),
        jobs=data.get("jobs", 0),
        rules=dict(data.get("rules", {})),
        sources=tuple(data.get("sources", ())),
        suppressions=dict(data.get("suppressions", {})),
        links=dict(data.get("links", {})),
        overrides=tuple(
            Override(
                files=tuple(item["files"]),
                select=tuple(item["select"]) if "select" in item else None,
                extend_select=tuple(item.get("extend-select", ())),
                ignore=tuple(item.get("ignore", ())),
                rules=dict(item.get("rules", {})),
            )
            for item in data.get("overrides", ())
        ),
    )


def load_config(path: Path | None, search_from: Path) -> Config:
    """The explicit ``path``, else the nearest file above ``search_from``, else defaults."""
    found = path if path is not None else find_config(search_from)
    if found is None:
        return Config(root=Path.cwd())
    return config_from_data(read_config_file(found), found.absolute().parent, found)


class RuleResolver:
    """Turns a config into the active rules for a given file (per-path overrides)."""

    def __init__(self, config: Config, index: RuleIndex) -> None:
        self.config = config
        self.index = index
        self._check_names(config)
        self._cache: dict[tuple[int, ...], list[ActiveRule]] = {}

    def _resolve(self, keys: tuple[str, ...], where: str) -> list[Rule]:
        rules: list[Rule] = []
        for key in keys:
            found = self.index.resolve(key)
            if not found:
                raise ConfigError(f"{where}: {self.index.unknown(key)}")
            rules.extend(found)
        return rules

    def _check_names(self, config: Config) -> None:
        where = str(config.path) if config.path else "command line"
        self._resolve(config.select or (), f"{where}: select")
        self._resolve(config.extend_select, f"{where}: extend-select")
        self._resolve(config.ignore, f"{where}: ignore")
        for key, setting in config.rules.items():
            self._setting(key, setting, f"{where}: rules")
        for number, override in enumerate(config.overrides):
            label = f"{where}: overrides[{number}]"
            self._resolve(override.select or (), label + ".select")
            self._resolve(override.extend_select, label + ".extend-select")
            self._resolve(override.ignore, label + ".ignore")
            for key, setting in override.rules.items():
                self._setting(key, setting, label + ".rules")

    def _setting(self, key: str, setting: Any, where: str) -> tuple[Rule, str | None, dict[str, Any]]:
        rule = self.index.get(key)
        if rule is None:
            raise ConfigError(f"{where}: {self.index.unknown(key)}")
        if isinstance(setting, str):
            return rule, setting, {}
        options = setting.get("options", {}) or {}
        kind = CHECKS.get(rule.check)
        if options and kind is not None:
            try:
                make_options(kind.options, {**rule.options, **options})
            except OptionError as error:
                raise ConfigError(f"{where}.{key}: {error}") from None
        return rule, setting.get("level"), options

    def _select(self, chosen: dict[str, Rule], select, extend, ignore, where: str) -> dict[str, Rule]:
        if select is not None:
            # Selecting checks keeps the engine's own rules (unreadable files, crashes,
            # suppressions): they say whether the selected checks could run at all.
            engine = {code: rule for code, rule in chosen.items() if rule.check == ENGINE}
            chosen = {**engine, **{rule.code: rule for rule in self._resolve(select, where)}}
        for rule in self._resolve(extend, where):
            chosen[rule.code] = rule
        for rule in self._resolve(ignore, where):
            chosen.pop(rule.code, None)
        return chosen

    def for_path(self, path: Path | None) -> list[ActiveRule]:
        config = self.config
        relative = _relative(path, config.root) if path is not None else None
        matched = tuple(
            number
            for number, override in enumerate(config.overrides)
            if relative is not None and any(glob_matches(glob, relative) for glob in override.files)
        )
        cached = self._cache.get(matched)
        if cached is not None:
            return cached
        chosen = {rule.code: rule for rule in self.index.rules if config.preset in rule.presets}
        chosen = self._select(chosen, config.select, config.extend_select, config.ignore, "select")
        levels: dict[str, str] = {}
        options: dict[str, dict[str, Any]] = {}
        for key, setting in config.rules.items():
            self._apply_setting(key, setting, chosen, levels, options)
        for number in matched:
            override = config.overrides[number]
            chosen = self._select(chosen, override.select, override.extend_select, override.ignore, "override")
            for key, setting in override.rules.items():
                self._apply_setting(key, setting, chosen, levels, options)
        active = []
        for code, rule in sorted(chosen.items()):
            severity = levels.get(code, rule.level)
            if severity == "off":
                continue
            kind = CHECKS.get(rule.check)
            merged = {**rule.options, **options.get(code, {})}
            built = make_options(kind.options, merged) if kind is not None else merged
            active.append(ActiveRule(rule, severity, built))
        self._cache[matched] = active
        return active

    def _apply_setting(self, key, setting, chosen, levels, options) -> None:
        rule, level, rule_options = self._setting(key, setting, "rules")
        if level is not None:
            levels[rule.code] = level
            if level != "off":
                chosen.setdefault(rule.code, rule)
        if rule_options:
            options[rule.code] = {**options.get(rule.code, {}), **rule_options}
