"""Does confidence mean what it says? Calibration of the four core rules on the annotated articles.

    python3 benchmarks/calibration.py [--annotated DIR]

Every finding carries the scorer's confidence, and `--min-confidence` (default 0.10) drops
findings below it; users pick a threshold trusting that a finding at 0.8 is right about 80% of
the time. This lints the fully annotated articles once with `--min-confidence 0` and compares,
per rule and confidence decile, the mean predicted confidence with the observed precision; then
it gives precision and recall of the four rules together at a few thresholds. Keeping the
findings with confidence >= X is exactly what `--min-confidence X` reports (the engine drops
findings below X before anything else sees them), so one run serves every threshold.

Scoring follows ../shared/tools/score_full.py exactly: a finding of rule R is correct when it
overlaps a gold place whose rules include R, ignored when it overlaps only optional places of R,
and a false alarm otherwise; a non-optional place is found when a kept finding of one of its
rules overlaps it. Only counts are printed: the articles are copyrighted.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ANNOTATED = REPO.parent / "shared" / "corpora" / "annotated"
CITELINT = ".venv/bin/citelint"  # relative to REPO, where it runs
RULES = ("unattributed-claim", "vague-attribution", "unsourced-figure", "unlinked-source")
THRESHOLDS = (0.1, 0.3, 0.5, 0.7)


@dataclass
class Place:
    start: int
    end: int
    rules: list[str]
    optional: bool
    #: highest confidence of a finding of one of its rules overlapping it (None: no finding)
    best: float | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    confidence: float
    #: True correct, False false alarm, None ignored (overlaps only optional places)
    correct: bool | None


def locate(text: str, needle: str, n: int = 1) -> tuple[int, int] | None:
    """The n-th occurrence of the gold text, as score_full.py finds it."""
    index = -1
    for _ in range(n):
        index = text.find(needle, index + 1)
        if index < 0:
            return None
    return index, index + len(needle)


def annotated_articles(folder: Path) -> list[tuple[Path, Path]]:
    """(article, gold) pairs: every gold/<name>.yml with an articles/<name>.* beside it."""
    pairs = []
    for gold in sorted(glob.glob(str(folder / "gold" / "*.yml"))):
        found = glob.glob(str(folder / "articles" / (glob.escape(Path(gold).name[:-4]) + ".*")))
        if found:
            pairs.append((Path(found[0]), Path(gold)))
    return pairs


def read_places(article: Path, gold: Path) -> tuple[list[Place], int]:
    """The gold places located in the article's text, and how many gold texts were not found."""
    text = article.read_text(encoding="utf-8-sig")
    places, missing = [], 0
    for item in (yaml.safe_load(gold.read_text(encoding="utf-8")) or {}).get("expect") or []:
        span = locate(text, item["text"], item.get("n", 1))
        if span is None:
            missing += 1
            continue
        rules = [item["rule"]] if isinstance(item["rule"], str) else list(item["rule"])
        places.append(Place(*span, rules, bool(item.get("optional"))))
    return places, missing


def lint(articles: list[Path]) -> dict[str, list[dict]]:
    """Diagnostics of the four rules per article (real path), from one citelint run at confidence 0."""
    command = [CITELINT, "--format", "json", "--jobs", "1", "--min-confidence", "0",
               *(os.path.relpath(path, REPO) for path in articles)]
    print(f"$ {shlex.join(command)}\n", flush=True)
    run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900)
    if run.returncode not in (0, 1):
        sys.exit(f"citelint exit {run.returncode}: {run.stderr.strip()[-300:]}")
    found: dict[str, list[dict]] = {}
    for diagnostic in json.loads(run.stdout)["diagnostics"]:
        if diagnostic["rule"] in RULES:
            path = os.path.realpath(REPO / diagnostic["path"])
            found.setdefault(path, []).append(diagnostic)
    return found


def judge(diagnostics: list[dict], places: list[Place]) -> list[Finding]:
    """Score each diagnostic against the places, and record on each place its best overlapping confidence."""
    findings = []
    for diagnostic in diagnostics:
        overlapped = [place for place in places if diagnostic["rule"] in place.rules
                      and diagnostic["offset"] < place.end and diagnostic["end_offset"] > place.start]
        for place in overlapped:
            place.best = max(place.best or 0.0, diagnostic["confidence"])
        optional = [place.optional for place in overlapped]
        findings.append(Finding(diagnostic["rule"], diagnostic["confidence"],
                                None if optional and all(optional) else bool(optional)))
    return findings


def table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    return "\n".join(lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows])


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def calibration_row(label: str, findings: list[Finding]) -> list[object]:
    """Scored findings (ignored ones left out), correct ones, mean confidence, precision."""
    scored = [finding for finding in findings if finding.correct is not None]
    correct = sum(bool(finding.correct) for finding in scored)
    mean = f"{sum(finding.confidence for finding in scored) / len(scored):.2f}" if scored else "-"
    return [label, len(scored), correct, mean, ratio(correct, len(scored))]


def decile(confidence: float) -> int:
    return min(int(confidence * 10 + 1e-9), 9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotated", type=Path, default=DEFAULT_ANNOTATED,
                        help="folder holding articles/ and gold/ (default ../shared/corpora/annotated)")
    args = parser.parse_args(argv)
    print(f"$ {shlex.join(['python3', 'benchmarks/calibration.py', *(sys.argv[1:] if argv is None else argv)])}")
    pairs = annotated_articles(args.annotated)
    if not pairs:
        sys.exit(f"error: no annotated articles under {args.annotated} (articles/ and gold/*.yml); "
                 "the annotated set sits at ../shared/corpora/annotated beside the checkout")
    diagnostics = lint([article for article, _ in pairs])
    places: list[Place] = []
    findings: list[Finding] = []
    missing = 0
    for article, gold in pairs:
        article_places, not_found = read_places(article, gold)
        findings += judge(diagnostics.get(os.path.realpath(article), []), article_places)
        places += article_places
        missing += not_found
    expected = [place for place in places if not place.optional]
    print(f"{len(pairs)} annotated articles; {len(expected)} places, {len(places) - len(expected)} optional"
          f"{f'; {missing} gold texts not found, skipped' if missing else ''}; {len(findings)} findings of the four rules\n")
    headers = ["confidence", "findings", "correct", "mean confidence", "precision"]
    for rule in RULES:
        of_rule = [finding for finding in findings if finding.rule == rule]
        rows = [calibration_row(f"{n / 10:.1f}-{(n + 1) / 10:.1f}", [f for f in of_rule if decile(f.confidence) == n])
                for n in range(10)]
        print(f"## {rule}, by confidence decile\n\n{table(headers, rows)}\n")
    rows = [calibration_row(rule, [finding for finding in findings if finding.rule == rule]) + [
        sum(finding.correct is None for finding in findings if finding.rule == rule)] for rule in RULES]
    print(f"## Whole range (0-1), per rule\n\n{table(['rule', *headers[1:], 'ignored (optional places)'], rows)}\n")
    rows = []
    for threshold in THRESHOLDS:
        kept = [f for f in findings if f.confidence >= threshold and f.correct is not None]
        correct = sum(bool(f.correct) for f in kept)
        found = sum(place.best is not None and place.best >= threshold for place in expected)
        rows.append([threshold, len(kept), correct, ratio(correct, len(kept)), found, ratio(found, len(expected))])
    print("## All four rules, by --min-confidence\n\n"
          + table(["--min-confidence", "findings", "correct", "precision", "places found", "recall"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
