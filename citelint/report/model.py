"""What a provenance report shows, read from the analysis lint builds for each article.

Everything here is plain data (no HTML): the templates decide how it looks, and escape it.
Offsets are file offsets into the article's source, like the findings'.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from citelint.analysis import Analysis, Span
from citelint.analysis.provenance import FigurePolicy, Verdict
from citelint.diagnostics import Diagnostic, LineIndex

#: The kinds of source an attribution can have (an agentless one, "it is believed", has none).
SOURCE_KINDS = ("named", "vague", "anonymous", "agentless")
#: What a claim rests on, best first. A claim is a sentence with an attribution, a figure that
#: is not exempt, or a strong claim the unattributed-claim rule judged.
BASES = ("linked", "named", "vague", "anonymous", "agentless", "unattributed")
BASIS_LABELS = {
    "linked": "a named source with a link",
    "named": "a named source, unlinked",
    "vague": "a vague source",
    "anonymous": "an anonymous source",
    "agentless": "no one (agentless)",
    "unattributed": "nothing (unattributed)",
}
#: Bases that count as attributed to someone, and those that count as weak.
ATTRIBUTED = frozenset({"linked", "named", "vague", "anonymous"})
WEAK = frozenset({"vague", "anonymous", "agentless"})
#: The basis a figure's verdict gives its sentence (statuses not listed make no claim).
_FIGURE_BASIS = {
    "cited": "linked",
    "named-source": "named",
    "unlinked-document": "named",
    "vague-source": "vague",
    "unsourced": "unattributed",
}
#: Finding states: still to fix, known to the baseline, or hidden by a suppression comment.
NEW, BASELINED, SUPPRESSED = "new", "baselined", "suppressed"
_EXCERPT = 240


@dataclass
class Finding:
    """A finding placed in the article, with what the report says about it."""

    number: int
    diagnostic: Diagnostic
    state: str = NEW

    @property
    def anchor(self) -> str:
        return f"f{self.number}"


@dataclass
class AttributionRow:
    line: int
    source: str
    cue: str
    content: str
    kind: str
    carried: bool
    linked: bool


@dataclass
class SourceRow:
    name: str
    kind: str
    linked: bool
    claims: int = 0


@dataclass
class FigureRow:
    line: int
    text: str
    status: str
    reason: str
    detail: str


@dataclass
class ScoreCard:
    claims: int = 0
    bases: Counter[str] = field(default_factory=Counter)

    def share(self, bases: frozenset[str] | tuple[str, ...]) -> float:
        return sum(self.bases[basis] for basis in bases) / self.claims if self.claims else 0.0

    @property
    def attributed(self) -> float:
        return self.share(ATTRIBUTED)

    @property
    def named_and_linked(self) -> float:
        return self.share(("linked",))

    @property
    def weak(self) -> float:
        return self.share(WEAK)


@dataclass
class ArticleReport:
    path: str
    number: int
    source: str = ""
    #: whether the analysis finished (not when the file was unreadable or over its budget)
    analysed: bool = False
    findings: list[Finding] = field(default_factory=list)
    attributions: list[AttributionRow] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    figures: list[FigureRow] = field(default_factory=list)
    score: ScoreCard = field(default_factory=ScoreCard)
    notes: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"a{self.number}"

    def count(self, state: str) -> int:
        return sum(1 for finding in self.findings if finding.state == state)

    @property
    def open_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.state == NEW]

    def rules(self, state: str = NEW) -> Counter[str]:
        return Counter(finding.diagnostic.rule for finding in self.findings if finding.state == state)

    def worst_first(self) -> tuple:
        """Sort key: most open findings, then errors, then the least named-and-linked sourcing."""
        errors = sum(1 for finding in self.open_findings if finding.diagnostic.severity == "error")
        return (-len(self.open_findings), -errors, self.score.named_and_linked, self.path)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def read_analysis(article: ArticleReport, analysis: Analysis) -> None:
    """Fill ``article`` with the attributions, sources, figures and claims of ``analysis``."""
    article.source = analysis.document.source
    article.analysed = True
    lines = LineIndex(article.source)
    sentence_cited = [bool(links) for links in analysis.sentence_links]
    bases: dict[int, str] = {}

    def rest(sentence: int, basis: str) -> None:
        if sentence_cited[sentence] and basis != "unattributed":
            basis = "linked"
        current = bases.get(sentence)
        if current is None or BASES.index(basis) < BASES.index(current):
            bases[sentence] = basis

    linked_spans = _linked_source_spans(analysis)
    sources: dict[tuple[str, str], SourceRow] = {}
    last_named: SourceRow | None = None
    for attribution, verdict in zip(analysis.attributions, analysis.attribution_verdicts, strict=True):
        kind = verdict.status
        if kind not in SOURCE_KINDS:
            continue  # misread, or not a claim (a headline's "study finds")
        name, linked = _source_identity(analysis, attribution.sentence, attribution.source, linked_spans)
        linked = linked or sentence_cited[attribution.sentence]
        if attribution.carried and last_named is not None:
            row = last_named
        else:
            key = (kind, name.lower() if kind != "agentless" else "")
            row = sources.setdefault(key, SourceRow(name if kind != "agentless" else "", kind, linked))
            row.linked = row.linked or linked
            if kind == "named":
                last_named = row
        row.claims += 1
        rest(attribution.sentence, "linked" if kind == "named" and row.linked else kind)
        line, _ = lines.position(analysis.source_span(attribution.cue.block, attribution.cue.start,
                                                      attribution.cue.end)[0])
        article.attributions.append(AttributionRow(
            line, attribution.source.text if attribution.source else "", attribution.cue.text,
            _excerpt(attribution.content.text) if attribution.content else "", kind, attribution.carried, row.linked,
        ))
    article.sources = sorted(sources.values(), key=lambda row: (SOURCE_KINDS.index(row.kind), -row.claims, row.name))
    for item, verdict in zip(analysis.figures, _figure_verdicts(analysis), strict=True):
        sentence = analysis.sentences[item.sentence]
        offset, _ = analysis.sentence_span(sentence, item.figure.start, item.figure.end)
        article.figures.append(FigureRow(lines.position(offset)[0], item.figure.text, verdict.status, verdict.reason,
                                         verdict.detail))
        basis = _FIGURE_BASIS.get(verdict.status)
        if basis is not None:
            rest(item.sentence, basis)
    for verdict in analysis.computed_verdicts().get("sentence", []):
        if verdict.status == "unattributed-claim":
            rest(verdict.index, "unattributed")
    article.score = ScoreCard(len(bases), Counter(bases.values()))


def _figure_verdicts(analysis: Analysis) -> list[Verdict]:
    """The figure verdicts the unsourced-figure rule computed, else those of its default options
    (how each figure is sourced is worth showing even when that rule does not run)."""
    return analysis.computed_verdicts().get("figure") or analysis.figure_verdicts(FigurePolicy())


def _linked_source_spans(analysis: Analysis) -> dict[int, list[tuple[int, int, str, bool]]]:
    """Sentence -> (start, end, name, linked) of each source mention in it, in sentence offsets."""
    spans: dict[int, list[tuple[int, int, str, bool]]] = {}
    for mention in analysis.source_mentions:
        spans.setdefault(mention.sentence, []).append((mention.start, mention.end, mention.name, mention.linked))
    return spans


def _source_identity(analysis: Analysis, sentence_index: int, source: Span | None,
                     mentions: dict[int, list[tuple[int, int, str, bool]]]) -> tuple[str, bool]:
    """The name an attribution's source goes by (the registry's name for the organisation it
    mentions, else its own words) and whether that source is linked."""
    if source is None:
        return "", False
    sentence = analysis.sentences[sentence_index]
    start, end = source.start - sentence.start, source.end - sentence.start
    for mention_start, mention_end, name, linked in mentions.get(sentence_index, ()):
        if mention_start < end and start < mention_end:
            return name, linked
    return " ".join(source.text.split()), False


def unlinked_sources(articles: list[ArticleReport]) -> Counter[str]:
    """Named sources cited without a link across the articles, by the claims they carry."""
    counts: Counter[str] = Counter()
    for article in articles:
        for row in article.sources:
            if row.kind == "named" and not row.linked:
                counts[row.name] += row.claims
    return counts
