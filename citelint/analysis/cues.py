"""Tokens and the cue tagger behind the attribution analysis.

A *cue* is the word or phrase that marks speech, writing, thought or evidence as someone's
("said", "according to", "believes", "a study … found"). The set of such words in news is
open-ended ("backs", "wants", "plans" count when they report a stance), so cues are found
by an averaged-perceptron token tagger (B/I/O labels, greedy left-to-right) whose features
are single words, word shapes, quotation context and membership in the reporting-word
lexicon. The weights (``models/cue_tagger.json.gz``) are trained by
``benchmarks/train_attribution.py``; without them a lexicon fallback still finds the
common verbs. The words it looks for are in ``rules/lexicons/attribution-cues.yml``.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import marshal
import math
import operator
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from citelint.derived import Packed, PackedTable, cached, packed
from citelint.lexicons import word_list, word_pairs

MODEL_PATH = Path(__file__).resolve().parent / "models" / "cue_tagger.json.gz"
LABELS = ("O", "B", "I")
#: Added to the score of starting a cue: PolNeAR leaves many true cues unannotated, so
#: trading a little measured precision for recall keeps F1 level and helps sentence recall.
RECALL_BIAS = 3.0
#: Decimals a label's score is compared at: the weights have three, so sums of them are exact
#: here and a tie (a real one) goes to the first label, whatever order the terms were added in.
SCORE_DIGITS = 6

_TOKEN = re.compile(r"\w+(?:[-.]\w+|[’'](?!s\b)\w+)*|[’']s\b|\S")
OPEN_QUOTES = frozenset("“‘«")
CLOSE_QUOTES = frozenset("”’»")
STRAIGHT_QUOTES = frozenset("\"")


class Token(NamedTuple):
    """A word or punctuation mark (a named tuple: made by the million, so cheap to create)."""

    start: int
    end: int
    text: str
    lower: str


#: Makes a Token from a tuple of its fields, without the Python-level ``Token.__new__``.
_make_token = functools.partial(tuple.__new__, Token)


def tokenize(text: str) -> list[Token]:
    """Word and punctuation tokens with their offsets in ``text``."""
    return [_make_token((m.start(), m.end(), word, word.lower())) for m in _TOKEN.finditer(text) for word in (m.group(),)]


def inflections(base: str) -> set[str]:
    """A verb's base form with its -s, -ed and -ing forms."""
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
    for base in word_list("reporting_verbs"):
        for form in inflections(base):
            table.setdefault(form, base)
    table.update(word_pairs("irregular_verbs"))
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


#: A word of a cue: letters, digits, apostrophes and hyphens ("didn't", "well-documented").
_CUE_WORD = re.compile(r"[\w'’-]+")


def words_of_cue(text: str) -> list[str]:
    """A cue's words, lower-cased, without the punctuation its span may take in ("said:")."""
    return _CUE_WORD.findall(text.lower())


def is_claim_verb(word: str) -> bool:
    """A reporting verb that puts a claim on its subject ("said", "believes", "estimated"),
    as opposed to one of stance or action that PolNeAR also counts ("backs", "plans")."""
    return lemma(word) in word_list("claim_verbs")


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


_QUOTE_MARKS = OPEN_QUOTES | CLOSE_QUOTES | STRAIGHT_QUOTES
#: Punctuation a quotation ends with, before its closing mark ("…weakness," / "…weakness.").
_CLOSING_MARKS = frozenset({",", ".", "!", "?", ";", "…", ")", "'", "’", "-", "—", "–"})
_TEXT = operator.itemgetter(2)
_LOWER = operator.itemgetter(3)


def quote_depths(tokens: list[Token]) -> list[bool]:
    """Whether each token stands inside a quotation (curly quotes nest; straight ones toggle,
    from inside when the sentence opens within a quotation: :func:`_closes_earlier_quote`)."""
    if _QUOTE_MARKS.isdisjoint(map(_TEXT, tokens)):
        return [False] * len(tokens)  # most sentences: no quotation mark (tested without a Python loop)
    inside: list[bool] = []
    depth = 0
    straight_open = _closes_earlier_quote(tokens)
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
        if text in OPEN_QUOTES:
            depth += 1
    return inside


def _closes_earlier_quote(tokens: list[Token]) -> bool:
    """Whether the sentence's first straight quotation mark closes a quotation opened in an
    earlier sentence ("…not strength," added one trader.): it stands against the word or the
    closing punctuation before it and apart from what follows, as a closing mark is written; an
    opening one stands apart from the word before (or against a colon: 'said:"We') and against
    the word after."""
    first = next((i for i, token in enumerate(tokens) if token.text in STRAIGHT_QUOTES), None)
    if not first or any(token.text in OPEN_QUOTES for token in tokens[:first]):
        return False  # a curly quotation opened before it, which it closes: “good neighbour,"
    before = tokens[first - 1]
    # An inch mark follows a digit ("6' 2\" tall"), no quotation.
    attached_before = before.end == tokens[first].start and not before.text[-1].isdigit() and (
        before.text[0].isalnum() or before.text in _CLOSING_MARKS)
    apart_after = first + 1 == len(tokens) or tokens[first + 1].start > tokens[first].end
    return attached_before and apart_after


