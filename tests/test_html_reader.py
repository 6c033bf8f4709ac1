"""Tests for the HTML reader: exact offsets first, then what becomes which block."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citelint.document.html import read
from citelint.document.model import PROSE_KINDS, Document

FIXTURES = Path(__file__).parent / "fixtures" / "html"
FIXTURE_FILES = sorted(FIXTURES.glob("*.html"))


def load(path: Path | str) -> str:
    # newline="" keeps CRLF exactly as stored, so offsets refer to the file's own text
    with open(FIXTURES / path, encoding="utf-8", newline="") as handle:
        return handle.read()


def check_offsets(doc: Document) -> None:
    """Every character of every block maps back to the source it came from."""
    source = doc.source
    for number, block in enumerate(doc.blocks):
        assert block.text, f"block {number} is empty"
        assert block.text == block.text.strip() or block.kind == "code"
        runs = block.map.runs()
        assert runs and block.map.length == len(block.text)
        for index, (text_start, src_start, src_end, verbatim) in enumerate(runs):
            text_end = runs[index + 1][0] if index + 1 < len(runs) else len(block.text)
            piece = block.text[text_start:text_end]
            assert 0 <= src_start <= src_end <= len(source)
            if verbatim:
                assert source[src_start:src_end] == piece
            elif not piece.isspace():  # whitespace runs stand for collapsed space, <br>, code
                assert piece in decodings(source[src_start:src_end]), (piece, src_start)
    for link in doc.links:
        assert 0 <= link.offset <= link.end_offset <= len(source)
        # "<a" in markup; "&lt;a" or "\u003ca" in a script's JSON state
        assert source[link.offset : link.offset + 8].lower().startswith(("<a", "&lt;a", "\\u003ca"))
        if link.block is not None:
            block = doc.blocks[link.block]
            assert 0 <= link.start <= link.end <= len(block.text)
            assert link.text == block.text[link.start : link.end]
            if link.text:
                start, end = block.source_span(link.start, link.end)
                assert link.offset <= start <= end <= link.end_offset
    for directive in doc.directives:
        assert "citelint" in source[directive.offset : directive.end_offset]


def decodings(raw: str) -> set[str]:
    """What a replaced source span may stand for: a character reference, or a JSON string escape
    (an article read from the page's JSON-LD)."""
    found = {html.unescape(raw)}
    if raw.startswith("\\"):
        decoded = json.loads(f'"{raw}"')
        found.add(decoded)
        if len(decoded) == 1 and (0xD800 <= ord(decoded) < 0xE000 or not decoded.isprintable()):
            found.add("\ufffd")  # a lone surrogate or a control character: the replacement character
    if raw.startswith("&amp;"):  # a reference written with a reference, in a script's markup: "&amp;#39;"
        found |= {html.unescape(text) for text in found}
    return found


def kinds_and_texts(doc: Document) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in doc.blocks]


def texts(doc: Document, kind: str) -> list[str]:
    return [block.text for block in doc.blocks if block.kind == kind]


# --- fixtures -----------------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_offsets(path: Path) -> None:
    source = load(path)
    doc = read(source, str(path))
    assert doc.format == "html" and doc.path == str(path)
    check_offsets(doc)
    prose_words = sum(len(b.text.split()) for b in doc.blocks if b.kind in PROSE_KINDS)
    assert 300 <= prose_words <= 900
    assert not doc.problems
    for block in doc.blocks:  # nothing from scripts, styles or forms leaks in
        assert "dataLayer" not in block.text and "not article text" not in block.text
        assert "Accept all" not in block.text and "Sign up" not in block.text


def test_council_budget_structure() -> None:
    doc = read(load("council_budget.html"), "council_budget.html")
    assert kinds_and_texts(doc)[:5] == [
        ("heading", "Harbridge council approves £41m budget amid library row"),
        ("byline", "By Maya Okafor, Local Democracy Reporter"),
        ("boilerplate", "Published 28 February 2024, 18:05"),
        ("caption", "Councillors debated the spending plan for almost five hours on Wednesday evening."),
        ("credit", "Photo: Tomas Brandt/Courier"),
    ]
    quotes = texts(doc, "blockquote")
    assert quotes[0].startswith("“These are the only warm, free places")
    assert quotes[1] == "— Declan Murray, Friends of Quayside Library"  # <footer> in a quote
    assert texts(doc, "table_cell")[:3] == ["Service", "Budget", "Change"]
    assert "Libraries & culture" in texts(doc, "table_cell")
    assert "Children’s services" in texts(doc, "table_cell")
    assert "Spending by service, 2024–25" in texts(doc, "caption")
    assert len(texts(doc, "list_item")) == 4
    all_text = " ".join(b.text for b in doc.blocks)
    for chrome in ("Share on Facebook", "Related", "Comments (14)", "Most read", "cookies",
                   "All rights reserved", "Typical.", "Local politics"):
        assert chrome not in all_text


def test_council_budget_links() -> None:
    source = load("council_budget.html")
    doc = read(source, "council_budget.html")
    in_text = [(link.url, link.text) for link in doc.links if link.block is not None]
    assert in_text == [
        ("/staff/maya-okafor", "Maya Okafor"),
        ("https://harbridge.example.gov/budget/2024-25", "the medium-term financial plan"),
        ("https://harbridge.example.gov/meetings/full-council", "council’s meetings page"),
    ]
    chrome_urls = {link.url for link in doc.links if link.block is None}
    assert {"/news", "/privacy", "/news/library-petition"} <= chrome_urls
    plan = doc.links[[link.text for link in doc.links].index("the medium-term financial plan")]
    assert source[plan.offset : plan.end_offset] == (
        '<a href="https://harbridge.example.gov/budget/2024-25">the medium-term financial plan</a>'
    )


def test_river_survey_crlf_scope_dateline_and_non_ascii() -> None:
    source = load("river_survey_crlf.html")
    assert "\r\n" in source
    doc = read(source, "river.html")
    # articleBody is the scope: the headline outside it is not read, the byline is kept
    assert "heading" not in [b.kind for b in doc.blocks[:2]]
    assert doc.blocks[0].kind == "byline"
    assert doc.blocks[0].text == "By Élodie Marchetti and Søren Lund"
    assert kinds_and_texts(doc)[1][0] == "dateline"
    assert doc.blocks[1].text == "GENEVA (Continental Wire) —"
    assert doc.blocks[2].text.startswith("Microplastic particles were found in 91%")
    # offsets count code points: the block starts where str.find says it does
    assert doc.blocks[0].offset == source.index("By Élodie")
    assert doc.blocks[2].offset == source.index("Microplastic particles")
    assert ("caption", "A researcher filters water from a tributary near Innsbruck.") in (
        kinds_and_texts(doc)
    )
    assert ("credit", "Katarína Novák/AFP via Getty Images") in kinds_and_texts(doc)
    assert texts(doc, "boilerplate") == ["© 2024 Continental Wire. All rights reserved."]
    assert not any("Subscribe" in b.text or "Brussels" in b.text for b in doc.blocks)
    assert not any("\r" in b.text or "\n" in b.text for b in doc.blocks)


