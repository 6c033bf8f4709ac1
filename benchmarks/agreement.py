"""How far two blind annotations of the same training articles agree, per rule.

    python3 benchmarks/agreement.py            # benchmarks/training/second against .../gold

The second annotation (``benchmarks/training/second``) was made apart from the first, by other
annotators who saw neither it nor citelint's output. It is scored against the first exactly as
``score_full.py`` scores citelint against the annotated set: a place of the second is correct when it
overlaps a place of the first with its rule, ignored when it overlaps only optional ones, and wrong
otherwise; a place of the first is found when a place of the second with one of its rules overlaps
it. A scorer learnt from the first annotation cannot be expected to agree with it better than a
second annotator does.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import training_set  # noqa: E402

RULES = ("unattributed-claim", "vague-attribution", "unsourced-figure", "unlinked-source")

#: (start, end), its rules, optional
Place = tuple[tuple[int, int], list[str], bool]


def read_places(folder: Path) -> dict[str, list[Place]]:
    """Every article's places in a built ``articles/`` + ``gold/`` folder, as offsets; a place
    whose text is not in its article stops the run, as ``score_full.py`` fails on bad gold."""
    places = {}
    for gold in sorted((folder / "gold").glob("*.yml")):
        text = (folder / "articles" / (gold.stem + ".txt")).read_text(encoding="utf-8")
        found = training_set.guide_places(text, gold)
        missing = [item["text"] for start, item in found if start < 0]
        if missing:
            raise SystemExit(f"{gold}: place not in the article: {missing[0][:60]!r}")
        places[gold.stem] = [
            ((start, start + len(item["text"])), [item["rule"]] if isinstance(item["rule"], str) else list(item["rule"]),
             bool(item.get("optional")))
            for start, item in found
        ]
    return places


def agreement(first: dict[str, list[Place]], second: dict[str, list[Place]]) -> dict[str, tuple[int, int, int, int]]:
    """Per rule (correct, given, found, expected): the second annotation's places as findings
    scored against the first's, over the articles both annotated."""
    counts = {rule: [0, 0, 0, 0] for rule in RULES}

    def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[0] < b[1] and b[0] < a[1]

    for name in sorted(first.keys() & second.keys()):
        expected, given = first[name], [place for place in second[name] if not place[2]]
        for span, rules, optional in expected:
            if not optional:
                counts[rules[0]][3] += 1
                counts[rules[0]][2] += any(overlap(span, other) and set(rules) & set(theirs) for other, theirs, _ in given)
        for span, rules, _ in given:
            for rule in rules:
                matched = [optional for other, theirs, optional in expected if rule in theirs and overlap(span, other)]
                if matched and not all(matched):
                    counts[rule][0] += 1
                if not matched or not all(matched):
                    counts[rule][1] += 1
    return {rule: (correct, total, found, wanted) for rule, (correct, total, found, wanted) in counts.items()}


def main() -> int:
    if not (training_set.CORPORA / "bbc").is_dir():
        print(f"no corpora at {training_set.CORPORA}", file=sys.stderr)
        return 2
    names = {path.stem for path in training_set.SECOND_STORE.glob("*.yml")}
    with tempfile.TemporaryDirectory() as first_dir, tempfile.TemporaryDirectory() as second_dir:
        training_set.build(Path(first_dir), names=names)
        training_set.build(Path(second_dir), source=training_set.SECOND_STORE)
        first, second = read_places(Path(first_dir)), read_places(Path(second_dir))
        counts = agreement(first, second)
    print(f"second annotation of {len(first.keys() & second.keys())} training articles, scored against the first")
    print(f"{'rule':20} {'P':>14} {'R':>14}")
    for rule, (correct, total, found, wanted) in counts.items():
        precision, recall = correct / max(total, 1), found / max(wanted, 1)
        print(f"{rule:20} {correct:4}/{total:<4} {precision:5.2f} {found:4}/{wanted:<4} {recall:5.2f}")
    correct, total, found, wanted = (sum(values) for values in zip(*counts.values(), strict=True))
    precision, recall = correct / max(total, 1), found / max(wanted, 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"all four: P {precision:.2f} ({correct}/{total}) R {recall:.2f} ({found}/{wanted}) F1 {f1:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
