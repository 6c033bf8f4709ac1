"""Who makes each claim: attribution cues, their sources and what they attribute.

For every prose sentence the cue tagger (:mod:`citelint.analysis.cues`) marks the cues
("said", "according to", "believes", "is expected"). Around each cue the source is found
by the shape of news syntax rather than a parser:

* ``according to X`` / ``a report by X`` / passive ``… by X``: the phrase after the cue;
* ``“…,” said X`` (inverted after a quotation): the phrase after the cue;
* otherwise the subject before the cue: the phrase back to the previous clause boundary,
  skipping auxiliaries and adverbs ("has also said"), and taking in an appositive
  ("Jane Roe, a spokeswoman for the agency, said");
* a participle after a comma ("…, adding that") shares the sentence's earlier source;
* passives are agentless ("it is believed") unless a "by" phrase names the agent, and
  nominal cues ("the criticism") have a source only as a possessor or "by" phrase.

Sources are then classified (named / vague / anonymous / none) from their head word and
names, and pronouns are resolved to the last named source (``carried``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citelint.analysis.cues import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    STRAIGHT_QUOTES,
    Token,
    find_cue_tokens,
    is_claim_verb,
    is_reporting_verb,
    is_verb_or_auxiliary,
    lemma,
    tokenize,
    words_of_cue,
)
from citelint.analysis.names import (
    ends_organisation,
    has_organisation_form,
    joined_organisation_names,
    organisation_names,
    person_name_words,
)
from citelint.analysis.sources import (
    claim_phrase_verbs,
    described_by,
    group_stance_forms,
    is_legal_form,
    names_only,
    names_organisation_kind,
    short_name_fits,
    takes_stance,
)
from citelint.lexicons import alternation, word_list, word_pairs

if TYPE_CHECKING:
    from citelint.analysis import Analysis, Sentence, Span


@dataclass(frozen=True, slots=True)
class Attribution:
    """A claim put to someone (or to nobody): the cue, its source and what they said."""

    #: index of the sentence holding the cue
    sentence: int
    cue: Span
    #: who makes the claim; None when the cue is agentless ("it is believed")
    source: Span | None
    #: the attributed clause or quotation, when found
    content: Span | None
    #: "named" | "vague" | "anonymous" | "none"
    source_kind: str
    #: the source was resolved from an earlier sentence (a pronoun, "He added")
    carried: bool = False
    #: the source is an organisation, outlet or document rather than a person
    source_is_org: bool = False
    #: the name a relative-pronoun source stands for ("the Harbour Trust, which said")
    antecedent: Span | None = None
    #: the names of a coordinated source, each a source ("Acme, Zenith and Tarrow said"), with
    #: whether it is an organisation
    conjuncts: tuple[tuple[Span, bool], ...] = ()

    @property
    def cue_words(self) -> list[str]:
        """The cue's words, lower-cased, without the punctuation its span may take in ("said:")."""
        return words_of_cue(self.cue.text)


_QUOTES = OPEN_QUOTES | CLOSE_QUOTES | STRAIGHT_QUOTES | {"'"}
#: Tokens that end what is attributed though they are no word: a closing quotation mark, and the
#: percent sign of a figure ending the sentence ("The study shows fares rose 8%.").
_CONTENT_ENDS = _QUOTES | {"%"}
_MAX_SOURCE_TOKENS = 14
#: Lower-case words that may describe an inverted source's name ("said market analyst Nexmoor").
_MAX_DESCRIPTION_WORDS = 3
#: How far after a passive cue (in tokens, a quoted label included) its "by" agent may stand.
_MAX_AGENT_DISTANCE = 14
#: How far back (in tokens) the subject walk of ``_bare_phrase_before`` may read.
_MAX_WALK_BACK = 64
_DASHES = frozenset({"—", "–", "--", "-"})
# The words the walk looks for (subject stops, auxiliaries, openers, pronouns …) are in
# rules/lexicons/attribution-cues.yml and grammar-words.yml, each list named for its job.


@functools.cache
def _time_phrase_words() -> frozenset[str]:
    """The words of a time phrase opening a clause: its leaders and the time words themselves
    ("earlier this week", "on Tuesday")."""
    return word_list("time_leaders") | word_list("time_words")


def _is_boundary(token: Token) -> bool:
    return token.text in (",", ";", ":", "—", "–", "--") or token.text in _QUOTES


def _ends_phrase(tokens: list[Token], i: int) -> bool:
    """A clause boundary, unless it is the apostrophe of a plural possessive inside the phrase
    ("the Passenger Transport Users' Council", "the residents’ association"): written against
    a word ending in "s", a space after it, and no single quotation opened before it."""
    token = tokens[i]
    if not _is_boundary(token):
        return False
    if token.text not in ("'", "’") or i == 0 or i + 1 >= len(tokens):
        return True
    before, after = tokens[i - 1], tokens[i + 1]
    possessive = before.end == token.start and before.lower.endswith("s") and after.start > token.end and after.text.isalpha()
    return not possessive or _single_quote_open(tokens[:i])


def _single_quote_open(tokens: list[Token]) -> bool:
    """Whether a single quotation opened in ``tokens`` is still open at their end: "‘" opens, "’"
    closes what is open, a straight "'" does either."""
    depth = 0
    for token in tokens:
        if token.text == "‘":
            depth += 1
        elif token.text == "’" and depth:
            depth -= 1
        elif token.text == "'":
            depth = 0 if depth else 1
    return depth > 0


def _is_name_word(token: Token, first: bool) -> bool:
    """Whether a capitalised word reads as (part of) a name; ``first`` marks the sentence's
    first word, capitalised anyway, where a group noun ("Critics") is not a name."""
    text = token.text
    if not text[0].isupper() or token.lower in word_list("not_names"):
        return False
    if text.isupper() and len(text) >= 2:
        return True
    return not first or token.lower not in word_list("vague_source_heads")


def _phrase_before(tokens: list[Token], end: int) -> tuple[int, int] | None:
    """The subject phrase ending just before token ``end``, as a token range.

    Auxiliaries and adverbs between subject and verb are skipped ("has also said"), and a
    name with an appositive is taken whole ("Jane Roe, a spokeswoman for the agency, said").
    """
    i = _skip_back(tokens, end - 1)
    if i >= 0 and tokens[i].text in _DASHES:
        # "Jane Roe — a teacher from the valley — said": the dashes hold an interruption. A dash
        # typed as two hyphens ("--") is two tokens: a run of them is one dash.
        dash = tokens[i].text
        closing = _dash_run_start(tokens, i)
        opening_end = next((d for d in range(closing - 1, -1, -1)
                            if tokens[d].text == dash and not _joins_numbers(tokens, d)), None)
        if opening_end is None or opening_end + 1 >= closing:
            return None  # no dash opens the interruption: this one opens the cue's own
        opening = _dash_run_start(tokens, opening_end)
        name = _bare_phrase_before(tokens, opening)
        return (name[0] if name else opening_end + 1), closing
    if i >= 0 and tokens[i].text == ",":
        subject = _opening_subject(tokens, i)
        if subject is not None:
            return subject
        appositive = _bare_phrase_before(tokens, i)
        if appositive and appositive[0] > 0 and tokens[appositive[0] - 1].text == ",":
            name = _bare_phrase_before(tokens, appositive[0] - 1)
            if name:
                return name[0], appositive[1]
        return appositive
    return _with_conjuncts(tokens, _with_name_before_legal_form(tokens, _bare_phrase_before(tokens, i + 1)))


def _ends_in_legal_form(words: Sequence[Token]) -> bool:
    """Whether a name ends in a company's legal form after a comma (:func:`_with_name_before_legal_form`);
    not an aside about a person that ends so ("Jo Lind, president of Acme, Inc", "The chairman of Acme, inc")."""
    forms = list(itertools.takewhile(_in_legal_form, reversed(words)))
    at = len(words) - len(forms) - 1
    return any(t.text != "." for t in forms) and at > 0 and words[at].text == "," \
        and names_only(" ".join(t.text for t in words[:at])) and words[0].text[:1].isupper()


def _in_legal_form(token: Token) -> bool:
    """Whether a token is a legal form or its closing stop, which the tokeniser splits off ("Inc", ".")."""
    return is_legal_form(token.text) or token.text == "."


def _with_name_before_legal_form(tokens: list[Token], phrase: tuple[int, int] | None) -> tuple[int, int] | None:
    """A company's name with its legal form set off by a comma ("Kelby de Tarrow, S.A. said",
    "Harwick Foods, Inc. said"): the walk back stops at the comma, so only the legal form is found."""
    if phrase is None or phrase[0] < 2 or tokens[phrase[0] - 1].text != "," \
            or not all(map(_in_legal_form, tokens[phrase[0]:phrase[1]])):
        return phrase
    name = _bare_phrase_before(tokens, phrase[0] - 1)
    return (name[0], phrase[1]) if name else phrase


def _joins_numbers(tokens: list[Token], i: int) -> bool:
    """Whether dash ``i`` joins two figures with no space, a range ("10–12 times", "£10–£12",
    "4%–5%", "9am–5pm"), not an interruption's dash."""
    if not 0 < i < len(tokens) - 1 or tokens[i - 1].end != tokens[i].start or tokens[i].end != tokens[i + 1].start:
        return False
    after = tokens[i + 1].text
    if not after[:1].isalnum() and i + 2 < len(tokens) and tokens[i + 1].end == tokens[i + 2].start:
        after += tokens[i + 2].text  # "£" then "12"
    return any(c.isdigit() for c in tokens[i - 1].text) and any(c.isdigit() for c in after[:3])


def _dash_run_start(tokens: list[Token], i: int) -> int:
    """The first token of the run of dashes that token ``i`` ends."""
    while i > 0 and tokens[i - 1].text == tokens[i].text:
        i -= 1
    return i


def _with_conjuncts(tokens: list[Token], phrase: tuple[int, int] | None) -> tuple[int, int] | None:
    """A name subject with the names coordinated before it: "Acme and Zenith said", "Morrisons,
    Woolworths and Big Food all said" (a coordinator stops the subject walk, so only the last
    name is found). The name before the coordinator and any before it separated by commas join
    the subject; a phrase setting the scene, a time or a connective does not ("In May, Acme and
    Zenith said", "However, Acme and Zenith said")."""
    if phrase is None or phrase[0] < 2 or not _is_conjunct(tokens, *phrase) \
            or tokens[phrase[0] - 1].lower not in word_list("subject_coordinators"):
        return phrase
    end = phrase[0] - 1
    end -= tokens[end - 1].text == ","  # "A, B, and C"
    start = phrase[0]
    while end > 0:
        name = _name_before(tokens, end)
        if name is None or _opens_no_name(tokens[name[0]]) or start - name[0] > _MAX_SOURCE_TOKENS:
            break
        start = name[0]
        if start < 2 or tokens[start - 1].text != ",":
            break
        end = start - 1
    before = start - (start > 0 and tokens[start - 1].lower in word_list("coordination_openers"))  # "Both Acme and …"
    if before > 0 and tokens[before - 1].text != "," and tokens[before - 1].lower not in word_list("sentence_connectives") \
            and _skip_openers(tokens, 0, before - 1) != before:  # "On Monday both Acme and …"
        return phrase  # the list is the object of a word before it ("the results in Iowa and Ohio show", "in both X and Y")
    return (start, phrase[1]) if start < phrase[0] else phrase


def _is_conjunct(tokens: list[Token], first: int, last: int) -> bool:
    """Whether ``tokens[first:last]`` is a name that may be coordinated with others: a name, or a
    name after a description of an organisation ("Acme and accountants Lind Partners said")."""
    return _is_name_span(tokens, first, last) or _described_name(tokens[first:last], False)


