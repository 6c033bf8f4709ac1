"""Readers: one per format, each producing the same :class:`Document`."""

from __future__ import annotations

from citelint.document.model import Block, Document, Link, OffsetMap, TextBuilder


def parse(source: str, path: str, fmt: str) -> Document:
    """Parse decoded ``source`` as ``fmt`` (markdown, html or text)."""
    if fmt == "markdown":
        from citelint.document import markdown

        return markdown.read(source, path)
    if fmt == "html":
        from citelint.document import html

        return html.read(source, path)
    from citelint.document import plaintext

    return plaintext.read(source, path)


__all__ = ["Block", "Document", "Link", "OffsetMap", "TextBuilder", "parse"]
