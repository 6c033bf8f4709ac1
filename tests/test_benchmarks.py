"""Smoke tests of the benchmark helpers on made-up data (no corpus, no timing)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import corpus_eval  # noqa: E402
import speed  # noqa: E402


def test_score_counts_and_ratios():
    result = corpus_eval.score([True, True, False, False, True], [True, False, True, False, True])
    assert (result.tp, result.fp, result.fn, result.tn) == (2, 1, 1, 1)
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(2 / 3)
    assert result.f1 == pytest.approx(2 / 3)


def test_score_without_predictions_is_zero_not_an_error():
    result = corpus_eval.score([False, False], [True, False])
    assert (result.precision, result.recall, result.f1) == (0.0, 0.0, 0.0)


def test_score_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        corpus_eval.score([True], [True, False])


@pytest.mark.parametrize(
    "tokens, expected",
    [
        ("The river -LRB- now dry -RRB- fed the mill .", "The river (now dry) fed the mill."),
        ("He called it `` a fine harbour '' , and left .", 'He called it "a fine harbour", and left.'),
        ("The town 's mayor did n't agree ; the farmers ' union did .",
         "The town's mayor didn't agree; the farmers' union did."),
        ("It cost $ 40 , about 12 % more -LSB- sic -RSB- .", "It cost $40, about 12% more [sic]."),
        ("Already plain prose.", "Already plain prose."),
    ],
)
def test_detokenize_ptb(tokens, expected):
    assert corpus_eval.detokenize_ptb(tokens) == expected


def test_dev_split_is_deterministic_and_about_a_fifth():
    sentences = [f"Made-up sentence number {n} about the harbour." for n in range(3000)]
    first = [corpus_eval.in_dev_split(s) for s in sentences]
    assert first == [corpus_eval.in_dev_split(s) for s in sentences]
    assert corpus_eval.in_dev_split("A line.") == corpus_eval.in_dev_split("  A line.\n")
    assert 0.17 < sum(first) / len(first) < 0.23


def test_enclosing_sentence_marks_the_span_inside_its_sentence():
    source = "The bridge opened in May. Engineers say it carries 9,000 cars a day. It was late."
    start = source.index("Engineers say")
    sentence = corpus_eval.enclosing_sentence(source, start, start + len("Engineers say"))
    assert sentence == "⟦Engineers say⟧ it carries 9,000 cars a day."


def test_enclosing_sentence_of_a_whole_sentence_span_stops_at_its_end():
    source = "The mill closed in 1990. Its roof fell in later."
    end = source.index(" Its")
    assert corpus_eval.enclosing_sentence(source, 0, end) == "⟦The mill closed in 1990.⟧"


def test_markdown_table_shape():
    table = corpus_eval.markdown_table(["a", "b"], [[1, "x"], [2, "y"]]).splitlines()
    assert table == ["| a | b |", "|---|---|", "| 1 | x |", "| 2 | y |"]


def test_reuters_documents_builds_headline_dateline_body_and_stops_at_limit(tmp_path):
    records = [
        {"newid": 7, "title": "GRAIN SHIPMENTS RISE", "dateline": "HAMBURG, March 3 -", "body": "Loadings rose.\n"},
        {"newid": 8, "title": "", "dateline": "", "body": "No headline here."},
        {"newid": 9, "title": "UNREAD", "dateline": "", "body": "Past the limit."},
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")
    documents = list(corpus_eval.reuters_documents(path, 2))
    assert documents == [
        ("reuters-7", "GRAIN SHIPMENTS RISE\n\nHAMBURG, March 3 - Loadings rose.\n"),
        ("reuters-8", "No headline here.\n"),
    ]


def test_pool_and_serial_linting_agree():
    config = corpus_eval.measurement_config()
    items = [f"Unemployment in district {n} fell to {n}.5% last year, critics say." for n in range(70)]
    serial = corpus_eval.rules_flagging(config, items, jobs=1)
    assert len(serial) == len(items)
    assert corpus_eval.rules_flagging(config, items, jobs=2) == serial


def test_flag_sample_refuses_a_path_inside_the_repository(capsys):
    inside = str(corpus_eval.REPO / "flag-sample.md")
    assert corpus_eval.main(["--only", "bbc", "--sample-flags", "1", "--sample-out", inside]) == 2
    assert "inside the repository" in capsys.readouterr().err
    assert not Path(inside).exists()


def test_findings_counters_read_each_tool_json(tmp_path):
    citelint_out = tmp_path / "c.json"
    citelint_out.write_text(json.dumps({"diagnostics": [{}, {}, {}]}), encoding="utf-8")
    proselint_out = tmp_path / "p.json"
    proselint_out.write_text(json.dumps({"result": {"a": {"diagnostics": [{}]}, "b": {"diagnostics": [{}, {}]}}}))
    assert speed.count_citelint(citelint_out) == 3
    assert speed.count_proselint(proselint_out) == 3
    assert speed.count_citelint(tmp_path / "missing.json") is None


def test_shown_command_abbreviates_files_and_temp_folder(tmp_path):
    argv = [sys.executable, "-m", "citelint", "-o", str(tmp_path / "c.json"), "a.txt", "b.txt"]
    assert speed.shown(argv, 2, tmp_path) == "python3 -m citelint -o $TMP/c.json <2 files>"


def test_citelint_runs_as_installed_or_in_place(tmp_path):
    """The benchmark times the command it was given: an installed ``citelint`` script, or this
    interpreter running the checkout (never the checkout by accident when installed)."""
    script = speed.Citelint((str(tmp_path / "bin" / "citelint"),), str(tmp_path / "bin" / "python"), tmp_path, {})
    assert speed.citelint_argv(script, 1, tmp_path / "c.json", ["a.txt"]) == [
        str(tmp_path / "bin" / "citelint"), "--format", "json", "-q", "-j", "1", "--no-cache", "-o",
        str(tmp_path / "c.json"), "a.txt"]
    here = speed.in_place()
    assert here.command == (sys.executable, "-m", "citelint") and here.cwd == speed.REPO
    assert str(speed.REPO) in here.env["PYTHONPATH"].split(os.pathsep)


def test_a_run_that_errs_gives_no_ratios(capsys):
    ok = speed.Run("citelint -j 1", 1, 10, 0.2, 0.2, 1, 1, 1, 3)
    assert not speed.failed([ok])
    assert speed.failed([ok, speed.Run("citelint -j 0", 1, 10, 0.01, 0.01, 1, 1, 2, None)])
    assert "citelint -j 0 failed" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_tree_rss_counts_this_process():
    assert speed.tree_rss_kb(os.getpid()) > 0


def test_verdict_categories_group_places_and_false_alarms_by_verdict(tmp_path):
    from benchmarks import verdict_categories

    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles" / "story.txt").write_text(
        "Harbour fees rise\n\nAnalysts said the harbour would close. It is thought the ferry will stop.\n",
        encoding="utf-8")
    (tmp_path / "gold" / "story.yml").write_text(
        'expect:\n  - {rule: vague-attribution, text: "Analysts said"}\n', encoding="utf-8")
    places, alarms, examples = verdict_categories.categories(tmp_path, "vague-attribution")
    assert places == {"found: vague/unnamed-source": 1}
    assert alarms == {"false alarm: agentless-cue": 1}
    assert examples["false alarm: agentless-cue"] == [("story", "It is thought")]


def test_verdict_categories_refuses_a_folder_without_gold(tmp_path, capsys):
    from benchmarks import verdict_categories

    with pytest.raises(SystemExit):
        verdict_categories.main([str(tmp_path)])
    assert "needs articles/ and gold/" in capsys.readouterr().err
