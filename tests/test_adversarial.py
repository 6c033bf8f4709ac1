"""Adversarial input (issue 15) that made work grow faster than the text: each test pins the
cause, by counting the work or by comparing with the former all-pairs reading, never by
timing (benchmarks/adversarial.py measures the time)."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import marko
import pytest

from citelint import diagnostics, engine
from citelint.analysis import Analysis, cues
from citelint.analysis import provenance as provenance_module
from citelint.analysis.attributions import tokenize
from citelint.analysis.provenance import FigurePolicy
from citelint.analysis.sentences import MAX_SENTENCE_CHARS
from citelint.analysis.sources import _Holders
from citelint.diagnostics import Diagnostic
from citelint.document import markdown, parse
from citelint.suppressions import _suppressed, _Suppression

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import adversarial  # noqa: E402


def _analysis(text: str, fmt: str = "text") -> Analysis:
    return Analysis(parse(text, "story." + {"text": "txt", "markdown": "md", "html": "html"}[fmt], fmt))


# -- the analysis ----------------------------------------------------------------------


def test_a_row_of_figures_is_judged_as_data_once_not_once_per_figure(monkeypatch):
    calls: list[str] = []
    real = provenance_module.looks_like_data

    def counting(text: str) -> bool:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(provenance_module, "looks_like_data", counting)
    analysis = _analysis(", ".join(str(n) for n in range(100, 400)) + ".\n\nOfficials said 40 homes flooded.\n")
    verdicts = analysis.figure_verdicts(FigurePolicy())
    assert len(verdicts) == 301
    assert sorted(set(calls)) == sorted(calls) and len(calls) == 2  # one call per sentence with figures
    assert {v.reason for v in verdicts[:300]} == {"data-row"}


def test_an_over_long_sentence_is_decided_by_a_named_cheap_strategy(tmp_path, cli):
    """A "sentence" longer than any prose is not analysed (its attributions, figures and
    sources made work grow with its length); its verdict says so, and the next paragraph is
    analysed as usual."""
    repeats = MAX_SENTENCE_CHARS // 30
    story = tmp_path / "run-on.txt"
    story.write_text("officials said the plan failed and " * repeats + "\n\n"
                     + "according to the CPJ 40 homes flooded and " * repeats + "\n\n"
                     + "Experts said 900 ferries sank.\n", encoding="utf-8")
    shown = cli("inspect", "--format", "json", str(story)).json()
    no_figures, figures, short = shown["sentences"]
    for long in (no_figures, figures):
        assert len(long["text"]) > MAX_SENTENCE_CHARS
        assert (long["verdict"]["status"], long["verdict"]["reason"]) == ("no-claim", "over-long-sentence")
    for analysed in ("attributions", "figures", "sources"):
        assert {item["sentence"] for item in shown[analysed]} <= {2}, analysed
    assert shown["findings"] and {d["line"] for d in shown["findings"]} == {5}  # the short paragraph's


def test_a_sentence_at_the_bound_is_still_analysed():
    sentence = ("Officials said " + "the harbour " * 500)[: MAX_SENTENCE_CHARS - 22] + " and 40 homes flooded."
    analysis = _analysis(sentence + "\n")
    (only,) = analysis.sentences
    assert len(only.text) == MAX_SENTENCE_CHARS and not only.over_long
    assert analysis.attributions


def test_link_overlap_by_search_agrees_with_all_pairs():
    rng = random.Random(15)
    for _ in range(500):
        spans = [(s, s + rng.randint(0, 8)) for s in (rng.randint(0, 50) for _ in range(rng.randint(0, 8)))]
        links = _Holders(spans)
        for start in range(0, 60, 2):
            for end in range(start, start + 6):
                assert links.overlaps(start, end) == any(s < end and start < e for s, e in spans), (spans, start, end)


@pytest.mark.parametrize("url, linked", [
    ("https://cpj.org/report", True), ("https://www.cpj.org/report", True), ("https://notcpj.org/report", False),
    ("https://cpj.org.example.net/report", False),
])
def test_a_link_to_the_sources_domain_is_found_by_its_host_suffixes(url, linked):
    analysis = _analysis(f"The CPJ said 3 reporters were held ({url}).\n")
    (mention,) = [m for m in analysis.source_mentions if m.name == "CPJ"]
    assert (mention.link_reason == "link-to-its-domain") == linked


# -- suppressions ----------------------------------------------------------------------


def _covers_by_testing_every_pair(suppression: _Suppression, diagnostic: Diagnostic) -> bool:
    """The former test of each suppression against each diagnostic, as the reference."""
    if suppression.rules and diagnostic.code not in suppression.rules:
        return False
    return suppression.start_line <= diagnostic.line <= suppression.end_line


def test_suppression_by_search_agrees_with_testing_every_pair():
    rng = random.Random(15)
    codes = ["CIT101", "CIT102", "CIT103"]
    for _ in range(400):
        suppressions = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randint(0, 30)
            rules = tuple(rng.sample(codes, rng.randint(0, 2)))
            suppressions.append(_Suppression("disable", rules, 0, 0, start, start + rng.choice([0, 1, 5, 10**9])))
        diagnostics = [Diagnostic("a.md", rng.choice(codes), "r", "warning", "m", line, 1, line, 2, 0, 1)
                       for line in (rng.randint(1, 40) for _ in range(rng.randint(0, 12)))]
        hidden = _suppressed(suppressions, diagnostics)
        assert hidden == [any(_covers_by_testing_every_pair(s, d) for s in suppressions) for d in diagnostics]
        assert [s.used for s in suppressions] == [
            any(_covers_by_testing_every_pair(s, d) for d in diagnostics) for s in suppressions]


# -- fingerprints ----------------------------------------------------------------------


def test_findings_sharing_a_long_context_hash_it_once(monkeypatch):
    hashed: list[int] = []
    real = hashlib.sha256

    def measuring(data: bytes = b""):
        hashed.append(len(data))
        return real(data)

    monkeypatch.setattr(diagnostics.hashlib, "sha256", measuring)
    context = "Officials said the plan failed and " * 3000  # 105,000 characters
    prints = {diagnostics.fingerprint("vague-attribution", f"officials said {n}", context) for n in range(200)}
    assert len(prints) == 200
    assert sum(hashed) < 2 * len(context)  # the context once, not once per finding


def test_fingerprints_of_prose_sized_contexts_are_unchanged():
    """Baselines written before keep matching: the fingerprint of ordinary findings is the same hash."""
    normal = "figure 40\x00officials said 40 homes flooded."
    expected = hashlib.sha256(f"unsourced-figure\x00{normal}".encode()).hexdigest()[:32]
    assert diagnostics.fingerprint("unsourced-figure", "Figure  40", "Officials said 40\nhomes flooded.") == expected


# -- Markdown too large or too deep for the parser -----------------------------------------


@pytest.mark.parametrize("why, padding", [
    ("longer than", "Filler line for the size limit.\n" * (1_000_000 // 32 + 1)),
    ("nested more than", "> " * 40 + "Quoted deep down.\n"),
])
def test_the_plain_fallback_keeps_links_and_says_why(why, padding):
    source = (padding + "\nThe council cited [its report](https://example.org/report) and <https://example.org/a>,"
              " as https://example.org/b shows.\n")
    document = markdown.read(source, "story.md")
    assert [problem.code for problem in document.problems] == ["malformed-input"]
    assert why in document.problems[0].message
    found = [(link.kind, link.url) for link in document.links]
    assert found == [("inline", "https://example.org/report"), ("autolink", "https://example.org/a"),
                     ("bare", "https://example.org/b")]
    for link in document.links:
        block = document.blocks[link.block]
        assert block.text[link.start : link.end] == link.text
        assert source[link.offset : link.end_offset].endswith((")", ">", "b"))
    assert [link.text for link in document.links] == ["its report", "https://example.org/a", "https://example.org/b"]


def test_unclosed_html_openings_are_not_scanned_again_from_each(monkeypatch):
    """marko's lazy branches read to the paragraph's end from every ``<?``, ``<!A `` or
    ``<![CDATA[`` that nothing closes; once the closing string is gone, its branch is left out."""
    patterns = []
    real = markdown._InlineHTML._pattern

    def recording(closable):
        patterns.append(closable)
        return real(closable)

    monkeypatch.setattr(markdown._InlineHTML, "_pattern", recording)
    text = "a <!-- b --> <? c ?> " + "a <? <!A <![CDATA[ <!-- " * 500
    spans = [m.span() for m in markdown._InlineHTML.find(text, source=None)]  # type: ignore[arg-type]
    assert spans == [(2, 12), (13, 20)]
    assert set(patterns[4:]) == {(False, False, False, False)}  # after the last closing strings


def test_the_garbage_collector_rests_while_marko_parses_and_only_then(monkeypatch):
    seen = []
    real_parse = marko.Markdown.parse

    def parse(self, text):
        seen.append(gc.isenabled())
        return real_parse(self, text)

    monkeypatch.setattr(marko.Markdown, "parse", parse)
    assert gc.isenabled()
    markdown.read("Officials said 40 homes flooded.\n", "story.md")
    assert seen == [False] and gc.isenabled()


# -- output encoding -------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("command", [[], ["--format", "json"], ["inspect"]])
def test_reports_reach_a_stdout_of_any_encoding_as_utf8(tmp_path, encoding, command):
    story = tmp_path / "story.txt"
    story.write_text("Le maire a dit que 40 maisons — “inondées” — 東京 étaient touchées.\n", encoding="utf-8")
    every_finding = [] if command == ["inspect"] else ["--min-confidence", "0"]
    run = subprocess.run([sys.executable, "-m", "citelint", *command, *every_finding, story.name], cwd=tmp_path,
                         capture_output=True,
                         env={**os.environ, "PYTHONIOENCODING": encoding}, timeout=120, check=False)
    assert run.returncode in (0, 1), run.stderr
    shown = run.stdout.decode("utf-8")
    assert "東京" in shown or "40" in shown
    if command == ["--format", "json"]:
        assert json.loads(shown)["diagnostics"]


# -- memory that grew with the run -----------------------------------------------------


def test_the_cue_tagger_memo_stops_growing_and_still_tags_the_same(monkeypatch):
    tagger = cues.CueTagger.load()
    assert tagger is not None
    sentence = tokenize("The minister said the harbour would close.")
    expected = tagger.tag(sentence, [False] * len(sentence))
    monkeypatch.setattr(cues, "_FORM_LIMIT", 50)
    for number in range(40):
        words = " ".join(f"zq{number}x{index}" for index in range(10))
        tokens = tokenize(words + " said.")
        tagger.tag(tokens, [False] * len(tokens))
        assert len(tagger._forms) <= 50
    assert tagger.tag(sentence, [False] * len(sentence)) == expected


def test_jobs_are_capped_at_the_cpus_with_a_notice(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert engine.job_limit() == 4
    assert engine.worker_count(SimpleNamespace(jobs=1000), 10_000) == 4  # type: ignore[arg-type]
    monkeypatch.setattr(os, "cpu_count", lambda: 512)
    assert engine.worker_count(SimpleNamespace(jobs=0), 10_000) == engine.MAX_JOBS  # type: ignore[arg-type]
    for number in range(3):
        (tmp_path / f"story{number}.txt").write_text(f"Officials said {number + 20} homes flooded.\n", encoding="utf-8")
    run = cli("--jobs", "1000", "--format", "json", str(tmp_path))
    assert [n["message"] for n in run.json()["notices"]] == ["jobs: 1000 asked for, 32 used (one per CPU, at most 32)"]


# -- benchmarks/adversarial.py (its logic; the timing is the script's) ---------------------


def test_every_adversarial_family_builds_text_of_the_size_asked():
    for family in adversarial.FAMILIES:
        for size in (10_000, 100_000):
            assert len(family.build(size)) == size, family.name


def test_adversarial_verdicts_judge_time_memory_errors_and_growth():
    def runs(*seconds, rss=100.0, errors=0):
        return [adversarial.Result("f", size, s, rss, 0, errors, 0, "ok" if s is not None else "timeout")
                for size, s in zip(adversarial.SIZES, seconds, strict=True)]

    assert adversarial.verdict(runs(0.05, 0.5, 5.0)) == "pass"
    assert adversarial.verdict(runs(0.01, 0.05, 4.0)) == "pass"  # 0.01 -> 0.05 s is too short to judge
    assert adversarial.verdict(runs(0.2, 0.5, 5.0)) == "pass"
    assert adversarial.verdict(runs(0.1, 1.0, 40.0)) == "FAIL: 40 s, exponent 1.60"
    assert adversarial.verdict(runs(0.1, 1.0, 5.0, rss=800.0)) == "FAIL: 800 MB"
    assert adversarial.verdict(runs(0.1, 1.0, 5.0, errors=1)) == "FAIL: internal error"
    assert adversarial.verdict(runs(0.1, 1.0, None)) == "FAIL: timeout"


def _links_by_a_pass_over_the_block(analysis: Analysis) -> list[list]:
    """The former search of each link's block, sentence by sentence, as the reference."""
    by_sentence: list[list] = [[] for _ in analysis.sentences]
    starts: dict[int, list] = {}
    for sentence in analysis.sentences:
        starts.setdefault(sentence.block, []).append(sentence)
    for link in analysis.document.links:
        if link.block is None:
            continue
        for sentence in starts.get(link.block, ()):
            if sentence.start <= link.start and (
                link.start < sentence.end or (link.start == sentence.end and link.end == link.start)
            ):
                by_sentence[sentence.index].append(link)
                break
            if link.start < sentence.start:
                if sentence.index > 0:
                    by_sentence[sentence.index - 1].append(link)
                break
        else:
            if starts.get(link.block):
                by_sentence[starts[link.block][-1].index].append(link)
    return by_sentence


def test_citations_found_by_search_are_those_of_a_pass_over_the_block():
    rng = random.Random(15)
    pieces = ["Officials said 40 homes flooded. ", "[report](https://example.org/r)", "[^1]", " ", "\n\n",
              "It rose.[^1] ", "<https://example.org/a> ", "See https://example.org/b. ", "Why? ", "# Head\n"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))) + "\n\n[^1]: https://example.org/f\n"
        analysis = _analysis(text, "markdown")
        assert analysis.sentence_links == _links_by_a_pass_over_the_block(analysis), text
