"""Provenance verdicts: for every attribution, figure, source mention and sentence, what the
analysis decided about where it comes from, which strategy decided it (the ``reason``) and how
sure the scorer is (``confidence``, 0-1).

Each decision is an ordered table of named strategies: the first that applies decides, and
its name is the verdict's reason. The checks only select verdicts by status; ``citelint
inspect`` prints the same verdicts, so what it shows is what the rules report.

Statuses
- attribution: named | vague | anonymous | agentless | refers-back | misread | no-claim
- figure: cited | named-source | next-sentence | vague-source | unlinked-document | first-hand | exempt |
  unsourced
- source mention: unlinked-source | linked | not-a-source | repeat
- sentence: unattributed-claim | no-claim | attributed | cited | quoted | question | heading | figure
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citelint.analysis.attributions import is_impersonal_phrase, phrase_head
from citelint.analysis.cues import CLOSE_QUOTES, STRAIGHT_QUOTES, lemma
from citelint.analysis.figures import (
    count_value,
    described_noun,
    measured_by_writer,
    names_product,
    recipe_quantity,
    relative_time,
)
from citelint.analysis.sources import SourceKeys, document_phrase, reports_claim
from citelint.document.model import TITLE_KINDS
from citelint.lexicons import alternation, word_list, word_pairs

if TYPE_CHECKING:
    from citelint.analysis import Analysis, Sentence
    from citelint.analysis.attributions import Attribution
    from citelint.analysis.sources import SourceMention


@dataclass(frozen=True, slots=True)
class Verdict:
    """One decision about one thing the analysis found."""

    #: what the verdict is about: attribution | figure | source | sentence
    subject: str
    #: index into the analysis list of that subject (``analysis.attributions``, ``.figures``, …)
    index: int
    status: str
    #: the strategy that decided, kebab-case
    reason: str
    #: the scorer's probability that an editor would flag it (1.0 for decisions no rule reports)
    confidence: float = 1.0
    #: what the decision rests on, when there is something to name (the vague source, the document)
    detail: str = ""


#: Statuses a rule may report, per subject: only these are scored.
REPORTABLE = {
    "attribution": frozenset({"vague", "anonymous", "agentless"}),
    "figure": frozenset({"unsourced", "vague-source", "unlinked-document"}),
    "source": frozenset({"unlinked-source"}),
    "sentence": frozenset({"unattributed-claim"}),
}
#: Reasons (strategies) that leave the decision to the scorer: below the threshold
#: cross-validation chose, the verdict takes its subject's REJECTED status.
SCORER_DECIDES = frozenset({"claim-scorer"})
REJECTED = {"attribution": "misread", "figure": "exempt", "source": "not-a-source", "sentence": "no-claim"}


# -- attributions ------------------------------------------------------------------------

#: Characters between a source and its cue beyond which the pairing is too unsure to report.
_MAX_SOURCE_CUE_GAP = 30
#: An unnamed group is a short noun phrase; a longer "source" is a misreading of the sentence.
_MAX_VAGUE_SOURCE_WORDS = 6
#: Words a trailing attribution may leave after its cue ("…, she said in a statement on Monday.").
_TRAILING_TAIL_WORDS = 6
_WORDS_OF = re.compile(r"[a-z]+").findall


# The patterns below are built from the lexicon's words at first use, never at import, so that a
# broken lexicon is reported as a configuration error. Each word list in them is followed by a
# space, a word boundary or the end of the text, so the order of its words does not matter.


@functools.cache
def _refers_back_pattern() -> re.Pattern[str]:
    """A pronoun, a definite singular description ("the 21-year-old", "our correspondent"), a
    counted group ("both companies", "the two leaders") or someone's people ("his lawyers",
    "her family"): a source phrase that refers back to a source already named."""
    pronouns = alternation(word_list("referring_pronouns"))
    determiners = alternation(word_list("back_reference_determiners"))
    numbers = alternation(word_list("counted_group_numbers"))
    possessives = alternation(word_list("people_possessives"))
    return re.compile(
        rf"^(?:(?:{pronouns})\b|(?:{determiners})\s+(?:[\w'’-]+\s+){{0,3}}[\w-]*[^s\W]$"
        rf"|(?:both|the\s+(?:{numbers}))\s+(?:[\w-]+\s+)?[a-z-]+$|(?:{possessives})\s+(?:[\w-]+\s+)?[a-z-]+$)",
        re.IGNORECASE,
    )


@functools.cache
def _definite_group() -> re.Pattern[str]:
    """"the researchers", "these officials": a definite group (its noun is group 1), specific
    when that noun came up before."""
    determiners = alternation(word_list("definite_group_determiners"))
    return re.compile(rf"^(?:{determiners})\s+(?:[\w-]+\s+)?([a-z-]+)$", re.IGNORECASE)


@functools.cache
def _preposition_before() -> re.Pattern[str]:
    """A preposition (and a determiner) just before a phrase, which makes it an object, not a
    speaker ("a letter to the council said")."""
    prepositions = alternation(word_list("object_prepositions"))
    determiners = alternation(word_list("object_determiners"))
    return re.compile(rf"\b(?:{prepositions})\s+(?:(?:{determiners})\s+)?$", re.IGNORECASE)


@functools.cache
def _comparison_before() -> re.Pattern[str]:
    """"than expected", "as had been forecast": a participle after these compares, it
    attributes nothing."""
    words = alternation(word_list("comparison_words"))
    auxiliaries = alternation(word_list("comparison_auxiliaries"))
    return re.compile(rf"\b(?:{words})\s+(?:(?:{auxiliaries})\s+)?$", re.IGNORECASE)


@functools.cache
def _participle_modifier_pattern() -> re.Pattern[str]:
    """"orders reported for the same period": a participle describing a noun, not someone
    reporting."""
    return re.compile(rf"^\s+(?:{alternation(word_list('modifier_prepositions'))})\b", re.IGNORECASE)


#: Characters other than ASCII letters that IGNORECASE matches to one ("ı" to "i", the Kelvin
#: sign to "k"), mapped to it, so that comparing words as text agrees with the regex.
_CASE_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u212a": "k", "\u017f": "s"})
_WORD_RUN = re.compile(r"\w+")


def _words(text: str) -> Iterator[tuple[str, int]]:
    """Each maximal run of word characters, case-folded, with where it ends: a whole-word,
    case-insensitive regex of ASCII letters matches exactly where one of these equals it."""
    for run in _WORD_RUN.finditer(text):
        word = run.group()
        yield (word.lower() if word.isascii() else word.translate(_CASE_FOLDS).lower()), run.end()


class _EarlierMentions:
    """Whether a word came up before a point of the document, answered from indexes built as
    the attributions are decided in order. Asked by regex per attribution, "was this group
    named before?" re-read every earlier attribution and paragraph: quadratic in a long story
    (issue 13). Words of ASCII letters (every group noun met so far) use the indexes; any
    other word is searched for as before."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        #: word key -> index of the first vague or anonymous attribution whose source holds it
        self._first_unnamed: dict[str, int] = {}
        self._unnamed_indexed = 0
        #: word key -> (block, end) of its first occurrence in the document's text
        self._first_in_text: dict[str, tuple[int, int]] = {}
        self._blocks_indexed = 0

    def unnamed_source_before(self, word: str, index: int) -> str | None:
        """The kind (vague or anonymous) of the first unnamed source before
        ``analysis.attributions[index]`` that has the word, in the singular or the plural
        ("Israeli officials said … The officials said", "sources said … the source added")."""
        attributions = self.analysis.attributions
        forms = {word, f"{word}s", word[:-1] if word.endswith("s") else word}
        if not _plain_word(word):
            nouns = [_whole_word(form) for form in forms]
            return next((earlier.source_kind for earlier in attributions[:index]
                         if earlier.source_kind in _UNNAMED and earlier.source is not None
                         and any(noun.search(earlier.source.text) for noun in nouns)), None)
        for position in range(self._unnamed_indexed, index):
            source = attributions[position].source
            if attributions[position].source_kind in _UNNAMED and source is not None:
                for word_key, _ in _words(source.text):
                    self._first_unnamed.setdefault(word_key, position)
        self._unnamed_indexed = max(self._unnamed_indexed, index)
        found = [self._first_unnamed[form.lower()] for form in forms if form.lower() in self._first_unnamed]
        first = min(found, default=None)
        return attributions[first].source_kind if first is not None and first < index else None

    def in_text_before(self, word: str, block: int, position: int) -> bool:
        """Whether the word is in the document's text before ``position`` of ``block``."""
        blocks = self.analysis.document.blocks
        if not _plain_word(word):
            noun = _whole_word(word)
            return any(noun.search(earlier.text) for earlier in blocks[:block]) or bool(
                noun.search(blocks[block].text, 0, position)
            )
        for indexed in range(self._blocks_indexed, block + 1):
            for word_key, end in _words(blocks[indexed].text):
                self._first_in_text.setdefault(word_key, (indexed, end))
        self._blocks_indexed = max(self._blocks_indexed, block + 1)
        first = self._first_in_text.get(word.lower())
        # A source starts a word, so no occurrence runs across ``position``.
        return first is not None and (first[0] < block or (first[0] == block and first[1] <= position))


