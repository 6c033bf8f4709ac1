"""Links and the sources they cite (issue #14): a link anywhere in a sentence cites it for a
source it fits, the page's own site and an organisation's other domains are not a mismatch, one
finding per link, a link wrapping several blocks cites each, and a name's span stops before the
sentence's full stop. Every text here is written for these tests."""

from __future__ import annotations

import pytest

from citelint.analysis import Analysis
from citelint.analysis.registry import load_registry
from citelint.analysis.sources import own_sites, site_domain
from citelint.config import Config
from citelint.document import parse
from citelint.engine import Linter
from citelint.ruleset import load_rules
from tests.conftest import lint_example


def findings(text: str, fmt: str = "markdown", rule: str = "unlinked-source") -> list[tuple[str, str]]:
    """(rule, the finding's text) for each finding of ``rule``."""
    suffix = {"markdown": ".md", "html": ".html"}[fmt]
    report = Linter(Config(select=(rule,), min_confidence=0.0)).lint_text(text, "page" + suffix, fmt)
    return [(d.rule, text[d.offset : d.end_offset]) for d in report.diagnostics]


def link_reasons(text: str, fmt: str = "markdown") -> dict[str, str]:
    """Each source mention's name -> why it counts as linked ("" when it does not)."""
    analysis = Analysis(parse(text, "page." + ("md" if fmt == "markdown" else fmt), fmt), load_registry)
    return {mention.name: mention.link_reason for mention in analysis.source_mentions}


# -- unlinked-source: which link cites which source -------------------------------------------


def test_a_link_whose_text_names_the_source_cites_it_anywhere_in_the_sentence() -> None:
    text = ("The Quillfeather Trust said the hall would close, as [a letter from the Quillfeather Trust]"
            "(https://example.org/letter) shows, and [Reuters](https://www.reuters.com/x) confirmed it.")
    reasons = link_reasons(text)
    assert reasons["Quillfeather Trust"] == "link-names-it"
    assert findings(text) == []


def test_a_link_to_another_sources_domain_does_not_stop_a_general_citation_covering_the_rest() -> None:
    text = ("The Quillfeather Trust said the hall would close, [Reuters](https://www.reuters.com/x) reported,"
            " in [a letter seen by the paper](https://example.org/letter).")
    assert link_reasons(text)["Quillfeather Trust"] == "citation-in-sentence"
    assert findings(text) == []


def test_a_link_that_names_another_source_does_not_cite_this_one() -> None:
    text = "Reuters reported the vote, citing [the Quillfeather Trust's count](https://example.org/count)."
    assert findings(text) == [("unlinked-source", "Reuters")]


def test_a_link_to_the_sources_domain_cites_it_wherever_it_stands() -> None:
    text = "Reuters reported the vote on [its world page](https://www.reuters.com/world/vote) on Monday."
    assert link_reasons(text)["Reuters"] == "link-to-its-domain"


@pytest.mark.parametrize("sentence", [
    "Rents fell in March, according to the Institute for Coastal Housing Studies.",
    "Rents fell in March, according to a study by the Centre for Harbour Research.",
])
def test_the_unlinked_source_span_stops_before_the_full_stop(sentence: str) -> None:
    [(_, name)] = findings(sentence)
    assert not name.endswith(".")


def test_initials_at_the_end_of_a_name_keep_their_stop() -> None:
    [(_, name)] = findings("Rents fell in March, according to the Housing Trust of the U.S.")
    assert name.endswith("U.S.")


# -- source-link-mismatch ------------------------------------------------------------------------


def test_one_mismatch_per_link_however_often_its_text_names_the_source() -> None:
    text = "Press freedom fell, according to [the CPJ, the Committee to Protect Journalists](https://example.com/cpj)."
    assert len(findings(text, rule="source-link-mismatch")) == 1


def test_a_link_to_the_parent_companys_site_is_no_mismatch() -> None:
    text = "Costs rose at the agency, [Reuters said](https://www.thomsonreuters.com/en/press-releases.html)."
    assert findings(text, rule="source-link-mismatch") == []


