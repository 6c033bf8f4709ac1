"""The verdict scorer: how likely an editor is to flag what a verdict says a rule may report.

The scorer never overrules a decision the named strategies made: it gives each reportable
verdict a confidence, which ``--min-confidence`` filters on. It decides only where no
strategy can (``SCORER_DECIDES``: is an unmarked sentence a strong claim?), at the
threshold cross-validation chose.

One logistic model per subject (attribution, figure, source, sentence) over sparse features
of the verdict and its context: the deciding strategy, the words around it, what else the
sentence attributes. The sentence model also weighs the sentence's mean word vector; as that
term is linear it ships as one score per word (``word_scores``), averaged over the sentence's
words that have one, so a run never needs the vectors nor the encoder that made them.
The weights (``models/verdicts.json.gz``) are trained by ``benchmarks/train_verdicts.py``
on citelint's own blind-annotated training set; the
annotated dev set only measures them. Without weights every reportable verdict keeps
confidence 1.0, so the hand-written strategies alone decide.

Features are short strings; a word feature carries the word itself, lower-cased, so the
weights file holds single words and never a sentence.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import os
import re
from collections.abc import Callable
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citelint.analysis.cues import lemma
from citelint.derived import PackedTable, cached, packed
from citelint.lexicons import alternation, word_list

if TYPE_CHECKING:
    from citelint.analysis import Analysis
    from citelint.analysis.provenance import Verdict

MODEL_PATH = Path(__file__).resolve().parent / "models" / "verdicts.json.gz"
#: Another weights file for experiments; set to "none" to run the hand strategies alone.
MODEL_ENVIRONMENT = "CITELINT_VERDICT_MODEL"
_WORD = re.compile(r"[a-z][a-z'’-]*|\d+")
_QUOTES = frozenset("\"“”‘’«»")


class ModelError(RuntimeError):
    """The verdict model file exists but cannot be read."""


def load_model() -> dict[str, dict]:
    """subject -> {"bias", "weights", "threshold"}; empty when no file ships or the
    environment says ``CITELINT_VERDICT_MODEL=none``."""
    return _read_model(chosen_model_path())


def chosen_model_path() -> Path | None:
    """The weights file in use: the shipped one, the one ``CITELINT_VERDICT_MODEL`` names, or
    None when it says ``none`` (the hand strategies alone)."""
    chosen = os.environ.get(MODEL_ENVIRONMENT, "")
    return None if chosen.lower() == "none" else Path(chosen) if chosen else MODEL_PATH


#: The tables of a model kept packed (:class:`~citelint.derived.PackedTable`): the claim
#: scorer's hold ~80,000 entries.
_PACKED = ("weights", "word_scores")


@functools.cache
def _read_model(path: Path | None) -> dict[str, dict]:
    if path is None:
        return {}
    if not path.exists():
        if path != MODEL_PATH:
            raise ModelError(f"{path}: no such verdict model ({MODEL_ENVIRONMENT})")
        return {}
    # Unpacked once, then read back from the derived-data cache (a third of the gzip + JSON time).
    stored = cached("verdict-model", [path], functools.partial(_parse_model, path), keyed_by=_parse_model)
    return {subject: {**model, **{name: PackedTable(model[name]) for name in _PACKED}} for subject, model in stored.items()}


def _parse_model(path: Path) -> dict[str, dict]:
    """The models in the file, every number checked finite, the tables of ``_PACKED`` packed."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        models: dict[str, dict[str, Any]] = {
            subject: {"bias": _finite(m["bias"]), "weights": _table(m["weights"]),
                      "threshold": _finite(m.get("threshold", 0.0)),
                      "priors": _table(m.get("priors", {})), "word_scores": _table(m.get("word_scores", {})),
                      "word_prior": _finite(m.get("word_prior", 0.0))}
            for subject, m in data["models"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ModelError(f"{path}: not a verdict model ({error})") from None
    return {subject: {**model, **{name: packed(model[name]) for name in _PACKED}} for subject, model in models.items()}


def _finite(value: object) -> float:
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _table(mapping: dict) -> dict[str, float]:
    """name -> weight, every weight a finite number (a NaN would pass every threshold)."""
    return {str(name): _finite(value) for name, value in mapping.items()}


def has_model(subject: str) -> bool:
    return subject in load_model()


def confidence(model: dict, reason: str, features: list[str]) -> float:
    """The probability that an editor flags a verdict: the logistic model's, or, for a strategy
    too rare in the training set for the model to learn (``priors``), that strategy's observed
    precision there."""
    prior = model["priors"].get(reason)
    return prior if prior is not None else probability(model, features)


def probability(model: dict, features: list[str]) -> float:
    # A feature the model never saw weighs nothing; map() keeps the lookups in C.
    total = model["bias"] + sum(map(model["weights"].get, features, repeat(0.0)))
    word_scores = model["word_scores"]
    if word_scores:
        # The mean score of the sentence's words that have one, counting ``word_prior`` average
        # words (score 0) besides: its mean word vector, weighed.
        known = [score for score in map(word_scores.get, features) if score is not None]
        if known:
            total += sum(known) / (len(known) + model["word_prior"])
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))


