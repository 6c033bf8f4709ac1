"""Hostile input to the analysis (issue 15): deep relative-clause chains and long run-on
text must neither crash the attribution rules nor make the work per finding grow with
the length of the paragraph."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from citelint.analysis import Analysis
from citelint.analysis.attributions import _QuoteMarks, find_attributions
from citelint.analysis.registry import load_registry
from citelint.analysis.sources import _Holders, _Taken
from citelint.document import parse


def _attributions(text: str):
    return find_attributions(Analysis(parse(text, "story.txt", "text")))


def test_a_long_chain_of_relative_clauses_does_not_crash(tmp_path, cli):
    story = tmp_path / "chain.txt"
    story.write_text(
        "Mara Quill" + ", who" * 1500 + " said that 300 ferries sank.\n\n"
        "Experts said 900 ferries sank.\n",
        encoding="utf-8",
    )
    run = cli("--format", "json", "--min-confidence", "0", str(story))
    diagnostics = run.json()["diagnostics"]
    assert not [d for d in diagnostics if d["rule"] == "internal-error"], diagnostics
    # The next paragraph's findings are still reported.
    assert any(d["line"] == 3 and d["rule"] == "vague-attribution" for d in diagnostics), diagnostics


def test_the_subject_before_a_relative_clause_is_still_found():
    found = _attributions("Mara Quill, who runs the ferry office, said that 300 ferries sank.")
    said = next(a for a in found if a.cue.text == "said")
    assert said.source is not None and said.source.text.startswith("Mara Quill")
    assert said.source_kind == "named"


def test_a_quotation_opened_in_an_earlier_sentence_is_the_content():
    text = "“The pier is unsafe. It will close,” the harbour master said."
    said = next(a for a in _attributions(text) if a.cue.text == "said")
    assert said.content is not None and said.content.text.startswith("“The pier is unsafe.")


def _open_quote_start_by_rescanning(block_text: str, sentence_start: int, sentence_text: str) -> int | None:
    """The former per-attribution re-scan of the paragraph, as the reference."""
    before = block_text[:sentence_start]
    curly_open, curly_close = before.rfind("“"), before.rfind("”")
    if curly_open > curly_close and "“" not in sentence_text.split("”")[0]:
        return curly_open
    if before.count('"') % 2 == 1 and '"' in sentence_text:
        return before.rfind('"')
    return None


def test_quote_marks_found_once_answer_as_the_rescan_did():
    rng = random.Random(15)
    for _ in range(400):
        text = "".join(rng.choice("ab .“”\"") for _ in range(rng.randint(0, 30)))
        marks = _QuoteMarks(text)
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 1):
                expected = _open_quote_start_by_rescanning(text, start, text[start:end])
                assert marks.open_quote_start(start, end) == expected, (text, start, end)


def test_span_text_is_read_from_the_shared_sentence():
    text = "Ferry operators said the timetable would change on Monday."
    said = next(a for a in _attributions(text) if a.cue.text == "said")
    assert said.content is not None
    assert said.content.text == text[said.content.start : said.content.end]
    assert "would change" in said.content.text


@pytest.mark.parametrize("prefix", ["", "harbour " * 5000, "x" * 20000 + " ", "ferry\n" * 3000])
def test_caps_runs_are_judged_the_same_on_a_long_line(prefix):
    registry = load_registry()
    for sentence in ("THE CPJ REPORT WAS LATE", "the CPJ said", "non-CPJ staff", "A CPJ B"):
        short = [(m.start, m.text) for m in registry.find(sentence)]
        long = [(m.start - len(prefix), m.text) for m in registry.find(prefix + sentence + " " + prefix)]
        assert long == short, sentence


def test_overlap_and_holding_lookups_agree_with_all_pairs():
    rng = random.Random(15)
    for _ in range(300):
        taken = _Taken([])
        spans: list[tuple[int, int]] = []
        for _ in range(rng.randint(0, 20)):
            start = rng.randint(0, 60)
            end = start + rng.randint(0, 6)
            query = rng.randint(0, 60)
            query_span = (query, query + rng.randint(0, 6))
            assert taken.overlaps(*query_span) == any(s < query_span[1] and query_span[0] < e for s, e in spans)
            if not any(s < end and start < e for s, e in spans):  # candidates never overlap
                spans.append((start, end))
                taken.add(start, end)
        holders_spans = [(s, s + rng.randint(0, 15)) for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 10)))]
        holders = _Holders(holders_spans)
        for start in range(0, 70, 3):
            for end in range(start, start + 10):
                expected = any(s <= start and end <= e for s, e in holders_spans)
                assert holders.holds(start, end) == expected


@pytest.mark.parametrize(
    "unit",
    [
        "according to ",
        "according to the Riverside Housing Institute ",
        "officials said the plan failed and ",
        "the CPJ and ",
    ],
)
def test_run_on_text_does_not_blow_up(tmp_path, unit):
    """Guards against a blow-up (quadratic time or memory, a crash) on 300 KB of run-on text
    with no full stop; not a speed target, so the timeout is generous."""
    story = tmp_path / "run-on.txt"
    story.write_text((unit * (300_000 // len(unit)))[:300_000] + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "citelint", "--format", "json", str(story)],
        capture_output=True, text=True, timeout=240, check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    diagnostics = json.loads(done.stdout)["diagnostics"]
    assert not [d for d in diagnostics if d["rule"] == "internal-error"]
