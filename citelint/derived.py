"""Data derived from citelint's own files, kept between runs.

Every run used to parse the tagger's weights (JSON, 0.23 s) and parse and validate the source
registry (YAML and JSON Schema, 0.19 s) before linting anything: most of the time it takes to
lint one article, and paid again by every worker of a large run. The derived data is stored
with ``marshal`` in the user cache folder, under a name that hashes the source files' bytes,
the Python version (marshal's format is not stable across versions) and citelint's version, so
an edited file or an upgrade never reads a stale copy. The name also hashes the module that
derives the data, so a changed derivation (a working copy between releases) never reads a copy of
another shape. A copy is read back only if it is exactly what was written: it starts with a
marker and the CRC-32 of its payload, so a file of any other origin (another tool, a hand edit,
a truncated write), however valid its contents, is derived again rather than handed to the rules.
(A checksum, not a cryptographic hash: it guards against accidents, and anyone who could forge
a copy could as well write the folder's every file. The SHA-256 of the payload took twice as long,
3 ms of a run on one article.)
Any problem with the cache (missing, corrupt, read-only folder) falls back to deriving the data
again: the cache only saves time.

Compiling a large regex costs more than reading it: the source registry's one pattern of every
name took 70 ms to compile at every start. :func:`compiled_regex` keeps what ``re`` compiles a
pattern to (the program ``_sre`` runs; the cache name holds the Python version, whose engine it
belongs to), and the pattern is built and compiled only when its sources change. The other
patterns (built from the lexicons and rule options when first needed) are kept the same way by
:func:`remember_regexes` and handed to ``re``'s own cache by :func:`preload_regexes` at the next
start.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import importlib
import itertools
import marshal
import os
import re
import stat
import sys
import types
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

from citelint import __version__
from citelint.resources import default_cache_dir
from citelint.safeio import write_replacing

_VALUE = TypeVar("_VALUE")

#: Changed with the layout of what is stored (2: packed tables as one bytes; 3: a CRC-32 check
#: rather than SHA-256), so that a copy of an older layout is derived again rather than misread.
_MARKER = b"citelint-derived-3\n"
_CHECK_SIZE = 4


def cached(kind: str, sources: Iterable[Path], derive: Callable[[], Any], keyed_by: Callable | None = None) -> Any:
    """``derive()``, or its copy from an earlier run over byte-identical ``sources`` (and an
    identical module defining ``derive``, or ``keyed_by`` when given)."""
    deriving_module = getattr(getattr(keyed_by or derive, "__code__", None), "co_filename", None)
    try:
        digest = hashlib.sha256(f"{kind}\0{sys.version}\0{__version__}".encode())
        for source in [*sources, *([deriving_module] if deriving_module else [])]:
            data = Path(source).read_bytes()
            # The name and length too: an empty file added to a folder of rules changes no bytes.
            digest.update(f"\0{Path(source).name}\0{len(data)}\0".encode() + data)
        path = default_cache_dir() / "derived" / f"{kind}-{digest.hexdigest()[:24]}.marshal"
    except (OSError, RuntimeError):
        return derive()  # an unreadable source (let derive() report it), or no home folder for a cache
    try:
        with collection_paused():
            return unframe(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = derive()
    _store(path, kind, value)
    return value


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No garbage collection while a large structure is built, nor over it afterwards: every few
    hundred new containers trigger a collection that walks them all again (a tenth of the
    start-up of a run on one article), and data loaded once and kept for the whole run holds no
    garbage to find, so it is moved out of the collector's sight (``gc.freeze``) once built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def frame(value: Any) -> bytes:
    """``value`` as stored: the marker, the CRC-32 of the payload, the payload (ValueError for a
    value marshal cannot store)."""
    payload = marshal.dumps(value)
    return _MARKER + zlib.crc32(payload).to_bytes(_CHECK_SIZE, "big") + payload


def unframe(data: bytes) -> Any:
    """The value in bytes written by :func:`frame`; ValueError (or EOFError, TypeError) for
    anything else."""
    header = len(_MARKER) + _CHECK_SIZE
    payload = memoryview(data)[header:]  # not a copy: the tagger's weights alone are 6 MB
    if data[: len(_MARKER)] != _MARKER or data[len(_MARKER) : header] != zlib.crc32(payload).to_bytes(_CHECK_SIZE, "big"):
        raise ValueError("not a copy citelint wrote")
    return marshal.loads(payload)


def _private_folder(folder: Path) -> None:
    """Make ``folder`` (the derived-data folder) if need be, writable by this user alone: it holds
    the stored dataclass code, which is read only from such a folder (:func:`_read_private`),
    whatever the umask (002 on systems with a group per user)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = folder.stat()
    if status.st_mode & 0o022 and status.st_uid == getattr(os, "getuid", lambda: -1)():
        folder.chmod(status.st_mode & 0o755)