@functools.cache
def _classes() -> dict[str, str]:
    """The classes of the function words (from the lexicon) and marks that frame reporting clauses."""
    return {**word_pairs("function_word_classes"), ",": "comma", ":": "colon", ".": "stop"}


def _word_class(token: Token, shape: str) -> str:
    """A coarse syntactic class: the handful of words that frame reporting clauses, else shape."""
    if token.text in OPEN_QUOTES or token.text in CLOSE_QUOTES or token.text in STRAIGHT_QUOTES:
        return "quote"
    known = _classes().get(token.lower)
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
        for token, context in zip(tokens, context_features(tokens, inside), strict=True)
    ]


def context_features(tokens: list[Token], inside: list[bool]) -> list[list[str]]:
    """The features of each token that depend on its neighbours, quotes and position."""
    nouns = word_list("reporting_nouns")
    lowers = [t.lower for t in tokens]
    lemmas = [lemma(w) for w in lowers]
    verbish = [is_reporting_verb(w) for w in lowers]
    nounish = [w in nouns for w in lowers]
    shapes = [_shape(t.text) for t in tokens]
    count = len(tokens)
    classes = [_word_class(t, shape) for t, shape in zip(tokens, shapes, strict=True)]
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


#: Summed weights of some features for the labels O, B and I, and the B-minus-O margin.
Scores = tuple[float, float, float, float]
_ZERO: Scores = (0.0, 0.0, 0.0, 0.0)
#: Weights by feature template, then by what the feature names (``tables["s3"]["aid"]`` is the
#: feature ``s3=aid``; one without "=", such as "first", is under ``tables["first"][""]``), each
#: as the scores of that feature alone.
Tables = dict[str, dict[str, Scores]]
#: The weights as kept in the derived-data cache: the features of no particular word (suffixes,
#: shapes, classes, flags) as :data:`Tables`, and those of each word and each lemma as a record
#: (field -> scores, see :func:`_record_of`) packed with ``marshal`` (:class:`Records`). Only the
#: records of the words a run meets are unpacked: reading every weight cost most of a one-article
#: run's start.
Weights = tuple[Tables, "StoredRecords", "StoredRecords"]
#: Records as :meth:`Records.packing` keeps them: the field names, the scale of the weights, the table.
StoredRecords = tuple[tuple[str, ...], int, Packed]
#: Templates whose value is a (lower-case) word, and those whose value is a lemma.
_WORD_TEMPLATES = frozenset({"w", "p1", "p2", "n1", "n2", "vlexn1", "vlexp1"})
_LEMMA_TEMPLATES = frozenset({"l", "pl1", "nl1"})
_PREVIOUS_LABELS = ("<s>", *LABELS)


def _template(feature: str) -> tuple[str, str]:
    template, _, value = feature.partition("=")
    return template, value


def _record_of(template: str, value: str) -> tuple[bool, str, str] | None:
    """Where a feature's weights are kept: (in a word's record rather than a lemma's, that word
    or lemma, the field of the record), or None for the features of no particular word."""
    if template in _WORD_TEMPLATES:
        return True, value, template
    if template in _LEMMA_TEMPLATES:
        return False, value, template
    if template == "lq" and value:  # "lq=" + lemma + "n" or "q"
        return False, value[:-1], template + value[-1]
    if template in ("lpc", "lnc") and "|" in value:  # lemma + "|" + class
        lem, _, klass = value.rpartition("|")
        return False, lem, template + klass
    if template == "prevw":  # label + "w=" + word
        for label in _PREVIOUS_LABELS:
            if value.startswith(label + "w="):
                return True, value[len(label) + 2 :], template + label
    return None


def _read_weights() -> Weights:
    """The model's weights arranged as :data:`Weights` (kept in the derived-data cache)."""
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as handle:
        weights = json.load(handle)["weights"]
    tables: Tables = {}
    word_rows: dict[str, dict[str, list[float]]] = {}
    lemma_rows: dict[str, dict[str, list[float]]] = {}
    for feature, row in weights.items():
        template, value = _template(feature)
        holder = _record_of(template, value)
        if holder is None:
            tables.setdefault(template, {})[value] = _fold((row,))
        else:
            of_word, key, field = holder
            (word_rows if of_word else lemma_rows).setdefault(key, {})[field] = row
    return tables, Records.packing(word_rows), Records.packing(lemma_rows)


#: The record of a word or lemma with no weights of its own (shared; never written to).
_NO_WEIGHTS: dict[str, Scores] = {}
#: Weights are kept as whole thousandths where every one is (the trainer rounds them to three
#: decimals): half the bytes of floats in what every run reads.
_THOUSANDTHS = 1000


