"""Per-file budgets (issue #15): one file that will not finish becomes one finding, and the run goes on.

The hostile file is simulated by a check that never returns (or kills its process) on one
article only; every other article must keep its own findings.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import re

import pytest

from citelint.checks import CHECKS
from citelint.config import Config
from citelint.discovery import Target
from citelint.engine import Linter, lint_targets

VAGUE = "Critics say the council misled residents.\n"


def _hostile(behaviour):
    """The attribution check, but ``behaviour()`` runs first on any article named hostile*."""
    kind = CHECKS["attribution"]

    def run(analysis, options):
        if analysis.document.path.rsplit("/", 1)[-1].startswith("hostile"):
            behaviour()
        return kind.run(analysis, options)

    return dataclasses.replace(kind, run=run)


def _spin():
    while True:
        pass


def _die():
    os._exit(7)


def _backtrack():
    re.match(r"(a*)*b", "a" * 64)  # one C call Python cannot interrupt


def _exhaust():
    raise MemoryError


@pytest.fixture
def articles(tmp_path):
    paths = []
    for name in ["hostile.md", *(f"story-{n}.md" for n in range(9))]:
        (tmp_path / name).write_text(VAGUE, encoding="utf-8")
        paths.append(tmp_path / name)
    return paths


def _findings(reports):
    return {report.path.rsplit("/", 1)[-1]: [d.rule for d in report.diagnostics] for report in reports}


def test_a_file_over_its_time_budget_is_one_finding_and_the_run_goes_on(cli, tmp_path, monkeypatch, articles):
    monkeypatch.setitem(CHECKS, "attribution", _hostile(_spin))
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".citelint.yaml").write_text("max-seconds-per-file: 2\n", encoding="utf-8")
    run = cli("--format", "json", "hostile.md", "story-0.md")
    found = {(d["path"], d["rule"]) for d in run.json()["diagnostics"]}
    assert found == {("hostile.md", "analysis-budget-exceeded"), ("story-0.md", "vague-attribution")}
    message = next(d["message"] for d in run.json()["diagnostics"] if d["path"] == "hostile.md")
    assert "over 2 s" in message and run.status == 1


def test_running_out_of_memory_is_a_budget_finding_not_an_internal_error(monkeypatch, articles):
    monkeypatch.setitem(CHECKS, "attribution", _hostile(_exhaust))
    linter = Linter(Config())
    found = _findings([linter.lint_target(Target(path, explicit=True)) for path in articles[:2]])
    assert found == {"hostile.md": ["analysis-budget-exceeded"], "story-0.md": ["vague-attribution"]}


fork_only = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                               reason="the simulated hostile check reaches workers only when they are forked")


@fork_only
def test_a_worker_killed_on_one_file_is_replaced_and_only_that_file_is_reported(monkeypatch, articles):
    monkeypatch.setitem(CHECKS, "attribution", _hostile(_die))
    linter = Linter(Config(jobs=2))
    reports = lint_targets(linter, [Target(path, explicit=False) for path in articles])
    found = _findings(reports)
    assert found.pop("hostile.md") == ["analysis-budget-exceeded"]
    assert found == {f"story-{n}.md": ["vague-attribution"] for n in range(9)}
    assert [report.path for report in reports] == [path.as_posix() for path in articles]  # order kept


@fork_only
@pytest.mark.slow
def test_a_worker_stuck_where_python_cannot_interrupt_it_is_stopped(monkeypatch, articles):
    monkeypatch.setitem(CHECKS, "attribution", _hostile(_backtrack))
    linter = Linter(Config(jobs=2, max_seconds_per_file=0.2))
    found = _findings(lint_targets(linter, [Target(path, explicit=False) for path in articles]))
    assert found.pop("hostile.md") == ["analysis-budget-exceeded"]
    assert found == {f"story-{n}.md": ["vague-attribution"] for n in range(9)}
