"""Source mentions: organisations, outlets and reports named in the prose, and whether each
is used as the source of a claim and linked.

Known sources come from the registry; unknown ones are recognised from how they are used
("a report by the Riverside Housing Coalition", "according to X", "X said"). A mention is
*used as a source* when it is the source of an attribution, follows "according to", or
owns a document ("a study by X", "X's survey"); it is not when a person speaks for it
("Jane Roe, a spokeswoman for X, said") or works there ("a lecturer at X").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator, KeysView, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from citelint.analysis.cues import inflections, is_claim_verb, lemma, words_of_cue
from citelint.lexicons import alternation, word_list

if TYPE_CHECKING:
    from citelint.analysis import Analysis, Sentence
    from citelint.analysis.attributions import Attribution
    from citelint.analysis.registry import Registry, SourceEntry
    from citelint.document.model import Document, Link

#: Kinds that publish work (outlets, journals, research bodies): the ``published-only`` scope.
PUBLISHER_KINDS = frozenset(
    {"newspaper", "broadcaster", "magazine", "online-outlet", "wire", "state-media", "journal",
     "think-tank", "statistics-agency"}
)

# -- patterns ------------------------------------------------------------------------------
# The words come from the lexicon (rules/lexicons/*.yml); each pattern is built at first use,
# never at import, so that a broken lexicon is reported as a configuration error. Wherever a
# word list is followed by a space, a word boundary or the end of the text, which word matches
# is fixed by the text, so the order of the alternation does not matter.


def _capitalised(words: Iterable[str]) -> list[str]:
    """Words as they are written in a name or a title ("institute" -> "Institute")."""
    return [word[:1].upper() + word[1:] for word in words]


def _in_capitals(words: Iterable[str]) -> list[str]:
    """Initialisms as they are written ("tv" -> "TV")."""
    return [word.upper() for word in words]


def _either_initial(words: Iterable[str]) -> str:
    """An alternation of lower-case words that may also be capitalised ("[Tt]he")."""
    return "|".join(f"[{word[0].upper()}{word[0]}]{re.escape(word[1:])}" for word in sorted(words))


def _shortest_first(words: Iterable[str]) -> str:
    """An alternation with the shortest word first. An organisation's head word is followed by
    nothing the name must match, so the first head word that matches ends the name: "Lab" is
    tried before "Laboratory" (and "Program" before "Programme"), as when the words were
    written in the regex. That cuts "the Jet Propulsion Laboratory" to "… Lab"; it is kept
    so that moving the words to the lexicon changed no finding."""
    return "|".join(re.escape(word) for word in sorted(words, key=lambda word: (len(word), word)))


@functools.cache
def _document_nouns() -> str:
    """"report|study|white\\s+paper|…": what "a study by X" and "X's survey" own."""
    return alternation(word_list("document_nouns"))


@functools.cache
def _organisation_name() -> str:
    """A capitalised name of an organisation, ending in a head word ("… Coalition", "… TV") or
    followed by an acronym, and what continues it ("… Institute for Fiscal Studies")."""
    heads = _shortest_first(
        [*_capitalised(word_list("organisation_name_heads")), *_in_capitals(word_list("organisation_name_initialisms"))]
    )
    prepositions = alternation(word_list("organisation_name_prepositions"))
    name_word = rf"(?:[A-Z][\w&'’.-]*|{alternation(word_list('name_connectives'))}|&)"
    return (
        rf"(?:the\s+)?(?:[A-Z][\w&'’.-]*\s+){{0,6}}(?:{heads})"
        rf"(?:\s+(?:{prepositions})\s+(?:the\s+)?{name_word}(?:\s+{name_word}){{0,5}}(?=[\s,.;:)]|$))?"
        rf"(?:\s+\([A-Z]{{2,8}}\))?"
    )


@functools.cache
def _document_credits() -> str:
    """"by|from|published\\s+by|…": the words between a document noun and its owner."""
    return alternation(word_list("document_credits"))


@functools.cache
def _credit_comma() -> str:
    """A comma after a document noun before a credit of several words ("The study, undertaken by
    X,"), not before a description ("The study, of 200 firms,") or a bare "by" ("The study, by Ann
    Lee,")."""
    return rf",(?=\s+(?:{alternation(c for c in word_list('document_credits') if ' ' in c)})\s)"


@functools.cache
def _document_by() -> re.Pattern[str]:
    """"a study by the X", "figures released by X", "a report compiled by anti-fraud body X", "the
    study, undertaken by X,": X owns a document (group ``owner``), maybe described before its
    name. After a description of its kind ("a study by handset maker X") any name is an
    organisation's; without one, only a name written as an organisation's is ("… Institute"), not
    a person's ("Jo Lee"); nor a day or a month ("figures from the ministry Tuesday showed")."""
    any_name = rf"(?!(?i:{alternation(word_list('not_names'))})\b){_CAPITALISED_NAME}"
    return re.compile(
        rf"\b(?:{_document_nouns()})(?:{_credit_comma()})?\s+(?:{_document_credits()})\s+"
        rf"(?:(?P<kind>{_owner_kind()})|{_owner_description()})?(?P<owner>{_organisation_name()}|(?(kind){any_name}|(?!)))")


#: A name of up to four capitalised words ("Zentrix", "Dalvey Pike").
_CAPITALISED_NAME = r"[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3}"


@functools.cache
def _owner_kind() -> str:
    """A few lower-case words before a document owner's name that end in a kind of organisation
    ("handset maker ", "research firms "), which makes the name an organisation's whatever its
    form; unlike people described by what they do ("researchers "), who may be named."""
    return rf"(?-i:(?:[a-z][\w-]*\s+){{0,2}}?(?:{_organisation_kinds()})s?\s+)"


@functools.cache
def _organisation_kinds() -> str:
    """"firm|maker|…": the nouns for a kind of organisation (:func:`names_organisation_kind`)."""
    return alternation(word_list("organisation_heads") | word_list("trade_descriptors"))


def _owner_names(text: str, start: int, end: int, coordinated: bool) -> Iterator[tuple[int, int]]:
    """The name a document pattern matched, then (with ``coordinated``) each owner listed with
    it ("a survey by Acme Institute and Zenith", "according to the X Council, the Y Trust and
    Tarrow"), each without "the", a trailing function word or the sentence's full stop. Names
    after commas are owners only when "and" or "or" closes the list: "after a survey by X, Kelby
    Council closed the road" and "…, according to X, and Kelby cut jobs" go on to a new clause."""
    yield _owner_span(text, start, end)
    if not coordinated:
        return
    listed: list[tuple[int, int]] = []
    position = end
    while (conjunct := _owner_conjunct().match(text, position)) is not None:
        comma, closing, lone = conjunct.group("comma"), conjunct.group("closing"), conjunct.group("lone")
        if not closing and (not comma or lone) or closing and comma and not listed \
                or _names_people(text, conjunct.group("name"), conjunct.end("name")):
            return
        listed.append(_owner_span(text, *conjunct.span("name")))
        if closing:
            yield from listed
            return
        position = conjunct.end("name")


def _owner_span(text: str, start: int, end: int) -> tuple[int, int]:
    """An owner's name without "the", a trailing function word or the sentence's full stop."""
    if text[start:end].lower().startswith("the "):
        start += 4
    end = start + len(_trailing_lower().sub("", text[start:end]))  # "… of Health and the" -> "… of Health"
    return start, end - bool(_FINAL_STOP.search(text, start, end))


def _names_people(text: str, name: str, end: int) -> bool:
    """Whether a name listed after an owner is no organisation: a word that is never a name or
    names a group ("and Republicans"), or a word describing people ("and UK farmers")."""
    after = _NEXT_WORD.match(text, end)
    return name.lower() in word_list("not_names") or name.lower() in word_list("group_names") \
        or after is not None and after.group(1) in word_list("vague_source_heads")


#: The lower-case word right after a name.
_NEXT_WORD = re.compile(r"\s+([a-z][a-z-]*)")


@functools.cache
def _owner_conjunct() -> re.Pattern[str]:
    """Another owner after a document owner's name: after "and"/"or" (``closing``), an
    organisation's name or one word alone before punctuation or a lower-case word, as a firm
    is named (``lone``: " and Zenith"); after a comma, an organisation's name only (", the
    Zenith Trust"; not ", Trade and Industry", which goes on the name before)."""
    lone_name = r"[A-Z][\w&.-]*[\w&](?=\s*[,.;:)]|\s+[a-z]|$)"
    closing = alternation(word_list("subject_coordinators"))
    return re.compile(rf"(?P<comma>\s*,)?(?:\s+(?P<closing>{closing}))?\s+(?:{_owner_description()})?"
                      rf"(?P<name>{_organisation_name()}|(?P<lone>{lone_name}))")


@functools.cache
def _owner_description() -> str:
    """A few lower-case words before a document owner's name: ending in a noun that describes an
    organisation (:func:`describes_organisation`: "anti-fraud body ", "market analysts "), or
    adjectives after "the" ("the cross-party "); not what the document is about ("a review of
    spending at X", "an investigation of the collapse of X", "an audit of how X spends")."""
    nouns = _organisation_kinds()
    endings = alternation(word_list("people_noun_endings"))
    not_adjectives = alternation(word_list("object_prepositions") | word_list("subject_stops"))
    return (rf"(?-i:(?:[a-z][\w-]*\s+){{0,2}}?(?:(?:{nouns})s?|[a-z-]+(?:{endings}))\s+"
            rf"|the\s+(?:(?!(?:{not_adjectives})\s)[a-z][\w-]*\s+){{1,2}})")


@functools.cache
def _possessive_document() -> re.Pattern[str]:
    """"X's survey", "X' latest report": X owns a document (group ``owner``)."""
    return re.compile(rf"(?P<owner>{_organisation_name()})(?:'s|’s|')\s+(?:[a-z-]+\s+){{0,2}}(?:{_document_nouns()})\b")


@functools.cache
def _according_to() -> re.Pattern[str]:
    """"according to X", "according to a report by X": X is the source (group ``owner``)."""
    articles = alternation(word_list("articles"))
    owners = alternation(word_list("document_owner_prepositions"))
    return re.compile(
        rf"\baccording\s+to\s+(?:(?:{articles})\s+(?:[a-z-]+\s+){{0,2}}(?:{_document_nouns()})\s+(?:{owners})\s+)?"
        rf"(?P<owner>{_organisation_name()})"
    )


@functools.cache
def _document_context() -> re.Pattern[str]:
    """The words just before a mention that make it a document's owner or publisher ("a study
    by the ", "figures from ", "published in ")."""
    return re.compile(
        rf"\b(?:{_document_nouns()})(?:{_credit_comma()})?\s+(?:{_document_credits()})\s+(?:{_owner_description()})?(?:the\s+)?$"
        rf"|(?:{alternation(word_list('publishing_phrases'))})\s+(?:the\s+)?$",
        re.IGNORECASE,
    )


@functools.cache
def _citing_context() -> re.Pattern[str]:
    """The words just before a mention that cite it as the speaker ("according to the ",
    "quoting "): a source, but of a statement, not a document."""
    return re.compile(rf"\b(?:{alternation(word_list('citing_phrases'))})\s+(?:the\s+)?$", re.IGNORECASE)


@functools.cache
def _document_after() -> re.Pattern[str]:
    """A mention followed by a document it owns: "'s latest survey"."""
    return re.compile(rf"^(?:'s|’s|')\s+(?:[a-z-]+\s+){{0,2}}(?:{_document_nouns()})\b")


@functools.cache
def _document_prefix() -> re.Pattern[str]:
    """The document before the name in a source phrase ("a study by the " of "a study by the
    X", "a survey released on Tuesday by "): the document noun is context, not the name."""
    determiners = alternation(word_list("document_determiners"))
    # "a study by the ", "figures released by the ": the credits hold the owner prepositions too;
    # a short time phrase may part them from the noun ("released on Tuesday by").
    return re.compile(
        rf"(?:(?:{determiners})\s+)?(?:[\w-]+\s+){{0,2}}?(?:{_document_nouns()})(?:{_credit_comma()})?\s+(?:[\w-]+\s+){{0,3}}?"
        rf"(?:{_document_credits()})\s+(?:the\s+)?",
        re.IGNORECASE,
    )


@functools.cache
def _leading_article() -> re.Pattern[str]:
    """An article opening a source phrase ("The " of "The Daily Courier", "A " of "A Norcastle
    spokesman"): not part of the name."""
    return re.compile(rf"(?:{alternation(word_list('articles'))})\s+", re.IGNORECASE)


@functools.cache
def _speaking_for() -> re.Pattern[str]:
    """An unnamed office holder before the name in a source phrase ("a spokesperson for the " of
    "a spokesperson for the X", "one representative of X"): X speaks through them, and X is the name."""
    articles = alternation(word_list("unnamed_individual_determiners"))
    roles = alternation(word_list("spokesperson_roles"))
    prepositions = alternation(word_list("spokesperson_prepositions"))
    return re.compile(rf"(?:{articles})\s+(?:{roles})\s+(?:{prepositions})\s+(?:the\s+)?", re.IGNORECASE)


def document_phrase(phrase: str) -> bool:
    """Whether a source phrase is a document: its head a document noun, alone, credited or, as
    the phrase's first noun, described by a participle ("the survey", "Transport Department
    data", "a report by the X", "figures from X", "a Harbour Gazette poll released Monday"; not
    "Ann Marsh, an economist whose study covered 12 cities")."""
    # A sentence's first word is capitalised anyway ("Figures released by X showed").
    phrase = phrase[:1].lower() + phrase[1:]
    return _document_head().search(phrase) is not None or _described_document().match(phrase) is not None


@functools.cache
def _document_head() -> re.Pattern[str]:
    # Case-sensitive: "Office for National Statistics", "the Geological Survey" name organisations.
    return re.compile(rf"\b(?:{_document_nouns()})(?:\s+(?:{_document_credits()})\s|$)")


@functools.cache
def _described_document() -> re.Pattern[str]:
    """A document noun opening the phrase (after a determiner and up to three modifiers, none a
    function word) with a participle after it, or after a comma: "a Harbour Gazette poll released
    Monday", "The study, conducted by Acme,"."""
    determiners = alternation(word_list("document_determiners"))
    not_modifiers = alternation(word_list("object_prepositions") | word_list("relative_pronouns") | word_list("coordinators"))
    return re.compile(
        rf"(?:(?:{determiners})\s+)?(?:(?!(?:{not_modifiers})\b)[\w’'&.-]+\s+){{0,3}}"
        rf"(?:{_document_nouns()}),?\s+[a-z]{{2,}}ed\b"
    )


def _someone_at_an_organisation(text: str, start: int, end: int) -> bool:
    """Whether the source phrase opens with a person's role where they hold it, not with a
    statement or a group from an organisation ("a statement from X", "a group led by X")."""
    noun = _role_noun(text, start, end)
    return noun is not None and noun not in word_list("reporting_nouns") and noun not in word_list("organisation_heads")


def _role_noun(text: str, start: int, end: int) -> str | None:
    """The noun before the affiliation of a phrase opening with a role and where it is held
    ("trader" in "a senior trader at X"), if the phrase opens so."""
    role = _someone_at().match(text, start, end)
    return role.group(0).split()[-2].lower() if role else None


@functools.cache
def _someone_at() -> re.Pattern[str]:
    """A person described by a role and where they hold it ("a senior trader at X", "director of
    X", "an official at the X"): lower-case words, then the preposition of an affiliation."""
    articles = _either_initial([*word_list("articles"), "one"])
    prepositions = alternation(word_list("affiliation_prepositions"))
    return re.compile(rf"(?:(?:{articles})\s+)?(?:[a-z][a-z-]*\s+){{1,3}}?(?:{prepositions})\s+")


def _describes_a_person(text: str, start: int, end: int, firm: bool = False) -> bool:
    """Whether an aside opening at ``start`` describes one person: "who …", "himself …", an age
    (", 45,"); a post ("chairman of X", "the president", "president and chief executive", "a
    spokesman for X"); or, after an indefinite article, what people do and where ("a specialist
    at accountancy firm X"). After a name with an organisation's form (``firm``: "Acme Bank,") a
    post a firm holds too (lexicon ``firm_posts``: "the owner of X"), a spokesperson's ("the
    spokesman for the industry") or what it does ("a Leeds investment adviser") describes the
    firm. Never a kind of organisation ("the host broadcaster"), a clause ("whose new boss is …",
    "where Jo Lind is chairman") or "a unit of X"."""
    words = text[start:end].split()
    if not words:
        return False
    opener = words[0].lower().strip(",")
    # A number is an age standing alone (", 45,"), not what it counts (", 39 pct owned by X,").
    age = opener.isdigit() and (len(words) == 1 or words[0].endswith(","))
    if opener in word_list("person_relatives") or opener in word_list("person_reflexives") or age:
        return True
    head = _aside_head(words)
    if head in word_list("organisation_heads") or firm and head in word_list("spokesperson_roles"):
        return False
    posts = _post_nouns() - word_list("firm_posts") if firm else _post_nouns() | word_list("spokesperson_roles")
    if is_role(head, posts):
        return True
    noun = _role_noun(text, start, end)
    if firm or noun is None or noun in word_list("spokesperson_roles") or noun in word_list("organisation_heads"):
        return False  # a firm is what it does: "Acme Associates Ltd, a Leeds investment adviser,"
    return opener in word_list("indefinite_articles") and f"{noun}s".endswith(tuple(word_list("people_noun_endings")))


def _aside_head(words: list[str]) -> str:
    """The head noun of the noun phrase an aside opens with, in lower case: its last word before
    a preposition, a word that opens a clause, "and" or a comma, past an opening article or
    possessive ("chairman" of "chairman of X", "broadcaster" of "the host broadcaster",
    "president" of "president and chief executive", "ceo" of "Acme's CEO"); "" when the aside
    opens a clause instead ("whose new boss is …", "where …", "like its chairman")."""
    clause = word_list("subject_stops") | word_list("clause_openers")
    stops = word_list("object_prepositions") | word_list("relative_pronouns") | clause
    openers = word_list("articles") | word_list("definite_determiners")
    if words[0].lower().strip(",") in clause:
        return ""
    head = ""
    for i, word in enumerate(words):
        lowered = word.lower().strip(",.;:")
        if lowered in stops:
            break
        if not (i == 0 and lowered in openers) and not lowered.endswith(("'s", "’s")):
            head = lowered
        if word.endswith(","):
            break
    return head


@functools.cache
def _post_nouns() -> frozenset[str]:
    """Nouns for a post someone holds, as a phrase names it ("chairman of X", "the president")."""
    return word_list("roles_after_names") | word_list("trailing_roles") | word_list("person_titles")


def is_role(word: str, roles: frozenset[str]) -> bool:
    """Whether a word is one of ``roles``, or a compound ending in one ("vice-chairman",
    "Editor-in-Chief"; not "employee-owned")."""
    lowered = word.lower()
    return lowered in roles or "-" in lowered and lowered.rsplit("-", 1)[1] in roles


@functools.cache
def person_roles() -> frozenset[str]:
    """Nouns for a person by their role, before a name or in an appositive after it."""
    return _post_nouns() | word_list("affiliated_roles")


@functools.cache
def _source_trigger() -> re.Pattern[str]:
    """Every use pattern needs a document noun or "according to": a cheap test first, searched
    in lower-cased text (much faster than an IGNORECASE search)."""
    return re.compile(rf"\b(?:{_document_nouns()})\b|\baccording\s+to\b")




@functools.cache
def _affiliation_before() -> re.Pattern[str]:
    """"a spokesman for X", "a lecturer at X", "Jo Bloggs, from the X": the person is the
    source, not X."""
    roles = alternation(word_list("affiliated_roles"))
    prepositions = alternation(word_list("affiliation_prepositions"))
    return re.compile(
        rf"\b(?:{roles})s?\s+(?:{prepositions})\s+(?:the\s+)?"
        r"(?:[a-z-]+\s+){0,4}$"  # "a research director at analyst firm IDC"
        r"|,\s+from\s+(?:the\s+)?$",  # "Jo Bloggs, from the Retail Council"
        re.IGNORECASE,
    )


@functools.cache
def _role_after() -> re.Pattern[str]:
    """"X's chief economist", "an X journalist": someone works at X (roles in lower case); or a
    title before a name ("X Political Correspondent Jo Lee", "X Secretary Jo Lee")."""
    titles = word_list("person_titles")
    return re.compile(
        rf"^(?:'s|’s)?\s*(?:[a-z-]+\s+)?(?:{alternation(word_list('roles_after_names'))})s?\b"
        rf"|^\s+(?:[A-Z][a-z-]+\s+)?(?:{alternation([*titles, *_capitalised(titles)])})\s+[A-Z]"
    )


@functools.cache
def _spokesperson_after() -> re.Pattern[str]:
    """" spokesman" after a name: the organisation speaking through an office holder."""
    return re.compile(rf"^\s+(?:{alternation(word_list('spokesperson_roles'))})\b", re.IGNORECASE)


@functools.cache
def _person_phrase() -> re.Pattern[str]:
    """A source phrase that names a person, whatever organisation it mentions: a role or title
    before a name ("MP Jo Bloggs", "chief executive Ann Lee", "Dr Ann Lee", "the Rev. Jo Lind"), a title after one
    ("Ann Lee QC", "a Green Party MP"), or a person noun as head ("guitarist with a rock band").
    Case-sensitive: "MP", "Dr" and "chief" are matched as written."""
    parliament = alternation(_in_capitals(word_list("parliament_titles")))
    counsel = alternation(_in_capitals(word_list("counsel_titles")))
    titles = f"{_either_initial(word_list('person_titles'))}|{alternation(_capitalised(word_list('honorifics')))}"
    performers = alternation([*word_list("performer_nouns"), *_in_capitals(word_list("performer_initialisms"))])
    abbreviated = alternation(_capitalised(word_list("abbreviated_titles")))
    return re.compile(
        rf"\b(?:(?:{parliament})s?|{counsel}|{titles})\s+[A-Z]"
        rf"|\b(?:{abbreviated})\.\s+[A-Z][\w'’-]*\s+[A-Z]"
        rf"|\b(?:{parliament}|{counsel})$"
        rf"|^(?:(?:{_either_initial(word_list('articles'))})\s+)?(?:[\w-]+\s+){{0,3}}?(?:{performers})s?\b"
    )


def _names_person(text: str, start: int, end: int) -> bool:
    """Whether the source phrase ``text[start:end]`` names a person (:func:`_person_phrase`),
    unless it ends as an organisation's name does ("American President Cos Ltd")."""
    words = text[start:end].split()
    if words and (words[-1].lower().rstrip(".") in word_list("organisation_name_heads") or is_legal_form(words[-1])):
        return False
    return _person_phrase().search(text, start, end) is not None


@functools.cache
def _no_comment_after() -> re.Pattern[str]:
    """"X did not respond to requests for comment": X is mentioned, not used as a source."""
    phrases = alternation(word_list("no_comment_phrases"))
    verbs = alternation(word_list("no_comment_verbs"))
    return re.compile(rf"^[^.;]{{0,40}}\b(?:{phrases})\b[^.;]{{0,40}}\b(?:{verbs})", re.IGNORECASE)


@functools.cache
def _trailing_lower() -> re.Pattern[str]:
    """Function words a greedy name match may end on, which are not part of the name
    ("… of Health and the")."""
    return re.compile(rf"(?:\s+(?:{alternation(word_list('name_connectives'))}|&))+$")


@functools.cache
def _trailing_document() -> re.Pattern[str]:
    """"Acme Research analysis": the name before a document noun."""
    return re.compile(rf"(?:'s|’s)?\s+(?:{_document_nouns()})\s*$", re.IGNORECASE)


def _names_own_part(name: str, noun: str) -> bool:
    """Whether a capitalised document noun after a name joined by a preposition or "and" is the
    name's last word ("Institute of Economic and Social Research", "Office for National
    Statistics"), not a document it wrote ("Acme Research analysis"). A document titled so ("the
    Department of Health Survey") reads as a name too: organisations named so are commoner."""
    return noun[:1].isupper() and not word_list("name_connectives").isdisjoint(name.split())


@functools.cache
def _document_owner_opening() -> re.Pattern[str]:
    """What opens a document's source phrase before its owner's name: "A recent " of "A recent
    Pellmark survey", "a 2004 " of "a 2004 Pellmark poll", "quarterly " of "(the) quarterly
    Norvale survey"."""
    determiners = _either_initial(word_list("document_determiners"))
    return re.compile(rf"(?:(?:{determiners})\s+)?(?:[a-z\d][\w’'-]*\s+){{0,3}}(?=[A-Z])")


@functools.cache
def _trailing_role() -> re.Pattern[str]:
    """"A Microsoft spokesman", "Acme's managing director": a person speaks for the
    organisation named before the role (with ``possessive``, someone who works there)."""
    roles = alternation(word_list("trailing_roles"))
    # The word before the role is a lower-case modifier ("managing"), never the name itself; a
    # run of spaces is tried from its start only (the search would otherwise be quadratic in it).
    return re.compile(rf"(?P<possessive>'s|’s)?(?<!\s)\s+(?-i:[a-z-]+\s+)?(?:{roles})\s*$", re.IGNORECASE)


#: A common noun and then a name to the end ("entrepreneur Ann Lee", "the director behind
#: JFK"), or a name and then "of" ("Ann Lee of Acme Bank").
_DESCRIBED_NAME = re.compile(r"(?:^|\s)([a-z][a-z-]{2,})\s+((?:[A-Z][\w'’.&-]*\s+)*[A-Z][\w'’.&-]*)$")
_NAME_OF = re.compile(r"^((?:[A-Z][\w'’-]*\s+){1,3})(?:of|from|at)\s")
#: "BT's Andrew Burke", "Acme Bank’s Jo Lee": a person named with the organisation they work for.
_POSSESSOR_AND_NAME = re.compile(r"^(?:[A-Z][\w&.-]*\s+){0,3}[A-Z][\w&.-]*['’]s\s+((?:[A-Z][\w'’-]*\s+){1,2}[A-Z][\w'’-]*)$")


@functools.cache
def _appositive() -> re.Pattern[str]:
    """A comma or a dash standing apart, opening an aside about the name before it: a
    description (", the carmaker", " – itself a …"), a clause (", which …", ", facing claims")
    or a phrase of the sentence's (", in a statement, …")."""
    return re.compile(r"(?:,(?!\d)\s*|\s(?:--|[-–—])\s+|[–—]\s*)(?P<opening>\S)")


@functools.cache
def _lower_case_description() -> re.Pattern[str]:
    """A description in lower case after an article or a name's possessive, ending in its noun:
    "Ruritania's biggest bank", "the state oil company", "Manufacturers' organisation",
    "Ruritania's leading farmers' union"."""
    articles = _either_initial(word_list("articles"))
    possessor = r"(?:[A-Z][\w.&-]*\s+){0,2}[A-Z][\w.&-]*(?:'s|’s|'|’)\s+"
    # a modifier may be a plural's possessive: "Ruritania's leading farmers' union"
    return re.compile(rf"(?:(?:{articles})\s+|{possessor})(?:{possessor})?(?:[a-z][\w-]*(?:s['’])?\s+)*(?P<noun>[a-z][\w-]*)")


def _describes_organisation_before_name(phrase: str) -> bool:
    """Whether a source phrase before an aside describes the organisation the aside names
    ("Ruritania's biggest bank, Acme,"), rather than being its name ("Acme Bank, the lender,")."""
    described = _lower_case_description().fullmatch(phrase)
    # Not "The head of that tribunal, Jo Lind,": the noun before a preposition is the person's post.
    return described is not None and described.group("noun") in word_list("organisation_heads") \
        and word_list("object_prepositions").isdisjoint(phrase.lower().split())


def _aside_end(text: str, start: int, end: int) -> int:
    """Where the source phrase ``text[start:end]`` ends before any aside about its name."""
    aside = _appositive().search(text, start, end)
    return aside.start() if aside else end


def _written_as_post(word: str, after: str) -> bool:
    """Whether a post's word before an aside is written as a post is: in lower case or capitals
    ("director", "CEO"), or capitalised with a name after it ("The Tarrow Bank Chairman, Jo
    Lind,"); not capitalised before a description ("The Kessel City Chiefs, the football team,")."""
    return word.islower() or word.isupper() or after.isupper()


def _ends_as_organisation(word: str) -> bool:
    """Whether a name's last word is one organisations' names end in ("Bank", "Holdings", "plc",
    "L.P.")."""
    last = word.lower().rstrip(".,")
    return last in word_list("organisation_name_heads") or is_legal_form(word) \
        or last in word_list("organisation_heads")


def is_legal_form(word: str) -> bool:
    """Whether a word is a company's legal form (lexicon ``legal_suffixes``), written with stops
    or without ("Corp.", "S.A.", "NV")."""
    return legal_form_key(word) in word_list("legal_suffixes")


def legal_form_key(word: str) -> str:
    """A word as the legal forms are listed: lower case, without its stops ("S.A." -> "sa")."""
    return word.lower().rstrip(",").replace(".", "")


def _names_organisation_after(text: str, start: int, end: int) -> bool:
    """Whether an aside opening at ``start`` is an organisation's name, perhaps after an article
    ("the EEF"): capitalised words and the particles of a name, no possessive; a single word, an
    initialism, a name ending in an organisation's word or holding a particle ("Kessel
    Federation", "Banco do Brasil", "Harwick Trading plc"), or one of three words or more. Not a
    clause ("whose shares …"), a description ("Japan's second biggest"), nor two capitalised words
    alone, as a person's name is written ("David Smith")."""
    article = _leading_article().match(text, start, end)
    aside = _appositive().search(text, start, end)
    words = text[article.end() if article else start : aside.start() if aside else end].split()
    if not words or not words[0][:1].isupper() or any(word.endswith(("'s", "’s")) for word in words) \
            or not all(word[:1].isupper() or _name_particle(word) or _BRACKETED_INITIALISM.fullmatch(word) for word in words):
        return False
    names = [word for word in words if word[:1].isupper()]
    if not names:
        return False
    return len(names) == 1 or names[-1].isupper() or len(words) > 2 or len(names) < len(words) \
        or _ends_as_organisation(names[-1])


#: An initialism in brackets after a name: "(ONGC)".
_BRACKETED_INITIALISM = re.compile(r"\([A-Z][A-Z.&-]*\)")


def _name_particle(word: str) -> bool:
    """A word in lower case that may stand inside an organisation's name: "of", "and", "de", "do",
    "plc", "d’Italia"."""
    return word in word_list("name_connectives") or word in word_list("name_joiners") or word in word_list("name_particles") \
        or is_legal_form(word) or "'" in word or "’" in word


def _name_before_aside(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of an organisation's source phrase that holds its name: the phrase before any
    aside about the name ("Acme Corp, facing claims, said"), or the name after the description it
    follows ("Ruritania's biggest bank, Acme, said"); None when the phrase names a person
    speaking ("Jo Lind, chairman of Acme", "Acme's new director, Jo Lind", "Ann Lee QC")."""
    aside = _appositive().search(text, start, end)
    credited = _document_prefix().match(text, start, end)
    if aside and credited and credited.end() > aside.start():
        aside = _appositive().search(text, credited.end(), end)  # "The study, undertaken by X," credits X
    description = text[start:aside.start()] if aside else ""
    if aside and _describes_organisation_before_name(description) \
            and _names_organisation_after(text, aside.start("opening"), end):
        start = aside.start("opening")
        aside = _appositive().search(text, start, end)
    name_end = aside.start() if aside else end
    words = text[start:name_end].split()
    firm = bool(words) and _ends_as_organisation(words[-1])
    if aside and _describes_a_person(text, aside.start("opening"), end, firm):
        return None  # "Jo Lind, a specialist at accountancy firm Acme, said"
    if aside and words and is_role(words[-1], person_roles()) and _written_as_post(words[-1], text[aside.start("opening")]):
        return None  # "Acme's new director, Jo Lind, said": the person named after the post speaks
    # A person named in an aside ("X Institute, led by Prof. Ann Lee,") does not make the phrase theirs.
    if _names_person(text, start, name_end) or _introduces_person(text[start:name_end]):
        return None
    return (start, name_end) if name_end > start else None


@functools.cache
def _organisation_descriptor() -> re.Pattern[str]:
    """Words that describe the organisation named next: "think tank ", "Research firm ",
    "Sailing's governing body the "."""
    # The same words in the same order in every run (ties in length broken alphabetically), so the
    # compiled pattern is found in the derived-data cache instead of compiled and stored again.
    heads = alternation(word_list("organisation_heads"))
    # Opening the sentence, a line of business is capitalised: "Bookmaker Tollgate".
    trades = alternation(word_list("trade_descriptors"))
    return re.compile(rf"(?:^(?i:{trades})|(?:[\w'’-]+\s+){{0,2}}?(?:{heads}))\s+(?:the\s+)?(?=[A-Z])")


def _after_descriptor(text: str, start: int, end: int) -> int:
    """Where the name begins after a description ending in a noun that makes it an organisation's
    (:func:`described_by`: "market analysts Screen Digest", "Bookmakers Ladwell"); ``start`` when
    none does."""
    described = _LEADING_DESCRIPTION.match(text, start, end)
    if described is None:
        return start
    noun = described.group("noun")
    return described.end() if described_by(noun, described.start("noun") == 0) else start


#: Up to two words, then the noun that describes the capitalised name after it.
_LEADING_DESCRIPTION = re.compile(r"(?:[\w'’-]+\s+){0,2}?(?P<noun>[\w'’-]+)\s+(?=[A-Z])")


def described_by(noun: str, sentence_start: bool) -> bool:
    """Whether a noun before a name makes it an organisation's. In lower case: a kind of
    organisation (:func:`names_organisation_kind`: "drugmaker Norvalis", "think tank Civitas") or a
    plural (:func:`describes_organisation`: one person is not many). Opening the sentence: the
    plural of a line of business ("Bookmakers Ladwell"); other capitalised words open names
    ("Group Terlov", "Farmers Union of Wales", "News Corp")."""
    if not noun.islower():
        plural_trade = noun.endswith("s") and noun[:-1].lower() in word_list("trade_descriptors")
        return sentence_start and noun[1:].islower() and plural_trade
    return describes_organisation(noun) if noun.endswith("s") else names_organisation_kind(noun)


def names_organisation_kind(noun: str) -> bool:
    """Whether a singular noun names a kind of organisation: an organisation's head noun or a line
    of business ("firm", "tank", "drugmaker", "giant"). Some also name a person's job ("Property
    developer Jo Lind" reads as an organisation); news uses them far more for companies ("Mining
    giant Rio Verde", "Games maker Pixelwood")."""
    return noun in word_list("organisation_heads") or noun in word_list("trade_descriptors")


def describes_organisation(descriptor: str) -> bool:
    """Whether a lower-case noun right before a name may say the name is an organisation's, so the
    name is not read as a person's: an organisation's head noun or its plural ("research firm Ovum",
    "bookmakers Ladbrokes"), or a plural noun for people by what they do ("analysts Screen
    Digest"): one person is not many."""
    heads = word_list("organisation_heads")
    return (descriptor in heads or descriptor.endswith("s") and descriptor[:-1] in heads
            or descriptor.endswith(tuple(word_list("people_noun_endings"))))


@functools.cache
def _determiners() -> frozenset[str]:
    return word_list("articles") | word_list("definite_determiners")


def _introduces_person(phrase: str) -> bool:
    """Whether an unregistered source phrase reads as a person with a role or an affiliation
    rather than an organisation: "UK entrepreneur Ann Lee", "Ann Lee of Acme Bank"."""
    heads = word_list("organisation_heads")
    described = _DESCRIBED_NAME.search(phrase)
    # "Jo Hale from X" is read below; "the Tories" is a determiner, not a description.
    # A joiner inside a name ("Institute of Economic and Social Research") describes nothing.
    not_descriptors = word_list("affiliation_prepositions") | _determiners() | word_list("name_connectives")
    if described and described.group(1) not in not_descriptors:
        descriptor, name = described.group(1), described.group(2).split()
        # not "research firm Ovum", "analysts Screen Digest", "lead manager Acme Bank Corp International"
        return not describes_organisation(descriptor) and not _ends_as_organisation(name[-1])
    possessed = _POSSESSOR_AND_NAME.match(phrase)
    if possessed and possessed.group(1).split()[-1].lower() not in heads | word_list("organisation_name_heads"):
        return True
    named = _NAME_OF.match(phrase)
    return named is not None and named.group(1).split()[-1].lower() not in heads


@dataclass(frozen=True, slots=True)
class SourceMention:
    """A named source in a sentence, known to the registry or not, and whether it is used as one."""

    sentence: int
    #: span relative to the sentence text
    start: int
    end: int
    name: str
    entry: SourceEntry | None
    used_as_source: bool
    #: a document noun owns the mention ("a study by X") or the source is a publisher
    published_work: bool
    linked: bool
    #: how it is used: document-owned | attribution-source | according-to, or why it is not a
    #: source: affiliation | no-comment | mentioned
    use: str = "mentioned"
    #: why it counts as linked: link-to-its-domain | link-on-name | link-names-it | citation-in-sentence |
    #: linked-earlier
    link_reason: str = ""
    #: the short name the story gives it in brackets just after ("London Stock Exchange (LSE)")
    bracketed: str = ""

    @property
    def key(self) -> str:
        """Identity across mentions: the registry id, or the normalised name."""
        return _source_key(self.name, self.entry)


def _short_names(words: list[str]) -> set[str]:
    """The names a company named with its legal form goes by later (``words``: its key's words
    before that form): its first words ("zenith" of "zenith laboratories inc"), those after any
    initials ("kelby" of "e.a. kelby holdings ltd"), and the word before "and" in a name that ends
    "and Co" ("tarrow" of "jo tarrow and co")."""
    found = {" ".join(words[:end]) for end in range(1, len(words) + 1)}
    named = next((i for i, word in enumerate(words) if not _INITIALS.fullmatch(word)), len(words))
    found.update(" ".join(words[named:end]) for end in range(named + 1, len(words) + 1))
    if len(words) > 2 and words[-1] in word_list("subject_coordinators"):
        found.add(words[-2])
    return found


#: Initials in a lower-cased key: "e.a.", "h.", "j.r."
_INITIALS = re.compile(r"(?:[a-z]\.)+")


class SourceKeys:
    """Sources met so far, by key, and the short names a story gives them: a company named with
    its legal form ("Zenith Laboratories Inc", "Ford Motor Co") is later "Zenith", "Ford"; a name
    without one ("Apple Daily", "Ford Foundation") lends its first words to no one else. A name is
    later its initials, written in capitals ("British Airways", then "BA"), or the short name the
    story gave it in brackets ("the London Stock Exchange (LSE)"). An organisation's head alone
    ("the Office", "the Bank") stands for the last organisation the story named with that head
    ("the Federal Statistics Office", "the Bank of Ruritania"), so it is met when that one was."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        #: the initials of the names met, met again only when written as initials are
        self._initials: set[str] = set()
        #: head word -> key of the last organisation named with it, whatever its use
        self._heads: dict[str, str] = {}

    def add(self, mention: SourceMention) -> None:
        """Record a source met, under its key and the other names this mention gives it; a
        mention of a source met already may give it another ("Acme Trust (AT)")."""
        key = mention.key
        self._keys.add(key)
        words = key.split()
        if len(words) > 1 and is_legal_form(words[-1]):
            self._keys.update(_short_names(words[:-1]))
        if mention.bracketed:
            self._keys.add(mention.bracketed.lower())
        self._initials.update(_initials(mention.name))

    def note(self, mention: SourceMention) -> None:
        """Record a mention in story order: the head its name ends in names it from here on."""
        words = _source_key(mention.name, None).split()
        heads = [word for word in words if word in word_list("organisation_name_heads")]
        if len(words) > 1 and heads:
            self._heads[heads[-1]] = mention.key

    def __contains__(self, mention: SourceMention) -> bool:
        key = mention.key
        if key in self._keys or self._heads.get(key, "\0") in self._keys:
            return True
        # Initials name a source the registry does not know: "BBC" is the BBC whatever came before.
        written = _without_suffix(_bare_name(mention.name))
        return mention.entry is None and _INITIALISM.fullmatch(written) is not None \
            and written.replace(".", "").lower() in self._initials


#: A name written as initials: "BA", "M&S", "U.S.", "H.F.G."
_INITIALISM = re.compile(r"[A-Z][A-Z&.]*[A-Z.]")
#: A short name as brackets hold one: "LSE", "Caspian"; not "2019" nor "D-S.C.".
_SHORT_NAME = r"[A-Z][A-Za-z&.]*"
#: The short name in brackets after a name: "(LSE)", "(Caspian)".
_BRACKETED_NAME = re.compile(rf"\s*\(({_SHORT_NAME})\)")
#: A short name or stock ticker in brackets ending a name, or the wires' "<CVI>", any case.
_NAME_SUFFIX = re.compile(rf"\({_SHORT_NAME}\)|<[A-Z.]+>", re.IGNORECASE)


def _bracketed_name(text: str, start: int, end: int) -> str:
    """The short name in brackets that ends the name ``text[start:end]`` or follows it, when it
    can stand for that name: initials the name's own follow in order ("Ministry of Trade and
    Industry (MTI)"), or a word with the name's first letter ("Kelby Harbour Trust (Kahrt)");
    not a place, an exchange or another source beside it ("Acme Corp (UK)", "(Nasdaq)")."""
    inside = text.rfind("(", start, end)
    found = _BRACKETED_NAME.fullmatch(text, inside, end) if inside > start else _BRACKETED_NAME.match(text, end)
    if found is None:
        return ""
    short = found.group(1)
    return short if short_name_fits(short, text[start:inside] if inside > start else text[start:end]) else ""


def short_name_fits(short: str, name: str) -> bool:
    """Whether ``short`` can stand for ``name``, and is no place's initials (lexicon
    ``place_initialisms``): initials in capitals that open with the name's first capital ("IADB"
    of "Inter-American Development Bank", "TPCL" of "Tarrow Petroleum"), or a word whose letters
    are the name's capitals in order ("Nafo" of "Northern Atlantic Fishery Organisation"); not "UK"
    of "Acme Corp", nor "Australia" of "Acme Holdings"."""
    capitals = [letter for letter in _bare_name(name) if letter.isupper()]
    letters = short.replace(".", "").replace("&", "")
    if not capitals or short[0] != capitals[0] or letters.lower() in word_list("place_initialisms"):
        return False
    if letters.isupper():
        return True
    remaining = iter(capitals)
    return len(letters) > 2 and all(letter in remaining for letter in letters.upper())


def _initials(name: str) -> set[str]:
    """The initials of a name of two or more capitalised words, lower-case as keys are, with and
    without a legal form: "British Airways" -> "ba", "Chartered Institute of Purchasing and
    Supply" -> "cips", "Marks & Spencer" -> "m&s", "UK Independence Party" -> "ukip", "Harwell
    Ferry Group Ltd" -> "hfgl" and "hfg". None for one word, nor the initials of a place (lexicon
    ``place_initialisms``: "University of Sheffield" is no "US")."""
    words = [word for word in _without_suffix(_bare_name(name)).split()
             if word.lower() not in word_list("name_connectives") and (word[:1].isupper() or word == "&")]
    if sum(1 for word in words if word != "&") < 2:
        return set()
    forms = [words]
    if is_legal_form(words[-1]):
        forms.append(words[:-1])
    found = {"".join(word if word.isupper() and word.isalpha() else word[0] for word in form).lower() for form in forms}
    return found - word_list("place_initialisms")


def _bare_name(name: str) -> str:
    """A name without a leading "the", a possessive or a closing stop that is no initial's ("M&S."
    at a sentence's end, not "U.S.")."""
    return re.sub(r"^the\s+|['’]s$|(?<!\.\w)\.$", "", name.strip(), flags=re.IGNORECASE)


