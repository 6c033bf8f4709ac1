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

from citelint.analysis.cues import inflections, is_claim_verb
from citelint.analysis.sources import is_legal_form, is_role, legal_form_key, names_organisation_kind, person_roles
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
_WORD = re.compile(r"\S+")
#: How far back a time phrase before a month is looked for ("in", "since", "early").
_MONTH_LOOKBACK = 24
#: The lower-case words just after a name: its verb, after up to two auxiliaries or adverbs.
_WORDS_AFTER = re.compile(r"(?:\s+[a-z]+\b){1,3}")
#: ", 45," or ", a senior analyst at …" after a name: up to four words of an appositive.
_APPOSITIVE_AFTER = re.compile(r",\s+(\d{1,3},|(?:[\w’'.-]+\s+){0,4}[\w’'.-]+)")
#: A name's verb of saying (with auxiliaries and "that"), then "it" and its verb after up to two
#: auxiliaries: "has said that it is planning".
_IT_AFTER_SAYING = re.compile(r"(?P<saying>(?:\s+[a-z]+){1,4}?)\s+it(?P<verb>(?:\s+[a-z]+){1,3})")
#: How far after a name its pronoun is looked for: a clause or two, not a whole long sentence.
_PRONOUN_REACH = 160
_WORD_BEFORE = re.compile(r"\b([a-z][a-z-]*)\s+$")
#: "a spokeswoman, " / "Its chief executive, " / "the firm's chairman, " before a name.
#: How far back the word before a name is read.
_LOOKBACK = 30
#: How far back an appositive role before a name is read ("The company's chief financial officer, ").
_ROLE_LOOKBACK = 80
#: Characters after which a clause opens (:func:`_opens_clause`).
_CLAUSE_BREAKS = frozenset(",;:(\"“‘'—–-")


def ends_organisation(words: list[str]) -> bool:
    """Whether a capitalised name of two or more words ends as an organisation's does: in a head
    noun ("… Group") or a legal form ("… Corp", "… Co" as wire copy writes it, with no stop). A
    legal form of two letters ends a name of three words or more only ("Harwick Mfg Co"): "Co" or
    "Sa" after one word may be a surname ("Zaldy Co"), as no form written with stops inside is
    ("Kelby S.A.")."""
    last = words[-1].lower().rstrip(".")
    return last in word_list("organisation_name_heads") or (
        is_legal_form(last) and (len(legal_form_key(last)) > 2 or len(words) >= 3 or "." in last))


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
            if has_organisation_form(run) or bool(organisations) and _name_key(run) in organisations
        ]
        in_organisation_names = _merged([*in_organisation_names, *_joined_organisation_names(text)])
        starts = [start for start, _ in in_organisation_names]
        for match in _NAME_PAIR.finditer(text):
            if match.group(1).lower() in heads or match.group(2).lower() in heads:
                continue
            where = bisect.bisect_right(starts, match.start()) - 1
            if where >= 0 and match.start() < in_organisation_names[where][1]:
                continue  # the spans are apart, so only the last one before can hold it
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


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted and joined where they overlap (a joined name holds the runs it joins)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def joined_organisation_names(sentences: list[str]) -> frozenset[str]:
    """The names :func:`_joined_organisation_names` finds, written with single spaces, with and
    without their legal form ("Harwick and Tarrow Co", "Harwick and Tarrow"): one organisation's,
    not two coordinated names."""
    found = set()
    for text in sentences:
        for start, end in _joined_organisation_names(text):
            words = text[start:end].split()
            found.add(" ".join(words))
            while len(words) > 3 and is_legal_form(words[-1]):
                words.pop()
                found.add(" ".join(words))
    return frozenset(found)


def _joined_organisation_names(text: str) -> list[tuple[int, int]]:
    """Where two runs of capitalised words joined by "and" end together as an organisation's name
    does while the second alone does not ("Harwick Tyre and Rubber Co": "Rubber Co" may be a
    person, as "Zaldy Co" is; not "Jo Lee and Acme Corp"): the first words are the organisation's
    too, and alone later ("Harwick said") are its short name, no one's surname."""
    found = []
    for match in _joined_runs().finditer(text):
        first, second = match.group("first").split(), match.group("second").split()
        if ends_organisation([*first, *second]) and not has_organisation_form(second) \
                and not has_organisation_form(first):
            found.append(match.span())
    return found


@functools.cache
def _joined_runs() -> re.Pattern[str]:
    run = r"[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*"
    return re.compile(rf"\b(?P<first>{run})\s+(?:{alternation(word_list('subject_coordinators'))})\s+(?P<second>{run})")


