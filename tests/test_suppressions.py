"""Inline suppressions, through the command line, in Markdown articles written for these tests."""

from __future__ import annotations

import pytest

PRICES = "Ticket prices rose by nearly 40% on last year."
PITCHES = "As many as 2,500 stallholders have left the market since the spring."
ROUTE = "The parade route was extended by 3 kilometres this year."


@pytest.fixture
def lint(cli, tmp_path, monkeypatch):
    """Lint one Markdown article; returns (rule, line, finding text) for each diagnostic."""
    monkeypatch.chdir(tmp_path)

    def run(article: str, *args: str) -> list[tuple[str, int, str]]:
        path = tmp_path / "story.md"
        path.write_text(article, encoding="utf-8")
        result = cli("--format", "json", *args, "story.md")
        assert result.status in (0, 1), result.err
        return [
            (d["rule"], d["line"], article[d["offset"] : d["end_offset"]])
            for d in result.json()["diagnostics"]
        ]

    return run


def _figures(found: list[tuple[str, int, str]]) -> list[str]:
    return [text for rule, _, text in found if rule == "unsourced-figure"]


def _article(*paragraphs: str) -> str:
    return "# Festival notes\n\n" + "\n\n".join(paragraphs) + "\n"


def test_the_articles_have_findings_without_directives(lint):
    assert _figures(lint(_article(PRICES, PITCHES, ROUTE))) == ["nearly 40%", "As many as 2,500", "3 kilometres"]


@pytest.mark.parametrize("rule", ["unsourced-figure", "CIT103", "cit103", "claims"])
def test_disable_next_line_by_code_name_or_group(lint, rule):
    found = lint(_article(f"<!-- citelint-disable-next-line {rule} -- checked against the box office -->\n" + PRICES,
                          PITCHES))
    assert _figures(found) == ["As many as 2,500"]
    assert not [f for f in found if f[0] in ("unused-suppression", "bad-suppression")]


def test_disable_next_line_covers_only_the_next_line(lint):
    found = lint(_article("<!-- citelint-disable-next-line unsourced-figure -->\n" + PRICES + "\n" + PITCHES))
    assert _figures(found) == ["As many as 2,500"]


def test_disable_next_line_of_another_rule_leaves_the_finding(lint):
    found = lint(_article("<!-- citelint-disable-next-line vague-attribution -->\n" + PRICES, PITCHES))
    assert "nearly 40%" in _figures(found)


def test_disable_enable_range(lint):
    article = _article(PRICES, "<!-- citelint-disable unsourced-figure -->", PITCHES,
                       "<!-- citelint-enable unsourced-figure -->", ROUTE)
    assert _figures(lint(article)) == ["nearly 40%", "3 kilometres"]


def test_disable_without_enable_runs_to_the_end(lint):
    assert _figures(lint(_article(PRICES, "<!-- citelint-disable CIT103 -->", PITCHES, ROUTE))) == ["nearly 40%"]


def test_disable_file(lint):
    found = lint(_article("<!-- citelint-disable-file unsourced-figure -- archive copy -->", PRICES, PITCHES))
    assert _figures(found) == []
    everything = lint(_article(PRICES, "<!-- citelint-disable-file -->", PITCHES))
    assert everything == []


def test_front_matter_disables_rules_for_the_file(lint):
    front = "---\ntitle: Festival notes\ncitelint:\n  disable: [unsourced-figure]\n---\n"
    assert _figures(lint(front + _article(PRICES, PITCHES))) == []
    by_code = "---\ncitelint: {disable: CIT103}\n---\n"
    assert _figures(lint(by_code + _article(PRICES))) == []


def test_unknown_rule_is_a_bad_suppression_with_a_suggestion(cli, lint):
    article = _article("<!-- citelint-disable-next-line unsourced-figur -->\n" + PRICES)
    found = lint(article)
    assert _figures(found) == ["nearly 40%"]  # nothing was suppressed
    bad = [f for f in found if f[0] == "bad-suppression"]
    assert len(bad) == 1 and bad[0][1] == 3 and bad[0][2].startswith("<!--")
    message = cli("story.md").out
    assert "unknown rule 'unsourced-figur'" in message and "did you mean 'unsourced-figure'" in message


def test_a_misspelt_directive_is_a_bad_suppression(lint):
    found = lint(_article("<!-- citelint-disabel-next-line unsourced-figure -->\n" + PRICES))
    assert [f[0] for f in found if f[0] == "bad-suppression"] == ["bad-suppression"]


def test_unused_directive_is_reported_at_the_directive(lint):
    found = lint(_article(PRICES, "<!-- citelint-disable-next-line unsourced-figure -- no figure below -->\n"
                                  "The parade ends at the market square."))
    assert [(rule, line) for rule, line, _ in found if rule == "unused-suppression"] == [("unused-suppression", 5)]


def test_directive_for_a_rule_not_selected_is_not_unused(lint):
    article = _article(PRICES, "<!-- citelint-disable-next-line unsourced-figure -->\nThe parade ends at the square.")
    assert "unused-suppression" in [f[0] for f in lint(article)]
    assert "unused-suppression" not in [f[0] for f in lint(article, "--ignore", "unsourced-figure")]


def test_require_reason(lint, tmp_path):
    (tmp_path / ".citelint.yaml").write_text("suppressions:\n  require-reason: true\n", encoding="utf-8")
    article = _article("<!-- citelint-disable-next-line unsourced-figure -->\n" + PRICES,
                       "<!-- citelint-disable-next-line unsourced-figure -- figure from the organisers' release -->\n"
                       + PITCHES)
    bad = [(rule, line) for rule, line, _ in lint(article) if rule == "bad-suppression"]
    assert bad == [("bad-suppression", 3)]


def test_report_unused_can_be_turned_off(lint, tmp_path):
    (tmp_path / ".citelint.yaml").write_text("suppressions:\n  report-unused: false\n", encoding="utf-8")
    article = _article("<!-- citelint-disable-next-line unsourced-figure -->\nThe parade ends at the square.")
    assert lint(article) == []


@pytest.mark.parametrize(
    "name, article",
    [
        ("story.txt", f"{PRICES}\n\n<!-- citelint-disable-next-line unsourced-figure -->\n{PITCHES}\n"),
        ("story.html", f"<p>{PRICES}</p>\n<!-- citelint-disable-next-line unsourced-figure -->\n<p>{PITCHES}</p>\n"),
    ],
)
def test_directives_work_in_plain_text_and_html(cli, tmp_path, name, article):
    """Readers differ in what they hand over (the whole comment or its inside); both must work."""
    path = tmp_path / name
    path.write_text(article, encoding="utf-8")
    diagnostics = cli("--format", "json", str(path)).json()["diagnostics"]
    assert [(d["rule"], article[d["offset"] : d["end_offset"]]) for d in diagnostics] == [
        ("unsourced-figure", "nearly 40%")
    ]
