"""Figures on web pages (issue #14): product and model names, standards, specifications
describing a noun, recipe quantities and relative times are not figures to source; a figure the
writer measured is first-hand. Each decision is a named strategy that `citelint inspect` shows.
Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from citelint.analysis import Analysis
from citelint.analysis.provenance import FigurePolicy, figure_verdicts
from citelint.analysis.registry import load_registry
from citelint.document import parse


def verdicts(text: str) -> dict[str, tuple[str, str]]:
    """Each figure's text -> (status, reason) of its verdict."""
    analysis = Analysis(parse(text, "review.md", "markdown"), load_registry)
    return {
        analysis.figures[verdict.index].figure.text: (verdict.status, verdict.reason)
        for verdict in figure_verdicts(analysis, FigurePolicy())
    }


@pytest.mark.parametrize(("sentence", "figure", "reason"), [
    ("The 16-inch MacBook Pro is heavier than its rival.", "16-inch", "names-a-product"),
    ("The laptop has two USB 3.2 ports on its left side.", "3.2", "names-a-product"),
    ("The set shows 4K video from most streaming services.", "4K", "names-a-product"),
    ("The console sends video over HDMI 2.1 to the set.", "2.1", "names-a-product"),
    ("The headphones pair over Bluetooth 5.3 with any phone.", "5.3", "names-a-product"),
    ("The hatchback has a 176 hp engine and a manual gearbox.", "176", "specification"),
    ("The phone has a 6.1-inch screen and a glass back.", "6.1-inch", "specification"),
    ("The saloon comes with a 2.0-litre engine as standard.", "2.0-litre", "specification"),
    ("Add 500 grams of flour to the bowl.", "500 grams", "recipe-quantity"),
    ("Bake for 25 minutes at 180C until golden.", "180C", "recipe-quantity"),
    ("You will need 12 cups of stock for the soup.", "12", "recipe-quantity"),
    ("Posted 25M ago by the editors.", "25M", "relative-time"),
])
def test_names_specifications_recipes_and_relative_times_are_not_figures_to_source(
        sentence: str, figure: str, reason: str) -> None:
    assert verdicts(sentence)[figure] == ("exempt", reason)


@pytest.mark.parametrize(("sentence", "figure"), [
    ("In our tests, the phone reached 1,200 nits of brightness.", "1,200"),
    ("We measured a 42 percent drop in battery life after the update.", "42 percent"),
])
def test_a_figure_the_writer_measured_is_first_hand(sentence: str, figure: str) -> None:
    assert verdicts(sentence)[figure] == ("first-hand", "measured-by-writer")


@pytest.mark.parametrize(("sentence", "figure"), [
    ("Some 40,000 homes stood empty last year.", "Some 40,000"),
    ("The storm dropped 12 inches of rain on the valley.", "12 inches"),
    ("The earthquake of magnitude 7.8 destroyed 1,200 homes.", "1,200"),
    ("Fares rose 2.5 percent after the new Wi-Fi service began.", "2.5 percent"),
    ("Cream tea sales rose 40 percent in the summer.", "40 percent"),
    ("Across the region, 3.2 million USB sticks were sold last year.", "3.2 million"),
    ("The 40,000-seat stadium was built in two years.", "40,000"),
])
def test_news_figures_are_still_unsourced(sentence: str, figure: str) -> None:
    assert verdicts(sentence)[figure] == ("unsourced", "no-source")


def test_inspect_shows_the_reason(cli, tmp_path) -> None:
    page = tmp_path / "review.md"
    page.write_text("The phone has a 6.1-inch screen and a glass back.\n", encoding="utf-8")
    run = cli("inspect", str(page), "--format", "json")
    [figure] = run.json()["figures"]
    assert (figure["verdict"]["status"], figure["verdict"]["reason"]) == ("exempt", "specification")
