"""``citelint report``: the HTML provenance report for editors."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

import citelint.report
from citelint.diagnostics import Diagnostic
from citelint.report.model import Finding
from citelint.report.render import Piece, nest

#: Our own short articles, written for these tests.
WATER_STORY = """\
# Reservoir levels fall again

Officials said the reservoir was at its lowest level in a decade.

The council spent 4,200 pounds on signs asking people to save water, and as many as 900 homes
had their supply cut last week.
"""

QUIET_STORY = """\
# Library opens on Sundays

The [city library](https://library.example.org/news) will open on Sundays from May,
its director, Ana Ruiz, said in a statement.
"""

HOSTILE_STORY = """\
# Test <script>alert(1)</script>

Critics say the plan "><img src=x onerror=alert(1)> will cost 3,000 jobs.

<script>alert(2)</script>
<a href="javascript:alert(3)" onclick="alert(4)">click</a>
"""


SORT_SCRIPT = (Path(citelint.report.__file__).parent / "templates" / "sort.js").read_text(encoding="utf-8")


class _Page(HTMLParser):
    """Every start tag of a page, with its attributes, and the text of each element with an id."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._open: list[tuple[str, str | None]] = []
        self.text_by_id: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag not in ("br", "meta", "rect"):
            self._open.append((tag, attributes.get("id")))
            if attributes.get("id"):
                self.text_by_id[attributes["id"]] = ""

    def handle_endtag(self, tag):
        while self._open:
            opened, _ = self._open.pop()
            if opened == tag:
                break

    def handle_data(self, data):
        for _, element in self._open:
            if element:
                self.text_by_id[element] += data

    def marks(self) -> list[dict[str, str]]:
        return [attributes for tag, attributes in self.tags if tag == "mark" and "tabindex" in attributes]


@pytest.fixture
def newsroom(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stories").mkdir()
    return tmp_path


def _report(cli, *args: str) -> tuple[int, _Page, str]:
    run = cli("report", "-o", "out.html", *args)
    html = open("out.html", encoding="utf-8").read() if os.path.exists("out.html") else ""
    return run.status, _Page(html), html


def _lint_findings(cli, *args: str) -> list[dict]:
    return cli("--format", "json", *args).json()["diagnostics"]


def test_every_finding_is_highlighted_with_its_message(cli, newsroom):
    (newsroom / "stories" / "water.md").write_text(WATER_STORY, encoding="utf-8")
    expected = _lint_findings(cli, "stories/water.md")
    assert len(expected) >= 2  # the vague attribution and the unsourced figures
    status, page, _ = _report(cli, "stories/water.md")
    assert status == 0
    marks = page.marks()
    assert len(marks) == len(expected)
    tips = [page.text_by_id[mark["aria-describedby"]] for mark in marks]
    for finding, mark, tip in zip(expected, marks, tips, strict=True):
        assert mark["tabindex"] == "0"  # reachable by keyboard
        assert finding["message"] in tip
        assert f"confidence {finding['confidence']:.2f}" in tip
        assert finding["code"] in tip
        assert "new" in mark["class"].split()
        highlighted = page.text_by_id[mark["id"]]
        assert WATER_STORY.splitlines()[finding["line"] - 1][finding["column"] - 1 :].startswith(
            highlighted.removeprefix(finding["code"])[: finding["end_column"] - finding["column"]])


def test_article_html_renders_as_text_never_as_markup(cli, newsroom):
    hostile_name = '"><img src=x onerror=alert(5)>.md'
    (newsroom / "stories" / hostile_name).write_text(HOSTILE_STORY, encoding="utf-8")
    (newsroom / "stories" / "hostile.html").write_text(
        f"<html><body><article><h1>x</h1><p>{HOSTILE_STORY}</p></article></body></html>", encoding="utf-8")
    status, page, html = _report(cli, "stories")
    assert status == 0
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"img", "iframe", "object", "embed"}
    for tag, attributes in page.tags:
        assert not any(name.startswith("on") for name in attributes), (tag, attributes)
        assert not any("javascript:" in value for value in attributes.values()), (tag, attributes)
        if tag == "a":
            assert attributes["href"].startswith("#")
    assert "<img" not in html.lower()
    # The page's only script is its own (sorting the index), and its policy allows no other.
    assert html.lower().count("<script") == 1
    assert f"<script>{SORT_SCRIPT}</script>" in html
    assert "script-src 'sha256-" in html and "default-src 'none'" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
    assert "onerror=alert(5)&gt;.md" in html


def test_the_page_loads_nothing_from_outside(cli, newsroom):
    (newsroom / "stories" / "quiet.md").write_text(QUIET_STORY, encoding="utf-8")
    (newsroom / "stories" / "water.md").write_text(WATER_STORY, encoding="utf-8")
    _, page, html = _report(cli, "stories")
    assert "https://library.example.org/news" in html  # the article's link is shown as text...
    for tag, attributes in page.tags:
        assert tag not in ("link", "img", "iframe")
        assert tag != "script" or not attributes  # the page's own inline script, never a src
        for name, value in attributes.items():  # ...and no attribute points anywhere outside the page
            assert not value.lower().startswith(("http:", "https:", "//")), (tag, name, value)
    assert "url(" not in html and "@import" not in html


def test_folder_index_lists_the_worst_article_first(cli, newsroom):
    stories = newsroom / "stories"
    (stories / "a_quiet.md").write_text(QUIET_STORY, encoding="utf-8")
    (stories / "b_water.md").write_text(WATER_STORY, encoding="utf-8")
    (stories / "c_worse.md").write_text(WATER_STORY + "\nCritics say 7,000 more homes will be cut off.\n", encoding="utf-8")
    findings = _lint_findings(cli, "stories")
    counts = {path: sum(1 for f in findings if f["path"] == path) for path in
              ("stories/a_quiet.md", "stories/b_water.md", "stories/c_worse.md")}
    assert counts["stories/c_worse.md"] > counts["stories/b_water.md"] > counts["stories/a_quiet.md"]
    status, page, _ = _report(cli, "stories")
    assert status == 0
    index = [page.text_by_id[attributes["href"][1:] + "-title"] for tag, attributes in page.tags
             if tag == "a" and attributes.get("href", "").startswith("#a") and "-" not in attributes["href"]]
    assert index == ["stories/c_worse.md", "stories/b_water.md", "stories/a_quiet.md"]
    assert page.text_by_id["chart-rules"] == "Open findings per rule"


@pytest.mark.parametrize("output", ["stories/water.md", "link.md", ".citelint.yaml"])
def test_the_report_is_never_written_over_an_input(cli, newsroom, output):
    article = newsroom / "stories" / "water.md"
    article.write_text(WATER_STORY, encoding="utf-8")
    (newsroom / "link.md").symlink_to(article)
    (newsroom / ".citelint.yaml").write_text("preset: default\n", encoding="utf-8")
    run = cli("report", "stories", "-o", output)
    assert run.status == 2
    assert "choose another file" in run.err
    assert article.read_text(encoding="utf-8") == WATER_STORY
    assert (newsroom / ".citelint.yaml").read_text(encoding="utf-8") == "preset: default\n"


def test_suppressed_findings_are_shown_as_suppressed(cli, newsroom):
    text = WATER_STORY.replace("Officials said", "<!-- citelint-disable-next-line vague-attribution -- checked -->\n"
                                                 "Officials said")
    (newsroom / "stories" / "water.md").write_text(text, encoding="utf-8")
    assert not any(f["rule"] == "vague-attribution" for f in _lint_findings(cli, "stories/water.md"))
    _, page, _ = _report(cli, "stories/water.md")
    suppressed = [mark for mark in page.marks() if "suppressed" in mark["class"].split()]
    assert len(suppressed) == 1
    assert "suppressed" in page.text_by_id[suppressed[0]["aria-describedby"]]
    assert "Officials said" in page.text_by_id[suppressed[0]["id"]]


def test_baselined_findings_are_shown_as_baselined(cli, newsroom):
    (newsroom / "stories" / "water.md").write_text(WATER_STORY, encoding="utf-8")
    recorded = len(_lint_findings(cli, "stories/water.md"))
    assert cli("--write-baseline", "known.json", "stories").status == 0
    _, page, html = _report(cli, "stories", "--baseline", "known.json")
    states = [mark["class"].split()[-1] for mark in page.marks()]
    assert states == ["baselined"] * recorded
    assert "known.json: its findings are marked" in html


def test_select_and_min_confidence_shape_the_report_as_they_shape_lint(cli, newsroom):
    (newsroom / "stories" / "water.md").write_text(WATER_STORY, encoding="utf-8")
    _, page, _ = _report(cli, "stories", "--select", "unsourced-figure")
    rules = {page.text_by_id[mark["aria-describedby"]].split()[1] for mark in page.marks()}
    assert rules == {"unsourced-figure"}
    _, page, _ = _report(cli, "stories", "--min-confidence", "1")
    assert page.marks() == []


def test_the_sources_panel_names_each_source_with_its_kind_and_link(cli, newsroom):
    (newsroom / "stories" / "quiet.md").write_text(QUIET_STORY, encoding="utf-8")
    (newsroom / "stories" / "water.md").write_text(WATER_STORY, encoding="utf-8")
    _, _, html = _report(cli, "stories")
    rows = [" ".join(row.split()) for row in html.split("<tr>") if 'class="kind"' in row]
    assert any("Officials</td>" in row and ">vague<" in row and "unlinked" in row for row in rows)
    assert any("Ana Ruiz" in row and ">named<" in row and ">linked<" in row for row in rows)


def test_a_missing_path_is_an_error_but_the_others_are_reported(cli, newsroom):
    (newsroom / "stories" / "water.md").write_text(WATER_STORY, encoding="utf-8")
    status, page, _ = _report(cli, "stories", "nowhere")
    assert status == 2
    assert page.marks()


def _finding(number: int, offset: int, end_offset: int) -> Finding:
    diagnostic = Diagnostic("x.md", "CIT101", "rule", "warning", "message", 1, offset + 1, 1, end_offset + 1,
                            offset, end_offset)
    return Finding(number, diagnostic)


def _flatten(pieces: list[Piece]) -> str:
    return "".join(piece.text + _flatten(piece.children) for piece in pieces)


def test_crossing_findings_nest_with_the_text_kept_whole():
    text = "0123456789abcdefghij"
    pieces = nest(text, [_finding(1, 2, 8), _finding(2, 5, 12), _finding(3, 20, 20)])
    assert _flatten(pieces) == text
    outer = pieces[1]
    assert (outer.finding.number, outer.first, _flatten(outer.children)) == (1, True, "234567")
    inner = outer.children[1]
    assert (inner.finding.number, inner.first, _flatten(inner.children)) == (2, True, "567")
    rest = pieces[2]  # the part of finding 2 after finding 1 ends: highlighted, not focusable again
    assert (rest.finding.number, rest.first, _flatten(rest.children)) == (2, False, "89ab")
    assert (pieces[-1].finding.number, pieces[-1].children) == (3, [])  # a finding with no text still shows



def test_a_second_run_replaces_its_own_report_but_never_an_article_of_that_name(cli, newsroom):
    (newsroom / "water.md").write_text(WATER_STORY, encoding="utf-8")
    assert cli("report", ".").status == 0
    first = (newsroom / "report.html").read_text(encoding="utf-8")
    run = cli("report", ".")
    assert run.status == 0, run.err  # the earlier report is not read as an article
    assert (newsroom / "report.html").read_text(encoding="utf-8").count('class="article"') == first.count('class="article"') == 1
    article = "<html><body><p>Officials said it was the best year yet.</p></body></html>"
    (newsroom / "report.html").write_text(article, encoding="utf-8")
    run = cli("report", ".")
    assert run.status == 2 and "choose another file" in run.err
    assert (newsroom / "report.html").read_text(encoding="utf-8") == article


def test_a_file_lint_skips_is_listed_with_the_reason(cli, newsroom):
    (newsroom / ".citelint.yaml").write_text("max-file-size: 200\n", encoding="utf-8")
    (newsroom / "stories" / "water.md").write_text(WATER_STORY * 3, encoding="utf-8")
    (newsroom / "stories" / "quiet.md").write_text(QUIET_STORY, encoding="utf-8")
    status, page, html = _report(cli, "stories")
    assert status == 0
    assert "is over the max-file-size of 200" in html
    assert page.text_by_id["a2-title"] == "stories/water.md" and page.text_by_id["a1-title"] == "stories/quiet.md"
