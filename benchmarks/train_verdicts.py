"""Train the verdict scorer (``citelint/analysis/models/verdicts.json.gz``) on citelint's own
blind-annotated training set, and report cross-validated precision and recall per rule.

    python3 benchmarks/train_verdicts.py                 # cross-validate, then train on all, write the model
    python3 benchmarks/train_verdicts.py --folds 5 --no-write

Data recipe: ``benchmarks/training_set.py build`` lays out the training articles (BBC, Reuters
and PolNeAR *train* articles annotated blind to ../shared/docs/annotation-guide.md; never the
annotated dev set) from ../shared/corpora. Every verdict a rule may report is a candidate; its
label is whether the finding it would make overlaps a gold place of that rule (a place marked
optional is left out of training). One L2-regularised logistic regression per subject, fitted
by scikit-learn (``pip install -e '.[train]'``), so a run is repeatable. Features seen fewer than
``--min-count`` times are dropped, and the rest stored rounded. The claim scorer (sentences) also
reads each sentence's mean word vector from ``benchmarks/word_vectors.py``'s table, and ships it
as one score per word (``word_scores``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import training_set  # noqa: E402
from benchmarks.word_vectors import WORD_VECTORS_PATH, read_table  # noqa: E402
from citelint.analysis import scoring  # noqa: E402
from citelint.analysis.provenance import SCORER_DECIDES  # noqa: E402
from citelint.analysis.scoring import MODEL_PATH, confidence, features  # noqa: E402
from citelint.checks import CHECKS  # noqa: E402
from citelint.checks.provenance import FigureOptions, set_against  # noqa: E402
from citelint.config import Config  # noqa: E402
from citelint.engine import Linter  # noqa: E402

#: subject of the verdict -> the rule that reports it
RULES = {
    "attribution": "vague-attribution",
    "figure": "unsourced-figure",
    "source": "unlinked-source",
    "sentence": "unattributed-claim",
}

@dataclass
class Example:
    article: str
    subject: str
    features: list[str]
    #: 1 = an editor flags it, 0 = not; None = only an optional place (left out of training)
    label: int | None
    span: tuple[int, int]
    #: the strategy that decided the verdict
    reason: str = ""
    #: a figure the rule reports with the one before it (its ``join-pairs``: "rose 2% to $11bn")
    joins_previous: bool = False

def _gold_places(article: Path, gold: Path) -> list[tuple[tuple[int, int], list[str], bool]]:
    places = []
    for start, item in training_set.guide_places(article.read_text(encoding="utf-8-sig"), gold):
        if start < 0:
            continue
        rules = [item["rule"]] if isinstance(item["rule"], str) else list(item["rule"])
        places.append(((start, start + len(item["text"])), rules, bool(item.get("optional"))))
    return places

def _label(span: tuple[int, int], rule: str, places) -> int | None:
    hits = [optional for (start, end), rules, optional in places if rule in rules and span[0] < end and start < span[1]]
    if not hits:
        return 0
    return None if all(hits) else 1

def _candidate_models() -> dict[str, dict]:
    """A scorer that keeps every candidate (probability 0.5), so each reportable verdict,
    unmarked sentences included, becomes a training example."""
    return {subject: {"bias": 0.0, "weights": {}, "threshold": 0.0, "priors": {}, "word_scores": {}, "word_prior": 0.0}
            for subject in RULES}

def collect(folder: Path) -> tuple[list[Example], dict[str, list]]:
    """Every candidate verdict of every training article, with features and label; and the
    gold places of each article."""
    original = scoring.load_model
    scoring.load_model = _candidate_models  # type: ignore[assignment]
    try:
        linter = Linter(Config())
        examples: list[Example] = []
        places = {}
        for gold in sorted((folder / "gold").glob("*.yml")):
            article = folder / "articles" / (gold.stem + ".txt")
            places[article.stem] = _gold_places(article, gold)
            examples.extend(_article_examples(linter, article, places[article.stem]))
        return examples, places
    finally:
        scoring.load_model = original  # type: ignore[assignment]

def _article_examples(linter: Linter, article: Path, places) -> list[Example]:
    from citelint.analysis import Analysis
    from citelint.document import parse

    text = article.read_text(encoding="utf-8-sig")
    registry = linter.registry_for(article)
    analysis = Analysis(parse(text, article.name, "text"), registry_factory=lambda: registry, claims_only=True)
    found = []
    for item in linter.active_rules(article):
        if item.rule.name not in RULES.values():
            continue
        # Each figure is a candidate of its own: the rule joins a pair after scoring them.
        options = replace(item.options, join_pairs=False) if isinstance(item.options, FigureOptions) else item.options
        previous = None
        for finding in CHECKS[item.rule.check].run(analysis, options):
            verdict = finding.verdict
            assert verdict is not None
            span = (finding.offset, finding.end_offset)
            joins = isinstance(options, FigureOptions) and item.options.join_pairs and previous is not None \
                and set_against(analysis, previous, verdict)
            found.append(Example(article.stem, verdict.subject, features(analysis, verdict),
                                 _label(span, item.rule.name, places), span, verdict.reason, joins))
            previous = verdict
    return found

#: A strategy that decided fewer training candidates than this gets its observed precision as
#: confidence instead of the model's guess (its words are too rare for the model to learn).
SPARSE_REASON = 30


#: The subject whose model adds the mean word vector of its sentence (see word_vectors.py).
VECTOR_SUBJECT = "sentence"
WORD_PREFIX = "w="


#: The mean word vector counts this many average words (zero vectors) besides the sentence's
#: own, so a fragment of one or two words is not judged on one word's extreme vector ("Investment"
#: on a web page's menu); cross-validated AUC 0.789 with none, 0.793 with two.
WORD_PRIOR = 2.0


class SentenceVectors:
    """A sentence's mean word vector (with ``WORD_PRIOR`` average words), each dimension
    standardised over the training rows, so the L2 penalty weighs every dimension alike. A weight
    per dimension on it is one score per word (``word_scores``), which is what citelint ships."""

    def __init__(self, table: dict[str, list[float]], rows: list[Example]):
        self.table = table
        means = [mean for mean in map(self._raw_mean, rows) if mean is not None] or [[0.0] * len(next(iter(table.values())))]
        centre = [math.fsum(column) / len(means) for column in zip(*means, strict=True)]
        self.spread = [max(1e-6, math.sqrt(math.fsum((m[k] - centre[k]) ** 2 for m in means) / len(means)))
                       for k in range(len(centre))]

    def _raw_mean(self, example: Example) -> list[float] | None:
        vectors = [self.table[f[len(WORD_PREFIX):]] for f in example.features
                   if f.startswith(WORD_PREFIX) and f[len(WORD_PREFIX):] in self.table]
        # fsum: the exact sum, whatever order the (hash-ordered) word features come in
        return [math.fsum(column) / (len(vectors) + WORD_PRIOR) for column in zip(*vectors, strict=True)] if vectors else None

    def of(self, example: Example) -> list[float]:
        raw = self._raw_mean(example)
        return [] if raw is None else [value / spread for value, spread in zip(raw, self.spread, strict=True)]

    def word_scores(self, weights: list[float]) -> dict[str, float]:
        """Each word's score: the dense weights applied to its own standardised vector. The mean of
        a sentence's word scores is then exactly the dense term the model was trained with."""
        return {f"{WORD_PREFIX}{word}": round(sum(w * v / s for w, v, s in zip(weights, vector, self.spread, strict=True)), 4)
                for word, vector in sorted(self.table.items())}


