"""Hostile inputs from issue 15: tiny files that hung citelint or cost it minutes.

The subprocess tests guard against a hang (an endless loop, exponential or polynomial
blow-up): their 30 s timeout is generous on purpose and is not a speed target.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from citelint.document import markdown, plaintext
from citelint.suppressions import _match_directive

HANG_GUARD_SECONDS = 30


def _lint_in_subprocess(path: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI on ``path`` in a child process, so that a hang fails the test (by
    timing out) instead of stalling the suite. Guards against a hang, not a speed target."""
    return subprocess.run(
        [sys.executable, "-m", "citelint", "--format", "json", path.name],
        cwd=path.parent, capture_output=True, text=True, timeout=HANG_GUARD_SECONDS, check=False,
    )


# -- 1. footnote definition with a tab after "]:" ----------------------------------------


@pytest.mark.parametrize("source", ["[^1]:\ts", "[^n]:\tSee the court filing.\n", "> [^a\tb]:\t\tx\n", "- [^2]:\t y\n"])
def test_footnote_definition_with_a_tab_does_not_hang(tmp_path: Path, source: str) -> None:
    """Guards against a hang (the parser re-matched the definition forever), not a speed target."""
    path = tmp_path / "note.md"
    path.write_text(source, encoding="utf-8")
    run = _lint_in_subprocess(path)
    assert run.returncode in (0, 1), run.stderr
    assert "internal-error" not in run.stdout


def test_footnote_definition_with_a_tab_is_still_a_footnote() -> None:
    tab = markdown.read("Turnout fell.[^poll]\n\n[^poll]:\tSee https://example.org/poll.\n", "note.md")
    space = markdown.read("Turnout fell.[^poll]\n\n[^poll]: See https://example.org/poll.\n", "note.md")
    assert [(link.kind, link.url) for link in tab.links] == [(link.kind, link.url) for link in space.links]
    assert ("footnote", "https://example.org/poll") in [(link.kind, link.url) for link in tab.links]
    assert [(block.kind, block.text) for block in tab.blocks] == [(block.kind, block.text) for block in space.blocks]
    assert tab.blocks[-1].kind == "footnote"


# -- 2. nested block quotes --------------------------------------------------------------


@pytest.mark.parametrize("depth", [28, 32])
def test_deep_block_quotes_are_parsed_not_retried_per_level(depth: int) -> None:
    source = "> " * depth + "The council voted.\n" + "> " * (depth - 1) + "A shallower line.\n"
    document = markdown.read(source, "quote.md")
    assert document.problems == []
    assert [block.kind for block in document.blocks] == ["blockquote"]
    assert document.blocks[0].text == "The council voted. A shallower line."


def test_deep_block_quotes_do_not_hang_the_cli(tmp_path: Path) -> None:
    """Guards against a hang (32 levels took minutes), not a speed target."""
    path = tmp_path / "quote.md"
    path.write_text("> " * 32 + "a\n", encoding="utf-8")
    run = _lint_in_subprocess(path)
    assert run.returncode == 0, run.stderr


def test_quotes_too_deep_to_parse_are_reported_to_the_user(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "quote.md").write_text("> " * 40 + "The council voted.\n", encoding="utf-8")
    run = cli("--format", "json", "quote.md")
    found = [(d["rule"], d["message"]) for d in run.json()["diagnostics"]]
    assert found == [("malformed-input", "block quotes or lists nested more than 32 deep; read as plain paragraphs")]


def test_quote_prefix_keeps_marko_results() -> None:
    """The rewritten prefix ends where marko's did, on lines it matches and lines it does not."""
    old = r" {,3}>[^\n\S]?"
    for line in ["> > a", ">> a", ">  >   > a", ">    > a", ">\t> a", "   >>>", "> >", ">", " > x", "a > b"]:
        for depth in (1, 2, 3):
            expanded = line.expandtabs(4)
            want = re.match(old * depth, expanded)
            got = re.match(markdown._QUOTE_PREFIX * depth, expanded)
            assert (want and want.end()) == (got and got.end()), (line, depth)


# -- 3. suppression directives with long whitespace runs ---------------------------------


@pytest.mark.parametrize("suffix", ["md", "html", "txt"])
def test_directive_with_a_long_whitespace_run_does_not_hang(tmp_path: Path, suffix: str) -> None:
    """Guards against a hang (10 KB of spaces took over a minute), not a speed target."""
    path = tmp_path / f"directive.{suffix}"
    path.write_text("<!-- citelint-disable" + " " * 10_000 + "x -->\n", encoding="utf-8")
    run = _lint_in_subprocess(path)
    assert run.returncode in (0, 1), run.stderr
    assert "bad-suppression" in run.stdout  # "x" names no rule


