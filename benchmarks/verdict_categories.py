"""Where the four core rules miss and raise false alarms, by the verdict behind each, on a folder
annotated to ../shared/docs/annotation-guide.md (``articles/*.txt`` and ``gold/*.yml``).

    .venv/bin/python benchmarks/verdict_categories.py FOLDER [--rule RULE] [--examples N]

For each gold place of a rule, the verdicts that overlap it ("status/reason" of the attributions,
figures, source mentions or sentences there; NONE when the analysis found nothing): the places
found and missed, grouped by what the analysis decided. For each false alarm (a finding at the
default settings that overlaps no place of its rule), its rule and deciding strategy. Counts only
unless ``--examples N``, which prints N places of each category: use it on citelint's own training
set (``benchmarks/training_set.py build DIR``), never on the annotated dev set, which is for
measuring, not for reading sentence by sentence.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.inspecting import inspect_file  # noqa: E402
from benchmarks.train_verdicts import RULES, _gold_places  # noqa: E402

#: rule -> the inspect JSON list whose verdicts it reports ("attributions", "figures", …)
_SUBJECTS = {rule: f"{subject}s" for subject, rule in RULES.items()}


def _span(item: dict[str, Any]) -> tuple[int, int]:
    """Where an inspect item lies: an attribution from its source (if any) to its cue."""
    if "cue" in item:
        parts = [item["cue"], *([item["source"]] if item.get("source") else [])]
        return min(p["offset"] for p in parts), max(p["end_offset"] for p in parts)
    return item["offset"], item["end_offset"]


def categories(folder: Path, rule: str) -> tuple[Counter[str], Counter[str], dict[str, list[tuple[str, str]]]]:
    """(place categories, false-alarm categories, examples per category) for one rule."""
    places_by: Counter[str] = Counter()
    alarms: Counter[str] = Counter()
    examples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for gold in sorted((folder / "gold").glob("*.yml")):
        article = folder / "articles" / (gold.stem + ".txt")
        text = article.read_text(encoding="utf-8-sig")
        places = _gold_places(article, gold)
        data, _ = inspect_file(article)
        findings = [f for f in data["findings"] if f["rule"] == rule]
        for (start, end), rules, optional in places:
            if rule not in rules or optional:
                continue
            found = any(f["offset"] < end and start < f["end_offset"] for f in findings)
            verdicts = sorted({
                f"{item['verdict']['status']}/{item['verdict']['reason']}"
                for item in data[_SUBJECTS[rule]] if _span(item)[0] < end and start < _span(item)[1]
            })
            key = f"{'found' if found else 'missed'}: {' + '.join(verdicts) or 'NONE'}"
            places_by[key] += 1
            examples[key].append((gold.stem, text[start:end]))
        for finding in findings:
            if not any(rule in rules and start < finding["end_offset"] and finding["offset"] < end
                       for (start, end), rules, _ in places):
                key = f"false alarm: {finding['reason']}"
                alarms[key] += 1
                examples[key].append((gold.stem, text[finding["offset"]:finding["end_offset"]]))
    return places_by, alarms, examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder with articles/ and gold/")
    parser.add_argument("--rule", action="append", choices=sorted(RULES.values()),
                        help="only this rule (repeatable; default: all four)")
    parser.add_argument("--examples", type=int, default=0, metavar="N",
                        help="print N places of each category (training sets only)")
    args = parser.parse_args(argv)
    if not (args.folder / "articles").is_dir() or not (args.folder / "gold").is_dir():
        parser.error(f"{args.folder}: needs articles/ and gold/")
    for rule in args.rule or sorted(RULES.values()):
        places_by, alarms, examples = categories(args.folder, rule)
        print(f"## {rule}: {sum(places_by.values())} places, {sum(alarms.values())} false alarms")
        for key, count in [*places_by.most_common(), *alarms.most_common()]:
            print(f"{count:5d}  {key}")
            for name, snippet in examples[key][: args.examples]:
                print(f"         {name}: {snippet[:80]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
