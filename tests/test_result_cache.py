"""The result cache: a file's report read back when nothing it depends on has changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from citelint import result_cache
from citelint.config import Config
from citelint.derived import frame, unframe
from citelint.diagnostics import Diagnostic
from citelint.discovery import Target
from citelint.engine import FileReport, Linter
from citelint.result_cache import ResultCache, citelint_fingerprint
from tests.conftest import FIXTURES, ROOT

ARTICLE = """# Harbour dues

The council said harbour dues will rise by 12 per cent next year.
Officials say the increase will pay for dredging.
"""


def entries(cache: Path) -> list[Path]:
    return sorted((cache / result_cache.FOLDER).rglob("*.entry"))


def fixture_copies(tmp_path: Path) -> Path:
    """The fixture articles under a folder of the test's own (their paths are in the reports)."""
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("*.expected"))
    return folder


def test_a_warm_run_reports_exactly_what_a_cold_run_did(cli, tmp_path):
    articles, cache = fixture_copies(tmp_path), tmp_path / "cache"
    uncached = cli("--format", "json", "--no-cache", str(articles))
    cold = cli("--format", "json", "--cache-dir", str(cache), str(articles))
    stored = entries(cache)
    warm = cli("--format", "json", "--cache-dir", str(cache), str(articles))
    assert cold.status == warm.status == uncached.status == 1
    assert cold.out == warm.out == uncached.out
    assert len(stored) == len([path for path in articles.rglob("*") if path.is_file()])
    assert entries(cache) == stored  # nothing linted again


def test_a_warm_run_in_a_worker_pool_reports_what_one_process_did(cli, tmp_path):
    articles, cache = fixture_copies(tmp_path), tmp_path / "cache"
    one_process = cli("--format", "json", "-j", "1", "--cache-dir", str(cache), str(articles))
    pooled = cli("--format", "json", "-j", "2", "--cache-dir", str(cache), str(articles))
    assert pooled.out == one_process.out


def served(cli, cache: Path, article: Path, *flags: str) -> dict:
    """Lint ``article`` with a cache whose entries all hold a finding no check makes: what
    comes back says whether the report came from the cache."""
    for entry in entries(cache):
        entry.unlink()
    cli("--cache-dir", str(cache), *flags, str(article))
    fake = Diagnostic(article.as_posix(), "CIT999", "from-the-cache", "warning", "served", 1, 1, 1, 2, 0, 1)
    for entry in entries(cache):
        stored = unframe(entry.read_bytes())
        stored["diagnostics"] = [tuple(getattr(fake, field.name) for field in fields(fake))]
        entry.write_bytes(frame(stored))
    return cli("--format", "json", "--cache-dir", str(cache), *flags, str(article)).json()


def test_the_cache_serves_the_stored_report_and_no_cache_bypasses_it(cli, tmp_path):
    article = tmp_path / "dues.md"
    article.write_text(ARTICLE, encoding="utf-8")
    cache = tmp_path / "cache"
    assert [d["rule"] for d in served(cli, cache, article)["diagnostics"]] == ["from-the-cache"]
    bypassed = cli("--format", "json", "--cache-dir", str(cache), "--no-cache", str(article)).json()
    assert "from-the-cache" not in [d["rule"] for d in bypassed["diagnostics"]]


@pytest.mark.parametrize("change", ["content", "select", "min-confidence", "config file"])
def test_anything_the_report_depends_on_changing_misses(cli, tmp_path, change):
    article = tmp_path / "dues.md"
    article.write_text(ARTICLE, encoding="utf-8")
    cache = tmp_path / "cache"
    served(cli, cache, article)
    flags: list[str] = []
    if change == "content":
        article.write_text(ARTICLE + "\nPrices rose 40 per cent, officials say.\n", encoding="utf-8")
    elif change == "select":
        flags = ["--select", "unsourced-figure"]
    elif change == "min-confidence":
        flags = ["--min-confidence", "0.9"]
    else:
        (tmp_path / ".citelint.yaml").write_text("rules:\n  unsourced-figure: error\n", encoding="utf-8")
    report = cli("--format", "json", "--cache-dir", str(cache), *flags, str(article)).json()
    assert "from-the-cache" not in [d["rule"] for d in report["diagnostics"]]