def _without_suffix(name: str) -> str:
    """A name without a short name or ticker in brackets, or a wire mark, ending it: "Acme Corp
    (ACM)", "Acme Corp <ACM>" -> "Acme Corp". The suffix is found from its opening mark, so a long
    run of spaces costs one pass."""
    if not name.endswith((")", ">")):
        return name
    opening = name.rfind("(" if name.endswith(")") else "<")
    return name[:opening].rstrip() if opening >= 0 and _NAME_SUFFIX.fullmatch(name, opening) else name


def _source_key(name: str, entry: SourceEntry | None) -> str:
    if entry is not None:
        return entry.id
    # Neither a short name or ticker in brackets ("(CVI)", the wires' "<CVI>") nor what :func:`_bare_name` drops is part of it.
    return _without_suffix(_bare_name(name)).lower()


def url_host(url: str) -> str:
    """The lower-case host of a URL ("" when it has none)."""
    try:
        return (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:
        return ""


#: A country's domain with the second level sites register under ("bbc.co.uk", "abc.net.au"): parts
#: of addresses, not English words.
_COUNTRY_SECOND_LEVEL = re.compile(r"(?:^|\.)(?:ac|co|com|edu|go|gov|ne|net|or|org)\.[a-z]{2}$")
#: Front-matter keys that give the article's own address.
_PAGE_URL_KEYS = ("url", "canonical_url", "canonical")


def site_domain(host: str) -> str:
    """The domain a site registers, near enough without a public-suffix list:
    "edition.acme.com" -> "acme.com", "news.acme.co.uk" -> "acme.co.uk"."""
    kept = 3 if _COUNTRY_SECOND_LEVEL.search(host) else 2
    return ".".join(host.split(".")[-kept:])


def own_sites(document: Document, registry: Registry) -> frozenset[str]:
    """The domains of the site a document is published on (its canonical, og:url and base
    addresses, or its front-matter ``url``), with every domain the registry gives that site's
    organisation: a link there is the site's own story, not a link to a source it names."""
    front_matter = document.front_matter or {}
    urls = [*document.page_urls, *(front_matter.get(key) for key in _PAGE_URL_KEYS)]
    sites: set[str] = set()
    for url in urls:
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "//")):
            continue  # a relative address says nothing of the site
        host = url_host(url)
        if host:
            sites.add(site_domain(host.removeprefix("www.")))
            entry = registry.for_domain(host)
            sites.update(entry.domains if entry is not None else ())
    return frozenset(sites)


