"""How well citelint reads real web pages: is the article read, and only the article?

    .venv/bin/python benchmarks/web_eval.py [--corpus ../shared/corpora/web] [--jobs N] [--show-lost]

``--show-lost`` lists (name, URL) the pages whose article is lost and the pages declared English
that were skipped as another language, for a person to check.

The corpus (``web/pages.json``) marks, for each saved page, snippets of its main text (``with``) and
of its furniture (``without``: menus, teasers, footers, dates, comments) and the language the page
declares. Every page is linted as ``citelint FILE`` would lint it (default configuration, from the
repository root) and the analysis is read as ``citelint inspect FILE --format json`` prints it.
Printed:

- pages whose article is lost: declared English, not skipped as non-English, and fewer than half
  of their ``with`` snippets found in the sentences citelint read (and, of those, the pages where
  no snippet at all was read); and the same counting the article's code blocks too (``blocks``
  of kind ``code`` that inspect lists: code the reader kept but, rightly, does not lint as prose);
- furniture read: ``without`` snippets found in the sentences of the English pages linted;
- findings on furniture: findings (rule findings; engine notes such as ``malformed-input`` are
  counted apart) whose sentence lies in a ``without`` snippet, as a share of all findings; and the
  share whose sentence lies in a ``with`` snippet (the rest fall on text neither list marks);
- pages detected as not English (a ``skipped: not English`` notice), split by declared language;
- pages not decoded (an unreadable-file finding).

Snippets and sentences are compared after Unicode NFKC, straight quotes and collapsed
whitespace; a snippet counts as read when its first 60 characters appear in the page's sentences
(or, for the second figure, sentences and code blocks) joined by spaces. A sentence is taken both
as citelint reads it and as the page shows its stretch of the source (tags and scripts dropped,
character references decoded): inline code inside a sentence is read as one space, not linted as
prose, but it is part of a sentence that was read. Nothing from the corpus is written anywhere.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shlex
import sys
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.inspecting import inspect_file  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "web"
#: Characters of a snippet that must be found for it to count as read.
_PREFIX = 60
#: A furniture snippet shorter than this is not matched inside a longer sentence ("Share", "1h").
_MIN_INSIDE = 20
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_SPACE = re.compile(r"\s+")
#: Markup inside a sentence's stretch of the page: a script or style with its content, or a tag.
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^<>]*>", re.DOTALL | re.IGNORECASE)
_ENGINE_PREFIX = "CIT0"


def normalise(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTES)).strip().lower()


def _lint_page(path: str) -> dict[str, Any]:
    """Lint one page in a worker; return its inspect JSON and notices, and each sentence's stretch
    of the page as the page shows it (tags dropped, references decoded)."""
    data, report = inspect_file(Path(path))
    source = data.pop("source")
    data["shown"] = [html.unescape(_TAG.sub(" ", source[sentence["offset"] : sentence["end_offset"]]))
                     for sentence in data["sentences"]]
    data["findings"] = [{"code": d.code, "offset": d.offset, "end_offset": d.end_offset, "message": d.message}
                        for d in report.diagnostics]
    data["notices"] = [notice.message for notice in report.notices]
    return data


def _read(snippet: str, joined: str) -> bool:
    wanted = normalise(snippet)[:_PREFIX]
    return bool(wanted) and wanted in joined


def _sentence_of(sentences: list[dict[str, Any]], offset: int) -> str | None:
    for sentence in sentences:
        if sentence["offset"] <= offset < sentence["end_offset"]:
            return normalise(sentence["text"])
    return None


def _lies_in(sentence: str, snippets: list[str]) -> bool:
    return any(sentence[:_PREFIX] in snippet or (len(snippet) >= _MIN_INSIDE and snippet in sentence)
               for snippet in snippets)


def evaluate(corpus: Path, jobs: int, show_lost: bool) -> None:
    pages = json.loads((corpus / "pages.json").read_text(encoding="utf-8"))
    names = sorted(pages)
    paths = [str(corpus / "pages" / name) for name in names]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = dict(zip(names, pool.map(_lint_page, paths, chunksize=4), strict=True))
    english = lost = lost_with_code = none_read = skipped_english = furniture_read = furniture_total = 0
    lost_pages: list[str] = []
    skipped_pages: list[str] = []
    findings = Counter()
    detected = Counter()
    undecoded = 0
    for name in names:
        page, data = pages[name], results[name]
        declared_english = (page.get("lang") or "").lower().startswith("en")
        skipped = any(notice.startswith("skipped: not English") for notice in data["notices"])
        detected[("declared English" if declared_english else "declared other", skipped)] += 1
        if any(f["code"] == "CIT001" for f in data["findings"]):
            undecoded += 1
        joined = " ".join(normalise(text) for text in (*(sentence["text"] for sentence in data["sentences"]),
                                                           *data["shown"]))
        read = sum(_read(snippet, joined) for snippet in page["with"])
        code = " ".join(normalise(block["text"]) for block in data.get("blocks", []) if block["kind"] == "code")
        read_with_code = sum(_read(snippet, f"{joined} {code}") for snippet in page["with"])
        if declared_english:
            english += 1
            if skipped:
                skipped_english += 1
                skipped_pages.append(f"{name} {data['notices'][0]} {page.get('url', '')}")
            else:
                furniture_read += sum(_read(snippet, joined) for snippet in page["without"])
                furniture_total += len(page["without"])
                lost_with_code += read_with_code * 2 < len(page["with"])
                if read * 2 < len(page["with"]):
                    lost += 1
                    none_read += read == 0
                    lost_pages.append(f"{name} {read}/{len(page['with'])} (with code: {read_with_code}) "
                                      f"{page.get('url', '')}")
        without = [normalise(snippet) for snippet in page["without"]]
        inside = [normalise(snippet) for snippet in page["with"]]
        for finding in data["findings"]:
            if finding["code"].startswith(_ENGINE_PREFIX):
                findings["engine"] += 1
                continue
            findings["all"] += 1
            sentence = _sentence_of(data["sentences"], finding["offset"])
            if sentence is None:
                findings["outside any sentence"] += 1
            elif _lies_in(sentence, without):
                findings["furniture"] += 1
            elif _lies_in(sentence, inside):
                findings["body"] += 1
    total = max(findings["all"], 1)
    print(f"$ {shlex.join([Path(sys.executable).name, 'benchmarks/web_eval.py', '--corpus', str(corpus)])}")
    print(f"pages: {len(names)} ({english} declared English)")
    print(f"article lost (English pages, under half of 'with' snippets read): {lost} "
          f"(none read at all: {none_read}); counting the article's code blocks as read: {lost_with_code}; "
          f"English pages skipped as non-English: {skipped_english}")
    print(f"findings: {findings['all']} (+{findings['engine']} engine notes); on furniture: {findings['furniture']} "
          f"({100 * findings['furniture'] / total:.1f}%); in marked body: {findings['body']} "
          f"({100 * findings['body'] / total:.1f}%); outside any sentence: {findings['outside any sentence']}")
    print(f"furniture snippets read as prose (English pages linted): {furniture_read} of {furniture_total} "
          f"({100 * furniture_read / max(furniture_total, 1):.1f}%)")
    other = detected[("declared other", True)] + detected[("declared other", False)]
    print(f"detected non-English: {detected[('declared other', True)]} of {other} pages declaring another language, "
          f"{detected[('declared English', True)]} of {english} declaring English")
    print(f"pages not decoded (CIT001): {undecoded}")
    if show_lost:
        print("\n".join(["lost pages:", *lost_pages, "English pages skipped:", *skipped_pages]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--show-lost", action="store_true",
                        help="list the pages whose article is lost and the English pages skipped")
    args = parser.parse_args(argv)
    if not (args.corpus / "pages.json").is_file():
        print(f"web_eval: no pages.json in {args.corpus}", file=sys.stderr)
        return 2
    evaluate(args.corpus, args.jobs, args.show_lost)
    return 0


if __name__ == "__main__":
    sys.exit(main())
