"""Tests for the Markdown reader and front-matter splitter.

The central property is the offset invariant: every character of block text maps back
to the exact source character it came from (or, for decoded text, to a non-empty source
span), for the fixture articles and for generated Markdown.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citelint.document import markdown
from citelint.document.frontmatter import split_front_matter
from citelint.document.model import BLOCK_KINDS, Document

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "markdown").glob("*.md"))


def read(source: str) -> Document:
    return markdown.read(source, "test.md")


def fixture(name: str) -> str:
    return (Path(__file__).parent / "fixtures" / "markdown" / name).read_text(encoding="utf-8")


def texts(document: Document) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in document.blocks]


def assert_offsets_exact(document: Document) -> None:
    """The offset invariant, for blocks, links, directives and problems."""
    source = document.source
    previous_end = 0
    for block in document.blocks:
        assert block.kind in BLOCK_KINDS
        assert block.text, "no empty blocks"
        for text_start, src_start, src_end, verbatim in block.map.runs():
            assert 0 <= src_start < src_end <= len(source)
            if verbatim:
                length = src_end - src_start
                assert source[src_start:src_end] == block.text[text_start : text_start + length]
        assert block.map.length == len(block.text)
        # Blocks come in source order and never overlap.
        assert block.offset >= previous_end
        assert block.end_offset > block.offset
        previous_end = block.end_offset
    for link in document.links:
        assert 0 <= link.offset < link.end_offset <= len(source)
        if link.block is None:
            continue
        block = document.blocks[link.block]
        assert 0 <= link.start <= link.end <= len(block.text)
        if link.start < link.end:
            start, end = block.source_span(link.start, link.end)
            assert link.offset <= start < end <= link.end_offset
    for item in [*document.directives, *document.problems]:
        assert 0 <= item.offset <= item.end_offset <= len(source)


def assert_links_shown_in_source(document: Document) -> None:
    """For plain sources: each link's source span shows its text (or URL)."""
    for link in document.links:
        construct = document.source[link.offset : link.end_offset]
        if link.kind == "footnote":
            assert construct.startswith("[^") and link.start == link.end and link.text == ""
        else:
            assert link.text in construct
        if link.kind in {"inline", "autolink"}:
            assert link.url.removeprefix("mailto:") in construct


# -- the offset invariant ------------------------------------------------------------


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_offsets_are_exact(path: Path) -> None:
    document = read(path.read_text(encoding="utf-8"))
    assert not document.problems
    assert_offsets_exact(document)
    assert_links_shown_in_source(document)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_crlf_gives_same_blocks_shifted_by_one_per_line(path: Path) -> None:
    lf = read(path.read_text(encoding="utf-8"))
    crlf = read(lf.source.replace("\n", "\r\n"))
    assert_offsets_exact(crlf)
    assert [b.kind for b in crlf.blocks] == [b.kind for b in lf.blocks]
    for lf_block, crlf_block in zip(lf.blocks, crlf.blocks, strict=True):
        if lf_block.kind not in {"code", "html", "front_matter"}:  # kept verbatim
            assert crlf_block.text == lf_block.text
        assert crlf_block.offset == lf_block.offset + lf.source.count("\n", 0, lf_block.offset)
    assert [(link.url, link.kind, link.text) for link in crlf.links] == [
        (link.url, link.kind, link.text) for link in lf.links
    ]
    assert crlf.front_matter == lf.front_matter


