"""Whose name is it: a person's or an organisation's.

News writes people and organisations alike in capitalised words. A name's own form settles
some ("… Group", "… Corp"); for the rest, a name of two or more words reads as a person's
("Ann Lee") unless the document uses it as an organisation's and never as a person's
(:func:`organisation_names`). Both are read from the whole document before any sentence's
sources are classified, since a name is often introduced after it first speaks.
"""

from __future__ import annotations

import bisect
import functools
import re

from citelint.analysis.cues import is_claim_verb
from citelint.lexicons import alternation, word_list, word_pairs

#: Two capitalised words in a row, as in a person's full name ("Ann Lee", "Mr Lee", "Xu
#: Guixiang"): either word alone later is that person, whichever order the names take.
_NAME_PAIR = re.compile(r"(?=\b([A-Z][\w’'.-]*)\s+(?:[A-Z]\.\s+)?([A-Z](?:['’][A-Z])?[a-z][\w’'-]*))")  # "Jo O'Malley"
#: A run of capitalised words, as an organisation's name is written ("Sumitomo Mitsui Financial Group");
#: not across "of" or "and", which may join a person to the organisation they speak for.
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)+")
#: One capitalised word or a run of them, read with what follows and precedes it.
_NAME_WORDS = re.compile(r"\b[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*")
_POSSESSIVE_END = re.compile(r"['’]s$")
_WORDS_BEFORE = re.compile(r"[\w’']+")
#: How far back a time phrase before a month is looked for ("in", "since", "early").
_MONTH_LOOKBACK = 24
#: The lower-case words just after a name: its verb, after up to two auxiliaries or adverbs.
_WORDS_AFTER = re.compile(r"(?:\s+[a-z]+\b){1,3}")
#: ", 45," or ", a senior analyst at …" after a name: up to four words of an appositive.
_APPOSITIVE_AFTER = re.compile(r",\s+(\d{1,3},|(?:[\w’'.-]+\s+){0,4}[\w’'.-]+)")
#: How far after a name its pronoun is looked for: a clause or two, not a whole long sentence.
_PRONOUN_REACH = 160
_WORD_BEFORE = re.compile(r"([a-z][a-z-]*)\s+$")


def ends_organisation(words: list[str]) -> bool:
    """Whether a capitalised name of two or more words ends as an organisation's does: in a head
    noun ("… Group") or a legal form ("… Corp", "… Co" as wire copy writes it, with no stop). A
    legal form of two letters ends a name of three words or more only ("Harwick Mfg Co"): "Co" or
    "Sa" after one word may be a surname ("Zaldy Co")."""
    last = words[-1].lower().rstrip(".")
    return last in word_list("organisation_name_heads") or (
        last in word_list("legal_suffixes") and (len(last) > 2 or len(words) >= 3))


def person_name_words(sentences: list[str], organisations: frozenset[str] = frozenset()) -> frozenset[str]:
    """The words of the document's full names ("Ann Lee"), each of which alone later is that
    person. A name lies within one sentence: "…on Monday. Halvard said" names nobody. A pair
    inside a longer name that ends in an organisation's head word ("Sumitomo Mitsui Financial
    Group", "Cairn Energy Corp") or that the document uses as an organisation's
    (``organisations``, from :func:`organisation_names`) is part of that organisation's name, so
    "Sumitomo said" later is the organisation speaking. A capitalised word that is never a name
    ("And", "Monday") before a name is no first name; a month is one unless a time phrase has it
    ("April Halvorsen", not "in April Halvorsen said")."""
    heads = word_list("organisation_heads") | word_list("organisation_name_heads")
    not_names, honorifics = word_list("not_names"), word_list("honorifics")
    months, time_before = word_list("month_names"), word_list("time_leaders") | word_list("object_prepositions")
    found: set[str] = set()
    for text in sentences:
        in_organisation_names = [
            match.span() for match in _CAPITALISED_RUN.finditer(text)
            for run in (match.group().split(),)
            if run[-1].lower().rstrip(".") in heads or ends_organisation(run)
            or bool(organisations) and _name_key(_without_leading_non_names(run)) in organisations
        ]
        starts = [start for start, _ in in_organisation_names]  # sorted: found left to right
        for match in _NAME_PAIR.finditer(text):
            if match.group(1).lower() in heads or match.group(2).lower() in heads:
                continue
            where = bisect.bisect_right(starts, match.start()) - 1
            if where >= 0 and match.start() < in_organisation_names[where][1]:
                continue  # a run is never inside another, so only the last one before can hold it
            first, last = match.group(1), _POSSESSIVE_END.sub("", match.group(2))  # "Ann Lee's": Lee
            if first.lower() in months:
                before = _WORDS_BEFORE.findall(text[max(0, match.start() - _MONTH_LOOKBACK):match.start()])
                if not (before and before[-1].lower() in time_before):
                    found.update((first, last))  # "April Halvorsen said"; not "in April Halvorsen said"
                continue
            if first.lower() in not_names:
                # "And Halvard", "Monday Halvard" name nobody; "Mr Halvard" names a person.
                if first.lower().rstrip(".") in honorifics:
                    found.add(last)
                continue
            found.update((first, last))
    return frozenset(found)


