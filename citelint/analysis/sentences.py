"""Sentence splitting that keeps offsets.

News copy is full of full stops that do not end sentences (U.S., Dr., Jan., No. 10,
J. K. Rowling, 2.5 million) and of sentences that end inside quotation marks (."  ,”).
The splitter works on a block's visible text and returns spans into it, so every
sentence maps back to the source through the block's offset map. The abbreviations and
sentence starters it knows are in rules/lexicons/sentences.yml.
"""

from __future__ import annotations

import re

from citelint.lexicons import word_list

_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
_BOUNDARY = re.compile(r"(?:[.!?]+|…|\.\.\.)[\"'”’)\]»]*(?=\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.'’-]*)$")
_LONGEST_WORD = 100
#: No sentence of prose is this long (the longest in the BBC corpus and the annotated set is
#: under 2,000 characters); a "sentence" longer than this is a run-on paste, a table or a list
#: without full stops, or an attack. Nothing in it is analysed (attributions, figures,
#: sources): the over-long-sentence strategy decides it, so work per sentence stays bounded.
MAX_SENTENCE_CHARS = 5_000


def _is_abbreviation(text: str, dot: int) -> tuple[bool, bool]:
    """Whether the full stop at ``dot`` closes an abbreviation, and whether that
    abbreviation is ambiguous (it may also end a sentence, like "U.S.")."""
    # Only the stretch just before the dot can hold the word: searching from the block's
    # start would make splitting quadratic in the block's length.
    match = _WORD_BEFORE.search(text, max(0, dot - _LONGEST_WORD), dot)
    if not match:
        return False, False
    word = match.group(1)
    bare = word.rstrip(".").lower()
    if "." in word.strip("."):  # U.S, e.g, a.m — dotted acronyms
        return True, True
    if len(bare) == 1 and word[0].isupper():  # an initial: J. K. Rowling
        return True, False
    if bare in word_list("abbreviations"):
        return True, False
    if bare in word_list("ambiguous_abbreviations") or bare in word_list("month_abbreviations"):
        return True, True
    return False, False


_FIRST_WORD = re.compile(r"[\"'“‘(\[«]*([\w’'-]+)")


def _next_word(text: str, start: int) -> str:
    match = _FIRST_WORD.match(text, start)
    return match.group(1) if match else ""


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences in ``text``; whitespace between them is dropped."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    length = len(text)
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if end <= start:
            continue
        nxt = _skip_space(text, end)
        if nxt >= length:
            break
        if not _starts_sentence(text, nxt):
            continue
        punct = match.group(0).rstrip(_CLOSERS)
        if punct == ".":
            is_abbrev, ambiguous = _is_abbreviation(text, match.start())
            if is_abbrev and not (ambiguous and _next_word(text, nxt).lower() in word_list("sentence_starters")):
                continue
        if punct in {"…", "..."} and not text[nxt].isupper():
            continue
        spans.append((start, _trim_end(text, start, end)))
        start = nxt
    if start < length:
        end = _trim_end(text, start, length)
        if end > start:
            spans.append((start, end))
    return spans


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _starts_sentence(text: str, index: int) -> bool:
    """A new sentence opens with a capital, a digit or an opening quote/bracket."""
    char = text[index]
    if char in _OPENERS:
        nxt = index + 1
        return nxt < len(text) and (text[nxt].isupper() or text[nxt].isdigit() or text[nxt] in _OPENERS)
    return char.isupper() or char.isdigit()