_MARKDOWN_TOKENS = st.sampled_from(
    [
        "\n", "\n\n", "\r\n", "\r", "\t", " ", "  \n", "    ", "> ", ">", "- ", "* ", "1. ",
        "2) ", "# ", "## ", "===\n", "---\n", "***", "*", "**", "_", "__", "~~", "`", "``",
        "```\n", "~~~\n", "[", "]", "(", ")", "![", "](", "](http://a.b/c)", "[t][r]", "[r]",
        "[r]: http://r.example\n", "[^1]", "[^1]: note http://f.example\n", "<", ">", "\\",
        "\\*", "\\|", "&amp;", "&#8217;", "&#x1F600;", "&bogus;", "&#0;", "|", "| a | b |\n",
        "|---|---|\n", "http://x.example/p", "www.y.example", "<https://z.example>",
        "<me@m.example>", "<!-- citelint-disable x -->", "<a href='u'>", "</a>", "<br>",
        "<div>\n", "</div>\n", "By Jane Roe\n", "Photo: A/AFP\n", "PARIS (Wire) - ", "é",
        "東京", "😀", "\x00", "\f", "\u2028", "[x] ", "> [!NOTE]\n", "word", "Words here. ",
    ]
)
_MARKDOWN = st.lists(st.one_of(_MARKDOWN_TOKENS, st.text(max_size=5)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKDOWN)
def test_generated_markdown_keeps_offsets_exact(source: str) -> None:
    assert_offsets_exact(read(source))


@settings(max_examples=150, deadline=None)
@given(st.builds(lambda fm, body: f"---\n{fm}\n---\n{body}", st.text(max_size=60), _MARKDOWN))
def test_generated_front_matter_never_raises(source: str) -> None:
    assert_offsets_exact(read(source))


#: Text YAML round-trips through safe_dump (no control or line-separator characters).
_YAML_TEXT = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"])


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        # "draft" is the one key the reader checks (it must be true or false): a generated
        # "draft: 0" is a problem rightly reported, tested in test_frontmatter.py.
        st.text(_YAML_TEXT, min_size=1, max_size=12).filter(lambda key: key != "draft"),
        st.one_of(st.integers(), st.text(_YAML_TEXT, max_size=10), st.lists(st.booleans(), max_size=3)),
        min_size=1,
        max_size=6,
    )
)
def test_generated_front_matter_key_positions(data: dict) -> None:
    source = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nBody.\n"
    document = read(source)
    assert document.front_matter == data and not document.problems
    assert set(document.front_matter_keys) == set(data)
    for key, (start, end) in document.front_matter_keys.items():
        assert yaml.safe_load(source[start:end]) == key  # the span is exactly the key


# -- block kinds and visible text -----------------------------------------------------


def test_every_construct_gets_its_kind() -> None:
    source = (
        "# ATX heading\n\n"
        "Setext heading\n--------------\n\n"
        "A paragraph of prose.\n\n"
        "- a list item\n\n"
        "> a quoted paragraph\n\n"
        "| head | cell |\n|------|------|\n| body | last |\n\n"
        "```\nfenced code\n```\n\n"
        "    indented code\n\n"
        "<div>\nhtml block\n</div>\n\n"
        "Claim.[^n]\n\n"
        "[^n]: The footnote text.\n"
    )
    assert texts(read(source)) == [
        ("heading", "ATX heading"),
        ("heading", "Setext heading"),
        ("paragraph", "A paragraph of prose."),
        ("list_item", "a list item"),
        ("blockquote", "a quoted paragraph"),
        ("table_cell", "head"),
        ("table_cell", "cell"),
        ("table_cell", "body"),
        ("table_cell", "last"),
        ("code", "```\nfenced code\n```"),
        ("code", "indented code"),
        ("html", "<div>\nhtml block\n</div>"),
        ("paragraph", "Claim."),
        ("footnote", "The footnote text."),
    ]


def test_innermost_container_decides_paragraph_kind() -> None:
    source = "- item\n\n  > quoted in a list\n\n> - listed in a quote\n\n[^a]: > quoted in a note\n\nRef[^a]\n"
    assert [b.kind for b in read(source).blocks] == [
        "list_item", "blockquote", "list_item", "footnote", "paragraph",
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*em* **strong** ~~struck~~ _under_", "em strong struck under"),
        ("see [the report](http://r.example/a.pdf \"Title\") now", "see the report now"),
        ("a `x = 1` b", "a   b"),
        ("x <b>bold</b> <span class='c'>y</span> z", "x bold y z"),
        ("line one\nline two", "line one line two"),
        ("hard  \nbreak\\\nagain<br>end", "hard break again end"),
        ("a\\*b\\_c \\[d\\]", "a*b_c [d]"),
        ("AT&amp;T said &#8220;no&#8221; &#x41; &copy;", "AT&T said \u201cno\u201d A \u00a9"),
        ("&bogus; & &amp", "&bogus; & &amp"),
        ("text ![alt words](x.png) more", "text  more"),
        ("See <https://x.example/> now", "See   now"),
        ("Visit www.x.example today", "Visit   today"),
        ("x <!-- a comment --> y", "x  y"),
    ],
)
def test_visible_text(source: str, expected: str) -> None:
    document = read(source)
    assert [b.text for b in document.blocks] == [expected]
    assert_offsets_exact(document)