def train(examples: list[Example], l2: float, min_count: int,
          vectors: dict[str, list[float]] | None = None) -> dict[str, dict]:
    models = {}
    for subject in RULES:
        rows = [e for e in examples if e.subject == subject and e.label is not None]
        counts = Counter(f for e in rows for f in set(e.features))
        dense = SentenceVectors(vectors, rows) if vectors and subject == VECTOR_SUBJECT and rows else None
        kept = [([f for f in e.features if counts[f] >= min_count], e.label, dense.of(e) if dense else [])
                for e in rows]
        models[subject] = _logistic(kept, l2)
        dense_weights = models[subject].pop("dense")
        models[subject]["word_scores"] = dense.word_scores(dense_weights) if dense is not None else {}
        models[subject]["word_prior"] = WORD_PRIOR if dense is not None else 0.0
        by_reason: dict[str, list[int]] = {}
        for e in rows:
            by_reason.setdefault(e.reason, []).append(e.label or 0)
        models[subject]["priors"] = {
            reason: round((sum(labels) + 1) / (len(labels) + 2), 3)
            for reason, labels in sorted(by_reason.items()) if len(labels) < SPARSE_REASON
        }
    return models


#: Weights smaller than this are not stored: half of the claim scorer's ~15,000 word and bigram
#: weights, with no change in cross-validated F1 (0.598 with all, 0.600 without), and a model
#: every run loads faster.
MIN_WEIGHT = 0.05