def reports_claim(attribution: Attribution) -> bool:
    """Whether the cue reports a claim (said, found, according to) rather than an action
    PolNeAR also counts as attribution ("offered", "plans"); or a vague group takes a stance
    ("analysts welcomed", "many economists have urged"), a view the story puts on no one; not
    a participle describing the group ("campaigners hoping to save it")."""
    if _cue_reports_claim(attribution.cue.text) or _names_something(attribution) or _states_claim_phrase(attribution):
        return True
    if attribution.source is None:
        return False
    if _document_reports(attribution.source.text, attribution.cue_words):
        return True
    if attribution.source_kind != "vague":
        return False
    return takes_stance(attribution.cue_words, attribution.source.text.lower().split())


def _document_reports(source: str, cue: list[str]) -> bool:
    """Whether a document reports with a verb that reports nothing for a person ("The Reuters poll
    gave the mayor a lead", "A survey by X put support at 40%"): the source phrase, up to any
    aside, ends in a document noun and the cue holds a verb of lexicon ``document_report_verbs``."""
    words = source.split(",", 1)[0].lower().split()
    return bool(words) and words[-1] in word_list("document_nouns") and not word_list("document_report_verbs").isdisjoint(cue)


def _names_something(attribution: Attribution) -> bool:
    """Whether a verb that may or may not report a claim (lexicon ``naming_verbs``: "call") gives
    something a name its subject puts on it: "what Acme calls a crisis", "Acme called the plan
    a 'folly'"; not "Acme called for calm", "called the mayor", "called time on the 'X' brand",
    "called its product 'Zephyr'" (a firm naming its own), nor "a blog, called the 'Feed',"."""
    cue = attribution.cue
    verb_end = _naming_verb_end(cue.text)
    if verb_end is None:
        return False
    offset = cue.start - cue.within_start
    before = cue.within[max(0, offset - _CONTEXT):offset]
    after = cue.within[offset + verb_end:offset + verb_end + _AFTER_CONTEXT]
    if _naming_particle().match(after) or _clause_ending_particle().match(after):
        return False
    source = attribution.source
    if before.rstrip().endswith(",") and (source is None or source.text.split()[0].lower() in word_list("indefinite_articles")):
        return False  # "a blog, called the 'Feed',": the story names it
    return _OBJECT_RELATIVE.search(before) is not None and not _pronoun_object().match(after) \
        or _named_object().match(after) is not None