#: The kinds of source nobody can identify: a later "the officials" refers back to them, and
#: is no more identified for it.
_UNNAMED = ("vague", "anonymous")


def _plain_word(word: str) -> bool:
    return word.isascii() and word.isalpha()


def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _AttributionContext:
    """What the attribution strategies read about one attribution."""

    analysis: Analysis
    attribution: Attribution
    in_sentence: Sequence[Attribution]
    #: the attribution's index in ``analysis.attributions``
    index: int
    earlier: _EarlierMentions

    @property
    def block_text(self) -> str:
        return self.analysis.document.blocks[self.attribution.cue.block].text


AttributionStrategy = Callable[[_AttributionContext], "str | None"]


def _in_heading(context: _AttributionContext) -> str | None:
    """Headings, titles and captions label the story; they make no claim a rule reports."""
    kind = context.analysis.sentences[context.attribution.sentence].kind
    return "no-claim" if kind in TITLE_KINDS else None


def _in_quote(context: _AttributionContext) -> str | None:
    """A cue inside a quotation is the quoted speaker's: whom they cite is theirs to name, not the
    story's ("\"Analysts said the fund was broke,\" Jo Lee said")."""
    cue = context.attribution.cue
    return "no-claim" if context.analysis.in_quote(cue.block, cue.start) else None


def _no_claim(context: _AttributionContext) -> str | None:
    return None if reports_claim(context.attribution) else "no-claim"


def _hearsay(context: _AttributionContext) -> str | None:
    """A hearsay adverb in the cue ("reportedly expressed fears", "allegedly failed"): the
    writer passes on what nobody in the story is named as saying, whoever the subject is."""
    words = context.attribution.cue_words
    return "agentless" if not _hearsay_adverbs().isdisjoint(words) else None


@functools.cache
def _hearsay_adverbs() -> frozenset[str]:
    """The one-word impersonal phrases of the lexicon ("reportedly", "allegedly")."""
    return frozenset(phrase for phrase in word_list("agentless_phrases") if " " not in phrase)