def _logistic(rows: list, l2: float) -> dict:
    """An L2-regularised logistic regression fitted in full (scikit-learn's L-BFGS: the same rows
    give the same weights), over binary features and, where a row has them, dense ones."""
    import numpy
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    names = sorted({f for feats, _, _ in rows for f in feats})
    column = {name: i for i, name in enumerate(names)}
    indices: list[int] = []
    pointers = [0]
    for feats, _, _ in rows:
        indices.extend(sorted({column[f] for f in feats}))
        pointers.append(len(indices))
    matrix = csr_matrix((numpy.ones(len(indices)), indices, pointers), shape=(len(rows), len(names)))
    dims = max((len(dense) for _, _, dense in rows), default=0)
    if dims:
        matrix = hstack([matrix, csr_matrix([dense or [0.0] * dims for _, _, dense in rows])]).tocsr()
    labels = numpy.array([label for _, label, _ in rows])
    if len(set(labels)) < 2:  # nothing to tell apart: the observed rate, smoothed
        rate = (sum(labels) + 1) / (len(labels) + 2)
        return {"bias": round(math.log(rate / (1 - rate)), 4), "weights": {}, "dense": [0.0] * dims}
    fitted = LogisticRegression(C=1.0 / l2, max_iter=5000).fit(matrix, labels)
    coefficients = [float(value) for value in fitted.coef_[0]]
    return {"bias": round(float(fitted.intercept_[0]), 4),
            "weights": {f: round(w, 4) for f, w in zip(names, coefficients, strict=False) if abs(w) >= MIN_WEIGHT},
            "dense": coefficients[len(names):]}

def cross_validate(examples: list[Example], folds: int, l2: float, min_count: int,
                   vectors: dict[str, list[float]] | None = None,
                   articles: list[str] | None = None) -> list[tuple[Example, float]]:
    """Each example scored by a model trained on the other folds (folds are whole articles).
    Folds are drawn from ``articles``, every article of the training set, so that an analysis
    change giving an article its first candidate does not reshuffle every fold: that alone moved
    an unchanged subject's cross-validated AUC by 0.017."""
    articles = sorted(articles if articles is not None else {e.article for e in examples})
    random.Random(5).shuffle(articles)
    fold_of = {name: i % folds for i, name in enumerate(articles)}
    scored = []
    for fold in range(folds):
        models = train([e for e in examples if fold_of[e.article] != fold], l2, min_count, vectors=vectors)
        scored += [(e, confidence(models[e.subject], e.reason, e.features)) for e in examples if fold_of[e.article] == fold]
    return scored

def as_reported(scored: list[tuple[Example, float]], places: dict[str, list]) -> list[tuple[Example, float]]:
    """The findings the rules make of scored candidates: a figure that joins the one before it
    makes one finding with it, spanning both and as likely as the likelier."""
    reported: list[tuple[Example, float]] = []
    for example, p in sorted(scored, key=lambda item: (item[0].article, item[0].subject, item[0].span)):
        head, q = reported[-1] if reported else (None, 0.0)
        if example.joins_previous and head is not None and head.article == example.article and head.subject == example.subject:
            span = (head.span[0], example.span[1])
            reported[-1] = (replace(head, span=span, label=_label(span, RULES[head.subject], places[head.article])), max(p, q))
        else:
            reported.append((example, p))
    return reported