def test_payments_outage_body_scope_code_footnotes_and_base() -> None:
    source = load("payments_outage.html")
    doc = read(source, "payments.html")
    assert kinds_and_texts(doc)[:3] == [
        ("heading", "Card payments outage traced to an expired certificate"),
        ("byline", "By Kwame Asante | Technology correspondent"),
        ("dateline", "May 14, 2024"),
    ]
    assert not any("TechDesk Daily" in b.text for b in doc.blocks)  # page <header>/<footer>
    code = texts(doc, "code")
    assert len(code) == 1
    assert code[0].startswith("$ certcheck --host auth-02.internal\n")
    assert "Clearline Internal CA <ops@clearline.example>" in code[0]
    engineers = next(b for b in doc.blocks if b.text.startswith("Engineers who spoke"))
    assert "certcheck" not in engineers.text
    assert "checking expiry dates" not in engineers.text
    assert "to check expiry dates, , had been removed" in engineers.text
    assert texts(doc, "footnote") == [
        "Clearline incident report, published 14 May 2024.",
        "Open Reliability Project, Outage causes 2018–2022.",
    ]
    links = {link.url: link for link in doc.links}
    report = links["https://techdesk.example.com/2024/05/status/clearline-incident-report"]
    assert report.text == "an incident report"
    footnote = links["#fn1"]  # fragment links stay as written
    assert footnote.text == "1" and footnote.block == report.block
    assert links["https://techdesk.example.com/contact"].block is None
    assert [d.text for d in doc.directives] == [
        "citelint-disable vague-attribution", "citelint-enable vague-attribution",
    ]
    first = doc.directives[0]
    assert source[first.offset : first.end_offset] == "<!-- citelint-disable vague-attribution -->"


def test_transit_fares_messy_markup() -> None:
    doc = read(load("transit_fares_messy.html"), "transit.html")
    pairs = kinds_and_texts(doc)
    assert pairs[:3] == [
        ("heading", "Metro fares to rise by 7% from April, authority confirms"),
        ("byline", "By Ana Ferreira"),
        ("paragraph",
         "Regional transport body says higher energy and staff costs leave it no choice"),
    ]
    # an unclosed <h2> ends at the next paragraph instead of swallowing the page
    assert ("heading", "Passengers react") in pairs
    assert ("paragraph",
            "Commuters interviewed at Central Station on Thursday morning were mostly resigned."
            ) in pairs
    assert texts(doc, "list_item") == [
        "Peak single: £3.80 → £4.10", "Off-peak single: £2.90 → £3.10",
        "Monthly pass: £112 → £120",
    ]
    assert texts(doc, "blockquote")[0].startswith("“I don't have a choice — there is no bus")
    elsewhere = next(t for t in texts(doc, "paragraph") if t.startswith("Elsewhere"))
    assert "Sponsored" not in elsewhere and "pandemic, and experts" in elsewhere
    assert ("caption", "Central Station at the morning peak.") in pairs
    assert ("credit", "Picture by Ruth Adeyemi") in pairs
    assert texts(doc, "table_cell") == ["Ticket", "Old", "New", "Peak single", "£3.80", "£4.10"]
    assert not any("cookies" in t or "Northvale Gazette" in t for _, t in pairs)
    fares = next(link for link in doc.links if link.url == "https://ncta.example.gov/fares")
    assert fares.text == "fares page"


# --- small documents ----------------------------------------------------------------


def blocks_of(source: str) -> list[tuple[str, str]]:
    doc = read(source, "t.html")
    check_offsets(doc)
    return kinds_and_texts(doc)


def test_entities_map_to_their_spans() -> None:
    source = "<p>Tom &amp; Jerry&rsquo;s &#8220;show&#x201D; costs &pound;5 &amp no &bogus; fee</p>"
    doc = read(source, "t.html")
    check_offsets(doc)
    block = doc.blocks[0]
    assert block.text == "Tom & Jerry’s “show” costs £5 & no &bogus; fee"
    amp = block.text.index("&")
    assert block.source_span(amp, amp + 1) == (source.index("&amp;"), source.index("&amp;") + 5)
    quote = block.text.index("“")
    start = source.index("&#8220;")
    assert block.source_span(quote, quote + 1) == (start, start + len("&#8220;"))
    no_semicolon = block.text.index("& no")
    start = source.index("&amp no")
    assert block.source_span(no_semicolon, no_semicolon + 1) == (start, start + 4)


def test_whitespace_collapse_and_br() -> None:
    source = "<div>\n  One\t\ttwo&nbsp;three<br>four<br/>\r\n five  </div>"
    doc = read(source, "t.html")
    check_offsets(doc)
    assert kinds_and_texts(doc) == [("paragraph", "One two three four five")]
    block = doc.blocks[0]
    space = block.text.index(" ")
    assert block.source_span(space, space + 1) == (source.index("\t\t"), source.index("\t\t") + 2)


def test_inline_code_is_one_space_spanning_the_element() -> None:
    source = "<p>Run <code>make &amp;&amp; test</code> daily.</p>"
    doc = read(source, "t.html")
    check_offsets(doc)
    block = doc.blocks[0]
    assert block.text == "Run daily."
    assert block.source_span(3, 4) == (source.index(" <code>"), source.index("daily"))


def test_code_and_pre_blocks() -> None:
    assert blocks_of("<div><code>x = 1</code></div><pre>\n  a &lt; b\n  c\n</pre>") == [
        ("code", "x = 1"), ("code", "a < b\n  c"),
    ]


def test_implicit_closes() -> None:
    source = ("<p>First<p>Second<div>Third</div><ul><li>one<li>two<ul><li>inner</ul><li>three</ul>"
              "<table><tr><td>a<td>b<tr><th>c</table><dl><dt>term<dd>meaning</dl>")
    assert blocks_of(source) == [
        ("paragraph", "First"), ("paragraph", "Second"), ("paragraph", "Third"),
        ("list_item", "one"), ("list_item", "two"), ("list_item", "inner"),
        ("list_item", "three"), ("table_cell", "a"), ("table_cell", "b"),
        ("table_cell", "c"), ("paragraph", "term"), ("paragraph", "meaning"),
    ]


def test_text_directly_in_containers_and_stray_end_tags() -> None:
    source = "<section>Loose text <b>bold</b></span> more</p>after<article>x</article></section>"
    assert blocks_of(source) == [
        # an <article> holding a sliver of the page is not the article: the page is read
        ("paragraph", "Loose text bold more"), ("paragraph", "after"), ("paragraph", "x"),
    ]
    assert blocks_of("<section>Loose text <b>bold</b></span> more</p>after</section>") == [
        ("paragraph", "Loose text bold more"), ("paragraph", "after"),
    ]


def test_blockquote_kinds() -> None:
    source = "<blockquote><p>Quoted line.</p>Said someone<ul><li>listed</li></ul></blockquote>"
    assert blocks_of(source) == [
        ("blockquote", "Quoted line."), ("blockquote", "Said someone"),
        ("blockquote", "listed"),
    ]


def test_chrome_by_tag_class_role_and_hidden() -> None:
    source = """<body class="has-sidebar nav-open">
    <nav>Home</nav><header>Site name</header><aside>Aside</aside>
    <div class="shareButtons">Share</div><div id="adSlot">Ad text</div>
    <div role="navigation">Menu</div><div role="complementary">More</div>
    <div hidden>Hidden</div><div aria-hidden="true">Icon</div><div style="display: none">X</div>
    <form><label>Email</label><select><option>One</option></select></form>
    <script>var s = "</div><p>fake</p>";</script><style>p{}</style><noscript>Enable JS</noscript>
    <template><p>Template</p></template><svg><text>Chart</text></svg>
    <p>Real text with <span class="ad">an ad inside</span> it.</p>
    <div class="header-with-sidebar">Kept: the layout class is negated.</div>
    <footer>Footer</footer></body>"""
    assert blocks_of(source) == [
        ("paragraph", "Real text with it."),
        ("paragraph", "Kept: the layout class is negated."),
    ]


def test_byline_credit_caption_classes() -> None:
    source = """<article>
    <div class="article-byline"><p>By Jo Bloggs</p><p>Updated 3 June 2024, 10:00</p></div>
    <p>Words by <a class="author" href="/jo">Jo Bloggs</a></p>
    <p>A long paragraph that merely mentions <a class="author" href="/jo">Jo Bloggs</a> in passing
       and goes on long enough that it cannot be a byline line at all, not by any measure.</p>
    <figure><img src="x.jpg"><figcaption>Rain on Monday<br>Photograph: Ana Lima</figcaption></figure>
    <figure><figcaption><span class="caption-text">Crowds gather.</span>
      <small class="photoCredit">Ana Lima</small></figcaption></figure>
    <figure><figcaption>Jane Roe/Reuters</figcaption></figure>
    </article>"""
    pairs = blocks_of(source)
    assert pairs[:3] == [
        ("byline", "By Jo Bloggs"), ("boilerplate", "Updated 3 June 2024, 10:00"),
        ("byline", "Words by Jo Bloggs"),
    ]
    assert pairs[3][0] == "paragraph"
    assert pairs[4:] == [
        ("caption", "Rain on Monday"), ("credit", "Photograph: Ana Lima"),
        ("caption", "Crowds gather."), ("credit", "Ana Lima"),
        ("credit", "Jane Roe/Reuters"),
    ]


def test_dateline_split_only_in_first_paragraph() -> None:
    source = "<p>PARIS (AP) — The first line.</p><p>NATO — the alliance said more.</p>"
    doc = read(source, "t.html")
    check_offsets(doc)
    assert kinds_and_texts(doc) == [
        ("dateline", "PARIS (AP) —"), ("paragraph", "The first line."),
        ("paragraph", "NATO — the alliance said more."),
    ]
    assert doc.blocks[1].offset == source.index("The first")


def test_dateline_split_moves_links() -> None:
    source = '<p>LONDON (Reuters) - The <a href="https://x.example/r">report</a> says so.</p>'
    doc = read(source, "t.html")
    check_offsets(doc)
    assert doc.links[0].block == 1 and doc.links[0].text == "report"


def test_scope_prefers_article_and_falls_back_when_it_is_empty() -> None:
    with_article = "<body><p>Outside</p><main><p>Main</p><article><p>Story</p></article></main>"
    assert blocks_of(with_article) == [("paragraph", "Story")]
    assert blocks_of("<p>Outside</p><main><p>In main</p></main>") == [("paragraph", "In main")]
    body = '<div itemprop="articleBody"><p>Body</p></div><article><p>Card</p></article>'
    assert blocks_of(body) == [("paragraph", "Body")]
    # an <article> teaser inside an aside holds no prose: read the whole page instead
    teaser = "<p>The story itself.</p><aside><article><p>Teaser</p></article></aside>"
    assert blocks_of(teaser) == [("paragraph", "The story itself.")]


def test_header_inside_article_keeps_headline() -> None:
    source = "<header>Site</header><article><header><h1>Headline</h1></header><p>Text</p></article>"
    assert blocks_of(source) == [("heading", "Headline"), ("paragraph", "Text")]


def test_links() -> None:
    source = ('<head><base href="https://news.example/a/b/"></head>'
              '<p>See <a href="../c?x=1&amp;y=2">the <b>data</b></a> and '
              '<a href="#fn3"><sup>3</sup></a><a href="">empty</a><a name="x">anchor</a>'
              '<a href="https://other.example/"><img src="i.png"></a> end.</p>'
              '<nav><a href="/home">Home</a></nav>')
    doc = read(source, "t.html")
    check_offsets(doc)
    assert [(link.url, link.block, link.text) for link in doc.links] == [
        ("https://news.example/a/c?x=1&y=2", 0, "the data"),
        ("#fn3", 0, "3"),
        ("https://other.example/", 0, ""),
        ("https://news.example/home", None, ""),
    ]
    first = doc.links[0]
    assert source[first.offset : first.end_offset] == '<a href="../c?x=1&amp;y=2">the <b>data</b></a>'
    image = doc.links[2]
    assert image.start == image.end == doc.blocks[0].text.index(" end.")


def test_unclosed_link_ends_with_its_paragraph() -> None:
    source = '<p>Read <a href="https://x.example/">the report<p>Next paragraph'
    doc = read(source, "t.html")
    check_offsets(doc)
    link = doc.links[0]
    assert (link.block, link.text) == (0, "the report")
    assert link.end_offset == source.index("<p>Next")


def test_directives_in_comments() -> None:
    source = "<!-- ordinary --><p>x</p><!--citelint-disable-next-line vague-source--><p>y</p>"
    doc = read(source, "t.html")
    assert [(d.text, source[d.offset : d.end_offset]) for d in doc.directives] == [
        ("citelint-disable-next-line vague-source",
         "<!--citelint-disable-next-line vague-source-->"),
    ]


def test_crlf_and_non_ascii_offsets_are_code_points() -> None:
    source = "<html>\r\n<body>\r\n<p>Zoë’s café 😀 said\r\n  “hi”</p>\r\n<p>€5 &euro;</p></body></html>"
    doc = read(source, "t.html")
    check_offsets(doc)
    assert kinds_and_texts(doc) == [("paragraph", "Zoë’s café 😀 said “hi”"), ("paragraph", "€5 €")]
    first = doc.blocks[0]
    said = first.text.index("“hi”")
    assert source[first.source_span(said, said + 4)[0] :].startswith("“hi”")


# --- robustness ---------------------------------------------------------------------


def test_not_html_at_all() -> None:
    assert blocks_of("Just a line of text.\n\nAnd another & one < two > three.") == [
        ("paragraph", "Just a line of text. And another & one < two > three."),
    ]
    assert read("", "t.html").blocks == []
    assert blocks_of("{\"json\": [1, 2, 3]}") == [("paragraph", "{\"json\": [1, 2, 3]}")]


@pytest.mark.parametrize("source", [
    "<p>a <![CDATA[ raw ]]> b</p>",
    "<p>a <![foo[ odd ]]> b</p>",      # the stdlib raises on unknown marked sections
    "<p>a <?php echo 1; ?> b</p>",
    "<p>a <!DOCTYPE html> b</p>",
    '<p class="x y="z" title=\'unterminated>a</p><p>b</p>',
    "<p =bad &=1 / / data-x>a</p>",
    "<p>a &#; &#x; &#12ab; b</p><p>c &#; d</p><b>e</b>",  # invalid character references
    "<p>a &#",
    "<p>unclosed <!-- comment",
    "</p></div></body></html>text",
    "<<<>>></ >< / p>",
    "<script>var a = '</div>'; if (x</y) {}</script><p>after</p>",
    "<style>p::after { content: '</p>' }</style><p>after</p>",
    "<script>never closed <p>text",
    "<p>\x00\ufffd\ud800 odd chars</p>",
])
def test_malformed_markup_never_raises(source: str) -> None:
    doc = read(source, "t.html")
    check_offsets(doc)


@pytest.mark.parametrize("opener", ["<!--x", "<a", "</", "<?", "<![CDATA["])
def test_markup_that_never_closes_ends_the_page_quickly(opener: str) -> None:
    source = "<p>Before.</p>" + opener * 100_000
    started = time.perf_counter()
    doc = read(source, "t.html")
    assert time.perf_counter() - started < 5  # the stdlib close() would be quadratic here
    check_offsets(doc)
    assert kinds_and_texts(doc) == [("paragraph", "Before.")]
    assert len(doc.problems) == 1 and "never closed" in doc.problems[0].message
    assert doc.problems[0].offset == len("<p>Before.</p>")


def test_invalid_character_reference_inside_an_attribute_is_kept() -> None:
    doc = read('<p>x &#; y <a href="/page?a=1&#top">link</a></p>', "t.html")
    check_offsets(doc)
    assert doc.blocks[0].text == "x &#; y link"
    assert doc.links[0].url == "/page?a=1&#top"


def test_malformed_base_url_keeps_the_href() -> None:
    doc = read('<base href="http://[bad"><p><a href="x.html">t</a></p>', "t.html")
    assert [(link.url, link.text) for link in doc.links] == [("x.html", "t")]


def test_invalid_character_references_do_not_swallow_the_page() -> None:
    assert blocks_of("<p>a &#; b</p><p>c &#x; d</p><b>e</b>") == [
        ("paragraph", "a &#; b"), ("paragraph", "c &#x; d"), ("paragraph", "e"),
    ]


def test_unknown_marked_section_is_a_bogus_comment() -> None:
    # HTML5 ends a bogus comment at the first ">"; the stdlib would raise instead
    assert blocks_of("<p>a <![foo[ odd ]]> b</p><p>c</p>") == [
        ("paragraph", "a b"), ("paragraph", "c"),
    ]


def test_script_and_cdata_content_is_not_text() -> None:
    source = "<script>document.write('<p>fake</p>');</script><![CDATA[ raw ]]><p>real</p>"
    assert blocks_of(source) == [("paragraph", "real")]


def test_a_noscript_holding_the_article_is_read_a_small_one_is_not() -> None:
    story = "<p>The ferry will run every half hour from May, the operator said.</p>" * 30
    source = f"<p>Menu</p><noscript>{story}</noscript><noscript><p>Enable JavaScript to comment.</p></noscript>"
    doc = read(source, "t.html")
    check_offsets(doc)
    kept = {block.text for block in doc.blocks}
    assert "The ferry will run every half hour from May, the operator said." in kept
    assert "Enable JavaScript to comment." not in kept


def test_a_browser_notice_inside_a_noscript_article_is_not_prose() -> None:
    story = "<p>The ferry will run every half hour from May, the operator said.</p>" * 30
    notices = "<p>Please enable JavaScript to see the timetable map.</p><p>This website uses cookies to count visits.</p>"
    doc = read(f"<p>Menu</p><noscript>{notices}{story}</noscript>", "t.html")
    prose = {block.text for block in doc.blocks if block.is_prose}
    assert "The ferry will run every half hour from May, the operator said." in prose
    assert not any("JavaScript" in text or "cookies" in text for text in prose)


def test_a_sentence_about_cookies_is_not_a_site_notice() -> None:
    from citelint.document.boilerplate import classify_line

    assert classify_line("Regulators say sites that tell visitors we use cookies often ignore the law.") is None
    assert classify_line("We use cookies to measure how the site is used.") == "boilerplate"


ARTICLE_BODY = ('{"@type": "NewsArticle", "articleBody": "The ferry\\u2019s new timetable starts in May.'
                '\\n\\nFares rise by 9% \\u2014 the operator said so \\/ \\"firmly\\". Tea &amp; cake \\ud83c\\udf70."}')


def json_ld_page(body: str, article: str = "<p>Read the full story.</p>") -> str:
    return (f'<html><head><script type="application/ld+json">{body}</script></head>'
            f"<body><h1>New timetable</h1>{article}</body></html>")


def test_a_json_ld_article_body_is_read_when_the_page_shows_little() -> None:
    source = json_ld_page(ARTICLE_BODY)
    doc = read(source, "t.html")
    check_offsets(doc)
    assert [(block.kind, block.text) for block in doc.blocks if block.kind == "paragraph"] == [
        ("paragraph", "The ferry\u2019s new timetable starts in May."),
        ("paragraph", 'Fares rise by 9% \u2014 the operator said so / "firmly". Tea & cake \U0001f370.'),
        ("paragraph", "Read the full story."),
    ]
    block = doc.blocks[1]
    dash = block.text.index("\u2014")
    assert source[slice(*block.source_span(dash, dash + 1))] == "\\u2014"
    cake = block.text.index("\U0001f370")
    assert source[slice(*block.source_span(cake, cake + 1))] == "\\ud83c\\udf70"
    amp = block.text.index("&")
    assert source[slice(*block.source_span(amp, amp + 1))] == "&amp;"


def test_a_json_ld_article_body_is_not_read_beside_the_page_article() -> None:
    story = "<p>The ferry's new timetable starts in May, and fares rise by 9% on the same day.</p>" * 3
    doc = read(json_ld_page(ARTICLE_BODY, story), "t.html")
    assert not any("firmly" in block.text for block in doc.blocks)


@pytest.mark.parametrize("body", [
    '{"articleBody": "<p>Markup in the string cannot be read as text.</p>"}',  # markup: skipped
    '{"articleBody": 42}', '{"articleBody": "unclosed', "[1, 2", '{"text": "no article body"}',
])
def test_a_json_ld_article_body_that_cannot_be_read_exactly_is_skipped(body: str) -> None:
    doc = read(json_ld_page(body), "t.html")
    check_offsets(doc)
    assert [block.text for block in doc.blocks] == ["New timetable", "Read the full story."]


def test_json_ld_blocks_keep_the_page_links_in_place() -> None:
    source = json_ld_page(ARTICLE_BODY, '<p>Read <a href="https://x.example/full">the full story</a>.</p>')
    doc = read(source, "t.html")
    check_offsets(doc)
    link = next(link for link in doc.links if link.url == "https://x.example/full")
    assert link.block is not None and doc.blocks[link.block].text == "Read the full story."


def test_a_paywalled_teaser_is_read_once_from_the_json_ld_body() -> None:
    body = ('{"@type": "NewsArticle", "isAccessibleForFree": false, "articleBody": '
            '"Ferry fares will rise by 9% in May, the operator said.\\n\\nCommuters say the rise is too steep.'
            + "\\n\\nThe rest of the story explains the new timetable and what it costs the operator." * 4 + '"}')
    teaser = ('<article><h1>Fares to rise</h1><p>Ferry fares will rise by 9% in May, the operator'
              ' <a href="https://ferry.example/fares">said</a>.</p><p>Commuters say the rise is too steep.</p>'
              '<p>Subscribe to read the rest.</p></article>')
    source = json_ld_page(body, teaser)
    doc = read(source, "t.html")
    check_offsets(doc)
    kept = [block.text for block in doc.blocks]
    assert kept.count("Ferry fares will rise by 9% in May, the operator said.") == 1
    assert kept.count("Commuters say the rise is too steep.") == 1
    assert "Fares to rise" in kept and "Subscribe to read the rest." in kept  # not in the article body
    link = next(link for link in doc.links if link.url == "https://ferry.example/fares")
    assert link.block is None  # its teaser sentence is read from the article body, which has no link


def test_lone_surrogates_and_control_characters_in_json_ld_read_as_replacement_characters() -> None:
    escapes = ["\\ud83c", "\\udc00", "\\u001b", "\\u0000", "\\u0007", "\\b"]
    body = ('{"articleBody": "The ferry\\ud83c\\udf70 runs hourly. ' + " ".join(f"Word{escape}s" for escape in escapes)
            + ' and more. ' + "The operator said fares rise by 9% in May. " * 4 + '"}')
    source = json_ld_page(body)
    doc = read(source, "t.html")
    check_offsets(doc)
    block = doc.blocks[0]
    block.text.encode("utf-8")  # no lone surrogate left to fail a report
    assert all(char.isprintable() for char in block.text)
    assert "\U0001f370" in block.text  # a pair is one character
    replaced = [position for position, char in enumerate(block.text) if char == "\ufffd"]
    assert [source[slice(*block.source_span(at, at + 1))] for at in replaced] == escapes


def test_lone_surrogates_in_json_ld_do_not_crash_the_rules(cli, tmp_path: Path) -> None:
    page = tmp_path / "bridges.html"
    body = ('{"articleBody": "' + "The council said 40% of the bridge budget went to repairs last year. " * 3
            + 'Some experts\\ud83c say prices rose by about 30\\udc00% in the city."}')
    page.write_text(json_ld_page(body), encoding="utf-8")
    run = cli("--format", "json", "--min-confidence", "0", str(page))
    rules = {item["rule"] for item in run.json()["diagnostics"]}
    assert "internal-error" not in rules and "vague-attribution" in rules


@pytest.mark.parametrize("dateline", ["PARIS (AP) - ", ""])
def test_json_ld_paragraphs_get_the_chrome_kinds_of_markup_paragraphs(dateline: str) -> None:
    story = "The ferry operator said fares will rise by 9% in May. " * 3
    body = f'{{"articleBody": "{dateline}{story}\\nPhoto: Ann Lee/Reuters\\n\\u00a9 2026 Ferry News. All rights reserved."}}'
    doc = read(json_ld_page(body), "t.html")
    check_offsets(doc)
    assert kinds_and_texts(doc) == [
        *([("dateline", dateline.rstrip())] if dateline else []), ("paragraph", story.strip()),
        ("credit", "Photo: Ann Lee/Reuters"), ("boilerplate", "\u00a9 2026 Ferry News. All rights reserved."),
        ("heading", "New timetable"), ("paragraph", "Read the full story.")]


def test_json_ld_inside_a_paragraph_is_not_read_inside_it() -> None:
    body = '{"articleBody": "' + "The council said 40% of the bridge budget went to repairs. " * 3 + '"}'
    source = (f'<p>Before it <script type="application/ld+json">{body}</script> and after it.</p>'
              "<p>Next.</p>")
    doc = read(source, "t.html")
    check_offsets(doc)
    assert [block.text for block in doc.blocks] == ["Before it and after it.", "Next."]


def listing_page(head: str = "", heading: str = "Latest news", **marks: str) -> str:
    """Four stories' bodies in one JSON-LD graph and only their cards in the markup; ``marks`` adds
    a key (``url``, ``headline``) to story 2."""
    stories = []
    for number in range(4):
        story = {"@type": "NewsArticle", "headline": f"Story {number}",
                 "articleBody": f"Story {number}: critics say {10 + number}% of fares will rise. "
                                + "The operator explains what the rise means for commuters. " * 5}
        if number == 2:
            story.update(marks)
        stories.append(story)
    cards = "".join(f'<article class="card"><h2><a href="/s{number}">Story {number}</a></h2></article>' for number in range(4))
    return (f'<html><head>{head}<script type="application/ld+json">{json.dumps({"@graph": stories})}</script></head>'
            f"<body><h1>{heading}</h1>{cards}</body></html>")


@pytest.mark.parametrize(("source", "story"), [
    (listing_page(), None),  # a listing: no story is the page's
    (listing_page('<link rel="canonical" href="https://news.example/s2">', url="https://news.example/s2/"), 2),
    (listing_page(heading="Story 2 ", mainEntityOfPage={"@id": "https://elsewhere.example/"}), 2),
])
def test_json_ld_of_several_articles_is_read_only_for_the_page_s_own(source: str, story: int | None) -> None:
    doc = read(source, "t.html")
    check_offsets(doc)
    read_bodies = [block.text[:7] for block in doc.blocks if "critics say" in block.text]
    assert read_bodies == ([] if story is None else [f"Story {story}"])


SLIDE_ONE = "The ferry's first slide: critics say fares rise by 10% in May, and the operator disputes it."


def slideshow_page(shown: str = f"<p>{SLIDE_ONE}</p>", slides: int = 5) -> str:
    """A slideshow whose markup shows its first slide and whose script state holds every slide as
    markup written with character references inside a JSON string (as one publishing engine does)."""
    def slide(number: int) -> str:
        text = (SLIDE_ONE.replace("'", "&amp;#39;") if number == 1 else
                f"Slide {number}: the ferry&amp;#39;s critics say fares rise by {number}0%, and the operator"
                f" &lt;a href=&quot;https://ferry.example/{number}&quot;&gt;disputes&lt;/a&gt; it.")
        return f"&lt;h2&gt;Part {number}&lt;/h2&gt;&lt;p&gt;{text}&lt;/p&gt;"
    pages = {str(number): {"top": slide(number), "image": f"/img/{number}.jpg"} for number in range(1, slides + 1)}
    state = json.dumps({"article": {"title": "Ferry", "pages": pages}}).replace("/", "\\/")
    return (f'<html><head><script>var article = {state};</script></head>'
            f"<body><h1>Ferry</h1>{shown}</body></html>")


def test_a_slideshow_s_slides_are_read_from_the_script_state() -> None:
    source = slideshow_page()
    doc = read(source, "t.html")
    check_offsets(doc)
    paragraphs = [text for kind, text in kinds_and_texts(doc) if kind == "paragraph"]
    # the shown slide is read once, in the state's order
    assert paragraphs == [SLIDE_ONE] + [f"Slide {number}: the ferry's critics say fares rise by {number}0%, and the"
                                        " operator disputes it." for number in range(2, 6)]
    assert texts(doc, "heading")[:2] == ["Part 1", "Part 2"]
    link = next(link for link in doc.links if link.url == "https://ferry.example/3")
    assert link.block is not None and doc.blocks[link.block].text[link.start : link.end] == "disputes"
    assert source[link.offset : link.end_offset].startswith("&lt;a href=")


def test_a_reference_written_with_a_reference_maps_to_its_source() -> None:
    source = slideshow_page()
    doc = read(source, "t.html")
    check_offsets(doc)
    block = next(block for block in doc.blocks if block.text.startswith("Slide 2:"))
    apostrophe = block.text.index("'")
    assert source[slice(*block.source_span(apostrophe, apostrophe + 1))] == "&amp;#39;"


def next_data_page(shown: str, **state: object) -> str:
    payload = json.dumps({"props": {"pageProps": state}}).replace("<", "\\u003c")  # as serialisers escape markup
    return (f'<html><body><h1>Ferry</h1>{shown}'
            f'<script id="__NEXT_DATA__" type="application/json">{payload}</script></body></html>')


TEASER = "Ferry fares will rise by 9% in May, the operator said on Monday in a short statement."
STORY = "".join(f"<p>Part {number} of the story: commuters say the timetable is worse than before.</p>"
                for number in range(1, 9))


def test_only_the_group_of_the_page_s_own_article_is_read_from_the_state() -> None:
    source = next_data_page(f"<p>{TEASER}</p><p>Subscribe to read more.</p>", story={"body": f"<p>{TEASER}</p>{STORY}"},
                            comments=[{"body": "<p>This council is the worst ever and everyone knows it, always.</p>" * 9}],
                            related=[{"teaser": "<p>Another story about the harbour sold to developers last year.</p>" * 9}],
                            translations={"fr": "<p>Les tarifs du ferry augmentent de 9 % en mai, a dit l'opérateur.</p>" * 9})
    doc = read(source, "t.html")
    check_offsets(doc)
    read_texts = [text for _, text in kinds_and_texts(doc)]
    assert read_texts.count(TEASER) == 1 and sum("Part" in text and "commuters" in text for text in read_texts) == 8
    assert not any("worst" in text or "developers" in text or "tarifs" in text for text in read_texts)


@pytest.mark.parametrize("source", [
    # nothing shown ties the state to the page: a notice's strings are not the article
    '<html><body><h1>Library</h1><p>The library closes on Friday.</p><script>window.__I18N__ = '
    + json.dumps({"consent": {"text": "<p>We and our partners use cookies to measure how the site is used.</p>" * 20}})
    + "</script></body></html>",
    # the page shows its own article: the state's copy holds no more
    next_data_page(f"<p>{TEASER}</p>" + STORY, story={"body": f"<p>{TEASER}</p>{STORY}"}),
    # script code and comments, not JSON: never read
    '<html><body><h1>Ferry</h1><p>' + TEASER + '</p><script>var q = \'"<p>\'; var body = el.innerHTML + "</p>";'
    '\n// Renders "<p>' + "Lorem ipsum dolor sit amet. " * 40 + '</p>" for each item\n</script></body></html>',
], ids=["not-anchored", "article-shown", "script-code"])
def test_script_state_that_is_not_the_page_s_article_is_not_read(source: str) -> None:
    doc = read(source, "t.html")
    check_offsets(doc)
    assert not any(word in block.text for block in doc.blocks for word in ("cookies", "Lorem", "innerHTML"))
    assert all(sum(f"Part {number} of" in block.text for block in doc.blocks) <= 1 for number in range(1, 9))


def test_the_state_s_markup_is_read_as_markup_is() -> None:
    body = (f"<!-- wp:paragraph --><p>{TEASER}</p><!-- /wp:paragraph --><style>.a{{color:red}}</style>"
            "<p>Spending on R&<b>amp;</b>D rose by a\u00a0third, the ministry said in its yearly report.</p>"
            "<pre><code>if (x) { y(); }</code></pre><p>Costs rose <a title=\"up > down\" href=\"/r\">sharply</a>.</p>"
            + STORY)
    doc = read(next_data_page(f"<p>{TEASER}</p>", story={"body": body}), "t.html")
    check_offsets(doc)
    kinds = kinds_and_texts(doc)
    assert ("code", "if (x) { y(); }") in kinds and not any("wp:" in text or "color" in text for _, text in kinds)
    assert ("paragraph", "Spending on R&<b>amp;</b>D rose by a\u00a0third, the ministry said in its yearly report.") not in kinds
    assert any(text.startswith("Spending on R&amp;D rose by a") for _, text in kinds)


def test_ordinary_scripts_before_the_state_do_not_use_up_its_reading() -> None:
    # many small assignments (a page's settings) before the state: each is charged what it reads
    settings = "<script>" + "".join(f"var o{number} = {{n: {number}}};" for number in range(600)) + "</script>"
    source = slideshow_page().replace("<head>", f"<head>{settings}")
    assert sum(block.text.startswith("Slide ") for block in read(source, "t.html").blocks) == 4


