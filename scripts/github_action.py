"""The GitHub Action's entry point (``action.yml`` runs it with the Python citelint is installed in).

It lints the articles a pull request changes, or the paths it is given: annotations and the step
summary come from ``citelint --format github``, a SARIF file for code scanning from a second run.
It then tells ``action.yml``, through step outputs, whether the SARIF may be uploaded and with
which exit status to end, so the upload happens before the job fails on findings.

It lives outside the citelint package because it speaks the Actions runner's protocol
(``GITHUB_*`` variables, the output and summary files), not citelint's. Inputs arrive as the
``INPUT_*`` variables ``action.yml`` sets. Run locally with those variables faked, it does the same.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from citelint.document.reading import FORMATS
from citelint.formatters.github import escape_data

CITELINT = [sys.executable, "-m", "citelint"]
#: The action's inputs this script reads, each from the variable ``input_variable`` names.
INPUTS = ("paths", "args", "fail-level", "min-confidence", "upload-sarif", "report")
#: Where the README's example and the error message below point users who check out one commit only.
FULL_HISTORY = "check out with `actions/checkout` and `fetch-depth: 0`, or give the action `paths`"
FORK_NOTICE = ("SARIF not uploaded: a pull request from a fork gets a read-only token. "
               "The annotations and the step summary show every finding.")


class ActionError(Exception):
    """The action cannot work out what to lint; the message says what to change."""


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def changed_articles(base_ref: str) -> list[str]:
    """The articles added, copied, modified or renamed between the base branch and HEAD, as
    GitHub's "Files changed" tab counts them (against the merge base). Deleted files are gone."""
    base = f"origin/{base_ref}"
    diff = _git("diff", "-z", "--name-only", "--diff-filter=ACMR", f"{base}...HEAD")
    if diff.returncode != 0:
        shallow = _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true"
        why = "the checkout has only the latest commit" if shallow else diff.stderr.strip() or "git diff failed"
        raise ActionError(f"cannot list the files this pull request changes against {base} ({why}): {FULL_HISTORY}")
    return [name for name in diff.stdout.split("\0") if name and Path(name).suffix.lower() in FORMATS]


def input_variable(name: str) -> str:
    """Where ``action.yml`` puts an input: ``fail-level`` in ``INPUT_FAIL_LEVEL``."""
    return "INPUT_" + name.upper().replace("-", "_")


def input_value(env: Mapping[str, str], name: str) -> str:
    return env.get(input_variable(name), "").strip()


def split_input(env: Mapping[str, str], name: str) -> list[str]:
    """An input that holds several words, split as a shell would (quotes keep spaces in a name)."""
    try:
        return shlex.split(input_value(env, name))
    except ValueError as error:
        raise ActionError(f"the `{name}` input: {error}") from None


def targets(env: Mapping[str, str]) -> list[str]:
    """What to lint: the ``paths`` input, else a pull request's changed articles, else the repository."""
    given = split_input(env, "paths")
    if given:
        return given
    if env.get("GITHUB_EVENT_NAME", "").startswith("pull_request"):
        base_ref = env.get("GITHUB_BASE_REF", "")
        if not base_ref:
            raise ActionError(f"GITHUB_BASE_REF is not set for a {env['GITHUB_EVENT_NAME']} event: give the action `paths`")
        return changed_articles(base_ref)
    return ["."]


def citelint_options(env: Mapping[str, str]) -> list[str]:
    """The options both runs share: the ``fail-level`` and ``min-confidence`` inputs, then ``args``."""
    options = []
    for name in ("fail-level", "min-confidence"):
        if input_value(env, name):
            options += [f"--{name}", input_value(env, name)]
    return options + split_input(env, "args")


def from_fork(env: Mapping[str, str]) -> bool:
    """Whether the event is a pull request whose head lives in another repository."""
    event_path = env.get("GITHUB_EVENT_PATH", "")
    if not event_path or not env.get("GITHUB_EVENT_NAME", "").startswith("pull_request"):
        return False
    try:
        pull_request = json.loads(Path(event_path).read_text(encoding="utf-8")).get("pull_request")
    except (OSError, ValueError, AttributeError):
        return False
    if not isinstance(pull_request, dict):
        return False
    head_repo = (pull_request.get("head") or {}).get("repo")
    # A fork deleted since the pull request was opened leaves no head repository.
    return head_repo is None or head_repo.get("full_name") != env.get("GITHUB_REPOSITORY")


def count_results(sarif: Path) -> int:
    return sum(len(sarif_run.get("results", [])) for sarif_run in json.loads(sarif.read_text(encoding="utf-8"))["runs"])


def _append(path: str, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


def _notice(message: str, env: Mapping[str, str], level: str = "notice") -> None:
    """A message in the log (as an annotation) and in the step summary."""
    print(f"::{level}::{escape_data(message)}", flush=True)
    _append(env.get("GITHUB_STEP_SUMMARY", ""), f"{message}\n\n")


def write_report(env: Mapping[str, str], paths: list[str]) -> str:
    """The HTML provenance report for editors (``report: true``), or "" when it was not asked for
    or could not be written (a warning then says why; the lint's result stands)."""
    if input_value(env, "report").lower() != "true":
        return ""
    report = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir()) / "citelint-report.html"
    options = ["--min-confidence", input_value(env, "min-confidence")] if input_value(env, "min-confidence") else []
    made = subprocess.run([*CITELINT, "report", "--quiet", "--output", str(report), *options, "--", *paths], check=False)
    if made.returncode != 0:
        _notice(f"citelint could not write the HTML report (exit status {made.returncode}).", env, "warning")
        return ""
    return str(report)


def run(env: Mapping[str, str]) -> dict[str, str]:
    """Lint and return the step outputs: ``exit-code``, ``findings``, ``sarif-file``, ``upload-sarif``,
    ``report-file``."""
    outputs = {"exit-code": "0", "findings": "0", "sarif-file": "", "upload-sarif": "false", "report-file": ""}
    paths = targets(env)
    if not paths:
        _append(env.get("GITHUB_STEP_SUMMARY", ""), "## citelint\n\nThis pull request changes no articles.\n\n")
        print("citelint: this pull request changes no articles", flush=True)
        return outputs
    options = citelint_options(env)
    # Annotations and the step summary; this run's status is the action's.
    status = subprocess.run([*CITELINT, "--format", "github", *options, "--", *paths], check=False).returncode
    outputs["exit-code"] = str(status)
    if status not in (0, 1):
        _notice(f"citelint stopped with exit status {status}: see the message above in the log.", env, "error")
        return outputs
    sarif = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir()) / "citelint.sarif"
    made = subprocess.run([*CITELINT, "--format", "sarif", "--output-file", str(sarif), "--exit-zero", "--quiet",
                           *options, "--", *paths], check=False)
    if made.returncode != 0:
        _notice(f"citelint could not write SARIF (exit status {made.returncode}): nothing to upload.", env, "warning")
        return outputs
    outputs["sarif-file"] = str(sarif)
    outputs["findings"] = str(count_results(sarif))
    outputs["report-file"] = write_report(env, paths)
    if (input_value(env, "upload-sarif") or "true").lower() == "true":
        if from_fork(env):
            _notice(FORK_NOTICE, env)
        else:
            outputs["upload-sarif"] = "true"
    return outputs


def main() -> int:
    env = os.environ
    try:
        outputs = run(env)
    except ActionError as error:  # the step fails here: nothing was linted, so nothing to upload
        _notice(f"citelint: {error}", env, "error")
        return 2
    _append(env.get("GITHUB_OUTPUT", ""), "".join(f"{key}={value}\n" for key, value in outputs.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
