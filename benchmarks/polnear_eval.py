"""Measure citelint's attribution analysis against PolNeAR (brat standoff annotations).

    python3 benchmarks/polnear_eval.py /work/shared/corpora/polnear/dev [--misses N] [--false-alarms N]

Scores (see the README of the benchmark brief):
  cue P/R/F1      a predicted cue counts when it overlaps a gold cue (Cue spans and
                  Attribution-no-source anchors); a gold cue is found when a prediction overlaps it
  source accuracy over gold relations whose cue was found: the predicted source overlaps the
                  gold source, or, when gold has no source, the prediction has none (or kind "none")
  sentence F1     a sentence is positive when it overlaps a gold cue / holds a predicted cue

Printed samples are for reading in a terminal only; never commit corpus text.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from citelint.analysis import Analysis  # noqa: E402
from citelint.analysis.attributions import find_attributions  # noqa: E402
from citelint.document import parse  # noqa: E402

Spans = tuple[tuple[int, int], ...]


@dataclass
class GoldRelation:
    cue: Spans
    source: Spans | None


@dataclass
class GoldArticle:
    name: str
    text: str
    cues: list[Spans] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)


def _parse_spans(field_text: str) -> Spans:
    spans = []
    for part in field_text.split(";"):
        start, end = part.split()[-2:]
        spans.append((int(start), int(end)))
    return tuple(spans)


def read_ann(path: Path) -> tuple[list[Spans], list[GoldRelation]]:
    """Gold cues (deduplicated) and relations of one brat .ann file."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            try:
                spans[parts[0]] = (label, _parse_spans(offsets))
            except ValueError:
                continue
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    cues: dict[Spans, None] = {}
    for label, offsets in spans.values():
        if label in ("Cue", "Attribution-no-source"):
            cues[offsets] = None
    relations = []
    for event in events:
        cue_id = event.get("Cue") or event.get("Attribution") or event.get("Attribution-no-source")
        if cue_id not in spans:
            continue
        source = spans.get(event.get("Source", ""))
        relations.append(GoldRelation(spans[cue_id][1], source[1] if source else None))
    return list(cues), relations


def load_split(directory: Path) -> list[GoldArticle]:
    """Articles of one split; with several annotators, the alphabetically first .ann wins."""
    articles = []
    ann_dir = directory / "attributions"
    for text_path in sorted((directory / "text").glob("*.txt")):
        candidates = sorted(ann_dir.glob(text_path.stem + "_*.ann"))
        if not candidates:
            continue
        cues, relations = read_ann(candidates[0])
        text = text_path.read_text(encoding="utf-8")
        articles.append(GoldArticle(text_path.stem, text, cues, relations))
    return articles


def analyse(article: GoldArticle) -> Analysis:
    return Analysis(parse(article.text, article.name + ".txt", "text"))


def _overlaps(a: Spans, b: Spans) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


@dataclass
class Counts:
    pred_cues: int = 0
    pred_cues_right: int = 0
    gold_cues: int = 0
    gold_cues_found: int = 0
    relations_found: int = 0
    sources_right: int = 0
    sent_tp: int = 0
    sent_fp: int = 0
    sent_fn: int = 0
    words: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    source_errors: list[str] = field(default_factory=list)


def _mark(text: str, spans: Spans, start: int, end: int) -> str:
    out = text[start:end]
    for s, e in sorted(spans, reverse=True):
        if start <= s and e <= end:
            out = out[: s - start] + "[[" + out[s - start : e - start] + "]]" + out[e - start :]
    return out.replace("\n", " ")


