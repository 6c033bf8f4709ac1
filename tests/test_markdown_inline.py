"""citelint's linear-time inline parsing (citelint/document/markdown_inline.py) finds what
marko 2.2.4's own functions find, on generated text full of the constructs that made marko
quadratic; and it no longer rescans the paragraph for them (work counted, not timed)."""

from __future__ import annotations

import re

import marko
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marko import inline, inline_parser
from marko.ext.gfm.elements import Url

from citelint.document import markdown, markdown_inline

PIECES = [
    "[", "]", "![", "(", ")", "*", "**", "***", "_", "__", "`", "``", "\\", " ", "  ", "\n", "\t", "a", "b.", "<",
    ">", '"', "'", "\x01", "[a]", "](", "[a](b)", "[a](<b>)", '(b "t")', "http://a.b", "https://x.org/p_q",
    "ftp://f.g", "www.a.b", "@", ".", "x@y.z", "a_b@c.d", "-", "+", "x" * 40, "(" * 3, ")" * 3, "\\[", "\\]", "\\(",
    "\\)", "\\`", "*a*", "_a_", "a*", "*a", "\uff21", "\u00a0", "é", "<!--", "-->", "<?", "?>", "<!A ", "<![CDATA[",
    "]]>", "<a href='x'>", "</a>", "<br>",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
SETTINGS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _matches(found) -> list[tuple]:
    return [(m.etype, m.span(), [m.span(n) for n in range(1, len(m._groups) + 1)],
             [m.group(n) for n in range(1, len(m._groups) + 1)]) for m in found]


@SETTINGS
@given(TEXTS, st.sampled_from([{}, {"a": ("/a", "")}, {"b.": ("/b", "t")}]))
def test_links_and_emphasis_are_marko_s(text, link_ref_defs):
    assert _matches(markdown_inline.find_links_or_emphs(text, link_ref_defs)) == _matches(
        inline_parser.find_links_or_emphs(text, link_ref_defs))


@SETTINGS
@given(TEXTS)
def test_code_spans_are_marko_s(text):
    ours = [m.span() for m in markdown_inline.CodeSpan.find(text, source=None)]  # type: ignore[arg-type]
    assert ours == [m.span() for m in inline.CodeSpan.pattern.finditer(text)]  # type: ignore[union-attr]


@SETTINGS
@given(TEXTS)
def test_bare_urls_are_gfm_s(text):
    ours = [m.span() for m in markdown_inline.BareUrl.bare_pattern.finditer(text)]
    assert ours == [m.span() for m in Url.bare_pattern.finditer(text)]


@SETTINGS
@given(TEXTS)
def test_inline_html_is_marko_s(text):
    ours = [m.span() for m in markdown._InlineHTML.find(text, source=None)]  # type: ignore[arg-type]
    assert ours == [m.span() for m in inline.InlineHTML.pattern.finditer(text)]  # type: ignore[union-attr]


_DOMAIN = re.compile(r"@[\w.\-]*?\.[\w.\-]*[a-zA-Z0-9](?=[\s.<]|\Z)")


@SETTINGS
@given(st.lists(st.sampled_from(["@", ".", "a", "_", "-", "é", " ", "<", "!", "1"]), max_size=20).map("".join))
def test_e_mail_domains_are_gfm_s(text):
    for at in range(len(text)):
        assert markdown_inline._email_domain(text, at) == bool(_DOMAIN.match(text, at)), (text, at)


def _tree(element) -> object:
    """An element tree as plain data: types, spans, text."""
    children = getattr(element, "children", None)
    shown = [_tree(child) for child in children] if isinstance(children, list) else children
    return (type(element).__mro__[0].get_type(), getattr(element, "source_span", None),
            getattr(element, "dest", None), shown)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_whole_documents_parse_as_marko_parses_them(text):
    ours = markdown._markdown().parse(text)
    theirs = marko.Markdown(extensions=["gfm", "footnote"]).parse(text)
    assert _tree(ours) == _tree(theirs)


# -- the work no longer grows with the paragraph --------------------------------------


class _Work:
    """Counts the steps marko's scans take: characters read one at a time from the text,
    delimiter comparisons (``list.remove`` compares until it finds its item), and delimiter
    reads (the loop that deactivated every bracket before a link read them all)."""

    def __init__(self, monkeypatch) -> None:
        self.steps = 0
        work = self

        class Text(str):
            def __getitem__(self, key):
                work.steps += 1
                return str.__getitem__(self, key)

        self.Text = Text
        closed_by = inline_parser.Delimiter.closed_by

        def counted_closed_by(delimiter, other):
            self.steps += 1
            return closed_by(delimiter, other)

        def equal(delimiter, other):
            self.steps += 1
            return delimiter is other

        def content(delimiter):
            self.steps += 1
            return delimiter.__dict__["_content"]

        def set_content(delimiter, value):
            delimiter.__dict__["_content"] = value

        monkeypatch.setattr(inline_parser.Delimiter, "closed_by", counted_closed_by)
        monkeypatch.setattr(inline_parser.Delimiter, "__eq__", equal)
        monkeypatch.setattr(inline_parser.Delimiter, "content", property(content, set_content), raising=False)


@pytest.mark.parametrize("unit", ["[a](b", "![a](b", "*a_ ", "_a* ", "**a* ", "_a _b* ", "*a [a](b) ", "[a `]` ",
                                  "`a`` ", "[a](b (", "a](<b"])
def test_work_per_character_stays_bounded(monkeypatch, unit):
    """marko re-read the rest of the paragraph (or the whole delimiter list) from each of
    these constructs: 4,000 of them cost it 1,000 steps a character; here a few."""
    work = _Work(monkeypatch)
    text = work.Text(unit * 4000)
    markdown_inline.find_links_or_emphs(text, {})
    assert work.steps <= 25 * len(text)
def test_long_words_do_not_make_gfm_retry_e_mail_addresses(monkeypatch):
    tries = []
    pattern = markdown_inline.BareUrl.bare_pattern
    real_match = pattern.pattern.match

    class Counting:
        def match(self, text, position):
            tries.append(position)
            return real_match(text, position)

    monkeypatch.setattr(pattern, "pattern", Counting())
    text = "a_" * 20_000 + " x@y.org and a_b_c_d@nowhere"
    assert [m.group() for m in pattern.finditer(text)] == ["x@y.org"]
    assert len(tries) < 10
