"""Measure citelint's claim rules against public corpora (measurement only, no tuning).

    python3 benchmarks/corpus_eval.py --corpora /work/shared/corpora [--only NAME] [--jobs N]
        [--reuters-limit 3000] [--sample-flags 25 --seed 1 --sample-out /tmp/citelint-flags.md]

Labelled corpora give sentence-level precision/recall/F1 of "rule R flags the sentence":
  wikiweasel     label 1 = weasel/hedged sentence; scored on a fixed 20% dev split
                 (sha1 of the raw sentence mod 5 == 0) so later tuning can use the other 80%
  claimbuster    label 1 = check-worthy factual claim (spoken debates, not news)
  citation-need  label 1 = the Wikipedia statement carried a citation; with and without the
                 lead sections, which are conventionally uncited whatever they claim
Unlabelled news (bbc, reuters) gives flags per 1,000 words per rule, and optionally a random
sample of flags with their sentences for a human to judge. The sample is written outside the
repository only: corpus text is copyrighted and must never be committed.

Each labelled item is linted as its own plain-text document behind a neutral first paragraph,
so no item borrows context from its neighbours and none is read as a headline.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import multiprocessing
import os
import random
import re
import shlex
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from citelint import __version__  # noqa: E402
from citelint.checks import CHECKS, ENGINE  # noqa: E402
from citelint.config import Config  # noqa: E402
from citelint.document.reading import UnreadableFile, decode  # noqa: E402
from citelint.engine import Linter  # noqa: E402
from citelint.ruleset import RuleIndex, load_rules  # noqa: E402

CORPORA = ("wikiweasel", "claimbuster", "citation-need", "bbc", "reuters")
DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
#: A first paragraph that no rule flags, so the item after it is never taken for a headline.
NEUTRAL_LEAD = "Notes.\n\n"
HEDGE_RULE = "hedged-claim"
CLAIM_RULES = ("unattributed-claim", "unsourced-figure")
_CHUNK = 64


# -- metrics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """Confusion counts of a binary prediction; precision/recall/F1 are 0 when undefined."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(predicted: Iterable[bool], gold: Iterable[bool]) -> Score:
    predicted, gold = list(predicted), list(gold)
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold labels")
    pairs = list(zip(predicted, gold, strict=True))
    return Score(
        tp=sum(p and g for p, g in pairs),
        fp=sum(p and not g for p, g in pairs),
        fn=sum(g and not p for p, g in pairs),
        tn=sum(not p and not g for p, g in pairs),
    )


def in_dev_split(sentence: str) -> bool:
    """The fixed 20% dev split: depends only on the sentence, so every run and machine agree."""
    digest = hashlib.sha1(sentence.strip().encode("utf-8")).digest()
    return int.from_bytes(digest, "big") % 5 == 0


_PTB_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}


def detokenize_ptb(text: str) -> str:
    """Penn-Treebank tokens back to ordinary prose, so the linter sees text as a writer would type it."""
    text = " ".join(text.split())
    text = re.sub(r"``\s*", '"', text)
    text = re.sub(r"\s*''", '"', text)
    text = re.sub(r"(-L[RSC]B-)\s*", lambda m: _PTB_BRACKETS[m.group(1)], text)
    text = re.sub(r"\s*(-R[RSC]B-)", lambda m: _PTB_BRACKETS[m.group(1)], text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=s) '(?= |$)", "'", text)  # plural possessive: "members ' votes"
    text = re.sub(r" ([,.;:!?%])(?= |$|[\"')\]}])", r"\1", text)
    text = re.sub(r"\$ (?=\d)", "$", text)
    return text.strip()


# -- linting --------------------------------------------------------------------------------


class Flag(NamedTuple):
    rule: str
    offset: int
    end_offset: int
    message: str


_WORKER: Linter | None = None


def _init_worker(config: Config) -> None:
    global _WORKER
    _WORKER = Linter(config)


def _lint_chunk(texts: list[str]) -> list[list[Flag]]:
    assert _WORKER is not None
    found = []
    for text in texts:
        report = _WORKER.lint_text(text, "item.txt", "text")
        found.append([Flag(d.rule, d.offset, d.end_offset, d.message) for d in report.diagnostics])
    return found