def _impersonal_phrase(context: _AttributionContext) -> str | None:
    """A cue that is one of the lexicon's impersonal phrases ("there has been speculation",
    "came under fire", "amid allegations"): a claim reported with no one making it, unless a
    named speaker reports it ("There were rumours of a bid, Jo Lind said")."""
    if not is_impersonal_phrase(context.attribution.cue.text):
        return None
    return "named" if _named_speaker_reports(context) else "agentless"


def _impersonal_it(context: _AttributionContext) -> str | None:
    """"it is forecast to drop", "it is thought that": a passive cue after a pronoun for a thing
    (or no one) puts the claim on nobody; the pronoun is what the claim is about."""
    source, words = context.attribution.source, context.attribution.cue_words
    if source is None or not words or source.text.lower() not in word_list("impersonal_pronouns"):
        return None
    passive = words[0] in word_list("be_forms") or words[0] in word_list("have_forms") and "been" in words
    return "agentless" if passive else None


def _named(context: _AttributionContext) -> str | None:
    return "named" if context.attribution.source_kind == "named" else None


def _carried(context: _AttributionContext) -> str | None:
    """A pronoun resolved to an earlier source: named, it refers back; an unnamed group stays
    unnamed ("Brokers said … They said")."""
    if not context.attribution.carried:
        return None
    return "vague" if context.attribution.source_kind == "vague" else "refers-back"


def _agentless(context: _AttributionContext) -> str | None:
    """"quoted X as saying" belongs to the named source; "was seen" in a film claims nothing."""
    if context.attribution.source_kind != "none":
        return None
    cue = context.attribution.cue
    if _named_speaker_reports(context):
        return "named"  # "X is considered the best player in the world, her coach said": the coach's view
    if _comparison_before().search(context.block_text, max(0, cue.start - 12), cue.start):
        return "no-claim"  # "further than expected", "as predicted": a comparison, not a claim
    words = context.attribution.cue_words
    return "agentless" if any(word in word_list("agentless_claims") for word in words) else "no-claim"


def _named_speaker_reports(context: _AttributionContext) -> bool:
    """Whether a named source of the sentence reports what an agentless cue says: its cue is
    next to it, or the cue lies in what the named source says (:func:`_speaks_for`)."""
    cue = context.attribution.cue
    sentence = context.analysis.sentences[context.attribution.sentence]
    return any(other.source_kind == "named" and (abs(other.cue.start - cue.end) <= _MAX_SOURCE_CUE_GAP
                                                 or _speaks_for(other, cue.start, sentence))
               for other in context.in_sentence if other is not context.attribution)


def _speaks_for(attribution: Attribution, position: int, sentence: Sentence) -> bool:
    """Whether an attribution reports what is said at ``position``: the position lies in its
    content after the cue, in the same clause ("He told reporters that prices are expected to
    rise"; not "He said the plant would close, but the mill is thought safe"), or in the content
    before a trailing one ("…, her coach said.", "…, she said on Monday.") when nothing but a time
    or place follows its cue ("…Reed said nothing about it" is no trailing attribution)."""
    content = attribution.content
    if not reports_claim(attribution) or content is None or not content.start <= position < content.end:
        return False
    if content.start >= attribution.cue.end:
        between = sentence.text[attribution.cue.end - sentence.start : position - sentence.start]
        return not _CLAUSE_BREAK.search(between) and word_list("coordinators").isdisjoint(_WORDS_OF(between.lower()))
    tail = _WORDS_OF(sentence.text[attribution.cue.end - sentence.start:].lower())
    return not tail or (tail[0] in _tail_openers() and len(tail) <= _TRAILING_TAIL_WORDS)


#: Punctuation that ends a clause within a sentence: what follows may be the writer's again.
_CLAUSE_BREAK = re.compile(r"[,;:—–()]")


@functools.cache
def _tail_openers() -> frozenset[str]:
    """Words that open what may follow a trailing attribution's cue: a time or a place ("on
    Monday", "in a statement"), looked up once, not united per call."""
    return word_list("time_leaders") | word_list("time_words") | word_list("object_prepositions")


def _refers_back(context: _AttributionContext) -> str | None:
    """The source is someone the story has already introduced (a pronoun, "the insurer")."""
    source = context.attribution.source
    if source is None:
        return None
    back_reference = _refers_back_pattern().match(source.text)
    group = _definite_group().match(source.text)
    if group is None:
        return "refers-back" if back_reference else None
    noun = group.group(1)
    unnamed = context.earlier.unnamed_source_before(noun, context.index)
    if unnamed is not None:
        # "Israeli officials said … The officials said", "sources said … the source added": still unnamed
        return unnamed
    if back_reference:
        return "refers-back"
    return "refers-back" if context.earlier.in_text_before(noun, source.block, source.start) else None


def _other_block(context: _AttributionContext) -> str | None:
    source = context.attribution.source
    return "misread" if source is None or source.block != context.attribution.cue.block else None


def _far_apart(context: _AttributionContext) -> str | None:
    """Source and cue far apart, unless a participle right after the same source vouches for
    the pairing ("Journalists attempting to reveal … have accused")."""
    source, cue = context.attribution.source, context.attribution.cue
    assert source is not None
    gap = cue.start - source.end if source.end <= cue.start else source.start - cue.end
    if gap <= _MAX_SOURCE_CUE_GAP:
        return None
    vouched = any(
        other.source == source and _last_cue_word(other).endswith("ing") and 0 <= other.cue.start - source.end <= 1
        and other.cue.end <= cue.start
        for other in context.in_sentence
    )
    return None if vouched else "misread"


def _last_cue_word(attribution: Attribution) -> str:
    return (attribution.cue_words or [""])[-1]