def organisation_names(sentences: list[str]) -> frozenset[str]:
    """Names of two or more capitalised words with no organisation's form ("Krispy Kreme",
    "Merrill Lynch") that the document uses as an organisation's and never as a person's.

    As an organisation's: "its" is the first pronoun after the name in its sentence ("Merrill
    Lynch said its profits …"), a plural verb follows it ("Age Concern have warned"), or its
    first word alone speaks elsewhere ("Merrill said"). As a person's: a title stands before
    it, in its run of capitals or not ("Dr", "Acme President") or a role does ("economist Ann Lee"), an appositive after
    it gives an age or a role ("Ann Lee, 45,", "Ann Lee, a senior analyst at …"), "he", "she",
    "his" or "her" is the first pronoun after it, or its last word alone speaks elsewhere or
    follows a title ("Lee said", "Mr Lee"). With neither, or both, a name stays a person's."""
    acting: set[str] = set()
    personal: set[str] = set()
    speakers: set[str] = set()  # single capitalised words that speak alone ("Merrill said")
    candidates: list[tuple[str, str, str]] = []  # (name, first word, last word)
    for text in sentences:
        for match in _NAME_WORDS.finditer(text):
            words = _without_leading_non_names(match.group().split())
            if not words:
                continue
            title = _title_end(words)
            titled = title > 0
            words = words[title:]  # "Acme President Jo Roe": Jo Roe is the person the title names
            if not words:
                continue
            words[-1] = _POSSESSIVE_END.sub("", words[-1])
            if len(words) == 1:
                if titled:
                    personal.add(words[0])  # "Mr Lee": Lee names a person
                elif _speaks(text, match.end()):
                    speakers.add(words[0])
                continue
            name = " ".join(words)
            if titled or _role_before(text, match.start()) or _role_after(text, match.end()):
                personal.add(name)
                personal.add(words[-1])
                continue
            if words[-1].lower().rstrip(".") in word_list("organisation_heads") or ends_organisation(words):
                continue  # its form says what it is already
            pronoun = _pronoun_after(text, match.end())
            if pronoun == "person":
                personal.add(name)
            elif pronoun == "organisation" or (
                    not _coordinated(text, match.start()) and _plural_verb_after(text, match.end(), words[-1])):
                acting.add(name)
            candidates.append((name, words[0], words[-1]))
    return frozenset(
        name for name, first, last in candidates
        if (name in acting or first in speakers and last not in speakers)
        and name not in personal and last not in personal and last not in speakers
    )


def _name_key(words: list[str]) -> str:
    """A name as :func:`organisation_names` gives it: its words, without a final possessive."""
    return " ".join([*words[:-1], _POSSESSIVE_END.sub("", words[-1])]) if words else ""