def test_an_edited_rule_or_lexicon_changes_the_fingerprint(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    shutil.copytree(result_cache.rules_dir(), rules)
    monkeypatch.setattr(result_cache, "rules_dir", lambda: rules)
    before = citelint_fingerprint.__wrapped__()
    lexicon = sorted((rules / "lexicons").glob("*.yml"))[0]
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after_lexicon = citelint_fingerprint.__wrapped__()
    rule = sorted(rules.glob("citations/*.yml"))[0]
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert len({before, after_lexicon, citelint_fingerprint.__wrapped__()}) == 3


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", frame(["a list, not a report"]),
                                    frame({"diagnostics": [("too", "few")]})])
def test_a_corrupt_entry_is_ignored_and_written_again(cli, tmp_path, damage):
    article = tmp_path / "dues.md"
    article.write_text(ARTICLE, encoding="utf-8")
    cache = tmp_path / "cache"
    cold = cli("--format", "json", "--cache-dir", str(cache), str(article))
    (entry,) = entries(cache)
    entry.write_bytes(damage)
    again = cli("--format", "json", "--cache-dir", str(cache), str(article))
    assert again.out == cold.out and again.status == cold.status
    assert entry.read_bytes() != damage


def test_link_findings_and_wanted_analyses_are_never_served_from_it(tmp_path):
    article = tmp_path / "dues.md"
    article.write_text(ARTICLE, encoding="utf-8")
    cache = ResultCache(tmp_path / "cache")
    for setting in ("link_results", "on_analysis"):
        linter = Linter(Config())
        linter.result_cache = cache
        setattr(linter, setting, {} if setting == "link_results" else (lambda analysis, report: None))
        linter.lint_target(Target(article, explicit=True))
        assert linter.cached_report(Target(article, explicit=True)) is None
    assert entries(tmp_path / "cache") == []


def test_a_report_cut_short_by_its_budget_is_not_kept(tmp_path):
    cache = ResultCache(tmp_path / "cache")
    report = FileReport("dues.md")
    Linter(Config()).over_budget(report, Path("dues.md"), "the analysis took longer than 1 s")
    cache.put(cache.key("settings", "dues.md", b"text"), report)
    assert entries(tmp_path / "cache") == []


def test_the_folder_stays_bounded_pruning_once_a_run_the_least_recently_used(tmp_path):
    first_run = ResultCache(tmp_path / "cache", max_entries=300)
    keys = [first_run.key("settings", f"article-{number}.md", b"text") for number in range(400)]
    for number, key in enumerate(keys):
        first_run.put(key, FileReport(f"article-{number}.md"))
    used = keys[:50]  # hit in a later run: kept when older entries go
    for key in used:
        assert ResultCache(tmp_path / "cache", max_entries=300).get(key, FileReport("x.md"))
    second_run = ResultCache(tmp_path / "cache", max_entries=300)
    second_run.put(second_run.key("settings", "new.md", b"text"), FileReport("new.md"))
    assert len(entries(tmp_path / "cache")) <= 300
    assert all(second_run.get(key, FileReport("x.md")) for key in used)


def test_a_new_fingerprint_keeps_the_most_recently_used_others_and_nothing_else_is_removed(tmp_path):
    root = tmp_path / "cache" / result_cache.FOLDER
    (root / "2024-election").mkdir(parents=True)  # a --cache-dir holding the user's own results/
    (root / "2024-election" / "data.csv").write_text("precious\n", encoding="utf-8")
    fingerprints = [f"{number:024x}" for number in range(6)]
    for age, fingerprint in enumerate(fingerprints):
        run = ResultCache(tmp_path / "cache", fingerprint=fingerprint)
        run.put(run.key("settings", "a.md", b"a"), FileReport("a.md"))
        os.utime(root / fingerprint, (1_000_000 + age, 1_000_000 + age))
    kept = sorted(folder.name for folder in root.iterdir())
    assert kept == sorted(["2024-election", *fingerprints[-1 - result_cache.KEEP_OTHER_FINGERPRINTS:]])
    assert (root / "2024-election" / "data.csv").read_text(encoding="utf-8") == "precious\n"


