"""Tokens, word lists and the cue tagger behind the attribution analysis.

A *cue* is the word or phrase that marks speech, writing, thought or evidence as someone's
("said", "according to", "believes", "a study … found"). The set of such words in news is
open-ended ("backs", "wants", "plans" count when they report a stance), so cues are found
by an averaged-perceptron token tagger (B/I/O labels, greedy left-to-right) whose features
are single words, word shapes, quotation context and membership in the reporting-word
lexicon. The weights (``models/cue_tagger.json.gz``) are trained by
``benchmarks/train_attribution.py``; without them a lexicon fallback still finds the
common verbs.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from citelint.resources import rules_dir

MODEL_PATH = Path(__file__).resolve().parent / "models" / "cue_tagger.json.gz"
LABELS = ("O", "B", "I")
#: Added to the score of starting a cue: PolNeAR leaves many true cues unannotated, so
#: trading a little measured precision for recall keeps F1 level and helps sentence recall.
RECALL_BIAS = 3.0

_TOKEN = re.compile(r"\w+(?:[-.]\w+|[’'](?!s\b)\w+)*|[’']s\b|\S")
OPEN_QUOTES = frozenset("“‘«")
CLOSE_QUOTES = frozenset("”’»")
STRAIGHT_QUOTES = frozenset("\"")
#: Time words that sit between a subject and its verb ("Jane Roe on Tuesday said") and that
#: the tagger sometimes takes for a cue's start.
TIME_WORDS = frozenset(
    """today yesterday tonight monday tuesday wednesday thursday friday saturday sunday week
    weekend month year morning afternoon evening night""".split()
)

#: Irregular past forms of verbs that report; regular forms are generated.
_IRREGULAR = {
    "said": "say", "told": "tell", "wrote": "write", "written": "write", "thought": "think",
    "found": "find", "saw": "see", "seen": "see", "knew": "know", "known": "know",
    "felt": "feel", "heard": "hear", "meant": "mean", "sought": "seek", "spoke": "speak",
    "spoken": "speak", "held": "hold", "gave": "give", "given": "give", "taken": "take",
    "took": "take", "made": "make", "led": "lead", "understood": "understand",
    "foresaw": "foresee", "foreseen": "foresee", "forecast": "forecast", "broadcast": "broadcast",
    "read": "read", "cast": "cast", "put": "put", "beat": "beat", "swore": "swear",
    "sworn": "swear", "taught": "teach", "struck": "strike", "stood": "stand", "got": "get",
    "brought": "bring", "kept": "keep", "began": "begin", "begun": "begin", "shown": "show",
    "proven": "prove", "drew": "draw", "drawn": "draw", "chose": "choose", "chosen": "choose",
}


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str


def tokenize(text: str) -> list[Token]:
    """Word and punctuation tokens with their offsets in ``text``."""
    return [Token(m.start(), m.end(), m.group(), m.group().lower()) for m in _TOKEN.finditer(text)]


@functools.cache
def lexicon() -> dict[str, frozenset[str]]:
    """The attribution word lists (``rules/lexicons/attribution.yml``), as lowercase sets."""
    try:
        with open(rules_dir() / "lexicons" / "attribution.yml", encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError):
        data = {}
    return {key: frozenset(str(word).lower() for word in words or ()) for key, words in data.items()}


def _inflections(base: str) -> set[str]:
    forms = {base}
    if base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    else:
        plural = base + ("es" if base.endswith(("s", "sh", "ch", "x", "z", "o")) else "s")
        forms |= {plural, base + "ed", base + "ing"}
        if len(base) >= 3 and base[-1] in "bdgmnprt" and base[-2] in "aeiou" and base[-3] not in "aeiou":
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return forms


@functools.cache
def _lemma_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for base in lexicon().get("reporting_verbs", ()):
        for form in _inflections(base):
            table.setdefault(form, base)
    for form, base in _IRREGULAR.items():
        table[form] = base
    return table


@functools.lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """Base form of a (lowercase) reporting verb; other words are crudely stemmed."""
    known = _lemma_table().get(word)
    if known is not None:
        return known
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + replacement
    return word


def is_reporting_verb(word: str) -> bool:
    return word in _lemma_table()


def is_claim_verb(word: str) -> bool:
    """A reporting verb that puts a claim on its subject ("said", "believes", "estimated"),
    as opposed to one of stance or action that PolNeAR also counts ("backs", "plans")."""
    return lemma(word) in lexicon().get("claim_verbs", frozenset())


def _shape(text: str) -> str:
    if text.isdigit():
        return "d"
    if not text[0].isalnum():
        return "p"
    if text.isupper() and len(text) > 1:
        return "X"
    if text[0].isupper():
        return "Xx"
    return "x"


def quote_depths(tokens: list[Token]) -> list[bool]:
    """Whether each token stands inside a quotation (curly quotes nest; straight ones toggle)."""
    inside: list[bool] = []
    depth = 0
    straight_open = False
    for token in tokens:
        text = token.text
        if text in CLOSE_QUOTES and depth > 0:
            depth -= 1
            inside.append(False)
            continue
        if text in STRAIGHT_QUOTES:
            straight_open = not straight_open
            inside.append(False)
            continue
        inside.append(depth > 0 or straight_open)
        if text in OPEN_QUOTES and text != "’":
            depth += 1
    return inside


_CLASSES = {
    "that": "that", "to": "to", ",": "comma", ":": "colon", "by": "by", "of": "of", "about": "of",
    "he": "pron", "she": "pron", "they": "pron", "i": "pron", "we": "pron", "it": "pron", "you": "pron",
    "who": "who", "which": "who", "the": "det", "a": "det", "an": "det", "his": "det", "her": "det",
    "their": "det", "its": "det", "is": "be", "are": "be", "was": "be", "were": "be", "be": "be",
    "been": "be", "has": "have", "have": "have", "had": "have", "will": "modal", "would": "modal",
    "could": "modal", "may": "modal", "might": "modal", "should": "modal", "can": "modal",
    "not": "not", "n't": "not", "and": "and", "or": "and", "but": "and", "in": "in", "on": "in",
    "at": "in", "for": "in", "with": "in", "if": "if", "whether": "if", ".": "stop",
}


def _word_class(token: Token, shape: str) -> str:
    """A coarse syntactic class: the handful of words that frame reporting clauses, else shape."""
    if token.text in OPEN_QUOTES or token.text in CLOSE_QUOTES or token.text in STRAIGHT_QUOTES:
        return "quote"
    known = _CLASSES.get(token.lower)
    if known is not None:
        return known
    if shape == "x" and token.lower.endswith("ly"):
        return "adv"
    return shape


def word_features(word: str, lem: str, shape: str) -> list[str]:
    """The features of a token that depend on the word alone (scored once per word form)."""
    return ["b", "w=" + word, "l=" + lem, "s3=" + word[-3:], "sh=" + shape, "s2=" + word[-2:], "pre3=" + word[:3]]


def token_features(tokens: list[Token], inside: list[bool]) -> list[list[str]]:
    """Static (label-independent) features of each token.

    Only single words appear in features (no word sequences), so the weights cannot spell
    out any text the tagger was trained on.
    """
    return [
        word_features(token.lower, lemma(token.lower), _shape(token.text)) + context
        for token, context in zip(tokens, context_features(tokens, inside))
    ]


def context_features(tokens: list[Token], inside: list[bool]) -> list[list[str]]:
    """The features of each token that depend on its neighbours, quotes and position."""
    lex = lexicon()
    nouns = lex.get("reporting_nouns", frozenset())
    lowers = [t.lower for t in tokens]
    lemmas = [lemma(w) for w in lowers]
    verbish = [is_reporting_verb(w) for w in lowers]
    nounish = [w in nouns for w in lowers]
    shapes = [_shape(t.text) for t in tokens]
    count = len(tokens)
    classes = [_word_class(t, shape) for t, shape in zip(tokens, shapes)]
    quote_marks = [c == "quote" for c in classes]
    has_quote = any(quote_marks)
    features: list[list[str]] = []
    for i in range(count):
        lem = lemmas[i]
        prev1 = lowers[i - 1] if i > 0 else "<s>"
        prev2 = lowers[i - 2] if i > 1 else "<s>"
        next1 = lowers[i + 1] if i + 1 < count else "</s>"
        next2 = lowers[i + 2] if i + 2 < count else "</s>"
        quoted = "q" if inside[i] else "n"
        f = [
            "p1=" + prev1,
            "p2=" + prev2,
            "n1=" + next1,
            "n2=" + next2,
            "q=" + quoted,
            "lq=" + lem + quoted,
            "psh=" + (shapes[i - 1] if i > 0 else "<s>") + shapes[i],
            "nsh=" + shapes[i] + (shapes[i + 1] if i + 1 < count else "</s>"),
            "hq=" + ("y" if has_quote else "n") + quoted,
        ]
        prev_class = classes[i - 1] if i > 0 else "<s>"
        next_class = classes[i + 1] if i + 1 < count else "</s>"
        f += [
            "pl1=" + (lemmas[i - 1] if i > 0 else "<s>"),
            "nl1=" + (lemmas[i + 1] if i + 1 < count else "</s>"),
            "pc=" + prev_class,
            "nc=" + next_class,
            "pcnc=" + prev_class + next_class,
            "lpc=" + lem + "|" + prev_class,
            "lnc=" + lem + "|" + next_class,
            "qn=" + ("a" if any(quote_marks[i + 1 : i + 4]) else "-") + ("b" if any(quote_marks[max(0, i - 3) : i]) else "-"),
        ]
        if i == 0:
            f.append("first")
        if i == count - 1 or (i == count - 2 and shapes[-1] == "p"):
            f.append("last")
        if verbish[i]:
            f.append("vlex")
            f.append("vlexq=" + quoted)
            f.append("vlexn1=" + next1)
            f.append("vlexp1=" + prev1)
        if nounish[i]:
            f.append("nlex")
        if i > 0 and verbish[i - 1]:
            f.append("vlex-1")
        if i + 1 < count and verbish[i + 1]:
            f.append("vlex+1")
        if i > 0 and inside[i - 1] != inside[i]:
            f.append("qedge-")
        if i + 1 < count and inside[i + 1] != inside[i]:
            f.append("qedge+")
        features.append(f)
    return features


def previous_features(word_feature: str, previous: str) -> tuple[str, str]:
    """The features of the label before a token (alone and with the token's ``w=`` feature)."""
    return "prev=" + previous, "prevw=" + previous + word_feature


def with_previous(features: list[str], previous: str) -> list[str]:
    """A token's features plus those of the label before it (as training sees them)."""
    return [*features, *previous_features(features[1], previous)]


class CueTagger:
    """Averaged-perceptron B/I/O tagger over :func:`token_features` plus the previous label."""

    def __init__(self, weights: dict[str, list[float]]) -> None:
        self.weights = weights
        self._word_scores: dict[tuple[str, str], tuple[float, float, float]] = {}

    @classmethod
    @functools.cache
    def load(cls) -> "CueTagger | None":
        try:
            with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as handle:
                return cls(json.load(handle)["weights"])
        except (OSError, ValueError, KeyError):
            return None

    def tag(self, tokens: list[Token], inside: list[bool]) -> list[str]:
        """B/I/O labels for a sentence's tokens, chosen greedily left to right.

        The word-only features of a token are scored once per word form and cached; the
        context features and the previous label are added per token.
        """
        labels: list[str] = []
        previous = "<s>"
        get = self.weights.get
        for token, context in zip(tokens, context_features(tokens, inside)):
            outside, begin, inner = self._word_score(token.lower, _shape(token.text))
            for row in map(get, (*context, *previous_features("w=" + token.lower, previous))):
                if row is not None:
                    outside += row[0]
                    begin += row[1]
                    inner += row[2]
            scores = [outside, begin + RECALL_BIAS, inner]
            if previous == "O" or previous == "<s>":
                scores[2] = float("-inf")  # I only continues a cue
            best = max(range(3), key=scores.__getitem__)
            previous = LABELS[best]
            labels.append(previous)
        return labels

    def _word_score(self, word: str, shape: str) -> tuple[float, float, float]:
        key = (word, shape)
        cached = self._word_scores.get(key)
        if cached is None:
            sums = [0.0, 0.0, 0.0]
            for row in map(self.weights.get, word_features(word, lemma(word), shape)):
                if row is not None:
                    sums[0] += row[0]
                    sums[1] += row[1]
                    sums[2] += row[2]
            cached = self._word_scores[key] = (sums[0], sums[1], sums[2])
        return cached


def label_spans(labels: list[str]) -> list[tuple[int, int]]:
    """Token ranges ``[first, last + 1)`` of the cues in a B/I/O label sequence."""
    spans: list[tuple[int, int]] = []
    start = None
    for i, label in enumerate(labels):
        if label == "B" or (label == "I" and start is None):
            if start is not None:
                spans.append((start, i))
            start = i
        elif label == "O" and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(labels)))
    return spans


