"""Readers: one per format, each producing the same :class:`Document`."""

from __future__ import annotations

from citelint.document.model import Block, Document, Link, OffsetMap, TextBuilder


def parse(source: str, path: str, fmt: str) -> Document:
    """Parse decoded ``source`` as ``fmt`` (markdown, html or text)."""
    if fmt == "markdown":
        from citelint.document import markdown as reader
    elif fmt == "html":
        from citelint.document import html as reader
    else:
        from citelint.document import plaintext as reader
    return reader.read(source, path)


__all__ = ["Block", "Document", "Link", "OffsetMap", "TextBuilder", "parse"]