_WORD_IN_CUE = re.compile(r"[A-Za-z]+")


@functools.lru_cache(maxsize=4096)
def _naming_verb_end(cue: str) -> int | None:
    """Where a naming verb ends in a cue's text ("called" of "called Tuesday"), or None; cached
    by cue text, as :func:`_cue_reports_claim` is, for the verdicts ask it several times."""
    verbs = word_list("naming_verbs")
    return next((match.end() for match in _WORD_IN_CUE.finditer(cue) if lemma(match.group().lower()) in verbs), None)


#: "what Acme " before a naming verb: the thing named is the relative's object (not "what time").
_OBJECT_RELATIVE = re.compile(r"\b[Ww]hat\s+(?:the\s+|[A-Z][\w’'&.-]*\s+)(?:[\w’'&.-]+\s+){0,5}$")


@functools.cache
def _pronoun_object() -> re.Pattern[str]:
    """A pronoun right after the verb is its object: "what time the bank called them"."""
    return re.compile(rf"\s+(?:{alternation(word_list('object_pronouns'))})\b", re.IGNORECASE)


@functools.cache
def _clause_ending_particle() -> re.Pattern[str]:
    """The clause ends on a particle: "what the council called the meeting for."."""
    particles = alternation(word_list("naming_verb_particles"))
    return re.compile(rf"(?:\s+[\w’'-]+){{1,4}}\s+(?:{particles})\s*(?:[.,;:?!]|$)", re.IGNORECASE)


