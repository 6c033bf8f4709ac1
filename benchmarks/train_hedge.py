"""Train the hedge scorer behind ``check: hedge`` (rule hedged-claim) on WikiWeasel.

    python3 benchmarks/train_hedge.py [--corpora /work/shared/corpora] [--out citelint/analysis/models/hedge.json]

Uses only the NON-dev part of ``wikiweasel/train.csv`` (the dev split, sha1 % 5 == 0, is
what ``benchmarks/corpus_eval.py`` scores and is never read here). That part falls into four
folds by the same hash (sha1 % 5 = 1..4). The L2 strength and minimum feature count are
chosen by cross-validation over those folds, and the decision threshold is the one that
maximises F1 on the pooled out-of-fold probabilities; the final model is then trained on
all four folds. Features come from :func:`citelint.checks.hedge.sentence_features`, so
training and linting see the same thing. The output holds feature weights only, never text.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus_eval import DEFAULT_CORPORA, detokenize_ptb, in_dev_split  # noqa: E402
from citelint.analysis.cues import tokenize  # noqa: E402
from citelint.analysis.figures import quoted_spans  # noqa: E402
from citelint.checks.hedge import MODEL_PATH, sentence_features  # noqa: E402

L2_GRID = (3.0, 10.0, 30.0, 100.0)
MIN_COUNT_GRID = (2, 3)
STEPS = 400
#: Features whose weight rounds to zero at this precision are dropped from the file.
DECIMALS = 4


@dataclass
class Example:
    features: list[str]
    label: int
    fold: int


def fold_of(raw: str) -> int:
    """1..4 for training rows (0 is the dev split, excluded before this is called)."""
    return int.from_bytes(hashlib.sha1(raw.strip().encode("utf-8")).digest(), "big") % 5


def featurize(text: str) -> list[str]:
    """Feature names of one sentence, quoted speech ignored as the check does by default."""
    tokens = tokenize(text)
    quoted = quoted_spans(text)
    ignored = [quoted.contains(token.start) for token in tokens]
    return [feature.name for feature in sentence_features(tokens, ignored)]


def read_examples(corpora: Path) -> list[Example]:
    with open(corpora / "wikiweasel" / "train.csv", newline="", encoding="utf-8") as handle:
        return [
            Example(featurize(detokenize_ptb(row["text"])), int(row["label"].strip() == "1"), fold_of(row["text"]))
            for row in csv.DictReader(handle)
            if not in_dev_split(row["text"])
        ]


def vocabulary(examples: list[Example], min_count: int) -> dict[str, int]:
    """Features seen in at least ``min_count`` sentences, in a fixed order."""
    counts = Counter(name for example in examples for name in set(example.features))
    return {name: index for index, name in enumerate(sorted(n for n, c in counts.items() if c >= min_count))}


def matrix(examples: list[Example], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Sparse occurrence lists (row index, column index), one entry per feature occurrence."""
    rows, cols = [], []
    for row, example in enumerate(examples):
        for name in example.features:
            column = vocab.get(name)
            if column is not None:
                rows.append(row)
                cols.append(column)
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)


def naive_bayes_scale(examples: list[Example], vocab: dict[str, int]) -> np.ndarray:
    """1 + |log-count ratio| of each feature between hedged and plain sentences.

    Training in a space scaled by this (as in NB-weighted logistic regression, Wang and
    Manning 2012) lets the L2 penalty fall less on features that separate the classes,
    which helps when, as here, there are few thousand sentences."""
    hedged, plain = np.ones(len(vocab)), np.ones(len(vocab))
    for example in examples:
        counts = hedged if example.label else plain
        for name in set(example.features):
            column = vocab.get(name)
            if column is not None:
                counts[column] += 1
    return 1 + np.abs(np.log((hedged / hedged.sum()) / (plain / plain.sum())))


