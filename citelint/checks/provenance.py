"""The provenance check kinds: each selects verdicts of the provenance analysis by status.

The decisions (is this source vague? is this figure sourced? is this sentence a strong claim?)
are made once, in ``citelint/analysis/provenance.py``, and named there; these checks only
choose which statuses their rule reports and word the finding. A new rule over the same
verdicts (say, ``anonymous-source``) is one YAML file: ``check: attribution`` with
``statuses: [anonymous]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import TypeVar

from citelint.analysis import Analysis
from citelint.analysis.provenance import ClaimPolicy, FigurePolicy, Verdict, reportable
from citelint.checks.base import Finding
from citelint.lexicons import word_list

_Policy = TypeVar("_Policy", FigurePolicy, ClaimPolicy)

# -- check: attribution ------------------------------------------------------------------


@dataclass(frozen=True)
class AttributionOptions:
    """The options of ``check: attribution``."""

    #: attribution statuses to report: vague (unnamed groups), anonymous (unnamed people),
    #: agentless (nobody: "it is believed")
    statuses: tuple[str, ...] = ("vague", "anonymous", "agentless")
    #: a citation in the sentence lets the reader check the claim: do not report it
    skip_cited: bool = True


_VAGUE_ADVICE = {
    "vague": ("attributed to an unnamed group", "name who says so, or link the evidence"),
    "anonymous": ("attributed to an anonymous source", "name the source, or say why anonymity was granted"),
    "agentless": ("attributed to nobody", "say who holds this view, or link the evidence"),
}


def attribution(analysis: Analysis, options: AttributionOptions) -> Iterator[Finding]:
    links = analysis.sentence_links
    for verdict in reportable(analysis.attribution_verdicts, options.statuses):
        item = analysis.attributions[verdict.index]
        sentence = analysis.sentences[item.sentence]
        if options.skip_cited and links[sentence.index]:
            continue
        spans = [item.cue] + ([item.source] if item.source else [])
        start, end = min(span.start for span in spans), max(span.end for span in spans)
        if item.source is None:
            start = _dummy_subject_start(analysis.document.blocks[sentence.block].text, start)
        offset, end_offset = analysis.source_span(sentence.block, start, end)
        what, fix = _VAGUE_ADVICE.get(verdict.status, _VAGUE_ADVICE["vague"])
        phrase = sentence.text[start - sentence.start : end - sentence.start]
        yield _finding(offset, end_offset, {"what": what, "phrase": phrase, "fix": fix}, sentence.text, verdict)


def _dummy_subject_start(block_text: str, start: int) -> int:
    """ "It is thought": the dummy subject belongs to the agentless phrase."""
    before = block_text[max(0, start - 7) : start]
    for dummy in ("It ", "it ", "There ", "there "):
        if before.endswith(dummy):
            return start - len(dummy)
    return start


# -- check: figure -----------------------------------------------------------------------


@dataclass(frozen=True)
class FigureOptions(FigurePolicy):
    """The options of ``check: figure``: the figure policy, and what to report."""

    #: figure statuses to report
    statuses: tuple[str, ...] = ("unsourced", "vague-source", "unlinked-document")
    #: a figure set against another ("rose 2% to $11bn from $10bn", "46 percent to 32 percent")
    #: is one claim: one finding over the pair, as likely as its likeliest figure
    join_pairs: bool = True


_FIGURE_PROBLEMS = {
    "unlinked-document": "rests on an unlinked source ('{detail}'): link the report or data it comes from",
    "vague-source": "rests on a vague source ('{detail}'): name who estimated it and link their work",
    "unsourced": "has no source: link the study or data, or name who counted or estimated it",
}


def _policy(policy_type: type[_Policy], options: object) -> _Policy:
    """The analysis policy part of a check's options (the options add only ``statuses``)."""
    return policy_type(**{f.name: getattr(options, f.name) for f in fields(policy_type)})