def _opens_no_name(token: Token) -> bool:
    """A capitalised word opening a sentence that sets the scene rather than naming anyone."""
    lower = token.lower
    return (lower in word_list("scene_setters") or lower in word_list("time_words")
            or lower in word_list("sentence_connectives") or _sentence_adverb(token))


def _is_name_span(tokens: list[Token], first: int, last: int) -> bool:
    """Whether ``tokens[first:last]`` is one name, with its joiners, a leading article and any
    short name in brackets after it ("Ministry of Trade and Industry (MTI)")."""
    last = _bracket_start(tokens, first, last) or last
    name = _name_before(tokens, last)
    return name is not None and name[0] <= first < last


def conjunct_spans(tokens: list[Token], first: int, last: int) -> list[tuple[int, int]]:
    """The names of a coordinated source phrase, split at its commas and its coordinator ("Acme,
    Zenith and Tarrow"); one span when it coordinates nothing ("Jo Lee, Zenith Group," is a name
    and its appositive: no coordinator). After a name with a preposition, a coordinator joins the
    name's own words ("Institute of Economic and Social Research"), unless an article opens a new
    name ("the Bank of England and the Treasury"); a comma there still separates names (a list
    of companies is commoner than "Department for Environment, Food and Rural Affairs")."""
    spans: list[tuple[int, int]] = []
    start = first
    prepositions, articles = word_list("organisation_name_prepositions"), word_list("articles")
    coordinated = False
    for i in range(first, last):
        coordinator = tokens[i].lower in word_list("subject_coordinators")
        if not (coordinator or tokens[i].text == ","):
            continue
        if coordinator and i + 1 < last and tokens[i + 1].lower not in articles \
                and any(t.lower in prepositions for t in tokens[start:i]):
            continue
        coordinated = coordinated or coordinator
        if i > start:
            spans.append((start, i))
        start = i + 1
    if start < last:
        spans.append((start, last))
    if not coordinated or len(spans) < 2 or not all(_is_conjunct(tokens, *span) and _has_word(tokens, *span)
                                                    for span in spans) or _one_firm_s_name(tokens, spans) \
            or _initials_join(tokens, first, spans[-1][0], last):
        return [(first, last)]
    return spans


def _initials_join(tokens: list[Token], first: int, conjunct: int, last: int) -> bool:
    """Whether the short name in brackets ending a coordinated phrase stands for all of it, so
    that it is one name ("Qualifications and Curriculum Authority (QCA)"), not for its last
    conjunct alone ("Acme and Zenith Authority (ZA)")."""
    bracket = _bracket_start(tokens, first, last)
    if bracket is None:
        return False
    short = tokens[bracket + 1].text
    text = " ".join(token.text for token in tokens[first:bracket])
    last_name = " ".join(token.text for token in tokens[conjunct:bracket])
    return short_name_fits(short, text) and not short_name_fits(short, last_name)


def _bracket_start(tokens: list[Token], first: int, last: int) -> int | None:
    """Where a capitalised short name in brackets ending ``tokens[first:last]`` after a name
    opens ("… Industry (MTI)"), or None."""
    if last - first > 3 and tokens[last - 1].text == ")" and tokens[last - 3].text == "(" \
            and tokens[last - 2].text[:1].isupper():
        return last - 3
    return None


def _one_firm_s_name(tokens: list[Token], spans: list[tuple[int, int]]) -> bool:
    """Whether two coordinated names are one organisation's: the second is only a legal form
    ("Pell Hartley and Co", "Dorn Keller and Co Inc"), or ends as an organisation's only with the
    words before it ("Harwick Tire and Rubber Co": "Rubber Co" alone may be a person, as "Zaldy
    Co" is; see :func:`ends_organisation`). Not "Jo Lind and Zenith Holdings", whose second name
    is an organisation's of its own, nor "Acme Group and Co", whose first is."""
    if len(spans) != 2:
        return False
    (first, middle), (second, last) = spans
    if has_organisation_form([t.text for t in tokens[first:middle]]):
        return False
    second_words = [t.text for t in tokens[second:last]]
    return all(map(is_legal_form, second_words)) or (
        ends_organisation([t.text for t in tokens[first:last]]) and not ends_organisation(second_words))


def _has_word(tokens: list[Token], first: int, last: int) -> bool:
    """Whether a name holds a word of two letters or more ("S and P" names no two sources)."""
    return any(len(t.text) > 1 and t.text[0].isalpha() for t in tokens[first:last])


def _opening_subject(tokens: list[Token], comma: int) -> tuple[int, int] | None:
    """"Jane Roe, who chairs the board, said": the sentence's opening phrase up to its
    first comma is the subject, and the interruption up to ``comma`` goes with it. A phrase
    setting the scene comes before the subject: "In May, Acme, which owns the yard, said"."""
    start = 0
    first_comma = next(i for i in range(comma + 1) if tokens[i].text == ",")
    while start < first_comma and tokens[start].lower in word_list("sentence_connectives"):
        start += 1
    while first_comma < comma and (tokens[start].lower in word_list("scene_setters")
                                   or (first_comma == start + 1 and _sentence_adverb(tokens[start]))):
        start = first_comma + 1
        first_comma = next(i for i in range(start, comma + 1) if tokens[i].text == ",")
    if first_comma == comma:
        return None
    segment = tokens[start:first_comma]
    stops = word_list("subject_stops")
    if not segment or len(segment) > 8 or segment[0].lower in word_list("scene_setters") or any(
        t.lower in stops or t.text in _QUOTES for t in segment
    ):
        return None
    interruption = tokens[first_comma + 1]
    named = len(segment) >= 2 and all(t.text[0].isupper() or t.text == "." for t in segment)
    if not (named or interruption.lower in word_list("interruption_openers") or interruption.text[0].isdigit()
            or interruption.lower.endswith("ing")):
        return None
    return start, comma


def _sentence_adverb(token: Token) -> bool:
    """Whether a capitalised word alone before a comma is an adverb setting the scene
    ("Currently,", "Frankly,", "Sadly,"; lexicon ``sentence_adverbs``) or a connective ("However,"),
    not a name ("Kimberly,")."""
    return token.text[:1].isupper() and (
        token.lower in word_list("sentence_adverbs") or token.lower in word_list("sentence_connectives"))


def _skip_back(tokens: list[Token], i: int) -> int:
    """Index of the last token at or before ``i`` that is not an auxiliary, adverb or time word.
    A filler is written in lower case inside a sentence: "in May", "Will Smith" are no auxiliaries."""
    fillers, time_words = word_list("subject_verb_fillers"), word_list("time_words")
    while i >= 0:
        word = tokens[i].lower
        if (word in fillers and (i == 0 or tokens[i].text.islower())) or word in time_words \
                or (word.endswith("ly") and tokens[i].text.islower() and not _after_article(tokens, i)):
            i -= 1
        elif word in word_list("time_word_openers") and tokens[i + 1].lower in time_words:
            i -= 1
        else:
            break
    return i


def _after_article(tokens: list[Token], i: int) -> bool:
    """Whether an article or a determiner stands before token ``i``, making an "-ly" word a noun
    ("the rally", "a family"), not an adverb."""
    return i > 0 and tokens[i - 1].lower in _determiners()


def _bare_phrase_before(tokens: list[Token], end: int) -> tuple[int, int] | None:
    """The words before token ``end`` back to the previous clause boundary.

    The walk back reads at most ``_MAX_WALK_BACK`` tokens, relative clauses it steps over
    included: a phrase is at most ``_MAX_SOURCE_TOKENS`` long anyway, and an unbounded walk
    made every cue of a long run-on sentence re-read it (and a chain of relative clauses,
    ", who, who, …", recursed past Python's limit).
    """
    last = end - 1
    i = last
    relatives, stops = word_list("person_relatives"), word_list("subject_stops")
    floor = max(end - 1 - _MAX_WALK_BACK, -1)
    while i > floor:
        token = tokens[i]
        if token.lower in relatives and i > 0 and tokens[i - 1].text == ",":
            # "Jane Roe, who chairs the board, said": the subject precedes the relative clause.
            last = i = i - 2
            continue
        if _ends_phrase(tokens, i) or token.lower in stops or token.lower in relatives:
            break
        i -= 1
    if last < 0:
        return None
    start = _skip_openers(tokens, i + 1, last)
    if start > last:
        return None
    return max(start, last + 1 - _MAX_SOURCE_TOKENS), last + 1


def _subject_pronoun(tokens: list[Token], i: int) -> bool:
    """Whether token ``i`` is a pronoun only ever a subject ("he", "we"; not "it" or "you", which
    may be objects: "people close to it said"), written as one: not "IT", nor the "I" of a
    name ("Elizabeth I")."""
    token = tokens[i]
    if token.lower not in word_list("subject_pronouns"):
        return False
    if token.text == "I":
        return i == 0 or not tokens[i - 1].text[:1].isupper()
    return token.text.islower() or (i == 0 and token.text.istitle())


def _relative_antecedent(tokens: list[Token], source: tuple[int, int]) -> tuple[int, int] | None:
    """The name a relative-pronoun source stands for: "the Council for Fair Adoption, which
    said" -> "the Council for Fair Adoption" (the pronoun itself stays the source, as PolNeAR
    marks it)."""
    first, last = source
    if last - first != 1 or tokens[first].lower not in word_list("relative_pronouns"):
        return None
    name = _name_before(tokens, first - (first > 0 and tokens[first - 1].text == ","))
    if name is None or tokens[first].lower not in word_list("person_relatives"):
        return name
    # "Critics of the Harbour Ministry, who say": "who" is the people, not the name in their phrase.
    inside_phrase = name[0] > 0 and tokens[name[0] - 1].lower in word_list("noun_phrase_prepositions")
    return None if inside_phrase else name


def _name_before(tokens: list[Token], end: int) -> tuple[int, int] | None:
    """The name ending just before token ``end``: its capitalised words and the joiners
    between them ("Council for Fair Adoption"), with a leading "the"; None when the word
    before is not capitalised."""
    start = end
    joiners = word_list("name_joiners")
    while start > 0:
        if _is_name_word(tokens[start - 1], start == 1):
            start -= 1
            continue
        before = start - 1
        while before >= 0 and tokens[before].lower in joiners:
            before -= 1  # "Friends of the Earth": joiners between capitalised words
        if start == end or before < 0 or before < start - 3 or not _is_name_word(tokens[before], before == 0):
            break
        start = before
    if start == end:
        return None
    if start > 0 and tokens[start - 1].lower in word_list("articles"):
        start -= 1
    return start, end


def _skip_openers(tokens: list[Token], start: int, last: int) -> int:
    """Step over sentence connectives and a leading time phrase ("But earlier this week …")."""
    while start <= last and tokens[start].lower in word_list("sentence_connectives"):
        start += 1
    end_of_time = start
    while end_of_time <= last and tokens[end_of_time].lower in _time_phrase_words():
        end_of_time += 1
    if end_of_time > start and tokens[end_of_time - 1].lower in word_list("time_words"):
        return end_of_time
    return _past_scene_setting(tokens, start, last)


