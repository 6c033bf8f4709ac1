"""The result cache: a file's report, kept between runs, as ruff keeps its results.

A pre-commit hook or a CI job lints mostly files that have not changed since the last run; the
analysis of an unchanged file under unchanged settings gives the same report, so it is read
back instead of computed. An entry is keyed by everything the report depends on:

* the file's bytes and the name it is reported under;
* the settings that apply to it (each active rule with its level and options, the confidence
  floor, the budget, the configured sources and suppression settings, ``lint-non-english``);
* citelint itself: its version and the bytes of its code, rules, lexicons, source registry and
  model weights (so an edited rule or a retrained model never serves an old report), the model
  ``CITELINT_VERDICT_MODEL`` chooses, and the versions of the libraries that shape a report.

Link findings are never served from it (a run that checks links does not use it: a link dies
without the file changing), nor is a report cut short by a budget or a crash (whether or not the
rules that report those are on). Entries are files
in ``<cache folder>/results/<citelint's fingerprint>/``, each written whole (temporary file, then
rename) so concurrent runs and pool workers never read half of one; an entry that is not exactly
what citelint wrote is ignored and linted again. Deleting the folder is always safe. Of the folders
of other fingerprints (another version, edited rules, another install sharing the cache) the three
most recently used are kept when a new one is made, and the least recently used entries are pruned,
once a run at most, when a folder holds more than :data:`MAX_ENTRIES`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import citelint
from citelint import __version__
from citelint.derived import frame, unframe
from citelint.diagnostics import Diagnostic, Notice
from citelint.resources import rules_dir
from citelint.safeio import write_replacing

FOLDER = "results"
#: Entries kept per fingerprint (an entry is a few kB): far more files than a newsroom's
#: repository holds, far less than the disk a cache folder may take.
MAX_ENTRIES = 50_000
#: Rules whose findings depend on the run rather than on the file: their reports are not kept.
UNCACHED_RULES = frozenset({"analysis-budget-exceeded", "internal-error"})
_ENTRY_SUFFIX = ".entry"
#: Entries sit in folders named by their key's first two hex digits.
_SHARDS = 256
#: What a fingerprint's folder is named like: only such folders are ever removed, so a
#: ``--cache-dir`` that holds other things under ``results/`` loses none of them.
_FINGERPRINT_NAME = re.compile(r"[0-9a-f]{24}")
#: Folders of other fingerprints kept (another install sharing the cache, a pinned hook beside a
#: project's own citelint): the most recently used; older ones go when a new one is made.
KEEP_OTHER_FINGERPRINTS = 3


@functools.cache
def citelint_fingerprint() -> str:
    """A digest of citelint's version and of the bytes of its code and data (rules, lexicons,
    source registry and model weights): a few milliseconds, once per run."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    digest.update(_model_in_use())
    digest.update(_libraries_in_use())
    package = Path(citelint.__file__).resolve().parent
    files: list[str] = []
    rules = rules_dir().resolve()
    for root in (package,) if rules.is_relative_to(package) else (package, rules):  # in a wheel, rules are package data
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
            files.extend(os.path.join(folder, name) for name in sorted(names) if not name.endswith((".pyc", ".tmp")))
    for name in files:
        try:
            with open(name, "rb") as stream:
                digest.update(os.path.relpath(name, package).encode() + b"\0" + stream.read())
        except OSError:
            digest.update(f"{name}\0unreadable".encode())
    return digest.hexdigest()[:24]


def _model_in_use() -> bytes:
    """The weights the scorer reads: "none", "shipped" (the file is hashed with the package), or
    the bytes of the file ``CITELINT_VERDICT_MODEL`` names."""
    from citelint.analysis.scoring import MODEL_PATH, chosen_model_path

    path = chosen_model_path()
    if path is None or path == MODEL_PATH:
        return b"\0model:none" if path is None else b"\0model:shipped"
    try:
        return b"\0model:" + path.read_bytes()
    except OSError:
        return f"\0model:unreadable {path}".encode()


#: The libraries whose version can change a report: the Markdown parser, the YAML reader of
#: front matter, the domain codec. (httpx only checks links, which are never cached.)
REPORT_LIBRARIES = ("marko", "PyYAML", "idna")


