"""The pre-commit hooks, run by the real ``pre-commit`` from a tagged clone, as the README pins them.

pre-commit installs a hook repository at a revision: a commit, not the working tree. So the tests
snapshot the checkout's files as git lists them into a temporary repository, commit and tag it
``v<version>``, and use the README's own ``.pre-commit-config.yaml`` (its URL pointed at that
repository) and its own ``pip install`` line: what a new user copies must work as written.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from citelint import __version__
from citelint.checks import CHECKS
from citelint.ruleset import RuleIndex, load_rules
from tests.conftest import ROOT
from tests.gitrepo import clean_env, commit_all, git, run, snapshot_checkout, write
from tests.test_links_cli import server  # noqa: F401  (the loopback server: /gone answers 404)

BAD = "# Festival notes\n\nTicket prices rose by nearly 40% on last year.\n"
CLEAN = "# Festival notes\n\nThe parade ends at the market square.\n"
#: Where the README says citelint lives; the tests swap in the tagged temporary repository.
README_URL = "https://github.com/OWNER/citelint"
TAG = f"v{__version__}"


def _readme_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", (ROOT / "README.md").read_text("utf-8"), re.MULTILINE | re.DOTALL)


def readme_pre_commit_config() -> str:
    (config,) = [block for block in _readme_blocks("yaml") if block.startswith("repos:")]
    return config


def readme_install_line() -> str:
    (line,) = [line for block in _readme_blocks("sh") for line in block.splitlines() if f"git+{README_URL}@" in line]
    return line


def _hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}


def test_hook_definitions():
    hooks = _hooks()
    assert hooks["citelint"]["entry"] == "citelint" and hooks["citelint"]["require_serial"] is False
    assert hooks["citelint-links"]["entry"].startswith("citelint --check-links ")
    assert hooks["citelint-links"]["stages"] == ["manual"] and hooks["citelint-links"]["require_serial"] is True
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["types_or"] == ["markdown", "html", "plain-text"]
        assert hook["minimum_pre_commit_version"] == "3.0.0"


def test_links_hook_selects_exactly_the_default_link_state_rules():
    """The links hook re-reported every prose finding; it must run what needs the network, and
    only that (unarchived-link stays out, as in the default preset: it sends URLs to an archive)."""
    entry = _hooks()["citelint-links"]["entry"].split()
    selected = entry[entry.index("--select") + 1]
    index = RuleIndex(load_rules())
    chosen = {rule.name for key in selected.split(",") for rule in index.resolve(key)}
    network = {rule.name for rule in load_rules() if rule.check in CHECKS and CHECKS[rule.check].network
               and "default" in rule.presets}
    assert chosen == network == {"dead-link", "blocked-link", "redirected-link", "transient-link"}


def test_readme_pins_the_tag_of_this_version():
    (repo,) = yaml.safe_load(readme_pre_commit_config())["repos"]
    assert repo["repo"] == README_URL and repo["rev"] == TAG
    assert [hook["id"] for hook in repo["hooks"]] == ["citelint", "citelint-links"]
    assert readme_install_line().endswith(f'"citelint-provenance @ git+{README_URL}@{TAG}"')


def test_every_pin_is_the_tag_of_this_version_and_the_changelog_has_it():
    """The examples pinned v0.1.0, which was never tagged: a pin must name this release."""
    pinned = {}
    for path in [ROOT / "README.md", ROOT / ".pre-commit-hooks.yaml", *sorted((ROOT / "examples").glob("*.yml"))]:
        for tag in re.findall(r"(?:@|rev: )(v\d+\.\d+\.\d+)", path.read_text("utf-8")):
            pinned.setdefault(tag, []).append(path.name)
    assert set(pinned) == {TAG}, pinned
    assert {"github-actions.yml", "gitlab-ci.yml", "README.md"} <= set(pinned[TAG])
    assert f"\n## [{__version__}] - " in (ROOT / "CHANGELOG.md").read_text("utf-8")


def url_of(repo: Path) -> str:
    """A URL for a local repository that git and pip both take (pip's requirement parser wants a
    host in a ``git+file`` URL; git reads ``localhost`` as this machine)."""
    return "file://localhost" + repo.as_posix()


@pytest.fixture(scope="module")
def tagged_repo(tmp_path_factory) -> Path:
    """This working tree, committed and tagged as the release the README pins."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = snapshot_checkout(tmp_path_factory.mktemp("citelint-release"))
    commit_all(repo)
    git(repo, "tag", "-a", TAG, "-m", f"citelint {__version__}")
    # What is tagged next must not leak in: pre-commit and pip must check out the tag, not HEAD.
    write(repo, {"citelint/__init__.py": '__version__ = "0.0.0.dev0"\n'})
    commit_all(repo, "after the release")
    return repo


