"""English vocabulary lives in the validated lexicon files (rules/lexicons/*.yml), not in Python.

A word list written into a module escapes the lexicon's checks and cannot be edited without
touching code, so this scan fails on any new one. It looks for the three shapes word lists take
in this code base: a ``"...".split()`` string of five or more lowercase words, a set (or
frozenset) literal of five or more lowercase word strings, and a regex alternation of five or
more lowercase words (``dollars?|pounds?|euros?|...``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "citelint"

#: Modules whose lists of lowercase words are not English vocabulary, and why.
ALLOWED = {
    "discovery.py": "names of repository files (LICENSE, CHANGELOG) are file names, not English",
    "document/html.py": "tag names are markup, not English",
    "document/model.py": "block kinds (byline, caption) are the document model's identifiers",
    "links/checker.py": "failure kinds (timeout, refused) are the link checker's identifiers",
}
#: Modules whose word lists are still to move to lexicon files. Remove a module once it has none:
#: the test fails while a listed module is clean, so this set only shrinks.
KNOWN_PENDING = {"analysis/attributions.py", "analysis/sources.py", "analysis/provenance.py"}

MIN_WORDS = 5
_WORD = re.compile(r"[a-z]+(?:[ '’.-][a-z]+)*\.?")  # a lowercase word or phrase: "no.", "n't", "as many as"
_ALTERNATION = re.compile(rf"(?<![\\\w])[a-z]+\??(?:\|[a-z]+\??){{{MIN_WORDS - 1},}}(?![\w(])")


def _words(nodes: list[ast.expr]) -> list[str]:
    return [node.value for node in nodes
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _WORD.fullmatch(node.value)]


def word_lists(source: str) -> list[tuple[int, str]]:
    """(line, what) for each word list in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split"
                and not node.args and isinstance(node.func.value, ast.Constant)
                and isinstance(node.func.value.value, str)):
            words = [word for word in node.func.value.value.split() if _WORD.fullmatch(word)]
            if len(words) >= MIN_WORDS:
                found.append((node.lineno, f"split string: {' '.join(words[:6])} ..."))
        elif isinstance(node, ast.Set) and len(_words(node.elts)) >= MIN_WORDS:
            found.append((node.lineno, f"set literal: {', '.join(_words(node.elts)[:6])} ..."))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"set", "frozenset"}
              and len(node.args) == 1 and isinstance(node.args[0], (ast.List, ast.Tuple))
              and len(_words(node.args[0].elts)) >= MIN_WORDS):
            found.append((node.lineno, f"set of: {', '.join(_words(node.args[0].elts)[:6])} ..."))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [(node.lineno, f"regex alternation: {match.group()[:60]}")
                      for match in _ALTERNATION.finditer(node.value)]
    return found


def _modules_with_word_lists() -> dict[str, list[tuple[int, str]]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        lists = word_lists(path.read_text(encoding="utf-8"))
        if lists:
            found[path.relative_to(PACKAGE).as_posix()] = lists
    return found


def test_word_lists_are_in_lexicon_files_not_in_modules():
    found = _modules_with_word_lists()
    offenders = {module: lists for module, lists in found.items()
                 if module not in ALLOWED and module not in KNOWN_PENDING}
    assert not offenders, "move these word lists to rules/lexicons/*.yml and read them with word_list():\n" + "\n".join(
        f"  citelint/{module}:{line}: {what}" for module, lists in offenders.items() for line, what in lists
    )


def test_every_exception_is_still_needed():
    """A pending module that has been cleaned up, or an allowance nothing needs, is removed."""
    stale = (set(ALLOWED) | KNOWN_PENDING) - set(_modules_with_word_lists())
    assert not stale, f"no word lists left in {sorted(stale)}: remove them from ALLOWED / KNOWN_PENDING"


@pytest.mark.parametrize("source, count", [
    ('X = frozenset("at until till before after".split())', 1),
    ('X = {"the", "these", "those", "his", "her"}', 1),
    ('X = frozenset(["the", "these", "those", "his", "her"])', 1),
    ('X = r"(?:dollars?|pounds?|euros?|yen|yuan)\\b"', 1),
    ('X = rf"\\s+(?:majority|verdict|ruling|decision|vote){W}"', 1),
    ('X = frozenset("at until till before".split())', 0),  # four words
    ('X = {"the", "These", "a b", "NO", "<s>", "x1"}', 0),  # not all lowercase words
    ('X = r"(?-i:GMT|BST|UTC|EST|EDT)|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet"', 0),
    ('X = "Words in prose | are not | an alternation"', 0),
])
def test_the_scan_finds_each_shape_of_word_list(source, count):
    assert len(word_lists(source)) == count
