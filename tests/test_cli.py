"""The command line end to end: formats, exit statuses, configuration, bad input."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import jsonschema
import pytest

from citelint import resources

ARTICLE = """# Council approves the river plan

The council approved the plan on Monday. Residents fear the new levy will double their bills,
and as many as 4,000 households could be affected.

The Harbour Trust said in a statement that the plan was overdue.
"""


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "story.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_text_output_has_exact_positions(cli, article):
    run = cli(str(article))
    assert run.status == 1
    lines = [line for line in run.out.splitlines() if " CIT103 [warning] " in line]
    assert lines, run.out
    path, line, column = lines[0].split(":")[:3]
    assert (line, column) == ("4", "5")
    assert ARTICLE.splitlines()[3][4:].startswith("as many as 4,000")


def test_json_output_validates_and_offsets_match_the_file(cli, article):
    run = cli("--format", "json", str(article))
    data = run.json()
    jsonschema.validate(data, resources.schema("output"))
    source = article.read_text(encoding="utf-8")
    figure = next(d for d in data["diagnostics"] if d["rule"] == "unsourced-figure")
    assert source[figure["offset"] : figure["end_offset"]] == "as many as 4,000"
    assert data["files"] == 1 and data["version"] == 1


def test_exit_status_follows_the_fail_level_not_the_count(cli, article):
    assert cli("--fail-level", "error", str(article)).status == 0
    assert cli("--select", "unsourced-figure", str(article)).status == 1
    assert cli("--ignore", "claims,citations", str(article)).status == 0


def test_a_missing_path_is_exit_2_and_other_files_are_still_linted(cli, article, tmp_path):
    run = cli(str(article), str(tmp_path / "nope.md"))
    assert run.status == 2
    assert "nope.md: no such file" in run.err
    assert "story.md" in run.out


def test_unknown_rule_and_config_key_are_errors_with_suggestions(cli, article, tmp_path):
    run = cli("--select", "unsourced-figur", str(article))
    assert run.status == 2 and "did you mean 'unsourced-figure'" in run.err
    (tmp_path / ".citelint.yaml").write_text("fial-level: error\n", encoding="utf-8")
    run = cli(str(article))
    assert run.status == 2 and "unknown key 'fial-level'" in run.err and "fail-level" in run.err


def test_config_file_levels_and_per_path_overrides(cli, tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".citelint.yaml").write_text(
        "rules:\n  unsourced-figure: error\noverrides:\n  - files: ['drafts/**']\n    ignore: [unsourced-figure]\n",
        encoding="utf-8",
    )
    data = cli("--format", "json", str(tmp_path)).json()
    figures = [d for d in data["diagnostics"] if d["rule"] == "unsourced-figure"]
    assert [Path(d["path"]).name for d in figures] == ["b.md"]
    assert figures[0]["severity"] == "error"


def test_pyproject_config_is_found_by_walking_up(cli, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.citelint]\nselect = ['unsourced-figure']\n", encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "s.md").write_text(ARTICLE, encoding="utf-8")
    data = cli("--format", "json", str(nested / "s.md")).json()
    assert {d["rule"] for d in data["diagnostics"]} == {"unsourced-figure"}


def test_excludes_apply_to_files_named_on_the_command_line(cli, tmp_path):
    (tmp_path / ".citelint.yaml").write_text("exclude: ['archive/**']\n", encoding="utf-8")
    (tmp_path / "archive").mkdir()
    named = tmp_path / "archive" / "old.md"
    named.write_text(ARTICLE, encoding="utf-8")
    run = cli("--format", "json", str(named))
    assert run.status == 0 and run.json()["files"] == 0


def test_stdin_with_a_filename(cli):
    run = cli("--format", "json", "--stdin-filename", "piped.md", "-", stdin=ARTICLE.encode())
    data = run.json()
    assert {d["path"] for d in data["diagnostics"]} == {"piped.md"}


def test_a_path_named_like_a_subcommand_is_linted_with_dot_slash(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rule").mkdir()
    (tmp_path / "rule" / "x.md").write_text(ARTICLE, encoding="utf-8")
    assert cli("./rule").status == 1
    assert "unsourced-figure" in cli("rule").out


def test_rule_subcommand_lists_and_explains(cli):
    listing = cli("rule")
    assert listing.status == 0 and "CIT103" in listing.out and "unlinked-source" in listing.out
    explained = cli("rule", "unsourced-figure")
    assert "Flagged" in explained.out and "Not flagged" in explained.out
    assert cli("rule", "nosuchrule").status == 2


def test_statistics_and_quiet(cli, article):
    run = cli("--statistics", str(article))
    assert "  CIT103 [unsourced-figure]" in run.out
    quiet = cli("--quiet", str(article))
    assert "Found" not in quiet.out and quiet.out.strip()


def test_output_file_never_overwrites_an_article(cli, article):
    before = article.read_bytes()
    run = cli("--output-file", str(article), str(article))
    assert run.status == 2 and "one of the files being linted" in run.err
    assert article.read_bytes() == before


def test_output_file_keeps_the_exit_status(cli, article, tmp_path):
    target = tmp_path / "report.json"
    run = cli("--format", "json", "--output-file", str(target), str(article))
    assert run.status == 1 and run.out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["diagnostics"]


# -- bad input never crashes, never loses anything -------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_invalid_utf8_is_a_finding_not_a_crash(cli, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"Fine line\nbroken \xff\xfe byte\n")
    before = _digest(bad)
    run = cli("--format", "json", str(bad))
    assert run.status == 1
    (diagnostic,) = run.json()["diagnostics"]
    assert diagnostic["rule"] == "unreadable-file" and "line 2" in diagnostic["message"]
    assert _digest(bad) == before


def test_utf16_with_bom_is_read(cli, tmp_path):
    path = tmp_path / "u16.md"
    path.write_bytes(ARTICLE.encode("utf-16"))
    data = cli("--format", "json", str(path)).json()
    figure = next(d for d in data["diagnostics"] if d["rule"] == "unsourced-figure")
    assert (figure["line"], figure["column"]) == (4, 5)


def test_binary_files_are_skipped_when_walking_and_reported_when_named(cli, tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01binary")
    walked = cli("--format", "json", str(tmp_path))
    assert walked.status == 0 and any("binary" in n["message"] for n in walked.json()["notices"])
    named = cli("--format", "json", str(binary))
    assert named.status == 1 and named.json()["diagnostics"][0]["rule"] == "unreadable-file"


def test_empty_file(cli, tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    assert cli(str(empty)).status == 0


def test_large_file_is_skipped_with_a_notice(cli, tmp_path):
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as handle:
        line = "The committee met again and the minutes were read aloud to the members.\n"
        handle.write(line * (50_000_000 // len(line) + 1))
    run = cli("--format", "json", str(big))
    assert run.status == 0
    assert any("max-file-size" in notice["message"] for notice in run.json()["notices"])


def test_unreadable_file_is_a_finding(cli, tmp_path, monkeypatch):
    path = tmp_path / "locked.md"
    path.write_text(ARTICLE, encoding="utf-8")
    original = os.open

    def deny(name, *args, **kwargs):  # as opening a file without read permission fails (even as root)
        if Path(name).name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return original(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    run = cli("--format", "json", str(path))
    assert run.status == 1 and "Permission denied" in run.json()["diagnostics"][0]["message"]


def test_unreadable_folder_is_a_notice(cli, tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "ok.md").write_text("Plain text.\n", encoding="utf-8")
    original = os.scandir

    def deny(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(os, "scandir", deny)
    run = cli("--format", "json", str(tmp_path))
    assert run.status == 0
    assert any("Permission denied" in n["message"] for n in run.json()["notices"])


def test_symlink_loop_is_walked_once(cli, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "s.md").write_text("Plain text.\n", encoding="utf-8")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "self.md").symlink_to(tmp_path / "self.md")
    run = cli("--format", "json", str(tmp_path))
    assert run.status in (0, 1)
    data = run.json()
    assert data["files"] <= 2


def test_malformed_front_matter_is_reported_at_its_line(cli, tmp_path):
    path = tmp_path / "fm.md"
    path.write_text("---\ntitle: [unclosed\nauthor: x\n---\n\nBody text here.\n", encoding="utf-8")
    run = cli("--format", "json", str(path))
    problems = [d for d in run.json()["diagnostics"] if d["rule"] == "malformed-input"]
    assert problems and 1 <= problems[0]["line"] <= 4


def test_unclosed_html_and_deep_markdown_do_not_crash(cli, tmp_path):
    (tmp_path / "u.html").write_text("<html><body><p>Officials said <b>so<div><p>more", encoding="utf-8")
    (tmp_path / "deep.md").write_text(">" * 20_000 + " quoted\n" + "[" * 20_000, encoding="utf-8")
    run = cli("--format", "json", str(tmp_path))
    assert run.status in (0, 1)
    assert not [d for d in run.json()["diagnostics"] if d["rule"] == "internal-error"]