class Records:
    """The record of each word (or lemma), field -> scores, as kept in the derived-data cache:
    each record marshalled alone as a flat tuple (field number, outside, begin, inside, …) in
    buckets of a :class:`~citelint.derived.PackedTable`, so a run unpacks the buckets it opens
    as bytes, and only the records it asks for into scores, each once."""

    def __init__(self, stored: StoredRecords) -> None:
        self.fields, self.scale, table = stored
        self._packed: PackedTable[bytes] = PackedTable(table)
        self._unpacked: dict[str, dict[str, Scores]] = {}  # bounded by the model's vocabulary

    @staticmethod
    def packing(rows: dict[str, dict[str, list[float]]]) -> StoredRecords:
        """What :class:`Records` reads, from each key's rows of weights (field -> [O, B, I])."""
        fields = tuple(sorted({field for record in rows.values() for field in record}))
        number = {field: index for index, field in enumerate(fields)}
        # Only a row's first three weights count, as in _fold; a weight that is no finite number
        # of thousandths (NaN, infinity, more decimals) keeps the table's weights as floats.
        exact = all(math.isfinite(value * _THOUSANDTHS) and round(value * _THOUSANDTHS) / _THOUSANDTHS == value
                    for record in rows.values() for row in record.values() for value in row[:3])
        scale = _THOUSANDTHS if exact else 1
        flat = {key: tuple(item for field, row in record.items()
                           for item in (number[field], *(round(v * scale) if exact else float(v) for v in row[:3])))
                for key, record in rows.items()}
        return fields, scale, packed({key: marshal.dumps(values) for key, values in flat.items()})

    def get(self, key: str) -> dict[str, Scores]:
        """The record of ``key``: the scores of each field, as :func:`_fold` sums one row."""
        found = self._unpacked.get(key)
        if found is None:
            stored = self._packed.get(key)
            if stored is None:
                return _NO_WEIGHTS
            flat, fields, scale = marshal.loads(stored), self.fields, self.scale
            found = {}
            for index in range(0, len(flat), 4):
                outside, begin = 0.0 + flat[index + 1] / scale, 0.0 + flat[index + 2] / scale
                found[fields[flat[index]]] = (outside, begin, 0.0 + flat[index + 3] / scale, begin - outside)
            self._unpacked[key] = found
        return found


def _fold(rows) -> Scores:
    """The summed scores of some features' rows (None for a feature without weights), added in
    the order given: the tagger's decisions are exactly those of this sum, so its order is fixed."""
    outside = begin = inner = 0.0
    for row in rows:
        if row is not None:
            outside += row[0]
            begin += row[1]
            inner += row[2]
    return outside, begin, inner, begin - outside


@dataclass(slots=True)
class _WordForm:
    """What one word form (as written) adds to its own score and to its neighbours', summed
    once per form: every context feature of :func:`context_features` is a function of one
    neighbour's form, of a neighbour's shape and class, or of a few flags."""

    lower: str
    lem: str
    shape: str
    klass: str
    verbish: bool
    own: tuple[Scores, Scores]  # its word features (and lexicon flags), outside / inside quotes
    as_prev1: Scores  # seen from the token after it
    as_prev2: Scores
    as_next1: Scores  # seen from the token before it
    as_next2: Scores
    # the reporting-verb context features it gives a verb-like neighbour before / after it
    as_verb_next: Scores
    as_verb_prev: Scores
    key: str  # its shape and class, which is all its neighbours' pairing features see of it
    # Pairing features with the token before / after it, keyed by that token's key; shared by
    # the forms of one lemma and shape ("says", "said"), whose pairing features are the same.
    after: dict[str, Scores]
    before: dict[str, Scores]
    previous: dict[str, Scores]  # keyed by the label before it; shared by forms of one lower case
    weights: dict[str, Scores]  # the record of its word (see _record_of)
    lemma_weights: dict[str, Scores]  # the record of its lemma


#: Word forms the tagger remembers between documents (about 50 MB at most).
_FORM_LIMIT = 1 << 14


