"""Snapshot tests: citelint's whole text report on each fixture article, kept beside it as F.expected.

The unit tests pin single findings; these pin everything a reader sees (positions, codes,
messages, two-decimal confidences, the totals line), so any change to the output shows up
as a reviewable diff. After an intended change, run ``pytest --update-snapshots`` and
review the diff of the .expected files before committing them.
"""

from __future__ import annotations

import difflib

import pytest

from tests.conftest import FIXTURES, ROOT, SNAPSHOTS_WRITTEN

ARTICLES = sorted(path for path in FIXTURES.rglob("*") if path.suffix in (".md", ".html", ".txt"))


@pytest.mark.parametrize("path", ARTICLES, ids=lambda path: path.relative_to(FIXTURES).as_posix())
def test_report_matches_snapshot(cli, monkeypatch, request, path):
    monkeypatch.chdir(ROOT)  # the report names the file as given: relative to the repository root
    run = cli("--show-confidence", "--format", "text", path.relative_to(ROOT).as_posix())
    assert run.status in (0, 1) and not run.err, run.err  # never snapshot a crash
    snapshot = path.with_name(path.name + ".expected")
    name = snapshot.relative_to(ROOT).as_posix()
    if request.config.getoption("update_snapshots"):
        if not snapshot.is_file() or snapshot.read_text(encoding="utf-8") != run.out:
            snapshot.write_text(run.out, encoding="utf-8")
            request.config.stash.setdefault(SNAPSHOTS_WRITTEN, []).append(name)
        return
    if not snapshot.is_file():
        pytest.fail(f"{name} is missing: create it with pytest --update-snapshots", pytrace=False)
    expected = snapshot.read_text(encoding="utf-8")
    if run.out != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), run.out.splitlines(keepends=True),
                                            name, "citelint output"))
        pytest.fail(f"citelint's report differs from {name}:\n{diff}\n"
                    "If the change is intended, run pytest --update-snapshots and review the diff.", pytrace=False)
