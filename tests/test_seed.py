"""The article citelint started from must come out right (read from ../shared, never copied)."""

from __future__ import annotations

import pytest

from citelint.config import Config
from citelint.engine import Linter
from tests.conftest import SEED, needs_shared

pytestmark = needs_shared


@pytest.fixture(scope="module")
def findings():
    text = SEED.read_text(encoding="utf-8")
    report = Linter(Config()).lint_text(text, "seed.txt", "text")
    return text, [(d.rule, text[d.offset : d.end_offset]) for d in report.diagnostics]


def _spans(findings, rule):
    text, found = findings
    return [span for name, span in found if name == rule]


@pytest.mark.parametrize("name", ["Global Times", "Australian Strategic Policy Institute (ASPI)",
                                  "Committee to Protect Journalists (CPJ)"])
def test_unlinked_sources(findings, name):
    assert any(name in span for span in _spans(findings, "unlinked-source")), _spans(findings, "unlinked-source")


@pytest.mark.parametrize("figure", ["as many as 2 million", "as many as 3 million", "at least 82"])
def test_unsourced_figures(findings, figure):
    assert figure in _spans(findings, "unsourced-figure")


@pytest.mark.parametrize("phrase", ["according to survivors", "Human rights investigators believe",
                                    "Other journalists have lamented", "Journalists attempting"])
def test_vague_attributions(findings, phrase):
    assert any(phrase in span for span in _spans(findings, "vague-attribution")), _spans(findings, "vague-attribution")


def test_unattributed_motive(findings):
    assert any(span.startswith("To protect its public image") for span in _spans(findings, "unattributed-claim"))


@pytest.mark.parametrize("not_a_figure", ["June 4, 2019", "2019", "2017", "2018", "second place", "2020"])
def test_dates_years_and_ordinals_are_not_figures(findings, not_a_figure):
    assert not any(not_a_figure in span for span in _spans(findings, "unsourced-figure"))


def test_attributed_sentences_are_not_unattributed_claims(findings):
    claims = _spans(findings, "unattributed-claim")
    assert not any("Committee to Protect Journalists" in span or "leading jailer" in span for span in claims)
    assert not any("We welcome people from all fields" in span for span in claims)
    assert not any("agreed during his confirmation hearing" in span for span in claims)


def test_nothing_in_photo_credit_or_boilerplate(findings):
    text, found = findings
    chrome = ("GREG BAKER", "Getty Images", "TOPSHOT", "Follow Frances", "COMMENTS", "issues with commenting")
    assert not any(marker in span for _, span in found for marker in chrome)


def test_no_rule_crashes_on_the_seed(findings):
    text, found = findings
    assert not [span for rule, span in found if rule == "internal-error"]
