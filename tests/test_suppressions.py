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


def test_a_repeated_disable_is_unused_and_the_enable_ends_the_range(lint):
    # The second disable used to replace the first as the open range, so the first ran to the end.
    article = _article(PRICES, "<!-- citelint-disable unsourced-figure -->\n<!-- citelint-disable unsourced-figure -->",
                       PITCHES, "<!-- citelint-enable unsourced-figure -->", ROUTE)
    found = lint(article)
    assert _figures(found) == ["nearly 40%", "3 kilometres"]
    assert [line for rule, line, _ in found if rule == "unused-suppression"] == [6]


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
    # only the rule the directive names: whether the scorer also finds a claim here is not tested
    diagnostics = cli("--format", "json", "--select", "unsourced-figure", str(path)).json()["diagnostics"]
    assert [(d["rule"], article[d["offset"] : d["end_offset"]]) for d in diagnostics] == [
        ("unsourced-figure", "nearly 40%")
    ]


# -- directive grammar ------------------------------------------------------------------

CRITICS = "Critics say the new market hall is a disaster for traders."


def test_disable_line_suppresses_the_line_it_is_on(lint):
    found = lint(_article(PRICES + " <!-- citelint-disable-line unsourced-figure -- from the box office -->", PITCHES))
    assert _figures(found) == ["As many as 2,500"]
    assert not [f for f in found if f[0] in ("unused-suppression", "bad-suppression")]


def test_disable_line_on_a_line_of_its_own_suppresses_nothing(lint):
    found = lint(_article("<!-- citelint-disable-line unsourced-figure -->\n" + PRICES))
    assert _figures(found) == ["nearly 40%"]
    assert [(rule, line) for rule, line, _ in found if rule.endswith("suppression")] == [("unused-suppression", 3)]


@pytest.mark.parametrize(
    "directive",
    [
        "<!--citelint-disable-next-line unsourced-figure-->",
        "<!-- citelint-disable-next-line unsourced-figure--checked with the organisers -->",
        "<!-- citelint-disable-next-line CIT103, vague-attribution -- checked -- twice -->",
        "<!-- citelint-disable-next-line\n  unsourced-figure\n  -- checked with the organisers\n-->",
    ],
    ids=["no-spaces", "reason-without-spaces", "list-and-dashes-in-reason", "multi-line"],
)
def test_directive_forms_parse(lint, directive):
    found = lint(_article(CRITICS, directive + "\n" + PRICES))
    assert _figures(found) == []
    assert not [f for f in found if f[0] == "bad-suppression"]


@pytest.mark.parametrize("verb", ["disable-lines", "disable-next", "enable-file", "disable_line"])
def test_a_near_miss_verb_is_not_read_as_a_shorter_one(lint, cli, verb):
    found = lint(_article(f"<!-- citelint-{verb} unsourced-figure -->\n" + PRICES))
    assert _figures(found) == ["nearly 40%"]
    assert [rule for rule, _, _ in found if rule.endswith("suppression")] == ["bad-suppression"]
    assert "not a citelint directive (use citelint-disable-line," in cli("story.md").out


def test_one_unknown_rule_in_a_directive_keeps_the_others(lint):
    found = lint(_article("<!-- citelint-disable-next-line unsourced-figur, vague-attribution -->\n" + CRITICS,
                          PRICES))
    assert "vague-attribution" not in [rule for rule, _, _ in found]
    assert [(rule, line) for rule, line, _ in found if rule == "bad-suppression"] == [("bad-suppression", 3)]


# -- front matter -----------------------------------------------------------------------


def _in_front_matter(front: str, *paragraphs: str) -> str:
    return front + _article(*paragraphs)


def test_a_typo_in_front_matter_disable_reports_that_entry_and_keeps_the_others(lint, cli):
    front = "---\ncitelint:\n  disable:\n    - unsourced-figur\n    - vague-attribution\n---\n"
    found = lint(_in_front_matter(front, CRITICS, PRICES))
    assert "vague-attribution" not in [rule for rule, _, _ in found]
    assert _figures(found) == ["nearly 40%"]
    assert [f for f in found if f[0] == "bad-suppression"] == [("bad-suppression", 4, "unsourced-figur")]
    assert "unknown rule 'unsourced-figur' (did you mean 'unsourced-figure'?)" in cli("story.md").out


def test_an_unused_front_matter_disable_is_reported_at_its_entry(lint, cli):
    front = "---\ncitelint: {disable: [unsourced-figure, vague-attribution]}\n---\n"
    found = lint(_in_front_matter(front, PRICES))
    assert _figures(found) == []
    assert [f for f in found if f[0] == "unused-suppression"] == [("unused-suppression", 2, "vague-attribution")]
    assert "this front-matter disable suppresses nothing: remove it" in cli("story.md").out
    assert "unused-suppression" not in [f[0] for f in lint(_in_front_matter(front, PRICES), "--ignore", "CIT102")]


@pytest.mark.parametrize(
    "front, message",
    [
        ("citelint: {}", None),
        ("citelint:", None),
        ("citelint: {disable: []}", None),
        ("citelint: {disable: ['']}", "front-matter 'citelint.disable' entry '' is not a rule name"),
        ("citelint: {disable: [[CIT103]]}", "front-matter 'citelint.disable' entry ['CIT103'] is not a rule name"),
        ("citelint: {disabel: [CIT103]}", "unknown front-matter key 'citelint.disabel' (did you mean 'disable'?)"),
        ("citelint: [CIT103]", "front-matter 'citelint' should be a mapping such as {disable: [unsourced-figure]}"),
        ("citelint: {disable: {CIT103: true}}", "front-matter 'citelint.disable' should be a rule name or a list of them"),
    ],
)
def test_a_malformed_front_matter_block_disables_nothing(lint, cli, front, message):
    found = lint(_in_front_matter(f"---\n{front}\n---\n", PRICES))
    assert _figures(found) == ["nearly 40%"]
    bad = [f for f in found if f[0] == "bad-suppression"]
    assert len(bad) == (message is not None)
    if message:
        assert message in cli("story.md").out


def test_front_matter_all_disables_every_rule(lint):
    assert lint(_in_front_matter("---\ncitelint: {disable: all}\n---\n", CRITICS, PRICES)) == []


def test_hugo_toml_front_matter_is_not_linted_and_its_disables_work(lint):
    front = '+++\ntitle = "Critics say many things"\n[citelint]\ndisable = ["CIT102", "unsourced-figur"]\n+++\n'
    found = lint(_in_front_matter(front, CRITICS, PRICES))
    assert [(rule, line) for rule, line, _ in found] == [("bad-suppression", 4), ("unsourced-figure", 10)]


def test_require_reason_applies_to_front_matter(lint, tmp_path, cli):
    (tmp_path / ".citelint.yaml").write_text("suppressions:\n  require-reason: true\n", encoding="utf-8")
    without = lint(_in_front_matter("---\ncitelint: {disable: [CIT103]}\n---\n", PRICES))
    assert [(rule, line, text) for rule, line, text in without] == [("bad-suppression", 2, "citelint")]
    assert "a reason is required: add 'reason: why' under 'citelint:'" in cli("story.md").out
    front = "---\ncitelint:\n  disable: [CIT103]\n  reason: figures from the organisers' release\n---\n"
    assert lint(_in_front_matter(front, PRICES)) == []