def test_a_link_to_an_unrelated_site_is_still_a_mismatch() -> None:
    text = "Costs rose at the agency, [Reuters said](https://aggregator.example/story)."
    assert findings(text, rule="source-link-mismatch") == [("source-link-mismatch", "[Reuters said](https://aggregator.example/story)")]


RELATED = ("<html><head>{head}</head><body><article><p>The pier will close in May, the council said.</p>"
           '<ul><li><a href="https://valleygazette.example/news/reuters-pier">Reuters says the pier may close</a></li></ul>'
           "</article></body></html>")


@pytest.mark.parametrize("head", [
    '<link rel="canonical" href="https://www.valleygazette.example/news/pier">',
    '<meta property="og:url" content="https://news.valleygazette.example/pier">',
    '<base href="https://valleygazette.example/">',
])
def test_a_related_story_on_the_pages_own_site_is_no_mismatch(head: str) -> None:
    assert findings(RELATED.format(head=head), "html", "source-link-mismatch") == []


def test_without_the_pages_address_the_related_story_is_a_mismatch() -> None:
    assert len(findings(RELATED.format(head=""), "html", "source-link-mismatch")) == 1


@pytest.mark.parametrize(("front_matter", "expected"), [
    ("---\nurl: https://www.valleygazette.example/news/pier\n---\n\n", 0),
    ("", 1),
])
def test_front_matter_url_is_the_articles_own_site(front_matter: str, expected: int) -> None:
    text = front_matter + "The pier will close, [Reuters reported](https://valleygazette.example/news/reuters-pier).\n"
    assert len(findings(text, rule="source-link-mismatch")) == expected


def test_own_sites_take_the_registered_domain_and_the_organisations_other_sites() -> None:
    document = parse('<html><head><link rel="canonical" href="https://www.reuters.com/world/x"></head></html>',
                     "p.html", "html")
    assert own_sites(document, load_registry()) >= {"reuters.com", "thomsonreuters.com"}
    assert site_domain("news.harbour.co.uk") == "harbour.co.uk"
    assert site_domain("edition.harbour.com") == "harbour.com"


def test_a_relative_base_says_nothing_of_the_site() -> None:
    document = parse('<html><head><base href="/news/"></head></html>', "p.html", "html")
    assert own_sites(document, load_registry()) == frozenset()


# -- a link wrapping several blocks ---------------------------------------------------------------

WRAPPING = ("<html><body><article><p>The recount in the valley took three weeks, and the result was"
            " announced on Friday evening after a long delay that angered voters on both sides.</p>"
            '<a href="https://apnews.com/article/count">'
            "<p>The Associated Press said the count was wrong.</p><p>The AP said the vote was late.</p></a>"
            "</article></body></html>")


def test_a_link_wrapping_several_blocks_cites_each() -> None:
    document = parse(WRAPPING, "p.html", "html")
    analysis = Analysis(document, load_registry)
    assert [bool(links) for links in analysis.sentence_links] == [False, True, True]
    assert {link.text for link in document.links} == {"The Associated Press said the count was wrong.",
                                                       "The AP said the vote was late."}
    assert len({(link.offset, link.end_offset) for link in document.links}) == 1  # still one link


def test_a_link_ending_with_its_only_block_leaves_no_empty_share() -> None:
    document = parse('<html><body><a href="https://example.org/x"><p>One block only.</p></a></body></html>',
                     "p.html", "html")
    assert [(link.text, link.block) for link in document.links] == [("One block only.", 0)]


def test_a_wrapping_link_is_one_mismatch() -> None:
    page = WRAPPING.replace("https://apnews.com/article/count", "https://aggregator.example/count")
    assert len(findings(page, "html", "source-link-mismatch")) == 1


def test_a_dead_link_wrapping_several_blocks_is_one_finding() -> None:
    [dead_link] = [rule for rule in load_rules() if rule.name == "dead-link"]
    page = WRAPPING.replace("https://apnews.com/article/count", "https://dead.invalid/count")
    assert len(lint_example(dead_link, page, "html")) == 1
