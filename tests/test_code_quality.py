"""The type checker and the style checker stay clean (both come with the test extras)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_tool(module: str, *args: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[test]' installs it)")
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{module} {' '.join(args)} failed:\n{result.stdout}{result.stderr}"


def test_mypy_is_clean() -> None:
    # Files and settings come from [tool.mypy] in pyproject.toml.
    _run_tool("mypy")


def test_ruff_is_clean() -> None:
    _run_tool("ruff", "check", "citelint", "tests", "benchmarks", "scripts")