def organisation_names(sentences: list[str]) -> frozenset[str]:
    """Names of two or more capitalised words with no organisation's form ("Krispy Kreme",
    "Merrill Lynch") that the document uses as an organisation's and never as a person's.

    As an organisation's, where the name is the subject of its clause (it opens the sentence or
    a clause, and is no possessive): "its" follows it with only a verb of saying between
    ("Merrill Lynch said its profits …", "… added that its …"), or a plural auxiliary does ("Age
    Concern have warned"); or its first word alone acts so ("Merrill said its …").

    As a person's: a title stands before it, in its run of capitals or not ("Dr", "Acme
    President"); a role does ("economist Ann Lee", "a spokeswoman, Ann Lee,", "Shopkeeper Ann
    Lee"); an appositive after it gives an age or a role or opens with "who" ("Ann Lee, 45,",
    "Ann Lee, a senior analyst at …"); "he", "she", "his" or "her" is the first pronoun after
    it; or its last word alone follows a title or speaks ("Mr Lee", "Lee said"). With neither,
    or both, a name stays a person's."""
    acting: set[str] = set()
    personal: set[str] = set()
    speakers: set[str] = set()  # single words that speak, as a surname does ("Lee said")
    candidates: list[tuple[str, str, str]] = []  # (name, its first word, its last word)
    alone: list[tuple[str, re.Match[str]]] = []  # runs that hold one word that may be a name ("But Merrill")
    for text in sentences:
        for match in _CAPITALISED_RUN.finditer(text):
            found = _name_in_run(match)
            if found is None:
                continue
            start, words, titled, possessive = found
            if len(words) == 1:
                if titled:
                    personal.add(words[0])  # "Mr Lee"
                else:
                    alone.append((text, match))  # "But Merrill"
                continue
            name = " ".join(words)
            if titled or _role_before(text, start) or _role_after(text, match.end()) \
                    or _described_at_sentence_start(words, start):
                personal.update((name, words[-1]))
                continue
            if has_organisation_form(words):
                continue  # its form says what it is already
            pronoun = _pronoun_after(text, match.end())
            if pronoun == "person":
                personal.add(name)
            elif _acts_as_organisation(text, start, match.end(), words[-1], possessive, pronoun):
                acting.add(name)
            candidates.append((name, words[0], words[-1]))
    # Words alone are most of a story's capitals: only those a name starts or ends with are read.
    in_names = {first for _, first, _ in candidates} | {last for _, _, last in candidates}
    if in_names:
        alone += [(text, match) for text in sentences for match in _NAME_WORDS.finditer(text)
                  if len(match.group().split()) == 1]
    for text, match in alone:
        if _POSSESSIVE_END.sub("", match.group().rsplit(maxsplit=1)[-1]) not in in_names:
            continue
        found = _name_in_run(match)
        if found is None:
            continue
        start, (word,), _, possessive = found
        pronoun = _pronoun_after(text, match.end())
        if pronoun == "person":
            personal.add(word)  # "Lee said he"
        elif _acts_as_organisation(text, start, match.end(), word, possessive, pronoun):
            acting.add(word)  # "Merrill said its": the short name of an organisation
        elif _speaks(text, match.end()):
            speakers.add(word)  # "Lee said": the last word of a name speaks as a person's does
    # "Merrill" acting as an organisation makes "Merrill Lynch" one, unless a person's pronoun follows "Merrill" too.
    return frozenset(
        name for name, first, last in candidates
        if (name in acting or first in acting and first not in personal)
        and name not in personal and last not in personal and last not in speakers
    )


def _acts_as_organisation(text: str, start: int, end: int, last: str, possessive: bool, pronoun: str | None) -> bool:
    """Whether a name at ``text[start:end]`` is the subject of its clause, alone (not "Jo Roe and
    Ann Lee"), and acts as an organisation there: "its" refers back to it (``pronoun``, from
    :func:`_pronoun_after`), or a plural auxiliary follows it."""
    if possessive or not _opens_clause(text, start) or _coordinated(text, start):
        return False
    return pronoun == "organisation" or _plural_verb_after(text, end, last) or _intends_after(text, end)


def _intends_after(text: str, end: int) -> bool:
    """"Acme said it plans …", "Acme has said it expects …": after the name's verb of saying,
    "it" is the active subject of a verb of intent or expectation (lexicon ``intent_verbs``),
    which wants an agent; it can only be the name, which a person's would not be ("Ann Lee said it
    was …" is about something else, "it was expected to …" has no agent)."""
    after = _IT_AFTER_SAYING.match(text, end)
    if after is None:
        return False
    saying = after.group("saying").split()
    verbs = after.group("verb").split()
    verb = next((word for word in verbs if word not in _verb_fillers()), "")
    # "it was expected to take weeks", "it is hoped": a passive has no agent.
    passive = verb.endswith("ed") and any(word in word_list("be_forms") for word in verbs)
    return verb in _intent_forms() and not passive and any(map(is_claim_verb, saying)) and _saying_only(saying)