def test_inline_code_never_reaches_prose() -> None:
    document = read(fixture("ferry_outage.md"))
    prose = " ".join(block.text for _, block in document.prose_blocks())
    for code_text in ("/v2/bookings", "openssl", "crontab", "renew-certs"):
        assert code_text not in prose
    placeholder = next(b for _, b in document.prose_blocks() if "Requests to the" in b.text)
    index = placeholder.text.index("Requests to the ") + len("Requests to the ")
    start, end = placeholder.source_span(index, index + 1)
    assert document.source[start:end] == "`/v2/bookings`"


def test_entities_and_escapes_map_to_their_source_spans() -> None:
    source = "Smith &amp; Sons paid \\$5 and &#8217;more&#x2019;."
    block = read(source).blocks[0]
    assert block.text == "Smith & Sons paid $5 and \u2019more\u2019."

    def source_of(char_index: int) -> str:
        start, end = block.source_span(char_index, char_index + 1)
        return source[start:end]

    assert source_of(block.text.index("&")) == "&amp;"
    assert source_of(block.text.index("$")) == "\\$"
    assert source_of(block.text.index("\u2019")) == "&#8217;"
    assert source_of(block.text.rindex("\u2019")) == "&#x2019;"
    assert source_of(block.text.index("more")) == "m"


def test_soft_and_hard_breaks_map_to_the_line_end() -> None:
    source = "first line\nsecond  \nthird"
    block = read(source).blocks[0]
    assert block.text == "first line second third"
    assert block.source_span(10, 11) == (10, 11)  # "\n"
    assert source[slice(*block.source_span(17, 18))] == "  \n"


def test_chrome_paragraphs_take_their_kind() -> None:
    source = (
        "By Jane Roe and Ali Khan\n\n"
        "By Jane Roe\nMarch 3, 2024\n\n"
        "Photo: Jane Roe/AFP\n\n"
        "Follow us on Twitter\n\n"
        "This is the story itself, which the council disputed.\n"
    )
    assert [b.kind for b in read(source).blocks] == [
        "byline", "byline", "dateline", "credit", "boilerplate", "paragraph",
    ]


def test_image_alt_and_following_line_are_captions() -> None:
    source = "![Crowds on the quay](q.jpg)\nCrowds gather on the quay on Friday.\n\n![](p.jpg)\nPhoto: Jane Roe/AFP\n"
    assert texts(read(source)) == [
        ("caption", "Crowds on the quay"),
        ("caption", "Crowds gather on the quay on Friday."),
        ("credit", "Photo: Jane Roe/AFP"),
    ]


def test_leading_dateline_is_split_from_first_paragraph_only() -> None:
    source = "BERLIN (Wire) - The ministry said it would act.\n\nNATO: a later paragraph is not a dateline.\n"
    document = read(source)
    assert texts(document) == [
        ("dateline", "BERLIN (Wire) -"),
        ("paragraph", "The ministry said it would act."),
        ("paragraph", "NATO: a later paragraph is not a dateline."),
    ]
    assert_offsets_exact(document)


def test_fixture_block_kinds() -> None:
    kinds = [b.kind for b in read(fixture("council_budget.md")).blocks]
    assert kinds[:8] == [
        "front_matter", "heading", "byline", "dateline", "caption", "credit", "dateline", "paragraph",
    ]
    assert kinds.count("list_item") == 4 and kinds.count("blockquote") == 1
    assert kinds[-2:] == ["footnote", "boilerplate"]


# -- links ------------------------------------------------------------------------------


def test_link_kinds_urls_and_positions() -> None:
    source = (
        "See [the report](http://r.example/a?x=1&amp;y=2), [Agency][ag], [Ag][], [ag], "
        "<https://auto.example/p>, www.bare.example and https://bare.example/q. [^src]\n\n"
        "[AG]: https://agency.example/\n"
        "[^src]: Data from https://data.example/t1 and https://data.example/t2.\n"
    )
    document = read(source)
    found = [(link.kind, link.url, link.text) for link in document.links]
    assert found == [
        ("inline", "http://r.example/a?x=1&y=2", "the report"),
        ("reference", "https://agency.example/", "Agency"),
        ("reference", "https://agency.example/", "Ag"),
        ("reference", "https://agency.example/", "ag"),
        ("autolink", "https://auto.example/p", "https://auto.example/p"),
        ("bare", "http://www.bare.example", "www.bare.example"),
        ("bare", "https://bare.example/q", "https://bare.example/q"),
        ("footnote", "https://data.example/t1", ""),
        ("bare", "https://data.example/t1", "https://data.example/t1"),
        ("bare", "https://data.example/t2", "https://data.example/t2"),
    ]
    paragraph = document.blocks[0]
    first = document.links[0]
    assert paragraph.text[first.start : first.end] == "the report"
    assert source[first.offset : first.end_offset] == "[the report](http://r.example/a?x=1&amp;y=2)"
    autolink = document.links[4]
    assert paragraph.text[autolink.start : autolink.end] == " "
    assert source[slice(*paragraph.source_span(autolink.start, autolink.end))] == "<https://auto.example/p>"
    note = document.links[7]
    assert note.start == note.end == len(paragraph.text)
    assert source[note.offset : note.end_offset] == "[^src]"
    assert document.links[8].block == 1  # the footnote definition's own links
    assert_offsets_exact(document)


def test_footnote_without_url_points_at_its_definition() -> None:
    document = read("A claim.[^2] More.\n\n[^2]: Interview with the author.\n")
    (link,) = document.links
    assert (link.kind, link.url, link.start, link.end) == ("footnote", "#fn:2", 8, 8)
    assert document.blocks[0].text == "A claim. More."


def test_html_anchor_is_a_link_and_comments_are_directives() -> None:
    source = (
        'Read <a href="https://h.example/x">the filing</a>. <!-- citelint-disable vague -->\n\n'
        "<!-- citelint: ignore-next -->\n"
    )
    document = read(source)
    (link,) = document.links
    assert (link.kind, link.url, link.text) == ("html", "https://h.example/x", "the filing")
    assert source[link.offset : link.end_offset] == '<a href="https://h.example/x">the filing</a>'
    assert [d.text for d in document.directives] == ["citelint-disable vague", "citelint: ignore-next"]
    for directive in document.directives:
        assert source[directive.offset : directive.end_offset].startswith("<!--")


# -- positions in containers, line endings, tabs, non-ASCII -------------------------


def test_nested_quote_and_lazy_continuation_positions() -> None:
    source = "> outer\n> > inner one\n> > inner two\nlazy tail\n"
    document = read(source)
    assert texts(document) == [("blockquote", "outer"), ("blockquote", "inner one inner two lazy tail")]
    inner = document.blocks[1]
    for word in ("inner", "two", "lazy", "tail"):
        index = inner.text.index(word)
        start, end = inner.source_span(index, index + len(word))
        assert source[start:end] == word
    assert_offsets_exact(document)


def test_nested_list_positions() -> None:
    source = "1. first item\n   continued\n   - nested *one*\n     lazy\n2. second\n"
    document = read(source)
    assert texts(document) == [
        ("list_item", "first item continued"),
        ("list_item", "nested one lazy"),
        ("list_item", "second"),
    ]
    nested = document.blocks[1]
    assert source[nested.offset : nested.end_offset] == "nested *one*\n     lazy"
    assert_offsets_exact(document)


def test_table_cell_with_escaped_pipe_maps_each_character() -> None:
    source = "| a | b |\n|---|---|\n| x \\| y | z |\n"
    document = read(source)
    cell = document.blocks[2]
    assert cell.text == "x | y"
    start, end = cell.source_span(2, 3)
    assert source[start:end] == "|" and source[start - 1] == "\\"
    assert_offsets_exact(document)


def test_tabs() -> None:
    source = "-\ttabbed item\n\n>\ttabbed quote\n\n\tindented code\n\ntext\twith tab\n"
    document = read(source)
    assert texts(document) == [
        ("list_item", "tabbed item"),
        ("blockquote", "tabbed quote"),
        ("code", "indented code"),
        ("paragraph", "text\twith tab"),
    ]
    assert_offsets_exact(document)


def test_non_ascii_offsets_are_code_points() -> None:
    document = read(fixture("night_market.md"))
    for needle in ("陳大文", "雞蛋仔", "📱", "“It feels like"):
        block = next(b for b in document.blocks if needle in b.text)
        index = block.text.index(needle)
        start, end = block.source_span(index, index + len(needle))
        assert document.source[start:end] == needle


def test_control_characters_are_mapped_not_copied() -> None:
    source = "a\x00b\fc\rd"
    document = read(source)
    assert_offsets_exact(document)
    assert "\ufffd" in document.blocks[0].text  # marko's replacement for NUL


# -- front matter --------------------------------------------------------------------


