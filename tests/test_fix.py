"""Safe fixes: ``--fix``/``--diff`` round trips, and the edits the editor's code actions use."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citelint import fixes
from citelint.config import Config
from citelint.diagnostics import Diagnostic
from citelint.engine import Linter
from citelint.links.model import REDIRECTED, LinkResult
from tests import test_links_cli

ARTICLE = (
    "# Budget plans\n"
    "\n"
    "The council spent £4m on the scheme last year, officials say.\n"
    "\n"
    "Experts believe the plan will fail. <!-- citelint-disable-line unsourced-figure -- checked -->\n"
    "\n"
    "<!-- citelint-disable-next-line vague-attribution -- fine -->\n"
    "The mayor said the roads were safe.\n"
)
FIXED = (
    "# Budget plans\n"
    "\n"
    "The council spent £4m on the scheme last year, officials say.\n"
    "\n"
    "Experts believe the plan will fail.\n"
    "\n"
    "The mayor said the roads were safe.\n"
)


@pytest.fixture
def article(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _lint(text: str, name: str = "article.md", fmt: str = "markdown"):
    return Linter(Config()).lint_text(text, name, fmt).diagnostics


def test_diff_prints_the_fixes_and_changes_nothing(cli, article):
    run = cli("article.md", "--diff")
    assert run.status == 1
    assert "--- a/article.md\n+++ b/article.md\n" in run.out
    assert "-<!-- citelint-disable-next-line vague-attribution -- fine -->\n" in run.out
    assert "+Experts believe the plan will fail.\n" in run.out
    assert article.read_text(encoding="utf-8") == ARTICLE


def test_diff_of_a_file_with_nothing_to_fix_is_empty(cli, article):
    article.write_text(FIXED, encoding="utf-8")
    run = cli("article.md", "--diff")
    assert (run.status, run.out) == (0, "")


def test_fix_removes_unused_suppressions_and_reports_what_remains(cli, article):
    before = _lint(ARTICLE)
    run = cli("article.md", "--fix", "--format", "json")
    assert article.read_text(encoding="utf-8") == FIXED
    remaining = run.json()["diagnostics"]
    assert {d["rule"] for d in remaining} == {"unsourced-figure", "vague-attribution"}
    assert len(remaining) == len([d for d in before if d.rule != "unused-suppression"])
    assert any("fixed 2 findings in 1 file" in notice["message"] for notice in run.json()["notices"])
    assert run.status == 1  # findings remain


def test_exit_status_is_zero_when_the_fixes_leave_nothing(cli, article):
    article.write_text("The mayor opened the bridge. <!-- citelint-disable-line vague-attribution -- a -->\n",
                       encoding="utf-8")
    assert cli("article.md").status == 1
    run = cli("article.md", "--fix")
    assert run.status == 0, run.out
    assert article.read_text(encoding="utf-8") == "The mayor opened the bridge.\n"


def test_a_file_changed_between_read_and_write_is_skipped_with_a_notice(cli, article, monkeypatch):
    real_read = fixes.read_regular
    reads = []
    someone_elses = ARTICLE + "\nA paragraph the writer added meanwhile.\n"

    def read_then_another_writer_saves(path, limit):
        reads.append(path)
        if len(reads) == 2:  # the re-read just before the write
            Path(path).write_text(someone_elses, encoding="utf-8")
        return real_read(path, limit)

    monkeypatch.setattr(fixes, "read_regular", read_then_another_writer_saves)
    run = cli("article.md", "--fix")
    assert len(reads) == 2
    assert article.read_text(encoding="utf-8") == someone_elses
    assert "not fixed: the file changed while citelint was reading it" in run.out
    assert "unused-suppression" in run.out  # not fixed, so still reported
    assert run.status == 1


def test_fix_keeps_a_utf8_byte_order_mark_and_crlf_line_breaks(cli, article):
    article.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    cli("article.md", "--fix")
    assert article.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode("utf-8")


def test_fix_leaves_a_utf16_file_alone_with_a_notice(cli, article):
    article.write_bytes(ARTICLE.encode("utf-16"))
    run = cli("article.md", "--fix")
    assert article.read_bytes() == ARTICLE.encode("utf-16")
    assert "not fixed: only UTF-8 files are fixed" in run.out


def test_fix_refuses_stdin(cli):
    run = cli("-", "--fix", stdin=b"text")
    assert run.status == 2
    assert "--fix and --diff change files" in run.err


def test_a_markdown_directive_between_lines_of_text_leaves_them_apart():
    """The comment line split the text into two blocks; joining them would change the article."""
    text = "The mayor opened the bridge.\n<!-- citelint-disable-next-line vague-attribution -->\nIt opened in May.\n"
    fixed = fixes.apply_edits(text, (edit for _, edit in fixes.safe_edits(text, _lint(text), "markdown")))
    assert fixed == "The mayor opened the bridge.\n\nIt opened in May.\n"


def test_a_plain_text_directive_line_is_removed_whole():
    text = "The mayor opened the bridge.\n<!-- citelint-disable-next-line vague-attribution -->\nIt was busy.\n"
    diagnostics = _lint(text, "article.txt", "text")
    fixed = fixes.apply_edits(text, (edit for _, edit in fixes.safe_edits(text, diagnostics, "text")))
    assert fixed == "The mayor opened the bridge.\nIt was busy.\n"


def test_a_front_matter_entry_is_not_edited():
    text = "---\ncitelint:\n  disable: [vague-attribution]\n---\nThe mayor opened the bridge.\n"
    diagnostics = _lint(text)
    assert [d.rule for d in diagnostics] == ["unused-suppression"]
    assert fixes.safe_edits(text, diagnostics, "markdown") == []


@pytest.mark.parametrize(("name", "fmt"), [("article.md", "markdown"), ("article.txt", "text"), ("article.html", "html")])
def test_suppressing_a_finding_on_its_line_with_a_reason_makes_it_go(name, fmt):
    line = "The council spent £4m on the scheme last year, officials say."
    text = {"html": f"<html><body>\n<p>Intro.</p>\n<p>{line}</p>\n</body></html>\n"}.get(fmt, f"Intro.\n\n{line}\n")
    found = [d for d in _lint(text, name, fmt) if d.rule == "vague-attribution"]
    assert len(found) == 1
    edit, reason_at = fixes.suppress_line(text, fmt, found[0], "reason")
    edited = fixes.apply_edits(text, [edit])
    assert edited[reason_at : reason_at + len("reason")] == "reason"
    after = _lint(edited, name, fmt)
    assert not [d for d in after if d.rule in ("vague-attribution", "unused-suppression", "bad-suppression")]
    assert len(after) == len(_lint(text, name, fmt)) - 1


def test_suppressing_a_rule_in_the_file_goes_after_the_front_matter():
    text = "---\ntitle: Budget\n---\nThe council spent £4m on the scheme, officials say.\n"
    edit, reason_at = fixes.suppress_file(text, "vague-attribution", "house style")
    edited = fixes.apply_edits(text, [edit])
    assert edited.startswith("---\ntitle: Budget\n---\n<!-- citelint-disable-file vague-attribution -- house style -->\n")
    assert edited[reason_at:].startswith("house style -->")
    assert "vague-attribution" not in {d.rule for d in _lint(edited)}
    assert "unused-suppression" not in {d.rule for d in _lint(edited)}


@pytest.mark.parametrize("doctype", ["<!DOCTYPE html>\n", "\ufeff<!doctype html>\r\n", "\n<!DOCTYPE html PUBLIC \"x\">"])
def test_suppressing_a_rule_in_an_html_page_goes_after_its_doctype(doctype):
    # A comment before the doctype would put a browser in quirks mode.
    text = doctype + "<html><body><p>The council spent £4m on the scheme, officials say.</p></body></html>\n"
    edit, reason_at = fixes.suppress_file(text, "vague-attribution", "house style", "html")
    edited = fixes.apply_edits(text, [edit])
    assert edited.startswith(doctype) and edited[len(doctype):].startswith("<!-- citelint-disable-file vague-attribution")
    assert edited[reason_at:].startswith("house style -->")
    rules = {d.rule for d in _lint(edited, "page.html", "html")}
    assert "vague-attribution" not in rules and "unused-suppression" not in rules


#: the loopback HTTP server of the link-check tests (/old moves permanently to /new)
link_server = test_links_cli.server

_SENTENCES = st.sampled_from([
    "The council spent £4m on the scheme, officials say.",
    "Experts believe the plan will fail.",
    "The mayor opened the bridge on Monday.",
    "Prices rose by 12% last year.",
    "The report, published by the audit office, found no fault.",
    "Officials say",  # no full stop: the next line must still read as its own text
    "Spending rose by 12%",
])
_DIRECTIVES = st.sampled_from([
    "<!-- citelint-disable-next-line vague-attribution -- checked -->",
    "<!-- citelint-disable-next-line unsourced-figure -->",
    "<!-- citelint-disable-line unsourced-figure -->",
    "<!-- citelint-disable vague-attribution -->",
    "<!-- citelint-enable vague-attribution -->",
])
_LINES = st.lists(st.one_of(_SENTENCES, _DIRECTIVES, st.just(""),
                            st.tuples(_SENTENCES, _DIRECTIVES).map(" ".join)), min_size=1, max_size=8)


def _findings(text: str, fmt: str) -> Counter:
    return Counter((d.rule, d.message) for d in _lint(text, "article." + {"markdown": "md"}.get(fmt, "txt"), fmt)
                   if d.rule != "unused-suppression")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_LINES, fmt=st.sampled_from(["markdown", "text"]), crlf=st.booleans())
def test_a_fixed_file_lints_to_the_same_findings_without_the_fixed_ones(lines, fmt, crlf):
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"
    name = "article." + {"markdown": "md"}.get(fmt, "txt")
    fixed = fixes.apply_edits(text, (edit for _, edit in fixes.safe_edits(text, _lint(text, name, fmt), fmt)))
    assert "unused-suppression" not in {d.rule for d in _lint(fixed, name, fmt)}
    assert _findings(fixed, fmt) == _findings(text, fmt)


def _moved(url: str, final: str, *hops: int) -> LinkResult:
    return LinkResult(url, REDIRECTED, 200, final, tuple((status, final) for status in hops), f"moved to {final}",
                      True, None, False)


def _redirect_finding(text: str, url: str) -> Diagnostic:
    offset = text.index("[")
    end = text.index(")", text.index(url)) + 1
    return Diagnostic("a.md", "CIT204", "redirected-link", "info", "moved", 1, offset + 1, 1, end + 1, offset, end)


@pytest.mark.parametrize(("final", "hops", "safe"), [
    ("https://example.org/new", (301,), True),
    ("https://example.org/new", (308, 301), True),
    ("https://example.org/new", (302, 301), False),  # a temporary hop: the address may come back
    ("https://elsewhere.example/new", (301,), False),  # another host may serve another page
])
def test_a_permanent_redirect_on_the_same_host_is_the_only_safe_one(final, hops, safe):
    url = "https://example.org/old"
    text = f"See [the report]({url}).\n"
    edit, is_safe = fixes.redirect(text, _redirect_finding(text, url), {url: _moved(url, final, *hops)})
    assert fixes.apply_edits(text, [edit]) == f"See [the report]({final}).\n"
    assert is_safe is safe
    finding = _redirect_finding(text, url)
    assert len(fixes.safe_edits(text, [finding], "markdown", {url: _moved(url, final, *hops)})) == int(safe)
    assert len(fixes.safe_edits(text, [finding], "markdown", {url: _moved(url, final, *hops)}, unsafe=True)) == 1


def test_a_redirect_keeps_the_fragment_and_matches_the_whole_address():
    url, longer = "https://example.org/old", "https://example.org/old#annex"
    text = f"See [the annex]({longer}).\n"
    links = {url: _moved(url, "https://example.org/new", 301), longer: _moved(longer, "https://example.org/new", 301)}
    edit, _ = fixes.redirect(text, _redirect_finding(text, longer), links)
    assert fixes.apply_edits(text, [edit]) == "See [the annex](https://example.org/new#annex).\n"
    only_shorter = {url: links[url]}
    assert fixes.redirect(text, _redirect_finding(text, longer), only_shorter) is None


def test_fix_cites_where_a_link_moved_from_the_link_check(cli, tmp_path, monkeypatch, link_server):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))
    (tmp_path / ".citelint.yaml").write_text("links: {retries: 0}\n", encoding="utf-8")
    article = tmp_path / "story.md"
    article.write_text(f"The mayor opened [the bridge]({link_server}/old).\n", encoding="utf-8")
    checking = ("--check-links", "--allow-private-links", "--cache-dir", str(tmp_path / "cache"))
    assert "redirected-link" in cli(*checking, "story.md").out
    run = cli(*checking, "--fix", "story.md")
    assert article.read_text(encoding="utf-8") == f"The mayor opened [the bridge]({link_server}/new).\n"
    assert "redirected-link" not in run.out and "fixed 1 finding in 1 file" in run.out


@pytest.mark.parametrize(("fmt", "linked"), [
    ("markdown", "According to [Amnesty International](https://amnesty.org/), the prisons are full."),
    ("html", 'According to <a href="https://amnesty.org/">Amnesty International</a>, the prisons are full.'),
    ("text", "According to Amnesty International (https://amnesty.org/), the prisons are full."),
])
def test_linking_a_source_to_its_site_suits_the_format(fmt, linked):
    text = "According to Amnesty International, the prisons are full."
    start = text.index("Amnesty")
    finding = Diagnostic("a", "CIT201", "unlinked-source", "warning", "", 1, start + 1, 1, start + 22, start, start + 21)
    assert fixes.apply_edits(text, [fixes.link_to_site(text, fmt, finding, "amnesty.org")]) == linked


def test_a_redirect_to_another_host_is_fixed_only_with_unsafe_fixes(cli, tmp_path, monkeypatch):
    from citelint import cli as command_line

    monkeypatch.chdir(tmp_path)
    url, elsewhere = "https://example.org/old", "https://elsewhere.example/new"
    monkeypatch.setattr(command_line, "check_cited_links",
                        lambda targets, linter, args, notices: {url: _moved(url, elsewhere, 301)})
    article = tmp_path / "story.md"
    article.write_text(f"The mayor opened [the bridge]({url}).\n", encoding="utf-8")
    assert cli("--check-links", "--diff", "story.md").out == ""
    cli("--check-links", "--fix", "story.md")
    assert url in article.read_text(encoding="utf-8")
    assert elsewhere in cli("--check-links", "--diff", "--unsafe-fixes", "story.md").out
    cli("--check-links", "--fix", "--unsafe-fixes", "story.md")
    assert article.read_text(encoding="utf-8") == f"The mayor opened [the bridge]({elsewhere}).\n"


def test_diff_says_why_a_file_is_not_fixed_and_fails_on_a_missing_path(cli, article):
    article.write_bytes(ARTICLE.encode("utf-16"))
    run = cli("article.md", "missing.md", "--diff")
    assert run.status == 2
    assert "article.md: not fixed: only UTF-8 files are fixed" in run.err
    assert "missing.md: no such file or folder" in run.err


def test_unsafe_fixes_needs_fix_or_diff(cli, article):
    run = cli("article.md", "--unsafe-fixes")
    assert run.status == 2 and "--unsafe-fixes goes with --fix or --diff" in run.err


@pytest.mark.parametrize(("before", "inside"), [
    ('<script type="application/ld+json">{"articleBody": "', True),
    ("<SCRIPT>var s = {\"body\": \"", True),
    ("<!-- <script src=a.js> --><p>", False),
    ('<img alt="a <script> tag"><p>', False),
    ("<title>Why <script> blocks</title><p>", False),
    ("<textarea><script></textarea><p>", False),
    ('<script src="a.js"/><p>', False),
])
def test_a_finding_is_inside_a_script_only_inside_one(before: str, inside: bool):
    from citelint.fixes import inside_script

    source = before + "The council said so." + ('"}</script>' if inside else "</p>")
    assert inside_script(source, "html", len(before) + 4) is inside
    assert not inside_script(source, "markdown", len(before) + 4)