def lexicon_labels(tokens: list[Token]) -> list[str]:
    """Fallback tagging when no model is installed: reporting verbs and "according to"."""
    labels = []
    for i, token in enumerate(tokens):
        if token.lower == "according" and i + 1 < len(tokens) and tokens[i + 1].lower == "to":
            labels.append("B")
        elif token.lower == "to" and i > 0 and tokens[i - 1].lower == "according":
            labels.append("I")
        elif is_reporting_verb(token.lower) and lemma(token.lower) in _COMMON_FALLBACK:
            labels.append("B")
        else:
            labels.append("O")
    return labels


_COMMON_FALLBACK = frozenset(
    "say tell claim deny estimate write argue warn insist note add announce report reveal "
    "acknowledge admit allege conclude confirm predict explain declare believe".split()
)


_DASHES = frozenset("―—–")
_BE = frozenset("is are was were be been being".split())
_HAVE = frozenset("has have had".split())
#: Participles that, after a form of "be", attribute without an agent ("it is believed").
_AGENTLESS_PARTICIPLES = frozenset(
    """believed thought said claimed reported expected understood alleged feared estimated
    rumoured rumored considered presumed suspected predicted criticized criticised accused
    described projected forecast viewed regarded seen deemed""".split()
)


_CLAUSE_VERBS = frozenset(
    "believe believes believed fear feared suspect suspects argue argues insist insists "
    "contend contends allege alleges".split()
)
#: Words before the verb that show it is not a finite verb with a subject ("to believe", "the claims").
_NOT_SUBJECTS = frozenset(
    "to the a an this that these those its their his her our your my of in on for with by and or but "
    "not never also would could should might may must will can do does did".split()
)
#: Words after the verb that show no clause follows ("claims of", "fears for", "said to").
_NOT_CLAUSE_STARTS = frozenset("to of for about in on by with from over at".split())


