"""Train the cue tagger of citelint's attribution analysis on PolNeAR.

    python3 benchmarks/train_attribution.py /work/shared/corpora/polnear/train [--epochs 8]

Sentences come from citelint's own reader and splitter, so training sees text exactly as
the analysis will. Each token is labelled B/I/O by the gold cue spans (Cue and
Attribution-no-source anchors). An averaged perceptron with greedy left-to-right decoding
is trained, and its weights (features are single words, shapes and flags only; no corpus
text) are written to ``citelint/analysis/models/cue_tagger.json.gz``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.polnear_eval import analyse, load_split  # noqa: E402
from citelint.analysis.cues import (  # noqa: E402
    LABELS,
    MODEL_PATH,
    quote_depths,
    token_features,
    tokenize,
    with_previous,
)

Example = tuple[list[list[str]], list[int]]


def examples(directory: Path) -> list[Example]:
    """(features, gold label indices) for every sentence of a split."""
    found: list[Example] = []
    for article in load_split(directory):
        cues = article.cues
        analysis = analyse(article)
        for sentence in analysis.sentences:
            tokens = tokenize(sentence.text)
            if not tokens:
                continue
            labels = []
            previous_cue = None
            for token in tokens:
                start, end = analysis.sentence_span(sentence, token.start, token.end)
                cue = next((c for c in cues if any(s < end and start < e for s, e in c)), None)
                if cue is None:
                    labels.append(0)
                else:
                    labels.append(2 if cue == previous_cue else 1)
                previous_cue = cue
            found.append((token_features(tokens, quote_depths(tokens)), labels))
    return found


class AveragedPerceptron:
    def __init__(self) -> None:
        self.weights: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self._totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self._stamps: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.instances = 0

    def predict(self, features: list[str], allow_inside: bool) -> int:
        scores = [0.0, 0.0, 0.0]
        for name in features:
            row = self.weights.get(name)
            if row is not None:
                scores[0] += row[0]
                scores[1] += row[1]
                scores[2] += row[2]
        if not allow_inside:
            scores[2] = float("-inf")
        return max(range(3), key=scores.__getitem__)

    def update(self, truth: int, guess: int, features: list[str]) -> None:
        self.instances += 1
        if truth == guess:
            return
        for name in features:
            weights, totals, stamps = self.weights[name], self._totals[name], self._stamps[name]
            for label, delta in ((truth, 1.0), (guess, -1.0)):
                totals[label] += (self.instances - stamps[label]) * weights[label]
                stamps[label] = self.instances
                weights[label] += delta

    def averaged(self, threshold: float) -> dict[str, list[float]]:
        final = {}
        for name, weights in self.weights.items():
            totals, stamps = self._totals[name], self._stamps[name]
            row = [
                round((totals[k] + (self.instances - stamps[k]) * weights[k]) / self.instances, 3)
                for k in range(3)
            ]
            if max(abs(v) for v in row) >= threshold:
                final[name] = row
        return final


def train(data: list[Example], epochs: int, seed: int) -> AveragedPerceptron:
    model = AveragedPerceptron()
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(data)
        errors = total = 0
        for features, labels in data:
            previous = "<s>"
            for token_features_, truth in zip(features, labels, strict=True):
                full = with_previous(token_features_, previous)
                inside_allowed = previous in ("B", "I")
                if truth == 2 and not inside_allowed:
                    truth = 1  # the cue's start was missed: this token now starts it
                guess = model.predict(full, inside_allowed)
                model.update(truth, guess, full)
                errors += truth != guess
                total += 1
                previous = LABELS[guess]
        print(f"epoch {epoch + 1}: token error rate {errors / total:.4f}", file=sys.stderr)
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path, help="PolNeAR training split")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.002, help="drop weights smaller than this")
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    data = examples(args.directory)
    print(f"{len(data)} sentences, {sum(len(labels) for _, labels in data)} tokens", file=sys.stderr)
    model = train(data, args.epochs, args.seed)
    weights = model.averaged(args.threshold)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"labels": list(LABELS), "weights": weights}, separators=(",", ":"), sort_keys=True)
    with open(args.output, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(payload.encode("utf-8"))  # mtime=0: the same training run gives the same bytes
    print(f"{len(weights)} features -> {args.output} ({args.output.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
