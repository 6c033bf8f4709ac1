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
    assert data["version"] == 1 and data["format"] == {"markdown": "markdown", "html": "html", "text": "text"}[folder]
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
