"""Tests for citelint.analysis.figures. Every sentence here is invented for the test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citelint.analysis.figures import Figure, find_figures


def only_figure(text: str) -> Figure:
    figures = find_figures(text)
    assert len(figures) == 1, [f.text for f in figures]
    return figures[0]


# (sentence, expected span, expected hedge, expected kind)
POSITIVE = [
    # counts
    ("The council says 12,000 households lost heating.", "12,000", None, "count"),
    ("The union claims as many as 2 million members.", "as many as 2 million", "as many as", "count"),
    ("Officials counted at least 82 international companies.", "at least 82", "at least", "count"),
    ("The plant will employ 2.5 million workers by spring.", "2.5 million", None, "count"),
    ("Tens of thousands marched through the town.", "Tens of thousands", None, "count"),
    ("Police received hundreds of complaints.", "hundreds of", None, "count"),
    ("Dozens of ferries stayed in port.", "Dozens of", None, "count"),
    ("The firm is opening five new plants.", "five", None, "count"),
    ("Organisers expect a million visitors.", "a million", None, "count"),
    ("Roughly 300 riders finished the course.", "Roughly 300", "roughly", "count"),
    ("Nearly forty-two villages were cut off.", "Nearly forty-two", "nearly", "count"),
    ("Some 1.5 mln shares changed hands.", "Some 1.5 mln", "some", "count"),
    ("The census found fewer than 900 speakers left.", "fewer than 900", "fewer than", "count"),
    ("An estimated 40,000 trees were felled.", "An estimated 40,000", "an estimated", "count"),
    ("They sold close to half a million tickets.", "close to half a million", "close to", "count"),
    ("The team used 20-strong crews.", "20", None, "count"),
    ("Traffic rose\u00a0by 7\u00a0million journeys.", "7\u00a0million", None, "count"),
    # percentages
    ("Inflation rose 4.5 percent in May.", "4.5 percent", None, "percent"),
    ("Inflation rose 4.5% in May.", "4.5%", None, "percent"),
    ("Turnout fell to 45 per cent.", "45 per cent", None, "percent"),
    ("Output grew 22 pct last quarter.", "22 pct", None, "percent"),
    ("It was a 3 percentage point swing.", "3 percentage point", None, "percent"),
    ("Yields climbed 50 basis points.", "50 basis points", None, "percent"),
    ("Bonds pay 8-1/2 pct a year.", "8-1/2 pct", None, "percent"),
    ("Almost 60% of tenants agreed.", "Almost 60%", "almost", "percent"),
    # money
    ("The bridge cost $1.2 billion to build.", "$1.2 billion", None, "money"),
    ("The bid values the chain at \u00a32bn.", "\u00a32bn", None, "money"),
    ("A fine of \u20ac300m was imposed.", "\u20ac300m", None, "money"),
    ("Tickets start at US$5 each.", "US$5", None, "money"),
    ("The unit earned 5 mln dlrs last year.", "5 mln dlrs", None, "money"),
    ("Profits reached 2.3 billion yuan.", "2.3 billion yuan", None, "money"),
    ("The state set aside Rs 500 crore for roads.", "Rs 500 crore", None, "money"),
    ("Shares rose 30p on the news.", "30p", None, "money"),
    ("The dividend is 12 cts a share.", "12 cts", None, "money"),
    ("The deal is worth more than 2bn euros.", "more than 2bn euros", "more than", "money"),
    ("It will cost up to \u00a31,700 a year.", "up to \u00a31,700", "up to", "money"),
    ("They lost millions of dollars on the scheme.", "millions of dollars", None, "money"),
    # ratios and fractions
    ("One in five drivers admitted speeding.", "One in five", None, "ratio"),
    ("Seven in ten pupils walk to school.", "Seven in ten", None, "ratio"),
    ("The motion passed by a 3 to 1 margin.", "3 to 1", None, "ratio"),
    ("A quarter of the orchards were lost.", "A quarter of", None, "fraction"),
    ("Half of the staff work remotely.", "Half of", None, "fraction"),
    ("Two-thirds of members backed the plan.", "Two-thirds of", None, "fraction"),
    ("Three quarters of voters stayed home.", "Three quarters of", None, "fraction"),
    ("Nearly half the pupils passed.", "Nearly half", "nearly", "fraction"),
    # measures
    ("The region warmed by 1.9C since records began.", "1.9C", None, "measure"),
    ("The truck carried 40 tonnes of grain.", "40 tonnes", None, "measure"),
    ("The pipeline runs 300 km to the coast.", "300 km", None, "measure"),
    ("The field pumps 8.4 mln bpd.", "8.4 mln bpd", None, "measure"),
    # scores and votes
    ("The board voted 7\u20132 to approve the merger.", "7\u20132", None, "score"),
    ("The hosts won 7-2 on Saturday.", "7-2", None, "score"),
    ("It ended in a 1-1 draw.", "1-1", None, "score"),
    ("She fought back from 30-40 down to hold serve.", "30-40", None, "score"),
    ("The judges ruled by an eight to one majority.", "eight to one", None, "score"),
]


@pytest.mark.parametrize(("text", "span", "hedge", "kind"), POSITIVE)
def test_positive_cases(text: str, span: str, hedge: str | None, kind: str) -> None:
    figure = only_figure(text)
    assert figure.text == span
    assert figure.hedge == hedge
    assert figure.kind == kind
    assert text[figure.start:figure.end] == figure.text
    assert figure.value_start >= figure.start
    if hedge is None:
        assert figure.value_start == figure.start
    else:
        assert text[figure.start:figure.value_start].strip().lower().split() == hedge.split()


NEGATIVE = [
    # dates and years
    "The law passed on June 4, 2019 after a long fight.",
    "The mill closed on 4 June and reopened in July.",
    "Sales fell in 2019.",
    "Prices rose between 2017 and 2018.",
    "The format dates from the 1990s.",
    "He starred in the 2019-20 season.",
    "Talks run from April 13 to 16 in the capital.",
    # times
    "The meeting starts at 3pm.",
    "The train left at 10:30 sharp.",
    "The doors open at 7 p.m. tonight.",
    "They talked until three in the morning.",
    # ordinals
    "She finished in second place.",
    "He came 3rd in the final.",
    "It was the first time.",
    "Cities grew fast in the 21st century.",
    # ages
    "The driver, aged 45, was unhurt.",
    "Jo Marsh, 45, runs the bakery.",
    "A 45-year-old man was arrested.",
    "Her nephew is 12 years old.",
    "He retired at the age of 58.",
    "Tickets are free for children under 12.",
    # durations
    "The talks went on for two years.",
    "The bridge shut three weeks ago.",
    "Nothing changed in the last 24 hours.",
    "The trial may run two or three months.",
    "It is a two-day event.",
    # one / a as articles or pronouns
    "One of the guards left early.",
    "One day the river flooded.",
    "No one answered the door.",
    "She is one of a kind.",
    # names and identifiers
    "Engineers inspected the Boeing 737 again.",
    "Covid-19 rules were relaxed.",
    "Leaders met at the G20 summit.",
    "The laptop runs Windows 10.",
    "Apollo 11 landed on the moon.",
    "Critics cite Section 230 of the act.",
    "Article 5 was invoked.",
    "They drove down Route 66.",
    "The F-35 flew overhead.",
    "He bought an iPhone 12.",
    "She follows Formula One closely.",
    "He plays in the Premier League.",
    "The Six Nations starts next week.",
    "He filed a form 10-K late.",
    # phone, page, house and version numbers, addresses
    "Call 020 7946 0123 for details.",
    "Ring 555-0199 for a brochure.",
    "The chart is on page 12.",
    "See section 4 of the report.",
    "The office is at 42 Market Street now.",
    "Update to version 2.4.1 today.",
    "Read more at www.example.org/news/2024/5 tonight.",
    "Write to desk42@example.com with tips.",
    # anaphoric counts and labels
    "The two men shook hands.",
    "It is ranked 134 in the world.",
    "He wore the number 10 shirt.",
    "She won the 400m hurdles.",
    "He made the top 10 list.",
    "Pupils at Key Stages 1, 3 and 4 sat the tests.",
    "The magazine dates the abacus at 190 A.D. and the wheel at 3500 BC.",
    "The airline flies Boeing 737, 747 and 777 jets.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative_cases(text: str) -> None:
    assert find_figures(text) == [], [f.text for f in find_figures(text)]


def test_several_figures_sorted_with_offsets() -> None:
    text = "About 300 staff, or 12% of the workforce, will share \u00a35m in bonuses."
    figures = find_figures(text)
    assert [f.text for f in figures] == ["About 300", "12%", "\u00a35m"]
    assert [f.kind for f in figures] == ["count", "percent", "money"]
    for figure in figures:
        assert text[figure.start:figure.end] == figure.text
    assert [f.start for f in figures] == sorted(f.start for f in figures)


def test_hedge_is_normalised() -> None:
    figure = only_figure("AS  MANY\u00a0AS 40 boats sank.")
    assert figure.hedge == "as many as"
    assert figure.value_start == figure.text.index("40") + figure.start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('The mayor said "about 500 people" came, and 20 left.', [True, False]),
        ("The mayor said \u201cabout 500 people\u201d came, and 20 left.", [True, False]),
        ("Of 20 guests, she said: \u201cOnly 3 stayed.\u201d", [False, True]),
        # A quote left open continues to the end of the paragraph, as news style does.
        ('"We hired 40 people this year. We will hire 60 more', [True, True]),
        ("He said 40 people were hired.", [False]),
        # Two apostrophes (or backticks) are a double quotation mark in some archives' copy.
        ("The mayor said ''about 500 people'' came, and 20 left.", [True, False]),
        ("The mayor said ``about 500 people'' came, and 20 left.", [True, False]),
        # Not before a word, they are inches or a possessive: no quotation opens.
        ("The 12'' pipes cost 40 dollars each.", [False, False]),
        # Nor do they close a quotation opened by the other style.
        ('"We laid 12\'\' pipes," the foreman said, but repairs cost £4m.', [True, False]),
        # Backticks close as they open, after a word: "``make all``" is no open quotation.
        ("The build step ``make all`` ran, and the bill reached £3,000.", [False]),
        # After a bracket, a doubled mark opens.
        ("(''We hired 40 people,'' he said) and 20 left.", [True, False]),
    ],
)
def test_in_quote(text: str, expected: list[bool]) -> None:
    assert [f.in_quote for f in find_figures(text)] == expected


def test_curly_apostrophe_and_dash() -> None:
    text = "The club\u2019s 3,000 members voted 9\u20134 for the move."
    assert [(f.text, f.kind) for f in find_figures(text)] == [("3,000", "count"), ("9\u20134", "score")]


def test_reuters_table_line() -> None:
    text = "Shr 12 cts vs 10 cts\nNet 1,234,000 vs 987,000"
    assert [f.text for f in find_figures(text)] == ["12 cts", "10 cts", "1,234,000", "987,000"]


@pytest.mark.parametrize("bad", [None, 42, b"12 people", ""])
def test_bad_input_gives_empty_list(bad: object) -> None:
    assert find_figures(bad) == []  # type: ignore[arg-type]


def test_figure_is_frozen() -> None:
    figure = only_figure("It cost $5.")
    with pytest.raises(AttributeError):
        figure.start = 0  # type: ignore[misc]


TRICKY = st.sampled_from(
    list("0123456789 ,.-\u2013/:%$\u00a3\u20ac\"\u201c\u201d'\u2019\u00a0\n")
    + ["million", "bn", "pct", "dlrs", "about", "as many as", "one in", "half of",
       "years", "aged", "June", "Boeing", "two", "a", "of", "m", "C", "@", "www."]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(TRICKY, max_size=60).map("".join)))
def test_property_spans_valid(text: str) -> None:
    figures = find_figures(text)
    previous_end = 0
    for figure in figures:
        assert 0 <= figure.start <= figure.value_start < figure.end <= len(text)
        assert figure.start >= previous_end
        assert text[figure.start:figure.end] == figure.text
        assert figure.kind in {"count", "percent", "money", "ratio", "fraction", "measure", "score"}
        previous_end = figure.end


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The market opens at nine.", []),
        ("Talks resume at 10 on Monday.", []),
        ("The index closed at 1,200.", ["1,200"]),
        ("Prices rose by 10.", ["10"]),
        ("Unemployment stood at nine percent.", ["nine percent"]),
    ],
)
def test_a_bare_hour_after_a_preposition_is_a_time(text, expected):
    assert [figure.text for figure in find_figures(text)] == expected


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # a vote or score written with "to" is a result, not a count to source
        ("The budget passed by 31 votes to 22 on Tuesday.", ["score", "score"]),
        ("Councillors voted 310 to 220 in favour.", ["score", "score"]),
        # two counts joined by "to" with no vote or score around them stay counts
        ("The firm cut its staff from 300 to 200 last year.", ["count", "count"]),
        ("The levy rose from 300 to 400 pounds.", ["count", "money"]),
        ("The vote, carried by 27 to 14 on Wednesday, was close.", ["score", "score"]),
        # a score word inside a hyphenated word ("nurse-led") makes no tally
        ("Nurse-led clinics saw median waits fall from 26 days to 18.", ["count"]),
    ],
)
def test_a_tally_with_to_is_a_score(text: str, kinds: list[str]) -> None:
    assert [figure.kind for figure in find_figures(text)] == kinds