def measurement_config() -> Config:
    """The default rules, plus the hedge rule when it exists (it is in the strict preset only)."""
    names = {rule.name for rule in RuleIndex(load_rules()).rules}
    extra = (HEDGE_RULE,) if HEDGE_RULE in names else ()
    return Config(extend_select=extra)


def lint_texts(config: Config, texts: list[str], jobs: int) -> list[list[Flag]]:
    """Flags of each text, linted as a separate plain-text document (in a process pool)."""
    chunks = [texts[i : i + _CHUNK] for i in range(0, len(texts), _CHUNK)]
    if jobs <= 1 or len(chunks) <= 1:
        _init_worker(config)
        return [flags for chunk in chunks for flags in _lint_chunk(chunk)]
    with multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(config,)) as pool:
        return [flags for result in pool.map(_lint_chunk, chunks) for flags in result]


def rules_flagging(config: Config, items: list[str], jobs: int) -> list[set[str]]:
    """For each item, the rules that flag it (linted behind the neutral lead paragraph)."""
    flags = lint_texts(config, [NEUTRAL_LEAD + item for item in items], jobs)
    crashes = sum(flag.rule == "internal-error" for found in flags for flag in found)
    if crashes:
        print(f"warning: {crashes} internal-error diagnostics; those items count as not flagged", file=sys.stderr)
    return [{flag.rule for flag in found if flag.offset >= len(NEUTRAL_LEAD)} for found in flags]


# -- corpora ----------------------------------------------------------------------------------


@dataclass
class Labelled:
    text: str
    gold: bool
    lead: bool = False


def read_wikiweasel(folder: Path) -> list[Labelled]:
    """The dev split of WikiWeasel, detokenised."""
    with open(folder / "train.csv", newline="", encoding="utf-8") as handle:
        return [
            Labelled(detokenize_ptb(row["text"]), row["label"].strip() == "1")
            for row in csv.DictReader(handle)
            if in_dev_split(row["text"])
        ]


def read_claimbuster(folder: Path) -> list[Labelled]:
    rows = json.loads((folder / "train.json").read_text(encoding="utf-8"))
    return [Labelled(row["text"], int(row["label"]) == 1) for row in rows]


def read_citation_need(folder: Path) -> list[Labelled]:
    """Columns: page_id, revision_id, uuid, title, section, char_start, char_end, text, label."""
    items = []
    with open(folder / "english_short.tsv", encoding="utf-8") as handle:
        for line in handle:
            columns = line.rstrip("\n").split("\t")
            if len(columns) != 9:
                continue
            items.append(Labelled(columns[7], columns[8].strip() == "1", lead=columns[4] == "MAIN_SECTION"))
    return items


def reuters_documents(path: Path, limit: int) -> Iterator[tuple[str, str]]:
    """(name, article) for the first ``limit`` Reuters bodies: headline, blank line, dateline + body."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number >= limit:
                return
            record = json.loads(line)
            head = record.get("title", "").strip()
            body = " ".join(part for part in (record.get("dateline", "").strip(), record["body"].strip()) if part)
            yield f"reuters-{record.get('newid', number)}", (f"{head}\n\n{body}\n" if head else f"{body}\n")


def bbc_documents(folder: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, article) of every readable BBC file, and the names citelint would report as unreadable."""
    documents, unreadable = [], []
    for path in sorted(folder.glob("*/*.txt")):
        name = path.relative_to(folder).as_posix()
        try:
            documents.append((name, decode(path.read_bytes()).text))
        except (OSError, UnreadableFile) as error:
            unreadable.append(f"{name} ({error})")
    return documents, unreadable


# -- output -------------------------------------------------------------------------------------


def markdown_table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def score_rows(predictions: dict[str, list[bool]], gold: list[bool]) -> list[list[object]]:
    """One row per prediction, after an 'every item' baseline that shows the chance F1."""
    rows = []
    for name, predicted in {"(baseline: every item)": [True] * len(gold), **predictions}.items():
        s = score(predicted, gold)
        rows.append([name, s.tp + s.fp, s.tp, s.fp, s.fn, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}"])
    return rows


SCORE_HEADERS = ["prediction: flagged by", "flagged", "TP", "FP", "FN", "P", "R", "F1"]


def _any(flagged: list[set[str]], rules: Iterable[str]) -> list[bool]:
    wanted = set(rules)
    return [bool(found & wanted) for found in flagged]


def eval_wikiweasel(folder: Path, config: Config, args) -> str:
    items = read_wikiweasel(folder)
    flagged = rules_flagging(config, [item.text for item in items], args.jobs)
    gold = [item.gold for item in items]
    hedge = HEDGE_RULE in (config.extend_select or ())
    predictions = {"vague-attribution": _any(flagged, ["vague-attribution"])}
    if hedge:
        predictions[HEDGE_RULE] = _any(flagged, [HEDGE_RULE])
    predictions[f"vague-attribution or {HEDGE_RULE}" + ("" if hedge else " (no such rule yet)")] = _any(
        flagged, ["vague-attribution", HEDGE_RULE]
    )
    title = f"dev split (sha1 % 5 == 0): {len(items):,} sentences, {sum(gold):,} weasel/hedged"
    return f"{title}\n\n" + markdown_table(SCORE_HEADERS, score_rows(predictions, gold))


def _claim_predictions(flagged: list[set[str]]) -> dict[str, list[bool]]:
    predictions = {" or ".join(CLAIM_RULES): _any(flagged, CLAIM_RULES)}
    predictions.update({rule: _any(flagged, [rule]) for rule in CLAIM_RULES})
    return predictions


def eval_claimbuster(folder: Path, config: Config, args) -> str:
    items = read_claimbuster(folder)
    flagged = rules_flagging(config, [item.text for item in items], args.jobs)
    gold = [item.gold for item in items]
    title = f"train.json: {len(items):,} sentences, {sum(gold):,} check-worthy"
    return f"{title}\n\n" + markdown_table(SCORE_HEADERS, score_rows(_claim_predictions(flagged), gold))


def eval_citation_need(folder: Path, config: Config, args) -> str:
    items = read_citation_need(folder)
    flagged = rules_flagging(config, [item.text for item in items], args.jobs)
    parts = []
    for title, keep in (("all rows", lambda item: True), ("without lead sections", lambda item: not item.lead)):
        chosen = [index for index, item in enumerate(items) if keep(item)]
        gold = [items[index].gold for index in chosen]
        subset = [flagged[index] for index in chosen]
        heading = f"{title}: {len(chosen):,} rows, {sum(gold):,} cited"
        parts.append(f"{heading}\n\n" + markdown_table(SCORE_HEADERS, score_rows(_claim_predictions(subset), gold)))
    return "\n\n".join(parts)


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n[ \t]*\n")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s*$")


def enclosing_sentence(source: str, start: int, end: int, reach: int = 400) -> str:
    """The flagged span marked ⟦…⟧ inside a rough sentence around it, on one line, for a human judge."""
    window_start = max(0, start - reach)
    boundaries = [m.end() for m in _SENTENCE_END.finditer(source, window_start, start)]
    left = boundaries[-1] if boundaries else window_start
    if _ENDS_SENTENCE.search(source, start, end):  # the span is a whole sentence already
        right = end
    else:
        after = _SENTENCE_END.search(source, end, min(len(source), end + reach))
        right = after.start() + 1 if after else min(len(source), end + reach)
    text = f"{source[left:start]}⟦{source[start:end]}⟧{source[end:right]}"
    return " ".join(text.split())


def _runs_offline(rule) -> bool:
    """A content rule that lint_text runs: not an engine rule, not a network (link) check."""
    kind = CHECKS.get(rule.check)
    return rule.check != ENGINE and kind is not None and not kind.network


@dataclass
class NewsResult:
    table: str
    samples: dict[str, list[str]]


def eval_news(documents: list[tuple[str, str]], config: Config, args, corpus: str, note: str = "") -> NewsResult:
    flags = lint_texts(config, [text for _, text in documents], args.jobs)
    words = sum(len(text.split()) for _, text in documents)
    by_rule: dict[str, list[tuple[int, Flag]]] = {}
    for index, found in enumerate(flags):
        for flag in found:
            by_rule.setdefault(flag.rule, []).append((index, flag))
    active = {item.rule.name: item.rule for item in Linter(config).active_rules(None) if _runs_offline(item.rule)}
    rows = []
    for rule in sorted(set(active) | set(by_rule)):
        hits = by_rule.get(rule, [])
        docs = len({index for index, _ in hits})
        label = rule if rule not in active or "default" in active[rule].presets else f"{rule} (not in default preset)"
        rows.append([label, len(hits), f"{1000 * len(hits) / words:.2f}" if words else "-", docs])
    title = f"{len(documents):,} articles, {words:,} words{note}"
    table = f"{title}\n\n" + markdown_table(["rule", "flags", "per 1,000 words", "articles flagged"], rows)
    samples = {}
    if args.sample_flags:
        rng = random.Random(args.seed)
        for rule, hits in sorted(by_rule.items()):
            picked = rng.sample(hits, min(args.sample_flags, len(hits)))
            samples[rule] = [
                f"- [{corpus}:{documents[index][0]} @{flag.offset}] {flag.message}\n  "
                + enclosing_sentence(documents[index][1], flag.offset, flag.end_offset)
                for index, flag in picked
            ]
    return NewsResult(table, samples)


# -- driver ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="folder holding the corpora")
    parser.add_argument("--only", choices=CORPORA, action="append", help="measure only this corpus (repeatable)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--reuters-limit", type=int, default=3000, help="Reuters articles to lint (default 3000)")
    parser.add_argument("--sample-flags", type=int, default=0, metavar="N",
                        help="write N random flags per rule and news corpus, with their sentences")
    parser.add_argument("--seed", type=int, default=1, help="seed of the flag sample")
    parser.add_argument("--sample-out", type=Path, default=Path("/tmp/citelint-flag-sample.md"),
                        help="file for the flag sample; must be outside the repository")
    return parser


def _inside_repo(path: Path) -> bool:
    return path.resolve().is_relative_to(REPO)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.sample_flags and _inside_repo(args.sample_out):
        print(f"error: --sample-out {args.sample_out} is inside the repository; corpus text must not be "
              "committed, so write it under /tmp", file=sys.stderr)
        return 2
    config = measurement_config()
    command = shlex.join(["python3", "benchmarks/corpus_eval.py", *(sys.argv[1:] if argv is None else argv)])
    print(f"$ {command}\n\ncitelint {__version__}; rules: default preset"
          + (f" + {', '.join(config.extend_select)}" if config.extend_select else "") + f"; jobs {args.jobs}\n")
    labelled = {"wikiweasel": eval_wikiweasel, "claimbuster": eval_claimbuster, "citation-need": eval_citation_need}
    samples: dict[str, dict[str, list[str]]] = {}
    for corpus in args.only or CORPORA:
        folder = args.corpora / corpus
        started = time.perf_counter()
        try:
            if corpus in labelled:
                body = labelled[corpus](folder, config, args)
            else:
                if corpus == "bbc":
                    documents, unreadable = bbc_documents(folder)
                else:
                    documents = list(reuters_documents(folder / "reuters21578_articles.jsonl", args.reuters_limit))
                    unreadable = []
                if not documents:
                    raise FileNotFoundError(f"no articles under {folder}")
                note = f"; unreadable, not linted: {', '.join(unreadable)}" if unreadable else ""
                result = eval_news(documents, config, args, corpus, note)
                body, samples[corpus] = result.table, result.samples
        except (OSError, ValueError, KeyError) as error:
            print(f"## {corpus}\n\nskipped: {error}\n")
            continue
        print(f"## {corpus}\n\n{body}\n\n({time.perf_counter() - started:.1f} s)\n", flush=True)
    if args.sample_flags and samples:
        _write_samples(args, samples)
    return 0


def _write_samples(args, samples: dict[str, dict[str, list[str]]]) -> None:
    lines = [f"# citelint flag sample: {args.sample_flags} per rule, seed {args.seed}",
             "", "Corpus text: for judging only, never commit.", ""]
    for corpus, by_rule in samples.items():
        for rule, entries in by_rule.items():
            lines += [f"## {corpus} / {rule}", "", *entries, ""]
    args.sample_out.parent.mkdir(parents=True, exist_ok=True)
    args.sample_out.write_text("\n".join(lines), encoding="utf-8")
    print(f"flag sample written to {args.sample_out}")


if __name__ == "__main__":
    sys.exit(main())