@functools.cache
def _named_object() -> re.Pattern[str]:
    """A naming verb's object, then the name it is given in quotation marks: "the plan a
    'folly'", "it 'unfair'": a pronoun, or a determiner other than a possessive of the subject's
    own ("its", "their") and up to three words that are no preposition or coordinator."""
    determiners = alternation((word_list("articles") | word_list("definite_determiners")) - word_list("subject_possessives"))
    not_object = alternation(word_list("object_prepositions") | word_list("coordinators"))
    word = rf"(?!(?:{not_object})\s)[\w’'&.-]+"
    pronouns = alternation(word_list("object_pronouns"))
    return re.compile(rf"\s+(?:{pronouns}|(?:{determiners})(?:\s+{word}){{1,3}})\s+(?:an?\s+)?[“\"‘']", re.IGNORECASE)


@functools.cache
def _naming_particle() -> re.Pattern[str]:
    """A particle after a naming verb that makes it another verb: "called for", "called off"."""
    return re.compile(rf"\s+(?:{alternation(word_list('naming_verb_particles'))})\b", re.IGNORECASE)


def takes_stance(cue: list[str], group: list[str]) -> bool:
    """Whether a vague group's cue (its words) is a stance verb the group takes: not a bare
    participle ("campaigners hoping to"), nor, after a quantifier standing alone, a bare form
    that may be a noun or an adjective ("many hopes", "some welcome news")."""
    if not cue or not group or cue[-1] not in group_stance_forms():
        return False
    bare = len(cue) == 1
    if bare and cue[0].endswith("ing"):
        return False
    return not (bare and not cue[0].endswith("ed") and group[-1] in word_list("hedge_quantifiers"))