def rule_cues(tokens: list[Token]) -> list[tuple[int, int]]:
    """Cues that a pattern finds more reliably than the tagger, as token ranges.

    * a speaker's colon: "Jane Roe: We will appeal", "ROE: Thank you" (a short run of
      capitalised words opening the sentence, then a colon);
    * a credit dash after a quotation: “We will appeal.” ― Jane Roe;
    * an agentless passive: "it is believed", "is widely considered", "has been criticized";
    * a belief or speech verb between its subject and a clause: "investigators believe China…",
      "analysts fear the…" (the tagger misses these where a "that" is left out).
    """
    found = []
    for i, token in enumerate(tokens):
        if token.lower in _CLAUSE_VERBS and 0 < i < len(tokens) - 1:
            before, after = tokens[i - 1], tokens[i + 1]
            if before.text[:1].isalpha() and before.lower not in _NOT_SUBJECTS and after.text[:1].isalnum() \
                    and after.lower not in _NOT_CLAUSE_STARTS:
                found.append((i, i + 1))
                continue
        if token.text == ":" and 0 < i <= 4:
            words = [t for t in tokens[:i] if t.text not in OPEN_QUOTES and t.text not in STRAIGHT_QUOTES]
            if words and all(t.text[0].isupper() or t.lower == "’s" for t in words) and i + 1 < len(tokens):
                found.append((i, i + 1))
        elif token.text in _DASHES and i > 0 and i + 1 < len(tokens):
            previous = tokens[i - 1].text
            if (previous in CLOSE_QUOTES or previous in STRAIGHT_QUOTES) and tokens[i + 1].text[0].isupper():
                found.append((i, i + 1))
        elif token.lower in _BE:
            j = i + 1
            while j < len(tokens) and tokens[j].lower.endswith("ly") and j - i <= 2:
                j += 1
            if j < len(tokens) and tokens[j].lower in _AGENTLESS_PARTICIPLES:
                start = i - 1 if token.lower == "been" and i > 0 and tokens[i - 1].lower in _HAVE else i
                found.append((start, j + 1))
    return found


