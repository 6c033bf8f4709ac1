"""`citelint inspect`: the analyses behind the findings, for every format."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES

ARTICLE = (
    "Analysts fear that as many as 3,000 jobs will go, according to "
    "[the Harbour Trust](https://harbour.example/report).\n"
)


@pytest.mark.parametrize("folder", ["markdown", "html", "text"])
def test_inspect_json_spans_point_into_the_file(cli, folder):
    path = sorted((FIXTURES / folder).iterdir())[0]
    source = path.read_text(encoding="utf-8")
    run = cli("inspect", "--format", "json", str(path))
    assert run.status == 0
    data = run.json()
    assert data["version"] == 2 and data["format"] == {"markdown": "markdown", "html": "html", "text": "text"}[folder]
    assert data["sentences"] and data["attributions"]
    spans = [s for s in data["sentences"]]
    spans += [a[key] for a in data["attributions"] for key in ("cue", "source", "content") if a[key]]
    spans += data["figures"] + data["sources"]
    for span in spans:
        assert 0 <= span["offset"] < span["end_offset"] <= len(source)
    for attribution in data["attributions"]:
        assert attribution["source_kind"] in ("named", "vague", "anonymous", "none")


def test_inspect_explains_an_attribution(cli, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(ARTICLE, encoding="utf-8")
    data = cli("inspect", "--format", "json", str(path)).json()
    kinds = {a["cue"]["text"]: a["source_kind"] for a in data["attributions"]}
    assert kinds.get("fear") == "vague"
    assert [f["text"] for f in data["figures"]] == ["as many as 3,000"]
    assert data["links"][0]["url"] == "https://harbour.example/report"
    text = cli("inspect", str(path)).out
    assert "attribution: vague source «Analysts» cue «fear»" in text


def test_inspect_of_a_missing_file_is_exit_2(cli, tmp_path):
    assert cli("inspect", str(tmp_path / "none.md")).status == 2


def test_config_sources_extend_the_registry(cli, tmp_path):
    (tmp_path / ".citelint.yaml").write_text(
        "sources:\n  - id: harbour-trust\n    name: Harbour Trust\n    kind: ngo\n    domains: [harbour.example]\n",
        encoding="utf-8",
    )
    path = tmp_path / "b.md"
    path.write_text("The Harbour Trust said the quay would close.\n", encoding="utf-8")
    data = cli("--format", "json", str(path)).json()
    (finding,) = [d for d in data["diagnostics"] if d["rule"] == "unlinked-source"]
    assert "harbour.example" in finding["message"]


FIXTURE_FILES = sorted(
    path for folder in ("markdown", "html", "text") for path in (FIXTURES / folder).iterdir() if path.suffix != ".expected"
)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.name)
def test_inspect_shows_the_verdict_behind_every_finding_lint_reports(cli, path):
    """Lint and inspect run one analysis: every finding lint reports is in inspect's list,
    with the reason and confidence of the verdict that produced it, and nothing more."""
    linted = cli("--format", "json", str(path)).json()["diagnostics"]
    inspected = cli("inspect", "--format", "json", str(path)).json()
    assert [(d["rule"], d["offset"], d["end_offset"], d["confidence"], d["reason"]) for d in linted] == [
        (f["rule"], f["offset"], f["end_offset"], f["confidence"], f["reason"]) for f in inspected["findings"]
    ]
    subjects = {"vague-attribution": "attributions", "unsourced-figure": "figures", "unlinked-source": "sources",
                "unattributed-claim": "sentences"}
    for finding in inspected["findings"]:
        if finding["rule"] not in subjects:
            continue
        items = inspected[subjects[finding["rule"]]]
        verdicts = [item["verdict"] for item in items if item["verdict"] and item["verdict"]["reason"] == finding["reason"]
                    and item["verdict"]["confidence"] == finding["confidence"]]
        assert verdicts, f"no verdict behind {finding}"


def test_inspect_text_names_the_strategy_and_confidence(cli, tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Analysts fear that the harbour will close before the summer.\n", encoding="utf-8")
    text = cli("inspect", str(path)).out
    assert "=> vague (unnamed-source, confidence" in text
    assert "FINDING CIT102 [vague-attribution]" in text
