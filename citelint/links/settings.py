"""Link-check settings from the ``links:`` section of the configuration and CLI flags."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

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


def settings_from_config(
    section: dict[str, Any], use_cache: bool = True, cache_dir: str | None = None, archive: bool = False
) -> LinkSettings:
    values: dict[str, Any] = {field: section[key] for key, field in _FIELDS.items() if key in section}
    if "timeout" in section:
        values["timeout_connect"] = min(float(section["timeout"]), LinkSettings.timeout_connect)
    if "exclude" in section:
        values["exclude"] = tuple(section["exclude"])
    folder = cache_dir or section.get("cache-dir")
    if folder:
        values["cache_dir"] = Path(folder).expanduser()
    return replace(LinkSettings(), use_cache=use_cache, archive=archive, **values)