def _preposition_object(context: _AttributionContext) -> str | None:
    """A source before its cue that follows a preposition is an object, not the speaker."""
    source = context.attribution.source
    assert source is not None
    if source.end > context.attribution.cue.start:
        return None
    preposition = _preposition_before()
    before = preposition.search(context.block_text, max(0, source.start - 20), source.start)
    opener = before.group() if before else source.text.split(" ", 1)[0] + " "
    if opener.split()[0].lower() in word_list("absolute_prepositions") and _last_cue_word(context.attribution).endswith("ing"):
        return None  # "with many saying …": the group speaks in an absolute clause
    return "misread" if before or preposition.search(source.text.split(" ", 1)[0] + " ") else None


def _participle_modifier(context: _AttributionContext) -> str | None:
    cue = context.attribution.cue
    modifier = (cue.text.lower().endswith("ed") and " " not in cue.text
                and _participle_modifier_pattern().match(context.block_text, cue.end))
    return "misread" if modifier else None


def _not_a_group(context: _AttributionContext) -> str | None:
    """A "vague group" too long to be a noun phrase, opening with a word or mark no such phrase
    opens with ("amid continuing", "- they"), or a share of those polled ("61% said")."""
    source = context.attribution.source
    if context.attribution.source_kind != "vague" or source is None:
        return None
    words = source.text.split()
    first = words[0].lower()
    misread = (
        len(_group_words(words)) > _MAX_VAGUE_SOURCE_WORDS or not first[:1].isalnum() or first in word_list("not_group_openers")
        or any(char.isdigit() for char in source.text)
    )
    return "misread" if misread else None


def _group_words(words: list[str]) -> list[str]:
    """The words of a group's own noun phrase: those before an aside or a relative clause that
    describes it ("U.S. officials, who asked not to be named", "officials who attended the
    talks"), which makes the phrase no longer a misreading. The pronoun is written in lower case,
    as the attribution analysis reads it: "WHO" is no relative pronoun."""
    for index, word in enumerate(words):
        if index and (word in word_list("person_relatives") or words[index - 1].endswith(",")):
            return words[:index]
    return words


def _not_a_speaker(context: _AttributionContext) -> str | None:
    """A "vague group" whose head word names no people, group, organisation or document ("a
    pay deal agreed", "the minutes showed"): a thing read as a speaker, not a source."""
    source = context.attribution.source
    if context.attribution.source_kind != "vague" or source is None:
        return None
    partitive = _partitive_whole(source.text)
    if partitive is not None:
        # "one of the bidders", "two of them": the group it is taken from says who speaks.
        head = phrase_head(partitive)
        return None if head is None or _pronoun_phrase(partitive) or _names_speakers(head) else "misread"
    head = phrase_head(source.text)
    if head is None or _pronoun_phrase(source.text) or _one_of_them(context):
        return None  # a pronoun stands for someone: decided by what it refers to
    # "This confirms…", "That suggests…": a demonstrative stands for a fact, no one's claim.
    return None if _names_speakers(head) else "misread"


def _partitive_whole(phrase: str) -> str | None:
    """The group a partitive takes its speaker from ("one of the bidders" -> "the bidders", "two
    of them" -> "them"); None for any other phrase."""
    words = phrase.split()
    if len(words) >= 3 and words[1].lower() == "of" and (
            words[0].lower() in _lone_individuals() or words[0].lower() in word_list("counted_group_numbers")):
        return " ".join(words[2:])
    return None


@functools.cache
def _lone_individuals() -> frozenset[str]:
    """The words that stand alone for one person of a group ("one", "another"): the unnamed
    individual determiners that are no article."""
    return word_list("unnamed_individual_determiners") - word_list("articles")


def _one_of_them(context: _AttributionContext) -> bool:
    """"…,” said one." / "…, one added." / "…; one said" / "… and one said": "one" alone speaking
    after its cue, or after a quotation or clause, stands for someone of a group the story has in
    view; opening a sentence it may be a thing ("Two reports came out. One found …") or the
    writer's generic "one" ("One could argue")."""
    source, cue = context.attribution.source, context.attribution.cue
    assert source is not None
    if source.text.lower() not in _lone_individuals():
        return False
    if source.start > cue.start:
        return True  # "said one"
    before = source.within[:source.start - source.within_start].rstrip()
    if before.endswith((",", ";", ":", "—", "–", "-", *CLOSE_QUOTES, *STRAIGHT_QUOTES)):
        return True
    words = before.split()
    return bool(words) and words[-1].lower() in word_list("coordinators")  # "… and one said"


def _pronoun_phrase(phrase: str) -> bool:
    """A pronoun alone, or after words that only focus it ("Even they"), not a phrase ending in
    one ("Only last year she", "hearing him")."""
    *before, last = phrase.lower().split() or [""]
    return last in word_pairs("pronoun_classes") and all(word in word_list("focus_particles") for word in before)


@functools.cache
def _speaker_nouns() -> frozenset[str]:
    lists = ("vague_source_heads", "anonymous_source_heads", "people_words", "group_names", "document_nouns",
             "organisation_heads", "spokesperson_roles", "affiliated_roles", "unique_roles", "hearsay_nouns",
             "group_initialisms")
    return frozenset(word for name in lists for word in word_list(name))


def _names_speakers(word: str) -> bool:
    """Whether a head word, singular or plural, is one for people (listed, or by the ending of
    a noun for what people do), groups, organisations or documents."""
    nouns = _speaker_nouns()
    plural = word if word.endswith("s") else f"{word}s"
    endings = tuple(word_list("people_noun_endings"))
    # "fishermen" is a plural already: "fishermens" would end in no people ending.
    return word in nouns or plural in nouns or word[:-1] in nouns or plural.endswith(endings) or word.endswith(endings)


