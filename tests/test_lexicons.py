"""The lexicons are validated data: a typo, a YAML boolean or a repeat is an error, not an
empty or silently different word list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citelint import lexicons
from citelint.lexicons import LexiconError, lexicon, lexicon_files, word_list
from citelint.resources import schema

PACKAGE = Path(__file__).resolve().parent.parent / "citelint"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_known_key_is_defined_once_and_read_by_the_code():
    code = "\n".join(path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py"))
    read = set(re.findall(r"""(?:word_list|word_pairs)\(\s*["']([a-z_]+)["']""", code))
    known = set(schema("lexicon")["propertyNames"]["enum"])
    assert set(lexicon()) == known, "every key of the schema has a list, and only those"
    assert known - read == set(), "keys no module reads"


def test_a_bare_yaml_no_is_rejected_not_read_as_false(tmp_path):
    path = _write(tmp_path, "people.yml", "not_names: [the, no]\n")
    with pytest.raises(LexiconError, match=r"people\.yml: not_names/1: False is not of type 'string'"):
        lexicons._validated([path])


@pytest.mark.parametrize("text, message", [
    ("not_names: [the, a, the]\n", "non-unique"),
    ("not_nmaes: [the]\n", "not_nmaes"),
    ("not_names: []\n", "should be non-empty"),
    ("- the\n- a\n", "not of type 'object'"),
])
def test_invalid_lexicons_name_the_file_and_key(tmp_path, text, message):
    path = _write(tmp_path, "broken.yml", text)
    with pytest.raises(LexiconError, match=re.escape(message)):
        lexicons._validated([path])


def test_a_key_defined_in_two_files_is_an_error(tmp_path):
    first = _write(tmp_path, "a.yml", "not_names: [the]\n")
    second = _write(tmp_path, "b.yml", "not_names: [a]\n")
    with pytest.raises(LexiconError, match=r"b\.yml: not_names: already defined in a\.yml"):
        lexicons._validated([first, second])


def test_an_unknown_word_list_is_an_error():
    with pytest.raises(LexiconError, match="no word list 'typo'"):
        word_list("typo")


def test_a_broken_lexicon_stops_the_linter_with_exit_2(cli, tmp_path, monkeypatch):
    broken = _write(tmp_path, "bad.yml", "not_names: [the, no]\n")
    monkeypatch.setattr(lexicons, "lexicon_files", lambda: [*lexicon_files(), broken])
    monkeypatch.setattr(lexicons, "cached", lambda kind, sources, derive: derive())
    lexicon.cache_clear()
    word_list.cache_clear()
    try:
        article = _write(tmp_path, "a.md", "The harbour will close.\n")
        run = cli(str(article))
        assert run.status == 2
        assert "bad.yml: not_names/1: False is not of type 'string'" in run.err
    finally:
        lexicon.cache_clear()
        word_list.cache_clear()


def _alternation_word_by_word(words):
    """What :func:`lexicons.alternation` must give: each word escaped alone, longest first."""
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=lambda w: (-len(w), w)))


@pytest.mark.parametrize("words", [
    [],
    ["kilo", "kilos", "kg"],
    ["per cent", "a.m.", "c++", "(sic)", "1|2", "tab\tword", "back\\slash", "ß", "’s"],
    ["nul\0inside", "plain", "two words"],
    ["b", "a", "c", "ab", "aa"],
])
def test_an_alternation_is_the_words_escaped_one_by_one_longest_first(words):
    pattern = lexicons.alternation(iter(words))
    assert pattern == _alternation_word_by_word(words)
    for word in words:
        assert re.fullmatch(f"(?:{pattern})", word.replace(" ", "  ")), word


def test_every_lexicon_list_makes_the_same_alternation_as_word_by_word():
    for key, words in lexicon().items():
        assert lexicons.alternation(words) == _alternation_word_by_word(words), key
