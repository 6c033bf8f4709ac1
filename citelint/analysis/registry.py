"""The source registry: organisations, outlets and reports that articles cite by name.

``unlinked-source`` needs to recognise "Human Rights Watch said" or "according to CPJ" as a
named source. The names live as data in ``rules/sources/*.yml`` (schema:
``schemas/sources.schema.json``); this module validates them, indexes every surface form
(name, aliases, acronyms, domains) and finds mentions in text with one compiled regex, so
the cost per document does not grow with the number of entries.

Matching rules, and why:

* Names and aliases ignore case except that a letter written in capitals in the registry
  must be a capital in the text, so "science" in prose is not the journal *Science* while
  a headline in capitals still names "HUMAN RIGHTS WATCH".
* A leading "the" is never part of a mention ("the Guardian" gives "Guardian"), and an
  inner "the" is optional ("Department of Treasury" is the "Department of the Treasury").
* Acronyms are case-sensitive and ignored inside a run of capitalised words, where every
  short word looks like an acronym ("WHO SAYS ..." in a headline).
* "Committee to Protect Journalists (CPJ)" is one mention, not two.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from citelint.derived import cached, compiled_regex
from citelint.resources import YAMLError, load_yaml, rules_dir, schema, schemas_dir

if TYPE_CHECKING:
    import jsonschema

_APOSTROPHES = "'\u2019\u2018"
_STRAIGHTEN = str.maketrans({"\u2019": "'", "\u2018": "'"})
_ARTICLE = "the"
#: An acronym in brackets right after a name, e.g. " (CPJ)".
_BRACKETED = re.compile(r"\s*\(\s*([^()\s]{1,20})\s*\)")
#: How far back to look for the article or the word before a mention.
_LOOKBACK = 40
_ARTICLE_BEFORE = re.compile(r"(?<!\w)the\s+$", re.IGNORECASE)
#: The word right before / after a mention, on the same line.
_PREVIOUS_WORD = re.compile(r"(?<![\w.])(\w[\w'\u2019-]*)[ \t]+$")
_NEXT_WORD = re.compile(r"[ \t]+(\w)")
#: What may stand between a sentence's end and its first word.
_OPENERS = " \t\n\"'\u2018\u201c([-\u2013\u2014"
_SENTENCE_ENDS = ".!?:;\u2026"
#: Runs of this many capitalised words are headline text, where acronyms are not trusted.
_CAPS_RUN = 3
#: A capitalised neighbour this long that is not a known acronym is a word in capitals.
_CAPS_WORD_LETTERS = 4
_EDGE_PUNCTUATION = string.punctuation + "\u2018\u2019\u201c\u201d"


class RegistryError(Exception):
    """A source registry file or configured entry is invalid; the message names which."""


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A known source as the registry files describe it."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    acronyms: tuple[str, ...]
    domains: tuple[str, ...]
    #: The name is also an ordinary word or common name: callers count a mention only
    #: where the text uses it as a source.
    ambiguous: bool

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceEntry:
        """Build an entry from a dict already validated against the schema."""
        return cls(
            id=data["id"],
            name=data["name"],
            kind=data["kind"],
            aliases=tuple(data.get("aliases", ())),
            acronyms=tuple(data.get("acronyms", ())),
            domains=tuple(domain.lower() for domain in data.get("domains", ())),
            ambiguous=bool(data.get("ambiguous", False)),
        )


@dataclass(frozen=True, slots=True)
class SourceMatch:
    """A mention of a known source in a text."""

    start: int
    end: int
    text: str
    entry: SourceEntry
    #: which surface form matched: "name", "alias" or "acronym"
    via: str


def _name_key(form: str) -> str:
    """The form as lookups compare it: no case, straight apostrophes, no article words."""
    words = form.translate(_STRAIGHTEN).lower().split()
    kept = [word for word in words if word != _ARTICLE]
    return " ".join(kept or words)


def _strip_article(form: str) -> list[str]:
    words = form.split()
    if len(words) > 1 and words[0].lower() == _ARTICLE:
        return words[1:]
    return words


def _word_units(word: str) -> list[str]:
    """One regex per character: capitals stay capitals; lower-case letters match either case."""
    units = []
    for char in word:
        if char in _APOSTROPHES:
            units.append(f"[{_APOSTROPHES}]")
        elif char.islower() and len(char.upper()) == 1:
            units.append(f"[{char}{char.upper()}]")
        else:
            units.append(re.escape(char))
    return units


def _name_units(form: str) -> list[str]:
    """The regex of a name as a sequence of units (characters, gaps, an optional inner "the")."""
    words = _strip_article(form)
    units = []
    for index, word in enumerate(words):
        if 0 < index < len(words) - 1 and word.lower() == _ARTICLE:
            units.append(r"(?:[Tt][Hh][Ee]\s+)?")
            continue
        units.extend(_word_units(word))
        if index < len(words) - 1:
            units.append(r"\s+")
    return units


def _trie_pattern(sequences: Iterable[tuple[list[str], int]]) -> str:
    """One regex for many unit sequences, with shared prefixes factored out, so a search
    tries a handful of branches per position instead of every form in turn. Longer forms
    come first at each branch (``length`` is the form's length in characters), so the
    longest mention wins, as with a longest-first alternation."""
    root: dict = {}
    for units, length in sequences:
        node = root
        for unit in units:
            node = node.setdefault(unit, {})
            node["longest"] = max(node.get("longest", 0), length)
        node["end"] = True

    def emit(node: dict) -> str:
        children = sorted((key for key in node if key not in ("end", "longest")), key=lambda key: (-node[key]["longest"], key))
        branches = [unit + emit(node[unit]) for unit in children] + ([""] if node.get("end") else [])
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(root)


def mention_pattern(entries: Sequence[SourceEntry]) -> str:
    """One pattern of every form of ``entries``; where forms overlap, the longest mention wins."""
    acronyms = list(dict.fromkeys(acronym for entry in entries for acronym in entry.acronyms))
    names = [form for entry in entries for form in (entry.name, *entry.aliases)]
    forms = [(_name_units(form), len(form)) for form in names]
    forms += [([re.escape(char) for char in acronym], len(acronym)) for acronym in acronyms]
    alternation = _trie_pattern(forms)
    # A lookahead on the letters a mention can start with lets the search skip most
    # positions without trying thousands of alternatives.
    firsts: set[str] = set()
    for form in (*names, *acronyms):
        first = _strip_article(form)[0][0] if _strip_article(form) else form[0]
        firsts |= {first, first.upper()} if first.islower() else {first}
    starts = "".join(re.escape(char) for char in sorted(firsts))
    # Not inside a word, nor inside a dotted token such as "example.com" or "Bagle.AU",
    # nor the letters of a product code such as "FT-70".
    return rf"(?=[{starts}])(?<!\w)(?<!\w\.)(?:{alternation})(?!\w)(?!\.\w)(?!-\d)"


def _letters(token: str) -> str:
    return "".join(char for char in token if char.isalpha())


def _is_caps_word(token: str) -> bool:
    """A word written in capitals; tokens with digits (COVID-19, F-35) are codes, not words."""
    letters = _letters(token)
    return bool(letters) and letters.isupper() and not any(char.isdigit() for char in token)


#: The fields of a :class:`SourceEntry`, in order: how a registry's index keeps an entry.
EntryFields = tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]
_ENTRY_FIELDS = tuple(field.name for field in fields(SourceEntry))


@dataclass(frozen=True)
class RegistryIndex:
    """What a :class:`Registry` looks mentions up in, as plain data that the derived-data cache
    keeps: building it (entries from the validated files, and the check that no two claim one
    name) took a twentieth of a run on one article. Entries are kept by number."""

    entries: tuple[EntryFields, ...]
    #: name key -> (entry number, "name" or "alias")
    names: dict[str, tuple[int, str]]
    acronyms: dict[str, int]
    domains: dict[str, int]
    #: Ambiguous names registered only as "The X": bare "X" is usually the ordinary
    #: word ("Australian dollar", "Radio Times"), so the article must precede it.
    needs_article: frozenset[str]

    def as_stored(self) -> tuple:
        return self.entries, self.names, self.acronyms, self.domains, sorted(self.needs_article)

    @classmethod
    def from_stored(cls, stored: tuple) -> RegistryIndex:
        entries, names, acronyms, domains, needs_article = stored
        return cls(entries, names, acronyms, domains, frozenset(needs_article))

    def source_entries(self) -> tuple[SourceEntry, ...]:
        return tuple(SourceEntry(*fields) for fields in self.entries)


def index_entries(entries: Sequence[SourceEntry], origins: Sequence[str] | None = None) -> RegistryIndex:
    """The index of ``entries``; ``origins`` (one label per entry, e.g. its file) name the places
    a conflict comes from. Conflicting ids, forms or domains raise RegistryError."""
    labels = tuple(origins) if origins is not None else tuple(entry.id for entry in entries)
    names: dict[str, tuple[int, str]] = {}
    acronyms: dict[str, int] = {}
    domains: dict[str, int] = {}
    claimed: dict[tuple[str, str], tuple[int, str]] = {}

    def claim(space: str, value: str, number: int, origin: str) -> None:
        previous, previous_origin = claimed.setdefault((space, value), (number, origin))
        if entries[previous] is not entries[number]:  # one entry given twice claims nothing from itself
            raise RegistryError(
                f"{origin}: {space} {value!r} of {entries[number].id!r} is already used by "
                f"{entries[previous].id!r} in {previous_origin}"
            )

    with_article: set[str] = set()
    without_article: set[str] = set()
    for number, (entry, origin) in enumerate(zip(entries, labels, strict=True)):
        claim("id", entry.id, number, origin)
        for via, forms in (("name", (entry.name,)), ("alias", entry.aliases)):
            for form in forms:
                key = _name_key(form)
                claim("name", key, number, origin)
                names.setdefault(key, (number, via))
                written_with_article = len(_strip_article(form)) < len(form.split())
                (with_article if entry.ambiguous and written_with_article else without_article).add(key)
        for acronym in entry.acronyms:
            claim("acronym", acronym, number, origin)
            acronyms[acronym] = number
        for domain in entry.domains:
            claim("domain", domain, number, origin)
            domains[domain] = number
    fields = tuple(tuple(getattr(entry, field) for field in _ENTRY_FIELDS) for entry in entries)
    return RegistryIndex(fields, names, acronyms, domains, frozenset(with_article - without_article))


class Registry:
    """Every known source, indexed for finding mentions and for looking up links."""

    def __init__(self, entries: Iterable[SourceEntry], origins: Sequence[str] | None = None,
                 pattern: re.Pattern[str] | None = None) -> None:
        """Index ``entries`` (see :func:`index_entries`). ``pattern`` is :func:`mention_pattern`
        of the same entries, compiled by the caller (from the derived-data cache), else it is
        compiled here."""
        given = tuple(entries)
        self._adopt(index_entries(given, origins), list(given), pattern)

    @classmethod
    def from_index(cls, index: RegistryIndex, pattern: re.Pattern[str] | None = None) -> Registry:
        """The registry of an index built before; each entry is made when a lookup first gives it."""
        registry = cls.__new__(cls)
        registry._adopt(index, [None] * len(index.entries), pattern)
        return registry

    def _adopt(self, index: RegistryIndex, made: list[SourceEntry | None], pattern: re.Pattern[str] | None) -> None:
        self.index = index
        self._made = made
        self._names = index.names
        self._acronyms = index.acronyms
        self._domains = index.domains
        self._needs_article = index.needs_article
        self._pattern = pattern or re.compile(mention_pattern(self.entries))

    def _entry(self, number: int) -> SourceEntry:
        entry = self._made[number]
        if entry is None:
            entry = self._made[number] = SourceEntry(*self.index.entries[number])
        return entry

    @property
    def entries(self) -> tuple[SourceEntry, ...]:
        return tuple(map(self._entry, range(len(self._made))))

    def find(self, text: str) -> list[SourceMatch]:
        """Every mention of a known source in ``text``, in order and non-overlapping."""
        found: list[SourceMatch] = []
        position = 0
        while match := self._pattern.search(text, position):
            start, end = match.span()
            position = end
            surface = match.group()
            if surface in self._acronyms:
                if self._in_caps_run(text, start, end):
                    continue
                entry, via = self._entry(self._acronyms[surface]), "acronym"
            else:
                key = _name_key(surface)
                known = self._names.get(key)
                if known is None:
                    continue
                entry, via = self._entry(known[0]), known[1]
                if entry.ambiguous and not self._ambiguous_name_fits(text, start, end, key):
                    continue
                bracketed = _BRACKETED.match(text, end)
                if bracketed and bracketed.group(1) in entry.acronyms:
                    end = position = bracketed.end()
            found.append(SourceMatch(start, end, text[start:end], entry, via))
        return found

    def _ambiguous_name_fits(self, text: str, start: int, end: int, key: str) -> bool:
        """Whether an ambiguous name stands alone as a name: after its article if it needs
        one, not hyphenated to another word ("trans-Atlantic") and not inside a longer
        proper name ("Time Warner", "Leslie Nielsen")."""
        if text[start - 1 : start] == "-" or text[end : end + 1] == "-":
            return False
        before = text[max(0, start - _LOOKBACK) : start]
        if key in self._needs_article and not _ARTICLE_BEFORE.search(before):
            return False
        following = _NEXT_WORD.match(text, end)
        if following and following.group(1)[0].isupper():
            return False
        previous = _PREVIOUS_WORD.search(before)
        if previous is None or previous.group(1).lower() == _ARTICLE or not previous.group(1)[0].isupper():
            return True
        # A capitalised word that opens a sentence ("But Apple said") is not part of the name.
        word_start = start - len(before) + previous.start(1)
        lead = text[max(0, word_start - _LOOKBACK) : word_start].rstrip(_OPENERS)
        return not lead or lead[-1] in _SENTENCE_ENDS

    def _in_caps_run(self, text: str, start: int, end: int) -> bool:
        """Whether the acronym at ``start:end`` sits among capitalised words on its line."""
        left, left_tokens = _words_before(text, start)
        right, right_tokens = _words_after(text, end)
        # A token glued to the acronym ("non-", "'S") is part of the same word.
        if left and not left[-1].isspace():
            left_tokens.pop()
        if right and not right[0].isspace():
            right_tokens.pop(0)
        run: list[str] = []
        for side in (reversed(left_tokens), right_tokens):
            for token in side:
                if not _is_caps_word(token):
                    break
                run.append(token)
        if len(run) + 1 >= _CAPS_RUN:
            return True
        return any(
            len(_letters(token)) >= _CAPS_WORD_LETTERS and token.strip(_EDGE_PUNCTUATION) not in self._acronyms
            for token in run
        )

    def lookup(self, name: str) -> SourceEntry | None:
        """The entry with this name, alias or acronym (names ignore case and "the")."""
        stripped = name.strip()
        if stripped in self._acronyms:
            return self._entry(self._acronyms[stripped])
        known = self._names.get(_name_key(stripped))
        return self._entry(known[0]) if known else None

    def for_domain(self, host: str) -> SourceEntry | None:
        """The entry owning ``host`` (a host name, or a URL) or its closest registered
        parent domain: "www.cpj.org" and "sub.cpj.org" both give CPJ."""
        labels = _host_of(host).split(".")
        for index in range(len(labels) - 1):
            number = self._domains.get(".".join(labels[index:]))
            if number is not None:
                return self._entry(number)
        return None


def _host_of(value: str) -> str:
    """The lower-case host name in ``value``, which may be a bare host or a URL."""
    value = value.strip().lower()
    try:
        host = urlsplit(value if "//" in value else f"//{value}").hostname
    except ValueError:  # malformed, e.g. an unclosed IPv6 bracket
        return ""
    return (host or "").rstrip(".")


@functools.cache
def _entry_validator() -> jsonschema.Draft202012Validator:
    import jsonschema  # here, not at start-up: only a configuration's own `sources:` are checked each run

    file_schema = schema("sources")
    return jsonschema.Draft202012Validator(
        {"$schema": file_schema["$schema"], "$defs": file_schema["$defs"], "$ref": "#/$defs/entry"}
    )


@functools.cache
def _file_validator() -> jsonschema.Draft202012Validator:
    import jsonschema  # here, not at start-up: unchanged registry files come checked from the derived-data cache

    return jsonschema.Draft202012Validator(schema("sources"))


def _first_error(validator: jsonschema.Draft202012Validator, instance: Any) -> str | None:
    errors = sorted(validator.iter_errors(instance), key=lambda error: list(error.absolute_path))
    if not errors:
        return None
    return f"{errors[0].json_path}: {errors[0].message}"


def _validated(path: Path) -> Any:
    """A registry file's data, read and checked against its schema."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = load_yaml(handle)
    except (OSError, UnicodeDecodeError, YAMLError) as error:
        raise RegistryError(f"{path}: cannot read source registry file: {error}") from None
    problem = _first_error(_file_validator(), document)
    if problem:
        raise RegistryError(f"{path}: {problem}")
    return document


def _read_files(paths: Sequence[Path]) -> tuple[tuple[SourceEntry, str], ...]:
    """Every entry of the registry files ``paths`` with the file it comes from, checked once and
    then read back from the derived-data cache in one read (the schema is a source too: a file
    valid under an older schema must be checked again)."""
    documents = cached("sources", [*paths, schemas_dir() / "sources.schema.json"],
                       lambda: [_validated(path)["sources"] for path in paths])
    return tuple((SourceEntry.from_dict(item), str(path)) for path, items in zip(paths, documents, strict=True)
                 for item in items)


def _default_files() -> list[Path]:
    return sorted((rules_dir() / "sources").glob("*.yml"))


@functools.cache
def _default_sources() -> tuple[tuple[SourceEntry, str], ...]:
    return _read_files(_default_files())


@functools.cache
def _default_registry() -> Registry:
    """The registry of ``rules/sources``, its index and pattern from the derived-data cache."""
    files = _default_files()
    index = RegistryIndex.from_stored(cached("registry-index", [*files, schemas_dir() / "sources.schema.json"],
                                             lambda: _index_of(_default_sources()).as_stored()))
    pattern = compiled_regex("sources-pattern", files, lambda: mention_pattern(index.source_entries()))
    return Registry.from_index(index, pattern)


def _index_of(sources: Sequence[tuple[SourceEntry, str]]) -> RegistryIndex:
    return index_entries([entry for entry, _ in sources], [origin for _, origin in sources])


def load_registry(extra_entries: Sequence[dict] = (), paths: Sequence[Path] | None = None) -> Registry:
    """The registry from ``paths`` (default: every ``rules/sources/*.yml``) plus
    ``extra_entries`` from a newsroom's configuration. Raises RegistryError naming the
    file or configured entry at fault."""
    if paths is None and not extra_entries:
        return _default_registry()
    sources = list(_default_sources() if paths is None else _read_files([Path(path) for path in paths]))
    for index, item in enumerate(extra_entries):
        origin = f"configured source #{index + 1}"
        problem = _first_error(_entry_validator(), item)
        if problem:
            raise RegistryError(f"{origin}: {problem}")
        sources.append((SourceEntry.from_dict(item), origin))
    return Registry([entry for entry, _ in sources], [origin for _, origin in sources])


#: How many words either side of an acronym ``_in_caps_run`` needs to read: the run decides
#: once it has ``_CAPS_RUN - 1`` of them, plus one glued to the acronym and one the window
#: may have cut in two.
_WORDS_NEEDED = _CAPS_RUN + 1


def _words_before(text: str, start: int) -> tuple[str, list[str]]:
    """The line's text before ``start`` and its last words: enough of them to decide a caps
    run, read from a growing window rather than by splitting the whole line (a long line
    with many acronyms made that quadratic)."""
    width = 64
    while True:
        low = max(0, start - width)
        newline = text.rfind("\n", low, start)
        if newline >= 0 or low == 0:
            left = text[newline + 1 : start]
            return left, left.split()
        left = text[low:start]
        words = left.split()
        if len(words) > _WORDS_NEEDED:
            return left, words[1:]  # the first word may be cut
        width *= 4


def _words_after(text: str, end: int) -> tuple[str, list[str]]:
    """The line's text after ``end`` and its first words (see ``_words_before``)."""
    width = 64
    while True:
        high = min(len(text), end + width)
        newline = text.find("\n", end, high)
        if newline >= 0 or high == len(text):
            right = text[end : high if newline < 0 else newline]
            return right, right.split()
        right = text[end:high]
        words = right.split()
        if len(words) > _WORDS_NEEDED:
            return right, words[:-1]  # the last word may be cut
        width *= 4
