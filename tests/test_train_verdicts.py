"""The verdict scorer's training is repeatable: the same articles give the same weights, and
the shipped model is one the training script can write."""

from __future__ import annotations

import gzip
import json
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
    first = train_verdicts.train(examples, epochs=3, l2=0.01, min_count=1)
    second = train_verdicts.train(examples, epochs=3, l2=0.01, min_count=1)
    assert first == second
    assert set(first) == set(train_verdicts.RULES)
    assert any(model["weights"] for model in first.values())
    scored = train_verdicts.cross_validate(examples, folds=3, epochs=2, l2=0.01, min_count=1)
    assert len(scored) == len(examples) and all(0.0 <= p <= 1.0 for _, p in scored)


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