#: Words a tagged cue may run into but that belong to its source or content ("said it").
_NOT_CUE_ENDINGS = frozenset("it he she they we i the a an that his her its their this these".split())


def _tidy(tokens: list[Token], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join cues that touch (one phrase tagged as two) and trim words that are not cue."""
    joined: list[tuple[int, int]] = []
    for first, last in spans:
        if joined and joined[-1][1] == first:
            first = joined.pop()[0]
        joined.append((first, last))
    tidy = []
    for first, last in joined:
        while last - first > 1 and tokens[first].lower in TIME_WORDS:
            first += 1
        while last - first > 1 and tokens[last - 1].lower in _NOT_CUE_ENDINGS:
            last -= 1
        if not (last - first == 1 and tokens[first].lower in TIME_WORDS):
            tidy.append((first, last))
    return tidy


def find_cue_tokens(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token ranges of the cues in one sentence."""
    if not tokens:
        return []
    tagger = CueTagger.load()
    if tagger is None:
        labels = lexicon_labels(tokens)
    else:
        labels = tagger.tag(tokens, quote_depths(tokens))
    spans = _tidy(tokens, label_spans(labels))
    for first, last in rule_cues(tokens):
        if not any(start < last and first < end for start, end in spans):
            spans.append((first, last))
    return sorted(spans)
