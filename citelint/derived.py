"""Data derived from citelint's own files, kept between runs.

Every run used to parse the tagger's weights (JSON, 0.23 s) and parse and validate the source
registry (YAML and JSON Schema, 0.19 s) before linting anything: most of the time it takes to
lint one article, and paid again by every worker of a large run. The derived data is stored
with ``marshal`` in the user cache folder, under a name that hashes the source files' bytes,
the Python version (marshal's format is not stable across versions) and citelint's version, so
an edited file or an upgrade never reads a stale copy. The name also hashes the module that
derives the data, so a changed derivation (a working copy between releases) never reads a copy of
another shape. A copy is read back only if it is exactly what was written: it starts with a
marker and the SHA-256 of its payload, so a file of any other origin (another tool, a hand edit,
a truncated write), however valid its contents, is derived again rather than handed to the rules.
Any problem with the cache (missing, corrupt, read-only folder) falls back to deriving the data
again: the cache only saves time.
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

_MARKER = b"citelint-derived-1\n"
_DIGEST_SIZE = hashlib.sha256().digest_size


def cached(kind: str, sources: Iterable[Path], derive: Callable[[], Any]) -> Any:
    """``derive()``, or its copy from an earlier run over byte-identical ``sources`` (and an
    identical module defining ``derive``)."""
    deriving_module = getattr(getattr(derive, "__code__", None), "co_filename", None)
    try:
        digest = hashlib.sha256(f"{kind}\0{sys.version}\0{__version__}".encode())
        for source in [*sources, *([deriving_module] if deriving_module else [])]:
            digest.update(Path(source).read_bytes())
    except OSError:
        return derive()  # an unreadable source: let derive() report it
    path = default_cache_dir() / "derived" / f"{kind}-{digest.hexdigest()[:24]}.marshal"
    try:
        return _unframe(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = derive()
    _store(path, kind, value)
    return value


def _unframe(data: bytes) -> Any:
    """The value in a file written by _store; ValueError for anything else."""
    header = len(_MARKER) + _DIGEST_SIZE
    payload = data[header:]
    if data[: len(_MARKER)] != _MARKER or data[len(_MARKER) : header] != hashlib.sha256(payload).digest():
        raise ValueError("not a copy citelint wrote")
    return marshal.loads(payload)


def _store(path: Path, kind: str, value: Any) -> None:
    """Write atomically (workers of one run may race to write the same file), then remove the
    copies derived from earlier versions of the same sources."""
    try:
        payload = marshal.dumps(value)
        data = _MARKER + hashlib.sha256(payload).digest() + payload
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