def _past_scene_setting(tokens: list[Token], start: int, last: int) -> int:
    """Where the subject starts after a phrase that sets the scene with no comma after it
    ("During the interview Jo Lee said", "Under the deal Tarrow Bank announced", "In its
    petition it listed"): at a pronoun just before the verb, or at a name ending the words after a
    word of the phrase's own; not at a name a preposition takes ("… tariffs on Kelby", "sites
    like Acme"), one the phrase may hold ("In Kelby Acme said": no telling the place from the
    speaker) or one after a clause of its own ("on Monday he offered Acme"). Before a participle
    "with" opens an absolute clause whose subject is all that follows ("with the harbour board
    saying"). An aside between commas ("Acme, with assets of $9m, said") is left whole: the name
    before it speaks."""
    opener = tokens[start].lower if start < last else ""
    if opener not in word_list("scene_setters") or (last + 1 < len(tokens) and tokens[last + 1].text == ","):
        return start
    if opener in word_list("absolute_prepositions") and last + 1 < len(tokens) and tokens[last + 1].lower.endswith("ing"):
        return start + 1
    pronouns = word_list("referring_pronouns")
    if tokens[last].text.islower() and tokens[last].lower in pronouns:
        return last
    name = _name_before(tokens, last + 1)
    if name is None or name[0] <= start + 1:
        return start
    before = tokens[name[0] - 1]
    if not before.text[0].isalnum() or before.lower in word_list("object_prepositions") \
            or before.lower in word_list("scene_setters") \
            or any(t.text.islower() and t.lower in pronouns for t in tokens[start + 1:name[0]]):
        return start
    return _with_title(tokens, start + 1, name[0])


def _with_title(tokens: list[Token], floor: int, first: int) -> int:
    """Where a name starts with its title and particles ("Mr" of "Mr Tarrow", "Van der" of
    "Mr Van der Tarrow"), which the walk over capitalised words stops short of; not before ``floor``."""
    while first > floor:
        before = tokens[first - 1].lower.rstrip(".")
        if before in word_list("honorifics"):
            first -= 1
        elif before in word_list("name_particles") and first - 1 > floor and _is_name_word(tokens[first - 2], False):
            first -= 2
        else:
            break
    return first


def _abbreviation_dot(tokens: list[Token], i: int) -> bool:
    """Whether the full stop at ``i`` closes a title or an initial ("Mr.", "D.", "Sen.")."""
    previous = tokens[i - 1].text if i > 0 else ""
    return previous[:1].isupper() and len(previous) <= 4 and i + 1 < len(tokens)


def _phrase_after(tokens: list[Token], start: int) -> tuple[int, int] | None:
    """The noun phrase starting at token ``start`` up to the next clause boundary."""
    i = start
    fillers, stops = word_list("subject_verb_fillers"), word_list("subject_stops")
    enders = word_list("inverted_source_enders")
    while i < len(tokens) and tokens[i].lower in fillers:
        i += 1
    first = i
    while i < len(tokens):
        token = tokens[i]
        if _ends_phrase(tokens, i):
            break
        if (token.text in ("!", "?") or (token.text == "." and not _abbreviation_dot(tokens, i))
                or (token.lower in stops and i > first) or token.lower in enders or _opens_existential(tokens, i)):
            break
        if i - first >= _MAX_SOURCE_TOKENS:
            break
        i += 1
    if i == first:
        return None
    return first, i


def _opens_existential(tokens: list[Token], i: int) -> bool:
    """Whether token ``i`` opens an existential clause ("there are"), which no noun phrase runs into."""
    return tokens[i].lower in word_list("existential_subjects") and i + 1 < len(tokens) \
        and tokens[i + 1].lower in word_list("be_forms")


def _find_source(
    tokens: list[Token], cue: tuple[int, int], earlier: tuple[int, int] | None, floor: int, earlier_floor: int
) -> tuple[int, int] | None:
    """Token range of the cue's source within the sentence, if it states one.

    ``earlier`` is the source of an earlier cue of the sentence, ``earlier_floor`` the floor that
    cue's source kept to, and ``floor`` the token after the previous cue."""
    first, last = cue
    head = tokens[first].lower
    after = tokens[last].lower if last < len(tokens) else ""
    before = tokens[first - 1] if first > 0 else None
    if any(t.lower == "according" for t in tokens[first:last]):
        return _phrase_after(tokens, last + (after == "to"))
    if (after == "by" and _starts_phrase_at(tokens, last + 1)) or tokens[last - 1].lower == "by":
        # "a report released by X", "criticized by X" (not "said by telephone").
        return _phrase_after(tokens, last + (after == "by"))
    stance = any(t.lower in word_list("experiencer_states") for t in tokens[first:last])
    reduced_passive = before is not None and before.text == "," and head in word_list("reduced_passives")
    if (_is_passive(tokens, cue) and not stance) or reduced_passive:
        # "It is believed …", "has been criticized (by X)": the subject is not the source.
        return _agent(tokens, last)
    if _is_nominal(tokens, first):
        return _nominal_source(tokens, cue)
    k = _skip_back(tokens, first - 1)
    if head.endswith("ing"):
        if k < 0 or (k == 0 and tokens[k].lower in word_list("participle_subordinators")):
            # "Citing the report, the minister said…": the subject follows the participle clause.
            return _subject_after_clause(tokens, last)
        j = k
        while j > 0 and (tokens[j].text in CLOSE_QUOTES or tokens[j].text in STRAIGHT_QUOTES):
            j -= 1
        if tokens[j].text == "," or tokens[k].lower in word_list("participle_subordinators"):
            # "…, adding that", "…,” claiming that", "… while suggesting that": the main subject.
            return earlier if earlier is not None else _sentence_subject(tokens, first)
    if before is not None and before.text in _QUOTES and _can_follow_quote(tokens, last):
        return _source_after(tokens, last)
    if before is not None and before.text == ",":
        opening = _opening_subject(tokens, first - 1)
        # "Rents, which had been stable, rose 14%, said Jo Lind": more than one interruption
        # before the cue is a clause, and the speaker follows.
        if opening is not None and sum(t.text == "," for t in tokens[opening[0]:opening[1]]) <= 1:
            return opening
        if _inverted(tokens, cue):
            return _source_after(tokens, last)
        if opening is not None:
            return opening
    elif k >= 0 and tokens[k].text == "," and all(t.lower in word_list("focus_particles") for t in tokens[k + 1:first]) \
            and _inverted(tokens, cue):
        return _source_after(tokens, last)  # a focus particle between the comma and the cue: "…, too says Acme"
    relative = k >= 0 and tokens[k].lower in word_list("relative_pronouns")
    if relative or (k >= 0 and tokens[k].lower == "that" and _after_noun(tokens, k)):
        return k, k + 1
    if k >= 0 and tokens[k].lower in word_list("coordinators"):
        # A second verb shares the earlier subject: "…announced X and said Y".
        return earlier if earlier is not None else _sentence_subject(tokens, first)
    subject = _phrase_before(tokens, first)
    described = _described_by_relative_clause(tokens, subject, last, (floor, earlier_floor), earlier)
    if described is not None:
        return described
    if subject is not None and subject[0] < floor:
        # A subject never reaches back into an earlier attribution: "X said the board decided".
        subject = (floor, subject[1]) if floor < subject[1] else None
        if subject is not None and tokens[subject[0]].lower == "to" and earlier is not None \
                and tokens[floor - 1].lower.endswith("ing"):
            # "Journalists attempting to reveal … have accused": what is left is the earlier
            # participle's infinitive, and the participle's subject is this verb's too.
            return earlier
    if subject is not None and 0 < floor <= subject[0] and _subject_pronoun(tokens, subject[1] - 1):
        # "told the Courier he expected": the one an earlier cue told is no part of this verb's
        # subject, which is the pronoun (a focus particle aside: "told reporters even they feared").
        start = subject[1] - 1
        while start > subject[0] and tokens[start - 1].lower in word_list("focus_particles"):
            start -= 1
        subject = start, subject[1]
    if subject is None and first == 0 and last < len(tokens) and _starts_phrase(tokens[last]):
        return _phrase_after(tokens, last)
    if subject is not None and subject[1] - subject[0] == 1 and tokens[subject[0]].lower == "there":
        return None
    return subject


def _described_by_relative_clause(
    tokens: list[Token], subject: tuple[int, int] | None, cue_end: int, floors: tuple[int, int],
    earlier: tuple[int, int] | None,
) -> tuple[int, int] | None:
    """"Officials who attended the talks said", "A diplomat who asked not to be named said": the
    subject read back from the verb stops at a relative pronoun, and what it read is the relative
    clause; the speaker is the noun phrase the clause describes, with the clause, as "Jo Lee, who
    chairs the board, said" is read with its aside. Not where the pronoun belongs to
    what is said ("the man who police said was armed": the clause's subject speaks, and the verb
    after the cue has no subject of its own), nor reaching back into an earlier attribution,
    unless the clause's own verb was that attribution's cue ("who asked"), which reaches back no
    further than that cue's own source could (``floors``: this cue's floor, then that one's)."""
    if subject is None or subject[0] < 1:
        return None
    relative = subject[0] - 1
    if not _is_relative_pronoun(tokens[relative]) or (relative > 0 and tokens[relative - 1].text == ","):
        return None  # no relative clause; or, after a comma, an aside, read as such by _phrase_before
    own_cue = earlier == (relative, relative + 1)
    floor = floors[1] if own_cue else floors[0]
    if not own_cue and not _opens_verb_phrase(tokens, subject[0]):
        return None  # "the man who unnamed officials said": the clause has a subject of its own
    if cue_end < len(tokens) and is_verb_or_auxiliary(tokens[cue_end].lower):
        return None  # "… who police said was armed": "who" is the subject of what was said
    described = _bare_phrase_before(tokens, relative)
    if described is None:
        return None
    start = max(described[0], floor)  # "The union said workers who …"
    while start < relative and tokens[start].lower in word_list("subject_verb_fillers"):
        start += 1  # "Did officials who attended the talks say …?": the auxiliary is no part of them
    return (start, subject[1]) if start < relative else None


def _is_relative_pronoun(token: Token) -> bool:
    """A relative pronoun for people, written as one: not the initialism "WHO"."""
    return token.text.islower() and token.lower in word_list("person_relatives")


def _opens_verb_phrase(tokens: list[Token], index: int) -> bool:
    """Whether the word after a relative pronoun is surely its verb ("who has", "who said", "who
    attended the talks", "who declined to", "who founded Acme"), not a word of the subject of a
    clause of its own ("who police said", "who unnamed officials said", "who first responders
    said"); a verb with no mark of one ("who know him") is not read as one."""
    token = tokens[index]
    if not token.text.islower():
        return False
    if is_verb_or_auxiliary(token.lower):
        return True
    if index + 1 >= len(tokens) or not token.lower.endswith("ed"):
        return False
    after = tokens[index + 1]
    return after.lower in _object_openers() or after.text[:1].isupper()  # "-ed" then an object: a verb


@functools.cache
def _object_openers() -> frozenset[str]:
    """Words that open what follows a verb, not a noun an adjective would describe ("attended
    the talks", "declined to", "asked not to")."""
    return _determiners() | word_list("object_prepositions") | word_list("object_pronouns") | word_list("complement_openers")


def _is_nominal(tokens: list[Token], first: int) -> bool:
    """Whether the cue is a noun ("the criticism", "amid growing concern", "the mayor’s warning",
    "analysts' forecasts")."""
    if first == 0:
        return False
    previous = tokens[first - 1].lower
    return previous in word_list("nominal_cue_markers") or previous in ("’s", "'s") or _plural_possessive(tokens, first - 1)


def _plural_possessive(tokens: list[Token], i: int) -> bool:
    """Whether token ``i`` is the apostrophe of a plural possessive ("analysts' forecasts")."""
    return (i > 0 and tokens[i].text in ("'", "’") and tokens[i - 1].end == tokens[i].start
            and tokens[i - 1].lower.endswith("s") and tokens[i - 1].text.isalpha())


