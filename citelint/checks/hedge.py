"""``check: hedge`` — a learned scorer for hedged and weasel-worded sentences.

Hedges are an open class ("is widely considered", "some critics", "probably", "it has been
suggested", "one of the most"), so a fixed list of regexes either misses most of them or
floods prose with false alarms. This check scores each prose sentence with a logistic
regression over lowercased words, word pairs and a few cue features, and reports the
sentences whose probability passes a threshold. The finding's span is the phrase that
explains the score: the run of tokens whose features add the most to it, so an editor sees
*why* the sentence was flagged.

The weights (``citelint/analysis/models/hedge.json``) are trained by
``benchmarks/train_hedge.py``, which imports :func:`sentence_features` from here so that
training and linting see exactly the same features.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from citelint.analysis import Analysis, Sentence
from citelint.analysis.cues import Token, tokenize
from citelint.checks.base import Finding, OptionError
from citelint.document.model import TITLE_KINDS
from citelint.lexicons import word_list

MODEL_PATH = Path(__file__).resolve().parent.parent / "analysis" / "models" / "hedge.json"
#: The longest explaining phrase reported, in tokens: a hedge is a few words, not a clause.
MAX_PHRASE_TOKENS = 5
#: A token joins the explaining phrase when it adds more than this share of what the
#: strongest token adds.
PHRASE_CUTOFF = 0.3

_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class HedgeModel:
    """Feature weights, bias and the decision threshold chosen when the model was trained."""

    weights: Mapping[str, float] = field(default_factory=dict)
    bias: float = 0.0
    threshold: float = 1.0


def _sigmoid(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))


@functools.cache
def load_model(path: Path = MODEL_PATH) -> HedgeModel:
    """The trained model; a missing or damaged file gives an empty model that flags nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = {str(name): float(value) for name, value in data["weights"].items()}
        return HedgeModel(weights, float(data["bias"]), float(data["threshold"]))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return HedgeModel()


@dataclass(frozen=True, slots=True)
class Feature:
    """A feature occurrence and the tokens (``first`` up to ``end``) that fire it."""

    name: str
    first: int
    end: int


def _word(token: Token) -> str | None:
    """The normalised word of a token (numbers collapse to one symbol); None for punctuation."""
    if not any(c.isalnum() for c in token.text):
        return None
    return "<num>" if _NUMBER.search(token.lower) else token.lower


@functools.cache
def _be_forms() -> frozenset[str]:
    """The forms of "be" before a reported participle, with the "'s" of "it's thought"."""
    return word_list("be_forms") | {"'s"}


def sentence_features(tokens: list[Token], ignored: list[bool] | None = None) -> list[Feature]:
    """Every feature occurrence in a tokenised sentence, skipping tokens marked ``ignored``
    (quoted speech): words, adjacent word pairs, hedge-lexicon words, passive reporting
    ("is widely considered") and vague groups ("some critics"). The word lists are in
    rules/lexicons/hedges.yml."""
    hedge_words, reported = word_list("hedge_words"), word_list("hedge_reported_participles")
    be, quantifiers = _be_forms(), word_list("hedge_quantifiers")
    words = [None if ignored and ignored[i] else _word(token) for i, token in enumerate(tokens)]
    found: list[Feature] = []
    for i, word in enumerate(words):
        if word is None:
            continue
        found.append(Feature("w=" + word, i, i + 1))
        if i + 1 < len(words) and words[i + 1] is not None:
            found.append(Feature(f"b={word}_{words[i + 1]}", i, i + 2))
        if word in hedge_words:
            found.append(Feature("cue=hedge-word", i, i + 1))
        if word in be:
            after = i + 1
            adverb = words[after] if after < len(words) else None
            if adverb is not None and adverb.endswith("ly"):
                after += 1
            if after < len(words) and words[after] in reported:
                found.append(Feature("cue=passive-report", i, after + 1))
        if word in quantifiers and i + 1 < len(words):
            noun = words[i + 1]
            if noun is not None and len(noun) > 3 and noun.endswith("s") and not noun.endswith("ss"):
                found.append(Feature("cue=vague-group", i, i + 2))
    return found


