"""The agreement of two annotations is scored as score_full.py scores citelint, and the stored
second annotation still matches the corpora's articles."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import agreement, training_set  # noqa: E402


def test_places_are_matched_by_overlap_and_rule_and_optional_ones_count_for_neither():
    first = {"a": [((0, 10), ["vague-attribution"], False),
                   ((20, 30), ["unattributed-claim", "unsourced-figure"], False),
                   ((40, 50), ["unlinked-source"], True),
                   ((60, 70), ["unsourced-figure"], False)]}
    second = {"a": [((5, 8), ["vague-attribution"], False),      # found, correct
                    ((25, 26), ["unsourced-figure"], False),     # finds the two-rule place by its second rule
                    ((41, 42), ["unlinked-source"], False),      # only an optional place: ignored
                    ((60, 70), ["unattributed-claim"], False),   # right span, wrong rule: wrong, not found
                    ((80, 90), ["unsourced-figure"], True)],     # optional in the second: not given
              "b": [((0, 5), ["vague-attribution"], False)]}     # an article only one annotated
    counts = agreement.agreement(first, second)
    assert counts["vague-attribution"] == (1, 1, 1, 1)
    assert counts["unattributed-claim"] == (0, 1, 1, 1)
    assert counts["unsourced-figure"] == (1, 1, 0, 1)
    assert counts["unlinked-source"] == (0, 0, 0, 0)


@pytest.mark.skipif(not (training_set.CORPORA / "bbc").is_dir(), reason="the shared corpora (../shared/corpora) are not here")
def test_the_second_annotation_builds_from_the_corpora_and_covers_stored_articles(tmp_path):
    names = {path.stem for path in training_set.SECOND_STORE.glob("*.yml")}
    assert len(names) >= 50
    assert names <= {path.stem for path in training_set.STORE.glob("*.yml")}
    assert training_set.build(tmp_path, source=training_set.SECOND_STORE) == len(names)
    places = agreement.read_places(tmp_path)
    assert sum(len(found) for found in places.values()) > 100


def test_a_place_not_in_its_article_stops_the_measurement(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles" / "a.txt").write_text("The council met on Tuesday.\n", encoding="utf-8")
    (tmp_path / "gold" / "a.yml").write_text('expect:\n  - {rule: vague-attribution, text: "Analysts said"}\n',
                                             encoding="utf-8")
    with pytest.raises(SystemExit):
        agreement.read_places(tmp_path)
