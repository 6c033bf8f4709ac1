"""On-disk cache of link results, so re-linting an article does not re-hit every site.

One JSON file keyed by URL. It is only ever replaced whole (temp file +
os.replace), so a reader never sees half a file and concurrent runs cannot
corrupt it; at worst one run's new entries are lost. Anything unreadable is
treated as an empty cache.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from citelint.links.model import CACHEABLE_STATES, LinkResult

log = logging.getLogger(__name__)

CACHE_FILE = "links-v1.json"
_FORMAT = 1


@dataclasses.dataclass
class _Entry:
    result: LinkResult
    checked_at: float
    public: bool  # every address the URL resolved to was public


# The JSON types each stored LinkResult field must have (redirects handled apart).
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "url": (str,),
    "state": (str,),
    "status": (int, type(None)),
    "final_url": (str, type(None)),
    "detail": (str,),
    "permanent_redirect": (bool,),
    "archive_url": (str, type(None)),
    "archive_checked": (bool,),
}


def _result_from_json(data: Any) -> LinkResult:
    """Rebuild a stored result, raising ValueError for anything another version or a bad write left behind."""
    if not isinstance(data, dict):
        raise ValueError("entry is not an object")
    for name, types in _FIELD_TYPES.items():
        if not isinstance(data.get(name), types):
            raise ValueError(f"field {name} is missing or has the wrong type")
    redirects = tuple((int(status), str(url)) for status, url in data.get("redirects", ()))
    values = {name: data[name] for name in _FIELD_TYPES}
    result = LinkResult(**values, redirects=redirects, from_cache=True)
    if result.state not in CACHEABLE_STATES:
        raise ValueError(f"state {result.state!r} is never cached")
    return result


class LinkCache:
    """Results of earlier runs, valid for `ttl` seconds."""

    def __init__(self, directory: Path, ttl: float):
        self.path = Path(directory) / CACHE_FILE
        self.ttl = ttl
        self._entries: dict[str, _Entry] = self._read()
        self._dirty = False

    def _read(self) -> dict[str, _Entry]:
        """Load the file; a missing, corrupt or foreign file yields an empty cache."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
            return {}
        stored = raw.get("entries")
        if not isinstance(stored, dict):
            return {}
        entries: dict[str, _Entry] = {}
        for url, item in stored.items():
            try:
                entries[url] = _Entry(
                    _result_from_json(item["result"]), float(item["checked_at"]), bool(item["public"])
                )
            except (KeyError, TypeError, ValueError):
                continue  # one bad entry does not spoil the others
        return entries

    def get(self, key: str, allow_private: bool, now: float | None = None) -> LinkResult | None:
        """A fresh cached result, or None. Entries for private targets only serve runs that allow them."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        current = time.time() if now is None else now
        if current - entry.checked_at >= self.ttl:
            return None
        if not entry.public and not allow_private:
            return None
        return entry.result

    def put(self, key: str, result: LinkResult, public: bool, now: float | None = None) -> None:
        """Remember a result if its state is worth remembering."""
        if result.state not in CACHEABLE_STATES:
            return
        stored = dataclasses.replace(result, from_cache=True)
        self._entries[key] = _Entry(stored, time.time() if now is None else now, public)
        self._dirty = True

    def add_archive(self, key: str, archive_url: str | None) -> None:
        """Record a late archive lookup without making the link check itself look newer."""
        entry = self._entries.get(key)
        if entry is None:
            return
        entry.result = dataclasses.replace(entry.result, archive_url=archive_url, archive_checked=True)
        self._dirty = True

    def save(self) -> None:
        """Merge with what other runs wrote meanwhile and replace the file atomically."""
        if not self._dirty:
            return
        now = time.time()
        merged = {u: e for u, e in self._read().items() if now - e.checked_at < self.ttl}
        merged.update(self._entries)
        payload = {
            "format": _FORMAT,
            "entries": {
                url: {
                    "checked_at": entry.checked_at,
                    "public": entry.public,
                    "result": dataclasses.asdict(entry.result),
                }
                for url, entry in merged.items()
            },
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(prefix=".links-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(payload, handle)
                os.replace(temp_name, self.path)
            except BaseException:
                Path(temp_name).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("could not write link cache %s: %s", self.path, exc)
            return
        self._entries = merged
        self._dirty = False
