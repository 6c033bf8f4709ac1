"""Link verification: is every cited URL still reachable, moved, walled off or archived?

The network layer only; rules such as dead-link turn LinkResult states into findings.
"""

from citelint.links.checker import check_links, check_links_async
from citelint.links.model import (
    BLOCKED,
    DEAD,
    EXCLUDED,
    OFFLINE,
    OK,
    REDIRECTED,
    SKIPPED,
    STATES,
    TRANSIENT,
    UNSAFE,
    LinkResult,
    LinkSettings,
)
from citelint.links.safety import NameNotFound, ResolutionFailed, Resolver
from citelint.resources import default_cache_dir

__all__ = [
    "BLOCKED",
    "DEAD",
    "EXCLUDED",
    "OFFLINE",
    "OK",
    "REDIRECTED",
    "SKIPPED",
    "STATES",
    "TRANSIENT",
    "UNSAFE",
    "LinkResult",
    "LinkSettings",
    "NameNotFound",
    "ResolutionFailed",
    "Resolver",
    "check_links",
    "check_links_async",
    "default_cache_dir",
]