def figure(analysis: Analysis, options: FigureOptions) -> Iterator[Finding]:
    policy = _policy(FigurePolicy, options)
    for pair in _figure_pairs(analysis, list(reportable(analysis.figure_verdicts(policy), options.statuses)),
                              options.join_pairs):
        verdict = max(pair, key=lambda member: member.confidence)  # the first of equals
        first, last = analysis.figures[pair[0].index], analysis.figures[pair[-1].index]
        sentence = analysis.sentences[first.sentence]
        problem = _FIGURE_PROBLEMS[verdict.status].format(detail=verdict.detail)
        offset, end_offset = analysis.sentence_span(sentence, first.figure.start, last.figure.end)
        text = sentence.text[first.figure.start:last.figure.end]
        yield _finding(offset, end_offset, {"figure": text, "problem": problem}, sentence.text, verdict)


def _figure_pairs(analysis: Analysis, verdicts: list[Verdict], join: bool) -> Iterator[list[Verdict]]:
    """The reported figures, each alone or, with ``join``, run together with the next one of its
    sentence when only a connective stands between them ("to", "from", "compared with", "vs")."""
    run: list[Verdict] = []
    for verdict in verdicts:
        if run and join and set_against(analysis, run[-1], verdict):
            run.append(verdict)
            continue
        if run:
            yield run
        run = [verdict]
    if run:
        yield run


def set_against(analysis: Analysis, earlier: Verdict, later: Verdict) -> bool:
    """Whether figure ``later`` is set against figure ``earlier``: next in its sentence with only a
    connective between ("rose 2% to $11bn", "$5bn, up from $4bn"), and the same kind of quantity
    unless neither is a count ("gave £5m to 200 schools" and "fell to 4.1% and 12,000 jobs were
    added" are two claims each). "and" joins only a range ("between £30m and £45m")."""
    before, after = analysis.figures[earlier.index], analysis.figures[later.index]
    if before.sentence != after.sentence or after.figure.start < before.figure.end:
        return False
    if before.figure.kind != after.figure.kind and "count" in (before.figure.kind, after.figure.kind):
        return False
    text = analysis.sentences[before.sentence].text
    connective = text[before.figure.end:after.figure.start].strip().removeprefix(",").strip().lower()
    if connective in word_list("figure_range_joiners"):
        opening = text[:before.figure.start].split()
        return bool(opening) and opening[-1].lower() in word_list("figure_range_openers")
    return connective in word_list("figure_pair_connectives")


# -- check: source-mention ---------------------------------------------------------------


@dataclass(frozen=True)
class SourceMentionOptions:
    """The options of ``check: source-mention``."""

    #: only report published work (reports, studies, outlets, journals), not statements
    published_only: bool = False
    statuses: tuple[str, ...] = ("unlinked-source",)


def source_mention(analysis: Analysis, options: SourceMentionOptions) -> Iterator[Finding]:
    for verdict in reportable(analysis.source_verdicts(options.published_only), options.statuses):
        mention = analysis.source_mentions[verdict.index]
        sentence = analysis.sentences[mention.sentence]
        domains = mention.entry.domains if mention.entry else ()
        hint = f" (e.g. {domains[0]})" if domains else ""
        offset, end_offset = analysis.sentence_span(sentence, mention.start, mention.end)
        yield _finding(offset, end_offset, {"name": mention.name, "hint": hint}, sentence.text, verdict)


# -- check: claim ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimOptions(ClaimPolicy):
    """The options of ``check: claim``: the claim policy, and what to report."""

    statuses: tuple[str, ...] = ("unattributed-claim",)


_CLAIM_LABELS = {
    "evaluation": "a judgement",
    "superlative": "a superlative",
    "cause": "a cause or motive",
    "generalisation": "a sweeping generalisation",
    "accusation": "an accusation",
    "trend": "a trend",
}


def claim(analysis: Analysis, options: ClaimOptions) -> Iterator[Finding]:
    policy = _policy(ClaimPolicy, options)
    for verdict in reportable(analysis.sentence_verdicts(policy), options.statuses):
        sentence = analysis.sentences[verdict.index]
        kind, _, marker = verdict.detail.partition(": ")
        claim_text = f"{_CLAIM_LABELS[kind]} ('{marker}')" if marker else "a strong claim"
        offset, end_offset = analysis.sentence_span(sentence, 0, len(sentence.text))
        yield _finding(offset, end_offset, {"claim": claim_text}, sentence.text, verdict)


def _finding(offset: int, end_offset: int, values: dict, context: str, verdict: Verdict) -> Finding:
    return Finding(offset, end_offset, values, context, verdict)