class CueTagger:
    """Averaged-perceptron B/I/O tagger over :func:`token_features` plus the previous label.

    Scoring is exactly the sum of the weights of :func:`with_previous` (the features training
    sees), but arranged so that no feature string is built per token: each word form's share
    is summed once (:class:`_WordForm`) and the rest come from small tables.
    """

    def __init__(self, weights: Weights) -> None:
        tables, words, lemmas = weights
        self._word_records, self._lemma_records = Records(words), Records(lemmas)
        #: template -> value -> scores; a template the model lacks reads as empty
        self.tables: defaultdict[str, dict[str, Scores]] = defaultdict(dict, tables)
        self._forms: dict[str, _WordForm] = {}
        self._pairs: dict[str, dict[str, Scores]] = {}  # class before -> class after -> scores
        self._shared: dict[tuple, dict[str, Scores]] = {}
        self._flag_scores: dict[tuple, Scores] = {}
        self._start = self._boundary("<s>")
        self._end = self._boundary("</s>")

    @classmethod
    @functools.cache
    def load(cls) -> CueTagger | None:
        try:
            return cls(cached("cue-weights", [MODEL_PATH], _read_weights))
        except (OSError, ValueError, KeyError):
            return None

    def _sum(self, features) -> Scores:
        """The summed scores of features named as training names them ("w=said")."""
        return _fold(map(self._row, features))

    def _row(self, feature: str) -> Scores | None:
        template, value = _template(feature)
        holder = _record_of(template, value)
        if holder is None:
            return self.tables[template].get(value)
        of_word, key, field = holder
        return (self._word(key) if of_word else self._lemma(key)).get(field)

    def _word(self, lower: str) -> dict[str, Scores]:
        """The weights of the features naming a (lower-case) word, unpacked at first use."""
        return self._word_records.get(lower)

    def _lemma(self, lem: str) -> dict[str, Scores]:
        return self._lemma_records.get(lem)

    def _boundary(self, key: str) -> _WordForm:
        """The stand-in neighbour before the first or after the last token."""
        return _WordForm(
            key, key, key, key, False, (_ZERO, _ZERO),
            self._sum(("p1=" + key, "pl1=" + key, "pc=" + key)), self._sum(("p2=" + key,)),
            self._sum(("n1=" + key, "nl1=" + key, "nc=" + key)), self._sum(("n2=" + key,)),
            self._sum(("vlexn1=" + key,)), self._sum(("vlexp1=" + key,)), key + "|" + key,
            {}, {}, {}, self._word(key), self._lemma(key),
        )

    def _form(self, text: str) -> _WordForm:
        form = self._forms.get(text)
        if form is not None:
            return form
        if len(self._forms) >= _FORM_LIMIT:
            # The memo serves every document of a run: bounded, or new vocabulary grows it
            # (~3 KB a word form) without end. Starting afresh is cheaper than tracking use,
            # and the words of the next documents come back first.
            self._forms.clear()
            self._shared.clear()
        tables = self.tables
        lower = text.lower()
        lem = lemma(lower)
        shape = _shape(text)
        klass = _word_class(Token(0, 0, text, lower), shape)
        verbish = is_reporting_verb(lower)
        word, of_lemma = self._word(lower), self._lemma(lem)
        # The features of word_features() and the lexicon flags, in that order.
        base = _fold((
            tables["b"].get(""), word.get("w"), of_lemma.get("l"), tables["s3"].get(lower[-3:]),
            tables["sh"].get(shape), tables["s2"].get(lower[-2:]), tables["pre3"].get(lower[:3]),
            tables["vlex"].get("") if verbish else None,
            tables["nlex"].get("") if lower in word_list("reporting_nouns") else None,
        ))

        def quoted(q: str) -> Scores:
            extra = _fold((tables["q"].get(q), of_lemma.get("lq" + q), tables["vlexq"].get(q) if verbish else None))
            return base[0] + extra[0], base[1] + extra[1], base[2] + extra[2], base[3] + extra[3]

        own = (quoted("n"), quoted("q"))
        form = self._forms[text] = _WordForm(
            lower, lem, shape, klass, verbish, own,
            as_prev1=_fold((word.get("p1"), of_lemma.get("pl1"), tables["pc"].get(klass),
                            tables["vlex-1"].get("") if verbish else None)),
            as_prev2=word.get("p2", _ZERO),  # one feature: its scores as stored
            as_next1=_fold((word.get("n1"), of_lemma.get("nl1"), tables["nc"].get(klass),
                            tables["vlex+1"].get("") if verbish else None)),
            as_next2=word.get("n2", _ZERO),
            as_verb_next=word.get("vlexn1", _ZERO),
            as_verb_prev=word.get("vlexp1", _ZERO),
            key=shape + "|" + klass,
            # A lemma or word without weights of its own adds nothing to these: its forms share
            # them with every other such form (of its shape), and fill them once.
            after=self._shared.setdefault(("after", lem if of_lemma else None, shape), {}),
            before=self._shared.setdefault(("before", lem if of_lemma else None, shape), {}),
            previous=self._shared.setdefault(("previous", lower if word else None), {}),
            weights=word,
            lemma_weights=of_lemma,
        )
        return form

    def _after(self, form: _WordForm, left: _WordForm) -> Scores:
        found = form.after[left.key] = _fold((self.tables["psh"].get(left.shape + form.shape),
                                              form.lemma_weights.get("lpc" + left.klass)))
        return found

    def _before(self, form: _WordForm, right: _WordForm) -> Scores:
        found = form.before[right.key] = _fold((self.tables["nsh"].get(form.shape + right.shape),
                                                form.lemma_weights.get("lnc" + right.klass)))
        return found

    def _previous(self, form: _WordForm, label: str) -> Scores:
        found = form.previous[label] = _fold((self.tables["prev"].get(label), form.weights.get("prevw" + label)))
        return found

    def _pair(self, left: _WordForm, right: _WordForm) -> Scores:
        found = self._pairs.setdefault(left.klass, {})[right.klass] = self.tables["pcnc"].get(left.klass + right.klass, _ZERO)
        return found

    def _flags(self, flags: tuple) -> Scores:
        found = self._flag_scores.get(flags)
        if found is None:
            found = self._flag_scores[flags] = self._sum(_flag_features(*flags))
        return found

    def _position_flags(self, forms: list[_WordForm], inside: list[bool]) -> list[Scores]:
        """Each token's quote and position features (one table lookup each)."""
        count = len(forms)
        quote_marks = [form.klass == "quote" for form in forms]
        has_quote = any(quote_marks)
        last = count - 2 if count > 1 and forms[-1].shape == "p" else count - 1
        if not has_quote:  # most sentences: nothing is quoted, only the ends differ
            flags = [self._flags((False, False, (False, False), False, False, False, False))] * count
            for i in {0, last, count - 1}:
                flags[i] = self._flags((False, False, (False, False), i == 0, i >= last, False, False))
            return flags
        return [
            self._flags((
                inside[i], True, (any(quote_marks[i + 1 : i + 4]), any(quote_marks[max(0, i - 3) : i])), i == 0, i >= last,
                i > 0 and inside[i - 1] != inside[i], i + 1 < count and inside[i + 1] != inside[i],
            ))
            for i in range(count)
        ]

    def tag(self, tokens: list[Token], inside: list[bool]) -> list[str]:
        """B/I/O labels for a sentence's tokens, chosen greedily left to right.

        After an O (most tokens) only B or O can follow, so only the B-minus-O margin
        (the fourth score) is summed.
        """
        if not tokens:
            return []
        known = self._forms
        forms = [known.get(token.text) or self._form(token.text) for token in tokens]
        padded = [self._start, self._start, *forms, self._end, self._end]
        position_flags = self._position_flags(forms, inside)
        labels: list[str] = []
        previous = "<s>"
        pairs = self._pairs
        no_pairs: dict[str, Scores] = {}
        for i, form in enumerate(forms):
            # Table lookups inline; the methods fill a table on a miss.
            prev1, next1 = padded[i + 1], padded[i + 3]
            own, p1, p2, n1, n2 = form.own[inside[i]], prev1.as_prev1, padded[i].as_prev2, next1.as_next1, padded[i + 4].as_next2
            after = form.after.get(prev1.key) or self._after(form, prev1)
            before = form.before.get(next1.key) or self._before(form, next1)
            pair = pairs.get(prev1.klass, no_pairs).get(next1.klass) or self._pair(prev1, next1)
            last = form.previous.get(previous) or self._previous(form, previous)
            flags = position_flags[i]
            extra = tuple(map(operator.add, next1.as_verb_next, prev1.as_verb_prev)) if form.verbish else _ZERO
            # Sums are rounded (SCORE_DIGITS): a tie must not be broken by the order of the terms.
            if previous == "O" or previous == "<s>":  # I only continues a cue
                margin = round(RECALL_BIAS + own[3] + p1[3] + p2[3] + n1[3] + n2[3] + after[3] + before[3] + pair[3]
                               + flags[3] + last[3] + extra[3], SCORE_DIGITS)
                previous = "B" if margin > 0 else "O"
            else:  # each label's sum, its terms added in the margin's order
                outside = round(own[0] + p1[0] + p2[0] + n1[0] + n2[0] + after[0] + before[0] + pair[0]
                                + flags[0] + last[0] + extra[0], SCORE_DIGITS)
                begin = round(own[1] + p1[1] + p2[1] + n1[1] + n2[1] + after[1] + before[1] + pair[1]
                              + flags[1] + last[1] + extra[1] + RECALL_BIAS, SCORE_DIGITS)
                inner = round(own[2] + p1[2] + p2[2] + n1[2] + n2[2] + after[2] + before[2] + pair[2]
                              + flags[2] + last[2] + extra[2], SCORE_DIGITS)
                # the first of the highest, as max() would choose
                previous = "B" if begin > outside and begin >= inner else "I" if inner > outside and inner > begin else "O"
            labels.append(previous)
        return labels