def _write_store(path: Path, value: Any) -> None:
    """``value`` as :func:`frame` stores it, written whole to ``path`` in the private derived-data
    folder (OSError, ValueError or, with no home folder, RuntimeError for the caller to pass over)."""
    _private_folder(path.parent)
    write_replacing(path, frame(value))


#: Entries per bucket of a packed table, on average.
_BUCKET_SIZE = 8
#: A packed table unpacks whole once it has answered one lookup for every this many of its
#: entries: a lookup through :meth:`PackedTable._get` costs some twenty times what unpacking one
#: entry does, so a run over many articles soon looks names up at a dictionary's speed, while one
#: article (a few hundred lookups a table) leaves every table packed.
_ENTRIES_PER_LOOKUP = 16


def _bucket_of(name: str, buckets: int) -> int:
    """A name's bucket, the same in every process (``hash()`` of a string is not)."""
    return zlib.crc32(name.encode("utf-8", "surrogatepass")) % buckets


#: A table as :func:`packed` lays it out: its buckets, each marshalled alone, end to end in one
#: bytes, and the offset where each bucket ends.
Packed = tuple[bytes, tuple[int, ...]]


def packed(table: dict[str, Any]) -> Packed:
    """``table`` as buckets of entries, to be read by :class:`PackedTable`. One bytes rather than
    a list of a bytes per bucket: marshal took 3 µs to load each of those thousands at every start
    (10 ms of a run on one article), and loads one large bytes as fast as it copies it."""
    buckets: list[dict[str, Any]] = [{} for _ in range(-(-len(table) // _BUCKET_SIZE))]
    for name, value in sorted(table.items()):
        buckets[_bucket_of(name, len(buckets))][name] = value
    parts = [marshal.dumps(bucket) for bucket in buckets]
    return b"".join(parts), tuple(itertools.accumulate(map(len, parts)))


class PackedTable(Generic[_VALUE]):
    """A large table of name -> value from the cache, unpacked a bucket at a time as names are
    looked up: a run on one article reads a few thousand of the entries of the verdict model and
    the cue tagger, and building every entry at each start took a sixth of it. After enough
    lookups (``_ENTRIES_PER_LOOKUP``) it unpacks whole and ``get`` becomes the dictionary's own.
    Read-only and safe to share between threads; ``get`` answers as a dictionary of the table would
    (no value may be None)."""

    __slots__ = ("_packed", "_opened", "_entries", "_lookups_left", "get")

    def __init__(self, table: Packed) -> None:
        self._packed = table
        buckets = len(table[1])
        self._opened = bytearray(buckets)  # 1 for a bucket whose entries are in (a set of numbers took 2 ms)
        self._entries: dict[str, _VALUE] = {}
        self._lookups_left = buckets * _BUCKET_SIZE // _ENTRIES_PER_LOOKUP
        self.get: Callable[..., Any] = self._get if buckets else self._entries.get

    def _get(self, name: str, default: Any = None, /) -> Any:
        self._lookups_left -= 1
        found = self._entries.get(name)
        if found is not None:
            return found
        table = self._packed  # the table in hand, even if another thread lets it go
        if not table[1]:  # another thread has just unpacked it whole
            return self._entries.get(name, default)
        if self._lookups_left < 0:
            self._open(table, *(index for index, opened in enumerate(self._opened) if not opened))
            self.get = self._entries.get
            self._packed = (b"", ())  # all in ``_entries`` now: not kept twice
        else:
            self._open(table, _bucket_of(name, len(table[1])))
        return self._entries.get(name, default)

    def _open(self, table: Packed, *indices: int) -> None:
        # A bucket counts as opened only once its entries are in: a file's time budget (or a
        # MemoryError) can stop a lookup anywhere, and the run goes on with the next file.
        data, ends = table
        for index in indices:
            if not self._opened[index]:
                self._entries.update(marshal.loads(memoryview(data)[ends[index - 1] if index else 0 : ends[index]]))
                self._opened[index] = 1

    def __bool__(self) -> bool:
        return bool(self._packed[1] or self._entries)


def compiled_regex(kind: str, sources: Iterable[Path], build: Callable[[], str], flags: int = 0) -> re.Pattern[str]:
    """``re.compile(build(), flags)``, from the program compiled by an earlier run over
    byte-identical ``sources`` (and an identical module defining ``build``)."""
    try:
        program = cached(kind, [*sources, Path(__file__)], lambda: _regex_program(build(), flags), keyed_by=build)
        return importlib.import_module("_sre").compile(*program)
    except (TypeError, ValueError, RuntimeError):  # not the program this interpreter would run
        return re.compile(build(), flags)


#: The patterns whose programs came from (or went to) the store of :func:`preload_regexes`.
_STORED_PROGRAMS: dict[tuple[str, int], tuple] = {}
_PROGRAMS_KIND = "regex-programs"
#: Five times the patterns a run compiles (some 200); a store this large keeps only the patterns
#: of the run that writes it (patterns of edited lexicons and earlier versions pile up otherwise,
#: and every run reads the whole store).
_MAX_STORED_PROGRAMS = 1_000


def _programs_path() -> Path:
    """The store of compiled patterns: a program depends only on its pattern, its flags and the
    Python version (the ``re`` engine it was compiled for)."""
    return _compiled_store_path(_PROGRAMS_KIND)


def _compiled_store_path(kind: str) -> Path:
    """Where a store of what this Python compiled is kept: named by the Python version (whose
    engine and bytecode it holds) and citelint's."""
    digest = hashlib.sha256(f"{sys.version}\0{__version__}".encode()).hexdigest()[:24]
    return default_cache_dir() / "derived" / f"{kind}-{digest}.marshal"


def preload_regexes() -> None:
    """Put every pattern an earlier run compiled into ``re``'s own cache, from its stored program,
    so that ``re.compile`` finds it there: the patterns built from the lexicons and the rules'
    options took 60 ms to compile in a run on one article, four fifths of its analysis."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict) or _STORED_PROGRAMS:  # another ``re`` than the store's; or done already
        return
    try:
        with collection_paused():
            programs = unframe(_programs_path().read_bytes())
        compile_program = importlib.import_module("_sre").compile
        for flags, *program in programs:
            cache.setdefault((str, program[0], flags), compile_program(*program))
            _STORED_PROGRAMS[program[0], flags] = (flags, *program)
    except (OSError, ValueError, EOFError, TypeError, RuntimeError):
        return  # no store yet, or not one this interpreter can use: patterns are compiled as usual


def remember_regexes() -> None:
    """Add the patterns compiled since :func:`preload_regexes` to its store (for the next run)."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return
    new = [(pattern, flags) for kind, pattern, flags in list(cache)
           if kind is str and type(flags) is int and (pattern, flags) not in _STORED_PROGRAMS]
    if not new:
        return
    if len(_STORED_PROGRAMS) + len(new) > _MAX_STORED_PROGRAMS:
        used = {(pattern, flags) for kind, pattern, flags in list(cache) if kind is str}
        for key in [key for key in _STORED_PROGRAMS if key not in used]:
            del _STORED_PROGRAMS[key]
    try:
        path = _programs_path()
        for pattern, flags in new:
            _STORED_PROGRAMS[pattern, flags] = (flags, *_regex_program(pattern, flags))
        _write_store(path, list(_STORED_PROGRAMS.values()))
    except (OSError, ValueError, RuntimeError):
        pass  # no home folder, read-only or full disk: the next run compiles them again


def _regex_program(pattern: str, flags: int) -> tuple:
    """The arguments ``re`` passes to ``_sre.compile`` for ``pattern``, computed as
    ``re._compiler.compile`` computes them; ValueError where this Python's ``re`` is built
    otherwise (its internals are not an interface), so that the pattern is compiled as usual."""
    try:
        compiler = getattr(re, "_compiler", None) or importlib.import_module("sre_compile")
        parser = getattr(re, "_parser", None) or importlib.import_module("sre_parse")
        parsed = parser.parse(pattern, flags)
        code = [int(word) for word in compiler._code(parsed, flags)]  # opcodes are an int subclass marshal refuses
    except (AttributeError, ImportError) as error:
        raise ValueError(f"cannot store compiled patterns on this Python: {error}") from None
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    return (pattern, int(flags | parsed.state.flags), code, parsed.state.groups - 1, dict(parsed.state.groupdict),
            tuple(indexgroup))


#: The methods ``dataclasses`` writes, as code an earlier run compiled (their source -> code),
#: and those this run compiled anew or took from the store.
_STORED_CODE: dict[str, types.CodeType] = {}
_NEW_CODE: dict[str, types.CodeType] = {}
_USED_CODE: set[str] = set()
_CODE_KIND = "dataclass-code"
#: Several times the methods a run writes (some 280), as for compiled patterns.
_MAX_STORED_CODE = 2_000


def preload_dataclass_code() -> None:
    """Have ``dataclasses`` run the code an earlier run compiled for each method it writes for
    citelint's classes, instead of compiling its source again: the package's fifty dataclasses
    wrote some 280 methods at every start, and compiling them was a fifth of a run on one
    article. ``dataclasses`` runs the source it writes with the global ``exec``; the module is
    given its own ``exec`` (:func:`_exec_dataclass_source`), which compiles as ``exec`` does when
    called from ``dataclasses`` (same file name, no ``__future__`` flags inherited), so a class is
    built exactly as without the store. The store holds code that runs: see
    :func:`_read_private` for when it is read."""
    import dataclasses  # here: this module is imported first of all the package's, at every start

    if "exec" in vars(dataclasses):  # given already (or another tool's): leave it
        return
    try:
        with collection_paused():
            stored = unframe(_read_private(_dataclass_code_path()))
            _STORED_CODE.update((source, code) for source, code in stored.items()
                                if type(source) is str and type(code) is types.CodeType)
    except (OSError, ValueError, EOFError, TypeError, AttributeError, RuntimeError):
        _STORED_CODE.clear()  # none yet, not this user's alone, or unusable here: compile as usual
    setattr(dataclasses, "exec", _exec_dataclass_source)  # noqa: B010  (a module attribute mypy does not know)


@functools.cache
def _dataclass_code_path() -> Path:
    """The store of compiled dataclass methods: named also by what decides how they compile (the
    optimisation level, ``-X`` options, ``PYTHONNODEBUGRANGES``, and this module), so that code
    compiled otherwise (without column positions, or by a working copy between releases) is never
    served."""
    settings = (f"{sys.flags.optimize}\0{sorted(sys._xoptions.items())}\0"
                f"{os.environ.get('PYTHONNODEBUGRANGES', '')}\0").encode() + Path(__file__).read_bytes()
    return _compiled_store_path(f"{_CODE_KIND}-{hashlib.sha256(settings).hexdigest()[:12]}")


#: Stores of dataclass code for other settings (another Python, an edited checkout) kept besides
#: the one in use: the most recently written; older ones are removed when a store is written.
_OTHER_CODE_STORES = 3


def _read_private(path: Path) -> bytes:
    """The bytes of ``path``, if it is no symbolic link and the user alone owns and may write it
    and its folder (PermissionError otherwise): it is checked on the file opened, not its name,
    so it cannot be swapped between the check and the read. On a system with no user ids
    (Windows) the per-user cache folder's own permissions are relied on."""
    # O_NONBLOCK: a FIFO put in its place must not hang the start (it is refused below).
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags)
    with os.fdopen(handle, "rb") as stream:
        opened = os.fstat(handle)
        if not stat.S_ISREG(opened.st_mode):
            raise PermissionError(f"{path}: not a regular file")
        getuid = getattr(os, "getuid", None)
        if getuid is not None:
            for status in (opened, os.stat(path.parent)):
                if status.st_uid != getuid() or status.st_mode & 0o022:
                    raise PermissionError(f"{path}: may be written by another user")
        return stream.read()


def _exec_dataclass_source(source: Any, namespace: Any = None, local_names: Any = None, /) -> None:
    """``exec`` for ``dataclasses``: the stored code of ``source`` where there is one, for a class
    of citelint's own (``dataclasses`` runs a method's source in its class's module's globals);
    any other program's classes in the same process are compiled as ever, and never stored."""
    if type(source) is not str:
        exec(source, namespace, local_names)
        return
    if not (isinstance(namespace, dict) and str(namespace.get("__name__", "")).partition(".")[0] == "citelint"):
        exec(_compiled_as_exec_would(source), namespace, local_names)
        return
    code = _STORED_CODE.get(source) or _NEW_CODE.get(source)
    if code is None:
        code = _NEW_CODE[source] = _compiled_as_exec_would(source)
    _USED_CODE.add(source)
    exec(code, namespace, local_names)


def _compiled_as_exec_would(source: str) -> types.CodeType:
    """``source`` compiled as the builtin ``exec`` compiles it when ``dataclasses`` calls it: not
    with this module's ``__future__`` flags."""
    return compile(source, "<string>", "exec", dont_inherit=True)


def remember_dataclass_code() -> None:
    """Add the methods compiled since :func:`preload_dataclass_code` to its store (for the next
    run); a store grown past ``_MAX_STORED_CODE`` keeps only this run's."""
    if not _NEW_CODE:
        return
    if len(_STORED_CODE) + len(_NEW_CODE) > _MAX_STORED_CODE:
        for source in [source for source in _STORED_CODE if source not in _USED_CODE]:
            del _STORED_CODE[source]
    _STORED_CODE.update(_NEW_CODE)
    _NEW_CODE.clear()
    try:
        path = _dataclass_code_path()
        _write_store(path, _STORED_CODE)
        others = sorted((other for other in path.parent.glob(f"{_CODE_KIND}-*.marshal") if other != path),
                        key=lambda other: other.stat().st_mtime_ns, reverse=True)
        for stale in others[_OTHER_CODE_STORES:]:
            stale.unlink(missing_ok=True)
    except (OSError, ValueError, RuntimeError):
        pass  # no home folder, read-only or full disk: the next run compiles them again


def _store(path: Path, kind: str, value: Any) -> None:
    """Write atomically (workers of one run may race to write the same file), then remove the
    copies derived from earlier versions of the same sources."""
    try:
        _write_store(path, value)
        for stale in path.parent.glob(f"{kind}-*.marshal"):
            if stale != path and stale.name.rsplit("-", 1)[0] == kind:
                stale.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass  # read-only or full disk, or a value marshal cannot store: run without the cache