def _saying_only(words: list[str]) -> bool:
    """Whether words after a name are only its verb of saying, auxiliaries, adverbs and "that"."""
    fillers = _verb_fillers()
    return all(word in fillers or is_claim_verb(word) for word in words)


@functools.cache
def _intent_forms() -> frozenset[str]:
    return frozenset(form for verb in word_list("intent_verbs") for form in inflections(verb))


def has_organisation_form(words: list[str]) -> bool:
    """Whether a run of capitalised words ends in an organisation's head noun ("… Bank", "…
    Group") or legal form (:func:`ends_organisation`)."""
    return words[-1].lower().rstrip(".") in word_list("organisation_heads") or ends_organisation(words)


def _name_in_run(match: re.Match[str]) -> tuple[int, list[str], bool, bool] | None:
    """The name a run of capitalised words holds: where it starts, its words (without a final
    possessive), whether a person's title stands before it in the run ("Mr Lee", "Acme
    President Jo Roe") and whether it ends in a possessive. Capitalised words that are never a
    name ("But", "Under") open no name. None when no name is left."""
    spans = [word.span() for word in _WORD.finditer(match.group())]
    words = [match.group()[a:b] for a, b in spans]
    skip = _leading_non_names(words)
    title = _title_end(words[skip:])
    skip += title
    if skip >= len(words):
        return None
    name = words[skip:]
    possessive = _POSSESSIVE_END.search(name[-1]) is not None
    name[-1] = _POSSESSIVE_END.sub("", name[-1])
    return match.start() + spans[skip][0], name, title > 0, possessive


def _name_key(words: list[str]) -> str:
    """A name as :func:`organisation_names` gives it: its words from the first that may be a
    name, without a final possessive."""
    words = words[_leading_non_names(words):]
    return " ".join([*words[:-1], _POSSESSIVE_END.sub("", words[-1])]) if words else ""


def _leading_non_names(words: list[str]) -> int:
    """How many capitalised words open a run without being a name ("But", "Under" of "Under Ann
    Lee"); honorifics stay, for :func:`_title_end` to read."""
    never, honorifics = _never_names(), word_list("honorifics")
    skip = 0
    while skip < len(words) and words[skip].lower() in never and words[skip].lower().rstrip(".") not in honorifics:
        skip += 1
    return skip


@functools.cache
def _never_names() -> frozenset[str]:
    return word_list("not_names") | word_list("object_prepositions")


def _title_end(words: list[str]) -> int:
    """Where the name after a person's title in a run of capitalised words starts ("Mr Lee",
    "President Ann Lee", "Acme Chief Executive Jo Roe"); 0 with no title before its last word."""
    titles = _titles()
    return next((i + 1 for i in range(len(words) - 2, -1, -1) if is_role(words[i].rstrip("."), titles)), 0)


@functools.cache
def _titles() -> frozenset[str]:
    return word_list("honorifics") | word_list("person_titles") | word_list("parliament_titles")


def _names_someone(word: str) -> bool:
    """A noun for a person: a role, or one whose plural ends as those of people do
    ("shopkeeper", "student") and that is no kind of organisation ("publisher", "lender")."""
    lowered = word.lower()
    return is_role(lowered, person_roles()) or (
        f"{lowered}s".endswith(tuple(word_list("people_noun_endings"))) and not names_organisation_kind(lowered))


def _described_at_sentence_start(words: list[str], start: int) -> bool:
    """"Shopkeeper Ann Lee said": opening the sentence, a noun for a person capitalised before
    a name of two words or more describes the person the name names."""
    return start == 0 and len(words) >= 3 and _names_someone(words[0])


def _pronoun_after(text: str, end: int) -> str | None:
    """Whose name the first pronoun after a name says it is ("person" or "organisation",
    lexicon ``name_pronoun_classes``), when that pronoun can only refer to it. A person's: no
    other noun phrase between ("Ann Lee said she …", not "Ann Lee said the firm had cut its …").
    An organisation's: only a verb of saying, its auxiliaries and "that" between ("Acme said
    its …", "Acme has also said that its …"; not "Jo Lee said of its decision")."""
    pronoun = _pronoun_pattern().search(text, end, end + _PRONOUN_REACH)
    if pronoun is None:
        return None
    between = _WORDS_BEFORE.findall(text, end, pronoun.start())
    kind = word_pairs("name_pronoun_classes")[pronoun.group()]
    if kind == "organisation":
        return kind if between and _saying_only(between) else None
    return None if any(word[:1].isupper() or word.lower() in _noun_phrase_openers() for word in between) else kind


