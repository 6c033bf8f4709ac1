"""Read a file's bytes and decode them, or say exactly why not.

Decoding failures are reported, never raised past the engine: one bad file must not
block a whole pre-commit run. Nothing here ever writes to the file.
"""

from __future__ import annotations

import codecs
import re
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
#: Browsers look for a ``<meta charset>`` (or its http-equiv form) in the first 1,024 bytes,
#: and switch to one met later in the head; a page that is not UTF-8 is looked at this far.
_PRESCAN = 1024
_HEAD_SCAN = 65536
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
#: Labels a browser reads as another encoding (WHATWG Encoding Standard): Latin-1 and ASCII
#: pages are decoded as windows-1252, Korean and Chinese ones as the supersets browsers use,
#: and a page that says UTF-16 in ASCII bytes cannot be UTF-16.
_BROWSER_ENCODINGS = {
    "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
    "euc_kr": "cp949", "gb2312": "gb18030", "gbk": "gb18030",
    "shift_jis": "cp932", "tis-620": "cp874", "utf-16": "utf-8", "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}


class UnreadableFile(Exception):
    """The file exists but cannot be read or decoded as text."""


#: Python codec names as the WHATWG Encoding Standard (and so a browser) names them.
_WEB_NAMES = {"utf-16-le": "utf-16le", "utf-16-be": "utf-16be", "utf-32-le": "utf-32le", "utf-32-be": "utf-32be",
              "cp949": "euc-kr", "cp932": "shift_jis", "mac-roman": "macintosh", "mac-cyrillic": "x-mac-cyrillic"}
_WINDOWS_CODE_PAGE = re.compile(r"cp(874|125[0-8])")


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text and the encoding it was read in."""

    #: the file's text; a byte-order mark is dropped and offsets count from the character after it
    text: str
    #: the encoding the bytes were read in, by its web name ("utf-8", "windows-1252", "koi8-r")
    encoding: str = "utf-8"


def web_name(codec: str) -> str:
    """A Python codec's name as web pages and browsers write it ("cp1252" -> "windows-1252")."""
    windows = _WINDOWS_CODE_PAGE.fullmatch(codec)
    if windows:
        return f"windows-{windows.group(1)}"
    return _WEB_NAMES.get(codec, codec.replace("iso8859-", "iso-8859-"))


def format_for(path: str, default: str = "text") -> str:
    return FORMATS.get(Path(path).suffix.lower(), default)


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first few KB, with no UTF-16/32 byte-order mark to explain them."""
    head = data[:_SNIFF]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    return b"\x00" in head


def decode(data: bytes, fmt: str = "text") -> Decoded:
    """Decode as a browser would: a byte-order mark, then (HTML only) a ``<meta charset>`` in
    the first 1,024 bytes, then UTF-8, then (HTML only) one declared later in the head."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding), web_name(encoding))
            except UnicodeDecodeError as error:
                raise UnreadableFile(_describe(data[len(bom) :], error, encoding)) from None
    if looks_binary(data):
        raise UnreadableFile("binary file (contains NUL bytes), not an article")
    html = fmt == "html"
    declared = declared_charset(data[:_PRESCAN]) if html else None
    if declared is None or declared == "utf-8":
        try:
            return Decoded(data.decode("utf-8"))
        except UnicodeDecodeError as error:
            declared = declared_charset(data[:_HEAD_SCAN]) if html else None
            if declared is None or declared == "utf-8":
                raise UnreadableFile(_describe(data, error, "utf-8")) from None
    try:
        return Decoded(data.decode(declared), web_name(declared))
    except UnicodeDecodeError as error:
        raise UnreadableFile(_describe(data, error, declared, "the page's <meta charset>")) from None


def declared_charset(head: bytes) -> str | None:
    """The Python codec of the charset an HTML page's ``head`` bytes declare, if Python
    knows it."""
    match = _META_CHARSET.search(head)
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii").lower()).name
    except (LookupError, UnicodeDecodeError):
        return None
    return _BROWSER_ENCODINGS.get(name, name)


def _describe(data: bytes, error: UnicodeDecodeError, encoding: str, declared_by: str = "") -> str:
    before = data[: error.start]
    line = before.count(b"\n") + 1
    column = error.start - (before.rfind(b"\n") + 1) + 1
    where = f" (declared by {declared_by})" if declared_by else ""
    return (
        f"not valid {encoding.upper()}{where}: byte 0x{data[error.start]:02x} at line {line}, byte column {column}"
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
    return decode(data, format_for(str(path)))
