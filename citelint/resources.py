"""Find the rule and schema data, in a source checkout or inside an installed wheel.

The repository keeps ``rules/`` and ``schemas/`` at its top level; the wheel carries them
as the data packages ``citelint._rules`` and ``citelint._schemas`` (see setup.py). This is
the one module that knows both places.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import IO, Any

_CHECKOUT = Path(__file__).resolve().parent.parent


def _data_dir(folder: str, package: str) -> Path:
    in_checkout = _CHECKOUT / folder
    if in_checkout.is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return in_checkout
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"citelint's {folder}/ data is missing from this installation")
    return Path(next(iter(spec.submodule_search_locations)))


@functools.cache
def rules_dir() -> Path:
    return _data_dir("rules", "citelint._rules")


@functools.cache
def schemas_dir() -> Path:
    return _data_dir("schemas", "citelint._schemas")


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """Load ``schemas/<name>.schema.json``."""
    with open(schemas_dir() / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


class YAMLError(ValueError):
    """A YAML file that cannot be read (PyYAML's own error, raised as citelint's so that callers
    need not import PyYAML: a run whose data comes from the derived-data cache never does)."""


def load_yaml(stream: str | IO[str]) -> Any:
    """``yaml.safe_load`` with libyaml when available (several times faster than the
    pure-Python loader); PyYAML is imported here, when a YAML file is first read."""
    import yaml

    try:
        return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise YAMLError(str(error)) from error


def toml_parser() -> Any:
    """``tomllib`` (``tomli`` before Python 3.11), imported when TOML is first read: it brings
    ``datetime``, a twentieth of the imports of a run on one article, which rarely reads TOML."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # pragma: no cover - exercised on 3.10 only

    return tomli  # pragma: no cover


def default_cache_dir() -> Path:
    """The per-user cache directory the platform expects citelint to use."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base or Path.home() / "AppData" / "Local") / "citelint" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "citelint"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "citelint"


def cache_folder(chosen: Path | None = None) -> Path | None:
    """``chosen`` (``--cache-dir``, a configured folder) if given, else the user cache folder; None
    when there is no home folder to keep one in (a container's user may have none): the caches
    only save time, so a run goes on without them."""
    if chosen:
        return chosen
    try:
        return default_cache_dir()
    except RuntimeError:
        return None