def _libraries_in_use() -> bytes:
    """The installed versions of :data:`REPORT_LIBRARIES`: after ``pip install -U marko`` no
    report the old parser made is served."""
    versions = _installed_versions(REPORT_LIBRARIES)
    if versions is None:
        versions = _metadata_versions(REPORT_LIBRARIES)
    return ("\0" + ",".join(f"{name}={versions.get(_normalised(name), '?')}" for name in REPORT_LIBRARIES)).encode()


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _installed_versions(names: tuple[str, ...]) -> dict[str, str] | None:
    """Versions of installed distributions, read from their ``*.dist-info`` folder names along
    ``sys.path`` (the first found wins, as ``importlib.metadata`` finds them) without importing
    ``importlib.metadata``: that import alone cost every run about 10 ms. None when the path
    holds what only ``importlib.metadata`` reads exactly (a zip file, an ``.egg``, an
    ``.egg-info`` or a folder name without a version): then the caller asks it."""
    wanted = {_normalised(name) for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        if os.path.isfile(entry or "."):
            return None  # a zip on the path
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in listing:
            stem, dot, suffix = folder.rpartition(".")
            suffix = suffix.lower()
            if not dot or suffix not in ("dist-info", "egg-info", "egg"):
                continue
            name, _, version = stem.partition("-")
            key = _normalised(name)
            if key in wanted and key not in found:
                if suffix != "dist-info" or not version:
                    return None
                found[key] = version
        if len(found) == len(wanted):
            break
    return found


def _metadata_versions(names: tuple[str, ...]) -> dict[str, str]:
    from importlib import metadata

    versions = {}
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[_normalised(name)] = metadata.version(name)
    return versions


class ResultCache:
    """Reports by key, in one folder per citelint fingerprint. Every problem with the folder
    (missing, read-only, full, corrupt entries) only costs time: the file is linted again."""

    def __init__(self, folder: Path, fingerprint: str | None = None, max_entries: int = MAX_ENTRIES) -> None:
        self.root = Path(folder) / FOLDER
        self.folder = self.root / (fingerprint or citelint_fingerprint())
        self.max_entries = max_entries
        self._prepared = False
        self._pruned = False

    @staticmethod
    def key(settings: str, display: str, data: bytes) -> str:
        """The entry for ``data`` reported as ``display`` under ``settings`` (a string that
        changes whenever anything else the report depends on changes)."""
        digest = hashlib.sha256(settings.encode())
        digest.update(b"\0" + display.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / (key[2:] + _ENTRY_SUFFIX)  # _SHARDS folders

    def get(self, key: str, report: Any) -> bool:
        """Fill ``report`` (an engine ``FileReport``, its path set) from the entry ``key``;
        False, leaving it untouched, when there is none (or none this citelint wrote)."""
        try:
            stored = unframe(self._path(key).read_bytes())
            values = {name: _decoded(name, value) for name, value in stored.items()}
            if set(values) != _stored_fields(report):
                return False
        except (OSError, ValueError, EOFError, TypeError, AttributeError):
            return False
        for name, value in values.items():
            setattr(report, name, value)
        with contextlib.suppress(OSError):
            os.utime(self._path(key))  # used now: pruning removes the least recently used first
        return True

    def put(self, key: str, report: Any) -> None:
        """Keep ``report`` as the entry ``key``, unless its findings depend on the run."""
        if report.cut_short or any(diagnostic.rule in UNCACHED_RULES for diagnostic in report.diagnostics):
            return
        value = {name: _encoded(name, getattr(report, name)) for name in _stored_fields(report)}
        path = self._path(key)
        try:
            self._prepare()
            path.parent.mkdir(exist_ok=True)
            write_replacing(path, frame(value))
            # Keys are uniform, so one shard's size tells the folder's without listing it all;
            # pruning (a walk of every entry) happens at most once a run.
            if not self._pruned and len(os.listdir(path.parent)) * _SHARDS > self.max_entries:
                self._pruned = True
                self.prune()
        except (OSError, ValueError):
            pass  # read-only or full disk, or a value marshal cannot store: the next run lints the file again

    def _prepare(self) -> None:
        """Make this fingerprint's folder (and mark it used); the first run to make it removes the
        folders of other fingerprints but the :data:`KEEP_OTHER_FINGERPRINTS` most recently used.
        Nothing but a fingerprint's folder is ever removed."""
        if self._prepared:
            return
        self._prepared = True
        try:
            self.folder.mkdir(parents=True)
        except FileExistsError:
            with contextlib.suppress(OSError):
                os.utime(self.folder)
            return
        others = [other for other in self.root.iterdir()
                  if other != self.folder and _FINGERPRINT_NAME.fullmatch(other.name) and other.is_dir()]
        others.sort(key=lambda other: other.stat().st_mtime_ns, reverse=True)
        for other in others[KEEP_OTHER_FINGERPRINTS:]:
            import shutil  # here: most runs remove no cache of another version

            shutil.rmtree(other, ignore_errors=True)

    def prune(self) -> None:
        """Remove the least recently used entries down to seven tenths of :attr:`max_entries` (not
        just to the bound, so that later runs do not prune again at once)."""
        keep = self.max_entries * 7 // 10
        try:
            entries = [entry for shard in self.folder.iterdir() if shard.is_dir() for entry in os.scandir(shard)]
            if len(entries) <= keep:
                return
            entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
            for entry in entries[: len(entries) - keep]:
                Path(entry.path).unlink(missing_ok=True)
        except OSError:
            pass  # another run pruned or deleted the folder meanwhile


def _stored_fields(report: Any) -> set[str]:
    """Every field of a report but its path (the key holds it)."""
    return {field.name for field in fields(report)} - {"path"}


#: The fields that hold findings or notices, stored as tuples of their own fields in order.
_ITEM_TYPES: dict[str, type] = {"diagnostics": Diagnostic, "suppressed": Diagnostic, "notices": Notice}


def _encoded(name: str, value: Any) -> Any:
    if name in _ITEM_TYPES:
        return [tuple(getattr(item, field.name) for field in fields(item)) for item in value]
    return value


def _decoded(name: str, value: Any) -> Any:
    if name in _ITEM_TYPES:
        return [_ITEM_TYPES[name](*item) for item in value]
    return value
