"""citelint's own training set: articles from the shared corpora, annotated blind to the guide.

    python3 benchmarks/training_set.py pick OUT          # lay out the unannotated pool for annotators
    python3 benchmarks/training_set.py store GOLD_DIR    # keep annotators' gold files, as offsets
    python3 benchmarks/training_set.py build OUT         # articles/ + gold/ for score_full.py
    ... store|build --store benchmarks/training/second   # the second annotation (agreement.py)

The pool is drawn with a fixed seed from BBC, Reuters and PolNeAR *train*, never from the
annotated dev set (``../shared/corpora/annotated``) nor PolNeAR dev. Articles are laid out
exactly as the dev set lays them out (``bbc-<category>-NNN.txt``, ``reuters-NNNNN.txt`` =
line NNNNN of the JSONL as ``title\\n\\nbody\\n``, ``polnear-train-<file>``), so
``score_full.py`` and ``check_gold.py`` run on the built folder unchanged.

Corpus text may not be committed, so the repository keeps each gold place as character
offsets plus a short hash of its text (``benchmarks/training/gold/<name>.yml``); ``build``
turns them back into the guide's ``text:`` form from the corpora, and refuses a place whose
hash no longer matches.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
STORE = ROOT / "benchmarks" / "training" / "gold"
#: A second annotation, made apart and blind to the first, of a sample of the stored articles:
#: how far two annotators agree bounds what a scorer learnt from one of them can reach.
SECOND_STORE = ROOT / "benchmarks" / "training" / "second"
SEED = 20261204
MIX = {"bbc": 2158, "reuters": 8915, "polnear": 556}
WORDS = (100, 900)
# A second tier, drawn after the first from the same shuffled lists so that the first stays as it
# was: the longer articles, which carry more of the writer's own claims than short wire copy.
LONG_MIX = {"bbc": 25, "reuters": 13, "polnear": 219}
LONG_WORDS = (901, 1500)


def article_text(name: str, corpora: Path = CORPORA) -> str:
    """The text of a pool article, exactly as the dev set lays such an article out."""
    if name.startswith("bbc-"):
        _, category, number = name[: -len(".txt")].split("-")
        return (corpora / "bbc" / category / f"{number}.txt").read_text(encoding="utf-8", errors="replace")
    if name.startswith("reuters-"):
        line = int(name[len("reuters-") : -len(".txt")])
        with open(corpora / "reuters" / "reuters21578_articles.jsonl", encoding="utf-8") as handle:
            for index, row in enumerate(handle):
                if index == line:
                    return _reuters_article(json.loads(row))
        raise KeyError(name)
    if name.startswith("polnear-train-"):
        return (corpora / "polnear" / "train" / "text" / name[len("polnear-train-") :]).read_text(encoding="utf-8")
    raise KeyError(name)


def _reuters_article(item: dict) -> str:
    return f"{item['title']}\n\n{item['body']}\n"


def corpus_articles(corpora: Path = CORPORA) -> Iterator[tuple[str, str]]:
    """(name, text) of every article of BBC, Reuters and PolNeAR train, named and laid out as
    :func:`article_text` names and lays them out, read in one pass."""
    for path in sorted((corpora / "bbc").glob("*/*.txt")):
        yield f"bbc-{path.parent.name}-{path.stem}.txt", path.read_text(encoding="utf-8", errors="replace")
    with open(corpora / "reuters" / "reuters21578_articles.jsonl", encoding="utf-8") as handle:
        for index, row in enumerate(handle):
            yield f"reuters-{index:05d}.txt", _reuters_article(json.loads(row))
    for path in sorted((corpora / "polnear" / "train" / "text").glob("*.txt")):
        yield f"polnear-train-{path.name}", path.read_text(encoding="utf-8")


def write_gzipped_json(path: Path, payload: dict) -> None:
    """``payload`` as compact JSON, gzipped with no timestamp: the same data writes the same bytes."""
    import gzip

    with gzip.GzipFile(path, "wb", mtime=0) as handle:
        handle.write(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def _fits(text: str, words: tuple[int, int] = WORDS) -> bool:
    return words[0] <= len(text.split()) <= words[1]


def _normalised(text: str) -> str:
    return " ".join(text.split())


class DevSet:
    """The annotated dev set's articles, to keep out of training by name and by text: the corpora
    hold some of them twice, under other names (a BBC story filed under two numbers, a Reuters
    story sent twice)."""

    def __init__(self, corpora: Path = CORPORA):
        articles = sorted((corpora / "annotated" / "articles").glob("*"))
        self.names = {path.name for path in articles}
        self.texts = {_normalised(path.read_text(encoding="utf-8", errors="replace")) for path in articles}

    def holds(self, name: str, text: str) -> bool:
        return name in self.names or _normalised(text) in self.texts


def pool(corpora: Path = CORPORA) -> list[str]:
    """The fixed draw of article names (dev-set articles and their copies excluded)."""
    rng = random.Random(SEED)
    dev = DevSet(corpora)
    texts = dict(corpus_articles(corpora))
    by_corpus: dict[str, list[str]] = {corpus: [] for corpus in MIX}
    for name in texts:
        by_corpus[name.split("-")[0]].append(name)
    names: list[str] = []
    for corpus, candidates in by_corpus.items():
        candidates.sort()
        rng.shuffle(candidates)
        names += _draw(candidates, MIX[corpus], WORDS, dev, texts)
    for corpus, candidates in by_corpus.items():
        names += _draw(candidates, LONG_MIX[corpus], LONG_WORDS, dev, texts)
    return names


def _draw(candidates: list[str], wanted: int, words: tuple[int, int], dev: DevSet, texts: dict[str, str]) -> list[str]:
    """The first ``wanted`` of ``candidates`` whose length is within ``words``, dev articles left out."""
    taken: list[str] = []
    for name in candidates:
        if len(taken) == wanted:
            break
        if not dev.holds(name, texts[name]) and _fits(texts[name], words):
            taken.append(name)
    return taken


def guide_places(text: str, gold: Path) -> list[tuple[int, dict]]:
    """(offset, item) of every place of a guide-form gold file; offset -1 when its text is
    not in the article (``n`` times)."""
    found = []
    for item in (yaml.safe_load(gold.read_text(encoding="utf-8")) or {}).get("expect") or []:
        start = -1
        for _ in range(int(item.get("n", 1))):
            start = text.find(item["text"], start + 1)
            if start < 0:
                break
        found.append((start, item))
    return found


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def store(gold_dir: Path, corpora: Path = CORPORA, into: Path = STORE) -> int:
    """Turn guide-form gold files into offset form under ``into`` (benchmarks/training/gold)."""
    into.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(gold_dir.glob("*.yml")):
        name = path.stem + ".txt"
        text = article_text(name, corpora)
        places = []
        for start, item in guide_places(text, path):
            if start < 0:
                raise SystemExit(f"{path}: text not in the article: {item['text'][:50]!r}")
            place = {"rule": item["rule"], "offset": start, "length": len(item["text"]), "sha1": _digest(item["text"])}
            if item.get("optional"):
                place["optional"] = True
            places.append(place)
        (into / f"{path.stem}.yml").write_text(
            f"# {name}: gold places as offsets into the article (built by benchmarks/training_set.py)\n"
            + yaml.safe_dump({"expect": places}, sort_keys=False, default_flow_style=None, width=200),
            encoding="utf-8",
        )
        count += 1
    return count


def build(out: Path, corpora: Path = CORPORA, limit: int | None = None, source: Path = STORE,
          names: set[str] | None = None) -> int:
    """Write articles/ and guide-form gold/ for every annotation stored in ``source`` (the first
    ``limit``; only those named in ``names``, without their ".yml", when given)."""
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    count = 0
    for path in [path for path in sorted(source.glob("*.yml")) if names is None or path.stem in names][:limit]:
        name = path.stem + ".txt"
        text = article_text(name, corpora)
        expect = []
        for place in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("expect") or []:
            span = text[place["offset"] : place["offset"] + place["length"]]
            if _digest(span) != place["sha1"]:
                raise SystemExit(f"{path}: the article changed at offset {place['offset']}")
            item = {"rule": place["rule"], "text": span}
            occurrence = text.count(span, 0, place["offset"])
            if occurrence:
                item["n"] = occurrence + 1
            if place.get("optional"):
                item["optional"] = True
            expect.append(item)
        (out / "articles" / name).write_text(text, encoding="utf-8")
        (out / "gold" / path.name).write_text(
            yaml.safe_dump({"expect": expect}, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8"
        )
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["pick", "store", "build"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--corpora", type=Path, default=CORPORA)
    parser.add_argument("--store", type=Path, default=STORE,
                        help=f"where annotations are stored as offsets (default {STORE.relative_to(ROOT)}; "
                             f"the second annotation: {SECOND_STORE.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    if args.command == "pick":
        (args.folder / "articles").mkdir(parents=True, exist_ok=True)
        names = pool(args.corpora)
        for name in names:
            (args.folder / "articles" / name).write_text(article_text(name, args.corpora), encoding="utf-8")
        print(f"{len(names)} articles in {args.folder / 'articles'}")
    elif args.command == "store":
        print(f"{store(args.folder, args.corpora, args.store)} annotations stored in {args.store}")
    else:
        print(f"{build(args.folder, args.corpora, source=args.store)} articles with gold in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
