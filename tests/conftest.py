"""Shared test helpers: the corpora beside the checkout, running the CLI in-process."""

from __future__ import annotations

import io
import json
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