def _flag_features(quoted: bool, has_quote: bool, near: tuple[bool, bool], first: bool, last: bool,
                   edge_before: bool, edge_after: bool) -> list[str]:
    """The features of :func:`context_features` that depend only on quotes and position."""
    features = [
        "hq=" + ("y" if has_quote else "n") + ("q" if quoted else "n"),
        "qn=" + ("a" if near[0] else "-") + ("b" if near[1] else "-"),
    ]
    if first:
        features.append("first")
    if last:
        features.append("last")
    if edge_before:
        features.append("qedge-")
    if edge_after:
        features.append("qedge+")
    return features


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
        elif is_reporting_verb(token.lower) and lemma(token.lower) in word_list("fallback_cue_verbs"):
            labels.append("B")
        else:
            labels.append("O")
    return labels


_DASHES = frozenset("―—–")


_SENTENCE_ENDS = frozenset({".", "!", "?"})
#: The most tokens between a comma and a sentence-final speech verb (a name of several words
#: counts as one word of the subject: "Royal Bank of Ruritania figures"), and the most words of
#: the subject after its determiner ("the harbour figures").
_MAX_FINAL_SUBJECT = 8
_MAX_FINAL_SUBJECT_WORDS = 2


@functools.cache
def _rule_cue_openers() -> frozenset[str]:
    """The (lower-case) tokens at which :func:`rule_cues` can find a cue."""
    return (word_list("clause_verbs") | word_list("document_finding_verbs") | word_list("results_report_verbs")
            | word_list("be_forms") | _DASHES
            | _SENTENCE_ENDS | {":", "that"})


#: Tokens that end the clause before a subject ("Prices fell, and figures show …").
_CLAUSE_BREAKS = frozenset({",", ";", ":"}) | _DASHES


@functools.cache
def _document_noun_ends() -> frozenset[str]:
    """The last words of the document nouns ("figures", "paper" of "white paper")."""
    return frozenset(noun.split()[-1] for noun in word_list("document_nouns"))