def _without_leading_non_names(words: list[str]) -> list[str]:
    """A run of capitalised words from its first that may be a name ("But Merrill Lynch": no
    "But"), keeping honorifics, which :func:`_title_end` reads."""
    not_names, honorifics = word_list("not_names"), word_list("honorifics")
    start = 0
    while start < len(words) and words[start].lower() in not_names and words[start].lower().rstrip(".") not in honorifics:
        start += 1
    return words[start:]


def _title_end(words: list[str]) -> int:
    """Where the name after a person's title in a run of capitalised words starts ("Mr Lee",
    "President Ann Lee", "Acme Chief Executive Jo Roe"); 0 with no title before its last word."""
    titles = _titles()
    return next((i + 1 for i in range(len(words) - 2, -1, -1) if _is_role(words[i].rstrip("."), titles)), 0)


def _is_role(word: str, roles: frozenset[str]) -> bool:
    """Whether a word is one of ``roles``, or a compound of one ("vice-chairman", "Editor-in-Chief")."""
    lowered = word.lower()
    return lowered in roles or "-" in lowered and not roles.isdisjoint(lowered.split("-"))


@functools.cache
def _titles() -> frozenset[str]:
    return word_list("honorifics") | word_list("person_titles") | word_list("parliament_titles")


@functools.cache
def _roles() -> frozenset[str]:
    """Nouns for a person by their role, before a name or in an appositive after it."""
    return (word_list("roles_after_names") | word_list("trailing_roles") | word_list("person_titles")
            | word_list("affiliated_roles"))


def _pronoun_after(text: str, end: int) -> str | None:
    """Whose name the first pronoun after a name says it is ("person" or "organisation",
    lexicon ``name_pronoun_classes``), when that pronoun can only refer to it: within a clause
    or two, with no other noun phrase between ("Acme said its …", "Ann Lee said she …"; not
    "Ann Lee said the firm had cut its …")."""
    pronoun = _pronoun_pattern().search(text, end, end + _PRONOUN_REACH)
    if pronoun is None:
        return None
    between = _WORDS_BEFORE.findall(text, end, pronoun.start())
    noun_phrase_openers = word_list("articles") | word_list("definite_determiners")
    if any(word[:1].isupper() or word.lower() in noun_phrase_openers for word in between):
        return None
    return word_pairs("name_pronoun_classes")[pronoun.group()]


@functools.cache
def _pronoun_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(word_pairs('name_pronoun_classes'))})\b")


def _role_before(text: str, start: int) -> bool:
    """"economist Ann Lee", "said analyst Jo Roe": a role in lower case just before the name."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return before is not None and before.group(1) in _roles()


def _role_after(text: str, end: int) -> bool:
    """"Ann Lee, 45," / "Ann Lee, a senior analyst at …" / "Ann Lee, Acme's chief economist" /
    "Ann Lee, who …": an appositive giving an age or a role, or a relative clause of a person's."""
    appositive = _APPOSITIVE_AFTER.match(text, end)
    if appositive is None:
        return False
    described = appositive.group(1)
    words = described.split()
    return described[0].isdigit() or words[0] in word_list("person_relatives") or any(
        _is_role(word.strip(",."), _roles()) for word in words if word[:1].islower())


def _speaks(text: str, end: int) -> bool:
    """Whether a verb of saying follows a name, after up to two auxiliaries or adverbs
    ("Merrill said", "Merrill has also said")."""
    after = _WORDS_AFTER.match(text, end)
    fillers = word_list("subject_verb_fillers")
    for word in after.group().split() if after else ():
        if word not in fillers:
            return is_claim_verb(word)
    return False


def _coordinated(text: str, start: int) -> bool:
    """"Jo Roe and Ann Lee have said": a name after "and" or "or" shares a plural verb."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return before is not None and before.group(1) in word_list("coordinators")


def _plural_verb_after(text: str, end: int, last: str) -> bool:
    """"Age Concern have warned": a name not written as a plural takes a plural verb, as an
    organisation's does in British usage and a person's never does."""
    after = _WORDS_AFTER.match(text, end)
    return after is not None and after.group().split()[0] in word_list("plural_auxiliaries") \
        and not last.endswith("s")