def measure(scored: list[tuple[Example, float]], places: dict[str, list], min_confidence: float,
            claim_threshold: float) -> dict[str, tuple[int, int, int, int]]:
    """rule -> (true findings, findings, places found, places), counted as score_full.py counts:
    a finding is true when it overlaps a place of its rule, left out when it overlaps only
    optional ones; a place is found when a kept finding of one of its rules overlaps it. A
    candidate is kept at ``min_confidence`` (and, for sentences the scorer decides, at
    ``claim_threshold`` too)."""
    kept: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    counts = {rule: [0, 0, 0, 0] for rule in RULES.values()}
    for example, p in as_reported(scored, places):
        rule = RULES[example.subject]
        if p < min_confidence or (example.reason in SCORER_DECIDES and p < claim_threshold):
            continue
        kept.setdefault(example.article, []).append((rule, example.span))
        if example.label is not None:
            counts[rule][0] += example.label
            counts[rule][1] += 1
    for article, article_places in places.items():
        for (start, end), rules, optional in article_places:
            if optional:
                continue
            counts[rules[0]][3] += 1
            if any(rule in rules and s < end and start < e for rule, (s, e) in kept.get(article, ())):
                counts[rules[0]][2] += 1
    return {rule: (c[0], c[1], c[2], c[3]) for rule, c in counts.items()}

def _ratio(k: int, n: int) -> float:
    return k / n if n else 0.0

def _overall_f(counts: dict[str, tuple[int, int, int, int]], beta: float) -> float:
    """F-beta of all four rules together (beta < 1 weighs precision more than recall)."""
    tp, n, found, total = (sum(c[i] for c in counts.values()) for i in range(4))
    precision, recall = _ratio(tp, n), _ratio(found, total)
    weight = beta * beta
    return (1 + weight) * precision * recall / (weight * precision + recall) if precision + recall else 0.0

#: How much better (in smoothed F) another threshold must be before it replaces the one the
#: shipped model uses: within this, the difference is noise, and a default that moves with it
#: moved 0.30 -> 0.35 -> 0.30 -> 0.35 in one round of small changes (F1 0.6095 against 0.6097).
THRESHOLD_MARGIN = 0.002


def best_threshold(scores: dict[float, float], keep: float | None = None) -> float:
    """The grid threshold whose score, averaged with its neighbours' on the grid, is highest (of
    equal ones, the highest threshold); ``keep``, the threshold in use, unless the best beats it by
    more than ``THRESHOLD_MARGIN``. Cross-validated F is flat near its top, and its single points
    move with noise: the plain best moved a whole step when 6 of 10,335 candidates changed, and
    the highest within a tolerance of the best sat at the edge of the flat top and crept up every
    round. The neighbours' mean picks the middle of the top, and the margin holds it still."""
    grid = sorted(scores)

    def smoothed(i: int) -> float:
        near = [scores[grid[j]] for j in (i - 1, i, i + 1) if 0 <= j < len(grid)]
        return round(sum(near) / len(near), 6)

    best = max(range(len(grid)), key=lambda i: (smoothed(i), grid[i]))
    if keep in grid and smoothed(grid.index(keep)) >= smoothed(best) - THRESHOLD_MARGIN:
        return keep
    return grid[best]


