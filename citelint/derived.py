"""Data derived from citelint's own files, kept between runs.

Every run used to parse the tagger's weights (JSON, 0.23 s) and parse and validate the source
registry (YAML and JSON Schema, 0.19 s) before linting anything: most of the time it takes to
lint one article, and paid again by every worker of a large run. The derived data is stored
with ``marshal`` in the user cache folder, under a name that hashes the source files' bytes,
the Python version (marshal's format is not stable across versions) and citelint's version, so
an edited file or an upgrade never reads a stale copy. Any problem with the cache (missing,
corrupt, read-only folder) falls back to deriving the data again: the cache only saves time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from citelint import __version__
from citelint.resources import default_cache_dir


def cached(kind: str, sources: Iterable[Path], derive: Callable[[], Any]) -> Any:
    """``derive()``, or its copy from an earlier run over byte-identical ``sources``."""
    try:
        digest = hashlib.sha256(f"{kind}\0{sys.version}\0{__version__}".encode())
        for source in sources:
            digest.update(Path(source).read_bytes())
    except OSError:
        return derive()  # an unreadable source: let derive() report it
    path = default_cache_dir() / "derived" / f"{kind}-{digest.hexdigest()[:24]}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = derive()
    _store(path, kind, value)
    return value


def _store(path: Path, kind: str, value: Any) -> None:
    """Write atomically (workers of one run may race to write the same file), then remove the
    copies derived from earlier versions of the same sources."""
    try:
        data = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for stale in path.parent.glob(f"{kind}-*.marshal"):
            if stale != path and stale.name.rsplit("-", 1)[0] == kind:
                stale.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass  # read-only or full disk, or a value marshal cannot store: run without the cache
