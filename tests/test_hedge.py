"""The learned hedge scorer (``check: hedge``) and its training script."""

from __future__ import annotations

import math

import pytest

from citelint.analysis import Analysis
from citelint.analysis.cues import tokenize
from citelint.checks import CHECKS, OptionError, make_options
from citelint.checks.hedge import (
    HedgeModel,
    HedgeOptions,
    explaining_phrase,
    load_model,
    run,
    score_tokens,
    sentence_features,
)
from citelint.document import parse

HEDGED = (
    "The bridge is widely considered a masterpiece of Victorian engineering.",
    "Some critics see the festival as a vanity project.",
    "The recipe probably came from a monastery in the north.",
    "Many residents believe the new road will bring more traffic.",
)
PLAIN = (
    "The festival sold 12,000 tickets in its first year.",
    "The council voted to close the library on Sundays.",
    "The company employs 400 people at its plant in the valley.",
)


def findings(text: str, fmt: str = "markdown", **options):
    """(source text of each finding's span, its match field) for ``text`` linted by the check alone."""
    analysis = Analysis(parse(text, "example", fmt))
    chosen = make_options(HedgeOptions, {key.replace("_", "-"): value for key, value in options.items()})
    return [(text[f.offset : f.end_offset], f.fields["match"]) for f in run(analysis, chosen)]


def test_registered_and_model_loads():
    assert CHECKS["hedge"].options is HedgeOptions
    model = load_model()
    assert len(model.weights) > 1000
    assert 0.0 < model.threshold < 1.0


def test_missing_model_flags_nothing(tmp_path):
    empty = load_model(tmp_path / "absent.json")
    assert empty.weights == {}
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert load_model(tmp_path / "broken.json").weights == {}


def test_scoring_is_deterministic_and_contributions_add_up():
    model = load_model()
    tokens = tokenize(HEDGED[0])
    first, second = score_tokens(model, tokens), score_tokens(model, tokens)
    assert first == second
    logit = model.bias + sum(first.contributions)
    assert math.isclose(first.probability, 1 / (1 + math.exp(-logit)), rel_tol=1e-9)


@pytest.mark.parametrize("sentence", HEDGED)
def test_hedged_sentences_pass_the_threshold(sentence):
    model = load_model()
    assert score_tokens(model, tokenize(sentence)).probability >= model.threshold


@pytest.mark.parametrize("sentence", PLAIN)
def test_plain_sentences_stay_below_it(sentence):
    model = load_model()
    assert score_tokens(model, tokenize(sentence)).probability < model.threshold
    assert findings(sentence) == []


def test_span_is_the_explaining_phrase():
    assert findings("Intro paragraph.\n\n" + HEDGED[0]) == [("is widely considered", "is widely considered")]
    assert findings(HEDGED[1], "text") == [("Some critics", "Some critics")]


def test_span_maps_through_markup():
    text = "The bridge is *widely* considered a masterpiece of Victorian engineering."
    ((source, match),) = findings(text)
    assert match == "is widely considered"
    assert source == "is *widely* considered"


def test_threshold_option():
    assert findings(HEDGED[2], threshold=0.999) == []
    assert findings(PLAIN[0], threshold=0.01) != []
    with pytest.raises(OptionError):
        make_options(HedgeOptions, {"threshold": 1.5})
    with pytest.raises(OptionError):
        make_options(HedgeOptions, {"threshold": "high"})


def test_skip_quotes():
    text = 'The mayor called the bridge "probably the finest in the county" at the opening.'
    assert findings(text) == []
    assert [match for _, match in findings(text, skip_quotes=False)] == ["probably"]


def test_skip_titles():
    text = "# Some critics see the festival as a vanity project\n\nThe festival opened in May.\n"
    assert findings(text) == []
    assert [match for _, match in findings(text, skip_titles=False)] == ["Some critics"]


def test_skip_cited():
    text = "Some critics see the festival as a vanity project ([review](https://example.org/review))."
    assert findings(text) == []
    assert [match for _, match in findings(text, skip_cited=False)] == ["Some critics"]


def test_skip_attributed():
    text = "Historian Lena Marsh said the recipe probably came from a monastery in the north."
    assert findings(text) == []
    assert [match for _, match in findings(text, skip_attributed=False)] == ["probably"]


def test_quoted_tokens_give_no_features():
    tokens = tokenize('They said "some" things.')
    ignored = [token.text == "some" for token in tokens]
    names = {feature.name for feature in sentence_features(tokens, ignored)}
    assert "w=some" not in names and "w=things" in names


def test_cue_features_cover_their_tokens():
    tokens = tokenize("It was widely believed and some critics agreed.")
    spans = {f.name: " ".join(t.text for t in tokens[f.first : f.end]) for f in sentence_features(tokens)}
    assert spans["cue=passive-report"] == "was widely believed"
    assert spans["cue=vague-group"] == "some critics"


def test_explaining_phrase_bridges_weak_words_and_respects_the_limit():
    assert explaining_phrase([0.0, 1.0, 0.2, 1.0, -0.5]) == (1, 4)
    assert explaining_phrase([0.1, 1.0, 0.1]) == (1, 2)
    assert explaining_phrase([1.0] * 8, limit=3) == (0, 3)
    assert explaining_phrase([-1.0, 0.0]) is None
    assert explaining_phrase([]) is None


def test_empty_model_reports_nothing():
    scored = score_tokens(HedgeModel(), tokenize(HEDGED[0]))
    assert explaining_phrase(scored.contributions) is None


def test_training_learns_a_separating_feature():
    np = pytest.importorskip("numpy")
    from benchmarks import train_hedge

    examples = [
        train_hedge.Example(["w=maybe", "w=x"] if index % 2 else ["w=x", "w=y"], index % 2, 1) for index in range(40)
    ]
    vocab = train_hedge.vocabulary(examples, 2)
    weights, bias = train_hedge.train(examples, vocab, l2=1.0)
    assert weights[vocab["w=maybe"]] > 1.0 > weights[vocab["w=y"]]
    probabilities = train_hedge.predict(examples, vocab, weights, bias)
    labels = np.array([example.label for example in examples])
    threshold, f1 = train_hedge.best_threshold(probabilities, labels)
    assert f1 == 1.0 and 0.0 < threshold < 1.0