def test_the_model_chosen_by_the_environment_is_part_of_the_fingerprint(tmp_path, monkeypatch):
    from citelint.analysis.scoring import MODEL_ENVIRONMENT

    fingerprints = []
    for chosen in ("", "none", str(tmp_path / "model.json.gz")):
        (tmp_path / "model.json.gz").write_bytes(b"weights")
        monkeypatch.setenv(MODEL_ENVIRONMENT, chosen)
        result_cache.citelint_fingerprint.cache_clear()
        fingerprints.append(result_cache.citelint_fingerprint())
    (tmp_path / "model.json.gz").write_bytes(b"retrained weights")
    result_cache.citelint_fingerprint.cache_clear()
    fingerprints.append(result_cache.citelint_fingerprint())
    result_cache.citelint_fingerprint.cache_clear()
    assert len(set(fingerprints)) == 4


def test_a_report_cut_short_is_not_kept_even_when_no_rule_reports_it(tmp_path):
    config = Config(rules={"analysis-budget-exceeded": "off", "internal-error": "off"})
    cache = ResultCache(tmp_path / "cache")
    report = FileReport("dues.md")
    Linter(config).over_budget(report, Path("dues.md"), "the analysis took longer than 1 s")
    assert report.diagnostics == [] and report.cut_short
    cache.put(cache.key("settings", "dues.md", b"text"), report)
    assert entries(tmp_path / "cache") == []


def _run(cache: Path, articles: Path, seed: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "citelint", "--format", "json", "-j", "1", "--cache-dir",
                             str(cache), str(articles)], stdout=subprocess.PIPE, env=env, cwd=articles)


def test_concurrent_runs_share_the_folder_and_other_processes_hit(tmp_path):
    articles, cache = fixture_copies(tmp_path), tmp_path / "cache"
    first, second = _run(cache, articles, "1"), _run(cache, articles, "2")
    outputs = [process.communicate()[0] for process in (first, second)]
    stored = {entry: entry.read_bytes() for entry in entries(cache)}
    third = _run(cache, articles, "3")  # another hash seed: set-valued options must give the same key
    assert third.communicate()[0] == outputs[0] == outputs[1]
    assert json.loads(outputs[0])["diagnostics"]
    assert {entry: entry.read_bytes() for entry in entries(cache)} == stored  # hits read, never rewrite
    assert not list(cache.rglob("*.tmp"))


def test_an_upgraded_library_is_part_of_the_fingerprint(monkeypatch, tmp_path):
    from importlib import metadata

    result_cache.citelint_fingerprint.cache_clear()
    before = result_cache.citelint_fingerprint()
    # Another marko earlier on the path, as importlib.metadata would find it first.
    (tmp_path / "marko-99.0.dist-info").mkdir()
    (tmp_path / "marko-99.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: marko\nVersion: 99.0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert metadata.version("marko") == "99.0"
    result_cache.citelint_fingerprint.cache_clear()
    after = result_cache.citelint_fingerprint()
    result_cache.citelint_fingerprint.cache_clear()
    assert before != after
    assert b"marko=99.0" in result_cache._libraries_in_use()


def test_what_only_importlib_metadata_reads_exactly_is_left_to_it(monkeypatch, tmp_path):
    import zipfile

    # An egg-info folder without a version in its name, and a zip, first on the path.
    egg = tmp_path / "eggs" / "PyYAML.egg-info"
    egg.mkdir(parents=True)
    (egg / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: PyYAML\nVersion: 9.9\n")
    with zipfile.ZipFile(tmp_path / "libs.zip", "w") as archive:
        archive.writestr("marko-98.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: marko\nVersion: 98.0\n")
    monkeypatch.syspath_prepend(str(tmp_path / "eggs"))
    monkeypatch.syspath_prepend(str(tmp_path / "libs.zip"))
    assert result_cache._installed_versions(result_cache.REPORT_LIBRARIES) is None
    assert b"PyYAML=9.9" in result_cache._libraries_in_use()
    assert b"marko=98.0" in result_cache._libraries_in_use()


def test_library_versions_are_read_as_importlib_metadata_reads_them():
    from importlib import metadata

    versions = result_cache._installed_versions(result_cache.REPORT_LIBRARIES)
    assert versions is not None
    assert [versions[result_cache._normalised(name)] for name in result_cache.REPORT_LIBRARIES] == [
        metadata.version(name) for name in result_cache.REPORT_LIBRARIES]
