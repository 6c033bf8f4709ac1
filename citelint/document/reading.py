"""Read a file's bytes and decode them, or say exactly why not.

Decoding failures are reported, never raised past the engine: one bad file must not
block a whole pre-commit run. Nothing here ever writes to the file.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from citelint.safeio import TooLarge, read_regular

FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".txt": "text"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF = 8192


class UnreadableFile(Exception):
    """The file exists but cannot be read or decoded as text."""


@dataclass(frozen=True, slots=True)
class Decoded:
    #: the file's text; a byte-order mark is dropped and offsets count from the character after it
    text: str


def format_for(path: str, default: str = "text") -> str:
    return FORMATS.get(Path(path).suffix.lower(), default)


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first few KB, with no UTF-16/32 byte-order mark to explain them."""
    head = data[:_SNIFF]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    return b"\x00" in head


def decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as error:
                raise UnreadableFile(_describe(data[len(bom) :], error, encoding)) from None
    if looks_binary(data):
        raise UnreadableFile("binary file (contains NUL bytes), not an article")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise UnreadableFile(_describe(data, error, "utf-8")) from None


def _describe(data: bytes, error: UnicodeDecodeError, encoding: str) -> str:
    before = data[: error.start]
    line = before.count(b"\n") + 1
    column = error.start - (before.rfind(b"\n") + 1) + 1
    return (
        f"not valid {encoding.upper()}: byte 0x{data[error.start]:02x} at line {line}, byte column {column}"
        " (save the file as UTF-8)"
    )


def read_file(path: Path, limit: int) -> Decoded:
    """Decode the regular file ``path``, read to at most ``limit`` bytes."""
    try:
        data = read_regular(path, limit)
    except TooLarge as error:
        raise UnreadableFile(f"{error.size:,} bytes is over the max-file-size of {limit:,}") from None
    except IsADirectoryError:
        raise UnreadableFile("is a directory") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    return decode(data)
