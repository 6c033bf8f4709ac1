"""Reading and writing files safely: hostile input never hangs a run, a failed write never
loses a file.

Reads open the file without blocking (a FIFO never stalls the open), check on the open file
that it is a regular file (not ``/dev/zero``, a FIFO, a socket or a device), and read at most
a limit: a file that grows, or whose size ``stat`` misreports, cannot make citelint read
without end. Writes go to a temporary file in the same folder, then ``os.replace`` it in one
step: the previous file survives any failure whole.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path


class NotReadable(OSError):
    """Not a regular file (a folder, FIFO, device or socket): its reason says which."""


class TooLarge(Exception):
    """The file holds more than the limit; ``size`` is what was seen (at least limit + 1)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory"
    return "not a regular file"


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (symlinks followed), at most ``limit`` of them.

    Raises NotReadable for anything but a regular file, TooLarge past ``limit``, and OSError
    when it cannot be opened or read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(_kind(info.st_mode))
        if info.st_size > limit:
            raise TooLarge(info.st_size)
        return _read_limited(fd, limit)
    finally:
        os.close(fd)


def _read_limited(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise TooLarge(total)
    return b"".join(chunks)


def read_stream(stream, limit: int) -> bytes:
    """At most ``limit`` bytes of a binary stream (stdin); TooLarge when it holds more."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(len(data))
    return data


def write_atomic(path: str | Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step. A symlink at ``path`` is kept: the
    file it points to is replaced. Raises OSError; the previous file is then untouched."""
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    with replacing(target, f".{target.name}.") as (handle, temporary):
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)


def write_replacing(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``: a reader
    (another run, a pool worker) sees the old file or the new one, never half of one."""
    with replacing(path, path.name) as (handle, _), os.fdopen(handle, "wb") as stream:
        stream.write(data)


@contextlib.contextmanager
def replacing(path: Path, prefix: str) -> Iterator[tuple[int, str]]:
    """A new temporary file beside ``path`` (:func:`new_temporary`), as (descriptor, name), for
    the block to write and close; when the block ends, the file replaces ``path`` in one step (a
    symlink at ``path`` itself, never the file it points to), and when it raises, it is removed."""
    handle, temporary = new_temporary(path.parent, prefix)
    try:
        yield handle, temporary
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def new_temporary(folder: Path, prefix: str) -> tuple[int, str]:
    """A new file in ``folder`` (``prefix``, eight random characters, ``.tmp``), open for writing
    and readable by this user alone, as (descriptor, absolute path): ``tempfile.mkstemp``'s
    promise without importing ``tempfile`` and ``random``, a millisecond of every run that writes
    its results."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    folder_path = os.path.abspath(folder)
    for _ in range(100):
        name = os.path.join(folder_path, f"{prefix}{os.urandom(4).hex()}.tmp")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
        except PermissionError:
            if os.name == "nt" and os.path.isdir(name):  # Windows says so for a folder of that name
                continue
            raise
    raise FileExistsError(f"no unused temporary file name in {folder}")


def _default_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file (0o666 less the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def identity(path: str | Path) -> tuple[int, int] | None:
    """The file ``path`` reaches (symlinks followed) as (device, inode); None if there is none.
    Two names with one identity are one file: hard links and symlinks included."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino
