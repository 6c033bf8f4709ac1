"""The built wheel carries rules/ and schemas/ and lints an article in a fresh venv."""

from __future__ import annotations

import json
import subprocess
import sys
import venv

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_lints(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("citelint_provenance-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    article = tmp_path / "story.md"
    article.write_text("Critics say as many as 3,000 jobs could go.\n", encoding="utf-8")
    # Every candidate, whatever the shipped scorer makes of it: this tests what the wheel carries
    # (analyses, lexicons, model), not where the scorer puts its threshold.
    run = subprocess.run([str(env_dir / "bin" / "citelint"), "--format", "json", "--min-confidence", "0", str(article)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    found = {diagnostic["rule"] for diagnostic in json.loads(run.stdout)["diagnostics"]}
    assert {"vague-attribution", "unsourced-figure"} <= found
    rules = subprocess.run([str(env_dir / "bin" / "citelint"), "rule"], capture_output=True, text=True, cwd=tmp_path)
    assert "CIT201" in rules.stdout
    # The learned models ship too: the attribution of "Critics say" needs the cue tagger.
    inspect = subprocess.run([str(env_dir / "bin" / "citelint"), "inspect", "--format", "json", str(article)],
                             capture_output=True, text=True, cwd=tmp_path)
    attributions = json.loads(inspect.stdout)["attributions"]
    assert [a["source_kind"] for a in attributions] == ["vague"]
    models = subprocess.run([str(python), "-c", "import citelint.analysis as a, pathlib; "
                             "print(sorted(p.name for p in (pathlib.Path(a.__file__).parent / 'models').iterdir()))"],
                            capture_output=True, text=True)
    assert all(name in models.stdout for name in ("hedge.json", "cue_tagger.json.gz", "verdicts.json.gz"))
    # The report's templates ship, with the styles they share with the audit's page.
    report = subprocess.run([str(env_dir / "bin" / "citelint"), "report", "-o", "report.html", str(article)],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert "font-variant-numeric: tabular-nums" in (tmp_path / "report.html").read_text(encoding="utf-8")