@dataclass(frozen=True)
class SentenceScore:
    """A sentence's hedge probability and each token's part in it."""

    probability: float
    #: each token's share of the logit (a feature's weight split evenly over its tokens)
    contributions: list[float]


def score_tokens(model: HedgeModel, tokens: list[Token], ignored: list[bool] | None = None) -> SentenceScore:
    """The probability that a sentence hedges, and how much each token adds to it."""
    contributions = [0.0] * len(tokens)
    logit = model.bias
    for feature in sentence_features(tokens, ignored):
        weight = model.weights.get(feature.name)
        if not weight:
            continue
        logit += weight
        share = weight / (feature.end - feature.first)
        for index in range(feature.first, feature.end):
            contributions[index] += share
    return SentenceScore(_sigmoid(logit), contributions)


def explaining_phrase(contributions: list[float], limit: int = MAX_PHRASE_TOKENS) -> tuple[int, int] | None:
    """Token range (first, end) of the phrase that explains a score, or None if no token raises it.

    The phrase is the run of at most ``limit`` tokens that maximises the sum of
    (contribution - cutoff), where the cutoff is a share of the strongest token's
    contribution: strong neighbours join ("is widely considered"), a weak word between two
    strong ones is bridged ("one of the most"), and the many words that nudge the score
    only a little stay out."""
    strongest = max(contributions, default=0.0)
    if strongest <= 0:
        return None
    cutoff = PHRASE_CUTOFF * strongest
    margins = [value - cutoff for value in contributions]
    best: tuple[float, int, int] | None = None
    for first, margin in enumerate(margins):
        if margin <= 0:
            continue
        total = 0.0
        for end in range(first + 1, min(len(margins), first + limit) + 1):
            total += margins[end - 1]
            if margins[end - 1] > 0 and (best is None or total > best[0]):
                best = (total, first, end)
    return None if best is None else (best[1], best[2])


@dataclass(frozen=True)
class HedgeOptions:
    """The options of ``check: hedge``."""

    #: probability at or above which a sentence is flagged; 0 uses the threshold stored with the model
    threshold: float = 0.0
    skip_quotes: bool = True
    skip_titles: bool = True
    skip_cited: bool = True
    skip_attributed: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold < 1.0:
            raise OptionError("option 'threshold' must be at least 0 and below 1")


def _sentences(analysis: Analysis, options: HedgeOptions) -> Iterator[Sentence]:
    """The sentences the check reads: prose that is not a title (``skip-titles``), cites
    nothing (``skip-cited``) and names no one speaking (``skip-attributed``)."""
    attributed = {a.sentence for a in analysis.attributions if a.source_kind == "named"} if options.skip_attributed else set()
    links = analysis.sentence_links if options.skip_cited else None
    for sentence in analysis.sentences:
        if options.skip_titles and sentence.kind in TITLE_KINDS:
            continue
        if sentence.index in attributed or (links is not None and links[sentence.index]):
            continue
        yield sentence


def run(analysis: Analysis, options: HedgeOptions) -> Iterator[Finding]:
    model = load_model()
    threshold = options.threshold or model.threshold
    for sentence in _sentences(analysis, options):
        tokens = tokenize(sentence.text)
        # Quoted speech is the analysis's: a quotation may have opened in an earlier sentence.
        quoted = [options.skip_quotes and analysis.in_quote(sentence.block, sentence.start + token.start) for token in tokens]
        scored = score_tokens(model, tokens, quoted)
        if scored.probability < threshold:
            continue
        phrase = explaining_phrase(scored.contributions)
        if phrase is None:
            continue
        start, end = tokens[phrase[0]].start, tokens[phrase[1] - 1].end
        offset, end_offset = analysis.sentence_span(sentence, start, end)
        yield Finding(offset, end_offset, {"match": sentence.text[start:end]}, sentence.text)
