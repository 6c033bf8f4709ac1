"""Shared test helpers: the corpora beside the checkout, running the CLI in-process."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "corpora" / "seed" / "seed-article.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

needs_shared = pytest.mark.skipif(
    not SEED.is_file(), reason="../shared (the corpora beside the checkout) is absent; CI always has it"
)


@pytest.fixture(autouse=True, scope="session")
def _private_cache_folder(tmp_path_factory):
    """citelint keeps derived data in the user cache folder; under test, in a temporary one."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


class Run:
    def __init__(self, status: int, out: str, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    def json(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def cli(monkeypatch):
    """Run ``citelint`` in-process and capture its streams and exit status."""
    from citelint.cli import main

    def run(*args: str, stdin: bytes = b"") -> Run:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        status = main(list(args))
        return Run(status, out.getvalue(), err.getvalue())

    return run


def lint_example(rule, text: str, fmt: str, options: dict | None = None):
    """Lint ``text`` with only ``rule`` selected and ``options`` given to it as `rules: NAME: options:`
    in a configuration would be (merged over the defaults and validated the same way). Link-state
    rules see simulated link results (the network itself is tested in test_links_*)."""
    from citelint.checks import CHECKS
    from citelint.config import Config
    from citelint.document import parse
    from citelint.engine import Linter

    results = None
    if CHECKS[rule.check].network:
        simulated = {link.url: _simulated_link(link.url) for link in parse(text, "example", fmt).links}
        results = {url: result for url, result in simulated.items() if result is not None}
    suffix = {"markdown": ".md", "html": ".html", "text": ".txt"}[fmt]
    # Examples show what the rule's strategies decide; the scorer's confidence filter is
    # measured by benchmarks/train_verdicts.py, not here.
    config = Config(select=(rule.code,), min_confidence=0.0,
                    rules={rule.code: {"options": options or {}}})
    report = Linter(config, link_results=results).lint_text(text, "example" + suffix, fmt)
    crashes = [d.message for d in report.diagnostics if d.rule == "internal-error"]
    assert not crashes, crashes
    return [d for d in report.diagnostics if d.code == rule.code]


def _simulated_link(url: str):
    """An example link is in the state its host names, so one example can mix states:
    https://dead.invalid/… is dead, https://unarchived.invalid/… answers but has no archived
    copy; a link to any other host was not checked."""
    from citelint.links import STATES, LinkResult

    state = (urlsplit(url).hostname or "").split(".")[0]
    if state == "unarchived":
        return LinkResult(url, "ok", 200, None, (), "simulated", False, None, False, archive_checked=True)
    if state in STATES:
        return LinkResult(url, state, None, None, (), f"simulated {state}", False, None, False)
    return None


#: Snapshot files that ``--update-snapshots`` wrote in this run (tests/test_snapshots.py).
SNAPSHOTS_WRITTEN = pytest.StashKey[list]()


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true",
                     help="rewrite the fixtures' .expected files from citelint's output instead of comparing")


def pytest_terminal_summary(terminalreporter, config):
    if config.getoption("update_snapshots"):
        written = config.stash.get(SNAPSHOTS_WRITTEN, [])
        terminalreporter.write_sep("-", f"--update-snapshots: {len(written)} snapshot file(s) written")
        for name in written:
            terminalreporter.write_line(name)