def _document_reports_clause(tokens: list[Token], verb: int) -> bool:
    """Whether a verb of finding (lexicon ``document_finding_verbs``) follows a document noun that
    heads its clause's subject and comes before a word that may open a clause: "Figures show fares
    rose", "A Kelso study found most drivers speed"; not a participle before a preposition or a
    time phrase ("the report found under his desk", "the data found last week"), nor the object
    of a relative clause ("Officials who compiled the figures showed reporters around")."""
    after = tokens[verb + 1].lower
    if tokens[verb - 1].lower not in _document_noun_ends() or not tokens[verb + 1].text[:1].isalnum() \
            or after == "that" or after in word_list("object_prepositions") or after in word_list("time_leaders"):
        return False
    subject = itertools.takewhile(lambda token: token.text not in _CLAUSE_BREAKS, reversed(tokens[:verb - 1]))
    return not any(token.lower in word_list("relative_pronouns") for token in subject)


def is_verb_or_auxiliary(word: str) -> bool:
    """Whether a (lower-case) word is surely a verb: one of reporting or an auxiliary. After a
    verb that may be a noun, it makes that word a noun, the subject of this verb ("Kelby Council
    estimates show…", "… claims were", "the reported figures were")."""
    return is_reporting_verb(word) or word in word_list("be_forms") or word in word_list("have_forms")


#: The most auxiliaries and adverbs between an organisation and its verb of results ("has also reported").
_MAX_RESULTS_GAP = 2


def _subject_before(tokens: list[Token], verb: int) -> int:
    """The index of the last word of the verb's subject: back past up to two auxiliaries or
    adverbs of lexicon ``subject_verb_fillers`` ("has also reported"), an abbreviation's full
    stop ("Tarrow Inc. reported") and a ticker in angle brackets ("Tarrow Inc <TRW> reported").
    The verb must not open the sentence."""
    j = verb - 1
    fillers = word_list("subject_verb_fillers")
    while j > 0 and verb - j <= _MAX_RESULTS_GAP and tokens[j].lower in fillers:
        j -= 1
    if j > 0 and tokens[j].text == "." and tokens[j - 1].text[:1].isupper():
        j -= 1
    if j > 2 and tokens[j].text == ">" and tokens[j - 2].text == "<":
        j -= 3
    return j


def _organisation_reports_results(tokens: list[Token], verb: int) -> bool:
    """Whether a verb of results (lexicon ``results_report_verbs``, lower-case) has an
    organisation word, a referring pronoun or a name's last word (capitalised, not the sentence's
    first word, which is capitalised anyway, even after an opening quotation mark) for its subject
    and an object after it, which may open with a currency sign: "the company reported net income
    of…", "Tarrow Inc. reported $5m", "which reported sales rose"; not "the reported figures",
    "reported to police", "Newly reported cases"."""
    after = tokens[verb + 1]
    opens_object = after.text[:1].isalnum() or unicodedata.category(after.text[:1]) == "Sc"
    if not tokens[verb].text[0].islower() or not opens_object or after.lower == "that" \
            or after.lower in word_list("object_prepositions") or is_verb_or_auxiliary(after.lower):
        return False
    subject = _subject_before(tokens, verb)
    word = tokens[subject]
    # The sentence's first word is capitalised anyway, after an opening quotation mark too.
    opens_sentence = not any(token.text[:1].isalnum() for token in tokens[:subject])
    return word.lower in word_list("organisation_heads") or word.lower in word_list("referring_pronouns") \
        or (not opens_sentence and word.text[:1].isupper() and word.lower not in word_list("not_subjects"))


@functools.cache
def _verb_that_gap_words() -> frozenset[str]:
    """What may stand between a speech verb and its "that" ("warned only last month that",
    "said again on Monday that"), besides adverbs in -ly."""
    return (word_list("focus_particles") | word_list("time_words") | word_list("time_word_openers")
            | word_list("subject_verb_fillers"))


def _names_subject(tokens: list[Token], verb: int) -> bool:
    """Whether a verb that may be a noun or a participle has a name or an organisation for its
    subject and a clause after it: the word before is capitalised, and not the sentence's first
    word unless the subject's own possessive or a pronoun follows the verb, or, for a verb of
    lexicon ``organisation_subject_clause_verbs``, an organisation word ("the bank forecasts
    growth will…"); the word after is no verb of reporting or auxiliary, which would make the word
    a noun ("Vossler claims its collapse…", "Datatrack estimates the number…"; not "Welfare claims
    fell", "Insurance claims the company paid", "the storm claimed 40 lives", "Kelby Council
    estimates show…", "trade forecasts ranged")."""
    before = tokens[verb - 1]
    organisation = before.lower in word_list("organisation_heads") \
        and tokens[verb].lower in word_list("organisation_subject_clause_verbs")
    if not before.text[0].isupper() and not organisation:
        return False
    after = tokens[verb + 1].lower
    if is_verb_or_auxiliary(after):
        return False  # "Kelby Council estimates show…", "… claims were": a plural noun before its verb
    return verb > 1 or after in word_list("subject_possessives") or after in word_list("subject_pronouns")