def test_the_state_is_not_read_beside_an_article_the_page_shows() -> None:
    # the next stories preloaded for scrolling are items of one list with the page's own story
    shown = "".join(f"<p>{TEASER} Part {number} goes on about the timetable.</p>" for number in range(15))
    others = [{"html": f"<p>{TEASER}</p>"}] + [{"html": "<p>Another story about the harbour sold last year.</p>" * 40}] * 3
    doc = read(next_data_page(shown, articles=others), "t.html")
    check_offsets(doc)
    assert not any("harbour sold" in block.text for block in doc.blocks)


def test_many_json_looking_assignments_before_the_state_do_not_use_up_its_reading() -> None:
    settings = "<script>" + "".join(f'var o{number} = {{"n": {number}}};' for number in range(400)) + "</script>"
    source = slideshow_page().replace("<head>", f"<head>{settings}")
    assert sum(block.text.startswith("Slide ") for block in read(source, "t.html").blocks) == 4


LEDE_STORY = "".join(f"<p>Part {number} of the story: the board says the crossing lost money in winter.</p>"
                     for number in range(1, 12))


@pytest.mark.parametrize("state", [
    # comments, however many quote the story's opening
    {"comments": [{"html": f"<blockquote><p>{TEASER}</p></blockquote><p>Reader {number}: it was never on time.</p>"}
                  for number in range(12)]},
    # other stories of a feed, each with its own address
    {"feed": [{"url": "/ferry", "html": f"<p>{TEASER}</p>"}]
     + [{"url": f"/other-{number}", "html": "".join(f"<p>Reader {number}: another story, part {part}.</p>"
                                                    for part in range(6))} for number in range(4)]},
])
def test_comments_and_other_stories_in_the_state_are_not_the_article(state: dict) -> None:
    doc = read(next_data_page(f"<p>{TEASER}</p>", **state), "t.html")
    check_offsets(doc)
    assert not any(block.text.startswith("Reader") for block in doc.blocks)


@pytest.mark.parametrize("state", [
    {"comments": [{"html": f"<blockquote><p>{TEASER}</p></blockquote><p>Reader {number}: never on time.</p>"}
                  for number in range(12)]},
    # the state holds only the shown paragraph, padded with a style sheet
    {"story": {"body": f"<p>{TEASER}</p><style>" + ".g { margin: 1px; padding: 2px; } " * 80 + "</style>"}},
])
def test_the_json_ld_article_is_not_displaced_by_a_state_that_does_not_hold_it(state: dict) -> None:
    body = json.dumps({"@type": "NewsArticle", "articleBody": TEASER + "\n" + "\n".join(
        f"Part {number} of the story: the board says the crossing lost money in winter." for number in range(1, 12))})
    source = next_data_page(f"<p>{TEASER}</p>", **state).replace(
        "<body>", f'<head><script type="application/ld+json">{body}</script></head><body>')
    doc = read(source, "t.html")
    check_offsets(doc)
    assert sum(block.text.startswith("Part ") for block in doc.blocks) == 11
    assert not any(block.text.startswith("Reader") or "margin" in block.text for block in doc.blocks)


def test_a_string_held_under_two_keys_is_read_once() -> None:
    pages = {str(number): {"top": f"<h2>Part {number}</h2><p>Slide {number}: critics say fares rise by {number}0%.</p>"}
             for number in range(2, 7)}
    for page in pages.values():
        page["mobile"] = page["top"]
    pages["1"] = {"top": f"<h2>Part 1</h2><p>{SLIDE_ONE}</p>"}
    source = (f'<html><head><script>var s = {json.dumps({"pages": pages})};</script></head>'
              f"<body><h2>Part 1</h2><p>{SLIDE_ONE}</p></body></html>")
    doc = read(source, "t.html")
    check_offsets(doc)
    read_texts = [block.text for block in doc.blocks]
    assert read_texts.count("Part 1") == 1 and read_texts.count("Part 3") == 1
    assert read_texts.count("Slide 3: critics say fares rise by 30%.") == 1


def test_a_raw_delete_character_in_the_state_keeps_exact_offsets() -> None:
    body = f"<p>{TEASER}</p>" + "".join(f"<p>Costs rose by a\x7fthird on route {number}, the ministry said in its"
                                        " yearly report.</p>" for number in range(8))
    payload = json.dumps({"props": {"pageProps": {"story": {"body": body}}}}, ensure_ascii=False)
    source = (f"<html><body><h1>Ferry</h1><p>{TEASER}</p>"
              f'<script id="__NEXT_DATA__" type="application/json">{payload}</script></body></html>')
    doc = read(source, "t.html")
    check_offsets(doc)
    assert sum("Costs rose" in block.text for block in doc.blocks) == 8


def test_the_longer_of_a_json_ld_summary_and_the_script_state_is_read() -> None:
    summary = json.dumps({"@type": "NewsArticle", "articleBody": "The council voted to close the ferry."})
    source = next_data_page(f"<p>{TEASER}</p>", story={"body": f"<p>{TEASER}</p>{STORY}"}).replace(
        "<body>", f'<head><script type="application/ld+json">{summary}</script></head><body>')
    doc = read(source, "t.html")
    check_offsets(doc)
    assert sum("commuters" in block.text for block in doc.blocks) == 8
    assert not any(block.text == "The council voted to close the ferry." for block in doc.blocks)


def test_the_state_with_its_links_wins_over_the_same_article_in_json_ld() -> None:
    story = "".join(f'<p>A study by the <a href="https://tri.example/study">Transport Research Institute</a>'
                    f" found that fares rose by {number}0% on route {number}.</p>" for number in range(1, 9))
    plain = TEASER + " " + " ".join(f"A study by the Transport Research Institute found that fares rose by {number}0%"
                                    f" on route {number}." for number in range(1, 9))
    summary = json.dumps({"@type": "NewsArticle", "articleBody": plain})
    source = next_data_page(f"<p>{TEASER}</p>", story={"body": f"<p>{TEASER}</p>{story}"}).replace(
        "<body>", f'<head><script type="application/ld+json">{summary}</script></head><body>')
    doc = read(source, "t.html")
    check_offsets(doc)
    assert sum(link.block is not None and link.url == "https://tri.example/study" for link in doc.links) == 8


@pytest.mark.parametrize("linked", [True, False])
def test_a_source_linked_in_the_state_is_not_reported_unlinked(cli, tmp_path: Path, linked: bool) -> None:
    name = '<a href="https://tri.example/study">Transport Research Institute</a>' if linked else "Transport Research Institute"
    story = "".join(f"<p>A study by the {name} found that fares rose by {number}0% on route {number}.</p>"
                    for number in range(1, 9))
    page = tmp_path / "ferry.html"
    page.write_text(next_data_page(f"<p>{TEASER}</p>", story={"body": f"<p>{TEASER}</p>{story}"}), encoding="utf-8")
    run = cli("--format", "json", "--min-confidence", "0", str(page))
    assert any(item["rule"] == "unlinked-source" for item in run.json()["diagnostics"]) is not linked