def test_front_matter_values_and_key_positions() -> None:
    document = read(fixture("council_budget.md"))
    assert document.front_matter["author"] == "Priya Castellanos"
    assert document.front_matter["date"] == datetime.date(2024, 3, 14)
    assert document.front_matter["tags"] == ["local government", "budget", "Northfield"]
    for key, (start, end) in document.front_matter_keys.items():
        assert document.source[start:end] == key
    assert set(document.front_matter_keys) == {"title", "author", "date", "tags", "canonical_url"}
    front = document.blocks[0]
    assert front.kind == "front_matter" and not front.is_prose
    assert document.blocks[1].offset > front.end_offset


def test_front_matter_with_crlf_and_dots_terminator() -> None:
    source = "---\r\ntitle: Hello\r\nauthor: A. Writer\r\n...\r\nBody text.\r\n"
    data, keys, body_offset, problems = split_front_matter(source)
    assert data == {"title": "Hello", "author": "A. Writer"} and not problems
    assert source[slice(*keys["author"])] == "author"
    assert source[body_offset:] == "Body text.\r\n"
    assert read(source).blocks[-1].text == "Body text."


def test_malformed_front_matter_is_a_problem_on_a_front_matter_line() -> None:
    source = "---\ntitle: [unclosed\nauthor: someone\n---\nThe body is still read.\n"
    document = read(source)
    assert document.front_matter is None
    (problem,) = document.problems
    closing = source.index("\n---\n")
    assert 4 <= problem.offset < closing
    assert source.count("\n", 0, problem.offset) in (1, 2)  # line 2 or 3 of the file
    assert texts(document)[-1] == ("paragraph", "The body is still read.")


@pytest.mark.parametrize(
    "yaml_text",
    [
        "- a list\n- not a mapping",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
        "loop: &l [*l]",
        "deep: " + "[" * 5000,
        "date: 2024-02-30",
        "bad: \x01",
        "x: !!python/object/apply:os.system ['true']",
        "title: " + "x" * 70_000,
    ],
    ids=["list", "alias-bomb", "alias-cycle", "deep", "bad-date", "control-char", "python-tag", "huge"],
)
def test_hostile_front_matter_becomes_a_problem(yaml_text: str) -> None:
    source = f"---\n{yaml_text}\n---\nBody.\n"
    data, keys, body_offset, problems = split_front_matter(source)
    assert data is None and keys == {} and len(problems) == 1
    assert source[body_offset:] == "Body.\n"
    assert 4 <= problems[0].offset <= problems[0].end_offset <= body_offset


def test_duplicate_and_unclosed_front_matter() -> None:
    data, keys, _, problems = split_front_matter("---\nk: 1\nk: 2\n---\n")
    assert data == {"k": 2} and keys == {"k": (9, 10)}
    assert [p.offset for p in problems] == [9]
    data, keys, body_offset, problems = split_front_matter("---\nnot closed\n\nText\n")
    assert (data, body_offset, len(problems)) == (None, 0, 1)


# -- limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        ">" * 10_000 + " deep quote\n",
        "- " * 10_000 + "deep list\n",
        "[" * 10_000 + "x" + "]" * 10_000 + "\n",
        "".join("  " * depth + "- item\n" for depth in range(400)),
        "*" * 10_000 + "x" + "*" * 10_000 + "\n",
    ],
    ids=["quotes", "bullets", "brackets", "indented-list", "emphasis"],
)
def test_deep_nesting_falls_back_to_plain_paragraphs(source: str) -> None:
    started = time.perf_counter()
    document = read("Intro paragraph.\n\n" + source)
    assert time.perf_counter() - started < 5
    assert [p.code for p in document.problems] == ["malformed-input"]
    assert "nested" in document.problems[0].message
    assert document.blocks[0].text == "Intro paragraph."
    assert all(block.kind == "paragraph" for block in document.blocks)
    assert_offsets_exact(document)


def test_five_megabytes_is_read_quickly_as_plain_paragraphs() -> None:
    source = fixture("clinic_study.md") * (5_000_000 // len(fixture("clinic_study.md")) + 1)
    started = time.perf_counter()
    document = read(source)
    assert time.perf_counter() - started < 5
    assert [p.code for p in document.problems] == ["malformed-input"]
    assert "longer than" in document.problems[0].message
    assert len(document.blocks) > 1000
    sample = Document(document.path, "markdown", source, blocks=document.blocks[:300])
    assert_offsets_exact(sample)


def test_reader_never_raises_on_odd_input() -> None:
    for source in ["", "\n", "---", "---\n", "\ufeff", "\ufeff---\na: 1\n---\n", "[^]", "<", "&#99999999;", "\\"]:
        assert_offsets_exact(read(source))
