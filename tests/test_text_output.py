"""The text reports people read: each finding's source line with its span underlined, the one-line
concise form, colour only where it is wanted, the summary's counts and ``--statistics``."""

from __future__ import annotations

import io
import sys

import pytest

from citelint.diagnostics import Diagnostic
from citelint.formatters import RunResult
from citelint.formatters.text import ELLIPSIS, WINDOW, render, wants_colour

ARTICLE = """# Lantern festival returns

Ticket prices rose by nearly 40% on last year.

The parade starts at the old bridge and ends at the market square.
"""

CLEAN = "The parade starts at the old bridge and ends at the market square.\n"


@pytest.fixture
def newsroom(tmp_path, monkeypatch):
    """The working directory, holding one article with findings; no colour settings inherited."""
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "festival.md").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def _block(out: str, header_part: str) -> list[str]:
    """The lines of the finding whose header contains ``header_part``: header, gutter, source, carets."""
    lines = out.splitlines()
    start = next(number for number, line in enumerate(lines) if header_part in line)
    return lines[start : start + 4]


def _underlined(source_line: str, caret_line: str) -> str:
    """The source text that the carets sit under (both lines taken after their '| ' gutter)."""
    source = source_line.split(" | ", 1)[1]
    carets = caret_line.split(" | ", 1)[1]
    start = carets.index("^")
    return source[start : start + carets.count("^")]


# -- the full form ----------------------------------------------------------------------------------


def test_a_finding_shows_its_severity_source_line_and_underlined_span(cli, newsroom):
    run = cli("festival.md")
    assert run.status == 1
    header, gutter, source, carets = _block(run.out, "'nearly 40%'")
    assert header.startswith("festival.md:3:23: CIT103 [warning] 'nearly 40%' ")
    assert gutter == "  |"
    assert source == "3 | Ticket prices rose by nearly 40% on last year."
    assert carets == "  |                       ^^^^^^^^^^ unsourced-figure"
    assert _underlined(source, carets) == "nearly 40%"


def test_the_severity_is_the_configured_one(cli, newsroom):
    (newsroom / ".citelint.yaml").write_text("rules:\n  unsourced-figure: error\n", encoding="utf-8")
    assert "festival.md:3:23: CIT103 [error] " in cli("festival.md").out


def test_a_span_over_two_lines_is_underlined_to_the_end_of_its_first(cli, newsroom):
    (newsroom / "festival.md").write_text("Stallholders paid as many as\n2,500 pounds for a pitch.\n",
                                          encoding="utf-8")
    # rendering, not judgement: every finding shown, whatever the scorer thinks of this one
    header, _, source, carets = _block(cli("festival.md", "--min-confidence", "0").out, "CIT103")
    assert header.startswith("festival.md:1:19: CIT103 ")
    assert _underlined(source, carets) == "as many as"
    assert carets.endswith("^^^^^^^^^^ unsourced-figure")


def test_carets_count_code_points_and_keep_the_lines_tabs(cli, newsroom):
    (newsroom / "festival.md").write_text("-\tCafé fees in Zürich rose by nearly 40% on last year.\n",
                                          encoding="utf-8")
    _, _, source, carets = _block(cli("festival.md").out, "'nearly 40%'")
    assert _underlined(source, carets) == "nearly 40%"
    assert carets.split(" | ", 1)[1].startswith(" \t ")  # under "-", the tab, then spaces


def test_a_long_line_is_quoted_as_a_window_around_the_span(cli, newsroom):
    words = " ".join(["the stalls stayed open late"] * 12)
    line = f"{words}, and prices rose by nearly 40% while {words}."
    (newsroom / "festival.md").write_text(line + "\n", encoding="utf-8")
    _, _, source, carets = _block(cli("festival.md").out, "'nearly 40%'")
    quoted = source.split(" | ", 1)[1]
    assert quoted.startswith(ELLIPSIS) and quoted.endswith(ELLIPSIS) and len(quoted) <= WINDOW + 2
    window = quoted.strip(ELLIPSIS)
    assert window in line
    assert {window.split()[0], window.split()[-1]} <= set(line.split())  # cut between words, not inside one
    assert _underlined(source, carets) == "nearly 40%"


def test_control_characters_in_an_article_never_reach_the_terminal(cli, newsroom):
    (newsroom / "festival.md").write_text("Prices\x1b[2J rose by nearly 40%\u202e on last year.\n", encoding="utf-8")
    run = cli("festival.md")
    assert "\x1b" not in run.out and "\u202e" not in run.out
    _, _, source, carets = _block(run.out, "'nearly 40%'")
    assert "Prices\u241b[2J rose" in source and _underlined(source, carets) == "nearly 40%"


def test_text_read_from_stdin_is_quoted_too(cli, newsroom):
    run = cli("-", stdin=ARTICLE.encode())
    header, _, source, carets = _block(run.out, "'nearly 40%'")
    assert header.startswith("-:3:23: CIT103 [warning] ")
    assert _underlined(source, carets) == "nearly 40%"


