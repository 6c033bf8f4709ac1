"""A newsroom repository as a new user meets it (issue #12): discovery, configuration, baselines.

Every test here reproduces one reported surprise; the articles are our own few lines.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml

from citelint.subcommands import STARTER_CONFIG

VAGUE = "Critics say the council misled residents.\n"
FIGURE = "# Budget\n\nThe council will spend nearly 40% more on roads.\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def codes(run) -> list[tuple[str, str]]:
    """(path, code) of each finding, from JSON output."""
    return sorted((d["path"], d["code"]) for d in run.json()["diagnostics"])


# -- 1. articles silently never linted ------------------------------------------------------

@pytest.mark.parametrize("name", ["security-council-vote.md", "news-roundup.md", "history-of-the-pier.md",
                                  "support-for-farmers.md", "changes-to-bus-routes.txt", "release-of-hostages.html"])
def test_an_article_whose_name_starts_like_a_repository_document_is_linted(cli, repo, name):
    write(repo / name, VAGUE)
    named = cli("--format", "json", name)
    assert [code for _, code in codes(named)] == ["CIT102"], named.out
    walked = cli("--format", "json", ".")
    assert [code for _, code in codes(walked)] == ["CIT102"], walked.out


def test_a_walk_leaves_out_whole_name_repository_documents_and_says_so(cli, repo):
    for name in ("LICENSE.md", "CHANGELOG.md", "CONTRIBUTING.md", "code_of_conduct.md", "README.md"):
        write(repo / name, VAGUE)
    write(repo / "story.md", VAGUE)
    run = cli(".")
    assert "story.md" in run.out and "LICENSE.md" not in run.out
    assert "left out 5 paths (5 a repository document, not an article; see --show-files)" in run.out
    named = cli("--format", "json", "LICENSE.md")  # named on the command line: always linted
    assert codes(named) == [("LICENSE.md", "CIT102")]


def test_show_files_lists_what_would_be_linted_and_why_the_rest_is_left_out(cli, repo):
    write(repo / "story.md", VAGUE)
    write(repo / "LICENSE.md", VAGUE)
    write(repo / "drafts" / "x.md", VAGUE)
    write(repo / ".citelint.yaml", "exclude: [drafts]\n")
    run = cli("--show-files", ".")
    assert run.status == 0
    assert run.out.splitlines() == ["story.md"]
    assert "left out drafts: excluded by the configuration" in run.err
    assert "left out LICENSE.md: a repository document, not an article" in run.err


def test_a_binary_file_skipped_in_a_walk_is_named(cli, repo):
    (repo / "photo.md").write_bytes(b"\x89PNG\x00\x00\x00binary")
    write(repo / "story.md", VAGUE)
    run = cli(".")
    assert "photo.md: info: skipped: a binary file, not an article" in run.out


# -- 2. `off` as documented -----------------------------------------------------------------

@pytest.mark.parametrize("setting", ["off", "'off'", "no", "false", "'No'", "{level: off}", "{level: 'false'}"])
def test_off_means_off_quoted_or_not(cli, repo, setting):
    write(repo / ".citelint.yaml", f"rules:\n  vague-attribution: {setting}\n")
    write(repo / "story.md", VAGUE)
    run = cli("--format", "json", "story.md")
    assert run.status == 0, run.err
    assert codes(run) == []


@pytest.mark.parametrize("setting", ["on", "yes", "'on'", "true"])
def test_on_turns_a_rule_on_at_its_own_level(cli, repo, setting):
    write(repo / ".citelint.yaml", f"rules:\n  hedged-claim: {setting}\n")
    write(repo / "story.md", "# Trial\n\nThe drug may possibly slow the disease in some patients.\n")
    run = cli("--format", "json", "story.md")
    assert run.status in (0, 1), run.err
    assert "hedged-claim" in {d["rule"] for d in run.json()["diagnostics"]}


def test_a_bad_level_says_what_was_read(cli, repo):
    write(repo / ".citelint.yaml", "rules:\n  vague-attribution: loud\n")
    write(repo / "story.md", VAGUE)
    run = cli("story.md")
    assert run.status == 2 and "'loud'" in run.err and "vague-attribution" in run.err


# -- 3. the command line beats config levels --------------------------------------------------

def test_ignore_and_select_on_the_command_line_beat_a_configured_level(cli, repo):
    write(repo / ".citelint.yaml", "rules:\n  unsourced-figure: error\n")
    write(repo / "story.md", FIGURE)
    assert "CIT103" in {code for _, code in codes(cli("--format", "json", "story.md"))}
    ignored = cli("--format", "json", "--ignore", "unsourced-figure", "story.md")
    assert "CIT103" not in {code for _, code in codes(ignored)}
    selected = cli("--format", "json", "--select", "vague-attribution", "story.md")
    assert "CIT103" not in {code for _, code in codes(selected)}


def test_selecting_a_rule_the_config_turns_off_runs_it(cli, repo):
    write(repo / ".citelint.yaml", "rules:\n  vague-attribution: off\n")
    write(repo / "story.md", VAGUE)
    run = cli("--format", "json", "--select", "vague-attribution", "story.md")
    assert codes(run) == [("story.md", "CIT102")]


def test_select_by_the_bare_code_prefix_selects_every_rule(cli, repo):
    write(repo / "story.md", VAGUE)
    run = cli("--format", "json", "--select", "CIT", "story.md")
    assert run.status == 1 and codes(run) == codes(cli("--format", "json", "--select", "all", "story.md"))
    assert ("story.md", "CIT102") in codes(run)


# -- 4. the closest configuration applies, whatever the argument order -------------------------

@pytest.fixture
def two_desks(repo):
    write(repo / ".citelint.yaml", "fail-level: warning\n")
    write(repo / "opinion" / ".citelint.yaml", "rules:\n  vague-attribution: off\n")
    write(repo / "opinion" / "column.md", VAGUE)
    write(repo / "news" / "story.md", VAGUE)
    return repo


def test_the_order_of_paths_never_changes_the_result(cli, two_desks):
    forward = cli("--format", "json", "opinion/column.md", "news/story.md")
    backward = cli("--format", "json", "news/story.md", "opinion/column.md")
    assert codes(forward) == codes(backward) == [("news/story.md", "CIT102")]


def test_a_sub_folder_config_applies_in_a_whole_tree_run(cli, two_desks):
    assert codes(cli("--format", "json", ".")) == [("news/story.md", "CIT102")]


def test_extend_inherits_the_parent_and_overrides_it(cli, repo):
    write(repo / ".citelint.yaml", "exclude: [drafts]\nrules:\n  vague-attribution: error\n  unsourced-figure: off\n")
    write(repo / "news" / ".citelint.yaml", "extend: ../.citelint.yaml\nrules:\n  unsourced-figure: warning\n")
    write(repo / "news" / "story.md", VAGUE + "\nAbout 40% of roads are closed.\n")
    write(repo / "news" / "drafts" / "x.md", VAGUE)
    run = cli("--format", "json", ".")
    found = {(d["path"], d["code"], d["severity"]) for d in run.json()["diagnostics"]}
    assert ("news/story.md", "CIT102", "error") in found  # inherited level
    assert ("news/story.md", "CIT103", "warning") in found  # the child's own
    assert not any(path.startswith("news/drafts") for path, _, _ in found)  # inherited exclude, still rooted


def test_config_flag_applies_one_file_to_every_path(cli, two_desks):
    write(two_desks / "strict.yaml", "rules:\n  vague-attribution: off\n")
    assert codes(cli("--format", "json", "--config", "strict.yaml", ".")) == []


def test_extend_loops_and_missing_targets_are_clear_errors(cli, repo):
    write(repo / "a" / ".citelint.yaml", "extend: ../b/.citelint.yaml\n")
    write(repo / "b" / ".citelint.yaml", "extend: ../a/.citelint.yaml\n")
    write(repo / "a" / "x.md", VAGUE)
    run = cli("a/x.md")
    assert run.status == 2 and "loop" in run.err
    write(repo / "c" / ".citelint.yaml", "extend: nowhere.yaml\n")
    write(repo / "c" / "x.md", VAGUE)
    run = cli("c/x.md")
    assert run.status == 2 and "nowhere.yaml: no such configuration file" in run.err


def test_show_settings_says_where_each_value_came_from(cli, two_desks):
    run = cli("--show-settings", "opinion/column.md", "--fail-level", "error")
    assert run.status == 0
    assert "opinion/.citelint.yaml" in run.out
    assert "fail-level: error  [command line]" in run.out
    assert "rules.vague-attribution: off" in run.out
    assert "CIT102" not in run.out and "CIT103 unsourced-figure: warning" in run.out


# -- option lists can be extended --------------------------------------------------------------

def test_a_list_option_can_be_extended_not_only_replaced(cli, repo):
    write(repo / ".citelint.yaml",
          "rules:\n  vague-attribution: {options: {statuses: [vague], extend-statuses: [anonymous]}}\n")
    write(repo / "story.md", VAGUE)
    run = cli("--show-settings", "story.md")
    assert run.status == 0, run.err
    from citelint.checks import CHECKS, make_options
    options = make_options(CHECKS["attribution"].options, {"statuses": ["vague"], "extend-statuses": ["anonymous"]})
    assert options.statuses == ("vague", "anonymous")
    extended = make_options(CHECKS["attribution"].options, {"extend-statuses": ["unnamed"]})
    assert extended.statuses[-1] == "unnamed" and len(extended.statuses) > 1  # the defaults kept
    write(repo / ".citelint.yaml", "rules:\n  vague-attribution: {options: {extend-nonsense: [x]}}\n")
    run = cli("story.md")
    assert run.status == 2 and "extend-statuses" in run.err


# -- 5. baselines independent of the working folder, from config, across renames ---------------

def test_baseline_paths_are_relative_to_the_baseline_file(cli, repo, monkeypatch):
    write(repo / "news" / "story.md", VAGUE)
    assert cli("--write-baseline", ".citelint-baseline.json", "news").status == 0
    recorded = json.loads((repo / ".citelint-baseline.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in recorded["findings"]} == {"news/story.md"}
    monkeypatch.chdir(repo / "news")
    run = cli("--format", "json", "--baseline", "../.citelint-baseline.json", ".")
    assert run.status == 0 and codes(run) == []


def test_baseline_from_the_configuration(cli, repo):
    write(repo / "story.md", VAGUE)
    cli("--write-baseline", "known.json", ".")
    write(repo / ".citelint.yaml", "baseline: known.json\n")
    run = cli(".")
    assert run.status == 0 and "1 finding hidden by the baseline" in run.out


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_file_renamed_in_git_keeps_its_baseline_entries(cli, repo):
    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false",
                        *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q", ".")
    write(repo / "story.md", VAGUE)
    cli("--write-baseline", "baseline.json", ".")
    git("add", ".")
    git("commit", "-q", "-m", "articles and baseline")
    git("mv", "story.md", "council-story.md")
    run = cli("--format", "json", "--baseline", "baseline.json", ".")
    assert codes(run) == [], run.out


# -- 7. .gitignore and .citelintignore ----------------------------------------------------------

def test_gitignored_and_citelintignored_files_are_left_out_of_walks(cli, repo):
    (repo / ".git").mkdir()
    write(repo / ".gitignore", "public/\n*.tmp.md\n!keep.tmp.md\n")
    write(repo / "news" / ".citelintignore", "wire/\n")
    write(repo / "public" / "story.html", "<p>" + VAGUE + "</p>")
    write(repo / "news" / "a.tmp.md", VAGUE)
    write(repo / "news" / "keep.tmp.md", VAGUE)
    write(repo / "news" / "wire" / "b.md", VAGUE)
    write(repo / "news" / "story.md", VAGUE)
    run = cli("--format", "json", ".")
    assert codes(run) == [("news/keep.tmp.md", "CIT102"), ("news/story.md", "CIT102")]
    inside = cli("--format", "json", "news")  # rules from the folder above the walk still hold
    assert codes(inside) == [("news/keep.tmp.md", "CIT102"), ("news/story.md", "CIT102")]
    named = cli("--format", "json", "public/story.html")  # a named file is linted all the same
    assert codes(named) == [("public/story.html", "CIT102")]


# -- 9. smaller surprises ------------------------------------------------------------------------

def test_stdin_filename_alone_reads_stdin_and_with_a_path_is_an_error(cli, repo):
    write(repo / "other.md", FIGURE)
    run = cli("--format", "json", "--stdin-filename", "story.md", stdin=VAGUE.encode())
    assert codes(run) == [("story.md", "CIT102")]
    run = cli("--stdin-filename", "story.md", "other.md", stdin=VAGUE.encode())
    assert run.status == 2 and "--stdin-filename" in run.err


def test_inspect_reads_stdin(cli, repo):
    run = cli("inspect", "-", "--stdin-filename", "story.md", stdin=VAGUE.encode())
    assert run.status == 0, run.err
    assert "vague-attribution" in run.out


# -- init ------------------------------------------------------------------------------------------

def test_init_writes_a_valid_commented_starter_and_never_overwrites(cli, repo):
    run = cli("init")
    assert run.status == 0 and (repo / ".citelint.yaml").read_text(encoding="utf-8") == STARTER_CONFIG
    assert isinstance(yaml.safe_load(STARTER_CONFIG), dict)
    write(repo / "story.md", VAGUE)
    assert cli("story.md").status == 1  # the starter is a valid configuration
    again = cli("init")
    assert again.status == 2 and "already exists" in again.err
    assert cli("init", "--force").status == 0


def test_a_missing_path_is_never_summarised_as_no_problems(cli, repo):
    run = cli("nope.md")
    assert run.status == 2 and "no such file" in run.err
    assert "No problems found" not in run.out and "Nothing checked: 1 named path not found." in run.out
    write(repo / "story.md", VAGUE)
    run = cli("nope.md", "story.md")
    assert run.status == 2 and "Found 1 problem in 1 of 1 file; 1 named path not found." in run.out


def test_the_documented_default_confidence_is_the_one_in_force():
    from citelint import resources
    from citelint.config import DEFAULT_MIN_CONFIDENCE

    described = resources.schema("config")["properties"]["min-confidence"]["description"]
    assert f"Default: {DEFAULT_MIN_CONFIDENCE:.2f}" in described
    assert f"# min-confidence: {DEFAULT_MIN_CONFIDENCE:.2f}" in STARTER_CONFIG


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_number_that_is_not_finite_is_a_configuration_error(cli, repo, value):
    write(repo / ".citelint.yaml", f"links:\n  timeout: {value}\nmax-seconds-per-file: 5\n")
    write(repo / "story.md", VAGUE)
    run = cli("story.md")
    assert run.status == 2 and "links.timeout" in run.err and "not a finite number" in run.err


@pytest.mark.parametrize("rules", ["rules:\n  103: off\n", "overrides:\n  - files: ['*.md']\n    rules:\n      103: off\n"])
def test_a_rule_keyed_by_a_bare_number_is_a_configuration_error(cli, repo, rules):
    """YAML reads `103:` as a number: say so, do not crash looking the rule up."""
    write(repo / ".citelint.yaml", rules)
    write(repo / "story.md", VAGUE)
    run = cli("story.md")
    assert run.status == 2 and "103 is not of type 'string'" in run.err and "internal error" not in run.err
