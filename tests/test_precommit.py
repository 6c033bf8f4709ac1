"""The pre-commit hook, run by the real ``pre-commit try-repo`` against this checkout.

``try-repo`` installs the hook repository at a commit: HEAD plus tracked changes, but not
new untracked files. So the test snapshots the checkout's files as git lists them
(tracked and untracked, minus ignored) into a temporary repository and commits that, which
tests exactly the working tree without touching this checkout's git state.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed (see the test extra)"),
]

BAD = "# Festival notes\n\nTicket prices rose by nearly 40% on last year.\n"
CLEAN = "# Festival notes\n\nThe parade ends at the market square.\n"
GIT_IDENTITY = ("-c", "user.name=citelint tests", "-c", "user.email=tests@example.invalid",
                "-c", "commit.gpgsign=false")


def _git_env() -> dict[str, str]:
    """Git and pre-commit isolated from any hook or repository that runs these tests."""
    return {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env or _git_env(), capture_output=True, text=True, timeout=300)


def _commit_all(folder: Path) -> None:
    for args in (["git", "init", "-q"], ["git", "add", "-A"], ["git", *GIT_IDENTITY, "commit", "-q", "-m", "snapshot"]):
        done = _run(args, folder)
        assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    if listed.returncode != 0:
        pytest.skip("this checkout is not a git repository, which pre-commit needs")
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file() and not name.startswith(("tests/", "benchmarks/")):
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    _commit_all(snapshot)
    return snapshot


@pytest.fixture(scope="module")
def try_repo(hook_repo, tmp_path_factory):
    """Run ``pre-commit try-repo <hook repo> citelint --all-files`` in a repository of articles."""
    env = {**_git_env(), "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}

    def run(articles: dict[str, str], config: str | None = None) -> subprocess.CompletedProcess:
        work = tmp_path_factory.mktemp("articles")
        for name, text in articles.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_text(text, encoding="utf-8")
        if config is not None:
            (work / ".citelint.yaml").write_text(config, encoding="utf-8")
        _commit_all(work)
        return _run(["pre-commit", "try-repo", str(hook_repo), "citelint", "--all-files"], work, env)

    return run


def test_hook_definitions():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    assert hooks["citelint"]["entry"] == "citelint" and hooks["citelint"]["require_serial"] is False
    assert hooks["citelint-links"]["entry"] == "citelint --check-links"
    assert hooks["citelint-links"]["stages"] == ["manual"] and hooks["citelint-links"]["require_serial"] is True
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["types_or"] == ["markdown", "html", "plain-text"]
        assert hook["minimum_pre_commit_version"] == "3.0.0"


def test_hook_fails_with_the_diagnostic_on_a_bad_article(try_repo):
    done = try_repo({"news/festival.md": BAD, "news/notes.txt": CLEAN})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "news/festival.md:3:23: CIT103 [unsourced-figure]" in done.stdout
    assert "notes.txt" not in done.stdout.split("hook id: citelint")[-1]


def test_hook_passes_on_clean_articles(try_repo):
    done = try_repo({"news/festival.md": CLEAN, "news/festival.html": f"<p>{CLEAN}</p>\n"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_config_excludes_apply_to_the_files_pre_commit_names(try_repo):
    done = try_repo({"drafts/festival.md": BAD, "news/festival.md": CLEAN}, config="exclude: ['drafts/**']\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "CIT103" not in done.stdout