def evaluate(articles: list[GoldArticle]) -> Counts:
    counts = Counts()
    for article in articles:
        began = time.perf_counter()
        analysis = analyse(article)
        attributions = find_attributions(analysis)
        counts.seconds += time.perf_counter() - began
        counts.words += len(article.text.split())
        sentence_spans = [analysis.source_span(s.block, s.start, s.end) for s in analysis.sentences]
        predicted = []
        for attribution in attributions:
            cue = (analysis.source_span(attribution.cue.block, attribution.cue.start, attribution.cue.end),)
            source = None
            if attribution.source is not None:
                s = attribution.source
                source = (analysis.source_span(s.block, s.start, s.end),)
            predicted.append((cue, source, attribution))
        counts.pred_cues += len(predicted)
        for cue, _, attribution in predicted:
            if any(_overlaps(cue, gold) for gold in article.cues):
                counts.pred_cues_right += 1
            else:
                start, end = sentence_spans[attribution.sentence]
                counts.false_alarms.append(f"{article.name}: {_mark(article.text, cue, start, end)}")
        counts.gold_cues += len(article.cues)
        for gold in article.cues:
            if any(_overlaps(cue, gold) for cue, _, _ in predicted):
                counts.gold_cues_found += 1
            else:
                holder = next(((s, e) for s, e in sentence_spans if s <= gold[0][0] < e), None)
                if holder:
                    counts.misses.append(f"{article.name}: {_mark(article.text, gold, *holder)}")
                else:
                    counts.misses.append(f"{article.name}: (outside prose) {article.text[gold[0][0]:gold[0][1]]}")
        for relation in article.relations:
            match = next(((c, s, a) for c, s, a in predicted if _overlaps(c, relation.cue)), None)
            if match is None:
                continue
            counts.relations_found += 1
            cue, source, attribution = match
            if relation.source is None:
                right = source is None or attribution.source_kind == "none"
            else:
                right = source is not None and _overlaps(source, relation.source)
            if right:
                counts.sources_right += 1
            else:
                start, end = sentence_spans[attribution.sentence]
                gold_src = "none" if relation.source is None else " | ".join(
                    article.text[s:e] for s, e in relation.source)
                got = attribution.source.text if attribution.source else "None"
                counts.source_errors.append(
                    f"{article.name}: cue={attribution.cue.text!r} gold={gold_src!r} got={got!r}"
                    f" ({attribution.source_kind}{', carried' if attribution.carried else ''})\n"
                    f"    {_mark(article.text, cue, start, end)}")
        for start, end in sentence_spans:
            span = ((start, end),)
            gold = any(_overlaps(span, g) for g in article.cues)
            pred = any(_overlaps(span, c) for c, _, _ in predicted)
            counts.sent_tp += gold and pred
            counts.sent_fp += pred and not gold
            counts.sent_fn += gold and not pred
    return counts


def _prf(tp_p: int, pred: int, tp_r: int, gold: int) -> tuple[float, float, float]:
    precision = tp_p / pred if pred else 0.0
    recall = tp_r / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path, help="a PolNeAR split (holding text/ and attributions/)")
    parser.add_argument("--misses", type=int, default=0, help="print N missed gold cues")
    parser.add_argument("--false-alarms", type=int, default=0, help="print N predicted cues that match no gold cue")
    parser.add_argument("--source-errors", type=int, default=0, help="print N wrong sources")
    parser.add_argument("--seed", type=int, default=0, help="seed for sampling the printed examples")
    args = parser.parse_args(argv)
    articles = load_split(args.directory)
    if not articles:
        print(f"no annotated articles under {args.directory}", file=sys.stderr)
        return 2
    counts = evaluate(articles)
    cue = _prf(counts.pred_cues_right, counts.pred_cues, counts.gold_cues_found, counts.gold_cues)
    sentence = _prf(counts.sent_tp, counts.sent_tp + counts.sent_fp, counts.sent_tp, counts.sent_tp + counts.sent_fn)
    source = counts.sources_right / counts.relations_found if counts.relations_found else 0.0
    print(f"articles {len(articles)}  words {counts.words}  "
          f"speed {counts.words / max(counts.seconds, 1e-9):,.0f} words/s (reading + sentences + attributions)")
    print(f"{'measure':<18}{'P':>8}{'R':>8}{'F1':>8}   counts")
    print(f"{'cue':<18}{cue[0]:8.3f}{cue[1]:8.3f}{cue[2]:8.3f}   "
          f"pred {counts.pred_cues}, gold {counts.gold_cues}")
    print(f"{'sentence':<18}{sentence[0]:8.3f}{sentence[1]:8.3f}{sentence[2]:8.3f}   "
          f"tp {counts.sent_tp}, fp {counts.sent_fp}, fn {counts.sent_fn}")
    print(f"{'source accuracy':<18}{source:24.3f}   {counts.sources_right}/{counts.relations_found} relations with found cue")
    rng = random.Random(args.seed)
    for title, items, n in (("MISSES", counts.misses, args.misses),
                            ("FALSE ALARMS", counts.false_alarms, args.false_alarms),
                            ("SOURCE ERRORS", counts.source_errors, args.source_errors)):
        if n:
            print(f"\n== {title} ({len(items)}) ==")
            for item in rng.sample(items, min(n, len(items))):
                print(item)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
