"""The GitHub Action: its entry script run as the runner would run it (GITHUB_* variables faked, a
temporary repository with a pull request in it), and action.yml wired to that script."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from citelint import __version__
from tests.conftest import ROOT
from tests.gitrepo import clean_env, commit_all, git, run, snapshot_checkout, write

SCRIPT = ROOT / "scripts" / "github_action.py"
ACTION = ROOT / "action.yml"
BAD = "# Festival notes\n\nTicket prices rose by nearly 40% on last year.\n"
CLEAN = "# Festival notes\n\nThe parade ends at the market square.\n"
BAD_HTML = "<h1>Festival notes</h1>\n<p>Ticket prices rose by nearly 40% on last year.</p>\n"
REPOSITORY = "newsroom/site"


@dataclass
class ActionRun:
    status: int
    log: str
    outputs: dict[str, str]
    summary: str

    def sarif_paths(self) -> set[str]:
        sarif = json.loads(Path(self.outputs["sarif-file"]).read_text(encoding="utf-8"))
        return {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for run in sarif["runs"] for result in run["results"]}


def run_action(repo: Path, event: str = "pull_request", head_repository: str = REPOSITORY, **inputs: str) -> ActionRun:
    """Run the entry script in ``repo`` as the runner does, with action inputs as keyword arguments."""
    runner = repo.parent / f"runner-{len(list(repo.parent.glob('runner-*')))}"
    runner.mkdir()
    event_file = runner / "event.json"
    event_file.write_text(json.dumps({"pull_request": {"head": {"repo": {"full_name": head_repository}}}}), "utf-8")
    env = {
        **clean_env(),
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(event_file),
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        "GITHUB_OUTPUT": str(runner / "output"),
        "RUNNER_TEMP": str(runner),
        **({"GITHUB_BASE_REF": "main"} if event.startswith("pull_request") else {}),
        **{"INPUT_" + name.upper(): value for name, value in inputs.items()},
    }
    done = subprocess.run([sys.executable, str(SCRIPT)], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    written = (runner / "output").read_text("utf-8") if (runner / "output").exists() else ""
    outputs = dict(line.split("=", 1) for line in written.splitlines())
    summary = (runner / "summary.md").read_text("utf-8") if (runner / "summary.md").exists() else ""
    return ActionRun(done.returncode, done.stdout + done.stderr, outputs, summary)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A pull request (branch feature) that adds two articles and a script, edits one article and
    deletes another; main (origin/main) has moved on since, editing old.md."""
    repo = tmp_path / "site"
    write(repo, {"old.md": CLEAN, "edited.html": "<p>The parade ends at the market square.</p>\n", "gone.md": BAD})
    commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"news/festival.md": BAD, "news/notes.txt": CLEAN, "build.py": "print('40%')\n",
                 "edited.html": BAD_HTML})
    (repo / "gone.md").unlink()
    commit_all(repo, "the pull request")
    git(repo, "checkout", "-q", "main")
    write(repo, {"old.md": BAD})
    commit_all(repo, "main moves on")
    git(repo, "update-ref", "refs/remotes/origin/main", "main")
    git(repo, "checkout", "-q", "feature")
    return repo


def test_a_pull_request_lints_only_the_articles_it_changes(repo):
    done = run_action(repo)
    assert done.status == 0, done.log
    assert done.outputs["exit-code"] == "1" and done.outputs["upload-sarif"] == "true"
    assert done.sarif_paths() == {"news/festival.md", "edited.html"}
    assert done.outputs["findings"] == "2"
    assert "::warning file=news/festival.md,line=3," in done.log and "old.md" not in done.log
    assert "| CIT103 | `unsourced-figure` | 2 |" in done.summary


def test_a_pull_request_that_changes_no_article_lints_nothing(repo):
    git(repo, "checkout", "-q", "-b", "tooling", "main")
    write(repo, {"build.py": "print('tooling')\n"})
    commit_all(repo, "tooling only")
    done = run_action(repo)
    assert done.status == 0, done.log
    assert done.outputs == {"exit-code": "0", "findings": "0", "sarif-file": "", "upload-sarif": "false",
                            "report-file": ""}
    assert "changes no articles" in done.summary


def test_the_paths_input_replaces_the_changed_files(repo):
    done = run_action(repo, paths="old.md 'news/notes.txt'")
    assert done.sarif_paths() == set()  # old.md is clean on this branch; notes.txt too
    assert done.outputs["exit-code"] == "0"
    git(repo, "checkout", "-q", "main")
    assert run_action(repo, paths="old.md").sarif_paths() == {"old.md"}


def test_other_events_lint_the_whole_repository(repo):
    git(repo, "checkout", "-q", "main")
    done = run_action(repo, event="push")
    assert done.sarif_paths() == {"old.md", "gone.md"}


def test_fail_level_min_confidence_and_args_reach_citelint(repo):
    assert run_action(repo, fail_level="error").outputs["exit-code"] == "0"
    assert run_action(repo, min_confidence="1").outputs["findings"] == "0"
    ignored = run_action(repo, args="--ignore unsourced-figure").outputs
    assert ignored["exit-code"] == "0" and ignored["findings"] == "0"


def test_a_pull_request_from_a_fork_skips_the_upload_with_a_notice(repo):
    done = run_action(repo, head_repository="someone/site")
    assert done.outputs["upload-sarif"] == "false" and done.outputs["exit-code"] == "1"
    assert done.outputs["sarif-file"]  # still made, for an artifact
    assert "::notice::SARIF not uploaded: a pull request from a fork" in done.log
    assert "SARIF not uploaded" in done.summary


def test_upload_sarif_false_turns_the_upload_off(repo):
    done = run_action(repo, upload_sarif="false")
    assert done.outputs["upload-sarif"] == "false" and "SARIF not uploaded" not in done.log


