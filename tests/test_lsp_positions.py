"""Offsets <-> LSP positions: lines from 0, characters in UTF-16 units (or the negotiated encoding)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from citelint.diagnostics import LineIndex
from citelint.lsp.positions import UTF8, UTF16, UTF32, PositionMap

TEXT = "a😀b\r\nc\rd\n£e"


def test_a_character_outside_the_bmp_is_two_utf16_units():
    positions = PositionMap(TEXT)
    assert positions.position(2) == (0, 3)  # after "a😀"
    assert positions.offset(0, 3) == 2


def test_utf8_and_utf32_count_their_own_units():
    assert PositionMap(TEXT, UTF8).position(2) == (0, 5)
    assert PositionMap(TEXT, UTF32).position(2) == (0, 2)
    assert PositionMap("£e", UTF8).offset(0, 2) == 1


def test_crlf_and_a_lone_cr_each_end_one_line():
    positions = PositionMap(TEXT)
    assert positions.position(TEXT.index("c")) == (1, 0)
    assert positions.position(TEXT.index("d")) == (2, 0)
    assert positions.position(TEXT.index("e")) == (3, 1)


def test_a_position_past_the_end_of_a_line_is_its_end():
    positions = PositionMap(TEXT)
    assert positions.offset(1, 99) == TEXT.index("c") + 1
    assert positions.offset(99, 0) == len(TEXT)


@given(st.text(alphabet=st.sampled_from(["a", "😀", "é", "\n", "\r", "\u2028", "\x0c"])), st.data())
def test_offsets_survive_the_round_trip_and_lines_agree_with_citelint(text, data):
    offset = data.draw(st.integers(0, len(text)))
    if offset and text[offset - 1 : offset + 1] == "\r\n":
        offset -= 1  # between \r and \n is no position an editor can name
    for encoding in (UTF8, UTF16, UTF32):
        positions = PositionMap(text, encoding)
        line, character = positions.position(offset)
        assert positions.offset(line, character) == offset
        assert line + 1 == LineIndex(text).position(offset)[0]
