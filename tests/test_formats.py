"""The CI output formats: SARIF for code scanning, GitHub workflow commands, GitLab Code Quality,
--output-file, --exit-zero."""

from __future__ import annotations

import json
import shlex

import jsonschema
import pytest
import yaml

from citelint import resources
from citelint.diagnostics import Diagnostic
from citelint.formatters import FORMATTERS
from citelint.formatters.github import annotation, escape_data, escape_property
from citelint.ruleset import load_rules
from tests.conftest import ROOT, SHARED

SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"

ARTICLE = """# Lantern festival returns

Ticket prices rose by nearly 40% on last year.

The parade starts at the old bridge and ends at the market square.

As many as 2,500 stallholders have left the market since the spring.
"""

ABOVE = """A new paragraph about the weather, added by an editor later in the day.

"""


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository-like folder that is also the working directory, with one article."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "festival.md").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def _sarif(cli, *args: str) -> dict:
    run = cli("--format", "sarif", *args)
    assert run.status in (0, 1), run.err
    return run.json()


def _region(result: dict) -> dict:
    return result["locations"][0]["physicalLocation"]["region"]


def _figure(data: dict, text: str) -> dict:
    for result in data["runs"][0]["results"]:
        if f"'{text}'" in result["message"]["text"]:
            return result
    raise AssertionError(f"no result for {text!r}")