@functools.cache
def group_stance_forms() -> frozenset[str]:
    """Every form of the verbs a vague group takes a stance with (lexicon ``group_stance_verbs``)."""
    return frozenset(form for verb in word_list("group_stance_verbs") for form in inflections(verb))


@functools.cache
def _claim_phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """verb form -> the lemmas of the words each claim phrase goes on with after it (lexicon
    ``claim_phrases``: "point out that" gives "pointed" -> ("out", "that"); "raise concern"
    gives "raised" -> ("concern",), which "raised concerns" matches)."""
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for phrase in word_list("claim_phrases"):
        verb, *rest = phrase.split()
        for form in inflections(verb):
            phrases.setdefault(form, []).append(tuple(lemma(word) for word in rest))
    return {form: tuple(rests) for form, rests in phrases.items()}


def claim_phrase_verbs() -> KeysView[str]:
    """Every form of a claim phrase's verb: a sentence without one holds no claim phrase."""
    return _claim_phrases().keys()


#: How far after a cue (in characters) a claim phrase begun in it may go on.
_PHRASE_CONTEXT = 40
#: How many other words may stand between two words of a claim phrase ("expressed their deep concern").
_PHRASE_GAP = 2


def _states_claim_phrase(attribution: Attribution) -> bool:
    """Whether the cue's verb opens a claim phrase in its sentence ("Analysts pointed out that",
    "pointed out to reporters that", "Residents voiced concern", though the cue found is "voiced"
    alone); not "pointed out the exits", "raised the flag"."""
    phrases, cue_words = _claim_phrases(), attribution.cue_words
    if phrases.keys().isdisjoint(cue_words):
        return False
    cue = attribution.cue
    offset = cue.start - cue.within_start
    words = words_of_cue(cue.within[offset:cue.end - cue.within_start + _PHRASE_CONTEXT])
    return any(_goes_on_with(words[i + 1:], rest) for i, word in enumerate(words[:len(cue_words)])
               for rest in phrases.get(word, ()))


