"""On-disk cache of link results, so re-linting an article does not re-hit every site.

One JSON file keyed by URL. It is only ever replaced whole (temp file +
os.replace), so a reader never sees half a file; a writer holds a lock file while
it merges its entries with what other runs wrote meanwhile, so concurrent runs
keep each other's entries. Anything unreadable is treated as an empty cache, with
a notice when the file is there but is not a link cache. An entry counts only
while it is younger than the time to live: one dated in the future or not dated
at all is dropped, and expired entries are dropped whenever the file is written.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from citelint.links.model import CACHEABLE_STATES, LinkResult
from citelint.safeio import TooLarge, read_regular, replacing

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

log = logging.getLogger(__name__)

CACHE_FILE = "links-v1.json"
LOCK_FILE = CACHE_FILE + ".lock"
_FORMAT = 1
# Far more than any real cache (an entry is ~300 bytes); a bigger file is not read.
MAX_CACHE_BYTES = 64 * 1024 * 1024
# How long a run waits for another run's write before giving up on saving its own entries.
LOCK_WAIT = 10.0


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
    hops = data.get("redirects", [])
    if not isinstance(hops, list) or not all(
        isinstance(hop, list) and len(hop) == 2 and isinstance(hop[0], int) and isinstance(hop[1], str) for hop in hops
    ):
        raise ValueError("redirects is not a list of [status, url] pairs")
    values = {name: data[name] for name in _FIELD_TYPES}
    result = LinkResult(**values, redirects=tuple((status, url) for status, url in hops), from_cache=True)
    if result.state not in CACHEABLE_STATES:
        raise ValueError(f"state {result.state!r} is never cached")
    return result


def _entry_from_json(item: Any) -> _Entry:
    if not isinstance(item, dict):
        raise ValueError("entry is not an object")
    checked_at, public = item.get("checked_at"), item.get("public")
    if isinstance(checked_at, bool) or not isinstance(checked_at, (int, float)) or not math.isfinite(checked_at):
        raise ValueError("checked_at is not a time")
    if not isinstance(public, bool):
        raise ValueError("public is not true or false")
    return _Entry(_result_from_json(item.get("result")), float(checked_at), public)


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold the cache's lock file (released when it is closed, even by a crash)."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                _try_lock(fd)
                break
            except (BlockingIOError, PermissionError):
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"another run has held {lock_path} for {LOCK_WAIT:g} s") from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


class LinkCache:
    """Results of earlier runs, valid for `ttl` seconds. `warn` receives what a user should
    hear about the cache file (ignored as corrupt, not writable)."""

    def __init__(self, directory: Path, ttl: float, warn: Callable[[str], None] | None = None):
        self.path = Path(directory) / CACHE_FILE
        self.ttl = ttl
        self._warn = warn or log.warning
        self._entries: dict[str, _Entry] = self._read(time.time(), report=True)
        self._dirty = False

    def _fresh(self, entry: _Entry, now: float) -> bool:
        """Checked within the time to live, and not in the future (a NaN age is neither)."""
        return 0 <= now - entry.checked_at < self.ttl

    def _read(self, now: float, report: bool) -> dict[str, _Entry]:
        """The fresh entries of the file; a missing, corrupt or foreign file yields none."""
        stored, problem = self._stored()
        if problem is not None:
            if report:
                self._warn(f"link cache {self.path} ignored ({problem}); it is replaced on the next write")
            return {}
        entries: dict[str, _Entry] = {}
        for url, item in stored.items():
            try:
                entry = _entry_from_json(item)
            except (TypeError, ValueError):
                continue  # one bad entry does not spoil the others
            if self._fresh(entry, now):
                entries[url] = entry
        return entries

    def _stored(self) -> tuple[dict[str, Any], str | None]:
        """The file's entries, or why it is not a link cache (None: nothing to say)."""
        try:
            text = read_regular(self.path, MAX_CACHE_BYTES).decode("utf-8")
            raw = json.loads(text)
        except (FileNotFoundError, NotADirectoryError):
            return {}, None
        except TooLarge:
            return {}, f"larger than {MAX_CACHE_BYTES // (1024 * 1024)} MB"
        except RecursionError:
            return {}, "nested too deeply"
        except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            return {}, f"unreadable: {exc}"
        if isinstance(raw, dict) and "format" in raw and raw["format"] != _FORMAT:
            return {}, None  # another version's cache: replaced without fuss
        if not isinstance(raw, dict) or not isinstance(raw.get("entries"), dict):
            return {}, "not a link cache"
        return raw["entries"], None

    def get(self, key: str, allow_private: bool, now: float | None = None) -> LinkResult | None:
        """A fresh cached result, or None. Entries for private targets only serve runs that allow them."""
        entry = self._entries.get(key)
        if entry is None or not self._fresh(entry, time.time() if now is None else now):
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
        """Under the lock: merge with what other runs wrote meanwhile (the newer check of a URL
        wins), drop expired entries, and replace the file atomically."""
        if not self._dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _exclusive(self.path.with_name(LOCK_FILE)):
                now = time.time()
                merged = self._read(now, report=False)
                for url, entry in self._entries.items():
                    if self._fresh(entry, now) and (url not in merged or merged[url].checked_at <= entry.checked_at):
                        merged[url] = entry
                self._replace(merged)
        except OSError as exc:
            self._warn(f"could not write link cache {self.path}: {exc}")
            return
        self._entries = merged
        self._dirty = False

    def _replace(self, entries: dict[str, _Entry]) -> None:
        payload = {
            "format": _FORMAT,
            "entries": {
                url: {"checked_at": entry.checked_at, "public": entry.public, "result": dataclasses.asdict(entry.result)}
                for url, entry in entries.items()
            },
        }
        with replacing(self.path, ".links-") as (fd, _), os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