def rule_cues(tokens: list[Token]) -> list[tuple[int, int]]:
    """Cues that a pattern finds more reliably than the tagger, as token ranges.

    * a speaker's colon: "Jane Roe: We will appeal", "ROE: Thank you" (a short run of
      capitalised words opening the sentence, then a colon);
    * a credit dash after a quotation: “We will appeal.” ― Jane Roe;
    * an agentless passive: "it is believed", "is widely considered", "has been criticized";
    * a belief or speech verb between its subject and a clause: "investigators believe China…",
      "analysts fear the…" (the tagger misses these where a "that" is left out);
    * a speech verb parted from its "that" by a time phrase or an adverb: "warned only last month
      that…" (the tagger, reading a word and its neighbours, misses the verb there);
    * a document's verb of finding before a clause with no "that": "Figures show fares rose…";
    * an organisation's verb of results before its object: "the company reported net income of…";
    * a speech verb ending the sentence after a comma and its subject: "…, ferry operators
      claim.", "…, new figures show." (the tagger finds "…, analysts say." but few others).
    """
    # The word lists are looked up once per sentence, not once per token.
    clause_verbs, not_subjects = word_list("clause_verbs"), word_list("not_subjects")
    not_clause_starts, be_forms = word_list("not_clause_starts"), word_list("be_forms")
    after_names, finding_verbs = word_list("name_subject_clause_verbs"), word_list("document_finding_verbs")
    results_verbs = word_list("results_report_verbs")
    found = []
    # Only the tokens that can open one of these cues are visited (picked out without a Python loop).
    openers = _rule_cue_openers()
    for i in itertools.compress(range(len(tokens)), map(openers.__contains__, map(_LOWER, tokens))):
        token = tokens[i]
        if token.lower in clause_verbs and 0 < i < len(tokens) - 1:
            before, after = tokens[i - 1], tokens[i + 1]
            if before.text[:1].isalpha() and before.lower not in not_subjects \
                    and after.text[:1].isalnum() and after.lower not in not_clause_starts \
                    and (token.lower not in after_names or _names_subject(tokens, i)):
                found.append((i, i + 1))
                continue
        if token.lower in finding_verbs and 0 < i < len(tokens) - 1 and _document_reports_clause(tokens, i):
            found.append((i, i + 1))
            continue
        if token.lower in results_verbs and 0 < i < len(tokens) - 1 and _organisation_reports_results(tokens, i):
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
        elif token.lower == "that" and i > 1:
            verb = _verb_before_that(tokens, i)
            if verb is not None:
                found.append((verb, verb + 1))
        elif token.text in _SENTENCE_ENDS:
            if _ends_inverted_report(tokens, i):
                found.append((i - 1, i))
        elif token.lower in be_forms:
            j = i + 1
            while j < len(tokens) and tokens[j].lower.endswith("ly") and j - i <= 2:
                j += 1
            if j < len(tokens) and tokens[j].lower in word_list("agentless_participles"):
                has_been = token.lower == "been" and i > 0 and tokens[i - 1].lower in word_list("have_forms")
                start = i - 1 if has_been else i
                found.append((start, j + 1))
    return found


@functools.cache
def _noun_determiners() -> frozenset[str]:
    """Words before a noun, never before the verb of a clause ("the claim", "her report"): built
    once, as :func:`rule_cues` asks at every "that"."""
    return word_list("articles") | word_list("definite_determiners")


#: Filler words a speech verb and its "that" may have between them.
_MAX_VERB_THAT_GAP = 4


def _ends_inverted_report(tokens: list[Token], end: int) -> bool:
    """Whether the words before the sentence's final stop ``end`` are a comma, a short subject
    and a speech verb ("…, ferry operators claim."), not an aside with no subject ("…, as
    expected."), a relative clause ("…, which nobody had forecast.") or a passive ("…, it is
    said.")."""
    verb = end - 1
    if verb < 2 or not tokens[verb].text.islower() or tokens[verb].lower.endswith("ing") \
            or not is_claim_verb(tokens[verb].lower):
        return False
    comma = next((k for k in range(verb - 1, max(verb - 2 - _MAX_FINAL_SUBJECT, -1), -1) if tokens[k].text == ","), None)
    if comma is None or comma == verb - 1:
        return False
    subject = tokens[comma + 1:verb]
    opening = 1 if subject[0].lower in _noun_determiners() and len(subject) > 1 else 0
    joins = _name_joiners(subject[opening:])
    if subject[0].lower in word_list("indefinite_articles") or len(joins) - sum(joins) > _MAX_FINAL_SUBJECT_WORDS:
        return False  # "…, a figure unions dispute.", "…, the first rise economists recorded."
    not_in_subject = _not_in_final_subjects()
    return all(t.text.replace("-", "").replace("'", "").replace("’", "").isalpha()
               and (joined or t.lower not in not_in_subject and not t.lower.endswith(("ed", "ing")))
               for t, joined in zip(subject[opening:], joins, strict=True))  # no verb of its own: "Harwick Town dropped points."


