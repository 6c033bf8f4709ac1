"""The verdict scorer's training is repeatable: the same articles give the same weights, and
the shipped model is one the training script can write."""

from __future__ import annotations

import gzip
import json
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import train_verdicts, training_set  # noqa: E402
from citelint.analysis.scoring import MODEL_PATH  # noqa: E402
from citelint.config import DEFAULT_MIN_CONFIDENCE  # noqa: E402

needs_corpora = pytest.mark.skipif(
    not (training_set.CORPORA / "bbc").is_dir(), reason="the shared corpora (../shared/corpora) are not here"
)


@needs_corpora
def test_training_on_a_small_sample_is_deterministic(tmp_path):
    training_set.build(tmp_path, limit=12)
    examples, places = train_verdicts.collect(tmp_path)
    assert examples and places
    vectors = _word_vectors(examples)
    first = train_verdicts.train(examples, l2=1.0, min_count=1, vectors=vectors)
    second = train_verdicts.train(examples, l2=1.0, min_count=1, vectors=vectors)
    assert first == second
    assert set(first) == set(train_verdicts.RULES)
    assert any(model["weights"] for model in first.values())
    assert set(first["sentence"]["word_scores"]) == {f"w={word}" for word in vectors}
    assert not first["figure"]["word_scores"]
    scored = train_verdicts.cross_validate(examples, folds=3, l2=1.0, min_count=1, vectors=vectors)
    assert len(scored) == len(examples) and all(0.0 <= p <= 1.0 for _, p in scored)


def _word_vectors(examples) -> dict[str, list[float]]:
    """A made-up table for the words of the examples' sentences (each word's vector from its
    letters), so the test needs neither the encoder nor the shipped table."""
    words = sorted({f[2:] for e in examples if e.subject == "sentence" for f in e.features if f.startswith("w=")})
    return {word: [(ord(word[k % len(word)]) % 7 - 3) / 3 for k in range(4)] for word in words[::2]}


def test_word_scores_are_the_dense_term_the_model_was_trained_with():
    """A sentence's mean word score equals the dense weights applied to its standardised mean
    vector, so shipping one score per word loses nothing of the trained model."""
    table = {"strong": [1.0, 0.0], "claim": [0.5, 2.0], "said": [-1.0, 1.0]}
    rows = [train_verdicts.Example("a", "sentence", ["w=strong", "w=claim", "bi=x"], 1, (0, 1)),
            train_verdicts.Example("a", "sentence", ["w=said", "w=unknown"], 0, (2, 3)),
            train_verdicts.Example("b", "sentence", ["w=claim", "w=said"], 0, (0, 1))]
    dense = train_verdicts.SentenceVectors(table, rows)
    weights = [0.7, -1.3]
    scores = dense.word_scores(weights)
    for row in rows:
        known = [scores[f] for f in row.features if f in scores]
        direct = sum(w * x for w, x in zip(weights, dense.of(row), strict=True))
        assert abs(sum(known) / len(known) - direct) < 1e-3
    assert dense.of(train_verdicts.Example("c", "sentence", ["w=unknown"], 0, (0, 1))) == []


def test_the_scorer_adds_the_mean_score_of_the_words_it_knows():
    from citelint.analysis.scoring import probability

    model = {"bias": 0.0, "weights": {"bi=a_b": 1.0}, "word_scores": {"w=a": 2.0, "w=b": -1.0}}
    assert probability(model, ["bi=a_b"]) == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert probability(model, ["bi=a_b", "w=a", "w=b", "w=c"]) == pytest.approx(1 / (1 + math.exp(-1.5)))
    assert probability({**model, "word_scores": {}}, ["w=a"]) == pytest.approx(0.5)


def test_the_shipped_model_and_default_agree():
    """The default min-confidence is the one cross-validation chose when the model was trained."""
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    assert payload["recommended_min_confidence"] == DEFAULT_MIN_CONFIDENCE
    assert set(payload["models"]) == set(train_verdicts.RULES)
    assert 0.0 <= payload["models"]["sentence"]["threshold"] <= 1.0


def test_the_model_read_back_from_the_derived_cache_is_the_file_s(tmp_path, monkeypatch):
    from citelint.analysis import scoring

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    scoring._read_model.cache_clear()
    try:
        first = scoring._read_model(MODEL_PATH)  # parsed, then stored
        scoring._read_model.cache_clear()
        assert scoring._read_model(MODEL_PATH) == first == scoring._parse_model(MODEL_PATH)
        broken = tmp_path / "broken.json.gz"
        broken.write_bytes(b"not gzip")
        with pytest.raises(scoring.ModelError, match="not a verdict model"):
            scoring._read_model(broken)
    finally:
        scoring._read_model.cache_clear()