@pytest.fixture(scope="module")
def pre_commit(tagged_repo, tmp_path_factory):
    """Run ``pre-commit run --all-files`` with the README's configuration in a repository of articles."""
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("pre-commit is not installed (see the test extra)")
    env = {**clean_env(), "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}
    config = readme_pre_commit_config().replace(README_URL, url_of(tagged_repo))

    def run_hooks(articles: dict[str, str], *hook: str, citelint_config: str | None = None,
                  links_args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        """``links_args``: ``args:`` for the citelint-links hook, as a user adds them to the README's configuration."""
        work = tmp_path_factory.mktemp("articles")
        hooks_config = yaml.safe_load(config)
        for hook_config in hooks_config["repos"][0]["hooks"]:
            if hook_config["id"] == "citelint-links" and links_args:
                hook_config["args"] = list(links_args)
        write(work, {**articles, ".pre-commit-config.yaml": yaml.safe_dump(hooks_config)})
        if citelint_config is not None:
            write(work, {".citelint.yaml": citelint_config})
        commit_all(work)
        return run([sys.executable, "-m", "pre_commit", "run", "--all-files", *hook], work, env)

    return run_hooks


@pytest.mark.slow
def test_hook_fails_with_the_diagnostic_on_a_bad_article(pre_commit):
    done = pre_commit({"news/festival.md": BAD, "news/notes.txt": CLEAN})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "news/festival.md:3:23: CIT103 [warning]" in done.stdout
    assert "notes.txt" not in done.stdout.split("hook id: citelint")[-1]


@pytest.mark.slow
def test_hook_passes_on_clean_articles(pre_commit):
    done = pre_commit({"news/festival.md": CLEAN, "news/festival.html": f"<p>{CLEAN}</p>\n"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


@pytest.mark.slow
def test_config_excludes_apply_to_the_files_pre_commit_names(pre_commit):
    done = pre_commit({"drafts/festival.md": BAD, "news/festival.md": CLEAN}, citelint_config="exclude: ['drafts/**']\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "CIT103" not in done.stdout


@pytest.mark.slow
def test_links_hook_reports_dead_links_and_no_prose_findings(pre_commit, server):  # noqa: F811 (the fixture)
    article = BAD + f"\nThe programme is [on the festival site]({server}/gone).\n"
    done = pre_commit({"news/festival.md": article}, "citelint-links", "--hook-stage", "manual",
                      citelint_config="links: {retries: 0}\n", links_args=("--allow-private-links",))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "news/festival.md:5:18: CIT202" in done.stdout and "dead-link" in done.stdout, done.stdout
    assert "CIT103" not in done.stdout


@pytest.mark.slow
def test_readme_install_line_installs_the_tagged_release(tagged_repo, tmp_path):
    line = readme_install_line().replace(README_URL, url_of(tagged_repo))
    done = run(["bash", "-c", line], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    version = run([str(tmp_path / ".venv" / "bin" / "citelint"), "--version"], tmp_path)
    assert version.stdout.strip() == f"citelint {__version__}", version.stdout + version.stderr