def train(examples: list[Example], vocab: dict[str, int], l2: float) -> tuple[np.ndarray, float]:
    """Logistic regression by full-batch Adam on the mean log-loss plus (l2 / n) * |v|^2 / 2,
    where the feature weights are ``v * naive_bayes_scale``.

    Positive sentences are weighted up to balance the classes, which keeps the useful
    range of thresholds away from the extremes."""
    rows, cols = matrix(examples, vocab)
    scale = naive_bayes_scale(examples, vocab)
    labels = np.array([example.label for example in examples], dtype=np.float64)
    count = len(examples)
    positive = labels.mean()
    sample_weight = np.where(labels == 1, 0.5 / positive, 0.5 / (1 - positive))
    scaled, bias = np.zeros(len(vocab)), 0.0
    moments = [np.zeros(len(vocab) + 1), np.zeros(len(vocab) + 1)]
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for step in range(1, STEPS + 1):
        logits = np.bincount(rows, weights=(scaled * scale)[cols], minlength=count) + bias
        residual = sample_weight * (1 / (1 + np.exp(-logits)) - labels) / count
        feature_gradient = np.bincount(cols, weights=residual[rows], minlength=len(vocab)) * scale
        gradient = np.append(feature_gradient + l2 * scaled / count, residual.sum())
        moments[0] = beta1 * moments[0] + (1 - beta1) * gradient
        moments[1] = beta2 * moments[1] + (1 - beta2) * gradient**2
        update = rate * (moments[0] / (1 - beta1**step)) / (np.sqrt(moments[1] / (1 - beta2**step)) + 1e-8)
        scaled -= update[:-1]
        bias -= update[-1]
    return scaled * scale, bias


def predict(examples: list[Example], vocab: dict[str, int], weights: np.ndarray, bias: float) -> np.ndarray:
    rows, cols = matrix(examples, vocab)
    logits = np.bincount(rows, weights=weights[cols], minlength=len(examples)) + bias
    return 1 / (1 + np.exp(-logits))


def best_threshold(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 of 'probability >= threshold' over a grid of thresholds."""
    best = (0.5, 0.0)
    for threshold in np.arange(0.05, 0.96, 0.01):
        flagged = probabilities >= threshold
        tp = float(np.sum(flagged & (labels == 1)))
        precision = tp / max(1, flagged.sum())
        recall = tp / max(1, labels.sum())
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        if f1 > best[1]:
            best = (round(float(threshold), 2), f1)
    return best


def cross_validate(examples: list[Example], l2: float, min_count: int) -> np.ndarray:
    """Out-of-fold probabilities: each fold scored by a model trained on the other three."""
    probabilities = np.zeros(len(examples))
    for fold in sorted({example.fold for example in examples}):
        training = [e for e in examples if e.fold != fold]
        held = [i for i, e in enumerate(examples) if e.fold == fold]
        vocab = vocabulary(training, min_count)
        weights, bias = train(training, vocab, l2)
        probabilities[held] = predict([examples[i] for i in held], vocab, weights, bias)
    return probabilities


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="folder holding the corpora")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model")
    args = parser.parse_args(argv)
    examples = read_examples(args.corpora)
    labels = np.array([example.label for example in examples])
    print(f"{len(examples):,} training sentences (dev split excluded), {labels.sum():,} hedged")
    results = []
    for l2 in L2_GRID:
        for min_count in MIN_COUNT_GRID:
            threshold, f1 = best_threshold(cross_validate(examples, l2, min_count), labels)
            print(f"  l2 {l2:<5} min-count {min_count}: cross-validated F1 {f1:.3f} at threshold {threshold:.2f}")
            results.append((f1, -l2, -min_count, threshold))
    f1, neg_l2, neg_min_count, threshold = max(results)
    l2, min_count = -neg_l2, -neg_min_count
    vocab = vocabulary(examples, min_count)
    weights, bias = train(examples, vocab, l2)
    kept = {name: round(float(weights[index]), DECIMALS) for name, index in vocab.items()}
    model = {
        "about": "hedge scorer for citelint check 'hedge': logistic regression over words, word pairs and cue "
        "features, trained by benchmarks/train_hedge.py on the non-dev part of CoNLL-2010 WikiWeasel",
        "l2": l2,
        "min_count": min_count,
        "cross_validated_f1": round(f1, 4),
        "threshold": threshold,
        "bias": round(float(bias), DECIMALS),
        "weights": {name: weight for name, weight in sorted(kept.items()) if weight},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    size = args.out.stat().st_size
    print(f"chose l2 {l2}, min-count {min_count}, threshold {threshold:.2f} (cross-validated F1 {f1:.3f}); "
          f"wrote {len(model['weights']):,} weights, {size / 1024:.0f} KiB, to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
