"""Configuration: defaults <- config file (and what it extends) <- per-path overrides <- command line.

The file is ``.citelint.yaml``/``.citelint.yml`` or ``[tool.citelint]`` in
``pyproject.toml``. As in ruff, the closest one to each linted file applies (a sub-folder's
file replaces its parent's unless it says ``extend: ../.citelint.yaml``), so the order of
paths on the command line never matters; ``--config FILE`` applies one file to every path.
Run-wide settings (``fail-level``, ``jobs``, ``links``, ``baseline``) come from the file that
applies to the working folder. Each file is validated against ``schemas/config.schema.json``
after its levels are normalised (YAML 1.1 reads an unquoted ``off`` as false); a mistake is
an error that names the key and suggests the closest valid one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citelint import resources
from citelint.checks import CHECKS, ENGINE, OptionError, make_options
from citelint.derived import cached
from citelint.diagnostics import closest_match
from citelint.ruleset import Rule, RuleIndex

if TYPE_CHECKING:
    import jsonschema

CONFIG_NAMES = (".citelint.yaml", ".citelint.yml")
DEFAULT_MAX_FILE_SIZE = 10_000_000
#: per-file budgets (citelint/budget.py): generous, since a real article takes well under a second
DEFAULT_MAX_SECONDS_PER_FILE = 60.0
DEFAULT_MAX_MEMORY_PER_FILE = 2_000_000_000
_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmg]?)(i?)b?\s*$", re.IGNORECASE)


#: The default ``min-confidence``, chosen by cross-validation on the training set
#: (benchmarks/train_verdicts.py), never on the annotated dev set.
DEFAULT_MIN_CONFIDENCE = 0.30


class ConfigError(Exception):
    """Invalid configuration; the message says where and what to write instead."""


@dataclass(frozen=True)
class ActiveRule:
    """A rule a run applies, with its severity and checked options."""

    rule: Rule
    severity: str
    options: Any


@dataclass(frozen=True)
class Glob:
    """A gitignore-like glob and the folder it is relative to (the folder of the file that wrote
    it, so a glob inherited through ``extend:`` keeps meaning what it meant there)."""

    root: Path
    pattern: str

    def matches(self, path: Path) -> bool:
        return glob_matches(self.pattern, _relative(path, self.root))


@dataclass(frozen=True)
class Selection:
    """``--select``/``--extend-select``/``--ignore`` from the command line: applied after every
    file's levels and overrides, so the command line always has the last word."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Override:
    """Settings for the files some globs match (``overrides:``)."""

    files: tuple[Glob, ...]
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: dict[str, Any] = field(default_factory=dict)


@dataclass
class Config:
    """Settings from one configuration file (or the defaults), plus command-line flags."""

    path: Path | None = None
    preset: str = "default"
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_level: str = "warning"
    #: findings the verdict scorer is less sure of than this are not reported
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    exclude: tuple[Glob, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_seconds_per_file: float = DEFAULT_MAX_SECONDS_PER_FILE
    max_memory_per_file: int = DEFAULT_MAX_MEMORY_PER_FILE
    #: lint a page whose prose reads as another language (by default it is skipped with a notice)
    lint_non_english: bool = False
    jobs: int = 0
    rules: dict[str, Any] = field(default_factory=dict)
    sources: tuple[dict[str, Any], ...] = ()
    suppressions: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    #: a baseline file named by the configuration (``--baseline`` wins)
    baseline: Path | None = None
    command_line: Selection = Selection()
    #: where each top-level setting came from: a file's path, or "command line"
    origins: dict[str, str] = field(default_factory=dict)

    def excludes(self, path: Path) -> bool:
        return any(glob.matches(path) for glob in self.exclude)


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


def _config_in(folder: Path) -> Path | None:
    """The configuration file in ``folder`` itself, if any."""
    for name in CONFIG_NAMES:
        if (folder / name).is_file():
            return folder / name
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and _pyproject_section(pyproject) is not None:
        return pyproject
    return None


def _pyproject_section(path: Path) -> dict[str, Any] | None:
    tomllib = resources.toml_parser()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    section = data.get("tool", {}).get("citelint")
    return section if isinstance(section, dict) else None


def read_config_file(path: Path) -> dict[str, Any]:
    if path.name == "pyproject.toml":
        tomllib = resources.toml_parser()
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
    except resources.YAMLError as error:
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
            close = closest_match(str(key), allowed)
            hint = f" (did you mean '{close}'?)" if close else f" (valid keys: {', '.join(allowed)})"
            return f"{prefix}unknown key '{key}'{hint}"
    return prefix + error.message


def validate_config(data: dict[str, Any], where: str) -> None:
    """Check ``data`` against the configuration schema, once: a configuration found valid is not
    checked again while it and the schema are unchanged (the validator's import alone was a fifth
    of the start-up of a pre-commit hook)."""
    _refuse_non_finite(data, where, "")
    described = repr(_sorted(data)).encode()  # keys of any type: YAML reads a bare "on:" as True
    cached(f"config-{hashlib.sha256(described).hexdigest()[:24]}", [resources.schemas_dir() / "config.schema.json"],
           lambda: _check_schema(data, where))


def _sorted(value: Any) -> Any:
    """``value`` with every mapping's items in one order, whatever the types of its keys."""
    if isinstance(value, dict):
        return sorted(((repr(key), _sorted(item)) for key, item in value.items()), key=lambda pair: pair[0])
    return [_sorted(item) for item in value] if isinstance(value, list) else value


def _check_schema(data: dict[str, Any], where: str) -> bool:
    import jsonschema  # here: a run whose configuration was checked before never needs it

    validator = jsonschema.Draft202012Validator(resources.schema("config"))
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(list(e.absolute_path)), str(e.message)))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise ConfigError(_schema_error(best, where))
    return True