def score(analysis: Analysis, verdicts: list[Verdict]) -> list[Verdict]:
    """The verdicts, each reportable one with the model's confidence."""
    from citelint.analysis.provenance import REJECTED, REPORTABLE, SCORER_DECIDES, Verdict

    models = load_model()
    scored = []
    for verdict in verdicts:
        model = models.get(verdict.subject)
        if model is not None and verdict.status in REPORTABLE[verdict.subject]:
            value = round(confidence(model, verdict.reason, features(analysis, verdict)), 3)
            if verdict.reason in SCORER_DECIDES and value < model["threshold"]:
                verdict = Verdict(
                    verdict.subject, verdict.index, REJECTED[verdict.subject], verdict.reason, value, verdict.detail
                )
            else:
                verdict = Verdict(verdict.subject, verdict.index, verdict.status, verdict.reason, value, verdict.detail)
        scored.append(verdict)
    return scored


def features(analysis: Analysis, verdict: Verdict) -> list[str]:
    """The verdict's features, each once: the model is fitted on whether a feature is present, so
    a feature listed twice (two named attributions give "sent-attr=named" twice) must not weigh twice."""
    return list(dict.fromkeys(EXTRACTORS[verdict.subject](analysis, verdict)))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def distinct_words(words: list[str]) -> set[str]:
    """The words a sentence's word features and word scores read: each once, numbers left out."""
    return {word for word in words if not word.isdigit()}


def sentence_words(text: str) -> set[str]:
    return distinct_words(_words(text))


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _context_words(prefix: str, text: str, start: int, end: int, width: int = 2, reach: int = 40) -> list[str]:
    """The ``width`` words each side of ``text[start:end]`` within ``reach`` characters; a word
    the reach cuts in two is left out, not read as a fragment ("…rs of 40 million")."""
    before = _words(text[max(0, start - reach) : start])
    if start - reach > 0 and text[start - reach - 1].isalnum() and text[start - reach].isalnum():
        before = before[1:]
    after = _words(text[end : end + reach])
    if end + reach < len(text) and text[end + reach].isalnum() and text[end + reach - 1].isalnum():
        after = after[:-1]
    before, after = before[-width:], after[:width]
    found = [f"{prefix}-1={before[-1]}" if before else f"{prefix}-1=^"]
    found += [f"{prefix}<{word}" for word in before]
    found += [f"{prefix}+1={after[0]}" if after else f"{prefix}+1=$"]
    found += [f"{prefix}>{word}" for word in after]
    return found


def _sentence_attributions(analysis: Analysis, sentence_index: int) -> list[str]:
    attributions = analysis.attributions_by_sentence.get(sentence_index, ())
    found = [f"sent-attr={a.source_kind}" for a in attributions] or ["sent-attr=0"]
    found += [f"sent-cue={lemma(word)}" for a in attributions for word in a.cue_words[-1:]]
    return found


def _attribution_features(analysis: Analysis, verdict: Verdict) -> list[str]:
    attribution = analysis.attributions[verdict.index]
    sentence = analysis.sentences[attribution.sentence]
    found = [f"status={verdict.status}", f"reason={verdict.reason}"]
    found += [f"cue={lemma(word)}" for word in attribution.cue_words]
    source = attribution.source
    if source is not None:
        words = _words(source.text)
        found += [f"src={word}" for word in words]
        found += [f"src-head={words[-1]}" if words else "src-head=?", f"src-len={_bucket(len(words), (1, 2, 3, 5))}"]
        found.append("src-first" if source.start < attribution.cue.start else "src-after")
        found += [f"src-cap={source.text[:1].isupper()}"]
    block_text = analysis.document.blocks[attribution.cue.block].text
    found += _context_words("cue", block_text, attribution.cue.start, attribution.cue.end, 1)
    found.append(f"quoted={analysis.in_quote(attribution.cue.block, attribution.cue.start)}")
    found.append(f"kind={sentence.kind}")
    return found


