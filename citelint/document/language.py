"""Is a document's prose English? A cheap test, so a page in another language is skipped
with a notice instead of being linted as English and reported as nonsense.

Two signals, both on the prose the reader kept (never markup or page furniture): the script
of the letters (Cyrillic, Arabic, CJK… are not English), and, for Latin letters, the share of
English function words (about a third of English prose, a few per cent of other languages).
Only a confident answer skips: under ``MIN_WORDS`` words the text is taken as English. The
word lists are in rules/lexicons/languages.yml.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from citelint.lexicons import word_list

from .model import Document

#: Below this many words a text is too short to call: it is read as English.
MIN_WORDS = 50
#: Non-Latin letters needed to call a text by its script (CJK writes no spaces between words).
MIN_SCRIPT_LETTERS = 200
#: A Latin-script text whose English function words are under this share is not English
#: when another language's frequent words outnumber them (a list of names or titles has few
#: words of any language, and is not called).
MAX_FOREIGN_ENGLISH_SHARE = 0.12
#: ...and when that language's frequent words are at least this share of all words (a table of
#: figures and abbreviations, "CTS/BU", holds a stray "bu" of no language).
MIN_FOREIGN_SHARE = 0.03
#: Characters looked at (some 800 words): the opening of a long page decides as well as all of it.
_SAMPLE_CHARACTERS = 5_000

_SCRIPTS = (
    ("Cyrillic script", re.compile(r"[\u0400-\u04ff]")),
    ("Greek", re.compile(r"[\u0370-\u03ff]")),
    ("Hebrew", re.compile(r"[\u0590-\u05ff]")),
    ("Arabic script", re.compile(r"[\u0600-\u06ff]")),
    ("Devanagari script", re.compile(r"[\u0900-\u097f]")),
    ("Bengali script", re.compile(r"[\u0980-\u09ff]")),
    ("Thai", re.compile(r"[\u0e00-\u0e7f]")),
    ("Japanese", re.compile(r"[\u3040-\u30ff]")),
    ("Korean", re.compile(r"[\uac00-\ud7af]")),
    ("Chinese or Japanese", re.compile(r"[\u4e00-\u9fff]")),
)
#: Any letter of those scripts: one scan tells whether counting them one by one is worth it.
_ANY_SCRIPT = re.compile("|".join(pattern.pattern for _, pattern in _SCRIPTS))
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@functools.cache
def _markers() -> dict[str, frozenset[str]]:
    """Language name -> its marker words (``"spanish el"`` entries)."""
    by_language: dict[str, set[str]] = {}
    for entry in word_list("language_markers"):
        language, _, word = entry.partition(" ")
        by_language.setdefault(language, set()).add(word)
    return {language: frozenset(words) for language, words in by_language.items()}


@functools.cache
def _english_markers() -> frozenset[str]:
    return frozenset(word_list("english_markers"))


def foreign_language(document: Document) -> str | None:
    """None when the document's prose is English or too short to tell; else why it is not
    ("looks like Spanish", "front matter says lang: es"). A front-matter ``lang:`` is the writer's word and
    wins over the detector (``<html lang>`` does not: saved pages often declare it wrongly)."""
    declared = (document.front_matter or {}).get("lang")
    if isinstance(declared, str) and declared.strip():
        code = declared.strip()
        return None if code.lower().split("-")[0] == "en" else f"front matter says lang: {code}"
    sample: list[str] = []
    length = 0
    for block in document.blocks:  # only as much prose as the sample needs
        if block.is_prose and length < _SAMPLE_CHARACTERS:
            sample.append(block.text)
            length += len(block.text) + 1
    language = foreign_language_of(" ".join(sample))
    return None if language is None else f"looks like {language}"


def foreign_language_of(text: str) -> str | None:
    sample = text[:_SAMPLE_CHARACTERS]
    # ASCII, or a pound sign and curly quotes, holds too few letters of another script to count them.
    if not sample.isascii() and len(_ANY_SCRIPT.findall(sample)) >= MIN_SCRIPT_LETTERS:
        letters, script = max((len(pattern.findall(sample)), name) for name, pattern in _SCRIPTS)
        if letters >= MIN_SCRIPT_LETTERS and letters > len(_LATIN.findall(sample)):
            return script
    words = _WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        return None
    english = sum(map(_english_markers().__contains__, words))  # counted in C: most text is English
    if english >= MAX_FOREIGN_ENGLISH_SHARE * len(words):
        return None
    counted = Counter(words)
    shares = {language: sum(counted[word] for word in markers) for language, markers in _markers().items()}
    best = max(shares, key=lambda language: shares[language])
    return best.capitalize() if shares[best] > english and shares[best] >= MIN_FOREIGN_SHARE * len(words) else None