def _possessor(tokens: list[Token], apostrophe: int) -> tuple[int, int]:
    """The holder before a plural possessive: the noun and the names, determiners and
    quantifiers just before it ("City analysts'", "some economists'"), not the clause before."""
    start = apostrophe - 1
    while start > 0 and (_is_name_word(tokens[start - 1], start - 1 == 0)
                         or tokens[start - 1].lower in word_list("subject_starters")):
        start -= 1
    return start, apostrophe


def _nominal_source(tokens: list[Token], cue: tuple[int, int]) -> tuple[int, int] | None:
    """The holder of a nominal cue: a possessor before it ("the mayor’s warning") or a
    "by"/"from"/"among" phrase after it; otherwise none is stated."""
    first, last = cue
    if first >= 2 and tokens[first - 1].lower in ("’s", "'s"):
        return _bare_phrase_before(tokens, first - 1)
    if _plural_possessive(tokens, first - 1):
        return _possessor(tokens, first - 1)
    if last < len(tokens) and tokens[last].lower in word_list("nominal_source_prepositions"):
        return _phrase_after(tokens, last + 1)
    return None


def _subject_after_clause(tokens: list[Token], start: int) -> tuple[int, int] | None:
    """The subject after an opening clause: the first phrase after one of its next commas
    that starts like a subject (closing quotes and "though" stepped over)."""
    commas = list(itertools.islice((i for i in range(start, len(tokens)) if tokens[i].text == ","), 3))
    connectives = word_list("sentence_connectives")
    for comma in commas:
        i = comma + 1
        while i < len(tokens) and (tokens[i].text in CLOSE_QUOTES or tokens[i].text in STRAIGHT_QUOTES
                                   or tokens[i].lower in connectives or tokens[i].lower == "though"):
            i += 1
        if i < len(tokens) and tokens[i].text == ",":
            continue
        if _starts_phrase_at(tokens, i):
            return _subject_run(tokens, i, len(tokens))
    return None


def _can_follow_quote(tokens: list[Token], index: int) -> bool:
    """Whether a source can start at ``index`` right after a quotation and its cue."""
    return (index < len(tokens) and tokens[index].text[0].isalnum()
            and tokens[index].lower not in word_list("content_starters"))


def _after_noun(tokens: list[Token], that: int) -> bool:
    """Whether "that" at ``that`` follows a noun, making it a relative pronoun ("groups that say")."""
    if that == 0:
        return False
    previous = tokens[that - 1]
    return (previous.text[0].isalnum() and not is_reporting_verb(previous.lower)
            and previous.lower not in word_list("not_before_relative_that"))


def _agent(tokens: list[Token], start: int) -> tuple[int, int] | None:
    """The agent of a passive cue: "is considered unsafe by engineers" -> "engineers"; a
    quoted label is stepped over ("was branded “a mess” by the commission"), but a "by"
    inside it is the label's own word, and one after an infinitive belongs to its verb
    ("is expected to be approved by the board", "is reported to have cut it by £200m")."""
    quoted = False
    for i in range(start, min(start + _MAX_AGENT_DISTANCE, len(tokens))):
        text = tokens[i].text
        if text == "'":
            # British single quotes: one after a space opens ("as 'a mess'"), one against the word
            # before closes, or is a plural possessive ("the workers' union") when nothing is open.
            opens = i == 0 or tokens[i - 1].end < tokens[i].start
            if opens or quoted:
                quoted = opens
                continue
        elif text in _QUOTES:
            quoted = text in OPEN_QUOTES or (text in STRAIGHT_QUOTES and not quoted)
            continue
        if quoted:
            continue
        if _is_boundary(tokens[i]) or text in (".", "!", "?") or tokens[i].lower == "to":
            break
        if tokens[i].lower == "by":
            return _phrase_after(tokens, i + 1)
    return None


def _starts_phrase_at(tokens: list[Token], index: int) -> bool:
    return index < len(tokens) and _starts_phrase(tokens[index])


def _source_after(tokens: list[Token], start: int) -> tuple[int, int] | None:
    """An inverted source with its appositive: "…, said Jane Roe, the harbour master."."""
    found = _phrase_after(tokens, start)
    if found is None:
        return None
    end = found[1]
    if end + 1 < len(tokens) and tokens[end].text == "," and tokens[end + 1].lower in word_list("articles"):
        appositive = _phrase_after(tokens, end + 1)
        if appositive is not None and (appositive[1] >= len(tokens) or not tokens[appositive[1]].text[0].isalnum()):
            end = appositive[1]
    return found[0], end


def _inverted(tokens: list[Token], cue: tuple[int, int]) -> bool:
    """Whether a comma-led cue has its source after it: "The plan failed, said Jane Roe.". The
    cue's verb inverts, alone or after a focus particle or an adverb ("…, also says Acme"); not
    after an auxiliary ("X, Y, has reported a rise": the subject is before it)."""
    first, last = cue
    if lemma(tokens[last - 1].lower) not in word_list("inverting_speech_verbs") or not all(
            t.lower in word_list("focus_particles") or t.lower.endswith("ly") for t in tokens[first:last - 1]):
        return False
    if not (_starts_phrase_at(tokens, last) or _described_name_at(tokens, last) or _plural_ends_sentence(tokens, last)):
        return False
    after = _phrase_after(tokens, last)
    if after is None:
        return False
    rest = range(after[1], len(tokens))  # read only as far as needed, not copied
    # "…, said a senior official who asked not to be named.": a relative clause describes the speaker.
    return not rest or tokens[rest[0]].text == "," or _is_relative_pronoun(tokens[rest[0]]) \
        or all(not tokens[i].text[0].isalnum() for i in rest)


def _plural_ends_sentence(tokens: list[Token], index: int) -> bool:
    """Whether a bare plural of a few lower-case words ends the sentence at ``index``, after a
    verb that takes no such object: the speakers of an inverted cue ("…, say industry experts.",
    "…, say reports."), not what a verb reports ("The firm, founded in 1990, reported losses.")."""
    if index == 0 or tokens[index - 1].lower not in word_list("plural_inverting_forms"):
        return False
    words = list(itertools.takewhile(lambda token: token.text[0].isalnum(), tokens[index:]))
    rest = tokens[index + len(words):]
    return (0 < len(words) <= _MAX_DESCRIPTION_WORDS and all(t.text.isalpha() and t.text.islower() for t in words)
            and words[-1].lower.endswith("s") and not any(t.text[0].isalnum() for t in rest)
            and not any(t.lower in word_list("content_starters") for t in words))


def _described_name_at(tokens: list[Token], index: int) -> bool:
    """Whether a few lower-case words describing a name open at ``index``, the name after
    them: "(said) market analyst Nexmoor", "(says) harbour engineer Jo Lind"."""
    for i in range(index, min(index + _MAX_DESCRIPTION_WORDS + 1, len(tokens))):
        if tokens[i].text[0].isupper():
            return i > index
        if not tokens[i].text.isalpha() or tokens[i].lower in word_list("content_starters"):
            return False
    return False


def _sentence_subject(tokens: list[Token], before: int) -> tuple[int, int] | None:
    """The subject at the start of the sentence, after any opening phrase that ends in a
    comma ("In Ohio, …", "Asked about it, …", "Arriving at the scene, …")."""
    start = 0
    opener = tokens[0].lower if tokens else ""
    if opener in word_list("scene_setters") or opener.endswith(("ing", "ed")) or (
            len(tokens) > 1 and tokens[1].text == "," and _sentence_adverb(tokens[0])):
        comma = next((i for i in range(before) if tokens[i].text == ","), None)
        if comma is None:
            return None
        start = comma + 1
    return _subject_run(tokens, start, before)


def _subject_run(tokens: list[Token], start: int, limit: int) -> tuple[int, int] | None:
    """A subject starting at ``start`` (before ``limit``): its run of capitalised words and
    articles ("The Crime Bureau", "Sen. Jane Roe"), or a single bare noun ("police")."""
    articles = word_list("articles")
    end = start
    while end < limit and (tokens[end].text[0].isupper() or tokens[end].lower in articles
                           or tokens[end].lower in (".", "’s", "'s")):
        end += 1
    while end > start and tokens[end - 1].text == "." and not _abbreviation_dot(tokens, end - 1):
        end -= 1
    if end == start or tokens[end - 1].lower in articles or tokens[end - 1].lower in ("’s", "'s"):
        # Common nouns after the article, up to the verb: "the harbour master (said)".
        while end < limit and end - start < 6 and _noun_like(tokens[end]):
            end += 1
    else:
        # A description between capitalised words ends in the name: "Democratic front-runner Jo
        # Lind", its last word a role ("Acme quit Tarrow Holdings" is a verb and its object).
        name = end
        while name < limit and name - end < _MAX_DESCRIPTION_WORDS and tokens[name].text[0].islower() \
                and _noun_like(tokens[name]):
            name += 1
        if end < name < limit and tokens[name].text[0].isupper() and _role_word(tokens[name - 1].lower):
            end = name
            while end < limit and tokens[end].text[0].isupper():
                end += 1
    return (start, end) if end > start else None


def _role_word(word: str) -> bool:
    """Whether a lower-case word names someone by their role or trade, as a description before a
    name does ("front-runner", "candidate", "leader", "carmaker")."""
    return word in _role_words() or _names_people_by_trade(word)


def _names_people_by_trade(word: str) -> bool:
    """Whether a singular noun's plural ends as a noun for people by what they do ("broker",
    "developer", "front-runner")."""
    return f"{word}s".endswith(tuple(word_list("people_noun_endings")))


@functools.cache
def _role_words() -> frozenset[str]:
    return (word_list("person_titles") | word_list("unique_roles") | word_list("roles_after_names")
            | word_list("trade_descriptors") | word_list("organisation_heads"))


def _noun_like(token: Token) -> bool:
    word = token.lower
    return (token.text.replace("-", "").isalpha() and word not in word_list("subject_verb_fillers")
            and word not in word_list("subject_stops") and not is_reporting_verb(word) and not word.endswith("ed"))


def _starts_phrase(token: Token) -> bool:
    return token.text[0].isupper() or token.lower in word_list("subject_starters")


def _is_passive(tokens: list[Token], cue: tuple[int, int]) -> bool:
    """Whether the cue is a passive verb ("is believed", "has been criticized", "is forecast":
    a participle of the lexicon's agentless claims may be written as its verb is)."""
    words = [t.lower for t in tokens[max(cue[0] - 1, 0):cue[1]]]
    for i, word in enumerate(words):
        if word in word_list("be_forms"):
            return any(w.endswith(("ed", "en", "ght", "id", "wn")) or w in word_list("agentless_claims")
                       for w in words[i + 1:])
    return False