def _name_joiners(tokens: list[Token]) -> list[bool]:
    """For each token, whether it continues the name before it, so that a name counts as one word
    of a subject ("Bank of Ruritania figures": two words): a capitalised word after a capitalised
    one, or a connective between two ("of")."""
    joins: list[bool] = []
    for i, token in enumerate(tokens):
        in_name = i > 0 and (tokens[i - 1].text[:1].isupper() or joins[-1])
        connective = token.lower in word_list("name_connectives") and i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper()
        joins.append(in_name and (token.text[:1].isupper() or connective))
    return joins


@functools.cache
def _not_in_final_subjects() -> frozenset[str]:
    """Words that make the words before a sentence-final verb no subject of its: those that show
    a verb has none (``not_subjects``: "as", "to"), a relative pronoun, an auxiliary."""
    return word_list("not_subjects") | word_list("relative_pronouns") | word_list("be_forms") | word_list("have_forms")


def _verb_before_that(tokens: list[Token], that: int) -> int | None:
    """The speech verb a few filler words before ``that`` ("warned only last month that"), not a
    noun ("the claim last week that", "Reports earlier this year that") nor a verb right before
    it, which the tagger reads."""
    gap, j = _verb_that_gap_words(), that - 1
    while j > 0 and that - j <= _MAX_VERB_THAT_GAP and (tokens[j].lower in gap or tokens[j].lower.endswith("ly")):
        j -= 1
    if j == that - 1 or not is_claim_verb(tokens[j].lower) or not tokens[j].text.islower() \
            or (j > 0 and tokens[j - 1].lower in _noun_determiners()):
        return None  # not "Reports earlier this year that", "her report last year that"
    return j


def _tidy(tokens: list[Token], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join cues that touch (one phrase tagged as two), take in the reporting verb after an
    auxiliary or adverb tagged alone, and trim words that are not cue."""
    joined: list[tuple[int, int]] = []
    for first, last in spans:
        if joined and joined[-1][1] == first:
            first = joined.pop()[0]
        joined.append((first, last))
    time_words, not_cue_endings = word_list("time_words"), word_list("not_cue_endings")
    fillers = word_list("subject_verb_fillers")
    be_forms = word_list("be_forms")
    tidy = []
    for first, last in joined:
        only_fillers = all(token.lower in fillers for token in tokens[first:last])
        in_passive = any(token.lower in be_forms for token in tokens[max(0, first - 1):last])
        if only_fillers and last - first > 1 and in_passive:
            continue  # "is widely", "(is) now widely" tagged before "believed": a passive, held by no one named
        if last - first == 1 and only_fillers and last < len(tokens) and is_claim_verb(tokens[last].lower):
            last += 1  # "has found", "now claim" tagged as "has", "now" alone: the verb after is the cue
        while last - first > 1 and tokens[first].lower in time_words:
            first += 1
        while last - first > 1 and tokens[last - 1].lower in not_cue_endings:
            last -= 1
        if not (last - first == 1 and tokens[first].lower in time_words):
            tidy.append((first, last))
    return tidy


def _concedes(tokens: list[Token], first: int, last: int) -> bool:
    """Whether a cue is the participle of a sentence's opening concession ("That said, …"):
    after nothing but its pronoun object and before a comma, it reports no one."""
    return first == 1 and last - first == 1 and tokens[0].lower in word_list("absolute_objects") \
        and last < len(tokens) and tokens[last].text == ","


def _without_plural_noun(tokens: list[Token], first: int, last: int) -> tuple[int, int] | None:
    """A cue without the plural noun it opens with after a quantifier ("several suspects have been
    detained", "some predictions had expected", "few calls for"): a verb after a plural
    quantifier takes no "-s" ("many believe" is a verb). What is left is the cue if it opens with
    a verb ("had expected"); otherwise there is none ("suspects", "calls for")."""
    if first == 0 or tokens[first - 1].lower not in word_list("hedge_quantifiers") \
            or not tokens[first].lower.endswith("s") or tokens[first].lower.endswith("ss"):
        return first, last
    verb = tokens[first + 1].lower if first + 1 < last else ""
    return (first + 1, last) if is_verb_or_auxiliary(verb) or is_claim_verb(verb) else None


def find_cue_tokens(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token ranges of the cues in one sentence."""
    if not tokens:
        return []
    tagger = CueTagger.load()
    if tagger is None:
        labels = lexicon_labels(tokens)
    else:
        labels = tagger.tag(tokens, quote_depths(tokens))
    spans = []
    for tagged in _tidy(tokens, label_spans(labels)):
        trimmed = None if _concedes(tokens, *tagged) else _without_plural_noun(tokens, *tagged)
        if trimmed is not None:
            spans.append(trimmed)
    for rule_cue in rule_cues(tokens):
        trimmed = _without_plural_noun(tokens, *rule_cue)
        if trimmed is None or any(start < trimmed[1] and trimmed[0] < end for start, end in spans):
            continue
        first, last = trimmed
        # A plural noun the tagger took for a cue just before is the rule cue's subject, one
        # phrase with it ("…, reports" + "claim"); no other cue is joined to a rule's.
        touching = next((k for k, (start, end) in enumerate(spans)
                         if end == first and end - start == 1 and tokens[start].lower in word_list("vague_source_heads")),
                        None)
        if touching is None:
            spans.append((first, last))
        else:
            spans[touching] = (spans[touching][0], last)
    return sorted(spans)
