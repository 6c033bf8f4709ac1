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
#: Single named lists of lowercase words that are not English vocabulary, in a module whose
#: other word lists would be, and why.
ALLOWED_LISTS = {
    ("analysis/sources.py", "PUBLISHER_KINDS"): "source kinds are the registry schema's identifiers (think-tank, wire)",
    ("analysis/sources.py", "_COUNTRY_SECOND_LEVEL"): "second-level domain labels (co, ac) are parts of addresses",
}

MIN_WORDS = 5
_WORD = re.compile(r"[a-z]+(?:[ '’.-][a-z]+)*\.?")  # a lowercase word or phrase: "no.", "n't", "as many as"
_ALTERNATION = re.compile(rf"(?<![\\\w])[a-z]+\??(?:\|[a-z]+\??){{{MIN_WORDS - 1},}}(?![\w(])")


def _words(nodes: list[ast.expr]) -> list[str]:
    return [node.value for node in nodes
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _WORD.fullmatch(node.value)]


def _assigned_names(tree: ast.AST) -> dict[int, str]:
    """The name each expression is assigned to, by node id (``X = frozenset({...})``)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            name = next((target.id for target in targets if isinstance(target, ast.Name)), None)
            for inner in ast.walk(node.value):
                names.setdefault(id(inner), name)
    return names


def word_lists(source: str) -> list[tuple[int, str, str | None]]:
    """(line, what, the name it is assigned to) for each word list in a module's source."""
    found = []
    tree = ast.parse(source)
    names = _assigned_names(tree)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split"
                and not node.args and isinstance(node.func.value, ast.Constant)
                and isinstance(node.func.value.value, str)):
            words = [word for word in node.func.value.value.split() if _WORD.fullmatch(word)]
            if len(words) >= MIN_WORDS:
                found.append((node.lineno, f"split string: {' '.join(words[:6])} ...", names.get(id(node))))
        elif isinstance(node, ast.Set) and len(_words(node.elts)) >= MIN_WORDS:
            found.append((node.lineno, f"set literal: {', '.join(_words(node.elts)[:6])} ...", names.get(id(node))))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"set", "frozenset"}
              and len(node.args) == 1 and isinstance(node.args[0], (ast.List, ast.Tuple))
              and len(_words(node.args[0].elts)) >= MIN_WORDS):
            found.append((node.lineno, f"set of: {', '.join(_words(node.args[0].elts)[:6])} ...", names.get(id(node))))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [(node.lineno, f"regex alternation: {match.group()[:60]}", names.get(id(node)))
                      for match in _ALTERNATION.finditer(node.value)]
    return found


def _modules_with_word_lists() -> dict[str, list[tuple[int, str, str | None]]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        lists = word_lists(path.read_text(encoding="utf-8"))
        if lists:
            found[path.relative_to(PACKAGE).as_posix()] = lists
    return found


def test_word_lists_are_in_lexicon_files_not_in_modules():
    found = _modules_with_word_lists()
    offenders = {
        module: [(line, what) for line, what, name in lists if (module, name) not in ALLOWED_LISTS]
        for module, lists in found.items() if module not in ALLOWED
    }
    assert not any(offenders.values()), (
        "move these word lists to rules/lexicons/*.yml and read them with word_list():\n"
        + "\n".join(f"  citelint/{module}:{line}: {what}" for module, lists in offenders.items() for line, what in lists)
    )


def test_every_exception_is_still_needed():
    """A module or a list that no longer has words, or an allowance nothing needs, is removed."""
    found = _modules_with_word_lists()
    stale = set(ALLOWED) - set(found)
    stale |= {f"{module}: {name}" for module, name in ALLOWED_LISTS
              if name not in {named for _, _, named in found.get(module, ())}}
    assert not stale, f"no word lists left in {sorted(stale)}: remove them from ALLOWED / ALLOWED_LISTS"


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


def test_the_scan_names_the_list_it_found():
    source = 'KINDS = frozenset({"the", "these", "those", "his", "her"})\nprint("a|an|the|its|their")'
    assert [name for _, _, name in word_lists(source)] == ["KINDS", None]
