"""Link-check settings: defaults <- the user's configuration <- the repository's <- command line.

Two settings decide where the checker may send requests: ``allow-private`` (loopback, private,
link-local and cloud-metadata addresses) and ``archive-endpoint`` (a service every checked URL is
sent to). A repository's configuration is written by whoever sends it a pull request, so on CI
these two would let a stranger aim the checker at the runner's own network. They are read only
from the command line (``--allow-private-links``, ``--archive-endpoint``) and from the user's own
configuration file (:func:`user_config_path`), which holds link settings only; set in a
repository's configuration they are ignored with a warning that says where they belong. The run
goes on: the setting only ever widens what may be contacted, so ignoring it is the safe side.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from citelint.config import ConfigError, read_config_file, validate_config
from citelint.links.model import LinkSettings

#: config key -> LinkSettings field (the config uses kebab-case, users' words)
_FIELDS = {
    "timeout": "timeout_read",
    "concurrency": "max_concurrency",
    "per-host-concurrency": "per_host_concurrency",
    "per-host-interval": "per_host_interval",
    "retries": "retries",
    "budget": "total_budget",
    "user-agent": "user_agent",
    "allow-private": "allow_private",
    "cache-ttl": "cache_ttl",
    "archive-endpoint": "archive_endpoint",
}

#: settings a repository's configuration may not give (see the module's docstring)
TRUSTED_ONLY = ("allow-private", "archive-endpoint")


def user_config_path() -> Path:
    """The user's own configuration file: ``$XDG_CONFIG_HOME/citelint/config.yaml`` (by default
    ``~/.config/citelint/config.yaml``), ``%APPDATA%\\citelint\\config.yaml`` on Windows."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA")
        return Path(base or Path.home() / "AppData" / "Roaming") / "citelint" / "config.yaml"
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return (Path(xdg) if xdg else Path.home() / ".config") / "citelint" / "config.yaml"


def read_user_links(path: Path | None = None) -> dict[str, Any]:
    """The ``links:`` section of the user's configuration file ({} when there is none, or no home
    folder to keep one in)."""
    try:
        path = path or user_config_path()
    except RuntimeError:
        return {}
    if not path.is_file():
        return {}
    data = read_config_file(path)
    others = [key for key in data if key != "links"]
    if others:
        raise ConfigError(f"{path}: {others[0]}: the user configuration holds link settings only (links:); "
                          "put other settings in the repository's .citelint.yaml")
    validate_config(data, str(path))
    return dict(data.get("links") or {})


def settings_from_config(
    section: dict[str, Any],
    use_cache: bool = True,
    cache_dir: str | None = None,
    archive: bool = False,
    *,
    user: dict[str, Any] | None = None,
    allow_private: bool = False,
    archive_endpoint: str | None = None,
    where: str = "the configuration",
) -> tuple[LinkSettings, list[str]]:
    """Settings from the repository's ``links:`` `section` (found in `where`) over the
    user's, and the command line's over both; with a warning for each setting the
    repository may not give (``allow-private: false`` only narrows, so it is kept)."""
    refused = [key for key in TRUSTED_ONLY if key in section and section[key] is not False]
    merged = {**(user or {}), **{key: value for key, value in section.items() if key not in refused}}
    if allow_private:
        merged["allow-private"] = True
    if archive_endpoint:
        merged["archive-endpoint"] = archive_endpoint
    values: dict[str, Any] = {field: merged[key] for key, field in _FIELDS.items() if key in merged}
    if "timeout" in merged:
        values["timeout_connect"] = min(float(merged["timeout"]), LinkSettings.timeout_connect)
    if "exclude" in merged:
        values["exclude"] = tuple(merged["exclude"])
    folder = cache_dir or merged.get("cache-dir")
    if folder:
        values["cache_dir"] = Path(folder).expanduser()
    flags = {"allow-private": "--allow-private-links", "archive-endpoint": "--archive-endpoint URL"}
    warnings = [
        f"links.{key} in {where} ignored: a repository's configuration may not choose what the link "
        f"checker contacts; pass {flags[key]} or set it in {user_config_path()}"
        for key in refused
    ]
    return replace(LinkSettings(), use_cache=use_cache, archive=archive, **values), warnings