def _unnamed(context: _AttributionContext) -> str | None:
    return context.attribution.source_kind


#: The attribution strategies, in order: the first that returns a status decides.
ATTRIBUTION_STRATEGIES: tuple[tuple[str, AttributionStrategy], ...] = (
    ("in-heading", _in_heading),
    ("in-quote", _in_quote),
    ("hearsay-adverb", _hearsay),
    ("impersonal-phrase", _impersonal_phrase),
    ("cue-reports-no-claim", _no_claim),
    ("impersonal-pronoun", _impersonal_it),
    ("named-source", _named),
    ("pronoun-resolved", _carried),
    ("agentless-cue", _agentless),
    ("not-a-speaker", _not_a_speaker),
    ("refers-back", _refers_back),
    ("source-in-other-paragraph", _other_block),
    ("source-far-from-cue", _far_apart),
    ("preposition-object", _preposition_object),
    ("participle-modifier", _participle_modifier),
    ("not-a-group", _not_a_group),
    ("unnamed-source", _unnamed),
)


def decide(strategies, context) -> tuple[str, str]:
    """(status, reason) from the first strategy that decides."""
    for name, strategy in strategies:
        status = strategy(context)
        if status is not None:
            return status, name
    raise AssertionError("the last strategy of a table always decides")


def attribution_verdicts(analysis: Analysis) -> list[Verdict]:
    from citelint.analysis.scoring import score

    verdicts = []
    by_sentence = analysis.attributions_by_sentence
    earlier = _EarlierMentions(analysis)
    for index, attribution in enumerate(analysis.attributions):
        context = _AttributionContext(analysis, attribution, by_sentence.get(attribution.sentence, ()), index, earlier)
        status, reason = decide(ATTRIBUTION_STRATEGIES, context)
        detail = attribution.source.text if attribution.source else attribution.cue.text
        verdicts.append(Verdict("attribution", index, status, reason, 1.0, detail))
    return score(analysis, verdicts)


# -- figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FigurePolicy:
    """What the unsourced-figure rule's options change in the figure decision."""

    kinds: tuple[str, ...] = ("count", "percent", "money", "ratio", "fraction", "measure")
    include_quotes: bool = False
    paragraph_sources: bool = False
    skip_data_rows: bool = True
    small_counts: int = 10


_NUMERIC_TOKEN = re.compile(r"\d")


def looks_like_data(text: str) -> bool:
    """Mostly numbers and units: a table row or listing, not a sentence that makes a claim."""
    tokens = text.split()
    if not any(token.strip(".,;:()").isalpha() for token in tokens):
        return True  # a bare number on its own line ("38,153"): an attendance, a table cell
    numeric = sum(1 for token in tokens if _NUMERIC_TOKEN.search(token))
    data_words = word_list("data_row_words")
    data = numeric + sum(1 for token in tokens if token.strip(".,;:()").lower() in data_words)
    return numeric >= 2 and data >= 0.6 * len(tokens)


def cue_lemmas(attribution: Attribution) -> set[str]:
    return {lemma(word) for word in attribution.cue_words}


@dataclass(frozen=True)
class _FigureContext:
    """What the figure strategies read about one figure; each fact worked out once."""

    analysis: Analysis
    policy: FigurePolicy
    index: int

    @functools.cached_property
    def covering(self) -> Attribution | None:
        """The attribution that covers the figure, if one does."""
        figure = self.figure
        return covering_attribution(self.analysis, self.sentence, figure.start, figure.end)

    @property
    def covering_status(self) -> str | None:
        """The verdict status of the covering attribution."""
        if self.covering is None:
            return None
        return self.analysis.attribution_status(self.covering)

    @property
    def figure(self):
        return self.analysis.figures[self.index].figure

    @property
    def sentence(self) -> Sentence:
        return self.analysis.sentences[self.analysis.figures[self.index].sentence]

    @property
    def own(self) -> Sequence[Attribution]:
        return self.analysis.attributions_by_sentence.get(self.sentence.index, ())


def _figure_heading(context: _FigureContext) -> str | None:
    return "exempt" if context.sentence.kind in TITLE_KINDS else None


def _figure_kind(context: _FigureContext) -> str | None:
    return "exempt" if context.figure.kind not in context.policy.kinds else None


def _figure_cited(context: _FigureContext) -> str | None:
    return "cited" if context.analysis.sentence_links[context.sentence.index] else None


def _figure_quoted(context: _FigureContext) -> str | None:
    return "exempt" if context.figure.in_quote and not context.policy.include_quotes else None


def _small_count(context: _FigureContext) -> str | None:
    value = count_value(context.figure)
    small = value is not None and value <= context.policy.small_counts and context.figure.hedge is None
    return "exempt" if small else None


def _data_row(context: _FigureContext) -> str | None:
    return "exempt" if context.policy.skip_data_rows and context.sentence.index in context.analysis.data_rows else None


def _conversion(context: _FigureContext) -> str | None:
    """"£546m ($1.04bn)", "$200m (£104m; 151m euros)": the same sum in other currencies."""
    figure = context.figure
    if figure.kind != "money":
        return None
    text = context.sentence.text
    for item in context.analysis.figures_in_sentence(context.sentence.index):
        other = item.figure
        if other is figure or other.end > figure.start or other.kind != "money":
            continue
        between = text[other.end : figure.start]
        if between.strip() in ("(", ";", "/") or (";" in between and "(" in text[max(0, other.start - 30) : other.start]
                                                  and between.strip().startswith(";")):
            return "exempt"
    return None