# -- SARIF ------------------------------------------------------------------------------------


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason=f"the official SARIF schema is absent ({SARIF_SCHEMA})")
def test_sarif_validates_against_the_official_schema(cli, repo):
    (repo / "news" / "photo.txt").write_bytes(b"\x89PNG\x00\x00binary")  # a notice without a path
    (repo / ".citelint.yaml").write_text("max-file-size: 1KB\n", encoding="utf-8")
    (repo / "news" / "long.md").write_text(ARTICLE * 20, encoding="utf-8")  # a notice with a path
    data = _sarif(cli, "news", str(repo / "news" / "festival.md"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    notifications = data["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert data["runs"][0]["results"] and len(notifications) == 2
    assert any(n.get("locations") for n in notifications)


def test_sarif_describes_every_rule_and_results_point_at_them(cli, repo):
    data = _sarif(cli, "news")
    run = data["runs"][0]
    assert data["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    rules = load_rules()
    assert driver["name"] == "citelint" and driver["version"] and "informationUri" not in driver
    assert [(r["id"], r["name"]) for r in driver["rules"]] == [(rule.code, rule.name) for rule in rules]
    for described, rule in zip(driver["rules"], rules, strict=True):
        assert described["shortDescription"]["text"] == rule.summary
        assert "helpUri" not in described and rule.docs_path in described["help"]["markdown"]
        assert described["defaultConfiguration"]["level"] == {"info": "note"}.get(rule.level, rule.level)
    assert run["results"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_locations_are_relative_and_exact(cli, repo):
    data = _sarif(cli, str(repo / "news" / "festival.md"))
    result = _figure(data, "nearly 40%")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "news/festival.md", "uriBaseId": "%SRCROOT%"}
    region = _region(result)
    assert ARTICLE[region["charOffset"] : region["charOffset"] + region["charLength"]] == "nearly 40%"
    line = ARTICLE.splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "nearly 40%"
    assert region["endLine"] == region["startLine"] == 3
    assert result["level"] == "warning"


def test_sarif_levels_follow_the_configured_severity(cli, repo):
    (repo / ".citelint.yaml").write_text("rules:\n  unsourced-figure: info\n", encoding="utf-8")
    result = _figure(_sarif(cli, "news"), "nearly 40%")
    assert result["level"] == "note"


def test_sarif_fingerprints_survive_an_edit_above_the_finding(cli, repo):
    path = repo / "news" / "festival.md"
    before = _figure(_sarif(cli, "news"), "As many as 2,500")
    path.write_text(ARTICLE.replace("Ticket prices", ABOVE + "Ticket prices"), encoding="utf-8")
    after = _figure(_sarif(cli, "news"), "As many as 2,500")
    assert _region(after)["startLine"] == _region(before)["startLine"] + 2
    assert after["partialFingerprints"] == before["partialFingerprints"]
    assert len(before["partialFingerprints"]["citelintFingerprint/v1"]) >= 16


def test_sarif_notices_are_tool_notifications(cli, repo):
    (repo / ".citelint.yaml").write_text("exclude: ['drafts/**']\n", encoding="utf-8")
    (repo / "drafts").mkdir()
    (repo / "drafts" / "old.md").write_text(ARTICLE, encoding="utf-8")
    invocation = _sarif(cli, "news", "drafts/old.md")["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert any("left out 1 path (1 excluded by the configuration" in text for text in texts), texts


# -- GitHub workflow commands -------------------------------------------------------------------


def test_escaping_follows_the_actions_runner():
    assert escape_data("50% off\r\nnext: a, b") == "50%25 off%0D%0Anext: a, b"
    assert escape_property("q3:report, v2%.md") == "q3%3Areport%2C v2%25.md"


def _diagnostic(**changes) -> Diagnostic:
    fields = dict(path="news/a.md", code="CIT103", rule="unsourced-figure", severity="warning",
                  message="'10%' has no source:\nlink it", line=3, column=5, end_line=3, end_column=8,
                  offset=40, end_offset=43, fingerprint="abc")
    fields.update(changes)
    return Diagnostic(**fields)


def test_annotation_shape_and_levels():
    assert annotation(_diagnostic()) == (
        "::warning file=news/a.md,line=3,col=5,endLine=3,endColumn=8,title=CIT103 unsourced-figure"
        "::'10%25' has no source:%0Alink it"
    )
    assert annotation(_diagnostic(severity="error")).startswith("::error ")
    assert annotation(_diagnostic(severity="info")).startswith("::notice ")


def test_github_format_through_the_cli(cli, repo):
    odd = repo / "news" / "q3:notes, draft.md"
    odd.write_text(ARTICLE, encoding="utf-8")
    run = cli("--format", "github", "news")
    assert run.status == 1
    lines = run.out.splitlines()
    assert "::warning file=news/festival.md,line=3,col=23,endLine=3,endColumn=33,title=CIT103 unsourced-figure::" \
           "'nearly 40%25'" in "\n".join(lines)
    assert any(line.startswith("::warning file=news/q3%3Anotes%2C draft.md,line=3,") for line in lines)
    assert all(line.startswith(("::warning ", "::error ", "::notice ")) for line in lines)


def test_github_step_summary_is_appended(cli, repo, monkeypatch):
    summary = repo / "summary.md"
    summary.write_text("# Earlier step\n\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    paragraphs = [f"Stall {n} paid £{200 + n} for a pitch near the river." for n in range(60)]
    (repo / "news" / "many.md").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    run = cli("--format", "github", "--min-confidence", "0", "news")  # the count, not the scorer, is tested
    annotations = [line for line in run.out.splitlines() if "unsourced-figure" in line]
    findings = [line for line in run.out.splitlines() if " file=news/" in line and ",line=" in line]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n\n## citelint")
    assert f"| CIT103 | `unsourced-figure` | {len(annotations)} |" in text
    listed = [line for line in text.splitlines() if line.startswith("- `news/")]
    assert len(annotations) > 50 and len(listed) == 50
    assert f"and {len(findings) - 50} more" in text
    assert "- `news/festival.md:3` CIT103 unsourced-figure:" in text
    assert f"Found {len(findings)} problems in 2 of 2 files." in text


def test_github_summary_failure_is_reported_not_raised(cli, repo, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(repo / "missing-folder" / "summary.md"))
    run = cli("--format", "github", "news")
    assert run.status == 1
    assert "::warning::citelint could not write the step summary" in run.out


# -- GitLab Code Quality ---------------------------------------------------------------------------


def _gitlab(cli, *args: str) -> list[dict]:
    run = cli("--format", "gitlab", *args)
    assert run.status in (0, 1), run.err
    issues = json.loads(run.out)
    jsonschema.validate(issues, resources.schema("gitlab-codequality"))
    return issues


def _issue(issues: list[dict], text: str) -> dict:
    return next(issue for issue in issues if f"'{text}'" in issue["description"])


def test_gitlab_schema_is_a_valid_json_schema_that_rejects_what_gitlab_would():
    schema = resources.schema("gitlab-codequality")
    jsonschema.Draft202012Validator.check_schema(schema)
    good = {"description": "d", "check_name": "CIT103", "fingerprint": "f", "severity": "minor",
            "location": {"path": "news/a.md", "lines": {"begin": 3}}}
    jsonschema.validate([good], schema)
    for bad in ({**good, "severity": "warning"}, {**good, "location": {"path": "./news/a.md", "lines": {"begin": 3}}},
                {**good, "location": {"path": "news/a.md"}}, {k: v for k, v in good.items() if k != "fingerprint"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([bad], schema)


def test_gitlab_issues_carry_the_documented_fields(cli, repo):
    (repo / ".citelint.yaml").write_text("rules:\n  vague-attribution: error\n", encoding="utf-8")
    (repo / "news" / "critics.md").write_text("Critics say the levy is unfair.\n", encoding="utf-8")
    issues = _gitlab(cli, str(repo / "news"))
    figure = _issue(issues, "nearly 40%")
    assert figure["check_name"] == "CIT103" and figure["severity"] == "minor"
    assert figure["description"].startswith("CIT103 [unsourced-figure] 'nearly 40%'")
    assert figure["location"]["path"] == "news/festival.md"  # relative to the repository, not as given
    assert figure["location"]["lines"]["begin"] == 3
    assert figure["location"]["positions"]["begin"] == {"line": 3, "column": 23}
    critics = _issue(issues, "Critics say")
    assert critics["severity"] == "major" and critics["location"]["path"] == "news/critics.md"


def test_gitlab_fingerprints_are_unique_and_survive_an_edit_above(cli, repo):
    path = repo / "news" / "festival.md"
    copy = repo / "news" / "copy.md"
    twice = "Fees rose by 40% and then by 40% again.\n"
    path.write_text(ARTICLE + twice, encoding="utf-8")
    copy.write_text(ARTICLE, encoding="utf-8")
    # Every figure candidate, whatever its score: a sentence added above moves the others'
    # positions, which the scorers read, and this test is about fingerprints, not scores.
    every_figure = ("--select", "unsourced-figure", "--min-confidence", "0", "news")
    before = _gitlab(cli, *every_figure)
    fingerprints = [issue["fingerprint"] for issue in before]
    assert len(set(fingerprints)) == len(fingerprints)  # GitLab shows one issue per fingerprint
    path.write_text("The parade route is on page two.\n\n" + ARTICLE + twice, encoding="utf-8")
    after = _gitlab(cli, *every_figure)
    assert sorted(issue["fingerprint"] for issue in after) == sorted(fingerprints)
    moved = _issue([issue for issue in after if issue["location"]["path"] == "news/festival.md"], "nearly 40%")
    assert moved["location"]["lines"]["begin"] == 5


def test_gitlab_report_of_a_clean_run_is_an_empty_list(cli, repo):
    (repo / "clean.md").write_text("The market reopened on Saturday after the repairs.\n", encoding="utf-8")
    assert _gitlab(cli, "clean.md") == []


def test_the_gitlab_ci_example_writes_the_report_its_artifact_names(cli, repo):
    job = yaml.safe_load((ROOT / "examples" / "gitlab-ci.yml").read_text(encoding="utf-8"))["citelint"]
    report = job["artifacts"]["reports"]["codequality"]
    command = next(shlex.split(line) for line in job["script"] if "--format gitlab" in line)
    assert command[0] == "citelint" and command[command.index("--output-file") + 1] == report
    assert cli(*command[1:]).status == 0  # --exit-zero: the report never fails the job; the next line does
    issues = json.loads((repo / report).read_text(encoding="utf-8"))
    jsonschema.validate(issues, resources.schema("gitlab-codequality"))
    assert {issue["location"]["path"] for issue in issues} == {"news/festival.md"}


# -- every format: --output-file, exit statuses ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMATTERS))
def test_output_file_holds_the_report_and_keeps_the_status(cli, repo, name):
    printed = cli("--format", name, "news")
    target = repo / f"report.{name}"
    written = cli("--format", name, "--output-file", str(target), "news")
    assert printed.status == written.status == 1
    assert written.out == ""
    assert target.read_text(encoding="utf-8") == printed.out and printed.out.strip()


def test_output_file_that_cannot_be_written_is_exit_2(cli, repo):
    run = cli("--format", "sarif", "--output-file", str(repo / "no" / "such" / "dir.sarif"), "news")
    assert run.status == 2 and "cannot write" in run.err


def test_exit_zero_hides_findings_but_not_errors(cli, repo):
    assert cli("news").status == 1
    assert cli("--exit-zero", "news").status == 0
    missing = cli("--exit-zero", "news", "nope.md")
    assert missing.status == 2 and "nope.md" in missing.err


def test_formats_handle_an_empty_run(cli, repo):
    (repo / "clean.md").write_text("The market reopened on Saturday after the repairs.\n", encoding="utf-8")
    data = _sarif(cli, "clean.md")
    assert data["runs"][0]["results"] == []
    assert cli("--format", "github", "clean.md").out == ""
    assert cli("--format", "gitlab", "clean.md").out == "[]\n"
