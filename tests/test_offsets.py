"""Invariant: every character a rule sees maps back to its exact offset in the file."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citelint.analysis import Analysis
from citelint.document import parse
from citelint.document.reading import format_for
from tests.conftest import FIXTURES

FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".md", ".html", ".txt"))
_FUZZ_PIECES = list("ab .,\n\r\t#*_[]()<>!&;:\"“”'-1\\`>|^~") + ["http://x.y", "&amp;", "[^1]", "---\n"]


def assert_offsets_exact(source: str, document) -> None:
    for block in document.blocks:
        for text_start, src_start, src_end, verbatim in block.map.runs():
            assert 0 <= src_start < src_end <= len(source)
            if verbatim:
                piece = block.text[text_start : text_start + (src_end - src_start)]
                assert source[src_start:src_end] == piece
    for link in document.links:
        assert 0 <= link.offset <= link.end_offset <= len(source)


def test_there_are_fixtures_in_every_format():
    assert {p.suffix for p in FIXTURE_FILES} == {".md", ".html", ".txt"}


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_every_prose_character_maps_to_its_source_offset(path: Path):
    source = path.read_text(encoding="utf-8")
    document = parse(source, path.name, format_for(path.name))
    assert document.blocks
    assert_offsets_exact(source, document)
    analysis = Analysis(document)
    for sentence in analysis.sentences:
        offset, end_offset = analysis.sentence_span(sentence, 0, len(sentence.text))
        block = document.blocks[sentence.block]
        # A sentence's ends map to the same characters in the file (entities aside).
        assert source[offset] == sentence.text[0] or html.unescape(source[offset:offset + 10])[0] == sentence.text[0]
        assert offset < end_offset <= len(source)
        assert block.offset <= offset


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_FUZZ_PIECES), max_size=120), st.sampled_from(["markdown", "html", "text"]))
def test_offsets_stay_exact_on_arbitrary_input(pieces, fmt):
    text = "".join(pieces)
    document = parse(text, "fuzz", fmt)
    assert_offsets_exact(text, document)
    assert isinstance(Analysis(document).sentences, list)  # the splitter never fails either