def _goes_on_with(words: list[str], rest: tuple[str, ...]) -> bool:
    """Whether ``words`` hold the lemmas ``rest`` in order, each at most ``_PHRASE_GAP`` words
    after the one before, none of them an article ("expressed deep concern", "pointed out, however,
    that"; not "pointed out the exits that staff use", where an object stands between)."""
    position = 0
    for wanted in rest:
        found = None
        for at in range(position, min(position + _PHRASE_GAP + 1, len(words))):
            if lemma(words[at]) == wanted:
                found = at
                break
            if words[at] in word_list("articles"):
                return False
        if found is None:
            return False
        position = found + 1
    return True


@functools.lru_cache(maxsize=4096)
def _cue_reports_claim(cue: str) -> bool:
    """:func:`reports_claim` by cue text: the verdicts ask it of each attribution several times,
    and news reuses a small set of cues, so the cache is keyed by the cue's own text."""
    words = words_of_cue(cue)
    return (
        any(is_claim_verb(word) for word in words)
        or "according" in words
        or " ".join(words) in word_list("agentless_phrases")
        # a passive of a labelling verb ("is tipped", "has been linked"): a claim with no one making it
        or bool(words) and words[0] in _passive_openers() and not word_list("agentless_claims").isdisjoint(words[1:])
        # a view held ("are divided", "were not optimistic"): what a group is said to think
        or bool(words) and words[0] in _passive_openers() and words[-1] in word_list("stance_adjectives")
    )


@functools.cache
def _passive_openers() -> frozenset[str]:
    """The auxiliaries a passive opens with ("is", "been", "has")."""
    return word_list("be_forms") | word_list("have_forms")


def _before_relative_clause(text: str, start: int, end: int) -> int:
    """Where a source phrase's name ends before a relative clause describing it with no comma
    ("Lin Tarrow who founded Portmere Bank", "Officials who attended the talks"): the clause's
    words are no part of the name."""
    clause = _relative_clause().search(text, start, end)
    return clause.start() if clause else end


@functools.cache
def _relative_clause() -> re.Pattern[str]:
    return re.compile(rf"(?<!,)\s(?:{alternation(word_list('person_relatives'))})\b")  # not "WHO"


def find_source_mentions(analysis: Analysis) -> list[SourceMention]:
    registry = analysis.registry
    attribution_sources: dict[int, list[tuple[int, int, bool]]] = {}
    for attribution in analysis.attributions:
        if attribution.source is None or not reports_claim(attribution):
            continue  # "Google launched…": an actor, not a source
        sentence = analysis.sentences[attribution.sentence]
        if attribution.source.block != sentence.block:
            continue
        source = attribution.antecedent or attribution.source  # "X, which said": X speaks
        named = attribution.source_kind == "named"
        # "Acme and Zenith said": each coordinated name is a source of its own.
        spans = attribution.conjuncts or ((source, attribution.source_is_org),)
        attribution_sources.setdefault(attribution.sentence, []).extend(
            (span.start - sentence.start, _before_relative_clause(sentence.text, span.start - sentence.start,
                                                                   span.end - sentence.start), is_org and named)
            for span, is_org in spans)
    mentions: list[SourceMention] = []
    linked_keys = SourceKeys()
    for sentence, links in zip(analysis.sentences, analysis.sentence_links, strict=True):
        if sentence.over_long:
            continue  # decided by the over-long-sentence strategy alone (provenance.py)
        text = sentence.text
        candidates: list[tuple[int, int, SourceEntry | None]] = [
            (match.start, match.end, match.entry) for match in registry.find(text)
        ]
        taken = _Taken((start, end) for start, end, _ in candidates)
        for start, end, is_org in attribution_sources.get(sentence.index, ()):
            name_span = _name_before_aside(text, start, end) if is_org and not taken.overlaps(start, end) else None
            if name_span is not None:
                # Before an aside only a name is read: not a clause ("Spending rose by 12% The report,").
                beside_aside = name_span[1] < end
                start, end = name_span
                # "a study by the X" names X; the document noun is context, not the name.
                owner = _document_prefix().match(text, start, end) or _speaking_for().match(text, start, end)
                if owner is None and _someone_at_an_organisation(text, start, end):
                    continue  # "a broker at Acme said": a person speaks, Acme is where they work
                name_start = owner.end() if owner else start
                article = _leading_article().match(text, name_start, end)
                name_start = article.end() if article else name_start
                described = _organisation_descriptor().match(text, name_start, end)
                name_start = described.end() if described else _after_descriptor(text, name_start, end)  # "think tank Civitas"
                lead = _LOWER_CASE_LEAD.match(text, name_start, end)
                if lead and is_role(lead.group().split()[-1], person_roles()) \
                        and _affiliated_name().match(text, lead.end(), end):
                    continue  # "economist Jo Lee of Acme Inc said": a person speaks, Acme is where they work
                if lead and names_only(text[lead.end():end]):
                    name_start = lead.end()  # "said lead manager Acme Brothers Inc": a name starts at a capital
                # "A Microsoft spokesman": the organisation speaks through an unnamed person.
                role = _trailing_role().search(text, name_start, end)
                if role and role.group("possessive"):
                    continue  # "Acme's managing director said": a person speaks for Acme
                document = _trailing_document().search(text, name_start, end)
                if document and _names_own_part(text[name_start:document.start()], document.group().split()[-1]):
                    document = None  # "Institute of Economic and Social Research": the noun ends the name
                name_end = role.start() if role else document.start() if document else end
                if document:
                    opening = _document_owner_opening().match(text, name_start, name_end)
                    name_start = opening.end() if opening else name_start  # "A 2004 Pellmark survey"
                if text[name_end:name_end + 1] == "." and not _FINAL_STOP.search(text, name_start, name_end + 1):
                    name_end += 1  # "… of the U.S." keeps the stop of its initials
                marked = _WIRE_MARK.fullmatch(text, name_start, name_end)
                if marked:
                    name_start, name_end = marked.span("name")  # "<Harwick Trading>": the name inside
                name = text[name_start:name_end]
                if name_end > name_start and _is_proper_name(name, name_start == 0) \
                        and (names_only(name) or not beside_aside):
                    candidates.append((name_start, name_end, registry.lookup(name)))
                    taken.add(name_start, name_end)
        patterns = (_document_by(), _possessive_document(), _according_to()) if _source_trigger().search(text.lower()) else ()
        #: start of an owner named after another ("a survey by Acme and Zenith") -> start of the first
        coordinated: dict[int, int] = {}
        for pattern in patterns:
            for match in pattern.finditer(text):
                first = None
                for start, end in _owner_names(text, *match.span("owner"), pattern is not _possessive_document()):
                    if first is None:
                        first = start
                    else:
                        coordinated[start] = first
                    if not taken.overlaps(start, end):  # not found already, by the registry or as an attribution's source
                        candidates.append((start, end, registry.lookup(text[start:end])))
                        taken.add(start, end)
        candidates.sort(key=lambda item: item[0])
        fits = _LinkFits(links, candidates, sentence) if links else None
        # The attribution sources a mention can be used within: not "Acme chief Jo Bloggs".
        holders = _Holders(
            (s, e) for s, e, _ in attribution_sources.get(sentence.index, ())
            if not _names_person(text, s, _aside_end(text, s, e))
        )
        for start, end, entry in candidates:
            before = text[max(0, start - _CONTEXT) : start]  # the cues that matter are just before
            after = text[end : end + _AFTER_CONTEXT]  # and just after: not the rest of a long sentence
            # An owner named after another owns the document as the first does ("a survey by Acme and Zenith").
            first = coordinated.get(start, start)
            owner_before = text[max(0, first - _CONTEXT) : first]
            document_owned = bool(_document_context().search(owner_before)) or bool(_document_after().match(after))
            cited = bool(_citing_context().search(owner_before))
            # The stop that may close a name ("T&R.", "the U.S.") may end the sentence outside the phrase.
            in_attribution_source = holders.holds(start, end - (text[end - 1:end] == "."))
            # "a spokesperson for X said": X speaks through someone unnamed, so X is the source;
            # "Jo Lee, a spokesperson for X, said" and "a lecturer at X" stay affiliations.
            # So does "a Rosneft spokesman said" (no one named), unlike "Acme's chief economist".
            speaks_through = in_attribution_source and (
                any(match.end() == len(before) for match in _speaking_for().finditer(before))
                or _spokesperson_after().match(after) is not None)
            if (_affiliation_before().search(before) or _role_after().match(after)) and not speaks_through:
                use = "affiliation"
            elif _no_comment_after().match(after):
                use = "no-comment"
            elif document_owned:
                use = "document-owned"
            elif in_attribution_source:
                use = "attribution-source"
            elif cited:
                use = "according-to"
            else:
                use = "mentioned"
            used = use in _SOURCE_USES
            if entry is not None and entry.ambiguous and not used:
                continue
            link_reason = fits.reason(start, end, entry, _source_key(text[start:end], entry)) if fits else ""
            linked = bool(link_reason)
            mention = SourceMention(
                sentence=sentence.index,
                start=start,
                end=end,
                name=text[start:end],
                entry=entry,
                used_as_source=used,
                published_work=document_owned or (entry is not None and entry.kind in PUBLISHER_KINDS),
                linked=linked,
                use=use,
                link_reason=link_reason,
                bracketed=_bracketed_name(text, start, end),
            )
            if not linked and mention in linked_keys:
                mention = replace(mention, linked=True, link_reason="linked-earlier")
            if mention.linked:
                linked_keys.add(mention)  # and any other name this mention gives it
            linked_keys.note(mention)
            mentions.append(mention)
    return mentions


