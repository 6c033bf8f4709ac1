"""English vocabulary as validated data: the word lists in ``rules/lexicons/*.yml``.

Python modules keep grammar and algorithms; the words they look for live here, one list per
concept, each defined once. Every file is checked against ``schemas/lexicon.schema.json``
(strings only, so a bare YAML ``no`` cannot become ``False``; no repeats; only known keys) and
no key may be defined in two files. The checked data is kept in the derived-data cache, keyed
by the files' and the schema's bytes, so an unchanged lexicon is not validated again. Any
problem is a :class:`LexiconError`, which the command line reports as a configuration error
(exit 2): a broken lexicon never silently becomes an empty list.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from citelint.derived import cached
from citelint.resources import YAMLError, load_yaml, rules_dir, schema, schemas_dir


class LexiconError(Exception):
    """A lexicon file is missing, unreadable or invalid, or a word list is unknown."""


def lexicon_files() -> list[Path]:
    return sorted((rules_dir() / "lexicons").glob("*.yml"))


@functools.cache
def lexicon() -> dict[str, frozenset[str]]:
    """Every word list, lower-cased, by key."""
    files = lexicon_files()
    if not files:
        raise LexiconError(f"{rules_dir() / 'lexicons'}: no lexicon files")
    data = cached("lexicons", [*files, schemas_dir() / "lexicon.schema.json"], lambda: _validated(files))
    return {key: frozenset(words) for key, words in data.items()}


def _validated(files: list[Path]) -> dict[str, list[str]]:
    import jsonschema  # here, not at start-up: unchanged lexicons come checked from the derived-data cache

    validator = jsonschema.Draft202012Validator(schema("lexicon"))
    merged: dict[str, list[str]] = {}
    defined_in: dict[str, Path] = {}
    for path in files:
        try:
            with open(path, encoding="utf-8") as handle:
                document = load_yaml(handle)
        except (OSError, UnicodeDecodeError, YAMLError) as error:
            raise LexiconError(f"{path}: cannot read lexicon: {error}") from None
        invalid = jsonschema.exceptions.best_match(validator.iter_errors(document))
        if invalid is not None:
            where = "/".join(str(part) for part in invalid.absolute_path) or "(top level)"
            raise LexiconError(f"{path}: {where}: {invalid.message}")
        for key, words in document.items():
            if key in defined_in:
                raise LexiconError(f"{path}: {key}: already defined in {defined_in[key].name}")
            defined_in[key] = path
            merged[key] = [word.lower() for word in words]
    return merged


@functools.cache
def word_list(key: str) -> frozenset[str]:
    """One word list; an unknown key is an error, never an empty set."""
    try:
        return lexicon()[key]
    except KeyError:
        raise LexiconError(f"no word list '{key}' in {rules_dir() / 'lexicons'}") from None


@functools.cache
def word_pairs(key: str) -> dict[str, str]:
    """A word list of "word value" entries ("said say", "twelve 12") as a mapping, for the few
    lists that tie each word to something (a verb form to its base, a number word to its value)."""
    pairs = [entry.split() for entry in word_list(key)]
    mapping = {pair[0]: pair[-1] for pair in pairs}
    if any(len(pair) != 2 for pair in pairs) or len(mapping) != len(pairs):
        raise LexiconError(f"word list '{key}': each entry must be a word and its value, each word once")
    return mapping


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``: each escaped, a space matching any run of whitespace, the
    longest first so that no entry is cut short by another that begins it ("kilos", then "kilo"),
    words of one length in alphabetical order."""
    # Sorted alphabetically, then (stably) by length: the same order as sorting on (-length, word),
    # without a key tuple per word. Escaped as one string, since ``re.escape`` leaves the NUL that
    # parts them as it is: a run on one article builds some 110 alternations of 2,500 words.
    ordered = sorted(sorted(words), key=len, reverse=True)
    joined = _PART.join(ordered)
    if joined.count(_PART) >= len(ordered):  # a word holds a NUL itself: escape each alone
        return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)
    return re.escape(joined).replace(r"\ ", r"\s+").replace(_PART, "|")


#: What parts the words while they are escaped together (:func:`alternation`).
_PART = "\0"