def choose_thresholds(scored: list[tuple[Example, float]], places: dict[str, list], beta: float,
                      keep: tuple[float, float] | None = None) -> tuple[float, float]:
    """(default min-confidence, claim threshold), over a 0.05 grid, each by :func:`best_threshold`
    (``keep``: the pair the shipped model uses). The claim threshold is the floor below which an
    unmarked sentence is no claim at all: the best by cross-validated F1 when everything above it
    is shown, so that a lower --min-confidence still buys recall. The default min-confidence then
    is the best by F-beta of all four rules."""
    grid = [step / 20 for step in range(0, 19)]
    kept_default, kept_claim = keep if keep is not None else (None, None)
    claim = best_threshold({c: _overall_f(measure(scored, places, c, c), 1.0) for c in grid}, kept_claim)
    default = best_threshold({m: _overall_f(measure(scored, places, m, claim), beta) for m in grid}, kept_default)
    return default, claim


def thresholds_in_use(path: Path) -> tuple[float, float] | None:
    """(default min-confidence, claim threshold) of the model at ``path``, if there is one."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            payload = json.load(handle)
        return float(payload["recommended_min_confidence"]), float(payload["models"]["sentence"]["threshold"])
    except (OSError, ValueError, KeyError, TypeError):
        return None

def report(scored: list[tuple[Example, float]], places: dict[str, list], min_confidence: float,
           claim_threshold: float, label: str) -> None:
    counts = measure(scored, places, min_confidence, claim_threshold)
    print(f"  {label}")
    total = [0, 0, 0, 0]
    for rule, (tp, n, found, places_total) in counts.items():
        total = [total[0] + tp, total[1] + n, total[2] + found, total[3] + places_total]
        print(
            f"    {rule:20} P {tp:4}/{n:<4} {_ratio(tp, n):.2f}"
            f"   R {found:4}/{places_total:<4} {_ratio(found, places_total):.2f}"
        )
    print(f"    {'all four':20} P {_ratio(total[0], total[1]):.2f}   R {_ratio(total[2], total[3]):.2f}")

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=3.0, help="the L2 penalty (scikit-learn's 1/C)")
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--beta", type=float, default=1.0,
                        help="the F-beta the default min-confidence maximises (1: precision and recall alike; "
                             "0.5 counts precision twice, and hides most of the seed article's findings)")
    parser.add_argument("--word-vectors", type=Path, default=WORD_VECTORS_PATH,
                        help="benchmarks/word_vectors.py's table for the claim scorer (absent: words alone)")
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        articles = training_set.build(folder)
        examples, places = collect(folder)
    total = sum(1 for article in places.values() for _, _, optional in article if not optional)
    print(f"training set: {articles} articles, {total} places; {len(examples)} candidates")
    vectors = read_table(args.word_vectors)
    print(f"word vectors: {len(vectors):,} words from {args.word_vectors}" if vectors
          else f"word vectors: none ({args.word_vectors} is absent): the claim scorer reads words alone")
    scored = cross_validate(examples, args.folds, args.l2, args.min_count, vectors, sorted(places))
    in_use = thresholds_in_use(args.output)
    min_confidence, claim_threshold = choose_thresholds(scored, places, args.beta, in_use)
    print(f"{args.folds}-fold cross-validation by article; claim threshold for the best F1, default for the best F{args.beta:g}"
          f" (those in use, {in_use}, kept within {THRESHOLD_MARGIN} F): "
          f"default min-confidence {min_confidence:.2f}, claim-scorer threshold {claim_threshold:.2f}")
    report(scored, places, 0.0, 1.01, "hand strategies only (no scorer)")
    report(scored, places, min_confidence, claim_threshold, "default: the chosen min-confidence and claim threshold")
    for extra in (0.5, 0.7):
        if extra > min_confidence:
            report(scored, places, extra, claim_threshold, f"--min-confidence {extra}")
    if not args.no_write:
        models = train(examples, args.l2, args.min_count, vectors=vectors)
        models["sentence"]["threshold"] = claim_threshold
        payload = {"version": 1, "trained_on": f"{articles} articles (benchmarks/training)",
                   "recommended_min_confidence": min_confidence, "models": models}
        training_set.write_gzipped_json(args.output, payload)
        print(f"wrote {args.output} ({args.output.stat().st_size:,} bytes)")
    return 0

if __name__ == "__main__":
    sys.exit(main())
