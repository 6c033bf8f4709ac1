"""Where a sentence stands in the story: the scorers read a sentence's place among the story's
prose, not among every block. The training articles open with a headline, which the guide skips;
an article whose title sits in front matter has none, and its lead must not be scored as if it
were a headline. Every sentence here is written for the test."""

from __future__ import annotations

import pytest

from citelint.analysis import Analysis
from citelint.analysis.provenance import ClaimPolicy, FigurePolicy, figure_verdicts, sentence_verdicts
from citelint.analysis.registry import load_registry
from citelint.analysis.scoring import features
from citelint.document import parse

LEAD = "Critics say as many as 3,000 jobs could go when the Kelby plant shuts.\n\nThe plant opened in 1961.\n"


def _figure_features(text: str, name: str, kind: str) -> list[str]:
    analysis = Analysis(parse(text, name, kind), load_registry)
    verdict = next(v for v in figure_verdicts(analysis, FigurePolicy())
                   if analysis.figures[v.index].figure.text == "as many as 3,000")
    return sorted(features(analysis, verdict))


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("---\ntitle: Plant to close\n---\n\n" + LEAD, "story.md", "markdown"),
    (LEAD, "story.md", "markdown"),
    (LEAD, "story.txt", "text"),
])
def test_a_lead_without_a_headline_reads_as_the_lead_of_one_with_a_headline(text, name, kind):
    with_headline = _figure_features("# Plant to close\n\n" + LEAD, "story.md", "markdown")
    assert _figure_features(text, name, kind) == with_headline


@pytest.mark.parametrize("headline", [
    "Rover deal 'may cost 2,000 jobs'",
    "Kelby plant 'to shut by May'",
    "\u2018Harbour fees will rise\u2019",
])
def test_a_first_line_ending_in_a_quoted_phrase_is_a_headline(headline):
    document = parse(headline + "\n\nThe plant opened in 1961.\n", "story.txt", "text")
    assert [block.kind for block in document.blocks] == ["heading", "paragraph"]


@pytest.mark.parametrize("line", [
    "He said: 'We will win.'",
    "\u201cWe will win,\u201d",
])
def test_a_first_line_ending_in_a_quoted_sentence_is_prose(line):
    document = parse(line + "\n\nThe plant opened in 1961.\n", "story.txt", "text")
    assert document.blocks[0].kind == "paragraph"


def _claim_words(text: str) -> set[str]:
    analysis = Analysis(parse(text, "story.txt", "text"), load_registry)
    verdict = next(v for v in sentence_verdicts(analysis, ClaimPolicy()) if v.index == 0)
    return {feature[2:] for feature in features(analysis, verdict) if feature.startswith("w=")}


def test_a_ranking_that_only_identifies_lends_the_claim_scorer_no_words():
    """The guide: "a ranking used only to identify" is no claim. Its words are left out of what the
    claim scorer reads, as if the aside were not there; a ranking that is the sentence's point is read."""
    assert _claim_words("The fair, the largest of its kind in the world, opens on Friday.\n") == \
        _claim_words("The fair opens on Friday.\n")
    assert {"largest", "world"} <= _claim_words("The fair is the largest trade show in the world.\n")
    # an aside that describes without ranking is read as before
    assert "kelby-based" in _claim_words("Acme, the Kelby-based brewer, opens a plant on Friday.\n")