def test_a_finding_without_a_source_line_is_its_header_alone(cli, newsroom):
    (newsroom / "broken.md").write_bytes(b"Prices rose \xff\xfe by 40%.\n")
    run = cli("broken.md")
    lines = run.out.splitlines()
    header = next(number for number, line in enumerate(lines) if "CIT001 [error]" in line)
    assert lines[header + 1] == "" and "|" not in run.out


# -- the concise form and the confidence ----------------------------------------------------------------


def test_concise_is_one_line_per_finding(cli, newsroom):
    full, concise = cli("festival.md").out, cli("--format", "concise", "festival.md").out
    headers = [line for line in full.splitlines() if line.startswith("festival.md:")]
    lines = concise.splitlines()
    assert lines[:-1] == headers and len(headers) >= 1
    assert lines[-1] == "Found 1 problem in 1 of 1 file."
    assert "|" not in concise and "^" not in concise


@pytest.mark.parametrize("form", ["text", "concise"])
def test_show_confidence_in_both_forms(cli, newsroom, form):
    out = cli("--format", form, "--show-confidence", "festival.md").out
    header = next(line for line in out.splitlines() if "'nearly 40%'" in line)
    assert header.rsplit(" (confidence ", 1)[1][:-1].replace(".", "").isdigit()
    assert "(confidence" not in cli("--format", form, "festival.md").out


# -- colour ---------------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_follows_no_color_force_color_and_the_terminal(monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    assert wants_colour(_Terminal()) and not wants_colour(io.StringIO())
    monkeypatch.setenv("TERM", "dumb")
    assert not wants_colour(_Terminal())
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert wants_colour(io.StringIO())  # forced even into a pipe
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_colour(_Terminal())  # NO_COLOR wins
    monkeypatch.setenv("NO_COLOR", "")  # empty means unset (no-color.org)
    assert wants_colour(io.StringIO())


def test_the_cli_colours_a_terminal_and_nothing_else(cli, newsroom, monkeypatch):
    assert "\x1b[" not in cli("festival.md").out  # a pipe
    monkeypatch.setattr(sys, "stdout", _Terminal())
    from citelint.cli import main

    main(["festival.md"])
    coloured = sys.stdout.getvalue()
    assert "\x1b[1;33mCIT103 [warning]\x1b[0m" in coloured and "^" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli("festival.md").out


def test_force_color_colours_stdout_but_never_an_output_file(cli, newsroom, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in cli("festival.md").out
    assert "\x1b[" in cli("--format", "concise", "festival.md").out
    cli("--output-file", "report.txt", "festival.md")
    written = (newsroom / "report.txt").read_text(encoding="utf-8")
    assert "\x1b[" not in written and "CIT103 [warning]" in written


# -- the summary and --statistics ------------------------------------------------------------------------


def test_the_summary_counts_findings_files_with_findings_and_files_checked(cli, newsroom):
    (newsroom / "market.md").write_text(ARTICLE.replace("Ticket", "Pitch"), encoding="utf-8")
    (newsroom / "parade.md").write_text(CLEAN, encoding="utf-8")
    assert cli(".").out.splitlines()[-1] == "Found 2 problems in 2 of 3 files."
    assert cli("parade.md").out.splitlines()[-1] == "No problems found in 1 file."


def test_statistics_prints_the_counts_per_rule_instead_of_the_findings(cli, newsroom):
    (newsroom / "festival.md").write_text(ARTICLE + "Analysts say 300 stalls will open, up from 250.\n",
                                          encoding="utf-8")
    findings = [line for line in cli("--format", "concise", "festival.md").out.splitlines() if line.startswith("fest")]
    run = cli("--statistics", "festival.md")
    assert run.status == 1
    lines = run.out.splitlines()
    assert not any(line.startswith("festival.md:") for line in lines) and "^" not in run.out
    counts = [line for line in lines[:-1]]
    assert counts[0] == f"{sum('CIT103' in f for f in findings)}  CIT103 [unsourced-figure]"
    assert "  CIT102 [vague-attribution]" in counts[1]
    assert lines[-1] == f"Found {len(findings)} problems in 1 of 1 file."
    assert cli("--statistics", "--quiet", "festival.md").out.splitlines() == counts


def test_render_counts_rules_most_first_then_by_code():
    def diagnostic(code: str, rule: str, line: int) -> Diagnostic:
        return Diagnostic("a.md", code, rule, "warning", "m", line, 1, line, 2, 0, 1)

    found = [diagnostic("CIT201", "unlinked-source", 1), diagnostic("CIT103", "unsourced-figure", 2),
             diagnostic("CIT201", "unlinked-source", 3), diagnostic("CIT102", "vague-attribution", 4)]
    out = render(RunResult(files=4, diagnostics=found), statistics=True)
    assert out.splitlines() == ["2  CIT201 [unlinked-source]", "1  CIT102 [vague-attribution]",
                                "1  CIT103 [unsourced-figure]", "Found 4 problems in 1 of 4 files."]