def _refuse_non_finite(value: Any, where: str, location: str) -> None:
    """YAML reads ``.nan`` and ``.inf`` as numbers that pass every bound of the schema (a NaN is
    neither below nor above one): a timeout or budget of NaN would never expire."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{where}: {location or '(top level)'}: {value} is not a finite number")
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        _refuse_non_finite(item, where, f"{location}.{key}" if location else str(key))


_TRUE_WORDS = frozenset({"on", "yes", "true"})
_FALSE_WORDS = frozenset({"off", "no", "false"})


def _normal_level(value: Any) -> Any:
    """A rule level as the user meant it: YAML 1.1 reads an unquoted ``off`` or ``no`` as false
    and ``on``/``yes`` as true; quoted or not, they mean "off" and "on" (the rule's own level)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS:
        return "on"
    if isinstance(value, str) and value.strip().lower() in _FALSE_WORDS:
        return "off"
    return value


def _normal_rules(rules: Any) -> Any:
    if not isinstance(rules, dict):
        return rules
    normal = {}
    for key, setting in rules.items():
        if isinstance(setting, dict):
            normal[key] = {**setting, "level": _normal_level(setting["level"])} if "level" in setting else setting
        else:
            normal[key] = _normal_level(setting)
    return normal


def normalise_levels(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every rule level (top level and overrides) normalised, before validation."""
    data = dict(data)
    if "rules" in data:
        data["rules"] = _normal_rules(data["rules"])
    if isinstance(data.get("overrides"), list):
        data["overrides"] = [
            {**item, "rules": _normal_rules(item["rules"])} if isinstance(item, dict) and "rules" in item else item
            for item in data["overrides"]
        ]
    return data


#: top-level keys that replace what a config extends: key -> (attribute, conversion)
_REPLACED: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "preset": ("preset", str),
    "select": ("select", tuple),
    "ignore": ("ignore", tuple),
    "fail-level": ("fail_level", str),
    "min-confidence": ("min_confidence", float),
    "max-file-size": ("max_file_size", parse_size),
    "max-seconds-per-file": ("max_seconds_per_file", float),
    "max-memory-per-file": ("max_memory_per_file", parse_size),
    "jobs": ("jobs", int),
    "lint-non-english": ("lint_non_english", bool),
}
#: mappings merged key by key over what a config extends
_MERGED = {"rules": "rules", "links": "links", "suppressions": "suppressions"}


def config_from_data(data: dict[str, Any], root: Path, path: Path | None, base: Config | None = None) -> Config:
    """The config a file's ``data`` describes, over ``base`` (what it extends) or the defaults.

    Scalars, ``select``, ``ignore`` and ``exclude`` replace the base's; ``extend-select``,
    ``extend-exclude``, ``sources`` and ``overrides`` add to it; ``rules``, ``links`` and
    ``suppressions`` are merged key by key."""
    where = str(path) if path else "configuration"
    data = normalise_levels(data)
    validate_config(data, where)
    if base is None:
        config = Config(path=path)
    else:
        config = dataclasses.replace(base, path=path, rules=dict(base.rules), links=dict(base.links),
                                     suppressions=dict(base.suppressions), origins=dict(base.origins))

    def mark(key: str) -> None:
        config.origins[key] = where

    for key, (attribute, convert) in _REPLACED.items():
        if key in data:
            setattr(config, attribute, convert(data[key]))
            mark(key)
    for key, attribute in _MERGED.items():
        if key in data:
            getattr(config, attribute).update(data[key])
            mark(key)
    if "extend-select" in data:
        config.extend_select = config.extend_select + tuple(data["extend-select"])
        mark("extend-select")
    if "exclude" in data:
        config.exclude = tuple(Glob(root, pattern) for pattern in data["exclude"])
        mark("exclude")
    if "extend-exclude" in data:
        config.exclude = config.exclude + tuple(Glob(root, pattern) for pattern in data["extend-exclude"])
        mark("exclude")
    if "sources" in data:
        config.sources = config.sources + tuple(data["sources"])
        mark("sources")
    if "overrides" in data:
        config.overrides = config.overrides + tuple(
            Override(
                files=tuple(Glob(root, glob) for glob in item["files"]),
                select=tuple(item["select"]) if "select" in item else None,
                extend_select=tuple(item.get("extend-select", ())),
                ignore=tuple(item.get("ignore", ())),
                rules=dict(item.get("rules", {})),
            )
            for item in data["overrides"]
        )
        mark("overrides")
    if "baseline" in data:
        config.baseline = root / data["baseline"]
        mark("baseline")
    return config


def load_config_file(path: Path, _extended_by: tuple[Path, ...] = ()) -> Config:
    """The config of one file, with what it ``extend``s under it (a chain, never a loop)."""
    path = Path(os.path.abspath(path))
    if path in _extended_by:
        chain = " -> ".join(str(item) for item in (*_extended_by, path))
        raise ConfigError(f"{_extended_by[-1]}: extend: the configurations extend each other in a loop ({chain})")
    data = read_config_file(path)
    base = None
    extend = data.get("extend")
    if isinstance(extend, str):
        parent = path.parent / os.path.expanduser(extend)
        if not parent.is_file():
            raise ConfigError(f"{path}: extend: {extend}: no such configuration file")
        base = load_config_file(parent, (*_extended_by, path))
    return config_from_data(data, path.parent, path, base)


@dataclass(frozen=True)
class CommandLine:
    """Settings given on the command line: they beat every configuration file."""

    selection: Selection = Selection()
    fail_level: str | None = None
    min_confidence: float | None = None
    jobs: int | None = None

    def apply(self, config: Config) -> Config:
        config = dataclasses.replace(config, origins=dict(config.origins), command_line=self.selection)
        for key, attribute in (("fail-level", "fail_level"), ("min-confidence", "min_confidence"), ("jobs", "jobs")):
            value = getattr(self, attribute)
            if value is not None:
                setattr(config, attribute, value)
                config.origins[key] = "command line"
        for key in ("select", "extend-select", "ignore"):
            if getattr(self.selection, key.replace("-", "_")):
                config.origins[key] = "command line"
        return config


class ConfigSet:
    """The configuration of every linted file: one ``--config`` for all, else the closest file to
    each (remembered per folder), each with the command line applied over it."""

    def __init__(self, explicit: Path | None = None, start: Path | None = None,
                 command_line: CommandLine = CommandLine(), *, fixed: Config | None = None) -> None:
        self.command_line = command_line if fixed is None else CommandLine(selection=fixed.command_line)
        #: one configuration for every path: ``--config``, or ``fixed`` (see ``single``)
        self._fixed = fixed is not None or explicit is not None
        self._last: tuple[str, Config | None] = ("", None)
        self._by_file: dict[Path | None, Config] = {} if fixed is None else {fixed.path: fixed}
        self._nearest_by_folder: dict[Path, Path | None] = {}
        #: the configuration of the run itself (fail level, jobs, links, baseline): ``--config``,
        #: else the one that applies to ``start`` (the working folder)
        self.run = fixed if fixed is not None else \
            self._load(explicit if explicit is not None else self._nearest(_folder_of(start or Path.cwd())))

    @classmethod
    def single(cls, config: Config) -> ConfigSet:
        """A set that gives ``config`` for every path (the API, and tests)."""
        return cls(fixed=config)

    def for_path(self, path: Path | None) -> Config:
        if self._fixed or path is None:
            return self.run
        # A file's configuration is asked for several times in a row while it is linted.
        key = str(path)
        last_key, last = self._last
        if last is None or last_key != key:
            last = self._load(self._nearest(_folder_of(path)))
            self._last = (key, last)
        return last

    def loaded(self) -> list[Config]:
        """Every configuration met so far (each to be checked before any work is done)."""
        return list(self._by_file.values())

    def _load(self, file: Path | None) -> Config:
        config = self._by_file.get(file)
        if config is None:
            config = self.command_line.apply(load_config_file(file) if file is not None else Config())
            self._by_file[file] = config
        return config

    def _nearest(self, folder: Path) -> Path | None:
        walked = []
        found: Path | None = None
        for candidate in (folder, *folder.parents):
            if candidate in self._nearest_by_folder:
                found = self._nearest_by_folder[candidate]
                break
            walked.append(candidate)
            found = _config_in(candidate)
            if found is not None:
                break
        for candidate in walked:
            self._nearest_by_folder[candidate] = found
        return found


def _folder_of(path: Path) -> Path:
    absolute = Path(os.path.abspath(path))
    return absolute if absolute.is_dir() else absolute.parent


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
        self._resolve(config.command_line.select or (), "--select")
        self._resolve(config.command_line.extend_select, "--extend-select")
        self._resolve(config.command_line.ignore, "--ignore")
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
        matched = tuple(
            number
            for number, override in enumerate(config.overrides)
            if path is not None and any(glob.matches(path) for glob in override.files)
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
        asked = config.command_line
        chosen = self._select(chosen, asked.select, asked.extend_select, asked.ignore, "command line")
        named = {rule.code for rule in self._resolve((*(asked.select or ()), *asked.extend_select), "command line")}
        active = []
        for code, rule in sorted(chosen.items()):
            severity = levels.get(code, rule.level)
            if severity == "on" or (severity == "off" and code in named):  # the command line named it: on
                severity = rule.level
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
            if level != "off":  # a level (or "on") turns the rule on
                chosen.setdefault(rule.code, rule)
        if rule_options:
            options[rule.code] = {**options.get(rule.code, {}), **rule_options}