def _figure_features(analysis: Analysis, verdict: Verdict) -> list[str]:
    item = analysis.figures[verdict.index]
    figure = item.figure
    sentence = analysis.sentences[item.sentence]
    found = [f"status={verdict.status}", f"reason={verdict.reason}", f"fig-kind={figure.kind}", f"hedge={figure.hedge}"]
    # Six words each side within 60 characters: "got 10 percent of the vote in the primary" is
    # a result; two words each side (AUC 0.8000), three (0.8035) and four (0.8054) read less of
    # it than six (0.8092), cross-validated on the training set.
    found += _context_words("fig", sentence.text, figure.start, figure.end, width=6, reach=60)
    found += [f"fig={word}" for word in _words(figure.text)[-2:] if not word.isdigit()]
    found += _sentence_attributions(analysis, item.sentence)
    found += [f"detail={word}" for word in _words(verdict.detail)[-1:]]
    found.append(f"position={_bucket(analysis.story_positions[item.sentence], (0, 2, 5, 10))}")
    found += _neighbour_sources(analysis, item.sentence)
    found.append(_lead_speaker(analysis))
    found.append(f"figures-here={_bucket(len(analysis.figures_in_sentence(item.sentence)), (1, 2, 4))}")
    return found


def _neighbour_sources(analysis: Analysis, index: int) -> list[str]:
    """Who speaks in the sentences around it, in the same paragraph (a named speaker nearby
    often carries the figures of a paragraph even where no cue says so), and how far back a
    named source last spoke, across paragraphs (:func:`_last_named_speaker`)."""
    sentence = analysis.sentences[index]
    found = []
    for offset, label in ((-1, "prev"), (1, "next")):
        other = index + offset
        if 0 <= other < len(analysis.sentences) and analysis.sentences[other].block == sentence.block:
            kinds = sorted({a.source_kind for a in analysis.attributions_by_sentence.get(other, ())}) or ["0"]
            found += [f"{label}-attr={kind}" for kind in kinds]
        else:
            found.append(f"{label}-attr=edge")
    found.append(_last_named_speaker(analysis, index))
    return found


def _lead_speaker(analysis: Analysis) -> str:
    """Who speaks in the story's lead (:attr:`Analysis.lead_attribution`), and whether it is an
    organisation: annotators read a wire story's figures as the statement of the organisation that
    opens it, though later sentences name no one."""
    attribution = analysis.lead_attribution
    if attribution is None:
        return "lead=none"
    return f"lead={attribution.source_kind}{'-org' if attribution.source_is_org else ''}"


def _last_named_speaker(analysis: Analysis, index: int) -> str:
    """How many sentences back a named source last spoke, paragraphs or not: the guide lets a
    named speaker cover the next sentence only, and wire copy sets each sentence apart, so a
    story's figures may rest on a statement several sentences back."""
    for distance in range(1, 9):
        if any(a.source_kind == "named" for a in analysis.attributions_by_sentence.get(index - distance, ())):
            return f"named-back={distance}"
    return "named-back=far"


def _source_features(analysis: Analysis, verdict: Verdict) -> list[str]:
    mention = analysis.source_mentions[verdict.index]
    sentence = analysis.sentences[mention.sentence]
    entry_kind = mention.entry.kind if mention.entry else "unknown"
    words = _words(mention.name)
    found = [f"status={verdict.status}", f"reason={verdict.reason}", f"entry={entry_kind}",
             f"published={mention.published_work}", f"name-len={_bucket(len(words), (1, 2, 3, 5))}",
             f"acronym={mention.name.isupper()}"]
    found += [f"name-head={words[-1]}" if words else "name-head=?"]
    found += _context_words("src", sentence.text, mention.start, mention.end)
    found += _sentence_attributions(analysis, mention.sentence)
    return found


def _is_superlative(word: str) -> bool:
    return word.endswith("est") and len(word) > 5