#: The directive pattern as it was (with its verb ending at a space or "--", so that
#: "disable-line" is not "disable" + "-line"): the oracle for the linear reading.
_OLD_DIRECTIVE = re.compile(
    r"^\s*(?:<!--)?\s*citelint-(disable-next-line|disable-line|disable-file|disable|enable)(?!\w|-(?!-))"
    r"(.*?)(?:--\s*(.*?))?\s*(?:-->)?\s*$",
    re.DOTALL,
)


def test_directive_reading_agrees_with_the_old_pattern() -> None:
    pieces = [" ", "  ", "\t", "\n", "\r", "\u00a0", "-", "--", "-->", ">", "<!--", "a", "CIT103", ",",
              "citelint-", "disable", "-next-line", "-line", "-file", "enable", "x y"]
    openers = ["", " ", "<!--", " <!-- "]
    verbs = ["disable", "enable", "disable-next-line", "disable-line", "disable-file", "disabled"]
    rng = random.Random(15)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))
        if rng.random() < 0.8:
            text = rng.choice(openers) + "citelint-" + rng.choice(verbs) + text
        old = _OLD_DIRECTIVE.match(text)
        assert _match_directive(text) == (old and old.group(1, 2, 3)), repr(text)


def test_directive_reading_of_ordinary_directives() -> None:
    assert _match_directive("citelint-disable-next-line CIT103 -- checked") == ("disable-next-line", " CIT103 ", "checked")
    assert _match_directive("<!-- citelint-enable claims -->") == ("enable", " claims", None)
    assert _match_directive("citelint-disable-file") == ("disable-file", "", None)
    assert _match_directive("citelint-disable foo-->") == ("disable", " foo", ">")
    assert _match_directive("citelint-enabled") is None
    assert _match_directive("just a comment") is None


_OLD_DIRECTIVE_LINE = re.compile(r"^\s*<!--.*\bcitelint-.*-->\s*$")


def test_plain_text_directive_lines_agree_with_the_old_pattern() -> None:
    pieces = [" ", "\t", "\r", "\u00a0", "-", "--", "-->", ">", "<!--", "<!-", "a", "é", "citelint-", "citelint",
              "xcitelint-"]
    rng = random.Random(15)
    for _ in range(20_000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert plaintext._is_directive_line(line) == bool(_OLD_DIRECTIVE_LINE.match(line)), repr(line)


def test_plain_text_line_of_many_directive_words_does_not_hang(tmp_path: Path) -> None:
    """Guards against a hang (a quadratic retry per "citelint-"), not a speed target."""
    path = tmp_path / "notes.txt"
    path.write_text("<!-- " + "citelint-" * 20_000 + "\n", encoding="utf-8")
    run = _lint_in_subprocess(path)
    assert run.returncode in (0, 1), run.stderr


# -- 4. unclosed HTML comments -----------------------------------------------------------


@pytest.mark.parametrize("source", ["<!--" * 25_000 + "\n", "Council notes " + "<!--" * 25_000 + "\n"],
                         ids=["html-block", "inline"])
def test_many_unclosed_comments_do_not_hang(tmp_path: Path, source: str) -> None:
    """Guards against a hang (100 KB of "<!--" took 30 s), not a speed target."""
    path = tmp_path / "comments.md"
    path.write_text(source, encoding="utf-8")
    run = _lint_in_subprocess(path)
    assert run.returncode in (0, 1), run.stderr


def test_comment_spans_are_those_of_the_old_pattern() -> None:
    old = re.compile(r"<!--([\s\S]*?)-->")
    pieces = ["<!--", "-->", "<!-->", "-", ">", "<", "!", "a", "\n"]
    rng = random.Random(15)
    for _ in range(5_000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert markdown._comments(raw) == [match.span() for match in old.finditer(raw)], repr(raw)


def test_directives_in_comments_are_still_found() -> None:
    source = "<!-- citelint-disable CIT103 -->\n\nText <!-- citelint-enable --> and <!--<!-- more.\n\n<!--<!--\n"
    document = markdown.read(source, "comments.md")
    assert [directive.text for directive in document.directives] == ["citelint-disable CIT103", "citelint-enable"]
