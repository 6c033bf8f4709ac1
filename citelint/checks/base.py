"""What every check kind shares: findings, typed options, the registry entry type."""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

if typing.TYPE_CHECKING:
    from citelint.analysis import Analysis
    from citelint.analysis.provenance import Verdict


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check found: a source span and the fields its rule's message names."""

    offset: int
    end_offset: int
    fields: Mapping[str, Any] = field(default_factory=dict)
    #: text around the finding (usually its sentence), for fingerprints that survive edits elsewhere
    context: str = ""
    #: the provenance verdict behind the finding (its reason and confidence), if any
    verdict: Verdict | None = None

    @property
    def confidence(self) -> float:
        """How likely an editor is to agree (0-1); 1.0 where nothing scores the decision."""
        return self.verdict.confidence if self.verdict is not None else 1.0


class OptionError(ValueError):
    """An option given to a check kind is unknown or has the wrong type."""


@dataclass(frozen=True)
class CheckKind:
    """A registry entry: the frozen options type and the function that runs the check."""

    options: type
    run: Callable[[Analysis, Any], Iterable[Finding]]
    #: whether the check needs the network (link checking); such checks run only when asked
    network: bool = False


def _coerce(name: str, expected: Any, value: Any) -> Any:
    origin = typing.get_origin(expected)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise OptionError(f"option '{name}' must be a list")
        (item_type, *_rest) = typing.get_args(expected) or (str,)
        return tuple(_coerce(name, item_type, item) for item in value)
    if expected is bool:
        if not isinstance(value, bool):
            raise OptionError(f"option '{name}' must be true or false")
        return value
    if expected is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise OptionError(f"option '{name}' must be a whole number")
        return value
    if expected is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise OptionError(f"option '{name}' must be a number")
        return float(value)
    if expected is str:
        if not isinstance(value, str):
            raise OptionError(f"option '{name}' must be a string")
        return value
    return value


def make_options(options_type: type, raw: Mapping[str, Any]) -> Any:
    """Build a check's frozen options from YAML/config data (kebab-case keys).

    ``extend-NAME`` adds to a list option instead of replacing it, so a newsroom can add its
    own words without copying (and freezing) the shipped ones."""
    hints = typing.get_type_hints(options_type)
    known = {f.name: f for f in dataclasses.fields(options_type)}
    values: dict[str, Any] = {}
    extensions: dict[str, tuple] = {}
    for key, value in raw.items():
        extend = key.startswith("extend-")
        attribute = key.removeprefix("extend-").replace("-", "_") if extend else key.replace("-", "_")
        if attribute not in known or (extend and typing.get_origin(hints[attribute]) is not tuple):
            lists = sorted("extend-" + k.replace("_", "-") for k in known if typing.get_origin(hints[k]) is tuple)
            valid = ", ".join([*sorted(k.replace("_", "-") for k in known), *lists]) or "none"
            raise OptionError(f"unknown option '{key}' (valid: {valid})")
        coerced = _coerce(key, hints[attribute], value)
        if extend:
            extensions[attribute] = coerced
        else:
            values[attribute] = coerced
    for attribute, extra in extensions.items():
        if attribute in values:
            base = values[attribute]
        else:
            default = known[attribute]
            base = default.default_factory() if default.default_factory is not dataclasses.MISSING else default.default
        values[attribute] = tuple(base) + tuple(item for item in extra if item not in base)
    return options_type(**values)


def compile_patterns(patterns: Iterable[str], name: str) -> re.Pattern[str]:
    """One alternation of user-written regexes, word-bounded, case-insensitive."""
    parts = []
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise OptionError(f"option '{name}': bad pattern {pattern!r}: {error}") from None
        parts.append(f"(?:{pattern})")
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE) if parts else re.compile(r"(?!)")