#: Words read case-blind from a sentence's own text, so their offsets are the text's.
_CASELESS_WORD = re.compile(_WORD.pattern, re.IGNORECASE)


def _name_descriptors(text: str) -> list[tuple[int, int]]:
    """Spans of the appositives that describe a name or the sentence's opening noun phrase
    ("Acme, the world's largest brewer, said"; not "Prices rose, the fastest pace in a decade, …",
    which states something of its own)."""
    return [match.span("phrase") for match in _descriptor_appositive().finditer(text)
            if _describes_a_name(text[:match.start()])]


def _superlatives(text: str, described: list[tuple[int, int]]) -> list[str]:
    """The sentence's first two superlatives; one inside a name's descriptor (``described``) is a
    ranking used only to identify, which the guide does not count as the point of the sentence,
    and is marked so rather than by its word."""
    return [f"superlative={'descriptor' if _inside(m.start(), described) else word}"
            for m in _CASELESS_WORD.finditer(text) for word in (m.group().lower(),) if _is_superlative(word)][:2]


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _scored_words(text: str, described: list[tuple[int, int]]) -> list[str]:
    """The words the claim scorer reads: all but those of a descriptor that ranks the name it
    describes ("The fair, the largest of its kind in the world, opens on Friday" is read as "The
    fair opens on Friday"): such a ranking identifies, and its words ("largest", "world") are
    the words of a claim wherever else they stand."""
    ranking = [(start, end) for start, end in described
               if any(_is_superlative(m.group().lower()) for m in _CASELESS_WORD.finditer(text, start, end))]
    if not ranking:
        return _words(text)
    return [m.group().lower() for m in _CASELESS_WORD.finditer(text) if not _inside(m.start(), ranking)]


def _describes_a_name(before: str) -> bool:
    """Whether an appositive after ``before`` describes a name ("…, Acme,") or the sentence's
    opening noun phrase ("The fair,"), not a clause ("Inflation rose again in May,")."""
    words = before.split()
    if not words:
        return False
    if len(words) <= 3 and not any(char.isdigit() for char in before):
        return True
    return words[-1][:1].isupper() and words[-1].lower() not in word_list("month_names")


@functools.cache
def _descriptor_appositive() -> re.Pattern[str]:
    """", the largest of its kind," / ", Europe's biggest insurer,": a noun phrase between
    commas that opens with a determiner or a name's possessive."""
    determiners = alternation(word_list("articles") | word_list("definite_determiners"))
    return re.compile(
        rf",\s+(?P<phrase>(?i:one\s+of\s+)?(?:(?i:{determiners})\s+|[A-Z][\w.&-]*(?:'|’)s\s+)[^,;:()]{{1,60}}?),"
    )


def _sentence_features(analysis: Analysis, verdict: Verdict) -> list[str]:
    sentence = analysis.sentences[verdict.index]
    text = sentence.text
    words = _words(text)
    described = _name_descriptors(text)
    read = _scored_words(text, described)
    claim_kind = verdict.detail.split(":", 1)[0] if verdict.detail else "none"
    found = [f"claim-kind={claim_kind}", f"kind={sentence.kind}", f"len={_bucket(len(words), (8, 15, 25, 40))}"]
    found += [f"w={word}" for word in distinct_words(read)]
    found += [f"bi={a}_{b}" for a, b in zip(read, read[1:], strict=False)]
    found += [f"first={words[0]}" if words else "first=?"]
    found += _superlatives(text, described)
    found.append(f"adverbs={_bucket(len([word for word in words if word.endswith('ly')]), (0, 1, 2))}")
    found.append(f"quote-marks={not _QUOTES.isdisjoint(text)}")  # set test in C, not a loop per character
    found += _sentence_attributions(analysis, sentence.index)
    found += _neighbour_sources(analysis, sentence.index)
    found.append(f"position={_bucket(analysis.story_positions[sentence.index], (1, 3, 6, 12))}")
    stated = sum(1 for item in analysis.figures_in_sentence(sentence.index) if not item.figure.in_quote)
    found.append(f"figures={_bucket(stated, (0, 1, 2, 4))}")
    return found


EXTRACTORS: dict[str, Callable[[Analysis, Verdict], list[str]]] = {
    "attribution": _attribution_features,
    "figure": _figure_features,
    "source": _source_features,
    "sentence": _sentence_features,
}
