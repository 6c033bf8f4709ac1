"""Analyses computed once per document and shared by every check.

Each analysis is a lazily computed property of :class:`Analysis`, so a run that selects
only some rules pays only for what they read. Spans are in block-text coordinates
(``block``, ``start``, ``end``); ``Analysis.source_span`` turns them into file offsets.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from citelint.analysis.sentences import MAX_SENTENCE_CHARS, split_sentences
from citelint.document.model import TITLE_KINDS, Document, Link

if TYPE_CHECKING:
    from citelint.analysis.attributions import Attribution
    from citelint.analysis.figures import Figure, Spans
    from citelint.analysis.provenance import ClaimPolicy, FigurePolicy, Verdict
    from citelint.analysis.registry import Registry
    from citelint.analysis.sources import SourceMention
    from citelint.links import LinkResult


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of one block's text.

    The span does not hold a copy of its text: ``text`` is read on demand from ``within``,
    a text the span lies in (its block's or its sentence's) that starts at block offset
    ``within_start``. Spans of one sentence share that text, so an attribution's content,
    which can run to the end of a very long sentence, costs no more than its offsets.
    """

    block: int
    start: int
    end: int
    within: str = field(repr=False, compare=False)
    within_start: int = field(default=0, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.within[self.start - self.within_start : self.end - self.within_start]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the document: where it lies, and in which block."""

    index: int
    block: int
    start: int
    end: int
    text: str
    #: the block's kind (paragraph, heading, list_item, blockquote, table_cell, caption)
    kind: str

    @property
    def over_long(self) -> bool:
        """Too long to be prose: no attribution, figure or source is looked for in it, and the
        over-long-sentence strategy decides its verdict (citelint/analysis/provenance.py)."""
        return len(self.text) > MAX_SENTENCE_CHARS


@dataclass(frozen=True, slots=True)
class SentenceFigure:
    """A figure found in a sentence, with the sentence's index."""

    sentence: int
    figure: Figure

    @property
    def span(self) -> tuple[int, int]:
        return self.figure.start, self.figure.end


class Analysis:
    """The shared analyses of one document."""

    def __init__(
        self,
        document: Document,
        registry_factory: Callable[[], Registry] | None = None,
        link_results: dict[str, LinkResult] | None = None,
        claims_only: bool = False,
    ) -> None:
        self.document = document
        self._registry_factory = registry_factory
        #: URL -> result of the link check, when the run checks links (--check-links)
        self.link_results = link_results
        #: analyse attribution only in sentences a claim rule can use (a claim verb, "according",
        #: a figure): what linting needs; `inspect` and the benchmarks see every cue
        self.claims_only = claims_only
        self._quotes_by_block: dict[int, Spans] = {}
        self._verdicts: dict[object, list[Verdict]] = {}

    @cached_property
    def registry(self) -> Registry:
        """The source registry, loaded only when an analysis needs it."""
        if self._registry_factory is not None:
            return self._registry_factory()
        from citelint.analysis.registry import load_registry

        return load_registry()

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Sentences of every prose block, in document order."""
        sentences: list[Sentence] = []
        for block_index, block in self.document.prose_blocks():
            for start, end in split_sentences(block.text):
                sentences.append(
                    Sentence(len(sentences), block_index, start, end, block.text[start:end], block.kind)
                )
        return sentences

    @cached_property
    def story_positions(self) -> list[int]:
        """Each sentence's place among the story's prose: headings and captions are not counted,
        so a lead is 0 whether the title is a heading, a headline line or front matter (the
        scorers read how far into the story a sentence stands, and a headline is no place)."""
        positions, prose = [], 0
        for sentence in self.sentences:
            positions.append(prose)
            prose += sentence.kind not in TITLE_KINDS
        return positions

    @cached_property
    def sentence_links(self) -> list[list[Link]]:
        """The citations of each sentence: links inside it, and a link or footnote reference
        standing right after its final punctuation (before the next sentence starts)."""
        by_sentence: list[list[Link]] = [[] for _ in self.sentences]
        in_block: dict[int, list[Sentence]] = {}
        for sentence in self.sentences:
            in_block.setdefault(sentence.block, []).append(sentence)
        # A block's sentences are in order and apart, so the only one a link can be in is the
        # last starting at or before it: one binary search per link, not a pass over the
        # block (a one-paragraph page of many links made that quadratic).
        starts = {block: [sentence.start for sentence in sentences] for block, sentences in in_block.items()}
        for link in self.document.links:
            sentences = in_block.get(link.block) if link.block is not None else None
            if not sentences:
                continue
            after = bisect.bisect_right(starts[sentences[0].block], link.start)
            holder = sentences[after - 1] if after else None
            if holder is not None and (
                link.start < holder.end or (link.start == holder.end and link.end == link.start)
            ):
                by_sentence[holder.index].append(link)
            elif after < len(sentences):
                # Between two sentences: a citation right after the previous one belongs to it.
                if sentences[after].index > 0:
                    by_sentence[sentences[after].index - 1].append(link)
            else:
                by_sentence[sentences[-1].index].append(link)
        return by_sentence

    @cached_property
    def attributions(self) -> list[Attribution]:
        from citelint.analysis.attributions import find_attributions

        return find_attributions(self)

    @cached_property
    def attribution_position(self) -> dict[Attribution, int]:
        """Attribution -> its index in ``attributions`` (the first, as ``list.index`` gives),
        so a verdict is found without scanning the list."""
        positions: dict[Attribution, int] = {}
        for index, attribution in enumerate(self.attributions):
            positions.setdefault(attribution, index)
        return positions

    @cached_property
    def attributions_by_sentence(self) -> dict[int, list[Attribution]]:
        grouped: dict[int, list[Attribution]] = {}
        for attribution in self.attributions:
            grouped.setdefault(attribution.sentence, []).append(attribution)
        return grouped

    @cached_property
    def figures(self) -> list[SentenceFigure]:
        from citelint.analysis.figures import find_figures

        found: list[SentenceFigure] = []
        for sentence in self.sentences:
            if sentence.over_long:
                continue  # decided by the over-long-sentence strategy alone (provenance.py)
            for figure in find_figures(sentence.text):
                if not figure.in_quote and self.in_quote(sentence.block, sentence.start + figure.start):
                    figure = replace(figure, in_quote=True)  # a quotation opened in an earlier sentence
                found.append(SentenceFigure(sentence.index, figure))
        return found

    @cached_property
    def _figures_by_sentence(self) -> dict[int, list[SentenceFigure]]:
        grouped: dict[int, list[SentenceFigure]] = {}
        for item in self.figures:
            grouped.setdefault(item.sentence, []).append(item)
        return grouped

    def figures_in_sentence(self, sentence: int) -> list[SentenceFigure]:
        return self._figures_by_sentence.get(sentence, [])

    @cached_property
    def data_rows(self) -> frozenset[int]:
        """The sentences with figures that read as data (a table row, a listing), judged once
        per sentence: asked per figure, a long row of numbers was read once for each of them."""
        from citelint.analysis.provenance import looks_like_data

        return frozenset(index for index in self._figures_by_sentence if looks_like_data(self.sentences[index].text))

    def in_quote(self, block: int, position: int) -> bool:
        """Whether a position in a block's text is inside quoted speech; the quotation may
        have opened in an earlier sentence of the paragraph (“First. Second.”)."""
        from citelint.analysis.figures import quoted_spans

        spans = self._quotes_by_block.get(block)
        if spans is None:
            spans = self._quotes_by_block[block] = quoted_spans(self.document.blocks[block].text)
        return spans.contains(position)

    @cached_property
    def source_mentions(self) -> list[SourceMention]:
        from citelint.analysis.sources import find_source_mentions

        return find_source_mentions(self)

    @cached_property
    def unlinked_documents(self) -> dict[int, SourceMention]:
        """Sentence index -> the unlinked document it rests on ("a study by X", "X's survey",
        "figures from X"); an organisation, outlet included, that states a figure is its source."""
        return {
            mention.sentence: mention
            for mention in self.source_mentions
            if mention.use == "document-owned" and not mention.linked
        }

    @cached_property
    def sentences_with_linked_sources(self) -> frozenset[int]:
        """Sentence indices holding a source mention that is linked (there or earlier)."""
        return frozenset(mention.sentence for mention in self.source_mentions if mention.linked)

    @cached_property
    def first_linked_sentence(self) -> int:
        """Index of the first sentence that holds a link; the sentence count when none does."""
        return next((index for index, links in enumerate(self.sentence_links) if links), len(self.sentences))

    # -- verdicts (citelint/analysis/provenance.py): what each rule may report, and why ----

    @cached_property
    def attribution_verdicts(self) -> list[Verdict]:
        from citelint.analysis.provenance import attribution_verdicts

        return attribution_verdicts(self)

    def attribution_status(self, attribution: Attribution) -> str:
        """The status of one attribution's verdict ("named", "vague", "misread", …)."""
        return self.attribution_verdicts[self.attribution_position[attribution]].status

    @cached_property
    def lead_attribution(self) -> Attribution | None:
        """The first attribution with a speaker in the story's first two sentences of prose
        (headings and captions are no lead; a misread cue has no speaker): a wire story that
        opens "Acme Corp said …" is Acme's statement throughout. Once per document, as the figure
        scorer asks for it at every figure."""
        from citelint.analysis.provenance import REJECTED

        lead = itertools.islice((sentence for sentence in self.sentences if sentence.kind not in TITLE_KINDS), 2)
        return next((attribution for sentence in lead for attribution in self.attributions_by_sentence.get(sentence.index, ())
                     if self.attribution_status(attribution) != REJECTED["attribution"]),
                    None)

    def figure_verdicts(self, policy: FigurePolicy) -> list[Verdict]:
        from citelint.analysis.provenance import figure_verdicts

        return self._cached_verdicts(policy, lambda: figure_verdicts(self, policy))

    def source_verdicts(self, published_only: bool = False) -> list[Verdict]:
        from citelint.analysis.provenance import source_verdicts

        return self._cached_verdicts(("source", published_only), lambda: source_verdicts(self, published_only))

    def sentence_verdicts(self, policy: ClaimPolicy) -> list[Verdict]:
        from citelint.analysis.provenance import sentence_verdicts

        return self._cached_verdicts(policy, lambda: sentence_verdicts(self, policy))

    def computed_verdicts(self) -> dict[str, list[Verdict]]:
        """subject -> the verdicts computed so far (by the checks that ran), for ``inspect``."""
        found: dict[str, list[Verdict]] = {}
        if "attribution_verdicts" in self.__dict__:
            found["attribution"] = self.attribution_verdicts
        for verdicts in self._verdicts.values():
            if verdicts:
                found.setdefault(verdicts[0].subject, verdicts)
        return found

    def _cached_verdicts(self, key: object, compute: Callable[[], list[Verdict]]) -> list[Verdict]:
        if key not in self._verdicts:
            self._verdicts[key] = compute()
        return self._verdicts[key]

    def source_span(self, block: int, start: int, end: int) -> tuple[int, int]:
        """File offsets of a span of block text."""
        return self.document.blocks[block].source_span(start, end)

    def sentence_span(self, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
        """File offsets of a span given relative to a sentence's text."""
        return self.source_span(sentence.block, sentence.start + start, sentence.start + end)