SHOWN = "".join(f"<p>The harbour board agreed part {number} of the plan to repair the sea wall.</p>" for number in range(12))


@pytest.mark.parametrize("hidden", [
    # shown to screen readers only, or hidden from them only (a duplicate): never a page
    '<div class="note">Photos: the board.</div><div class="note sr-only">Experts say 70% of it is damaged.</div>',
    '<div class="quote"><p>Residents say 30% flooded.</p></div>'
    '<div class="quote" aria-hidden="true"><p>Experts say 70% of it is damaged.</p></div>',
    '<p class="para">Shown.</p><p class="para visually-hidden">Experts say 70% of it is damaged.</p>',
    # one hidden variant of a shown element (a longer summary, a hidden description)
    '<div class="summary"><p>Critics say 45% are late.</p></div>'
    '<div class="summary" hidden><p>Experts say 70% of it is damaged.</p></div>',
    # a hidden offer beside a dialog: one hidden element that may be a page, one modal
    '<div class="block" style="display:none"><p>Experts say 70% of it is damaged.</p></div>'
    '<div class="block" hidden role="dialog"><p>Sign up: 80% of the town reads it.</p></div>',
    # a hidden tab of teasers for other stories
    '<div class="tab"><p>Shown.</p></div><div class="tab" hidden><h2>More from this author</h2><ul><li>'
    '<a href="/other">Another story</a><p>Experts say 70% of it is damaged.</p></li></ul></div>',
], ids=["sr-only", "aria-hidden", "visually-hidden", "one-hidden-variant", "dialog", "teaser-tab"])
def test_hidden_furniture_beside_a_shown_sibling_is_not_a_page(hidden: str) -> None:
    doc = read(f"<article><h1>Sea wall</h1><div class=\"block\">{SHOWN}</div>{hidden}</article>", "t.html")
    check_offsets(doc)
    assert not any("70%" in block.text or "80%" in block.text for block in doc.blocks)
    assert sum("sea wall" in block.text for block in doc.blocks) == 12


def test_hidden_pages_of_a_series_are_read() -> None:
    pages = "".join(f'<div class="slide" hidden><h2>Slide {number}</h2><p>Engineers say {number}0% must go.</p></div>'
                    for number in range(2, 4))
    doc = read(f'<article><h1>Sea wall</h1><div class="slide">{SHOWN}</div>{pages}</article>', "t.html")
    check_offsets(doc)
    assert [block.text for block in doc.blocks if "must go" in block.text] == [
        "Engineers say 20% must go.", "Engineers say 30% must go."]


def test_a_noscript_copy_of_the_article_shown_is_not_read_twice() -> None:
    story = SHOWN * 2  # an article's worth of prose (over 1,500 characters) in either copy
    doc = read(f"<article><h1>Sea wall</h1><div>{story}</div><noscript><div>{story}</div></noscript></article>", "t.html")
    check_offsets(doc)
    assert sum("sea wall" in block.text for block in doc.blocks) == 24


def test_a_large_noscript_notice_does_not_change_which_element_is_the_article() -> None:
    notice = "<p>We and our partners store cookies to measure and personalise what you see here.</p>" * 20
    story = "<p>The harbour board agreed on Tuesday to repair the sea wall before winter.</p>" * 4
    source = (f'<div class="strip"><p>Readers say our weekend edition is the best in the region.</p></div>'
              f"<article><h1>Sea wall</h1>{story}</article><noscript>{notice}</noscript>")
    doc = read(source, "t.html")
    check_offsets(doc)
    assert [block.text for block in doc.blocks if block.is_prose][0] == "Sea wall"
    assert not any("weekend" in block.text or "cookies" in block.text for block in doc.blocks)


def test_deep_nesting_is_bounded_and_linear() -> None:
    depth = 100_000
    source = "<div>" * depth + "<p>deep text</p>" + "</div>" * depth + "<p>after</p>"
    started = time.perf_counter()
    doc = read(source, "t.html")
    elapsed = time.perf_counter() - started
    check_offsets(doc)
    assert kinds_and_texts(doc) == [("paragraph", "deep text"), ("paragraph", "after")]
    assert len(doc.problems) == 1 and "nested deeper" in doc.problems[0].message
    assert elapsed < 10


def test_five_megabyte_page() -> None:
    paragraph = ("<p>The council said on <b>Tuesday</b> that 4,200 homes &amp; 310 shops "
                 'were affected, <a href="https://x.example/r">according to a report</a>.</p>\n')
    source = "<html><body><article>" + paragraph * (5_000_000 // len(paragraph)) + "</article>"
    started = time.perf_counter()
    doc = read(source, "big.html")
    elapsed = time.perf_counter() - started
    assert len(doc.blocks) == 5_000_000 // len(paragraph)
    assert doc.blocks[-1].text == doc.blocks[0].text
    assert elapsed < 30


# --- property tests -----------------------------------------------------------------

_TAGS = ["p", "div", "span", "a", "b", "i", "ul", "ol", "li", "table", "tr", "td", "th",
         "h1", "h2", "blockquote", "pre", "code", "br", "script", "style", "nav", "header",
         "footer", "article", "main", "figure", "figcaption", "section", "aside", "sup"]
_ATTRS = ['', ' href="https://e.example/x"', ' href="#fn1"', ' class="byline"',
          ' class="caption"', ' class="share"', ' class="credit"', ' itemprop="articleBody"',
          ' href=""', " class='a b", ' hidden', ' role="navigation"']
_PIECES = st.one_of(
    st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(_TAGS), st.sampled_from(_ATTRS)),
    st.builds(lambda t: f"</{t}>", st.sampled_from(_TAGS)),
    st.sampled_from(["&amp;", "&rsquo;", "&#8220;", "&#x2019;", "&nbsp;", "&amp", "&#;",
                     "&bogus;", "&#xD800;", "<!-- citelint-disable -->", "<!--", "-->",
                     "<![CDATA[x]]>", "<?pi?>", "<!doctype html>", "\r\n", "  ", "\t", "<",
                     ">", "&", "</", "<br/>", "By Jane Roe", "WASHINGTON (Reuters) - ",
                     "Photo: A/AFP", "é😀", "\u2028"]),
    st.text(max_size=12),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_generated_html_keeps_offsets(source: str) -> None:
    doc = read(source, "fuzz.html")
    check_offsets(doc)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(source: str) -> None:
    doc = read(source, "fuzz.html")
    check_offsets(doc)
