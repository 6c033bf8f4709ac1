"""Shared test helpers: the corpora beside the checkout, running the CLI in-process."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

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


def lint_example(rule, text: str, fmt: str):
    """Lint ``text`` with only ``rule`` selected. For link-state rules every cited URL is
    given the state the rule reports (the network itself is tested in test_links_*)."""
    from citelint.checks import CHECKS
    from citelint.config import Config
    from citelint.document import parse
    from citelint.engine import Linter
    from citelint.links import LinkResult

    results = None
    if CHECKS[rule.check].network:
        state = rule.options["states"][0]
        unarchived = state == "unarchived"
        results = {
            link.url: LinkResult(link.url, "ok" if unarchived else state, 404, None, (), f"simulated {state}",
                                 False, None, False, archive_checked=unarchived)
            for link in parse(text, "example", fmt).links
        }
    suffix = {"markdown": ".md", "html": ".html", "text": ".txt"}[fmt]
    # Examples show what the rule's strategies decide; the scorer's confidence filter is
    # measured by benchmarks/train_verdicts.py, not here.
    linter = Linter(Config(root=Path.cwd(), select=(rule.code,), min_confidence=0.0), link_results=results)
    report = linter.lint_text(text, "example" + suffix, fmt)
    crashes = [d.message for d in report.diagnostics if d.rule == "internal-error"]
    assert not crashes, crashes
    return [d for d in report.diagnostics if d.code == rule.code]