def _names_product(context: _FigureContext) -> str | None:
    """"USB 3.2", "4K", "the 16-inch MacBook Pro": part of a product's, format's or standard's name."""
    text, figure = context.sentence.text, context.figure
    noun = described_noun(text, figure)
    return "exempt" if names_product(text, figure) or (noun is not None and noun[:1].isupper()) else None


def _specification(context: _FigureContext) -> str | None:
    """"a 176 hp engine", "a 6.1-inch screen": a specification describing a noun."""
    return "exempt" if described_noun(context.sentence.text, context.figure) is not None else None


def _recipe_quantity(context: _FigureContext) -> str | None:
    return "exempt" if recipe_quantity(context.sentence.text, context.figure) else None


def _relative_time(context: _FigureContext) -> str | None:
    return "exempt" if relative_time(context.sentence.text, context.figure) else None


def _measured_by_writer(context: _FigureContext) -> str | None:
    """"We measured 14 hours", "in our tests": the writer's own figure is its source."""
    return "first-hand" if measured_by_writer(context.sentence.text) else None


def _unlinked_document(context: _FigureContext) -> str | None:
    document = context.analysis.unlinked_documents.get(context.sentence.index)
    return "unlinked-document" if document is not None else None


def covering_attribution(analysis: Analysis, sentence: Sentence, start: int, end: int) -> Attribution | None:
    """The attribution whose content holds the span (sentence coordinates), else the
    sentence's named speaker, else the open-ended attribution nearest to it. A cue the verdicts
    judged misread has no speaker ("store sales showed a rise of 2.1%, the guild said") and
    covers nothing; a cue with no source at all gives way to the sentence's named speaker ("it is
    predicted that 3 million …, according to the Kelso Institute")."""
    absolute_start, absolute_end = sentence.start + start, sentence.start + end
    misread = REJECTED["attribution"]
    # "Sixty-six percent said …": a share of those polled is the figure, not its source.
    attributions = [
        a for a in analysis.attributions_by_sentence.get(sentence.index, ())
        if (a.source is None or not (a.source.start <= absolute_start and absolute_end <= a.source.end))
        and analysis.attribution_status(a) != misread
    ]
    # "…, Motorola says": a named speaker's sentence is theirs
    speaker = next((a for a in attributions
                    if a.source_kind == "named" and cue_lemmas(a) & word_list("sentence_cues")), None)

    def holds(attribution: Attribution) -> bool:
        content = attribution.content
        return (content is not None and content.block == sentence.block
                and content.start <= absolute_start and absolute_end <= content.end)

    for attribution in attributions:
        if holds(attribution):
            # "…, but Mayor Lee said repairs would start": her words are elsewhere in the sentence
            takes_over = speaker is not None and (speaker.content is None or holds(speaker))
            return speaker if attribution.source is None and takes_over else attribution
    if speaker is not None:
        return speaker
    open_ended = [a for a in attributions if a.content is None]
    if not open_ended:
        return None
    return min(open_ended, key=lambda a: abs(a.cue.start - absolute_start))


def _next_sentence(context: _FigureContext) -> str | None:
    """With no attribution of its own, a named source saying so in the next sentence of the
    paragraph covers the figure."""
    if not context.policy.paragraph_sources or context.own:
        return None
    analysis, following = context.analysis, context.sentence.index + 1
    if following >= len(analysis.sentences) or analysis.sentences[following].block != context.sentence.block:
        return None
    named_next = any(
        a.source_kind == "named" and cue_lemmas(a) & word_list("following_source_cues")
        for a in analysis.attributions_by_sentence.get(following, ())
    )
    return "next-sentence" if named_next else None


def _vague_covering(context: _FigureContext) -> str | None:
    return "vague-source" if context.covering_status in REPORTABLE["attribution"] else None


def _own_act(context: _FigureContext) -> str | None:
    """"The bank raised its rate to 4.75%": the named actor's own act, not a claim about it. An
    act with no one named doing it ("Reports have put the offer at 300p", "12% was released")
    is not an actor's own act."""
    named = context.covering is not None and context.covering.source_kind == "named"
    return "exempt" if named and context.covering_status == "no-claim" else None


def _document_covering(context: _FigureContext) -> str | None:
    """A document speaks for the figure ("according to a report by X", "Transport Department data
    showed", "the survey found"): it rests on that document, unlinked unless a source of the
    sentence is linked."""
    attribution, analysis = context.covering, context.analysis
    if attribution is None or attribution.source is None or context.covering_status not in ("named", "refers-back"):
        return None
    phrase = attribution.source.text
    if not document_phrase(phrase):
        return None
    words = phrase.split()
    if context.covering_status == "refers-back" or not any(word[:1].isupper() for word in words[1:]):
        # "the report found", naming no one: the report introduced before, unlinked only if nothing
        # before was linked (it may have been the report); "the paper said" is the newspaper.
        if words[-1].lower() in word_list("outlet_document_nouns") or analysis.first_linked_sentence < context.sentence.index:
            return None
    return None if context.sentence.index in analysis.sentences_with_linked_sources else "unlinked-document"


def _named_covering(context: _FigureContext) -> str | None:
    """A speaker covers the figure; an act nobody named does ("Reports have put …") names none,
    and neither does a misread attribution ("a pay deal agreed")."""
    return "named-source" if context.covering_status in ("named", "refers-back") else None


def _no_source(context: _FigureContext) -> str | None:
    return "unsourced"


FigureStrategy = Callable[[_FigureContext], "str | None"]

