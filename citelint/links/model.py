"""Settings and result types of the link checker.

Kept apart from the engine so the cache and the rules can use them without
importing the network code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citelint import __version__

# Every state a LinkResult can carry.
OK = "ok"
DEAD = "dead"
BLOCKED = "blocked"
REDIRECTED = "redirected"
TRANSIENT = "transient"
SKIPPED = "skipped"
EXCLUDED = "excluded"
UNSAFE = "unsafe"
OFFLINE = "offline"

STATES = (OK, DEAD, BLOCKED, REDIRECTED, TRANSIENT, SKIPPED, EXCLUDED, UNSAFE, OFFLINE)

# Results that say something lasting about the link. The others depend on the
# moment (transient, offline) or on this run's settings (unsafe, excluded,
# skipped) and are recomputed every time.
CACHEABLE_STATES = frozenset({OK, DEAD, BLOCKED, REDIRECTED})


@dataclass(frozen=True)
class LinkSettings:
    """How links are checked. All durations are in seconds."""

    timeout_connect: float = 5.0
    timeout_read: float = 10.0
    max_concurrency: int = 32
    per_host_concurrency: int = 2
    per_host_interval: float = 0.2  # between request starts to one host
    retries: int = 2
    backoff_base: float = 0.5  # first retry delay when the server gives no Retry-After
    total_budget: float = 120.0  # for the whole run, retries included
    max_bytes: int = 65536
    user_agent: str = f"citelint/{__version__} (+link check)"
    allow_private: bool = False
    exclude: tuple[str, ...] = ()  # regexes searched in the URL
    # A well-known name whose failed lookup means "no network", not "no such
    # site". None disables the canary (then only the all-hosts-failed test applies).
    offline_canary: str | None = "example.com"
    cache_dir: Path | None = None  # None: the platform cache directory
    use_cache: bool = True
    cache_ttl: float = 7 * 86400
    archive: bool = False
    archive_endpoint: str = "https://archive.org/wayback/available"


@dataclass(frozen=True)
class LinkResult:
    """What is known about one URL after a run."""

    url: str
    state: str
    status: int | None
    final_url: str | None
    redirects: tuple[tuple[int, str], ...]
    detail: str
    permanent_redirect: bool
    archive_url: str | None
    from_cache: bool
    # True when the archive service actually answered for this URL, so a missing
    # archive_url means "not archived" rather than "could not ask".
    archive_checked: bool = False
