"""Fuzzing (issue 15): generated Markdown, HTML and plain text full of the constructs that
once hung, crashed or slowed citelint, linted through the API (and a few through the CLI).

Every document must lint without an exception or an ``internal-error`` finding, with every
finding inside the text, its line and column those of its offset, the figure it quotes the
text at its span, the same findings when linted again, and the file left as it was.

Two profiles: the short one (a few seconds) runs with the other tests; the long one,
20,000 documents, runs only when asked for: ``pytest -m fuzz tests/test_fuzz.py``.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citelint.analysis import Analysis
from citelint.config import Config
from citelint.diagnostics import Diagnostic
from citelint.document import parse
from citelint.engine import Linter
from tests.test_offsets import assert_offsets_exact

SHORT = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
SUFFIX = {"markdown": ".md", "html": ".html", "text": ".txt"}

# -- what the documents are made of ------------------------------------------------------

PROSE = [
    "Officials said ", "the plan failed", " and ", "According to the Riverside Housing Institute, ", "40 homes",
    " flooded", "12%", " $5m", " in 2023", ". ", "? ", "! ", "Mara Quill, who runs the office, said that ",
    "It is widely believed that ", "the CPJ and ", "Critics say ", "“We cannot build fast enough,” she said. ",
    '"It will close," he said. ', "Dr. ", "U.S. ", "… ", "3, 4, 5, ", "500 people died", "Jane Roe",
    ", who", " told reporters", "(https://example.org/report)", "www.example.org ", "x@example.org ",
]
SPECIAL = [
    "\n", "\n\n", "\r\n", "\r", "\ufeff", "\x00", "\t", "\u2028", "\u2029", "\u200f", "\u202e", "مرحبا ", "שלום ",
    "東京 ", "é", "\u00a0", "&#xD800;", "&#0;", "&#x202E;", "&amp;", "&nbsp;", "\\", "<!-- citelint-disable -->",
    "<!-- citelint-disable-next-line CIT103 -- checked -->\n", "<!-- citelint-enable -->", "<!--", "-->",
    "<!-- citelint-disable" + " " * 40 + "x -->\n",
]
MARKDOWN = [
    "[^1]", "[^1]:\tSee the court filing.\n", "[^n]:\ts", "> ", "> > > ", "- ", "1. ", "# ", "## ", "```\n",
    "`", "``", "[a](b", "*a_ ", "_a* ", "**", "[report](https://example.org/r)", "![a](b)", "<https://example.org/a>",
    "| a | b |\n|---|---|\n| 1 | 2 |\n", "***\n", "    code\n", "<div>\n", "</div>\n", "[a]: https://example.org\n",
    "---\ntitle: x\n---\n", "<? ", "<!A ", "<![CDATA[ ", "a_b_c_d", "~~", "<a href='https://example.org/h'>", "</a>",
]
HTML = [
    "<p>", "</p>", "<a href=\"https://example.org/x\">", "</a>", "<script>", "</script>", "<style>", "<blockquote>",
    "</blockquote>", "<h1>", "</h1>", "<br>", "<table><tr><td>", "</td></tr></table>", "<nav>", "</nav>",
    "<figcaption>", "<li>", "<!DOCTYPE html>", "<pre>", "</pre>", "<b>", "</b>", "<", ">", "&lt;", "<p class='x'",
]


def _documents(pieces: list[str]) -> st.SearchStrategy[str]:
    deep_quotes = st.integers(0, 40).map(lambda depth: "> " * depth + "Officials said 40 homes flooded.\n")
    return st.lists(st.one_of(st.sampled_from(pieces), deep_quotes, st.text(max_size=8)), max_size=60).map("".join)


DOCUMENTS = st.one_of(
    st.tuples(st.just("markdown"), _documents(PROSE + SPECIAL + MARKDOWN)),
    st.tuples(st.just("html"), _documents(PROSE + SPECIAL + HTML)),
    st.tuples(st.just("text"), _documents(PROSE + SPECIAL)),
)

# -- the properties ----------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINTER: Linter | None = None


def _linter() -> Linter:
    global _LINTER
    if _LINTER is None:
        _LINTER = Linter(Config(min_confidence=0.0))
    return _LINTER


def _position(text: str, offset: int) -> tuple[int, int]:
    """Line and column of ``offset`` counted afresh (LF, CRLF and lone CR end lines)."""
    breaks = [match.end() for match in _LINE_BREAK.finditer(text, 0, offset)]
    return len(breaks) + 1, offset - (breaks[-1] if breaks else 0) + 1


def _findings(fmt: str, text: str) -> list[Diagnostic]:
    return _linter().lint_text(text, "fuzz" + SUFFIX[fmt], fmt).diagnostics


def check_document(fmt: str, text: str) -> None:
    original = str(text)
    found = _findings(fmt, text)
    assert not [d.message for d in found if d.rule == "internal-error"]
    for diagnostic in found:
        assert 0 <= diagnostic.offset <= diagnostic.end_offset <= len(text), diagnostic
        assert (diagnostic.line, diagnostic.column) == _position(text, diagnostic.offset), diagnostic
        assert (diagnostic.end_line, diagnostic.end_column) == _position(text, diagnostic.end_offset), diagnostic
    document = parse(text, "fuzz" + SUFFIX[fmt], fmt)
    assert_offsets_exact(text, document)
    analysis = Analysis(document)
    for attribution in analysis.attributions:
        for span in (attribution.cue, attribution.source, attribution.content):
            if span is not None:
                assert span.text == document.blocks[span.block].text[span.start : span.end]
    figures = {}
    for item in analysis.figures:
        sentence = analysis.sentences[item.sentence]
        assert sentence.text[item.figure.start : item.figure.end] == item.figure.text
        figures[analysis.sentence_span(sentence, item.figure.start, item.figure.end)] = item.figure.text
    for diagnostic in found:
        if diagnostic.rule == "unsourced-figure":
            quoted = figures[diagnostic.offset, diagnostic.end_offset]
            assert diagnostic.message.startswith(f"'{quoted}'"), (diagnostic.message, quoted)
    again = _findings(fmt, text)
    assert [d.to_json() for d in again] == [d.to_json() for d in found]  # deterministic
    assert text == original


@SHORT
@given(DOCUMENTS)
def test_generated_documents_lint_cleanly(document):
    check_document(*document)


@SHORT
@given(DOCUMENTS)
def test_generated_files_lint_cleanly_through_the_command_line(tmp_path_factory, cli, document):
    fmt, text = document
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / ("story" + SUFFIX[fmt])
    data = text.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    run = cli("--format", "json", "--min-confidence", "0", "--exit-zero", str(path))
    assert run.status == 0, run.err
    assert not [d for d in run.json()["diagnostics"] if d["rule"] == "internal-error"]
    assert path.read_bytes() == data


def _asked_for(request: pytest.FixtureRequest) -> None:
    if "fuzz" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("the long fuzz profile runs only with: pytest -m fuzz")


@pytest.mark.fuzz
@LONG
@given(document=DOCUMENTS)
def test_long_profile_generated_documents_lint_cleanly(request, document):
    _asked_for(request)
    check_document(*document)
