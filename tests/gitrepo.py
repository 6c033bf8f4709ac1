"""Temporary git repositories for the tests that run git, pre-commit or the GitHub Action's
script, isolated from any repository, hook or runner that runs the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

GIT_IDENTITY = ("-c", "user.name=citelint tests", "-c", "user.email=tests@example.invalid",
                "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false")
#: What a CI runner or a git hook sets and a test must not inherit.
FOREIGN_PREFIXES = ("GIT_", "PRE_COMMIT", "GITHUB_", "INPUT_", "RUNNER_")


def clean_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith(FOREIGN_PREFIXES)}


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env or clean_env(), capture_output=True, text=True, timeout=600)


def git(cwd: Path, *args: str) -> str:
    done = run(["git", *GIT_IDENTITY, *args], cwd)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def commit_all(folder: Path, message: str = "snapshot") -> None:
    """Commit everything in ``folder``, making it a repository (branch main) first if it is not one."""
    if not (folder / ".git").exists():
        git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "--allow-empty", "-m", message)


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def snapshot_checkout(target: Path) -> Path:
    """Copy this checkout's files as git lists them (tracked and untracked, minus ignored; no
    tests or benchmarks) into ``target``: exactly the working tree, without touching its git state."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    if listed.returncode != 0:
        pytest.skip("this checkout is not a git repository")
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file() and not name.startswith(("tests/", "benchmarks/")):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target
