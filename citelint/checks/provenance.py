"""The provenance checks: who makes each claim, and can a reader trace it?

``vague-attribution``, ``unsourced-figure``, ``unlinked-source`` and
``unattributed-claim`` read the shared analyses (attributions, figures, source
mentions, citations); none re-scans the text for them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator

from citelint.analysis import Analysis, Sentence
from citelint.analysis.attributions import Attribution
from citelint.analysis.cues import lemma, word_list
from citelint.analysis.figures import count_value
from citelint.analysis.sources import reports_claim
from citelint.checks.base import Finding, compile_patterns
from citelint.document.model import TITLE_KINDS

_VAGUE_KINDS = ("vague", "anonymous", "none")


def _claim_sentences(analysis: Analysis) -> Iterator[Sentence]:
    """Sentences that can carry claims: prose that is not a heading, title or caption."""
    return (s for s in analysis.sentences if s.kind not in TITLE_KINDS)


# -- vague-attribution -----------------------------------------------------------------


@dataclass(frozen=True)
class VagueAttributionOptions:
    #: source kinds to report: vague (unnamed groups), anonymous (unnamed people), none (agentless)
    kinds: tuple[str, ...] = _VAGUE_KINDS
    #: a citation in the sentence lets the reader check the claim: do not report it
    skip_cited: bool = True


_VAGUE_ADVICE = {
    "vague": ("attributed to an unnamed group", "name who says so, or link the evidence"),
    "anonymous": ("attributed to an anonymous source", "name the source, or say why anonymity was granted"),
    "none": ("attributed to nobody", "say who holds this view, or link the evidence"),
}


def _agentless_claim(cue_text: str) -> bool:
    """Whether an agentless cue pins a claim on nobody ("it is believed", "is widely thought")."""
    return any(word in word_list("agentless_claims") for word in cue_text.lower().split())


#: A pronoun, a definite singular description ("the 21-year-old", "our correspondent"), a
#: counted group ("both companies", "the two leaders") or someone's people ("his lawyers",
#: "her family") refers back to a source already named.
_REFERS_BACK = re.compile(
    r"^(?:(?:he|she|it|they|we|i|who|which)\b|(?:the|this|that|our)\s+(?:[\w-]+\s+)?[\w-]*[^s\W]$"
    r"|(?:both|the\s+(?:two|three|four|five|six))\s+(?:[\w-]+\s+)?[a-z-]+$|(?:his|her|their)\s+(?:[\w-]+\s+)?[a-z-]+$)",
    re.IGNORECASE,
)
#: "the researchers", "these officials": a definite group, specific when its noun came up before.
_DEFINITE_GROUP = re.compile(r"^(?:the|these|those)\s+(?:[\w-]+\s+)?([a-z-]+)$", re.IGNORECASE)


def _refers_back(analysis: Analysis, attribution: Attribution) -> bool:
    """Whether the source is someone the story has already introduced."""
    source = attribution.source
    if source is None:
        return False
    if _REFERS_BACK.match(source.text):
        return True
    group = _DEFINITE_GROUP.match(source.text)
    if group is None:
        return False
    noun = re.compile(rf"\b{re.escape(group.group(1))}\b", re.IGNORECASE)
    blocks = analysis.document.blocks
    earlier = (block.text for block in blocks[: source.block])
    return any(noun.search(text) for text in earlier) or bool(noun.search(blocks[source.block].text, 0, source.start))


_DUMMY_SUBJECT = re.compile(r"(?:^|\s)((?:[Ii]t|[Tt]here)\s+)$")


#: Characters between a source and its cue beyond which the pairing is too unsure to report
#: ("Critics, who … for years, say" is rare; a clause between them is usually a misreading).
_MAX_SOURCE_CUE_GAP = 30


def _far_apart(attribution: Attribution, in_sentence) -> bool:
    source, cue = attribution.source, attribution.cue
    if source is None:
        return False
    gap = cue.start - source.end if source.end <= cue.start else source.start - cue.end
    if gap <= _MAX_SOURCE_CUE_GAP:
        return False
    # "Journalists attempting to reveal … have accused": a participle right after the same
    # source, between them, vouches for the pairing.
    return not any(
        other.source == source and other.cue.text.endswith("ing") and 0 <= other.cue.start - source.end <= 1
        and other.cue.end <= cue.start
        for other in in_sentence
    )


_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|to|with|for|before|from|at|in|by|among|near|about|on|over|after|during|than|into|through|"
    r"against|without|under)\s+(?:(?:the|a|an|its|their|his|her)\s+)?$",
    re.IGNORECASE,
)
#: "orders reported for the same period": a participle describing a noun, not someone reporting.
_PARTICIPLE_MODIFIER = re.compile(r"^\s+(?:for|in|on|at|during|over|since|from)\b", re.IGNORECASE)
#: An unnamed group is a short noun phrase; a longer "source" is a misreading of the sentence.
_MAX_VAGUE_SOURCE_WORDS = 6


def _preposition_object(attribution: Attribution, block_text: str) -> bool:
    """A source before its cue that follows a preposition is an object, not the speaker."""
    source = attribution.source
    if source is None or source.end > attribution.cue.start:
        return False
    return bool(
        _PREPOSITION_BEFORE.search(block_text, max(0, source.start - 20), source.start)
        or _PREPOSITION_BEFORE.search(source.text.split(" ", 1)[0] + " ")
    )


#: Words no noun phrase naming a group opens with: what the analysis took for a source
#: there is the end of another clause ("amid continuing …", "so far made no …").
_NOT_GROUP_OPENERS = frozenset("amid far that which than as when while because although if since unless so then you".split())


def _misread(attribution: Attribution, block_text: str) -> bool:
    """Shapes that are not someone making a claim: a participle modifying a noun ("orders
    reported for March"), a "vague group" too long to be a noun phrase or opening with a word
    no such phrase opens with, or a share of those polled ("61% said": the poll's finding)."""
    cue = attribution.cue
    if cue.text.lower().endswith("ed") and " " not in cue.text and _PARTICIPLE_MODIFIER.match(block_text, cue.end):
        return True
    source = attribution.source
    if attribution.source_kind != "vague" or source is None:
        return False
    return len(source.text.split()) > _MAX_VAGUE_SOURCE_WORDS or _not_a_group(source.text)


def _not_a_group(phrase: str) -> bool:
    """A "vague source" that is no group of people: it opens with a word no noun phrase opens
    with or with punctuation ("amid continuing", "- they"), or it is a share of those polled."""
    first = phrase.split()[0].lower()
    return not first[:1].isalnum() or first in _NOT_GROUP_OPENERS or any(char.isdigit() for char in phrase)


def unnamed_source(analysis: Analysis, attribution: Attribution, in_sentence) -> bool:
    """Whether the attribution really pins a claim on nobody in particular, as opposed to the
    analysis misreading the sentence. Shared by vague-attribution and unsourced-figure."""
    if attribution.source_kind not in _VAGUE_KINDS or attribution.carried or not reports_claim(attribution):
        return False
    if attribution.source_kind == "none":
        # "quoted X as saying" belongs to the named source; "was seen" in a film claims nothing.
        has_named = any(other.source_kind == "named" for other in in_sentence)
        return not has_named and _agentless_claim(attribution.cue.text)
    if _refers_back(analysis, attribution):
        return False  # "he added", "the insurer said": a source named earlier in the story
    block = attribution.cue.block
    if attribution.source is None or attribution.source.block != block or _far_apart(attribution, in_sentence):
        return False
    block_text = analysis.document.blocks[block].text
    # "chanted … in front of reporters, then accused": reporters are not the subject.
    return not _preposition_object(attribution, block_text) and not _misread(attribution, block_text)


def vague_attribution(analysis: Analysis, options: VagueAttributionOptions) -> Iterator[Finding]:
    links = analysis.sentence_links
    kinds = set(options.kinds)
    for sentence in _claim_sentences(analysis):
        if options.skip_cited and links[sentence.index]:
            continue
        attributions = analysis.attributions_by_sentence.get(sentence.index, ())
        for attribution in attributions:
            if attribution.source_kind not in kinds or not unnamed_source(analysis, attribution, attributions):
                continue
            spans = [attribution.cue] + ([attribution.source] if attribution.source else [])
            start = min(span.start for span in spans)
            end = max(span.end for span in spans)
            if attribution.source is None:
                # "It is thought": the dummy subject belongs to the agentless phrase.
                dummy = _DUMMY_SUBJECT.search(analysis.document.blocks[sentence.block].text, 0, start)
                start = dummy.start(1) if dummy else start
            offset, end_offset = analysis.source_span(sentence.block, start, end)
            what, fix = _VAGUE_ADVICE[attribution.source_kind]
            phrase = sentence.text[start - sentence.start : end - sentence.start]
            yield Finding(offset, end_offset, {"what": what, "phrase": phrase, "fix": fix}, sentence.text)


# -- unsourced-figure ------------------------------------------------------------------


@dataclass(frozen=True)
class UnsourcedFigureOptions:
    #: figure kinds to report (count, percent, money, ratio, fraction, measure, score); scores and
    #: votes ("voted 7-2") narrate the reported event and are off by default
    kinds: tuple[str, ...] = ("count", "percent", "money", "ratio", "fraction", "measure")
    #: report figures inside quoted speech too (a speaker's figure is theirs to source)
    include_quotes: bool = False
    #: a named source saying so in the next sentence of the paragraph covers the figures of a
    #: sentence with no attribution of its own
    paragraph_sources: bool = True
    #: skip rows of data (a results table run into text: "Net 1.2 mln vs 1.1 mln")
    skip_data_rows: bool = True
    #: bare counts up to this value, without a hedge, narrate ("admitted two charges", "up for
    #: nine awards") and are not reported; "at least 3" and "as many as 9" are estimates and are
    small_counts: int = 10


_NUMERIC_TOKEN = re.compile(r"\d")
_DATA_WORDS = frozenset(
    "mln bln million billion pct percent dlrs dlr cts stg pence vs shr net revs avg".split()
)


def _looks_like_data(text: str) -> bool:
    """Mostly numbers and units: a table row or listing, not a sentence that makes a claim."""
    tokens = text.split()
    if not any(token.strip(".,;:()").isalpha() for token in tokens):
        return True  # a bare number on its own line ("38,153"): an attendance, a table cell
    numeric = sum(1 for token in tokens if _NUMERIC_TOKEN.search(token))
    data = numeric + sum(1 for token in tokens if token.strip(".,;:()").lower() in _DATA_WORDS)
    return numeric >= 2 and data >= 0.6 * len(tokens)


def _covering_attribution(attributions: list[Attribution], sentence: Sentence, start: int, end: int) -> Attribution | None:
    """The attribution whose content holds the figure, else the sentence's closest one."""
    absolute_start, absolute_end = sentence.start + start, sentence.start + end
    for attribution in attributions:
        content = attribution.content
        if content is not None and content.block == sentence.block and content.start <= absolute_start and absolute_end <= content.end:
            return attribution
    for attribution in attributions:
        if attribution.source_kind == "named" and _cue_lemmas(attribution) & word_list("sentence_cues"):
            return attribution  # "…, Motorola says": a named speaker's sentence is theirs
    # Without a content span, the attribution nearest the figure is the best guess.
    open_ended = [a for a in attributions if a.content is None]
    if not open_ended:
        return None
    return min(open_ended, key=lambda a: abs(a.cue.start - absolute_start))


def _sourced_by_next(analysis: Analysis, sentence: Sentence) -> bool:
    """The next sentence, in the same paragraph, names who said so."""
    following = sentence.index + 1
    if following >= len(analysis.sentences) or analysis.sentences[following].block != sentence.block:
        return False
    return any(
        a.source_kind == "named" and _cue_lemmas(a) & word_list("following_source_cues")
        for a in analysis.attributions_by_sentence.get(following, ())
    )


def _cue_lemmas(attribution: Attribution) -> set[str]:
    return {lemma(word) for word in attribution.cue.text.lower().split()}


def unsourced_figure(analysis: Analysis, options: UnsourcedFigureOptions) -> Iterator[Finding]:
    links = analysis.sentence_links
    kinds = set(options.kinds)
    unlinked_documents = {
        mention.sentence: mention
        for mention in analysis.source_mentions
        if mention.used_as_source and mention.published_work and not mention.linked
    }
    by_sentence = analysis.attributions_by_sentence
    for item in analysis.figures:
        figure = item.figure
        sentence = analysis.sentences[item.sentence]
        if sentence.kind in TITLE_KINDS or figure.kind not in kinds or links[sentence.index]:
            continue
        if figure.in_quote and not options.include_quotes:
            continue
        value = count_value(figure)
        if value is not None and value <= options.small_counts and figure.hedge is None:
            continue
        if options.skip_data_rows and _looks_like_data(sentence.text):
            continue
        own = by_sentence.get(sentence.index, [])
        attribution = _covering_attribution(own, sentence, figure.start, figure.end)
        document = unlinked_documents.get(sentence.index)
        if document is not None:
            problem = f"rests on an unlinked source ('{document.name}'): link the report or data it comes from"
        elif attribution is None:
            if options.paragraph_sources and not own and _sourced_by_next(analysis, sentence):
                continue
            problem = "has no source: link the study or data, or name who counted or estimated it"
        elif unnamed_source(analysis, attribution, own):
            who = attribution.source.text if attribution.source else attribution.cue.text
            problem = f"rests on a vague source ('{who}'): name who estimated it and link their work"
        else:
            continue
        offset, end_offset = analysis.sentence_span(sentence, figure.start, figure.end)
        yield Finding(offset, end_offset, {"figure": figure.text, "problem": problem}, sentence.text)


# -- unlinked-source -------------------------------------------------------------------


@dataclass(frozen=True)
class UnlinkedSourceOptions:
    #: only report published work (reports, studies, outlets, journals), not statements
    published_only: bool = False


def unlinked_source(analysis: Analysis, options: UnlinkedSourceOptions) -> Iterator[Finding]:
    reported: set[str] = set()
    for mention in analysis.source_mentions:
        sentence = analysis.sentences[mention.sentence]
        if sentence.kind in TITLE_KINDS or not mention.used_as_source or mention.linked:
            continue
        if options.published_only and not mention.published_work:
            continue
        if mention.key in reported:
            continue
        reported.add(mention.key)
        domains = mention.entry.domains if mention.entry else ()
        hint = f" (e.g. {domains[0]})" if domains else ""
        offset, end_offset = analysis.sentence_span(sentence, mention.start, mention.end)
        yield Finding(offset, end_offset, {"name": mention.name, "hint": hint}, sentence.text)


# -- unattributed-claim ----------------------------------------------------------------


@dataclass(frozen=True)
class UnattributedClaimOptions:
    evaluation: tuple[str, ...] = ()
    superlative: tuple[str, ...] = ()
    cause: tuple[str, ...] = ()
    generalisation: tuple[str, ...] = ()
    accusation: tuple[str, ...] = ()
    trend: tuple[str, ...] = ()


_CLAIM_LABELS = {
    "evaluation": "a judgement",
    "superlative": "a superlative",
    "cause": "a cause or motive",
    "generalisation": "a sweeping generalisation",
    "accusation": "an accusation",
    "trend": "a trend",
}


@dataclass(frozen=True)
class _ClaimMatcher:
    """The claim markers of every category in one regex, one named group each, so a sentence
    is scanned once. A regex with no capital letter in it (no ``\\S``, no ``[A-Z]``) is also
    run without IGNORECASE on the lower-cased sentence, which is several times faster."""

    any_case: re.Pattern[str]
    lower_case: re.Pattern[str] | None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.lower_case is not None:
            lowered = text.lower()
            if len(lowered) == len(text):  # offsets still line up
                return self.lower_case.finditer(lowered)
        return self.any_case.finditer(text)


@functools.lru_cache(maxsize=8)
def _claim_pattern(options: UnattributedClaimOptions) -> _ClaimMatcher:
    groups = []
    for category in _CLAIM_LABELS:
        patterns = getattr(options, category)
        if patterns:
            inner = compile_patterns(patterns, category).pattern
            groups.append(f"(?P<{category}>{inner})")
    source = "|".join(groups) if groups else r"(?!)"
    capitals = any(char.isupper() for char in source.replace("(?P<", ""))
    lower_case = None if capitals else re.compile(source)
    return _ClaimMatcher(re.compile(source, re.IGNORECASE), lower_case)


#: "I think …", "in my view …": the writer owns the view (a column, a reader's letter).
_FIRST_PERSON_VIEW = re.compile(
    r"\b(?:I|we)\s+(?:really\s+|still\s+)?(?:think|believe|feel|reckon|suspect)\b|\bin\s+my\s+(?:view|opinion)\b",
    re.IGNORECASE,
)


def _attributes(attribution: Attribution, position: int) -> bool:
    """Whether the attribution speaks for the claim at ``position`` (block coordinates)."""
    content = attribution.content
    if content is None or _cue_lemmas(attribution) & word_list("sentence_cues"):
        return True
    return content.start <= position < content.end or attribution.cue.start <= position < attribution.cue.end


def unattributed_claim(analysis: Analysis, options: UnattributedClaimOptions) -> Iterator[Finding]:
    links = analysis.sentence_links
    attributed = analysis.attributions_by_sentence
    with_figure_finding = {item.sentence for item in analysis.figures if not item.figure.in_quote}
    pattern = _claim_pattern(options)
    for sentence in _claim_sentences(analysis):
        text = sentence.text
        if links[sentence.index] or text.rstrip().endswith("?"):
            continue
        if sentence.index in with_figure_finding:
            continue  # one problem, one finding: unsourced-figure speaks for this sentence
        attributions = [a for a in attributed.get(sentence.index, ()) if reports_claim(a)]

        def unattributed(match: re.Match[str]) -> bool:
            position = sentence.start + match.start()
            if analysis.in_quote(sentence.block, position) or _FIRST_PERSON_VIEW.search(text, 0, match.start()):
                return False
            return not any(_attributes(a, position) for a in attributions)

        match = next((m for m in pattern.finditer(text) if unattributed(m)), None)
        if match is not None:
            offset, end_offset = analysis.sentence_span(sentence, 0, len(text))
            yield Finding(
                offset, end_offset, {"claim": _CLAIM_LABELS[match.lastgroup], "marker": text[match.start() : match.end()]}, text
            )