def _source_kind(tokens: list[Token], span: tuple[int, int], sentence_start: bool,
                 common: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """(kind, is_org) of a source phrase.

    A group noun as head makes the source vague even with capitalised modifiers
    ("Chinese officials", "Human rights investigators", "UK regulators"); a name or a definite
    unique role ("the president", "the company") makes it named. A sentence's first word is
    capitalised anyway: when the document also writes it in lower case (``common``), it is a
    common noun ("Farmers said", with "farmers" elsewhere), not a name; so is a document or
    hearsay noun standing alone ("Research shows").
    """
    words = tokens[span[0]:span[1]]
    lowers = [t.lower for t in words]
    joined = " ".join(lowers)
    # The sentence's first word, capitalised anyway, is a common noun when the document writes it
    # in lower case elsewhere, or when it is a document or hearsay noun no name follows
    # ("Research shows", "Speculation suggests", "Figures released in May showed"; "Statistics
    # Norway" is a name, "Reports from Reuters" credits one).
    opens_lowercase = sentence_start and bool(words) and (lowers[0] in common or (
        len(lowers) == 1 or not any(_is_name_word(t, False) and t.lower not in word_list("month_names")
                                    for t in words[1:])) and (
        lowers[0] in word_list("document_nouns") or lowers[0] in word_list("hearsay_nouns")))
    has_name = _has_name(words[1:], False) if opens_lowercase else _has_name(words, sentence_start)
    head = _head(words)
    head_word = head.lower if head is not None else ""
    heads = word_list("organisation_heads")
    described = len(words) > 1 and _is_name_word(words[1], False) and (
        sentence_start and words[0].lower in word_list("trade_descriptors"))  # "Bookmaker Tollgate said"
    # The name, not an aside about it, tells an organisation: "Jo Lee, HLC deputy director" is a
    # person. A description with no name before the aside ("The retail lobby, the BRC,") names
    # nothing itself: the aside does.
    aside = _aside_start(words)
    name = words[:aside] if aside and _has_name(words[:aside], sentence_start) else words
    org = head_word in heads or described or any(t.text.isupper() and len(t.text) >= 2 for t in name) or any(
        first.text.islower() and names_organisation_kind(first.text) and _is_name_word(second, False)  # "think tank Civitas"
        for first, second in zip(name, name[1:], strict=False)
    )
    # A name in what describes the head does not name the source: "people familiar with Acme's
    # plans", "a person close to the Harwick board" are anonymous; "Jo Lee, close to the board" is not.
    # Opening the sentence, the head is capitalised anyway: a common noun only as a group's word
    # or one the story writes in lower case ("People familiar with …", not "Harwick, close to …").
    common_head = head is not None and (head.text.islower() or head is words[0] and (
        opens_lowercase or sentence_start and head_word in word_list("vague_source_heads")))
    markers = word_list("anonymous_markers")
    if head_word in word_list("anonymous_source_heads") or (
        not has_name and any(marker in joined for marker in markers)
    ) or (common_head and _described_right_after(words, head, markers)):
        return "anonymous", False
    if head_word in word_list("spokesperson_roles"):
        return "named", False  # "a spokesman said": the organisation the story is about, speaking
    if _unnamed_member(words, head):
        return "anonymous", False  # "a Harbour Ministry official said": one of a group, no one named
    # Opening the sentence with no name going on after it ("Officials in Kelby said", not
    # "Reporters Without Borders said", "Economists for Free Trade said"), a group noun is
    # capitalised by position only; a document credited to a name is that name's ("Reports from
    # Reuters", above).
    by_position = sentence_start and head is words[0] and not _name_goes_on(words) and not (
        len(words) > 1 and words[1].lower in word_list("document_owner_prepositions")
        and head_word in word_list("document_nouns"))
    # A group noun as head is vague unless written as a name's word ("Reporters Without Borders");
    # initials made plural that name people ("Labour MPs") always are.
    written_as_name = head is not None and _is_name_word(head, by_position) and head_word not in word_list("group_names")
    if head is not None and _is_plural_initialism(head.text) or (
            head_word in word_list("vague_source_heads") and not written_as_name):
        return "vague", org
    if head_word in word_list("reporting_nouns") and _credited_to_name(words, sentence_start):
        return "named", True  # "Acme Research analysis", "figures from the Bank of Ruritania"
    written_lowercase = head is not None and (head.text.islower() or (opens_lowercase and head is words[0]))
    plural_common_head = written_lowercase and head_word.endswith("s") and head_word not in heads
    if has_name and not plural_common_head:
        return "named", org
    if lowers[0] in word_list("definite_determiners") and (
        head_word in word_list("unique_roles") or org
    ):
        return "named", org
    return "vague", org


def _described_right_after(words: list[Token], head: Token | None, markers: frozenset[str]) -> bool:
    """Whether one of ``markers`` opens what follows the head ("people familiar with …", "an
    official close to …"), not an aside or a clause further on ("a chief executive, who is close
    to the minister,": he is named)."""
    if head is None:
        return False
    rest = " ".join(token.lower for token in words[words.index(head) + 1:])
    return any(rest == marker or rest.startswith(f"{marker} ") for marker in markers)


def _opens_sentence(tokens: list[Token], first: int) -> bool:
    """Whether token ``first`` is the sentence's first word, after opening quotation marks at
    most: capitalised by position, as a quotation's first word is ("\"Analysts said…,\" Jo Lee said")."""
    return all(token.text in OPEN_QUOTES or token.text in STRAIGHT_QUOTES for token in tokens[:first])


def _is_plural_initialism(text: str) -> bool:
    """Whether a word is initials made plural that name a kind of people or body ("MPs", "GPs";
    lexicon ``group_initialisms``), written so: capitals and a lower-case "s" (not "MPS", "GPS")."""
    return text[-1:] == "s" and text[:-1].isupper() and text.lower() in word_list("group_initialisms")


def _name_goes_on(words: list[Token]) -> bool:
    """Whether the phrase's first word goes on into a name: a capitalised word follows it, or a
    preposition that continues a group's name and then a name of a cause, of two words or more
    ("Economists for Free Trade"; not "Officials for Tarrow Council", an organisation's people)."""
    if len(words) < 2:
        return False
    if _is_name_word(words[1], False):
        return True
    cause = words[2:]
    return words[1].lower in word_list("group_name_prepositions") and len(cause) > 1 \
        and all(_is_name_word(token, False) for token in cause) and not has_organisation_form([t.text for t in cause])


def _unnamed_member(words: list[Token], head: Token | None) -> bool:
    """Whether an indefinite phrase names one person of a group noun and no one in particular:
    "a senior official", "another trader" (the singular of "officials", "traders"); not an
    organisation or a document ("a bank", "a YouGov poll"), nor someone named after the role
    ("another delegate, Jim Poolman"); "a broker at Kelby Securities" is one too."""
    if head is None or not head.text.islower() or words[0].lower not in word_list("unnamed_individual_determiners"):
        return False
    at = words.index(head)
    # A trade a firm or a person may ply is the person where they work is said ("a broker at
    # Kelby Securities"); alone it may be the firm ("a broker said", "a lender with 40 branches").
    works_at = head.lower in word_list("firm_or_person_trades") and at + 1 < len(words) \
        and words[at + 1].lower in word_list("workplace_prepositions")
    if (head.lower in word_list("organisation_heads") and not works_at) or head.lower in word_list("document_nouns"):
        return False
    # Where the person works is no name of theirs: "a trader at Kelby Securities" names no one;
    # whom they speak for may be ("a lawyer for Jo Lind", "a member of the Tarrow Council").
    workplaces = word_list("affiliation_prepositions") - word_list("spokesperson_prepositions")
    after = list(itertools.takewhile(lambda token: token.lower not in workplaces, words[at + 1:]))
    if any(_is_name_word(token, False) for token in after) or any(
            token.lower in word_list("articles") for token in words[1:at]):
        return False  # a name after the role, or a second phrase before it ("a figure the opposition")
    groups = word_list("vague_source_heads")
    return head.lower in groups or f"{head.lower}s" in groups


def _credited_to_name(words: list[Token], sentence_start: bool) -> bool:
    """Whether a document noun is credited to a name: two name words in a row ("Acme
    Research analysis") or "from/by/of the" and a name ("figures from the Bank of X")."""
    names = [_is_name_word(t, sentence_start and i == 0) for i, t in enumerate(words)]
    if any(first and second for first, second in zip(names, names[1:], strict=False)):
        return True
    return any(
        words[i].lower in word_list("document_owner_prepositions") and words[i + 1].lower == "the" and names[i + 2]
        for i in range(len(words) - 2)
    )


def _has_full_name(words: list[Token]) -> bool:
    """Whether two capitalised words in a row, not at the start, name someone ("Jane Roe")."""
    return any(
        _is_name_word(words[i], False) and _is_name_word(words[i + 1], False) for i in range(1, len(words) - 1)
    )


def _head(words: list[Token]) -> Token | None:
    """The head word of a phrase: the last word before a preposition, comma, bracket,
    relative pronoun or participle ("Journalists attempting to…", "Figures released in May"
    have the heads "Journalists", "Figures"); a capitalised word is part of a name, not a
    participle ("the Riverside Housing Coalition"), and a hyphenated participle is an adjective
    ("the state-owned Bank of Harwick"). A name's own preposition ends no head when
    a noun follows the name: in "Bank of Harwick officials" the head is "officials"."""
    head = None
    enders, adjectives = word_list("head_enders"), word_list("complement_adjectives")
    for i, token in enumerate(words):
        if token.lower in enders or token.lower in (",", "("):
            if head is not None and not _joins_modifying_name(words, i):
                break
            continue
        if head is not None and token.lower in adjectives and i + 1 < len(words) and words[i + 1].lower in enders:
            break  # "people familiar with …", "an official close to …": the head is before the adjective
        if head is not None and token.lower.endswith(("ing", "ed")) and len(token.lower) > 5 and "-" not in token.text \
                and not token.text[0].isupper() and not _modifies_next(words, i):
            break
        if token.text[0].isalnum():
            head = token
    return head


def _joins_modifying_name(words: list[Token], i: int) -> bool:
    """Whether the word at ``i`` joins the words of a name ("of" in "Bank of Harwick") that a
    lower-case noun then follows, the name modifying it ("Bank of Harwick officials")."""
    if words[i].lower not in word_list("organisation_name_prepositions") or not words[i - 1].text[:1].isupper():
        return False
    after = i + 1
    while after < len(words) and words[after].text[:1].isupper():
        after += 1
    return after > i + 1 and after < len(words) and words[after].text.isalpha() and words[after].text.islower() \
        and words[after].lower not in _function_words() and words[after].lower not in word_list("head_enders")


def _modifies_next(words: list[Token], i: int) -> bool:
    """Whether the "-ing" word at ``i`` describes the noun after it ("senior banking sources")
    rather than opening a participle clause ("journalists attempting to …", "analysts covering
    the sector"): a lower-case word follows, and it is no function word."""
    if i + 1 >= len(words):
        return False
    after = words[i + 1]
    return after.text.isalpha() and after.text.islower() and after.lower not in _function_words()


@functools.cache
def _function_words() -> frozenset[str]:
    return (word_list("object_prepositions") | word_list("articles") | word_list("definite_determiners")
            | word_list("coordinators") | word_list("subject_stops"))


def phrase_head(phrase: str) -> str | None:
    """The head word of a source phrase, lower-cased, as the attribution analysis reads it
    (``_head``): "Journalists attempting to reveal …" -> "journalists"."""
    head = _head(tokenize(phrase))
    return head.lower if head is not None else None


def _has_name(words: list[Token], sentence_start: bool) -> bool:
    return any(_is_name_word(t, sentence_start and i == 0) for i, t in enumerate(words) if t.lower != "’s")


def _content(tokens: list[Token], cue: tuple[int, int], source: tuple[int, int] | None) -> tuple[int, int] | None:
    """Token range of what is attributed: the clause or quotation after the cue ("said
    that …", "told the council: “…”"), or the text before a trailing attribution
    ("The plan failed, she said.")."""
    if source and source[0] > cue[1]:
        comma = next((i for i in range(cue[1], source[0]) if tokens[i].text == ","), None)
        if comma is not None and comma - cue[1] >= 1:
            # "Citing the flood maps, the council …": the clause between cue and source.
            return cue[1], comma
    used_end = max(cue[1], source[1] if source and source[0] >= cue[1] else 0)
    used_start = min(cue[0], source[0] if source else cue[0])
    end = len(tokens)
    while end > used_end and not tokens[end - 1].text[0].isalnum() and tokens[end - 1].text not in _CONTENT_ENDS:
        end -= 1
    start = used_end
    for i in range(start, min(start + 6, end)):
        # Past an addressee: "told reporters that …", "told the council: “…”".
        if tokens[i].text == ":" or tokens[i].lower == "that":
            start = i + 1
            break
        if tokens[i].text in OPEN_QUOTES:
            start = i
            break
        if _is_boundary(tokens[i]):
            break
    if start < end and tokens[start].lower in ("that", ":", ","):
        start += 1
    if end - start >= 2:
        return start, end
    front_end = used_start
    while front_end > 0 and tokens[front_end - 1].text in (",", ":", "—", "―", "–"):
        front_end -= 1
    if front_end >= 2:
        return 0, front_end
    return None


def _positions(text: str, char: str) -> list[int]:
    """Every index of ``char`` in ``text``, ascending (str.find skips ahead in C, where a
    per-character loop in Python cost more than the rest of the quote handling)."""
    found = []
    i = text.find(char)
    while i >= 0:
        found.append(i)
        i = text.find(char, i + 1)
    return found


class _QuoteMarks:
    """Where a block's quotation marks are, found once for all of its attributions (a
    re-scan of the paragraph per attribution made long paragraphs quadratic)."""

    def __init__(self, text: str) -> None:
        self.opens = _positions(text, "“")
        self.closes = _positions(text, "”")
        self.straight = _positions(text, '"')

    def open_quote_start(self, sentence_start: int, sentence_end: int) -> int | None:
        """Where a quotation that ends in this sentence opened, when that was in an earlier
        sentence of the same paragraph (“First. Second,” she said.)."""
        opens_before = bisect.bisect_left(self.opens, sentence_start)
        closes_before = bisect.bisect_left(self.closes, sentence_start)
        curly_open = self.opens[opens_before - 1] if opens_before else -1
        curly_close = self.closes[closes_before - 1] if closes_before else -1
        if curly_open > curly_close:
            # No opening mark in the sentence before its first closing one.
            first_close = self.closes[closes_before] if closes_before < len(self.closes) else sentence_end
            next_open = self.opens[opens_before] if opens_before < len(self.opens) else sentence_end
            if next_open >= min(first_close, sentence_end):
                return curly_open
        straight_before = bisect.bisect_left(self.straight, sentence_start)
        if straight_before % 2 == 1 and straight_before < len(self.straight) \
                and self.straight[straight_before] < sentence_end:
            return self.straight[straight_before - 1]
        return None


def find_attributions(analysis: Analysis) -> list[Attribution]:
    """Every attribution cue in the document's prose, with its source and content (with
    ``analysis.claims_only``, in the sentences a claim rule can use)."""
    prose = " ".join(block.text for _, block in analysis.document.prose_blocks())
    common = frozenset(_LOWERCASE_WORD.findall(prose))
    texts = [sentence.text for sentence in analysis.sentences]
    organisations = organisation_names(texts) | joined_organisation_names(texts)
    resolver = _Resolver(analysis.registry, common, person_name_words(texts, organisations), organisations)
    found: list[Attribution] = []
    quote_marks: dict[int, _QuoteMarks] = {}
    with_figures = {item.sentence for item in analysis.figures} if analysis.claims_only else set()
    for sentence in analysis.sentences:
        if sentence.over_long:
            continue  # decided by the over-long-sentence strategy alone (provenance.py)
        in_sentence: list[Attribution] = []
        words = _WORDS.findall(sentence.text.lower())
        if not analysis.claims_only or sentence.index in with_figures or _may_report_claim(words):
            in_sentence = _sentence_attributions(analysis, sentence, resolver, quote_marks)
        agentless = _agentless_phrases(sentence, in_sentence, words)
        if agentless:  # "billed" tagged alone gives way to the passive around it, "was billed"
            in_sentence = [a for a in in_sentence if not any(_within(a, p.cue.start, p.cue.end) for p in agentless)]
        views = _group_views(analysis, sentence, [*in_sentence, *agentless], words)
        if views:  # "not" tagged alone gives way to the view around it, "were not optimistic"
            in_sentence = [a for a in in_sentence if not any(_inside(a, v.cue.start, v.cue.end) for v in views)]
        found.extend(in_sentence)
        found.extend(agentless)
        found.extend(views)
    return found


def _within(attribution: Attribution, start: int, end: int) -> bool:
    """A cue inside an agentless phrase's span, with no source or its source inside it too
    ("Accusations have mounted" tagged as a cue with "Accusations" its subject): a part of that
    phrase."""
    source = attribution.source
    return _inside(attribution, start, end) and (
        source is None or (source.block == attribution.cue.block and start <= source.start and source.end <= end))


def _inside(attribution: Attribution, start: int, end: int) -> bool:
    return start <= attribution.cue.start and attribution.cue.end <= end


_LOWERCASE_WORD = re.compile(r"(?<![\w’'])[a-z][a-z-]{2,}")


@functools.cache
def _agentless_pattern() -> tuple[frozenset[str], re.Pattern[str]]:
    """The words that end an agentless phrase (a cheap test first), and the phrases' regex: the
    lexicon's phrases, hearsay nouns after an opener (and its modifiers) or before a verb of
    spreading (after an auxiliary or "began to"), and criticism after a verb of receiving it."""
    phrases = word_list("agentless_phrases")
    nouns, spreading = word_list("hearsay_nouns"), word_list("hearsay_spreading_verbs")
    criticism = word_list("criticism_nouns")
    last_words = frozenset(phrase.split()[-1] for phrase in phrases) | nouns | spreading | criticism
    hearsay = alternation(nouns) or "(?!)"
    openers = alternation(word_list("hearsay_openers")) or "(?!)"
    modifiers = alternation(word_list("hearsay_modifiers")) or "(?!)"
    # "rumours have circulated", "speculation is mounting", "fears have been growing", "rumours
    # began to circulate"; a form of "be" only before an -ing form ("suggestions were circulated
    # to staff" is a passive act, no hearsay).
    have, be = alternation(word_list("have_forms")), alternation(word_list("be_forms"))
    auxiliaries = rf"(?:{have})\s+(?:(?:{be})\s+(?=[a-z]+ing\b))?|(?:{be})\s+(?=[a-z]+ing\b)"
    aids = alternation(word_list("hearsay_spreading_aids")) or "(?!)"
    return last_words, re.compile(
        rf"\b(?:{alternation(phrases) or '(?!)'}"
        rf"|(?:{openers})\s+(?:(?:{modifiers})\s+){{0,2}}(?:{hearsay})"
        rf"|(?:{alternation(word_list('criticism_openers'))})\s+(?:(?:{modifiers})\s+){{0,2}}(?:{alternation(criticism)})"
        rf"|(?:{hearsay})\s+(?:{auxiliaries})?(?:(?:{aids})\s+)?(?:{alternation(spreading) or '(?!)'}))\b",
        re.IGNORECASE,
    )


@functools.cache
def _agentless_passive() -> tuple[frozenset[str], re.Pattern[str]]:
    """A passive with no agent that labels or predicts ("is tipped to", "has been linked with",
    "are now considered to be", "was billed as"): the participles, and the regex of the form
    of "be", up to two adverbs, the participle and the word that opens what it claims."""
    participles = word_list("agentless_claims")
    be = alternation(word_list("be_forms"))
    followers = alternation(word_list("agentless_passive_followers"))
    # "is considered one of", "was deemed unsafe": a labelling participle takes its label directly.
    labels = alternation(word_list("labelling_participles"))
    label = rf"(?:{labels})(?=\s+(?!(?:{alternation(word_list('not_label_openers'))})\b)[a-z])"
    return participles, re.compile(
        rf"\b(?:{be})\s+(?:[a-z]+ly\s+|(?:{alternation(word_list('subject_verb_fillers'))})\s+){{0,2}}"
        rf"(?:(?:{alternation(participles)})(?=\s+(?:{followers})\b)|{label})",
        re.IGNORECASE,
    )


@functools.cache
def _group_view() -> tuple[tuple[frozenset[str], re.Pattern[str]], ...]:
    """A vague group holding a view ("Many analysts were not optimistic", "privacy advocates are
    concerned"), one calling something by a label ("is regarded by many as", "was seen by some
    engineers as") and one taking a stance ("analysts welcomed the move"): for each, the words one
    of which a sentence must hold (a cheap test first) and the regex, on the lower-cased sentence,
    whose named groups are the group (``source``) and the cue (``cue``)."""
    adjectives = word_list("stance_adjectives")
    participles = word_list("agentless_claims")
    quantifiers = alternation(word_list("hedge_quantifiers"))
    # Words before the group's head that belong to it ("privacy advocates"), not to the clause
    # before it ("prices rose but economists…", "on Tuesday most residents…").
    not_in_group = alternation([*word_list("subject_stops"), *word_list("time_words"), *word_list("time_leaders")])
    modifier = rf"(?!(?:{not_in_group})\b)[a-z-]+\s+"
    group = rf"(?:(?:{quantifiers})\s+)?(?:{modifier}){{0,2}}?(?:{alternation(word_list('vague_source_heads'))})"
    be = alternation(word_list("be_forms"))
    adverbs = rf"(?:[a-z]+ly\s+|not\s+|(?:{alternation(word_list('subject_verb_fillers'))})\s+){{0,2}}"
    # A view is held about something ("divided over", "not optimistic that", "wary."), not a
    # state ("split into teams", "worried and hungry", "upbeat as they left").
    view = re.compile(rf"\b(?P<source>{group})\s+(?P<cue>(?:{be})\s+{adverbs}(?:{alternation(adjectives)}))"
                      rf"(?=\s*[,.;:]|\s*$|\s+(?:{alternation(word_list('stance_objects'))})\b)")
    # A label given ("is regarded by many as"), not an act witnessed ("was found by police with").
    label = re.compile(rf"\b(?P<cue>(?:{be})\s+{adverbs}(?:{alternation(participles)}))\s+by\s+(?P<source>{group})(?=\s+as\b)")
    # A stance taken ("analysts broadly welcomed", "many economists have urged", "others wonder");
    # not a participle describing the group ("campaigners hoping to …"). _match_takes_stance() checks
    # the rest.
    stances = group_stance_forms()
    finite = alternation(form for form in stances if not form.endswith("ing"))
    continuous = alternation(form for form in stances if form.endswith("ing"))
    stance = re.compile(rf"\b(?P<source>{group})\s+(?P<cue>{adverbs}(?P<verb>{finite})"
                        rf"|(?:{be})\s+{adverbs}(?P<progressive>{continuous}))\b")
    return (adjectives, view), (participles, label), (stances, stance)


def _match_takes_stance(match: re.Match[str], text: str) -> bool:
    """Whether a match of the group-stance pattern is a group taking a stance, not a noun after
    a quantifier ("several questions remain", "some welcome news"), a participle describing the
    group ("people questioned in the survey"), a superlative ("the most praised design") or a
    counted group ("nearly 200 countries", an act of theirs). The words are compared in lower
    case: a sentence with an "İ" is matched in its own case."""
    before, group = text[:match.start()].lower().split(), match.group("source").lower().split()
    if before and (before[-1] in word_list("articles") or before[-1][:1].isdigit()
                   or before[-1] in word_list("number_words")):
        return False
    if not word_list("articles").isdisjoint(group) or not word_list("be_forms").isdisjoint(group):
        return False  # "is the most praised": a superlative, no group
    verb = (match.group("verb") or "").lower()
    after = text[match.end():].lower().split()
    if verb.endswith("ed") and after and after[0].strip(",.;:") in word_list("object_prepositions"):
        return False  # "people questioned in the survey"
    return takes_stance(match.group("cue").lower().split(), group)


def _group_views(analysis: Analysis, sentence: Sentence, cues: list[Attribution], words: list[str]) -> list[Attribution]:
    """Views a vague group is said to hold or labels it gives, which no reporting verb with a
    source marks, outside quoted speech: the group is the source, the rest of the phrase the cue."""
    (adjectives, view), (participles, label), (stances, stance) = _group_view()
    # (pattern, whether it finds a stance), each only where the sentence holds one of its words
    patterns = [(view, False)] if not adjectives.isdisjoint(words) else []
    if "by" in words and not participles.isdisjoint(words):
        patterns.append((label, False))
    if not stances.isdisjoint(words):
        patterns.append((stance, True))
    if not patterns:
        return []
    text = sentence.text.lower()
    if len(text) != len(sentence.text):  # "İ" lower-cases to two characters: match case-blind instead
        text = sentence.text
        patterns = [(re.compile(pattern.pattern, re.IGNORECASE), is_stance) for pattern, is_stance in patterns]
    from citelint.analysis import Span

    found: list[Attribution] = []
    matches = sorted(((m, is_stance) for pattern, is_stance in patterns for m in pattern.finditer(text)),
                     key=lambda item: item[0].start())
    for match, is_stance in matches:
        start, end = sentence.start + match.start(), sentence.start + match.end()
        if analysis.in_quote(sentence.block, start) or any(
                a.cue.start < end and start < a.cue.end and not _inside(a, start, end) for a in (*cues, *found)):
            continue
        if is_stance and (not _match_takes_stance(match, text) or any(a.cue.start < end and start < a.cue.end for a in cues)):
            continue  # a stance never replaces an attribution the tagger found there
        found.append(Attribution(
            sentence=sentence.index,
            cue=Span(sentence.block, sentence.start + match.start("cue"), sentence.start + match.end("cue"),
                     sentence.text, sentence.start),
            source=Span(sentence.block, sentence.start + match.start("source"), sentence.start + match.end("source"),
                        sentence.text, sentence.start),
            content=None, source_kind="vague"))
    return found


@functools.cache
def _named_agent_after(passive: bool) -> re.Pattern[str]:
    """A named agent later in the clause of an impersonal phrase or a passive: "(came under
    fire) from Jo Lind", "(was considered unsafe) by the Harbour Commission", "(was labelled a
    risk) by the judge"; not a vague one ("by critics", "by many")."""
    prepositions = alternation(word_list("passive_agent_prepositions") if passive else word_list("agent_prepositions"))
    determiners = alternation(word_list("definite_determiners"))
    # Within a few words and before any "that": "amid reports that it was sold by X" is content.
    return re.compile(rf"(?:(?!\bthat\b)[^,;:.!?]){{0,40}}?\b(?:{prepositions})\s+(?:(?:{determiners})\s+\w|[A-Z])")


def is_impersonal_phrase(text: str) -> bool:
    """Whether ``text`` is one of the lexicon's impersonal phrases, as a whole."""
    return _agentless_pattern()[1].fullmatch(text) is not None


def _agentless_phrases(sentence: Sentence, cues: list[Attribution], words: list[str]) -> list[Attribution]:
    """Impersonal attributions the cue tagger does not see as cues ("reportedly", "it
    emerged", "amid allegations", "is tipped to"): agentless, pinned on nobody."""
    last_words, pattern = _agentless_pattern()
    participles, passive = _agentless_passive()
    matches: list[re.Match[str]] = []
    if not last_words.isdisjoint(words):
        matches += pattern.finditer(sentence.text)
    if not participles.isdisjoint(words):
        matches += passive.finditer(sentence.text)
    if not matches:
        return []  # most sentences: returned before the import below, which costs on every call
    from citelint.analysis import Span

    found: list[Attribution] = []
    for match in sorted(matches, key=lambda m: m.start()):
        # "was considered unsafe by the Harbour Commission": someone is named. A hearsay adverb
        # ("reportedly being led by his sons") stays nobody's, whoever did what it reports.
        if " " in match.group() and _named_agent_after(match.re is passive).match(sentence.text, match.end()):
            continue
        start, end = sentence.start + match.start(), sentence.start + match.end()
        overlapping = [a for a in (*cues, *found) if a.cue.start < end and start < a.cue.end]
        if any(a in found or not _within(a, start, end) for a in overlapping):
            continue
        cue = Span(sentence.block, start, end, sentence.text, sentence.start)
        found.append(Attribution(sentence=sentence.index, cue=cue, source=None, content=None, source_kind="none"))
    return found


def _sentence_attributions(
    analysis: Analysis, sentence: Sentence, resolver: _Resolver, quote_marks: dict[int, _QuoteMarks]
) -> list[Attribution]:
    """The attributions of one sentence; ``quote_marks`` caches each block's quotation marks."""
    from citelint.analysis import Span

    tokens = tokenize(sentence.text)
    found = []
    earlier: tuple[int, int] | None = None
    floor = earlier_floor = 0
    for tagged in find_cue_tokens(tokens):
        cue = _after_passive_infinitive(tokens, _without_leading_name(tokens, tagged))
        source = _find_source(tokens, cue, earlier, floor, earlier_floor)
        if source is not None:
            earlier_floor = floor
        floor = cue[1]
        kind, carried, is_org = "none", False, False
        antecedent = None
        conjuncts: tuple[tuple[Span, bool], ...] = ()
        if source is not None:
            earlier = source
            names = conjunct_spans(tokens, *source)
            if len(names) > 1 and resolver.organisation_s_name(tokens, source):
                names = [source]  # "Harwick and Tarrow said", after "Harwick and Tarrow Co"
            if len(names) > 1:
                # Coordinated names are classified each: named when all are, an organisation when any is.
                classes = resolver.classify_conjuncts(tokens, names, sentence.text)
                kind = next((each for each, _ in classes if each != "named"), "named")
                is_org = any(org for _, org in classes)
                conjuncts = tuple((_span(Span, sentence, tokens, span), org)
                                  for span, (_, org) in zip(names, classes, strict=True))
            else:
                kind, carried, is_org = resolver.classify(tokens, source, sentence.text)
            antecedent = _relative_antecedent(tokens, source)
        content = _content(tokens, cue, source)
        content_span = _span(Span, sentence, tokens, content) if content else None
        if content is not None and content_span is not None and content[0] == 0:
            block_text = analysis.document.blocks[sentence.block].text
            marks = quote_marks.get(sentence.block)
            if marks is None:
                marks = quote_marks[sentence.block] = _QuoteMarks(block_text)
            opened = marks.open_quote_start(sentence.start, sentence.start + len(sentence.text))
            if opened is not None:
                content_span = Span(sentence.block, opened, content_span.end, block_text)
        found.append(
            Attribution(
                sentence=sentence.index,
                cue=_span(Span, sentence, tokens, cue),
                source=_span(Span, sentence, tokens, source) if source else None,
                antecedent=_span(Span, sentence, tokens, antecedent) if antecedent else None,
                content=content_span,
                source_kind=kind,
                carried=carried,
                source_is_org=is_org,
                conjuncts=conjuncts,
            )
        )
    return found


def _without_leading_name(tokens: list[Token], cue: tuple[int, int]) -> tuple[int, int]:
    """A cue is a verb phrase: a capitalised word the tagger took into its start inside the
    sentence is the end of a name ("Mr Cherkasky forecast": the cue is "forecast"); a plural
    noun of a vague source it read as a verb ("…, reports say", "…, reports claim") is the
    subject of the verb of saying after it, which is the cue; so is a word after a determiner
    that opens a noun phrase (:func:`_opens_noun_phrase`: "a source familiar with the talks said",
    "The statement said": the cue is "said")."""
    start, end = cue
    while start > 0 and start < end - 1 and _is_name_word(tokens[start], False):
        start += 1
    verb = start + 1
    # Not a modifier the tagger read with a participle ("an earlier announced review", "the
    # previously expected", "under an earlier reported lawsuit"), nor a verb whose complement
    # follows ("forecast of", "expected to").
    noun = start > 0 and (tokens[start].lower in word_list("vague_source_heads") or (
        verb < end and _opens_noun_phrase(tokens, start - 1) and not tokens[start].lower.endswith(("ly", "ed"))
        and tokens[start].lower not in _time_phrase_words()
        and (verb + 1 >= len(tokens) or tokens[verb + 1].lower not in word_list("participle_complements"))))
    if noun and verb < len(tokens) and is_claim_verb(tokens[verb].lower) and not tokens[verb].lower.endswith("ing"):
        return verb, max(end, verb + 1)
    return start, end


def _opens_noun_phrase(tokens: list[Token], at: int) -> bool:
    """Whether a determiner at ``at`` opens a subject's noun phrase: opening the sentence, or after
    a mark or a preposition ("familiar with the talks", "issued after the talks"); not a verb's
    object ("approved the previously announced merger") nor after "above" ("above an earlier
    forecast")."""
    if tokens[at].lower not in _determiners():
        return False
    before = tokens[at - 1] if at else None
    return before is None or not before.text[0].isalnum() or before.lower in word_list("head_enders") \
        or before.lower in word_list("object_prepositions")


@functools.cache
def _determiners() -> frozenset[str]:
    return word_list("articles") | word_list("definite_determiners")


def _after_passive_infinitive(tokens: list[Token], cue: tuple[int, int]) -> tuple[int, int]:
    """"An official who asked not to be named said": a cue the tagger read as "named said" starts
    inside the passive infinitive that ends the relative clause ("to be named"); the cue is the
    verb of saying after it."""
    start, end = cue
    if end - start == 2 and start > 1 and tokens[start - 2].lower == "to" and tokens[start - 1].lower == "be" \
            and tokens[start].lower.endswith("ed") and is_claim_verb(tokens[start + 1].lower) \
            and not tokens[start + 1].lower.endswith("ing") and _in_relative_clause(tokens, start - 2):
        return start + 1, end
    return cue


def _in_relative_clause(tokens: list[Token], index: int) -> bool:
    """Whether a relative pronoun for people opens the clause token ``index`` is in, with no
    comma between ("who asked not to be named"; not "The men are expected to be charged")."""
    for token in reversed(tokens[:index]):
        if token.text == ",":
            return False
        if _is_relative_pronoun(token):
            return True
    return False


_WORDS = re.compile(r"[a-z]+")


def _may_report_claim(words: list[str]) -> bool:
    """Whether a sentence's (lower-case) words include one that can report a claim: a claim
    verb, "according", a verb with which it sources the figures of the sentence before
    ("announced"), one that names something ("calls"), or the verb of a claim phrase ("pointed
    out"; :func:`reports_claim` reads the phrase). Words already seen are remembered, each with its answer."""
    for word in words:
        known = _REPORTS_CLAIM.get(word)
        if known is None:
            base = lemma(word)
            known = (
                word == "according" or is_claim_verb(word) or base in word_list("following_source_cues")
                or base in word_list("naming_verbs")  # "what Acme calls a crisis" (sources._names_something)
                or word in claim_phrase_verbs()  # "pointed out that" (sources._states_claim_phrase)
            )
            if len(_REPORTS_CLAIM) < _REPORTS_CLAIM_LIMIT:  # text of endless new words must not grow it
                _REPORTS_CLAIM[word] = known
        if known:
            return True
    return False


#: word -> whether it can report a claim (see _may_report_claim); news reuses a small vocabulary.
_REPORTS_CLAIM: dict[str, bool] = {}
_REPORTS_CLAIM_LIMIT = 1 << 16


#: Marks inside "<…>" that make it markup ("<b>Jo Lind</b>"), not the wires' mark of a company.
_MARKUP = frozenset("</>")


class _Resolver:
    """Classifies sources, remembering the last named ones so that pronouns can be resolved."""

    def __init__(self, registry, common: frozenset[str] = frozenset(), surnames: frozenset[str] = frozenset(),
                 organisations: frozenset[str] = frozenset()) -> None:
        self.registry = registry
        #: words the document writes in lower case somewhere (see ``_source_kind``)
        self.common = common
        #: capitalised words the document uses in a full name ("Lee" of "Ann Lee")
        self.surnames = surnames
        #: names of several words the document uses as organisations' (:func:`names.organisation_names`)
        self.organisations = organisations
        #: pronoun class ("person", "group", "thing") -> the last named source of that class
        self.last_named: dict[str, tuple[str, bool]] = {}
        #: whether the last group that spoke was an unnamed one ("Dealers said … they said")
        self.last_group_vague = False

    def classify(self, tokens: list[Token], source: tuple[int, int], text: str) -> tuple[str, bool, bool]:
        """(kind, carried, is_org) of the source phrase ``tokens[source]``."""
        first, last = source
        phrase = text[tokens[first].start : tokens[last - 1].end]
        lowered = phrase.lower()
        if lowered in word_list("relative_pronouns"):
            antecedent = _bare_phrase_before(tokens, first - (first > 0 and tokens[first - 1].text == ","))
            if antecedent is None:
                return "vague", False, False
            first, last = antecedent
            phrase = text[tokens[first].start : tokens[last - 1].end]
        pronoun = word_pairs("pronoun_classes").get(lowered)
        if pronoun is not None:
            if pronoun == "person" and _has_full_name(tokens[:first]):
                # "Jane Roe visited the port, where she said …": the name is in this sentence.
                return "named", True, False
            if pronoun == "group" and lowered in word_list("unnamed_group_pronouns") and self.last_group_vague:
                return "vague", True, False  # "Brokers said … They said": still nobody in particular
            named = self.last_named.get(pronoun)
            if named is None:
                # "he", "she", "I" stand for someone the story introduced, even where the resolver
                # did not see who; a bare "they" or "it" may be nobody ("they say it will rain").
                return ("named", True, False) if pronoun == "person" else ("vague", False, False)
            return "named", True, pronoun != "person" and named[1]
        opens = _opens_sentence(tokens, first)
        # A plural for people alone opening the sentence, with an ending few surnames have
        # ("Correspondents say"), is a common noun, as one the story also writes in lower case is
        # ("Sanders said", "Economists for Fair Ports said" are judged by their names, as before).
        plural = opens and last - first == 1 and self._people_plural(tokens[first], word_list("nameless_people_endings"))
        common = self.common | {tokens[first].lower} if plural else self.common
        kind, is_org = _source_kind(tokens, (first, last), opens, common)
        if kind != "anonymous" and self._registered(tokens, (first, last), phrase):
            kind, is_org = "named", True
        if kind == "named" and not is_org:
            is_org = self._organisation_by_form(tokens[first:last], opens) or _described_as_organisation(tokens, first, last)
        if kind in ("vague", "named") and (is_org or phrase.endswith("s")):
            self.last_group_vague = kind == "vague"
        if kind == "named":
            is_plural = phrase.endswith("s") and not is_org
            self.last_named["group" if is_org or is_plural else "person"] = (phrase, is_org)
            if is_org:
                self.last_named["thing"] = (phrase, is_org)
        return kind, False, is_org

    def classify_conjuncts(self, tokens: list[Token], conjuncts: list[tuple[int, int]], text: str) -> list[tuple[str, bool]]:
        """(kind, is_org) of each coordinated name. Names listed together are alike: in a list
        of three or more where at least half are organisations, all are ("Paramount, Universal and
        Warner Brothers": lists of companies are far commoner in news than a person listed among
        them, "Acme, Zenith, Tarrow and Jo Lee", which this reads wrongly); the names of a pair
        are each what they read as ("Jo Lee and Acme")."""
        found = [self.classify(tokens, span, text)[::2] for span in conjuncts]
        if len(found) >= 3 and sum(is_org for _, is_org in found) * 2 >= len(found):
            found = [(kind, kind == "named" or is_org) for kind, is_org in found]
        return found

    def organisation_s_name(self, tokens: list[Token], span: tuple[int, int]) -> bool:
        """Whether a phrase is written elsewhere in the story as an organisation's name."""
        return " ".join(token.text for token in tokens[span[0]:span[1]]) in self.organisations

    def _people_plural(self, token: Token, endings: frozenset[str] | None = None) -> bool:
        """A plural for people by what they do ("Fishermen", "Bystanders"), by its ending (of
        ``endings``, else of lexicon ``people_noun_endings``), not a surname the story gave in full
        ("Ann Peters" makes "Peters" someone) nor an initialism. With lexicon
        ``nameless_people_endings``, only endings few surnames or place names have
        ("Correspondents", not "Sanders" or "Yemen")."""
        endings = word_list("people_noun_endings") if endings is None else endings
        return token.lower.endswith(tuple(endings)) and token.text not in self.surnames and not token.text.isupper()

    def _organisation_by_form(self, words: list[Token], sentence_start: bool = False) -> bool:
        """An unknown name that reads as an organisation rather than a person: "The Daily
        Courier", "The Tories", "<Harwick Trading>" (wire copy's mark of a company); a single
        name the story never gave as someone's surname ("Pellman said", with no "Ann Pellman"
        anywhere); an organisation speaking through an unnamed office holder ("A Norcastle
        spokesman", "a spokesman for Drexford")."""
        if _ends_in_legal_form(words):
            return True  # "Kelby de Tarrow, S.A.": the comma sets off no aside
        aside = _aside_start(words)
        if aside:
            # "Eric Lind, a strategist at Sovlink Securities": the name before the description
            # is what reads as a person or an organisation (the description is judged apart).
            words = words[:aside]
        if len(words) > 2 and words[0].text == "<" and words[-1].text == ">" \
                and not any(t.text in _MARKUP for t in words[1:-1]):
            return True  # "<Harwick Mutual Insurance Co>": the wires mark a company's name so
        names = [t for t in words if t.text[:1].isupper() and t.lower not in word_list("articles")]
        if not names:
            return False
        lowers = [t.lower for t in words]
        roles = word_list("spokesperson_roles")
        if any(word in roles for word in lowers):
            role = next(i for i, word in enumerate(lowers) if word in roles)
            spoken_for = [t for t in words[role + 1:] if t in names]
            if spoken_for and all(t.text in self.surnames for t in spoken_for):
                return False  # "A spokesman for Jo Lind": a person's spokesman, no organisation
            return lowers[0] in word_list("indefinite_articles") or (
                len(lowers) > 2 and lowers[1] in roles and lowers[2] in word_list("spokesperson_prepositions")
            )
        titled = len(words) > 2 and lowers[1] in word_list("abbreviated_titles") and words[2].text == "."
        if lowers[0] == "the" and not titled and all(t.text[:1].isupper() for t in words[1:] if t.text[:1].isalnum()) \
                and not (lowers[-1] in word_list("person_titles") and lowers[-1] in word_list("unique_roles")):
            # "The Daily Courier", "The Scottish Executive"; not "the Rev. Jo Lind", nor a title
            # that is one person's ("the President", "The Culture Secretary")
            return True
        if _described_name(words, sentence_start):
            return True  # "Swiss drugmaker Novartis", "market analysts Screen Digest"
        if len(names) > 1 and any(t.text == "&" for t in words):
            return True  # "Marks & Spencer", "Tarrow & Sons": people are not named with an ampersand
        if len(names) > 1 and names[-1] is words[-1]:
            # "Pell Hartley and Co": the coordinator counts as a word of the name
            texts = [t.text for t in words if t in names or t.lower in word_list("subject_coordinators")]
            # "Westpac Banking Corp", "Harwick Mfg Co": a name an organisation ends with; or "Krispy
            # Kreme", which the story uses as an organisation's name and never as a person's.
            if ends_organisation(texts) or " ".join(texts) in self.organisations:
                return True
        # A sentence's first word is capitalised anyway: "Speculation", "Organisers" written in
        # lower case elsewhere are common words, not names, as are plurals for people ("Bystanders").
        common_word = sentence_start and (names[0].lower in self.common or self._people_plural(names[0]))
        return (len(names) == 1 and len(words) == 1 and names[0].text not in self.surnames and not names[0].text.isupper()
                and not common_word)

    def _registered(self, tokens: list[Token], span: tuple[int, int], phrase: str) -> bool:
        """Whether a registry source makes up the phrase's head ("the wire service Reuters")."""
        head = _head(tokens[span[0]:span[1]])
        if head is None:
            return False
        offset = tokens[span[0]].start
        return any(m.start + offset <= head.start < m.end + offset for m in self.registry.find(phrase))


def _described_name(words: Sequence[Token], sentence_start: bool) -> bool:
    """Whether the name ending ``words`` follows a lower-case noun that describes it as an
    organisation (:func:`sources.describes_organisation`); a coordinated list ("analysts Jo Lind
    and Ann Lee") describes its people."""
    if any(token.lower in word_list("subject_coordinators") for token in words):
        return False
    name = len(list(itertools.takewhile(lambda token: token.text[:1].isupper(), reversed(words))))
    if name == len(words) and sentence_start and name > 1:
        name -= 1  # opening the sentence, the description is capitalised: "Bookmakers Ladwell said"
    if name == 0 or name == len(words):
        return False
    return described_by(words[-name - 1].text, sentence_start and name == len(words) - 1)


def _aside_start(words: Sequence[Token]) -> int | None:
    """Where an aside about the name before it opens among ``words``: at a comma, at a dash
    standing apart ("Harwick Bank – itself a target of the lawsuit – said") or at a relative
    pronoun for people with no comma before it ("Lin Tarrow who founded Portmere Bank")."""
    return next((i for i, token in enumerate(words) if token.text == "," or token.text in _DASHES
                 or (i and _is_relative_pronoun(token))), None)


def _described_as_organisation(tokens: list[Token], first: int, last: int) -> bool:
    """A name the sentence itself describes as an organisation: "Barclays, which owns …"
    (people take "who"), or an appositive with an organisation's head noun ("General Motors,
    the world's largest car maker")."""
    aside = _aside_start(tokens[first:min(last + 1, len(tokens))])
    if aside is None or first + aside + 1 >= len(tokens):
        return False
    opens = first + aside + (not _is_relative_pronoun(tokens[first + aside]))  # after a comma or dash
    opener = tokens[opens].lower
    if opener in word_list("relative_pronouns"):
        return opener not in word_list("person_relatives")
    # The head noun ends the description before any preposition or clause: in "a spokeswoman
    # for the Coalition" it is the person, in "a Hong Kong daily with links to Beijing", "the
    # holding company which controls half of it" and "the exchange that is trying to buy it" the
    # organisation. A head that may name a person by what they do ("a broker at X", "a developer
    # with Y") is the person's description when a preposition follows it.
    ends_head = word_list("object_prepositions") | word_list("relative_pronouns") | word_list("clause_complementisers")
    whole = tokens[opens:last]
    tail = list(itertools.takewhile(lambda token: token.lower not in ends_head, whole))
    if tail and len(tail) < len(whole) and _names_people_by_trade(tail[-1].lower):
        return False
    return len(tail) > 1 and opener in word_list("articles") and tail[-1].lower in word_list("organisation_heads")


def _span(span_type, sentence: Sentence, tokens: list[Token], span: tuple[int, int]) -> Span:
    start, end = tokens[span[0]].start, tokens[span[1] - 1].end
    return span_type(sentence.block, sentence.start + start, sentence.start + end, sentence.text, sentence.start)