_CONTEXT = 80
#: Lower-case words before a capitalised word ("lead manager ", "semi-official ").
_LOWER_CASE_LEAD = re.compile(r"(?:[a-z][a-z'’-]*\s+)+(?=[A-Z])")


@functools.cache
def _affiliated_name() -> re.Pattern[str]:
    """A person's name, then where they work: "Jo Lee of ", "Ann Roe at "."""
    return re.compile(rf"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)+\s+(?:{alternation(word_list('affiliation_prepositions'))})\s+")


#: Wire copy's mark around a company's name: "<Harwick Trading>".
_WIRE_MARK = re.compile(r"<(?P<name>[^<>]+)>")
#: A name's last character when it is the sentence's full stop: after a word, not in "U.S.".
_FINAL_STOP = re.compile(r"(?<![.\s])(?<!\b\w)\.$")


def domain_suffixes(host: str) -> set[str]:
    """Every domain a host belongs to ("news.acme.org": itself, "acme.org", "org")."""
    labels = host.split(".")
    return {".".join(labels[i:]) for i in range(len(labels))}


class _LinkFits:
    """Which of a sentence's sources each of its links cites, wherever the link stands in the
    sentence: the source whose domain it goes to, else the sources its text names; a link that
    fits none of them cites the sentence as a whole, so it covers every source in it."""

    def __init__(self, links: Sequence[Link], candidates: Sequence[tuple[int, int, SourceEntry | None]],
                 sentence: Sentence) -> None:
        by_domain: dict[str, set[str]] = {}
        for _, _, entry in candidates:
            if entry is not None:
                for domain in entry.domains:
                    by_domain.setdefault(domain, set()).add(entry.id)
        starts = [start for start, _, _ in candidates]  # sorted, and the spans never overlap
        unregistered = {(sentence.text[start:end], _source_key(sentence.text[start:end], None))
                        for start, end, entry in candidates if entry is None}
        #: registry ids whose domain a link goes to; keys of the sources a link's text names
        self.domain_fits: set[str] = set()
        self.text_fits: set[str] = set()
        self.general = False
        on_names = [(link.start - sentence.start, link.end - sentence.start)
                    for link in links if link.block == sentence.block]
        self.on_names = _Holders(on_names)
        for link in links:
            domain_fit = set().union(*(by_domain.get(domain, ()) for domain in domain_suffixes(url_host(link.url))))
            if domain_fit:
                self.domain_fits |= domain_fit
                continue
            named = set()
            if link.block == sentence.block:
                low, high = link.start - sentence.start, link.end - sentence.start
                index = max(0, bisect.bisect_right(starts, low) - 1)
                while index < len(candidates) and candidates[index][0] < high:
                    start, end, entry = candidates[index]
                    if low < end:
                        named.add(_source_key(sentence.text[start:end], entry))
                    index += 1
                # "… said, in [a letter from the Harbour Trust]": a name the registry does not
                # know is a candidate only where it is used as a source, so look for it as text.
                named.update(key for name, key in unregistered if name in sentence.text[low:high])
            self.text_fits |= named
            self.general = self.general or not named

    def reason(self, start: int, end: int, entry: SourceEntry | None, key: str) -> str:
        """Why the source at ``[start, end)`` counts as linked in this sentence ("" if it does not)."""
        if entry is not None and entry.id in self.domain_fits:
            return "link-to-its-domain"
        if self.on_names.overlaps(start, end):
            return "link-on-name"
        if key in self.text_fits:
            return "link-names-it"
        return "citation-in-sentence" if self.general else ""


#: How much text after a mention its patterns read ("'s latest survey", "did not respond to
#: requests for comment"); they are anchored there and each reads well under this.
_AFTER_CONTEXT = 400


class _Taken:
    """The spans of a sentence's candidate mentions, which never overlap one another, kept
    sorted so that an overlap test is a binary search rather than a pass over all of them."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)

    def overlaps(self, start: int, end: int) -> bool:
        # The spans starting before ``end``; as they do not overlap, the last of them ends last.
        before_end = bisect.bisect_left(self.spans, (end,))
        return before_end > 0 and self.spans[before_end - 1][1] > start

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))


class _Holders:
    """Spans (which may overlap), asked whether any of them holds or overlaps a given span:
    sorted by start, with the furthest end reached so far, so each question is a binary search."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.furthest: list[int] = []
        for _, end in ordered:
            self.furthest.append(max(end, self.furthest[-1]) if self.furthest else end)

    def holds(self, start: int, end: int) -> bool:
        starting_by = bisect.bisect_right(self.starts, start)
        return starting_by > 0 and self.furthest[starting_by - 1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        starting_before_end = bisect.bisect_left(self.starts, end)
        return starting_before_end > 0 and self.furthest[starting_before_end - 1] > start
_SOURCE_USES = frozenset({"document-owned", "attribution-source", "according-to"})


def names_only(name: str) -> bool:
    """Whether every word of a name after its first is capitalised or one that joins the words of
    a name ("Bank of Ruritania", "Banque de France"): no clause ("Spending rose by 12% The")."""
    return all(not word[:1].islower() or _name_particle(word) for word in name.split()[1:])


def _is_proper_name(name: str, opens_sentence: bool) -> bool:
    """An organisation named by name ("Harbour Trust"), not by a common noun or pronoun
    ("the company", "it"), which cannot be linked as such. Opening the sentence, a word that is
    never a name is capitalised anyway ("By contrast last year" of "…'s survey"); after a
    description it is the name ("Clothing retailer Next")."""
    words = name.split()
    if not words or words[0].lower() in word_list("referring_openers"):
        return False
    joiners = word_list("name_joiners")
    common = word_list("articles") | (word_list("not_names") if opens_sentence else frozenset())
    return any(word[:1].isupper() for word in words[1:] if word.lower() not in joiners) or (
        words[0][:1].isupper() and words[0].lower() not in common
    )
