"""Baselines end to end through the command line: write, edit, lint against it, rewrite."""

from __future__ import annotations

import json

import jsonschema
import pytest

from citelint import resources

PRICES = "Ticket prices rose by nearly 40% on last year."
PITCHES = "As many as 2,500 stallholders have left the market since the spring."
ROUTE = "The parade route was extended by 3 kilometres this year."
QUIET = "The parade ends at the market square."


def _article(*paragraphs: str) -> str:
    return "# Festival notes\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository whose configuration reports every figure and nothing else: what is tested is
    the baseline, not where the scorer's confidence puts these findings, nor whether it also finds a
    claim in a sentence with a figure."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news").mkdir()
    (tmp_path / ".citelint.yml").write_text("min-confidence: 0\nselect: [unsourced-figure]\n", encoding="utf-8")
    return tmp_path


def _write(repo, name: str, text: str) -> None:
    (repo / "news" / name).write_text(text, encoding="utf-8")


def _figures(run) -> list[tuple[str, str]]:
    diagnostics = run.json()["diagnostics"]
    return [(d["path"], d["message"].split("'")[1]) for d in diagnostics if d["rule"] == "unsourced-figure"]


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(resources.schema("baseline"))


def test_write_baseline_records_findings_sorted_relative_and_stable(cli, repo):
    _write(repo, "b.md", _article(PITCHES, PRICES))
    _write(repo, "a.md", _article(ROUTE))
    run = cli("--write-baseline", "baseline.json", str(repo / "news"))
    assert run.status == 0 and "recorded 3 findings in baseline.json" in run.out
    first = (repo / "baseline.json").read_bytes()
    data = json.loads(first)
    jsonschema.validate(data, resources.schema("baseline"))
    assert data["version"] == 1 and data["tool"]["name"] == "citelint"
    findings = data["findings"]
    assert [f["path"] for f in findings] == ["news/a.md", "news/b.md", "news/b.md"]
    assert all(set(f) == {"path", "rule", "code", "fingerprint", "message"} for f in findings)
    assert cli("--write-baseline", "baseline.json", "news").status == 0
    assert (repo / "baseline.json").read_bytes() == first


def test_the_baseline_cycle(cli, repo):
    _write(repo, "story.md", _article(PRICES, QUIET, PITCHES))
    assert cli("--write-baseline", ".citelint-baseline.json", "news").status == 0
    assert cli("--baseline", ".citelint-baseline.json", "news").status == 0

    # An editor adds a lead paragraph above the old findings and a new unsourced figure below them.
    _write(repo, "story.md", _article("A new lead paragraph.\n\nAnd a second one, with a line break.", PRICES, QUIET,
                                      PITCHES, ROUTE))
    run = cli("--format", "json", "--baseline", ".citelint-baseline.json", "news")
    assert run.status == 1
    assert _figures(run) == [("news/story.md", "3 kilometres")]
    assert any("2 findings hidden by the baseline" in n["message"] for n in run.json()["notices"])

    # The old figures are fixed; rewriting the baseline drops them.
    _write(repo, "story.md", _article(QUIET, ROUTE))
    assert cli("--write-baseline", ".citelint-baseline.json", "news").status == 0
    recorded = json.loads((repo / ".citelint-baseline.json").read_text(encoding="utf-8"))["findings"]
    assert [f["message"].split("'")[1] for f in recorded] == ["3 kilometres"]


def test_duplicates_are_counted(cli, repo):
    _write(repo, "story.md", _article(PRICES, QUIET, PRICES))
    cli("--write-baseline", "baseline.json", "news")
    recorded = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert len(recorded) == 2 and recorded[0]["fingerprint"] == recorded[1]["fingerprint"]
    _write(repo, "story.md", _article(PRICES, QUIET, PRICES, PRICES))
    run = cli("--format", "json", "--baseline", "baseline.json", "news")
    assert run.status == 1 and _figures(run) == [("news/story.md", "nearly 40%")]


def test_a_baseline_is_per_file(cli, repo):
    _write(repo, "a.md", _article(PRICES))
    cli("--write-baseline", "baseline.json", "news")
    _write(repo, "b.md", _article(PRICES))
    run = cli("--format", "json", "--baseline", "baseline.json", "news")
    assert _figures(run) == [("news/b.md", "nearly 40%")]


def test_writing_ignores_the_old_baseline_and_exits_zero(cli, repo):
    _write(repo, "story.md", _article(PRICES))
    cli("--write-baseline", "baseline.json", "news")
    _write(repo, "story.md", _article(PRICES, ROUTE))
    run = cli("--baseline", "baseline.json", "--write-baseline", "baseline.json", "news")
    assert run.status == 0
    assert len(json.loads((repo / "baseline.json").read_text(encoding="utf-8"))["findings"]) == 2


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "no such baseline file"),
        ("{not json", "invalid JSON at line 1"),
        ('{"version": 2, "findings": []}', "version"),
        ('{"version": 1, "findings": [{"path": "a.md"}]}', "findings/0"),
        ("[]", "not a citelint baseline"),
    ],
)
def test_a_missing_or_invalid_baseline_is_a_clear_error(cli, repo, content, expected):
    _write(repo, "story.md", _article(PRICES))
    if content is not None:
        (repo / "baseline.json").write_text(content, encoding="utf-8")
    run = cli("--baseline", "baseline.json", "news")
    assert run.status == 2 and run.out == ""
    assert run.err.startswith("citelint: error: baseline.json: ") and expected in run.err
    assert "Traceback" not in run.err


def test_an_unwritable_baseline_is_exit_2(cli, repo):
    _write(repo, "story.md", _article(PRICES))
    run = cli("--write-baseline", str(repo / "missing" / "baseline.json"), "news")
    assert run.status == 2 and "cannot write the baseline" in run.err