@functools.cache
def _verb_fillers() -> frozenset[str]:
    """What may stand between a name and "its" besides the verb of saying: auxiliaries, adverbs, "that"."""
    return word_list("subject_verb_fillers") | word_list("clause_complementisers")


@functools.cache
def _noun_phrase_openers() -> frozenset[str]:
    return word_list("articles") | word_list("definite_determiners")


@functools.cache
def _pronoun_pattern() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(word_pairs('name_pronoun_classes'))})\b")


def _word_before(text: str, start: int) -> str | None:
    """The lower-case word just before ``start``."""
    before = _WORD_BEFORE.search(text, max(0, start - _LOOKBACK), start)
    return before.group(1) if before else None


def _role_before(text: str, start: int) -> bool:
    """"economist Ann Lee", "said analyst Jo Roe", "a spokeswoman, Ann Lee,": a role in lower
    case just before the name, or an appositive role before a comma (:func:`_role_before_comma`)."""
    word = _word_before(text, start)
    if word is not None:
        return is_role(word, person_roles())
    appositive = _role_before_comma().search(text, max(0, start - _ROLE_LOOKBACK), start)
    return appositive is not None and is_role(appositive.group("role"), person_roles())


@functools.cache
def _role_before_comma() -> re.Pattern[str]:
    """"a spokeswoman, " / "Its chief executive, " / "The firm's chief financial officer, " before
    a name: a determiner or a possessive opening its clause (the sentence's start, or after a
    comma, colon or dash), up to four lower-case words, the role and a comma. Not "In a note to analysts, "
    nor "After a complaint from the council's chief executive, ": a phrase a preposition opens."""
    determiners = alternation(_noun_phrase_openers() | word_list("people_possessives"))
    return re.compile(
        rf"(?:^|[,;:(—–]\s*)(?:(?i:{determiners})|[\w’'.&-]+['’]s)\s+(?:[a-z][\w’'-]*\s+){{0,4}}(?P<role>[a-z][a-z-]*),\s+$")


def _role_after(text: str, end: int) -> bool:
    """"Ann Lee, 45," / "Ann Lee, a senior analyst at …" / "Ann Lee, Acme's chief economist" /
    "Ann Lee, who …": an appositive giving an age or a role, or a relative clause of a person's."""
    appositive = _APPOSITIVE_AFTER.match(text, end)
    if appositive is None:
        return False
    described = appositive.group(1)
    words = described.split()
    return described[0].isdigit() or words[0] in word_list("person_relatives") or any(
        is_role(word.strip(",."), person_roles()) for word in words if word[:1].islower())


def _speaks(text: str, end: int) -> bool:
    """Whether a verb of saying follows a name, after up to two auxiliaries or adverbs
    ("Lee said", "Lee has also said")."""
    after = _WORDS_AFTER.match(text, end)
    fillers = word_list("subject_verb_fillers")
    for word in after.group().split() if after else ():
        if word not in fillers:
            return is_claim_verb(word)
    return False


def _opens_clause(text: str, start: int) -> bool:
    """Whether a name stands where a clause's subject does: opening the sentence, or after a
    comma, colon, quotation mark, bracket or dash, or after a sentence connective ("But",
    "Meanwhile"); not "Lawyers for Ann Lee have", "Since Ann Lee took over"."""
    before = text[max(0, start - _LOOKBACK):start].rstrip()
    if not before or before[-1] in _CLAUSE_BREAKS:
        return True
    words = _WORDS_BEFORE.findall(before)
    return bool(words) and words[-1].lower() in word_list("sentence_connectives")


def _coordinated(text: str, start: int) -> bool:
    """"Jo Roe and Ann Lee have said", "… said its": a name joined by "and" or "or" to a name before
    it is one of several subjects, and neither the plural verb nor "its" is its alone. After a
    clause ("Sales slowed, and Acme said its…") the name is its clause's subject alone."""
    joined = _coordinated_name().search(text, max(0, start - _LOOKBACK), start)
    return joined is not None and joined.group(1).lower() not in word_list("not_names")  # not "on Monday and Acme"


@functools.cache
def _coordinated_name() -> re.Pattern[str]:
    return re.compile(rf"([A-Z][\w’'.&-]*)\s+(?:{alternation(word_list('subject_coordinators'))})\s+$")


def _plural_verb_after(text: str, end: int, last: str) -> bool:
    """"Age Concern have warned": a name not written as a plural takes a plural auxiliary, as an
    organisation's does in British usage and a person's never does."""
    after = _WORDS_AFTER.match(text, end)
    return after is not None and after.group().split()[0] in word_list("plural_auxiliaries") \
        and not last.endswith("s")