#: The figure strategies, in order: the first that returns a status decides.
FIGURE_STRATEGIES: tuple[tuple[str, FigureStrategy], ...] = (
    ("heading", _figure_heading),
    ("kind-not-reported", _figure_kind),
    ("cited-in-sentence", _figure_cited),
    ("in-quote", _figure_quoted),
    ("small-count", _small_count),
    ("data-row", _data_row),
    ("currency-conversion", _conversion),
    ("names-a-product", _names_product),
    ("specification", _specification),
    ("recipe-quantity", _recipe_quantity),
    ("relative-time", _relative_time),
    ("measured-by-writer", _measured_by_writer),
    ("unlinked-document", _unlinked_document),
    ("next-sentence-names-source", _next_sentence),
    ("vague-source", _vague_covering),
    ("actors-own-act", _own_act),
    ("document-source", _document_covering),
    ("named-source", _named_covering),
    ("no-source", _no_source),
)


def figure_verdicts(analysis: Analysis, policy: FigurePolicy) -> list[Verdict]:
    from citelint.analysis.scoring import score

    verdicts = []
    for index, item in enumerate(analysis.figures):
        context = _FigureContext(analysis, policy, index)
        status, reason = decide(FIGURE_STRATEGIES, context)
        detail = ""
        if reason == "unlinked-document":
            detail = analysis.unlinked_documents[item.sentence].name
        elif reason == "document-source":
            assert context.covering is not None and context.covering.source is not None
            detail = context.covering.source.text
        elif status == "vague-source":
            attribution = context.covering
            assert attribution is not None
            detail = attribution.source.text if attribution.source else attribution.cue.text
        elif status == "exempt" and reason == "kind-not-reported":
            reason = f"kind-not-reported:{item.figure.kind}"
        verdicts.append(Verdict("figure", index, status, reason, 1.0, detail))
    return score(analysis, verdicts)


# -- source mentions ---------------------------------------------------------------------


def source_verdicts(analysis: Analysis, published_only: bool = False) -> list[Verdict]:
    from citelint.analysis.scoring import score

    verdicts = []
    reported = SourceKeys()
    for index, mention in enumerate(analysis.source_mentions):
        status, reason = _source_status(analysis, mention, published_only, reported)
        reported.note(mention)
        verdicts.append(Verdict("source", index, status, reason, 1.0, mention.name))
    return score(analysis, verdicts)


def _source_status(analysis: Analysis, mention: SourceMention, published_only: bool, reported: SourceKeys) -> tuple[str, str]:
    if analysis.sentences[mention.sentence].kind in TITLE_KINDS:
        return "not-a-source", "heading"
    if not mention.used_as_source:
        return "not-a-source", mention.use
    if mention.linked:
        return "linked", mention.link_reason
    if published_only and not mention.published_work:
        return "not-a-source", "not-published-work"
    repeat = mention in reported
    reported.add(mention)  # a repeat may give the source another name ("Acme Trust (AT)")
    return ("repeat", "reported-at-first-use") if repeat else ("unlinked-source", mention.use)


# -- sentences ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimPolicy:
    """The claim markers of the unattributed-claim rule: regular expressions per category.
    A marker names the kind of claim; without a scorer, only a marked sentence is a claim."""

    evaluation: tuple[str, ...] = ()
    superlative: tuple[str, ...] = ()
    cause: tuple[str, ...] = ()
    generalisation: tuple[str, ...] = ()
    accusation: tuple[str, ...] = ()
    trend: tuple[str, ...] = ()


CLAIM_KINDS = ("evaluation", "superlative", "cause", "generalisation", "accusation", "trend")


@dataclass(frozen=True)
class _ClaimMatcher:
    """The claim markers of every category in one regex, one named group each, so a sentence
    is scanned once. A regex with no capital letter in it is also run without IGNORECASE on
    the lower-cased sentence, which is several times faster."""

    source: str
    lower_case: re.Pattern[str] | None

    @functools.cached_property
    def any_case(self) -> re.Pattern[str]:
        """Compiled on first use: with a lower-case regex it is needed only for the rare text
        whose lower-casing changes its length, and compiling the long alternation costs."""
        return re.compile(self.source, re.IGNORECASE)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.lower_case is not None:
            lowered = text.lower()
            if len(lowered) == len(text):  # offsets still line up
                return self.lower_case.finditer(lowered)
        return self.any_case.finditer(text)


@functools.lru_cache(maxsize=8)
def claim_matcher(policy: ClaimPolicy) -> _ClaimMatcher:
    from citelint.checks.base import compile_patterns

    groups = []
    for category in CLAIM_KINDS:
        patterns = getattr(policy, category)
        if patterns:
            groups.append(f"(?P<{category}>{compile_patterns(patterns, category).pattern})")
    # Every category's regex opens with \b (compile_patterns), so the \b is also tested once in
    # front of them all: the same matches, but positions inside words fail one test, not six.
    source = r"\b(?:" + "|".join(groups) + ")" if groups else r"(?!)"
    capitals = any(char.isupper() for char in source.replace("(?P<", ""))
    matcher = _ClaimMatcher(source, None if capitals else re.compile(source))
    if capitals:
        matcher.any_case  # noqa: B018 -- the only regex used: compile it now, where errors are expected
    return matcher


@functools.cache
def _first_person_view() -> re.Pattern[str]:
    """"I think …", "we still believe …", "in my view …": the writer owns the view (a column,
    a reader's letter)."""
    subjects = alternation(word_list("first_person_subjects"))
    adverbs = alternation(word_list("view_adverbs"))
    verbs = alternation(word_list("view_verbs"))
    nouns = alternation(word_list("view_nouns"))
    return re.compile(
        rf"\b(?:{subjects})\s+(?:(?:{adverbs})\s+)?(?:{verbs})\b|\bin\s+my\s+(?:{nouns})\b", re.IGNORECASE
    )