def test_a_citelint_error_is_the_exit_status_and_nothing_is_uploaded(repo):
    done = run_action(repo, fail_level="sometimes")
    assert done.status == 0, done.log
    assert done.outputs["exit-code"] == "2" and done.outputs["upload-sarif"] == "false"
    assert "--fail-level" in done.log and "stopped with exit status 2" in done.summary


def test_a_shallow_checkout_fails_with_what_to_change(repo, tmp_path):
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", repo.as_uri(), str(shallow))
    git(shallow, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    done = run_action(shallow)
    assert done.status == 2
    assert "::error::" in done.log and "the checkout has only the latest commit" in done.log
    assert "fetch-depth: 0" in done.log and "fetch-depth: 0" in done.summary
    assert done.outputs == {}


def test_an_unbalanced_quote_in_an_input_is_a_clear_error(repo):
    done = run_action(repo, args="--ignore 'unsourced-figure")
    assert done.status == 2 and "::error::citelint: the `args` input: No closing quotation" in done.log
    assert "Traceback" not in done.log


def _entry_script():
    spec = importlib.util.spec_from_file_location("github_action", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _steps() -> dict[str, dict]:
    return {step.get("id", step["name"]): step for step in yaml.safe_load(ACTION.read_text("utf-8"))["runs"]["steps"]}


def test_the_report_input_writes_the_html_report_for_the_upload(repo):
    done = run_action(repo, report="true")
    assert done.status == 0, done.log
    page = Path(done.outputs["report-file"]).read_text("utf-8")
    assert "festival.md" in page and "old.md" not in page
    assert run_action(repo).outputs["report-file"] == ""  # off unless asked for
    steps = _steps()
    assert steps["report"]["uses"].startswith("actions/upload-artifact@")
    assert steps["report"]["if"] == "steps.lint.outputs.report-file != ''"
    order = list(steps)
    assert order.index("lint") < order.index("report") < order.index("Fail on findings")


def test_action_yml_passes_every_input_the_script_reads():
    action = yaml.safe_load(ACTION.read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    lint = _steps()["lint"]
    assert lint["run"] == '"$CITELINT_PYTHON" "$GITHUB_ACTION_PATH/scripts/github_action.py"'
    passed = {name: value for name, value in lint["env"].items() if name.startswith("INPUT_")}
    entry = _entry_script()
    assert passed == {entry.input_variable(name): "${{ inputs." + name + " }}" for name in entry.INPUTS}
    assert set(action["inputs"]) == {"paths", "args", "fail-level", "min-confidence", "upload-sarif", "report",
                                     "python-version"}
    assert set(action["outputs"]) == {"exit-code", "findings", "sarif-file", "report-file"}


def test_action_yml_uploads_only_when_allowed_and_fails_after_the_upload():
    steps = _steps()
    order = list(steps)
    upload = steps["upload"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["if"] == "steps.lint.outputs.upload-sarif == 'true'" and upload["continue-on-error"] is True
    assert steps["Report a refused upload"]["if"] == "steps.upload.outcome == 'failure'"
    assert order.index("lint") < order.index("upload") < order.index("Fail on findings")
    assert 'pip install' in steps["install"]["run"] and '"$GITHUB_ACTION_PATH"' in steps["install"]["run"]
    assert steps["python"]["with"]["update-environment"] is False  # the workflow keeps its own python


def test_the_github_actions_example_uses_this_release_of_the_action():
    workflow = yaml.safe_load((ROOT / "examples" / "github-actions.yml").read_text("utf-8"))
    uses = [step.get("uses", "") for step in workflow["jobs"]["citelint"]["steps"]]
    assert f"OWNER/citelint@v{__version__}" in uses
    assert workflow["permissions"]["security-events"] == "write"


def _bash_step(step: dict, env: dict[str, str], cwd: Path, values: dict[str, str]) -> subprocess.CompletedProcess:
    """A composite step's ``run`` as the runner runs it: bash, with the step's env, whose
    expressions are filled in from ``values`` and the inputs' defaults."""
    action = yaml.safe_load(ACTION.read_text("utf-8"))
    known = {**{f"inputs.{name}": spec.get("default", "") for name, spec in action["inputs"].items()}, **values}
    step_env = {name: re.sub(r"\$\{\{ ([\w.-]+) \}\}", lambda m: known[m[1]], value)
                for name, value in step.get("env", {}).items()}
    return run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd, {**env, **step_env})


@pytest.mark.slow
def test_install_and_lint_steps_run_from_the_actions_own_checkout(repo, tmp_path):
    """The install step builds citelint from the action's folder into a virtual environment of its
    own; the lint step then runs the entry script with that Python."""
    action_path = snapshot_checkout(tmp_path / "action")
    runner = tmp_path / "runner"
    runner.mkdir()
    env = {**clean_env(), "GITHUB_ACTION_PATH": str(action_path), "RUNNER_TEMP": str(runner),
           "GITHUB_OUTPUT": str(runner / "install-output"), "GITHUB_EVENT_NAME": "push",
           "GITHUB_STEP_SUMMARY": str(runner / "summary.md")}
    steps = _steps()
    installed = _bash_step(steps["install"], env, repo, {"steps.python.outputs.python-path": sys.executable})
    assert installed.returncode == 0, installed.stdout + installed.stderr
    python = (runner / "install-output").read_text("utf-8").strip().removeprefix("python=")
    assert Path(python).is_file() and str(runner) in python
    env["GITHUB_OUTPUT"] = str(runner / "lint-output")
    linted = _bash_step(steps["lint"], env, repo, {"steps.install.outputs.python": python})
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "exit-code=1\n" in (runner / "lint-output").read_text("utf-8")
    assert "::warning file=news/festival.md" in linted.stdout