def attributes_position(attribution: Attribution, position: int) -> bool:
    """Whether the attribution speaks for the claim at ``position`` (block coordinates)."""
    content = attribution.content
    if content is None or cue_lemmas(attribution) & word_list("sentence_cues"):
        return True
    return content.start <= position < content.end or attribution.cue.start <= position < attribution.cue.end


def claim_marker(analysis: Analysis, sentence: Sentence, policy: ClaimPolicy) -> re.Match[str] | None:
    """The first claim marker of the sentence outside quoted speech and not spoken for by an
    attribution of the sentence."""
    attributions = [a for a in analysis.attributions_by_sentence.get(sentence.index, ()) if reports_claim(a)]
    for match in claim_matcher(policy).finditer(sentence.text):
        position = sentence.start + match.start()
        if analysis.in_quote(sentence.block, position):
            continue
        if not any(attributes_position(a, position) for a in attributions):
            return match
    return None


@dataclass(frozen=True)
class _SentenceContext:
    """What the claim strategies read about one sentence; each fact worked out once."""

    analysis: Analysis
    sentence: Sentence
    figure_sentences: frozenset[int]
    policy: ClaimPolicy

    @functools.cached_property
    def marker(self) -> re.Match[str] | None:
        """The claim marker, looked for only in sentences no earlier strategy exempted."""
        return claim_marker(self.analysis, self.sentence, self.policy)


def _sentence_heading(context: _SentenceContext) -> str | None:
    return "heading" if context.sentence.kind in TITLE_KINDS else None


def _sentence_cited(context: _SentenceContext) -> str | None:
    return "cited" if context.analysis.sentence_links[context.sentence.index] else None


def _sentence_question(context: _SentenceContext) -> str | None:
    return "question" if context.sentence.text.rstrip().endswith("?") else None


def _sentence_figure(context: _SentenceContext) -> str | None:
    """Without a scorer, one problem, one finding: unsourced-figure speaks for a sentence with a
    figure. The scorer judges such a sentence too (``figure_sentences`` is then empty): a cause, a
    ranking or an evaluation beside a figure is a claim of its own, which the guide marks as both
    rules, while a trend the figure carries is not; the scorer tells them apart (its ``figures=``
    feature)."""
    return "figure" if context.sentence.index in context.figure_sentences else None


def _sentence_quoted(context: _SentenceContext) -> str | None:
    """Mostly inside quoted speech (opened here or in an earlier sentence of the paragraph)."""
    sentence, analysis = context.sentence, context.analysis
    middle = sentence.start + len(sentence.text) // 2
    return "quoted" if analysis.in_quote(sentence.block, middle) else None


def _first_person(context: _SentenceContext) -> str | None:
    return "attributed" if _first_person_view().search(context.sentence.text) else None


def _sentence_over_long(context: _SentenceContext) -> str | None:
    """Too long to be prose: nothing in it was analysed (attributions, figures, sources), so
    it is not judged a claim; this verdict is where ``citelint inspect`` says so."""
    return "no-claim" if context.sentence.over_long else None


def _sentence_attributed(context: _SentenceContext) -> str | None:
    """An attribution that reports a claim speaks for the sentence's main clause."""
    sentence, analysis = context.sentence, context.analysis
    claims = [a for a in analysis.attributions_by_sentence.get(sentence.index, ())
              if reports_claim(a) and analysis.attribution_status(a) != REJECTED["attribution"]]
    if not claims:
        return None
    middle = sentence.start + len(sentence.text) // 2
    return "attributed" if any(attributes_position(a, middle) or a.content is None for a in claims) else None


def _claim(context: _SentenceContext) -> str | None:
    return "unattributed-claim" if context.marker is not None else "no-claim"


SentenceStrategy = Callable[[_SentenceContext], "str | None"]

#: The sentence strategies, in order. What none of them exempts is a claim when it carries a
#: claim marker; with a scorer, every such sentence is scored instead (``sentence_verdicts``).
SENTENCE_STRATEGIES: tuple[tuple[str, SentenceStrategy], ...] = (
    ("heading", _sentence_heading),
    ("cited-in-sentence", _sentence_cited),
    ("question", _sentence_question),
    ("has-figure", _sentence_figure),
    ("in-quote", _sentence_quoted),
    ("first-person-view", _first_person),
    ("over-long-sentence", _sentence_over_long),
    ("attribution", _sentence_attributed),
    ("claim-marker", _claim),
)


def sentence_verdicts(analysis: Analysis, policy: ClaimPolicy) -> list[Verdict]:
    """Every sentence's verdict. With a scorer, each sentence no strategy exempts is scored,
    marked or not: it is a claim when the scorer's confidence reaches its threshold."""
    from citelint.analysis.scoring import has_model, score

    scorer = has_model("sentence")
    figure_sentences = frozenset() if scorer else frozenset(
        item.sentence for item in analysis.figures if not item.figure.in_quote)
    verdicts = []
    for sentence in analysis.sentences:
        context = _SentenceContext(analysis, sentence, figure_sentences, policy)
        status, reason = decide(SENTENCE_STRATEGIES, context)
        marker = context.marker if reason == "claim-marker" else None
        if status == "no-claim" and reason == "claim-marker" and scorer:
            status, reason = "unattributed-claim", "claim-scorer"
        detail = f"{marker.lastgroup}: {marker.group()}" if marker is not None and marker.lastgroup else ""
        verdicts.append(Verdict("sentence", sentence.index, status, reason, 1.0, detail))
    return score(analysis, verdicts)


def reportable(verdicts: Sequence[Verdict], statuses: Sequence[str]) -> Iterator[Verdict]:
    wanted = set(statuses)
    return (verdict for verdict in verdicts if verdict.status in wanted)
