"""The large tables kept in the derived-data cache (the verdict model's weights, the cue
tagger's records) are read a bucket at a time, and answer exactly as the dictionaries they were
packed from."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from citelint import derived
from citelint.analysis import scoring
from citelint.derived import PackedTable, packed

ROOT = Path(__file__).resolve().parent.parent

TABLE = {f"w={word}": round(0.01 * index - 0.5, 4) for index, word in enumerate(
    "harbour ferry toll fare strike tram quay pier dock berth tide wharf crane barge lock".split())}
TABLE.update({"bi=harbour_ferry": 0.75, "bi=tram_strike": -1.25, "src=kelby": 0.3})
ASKED = [*TABLE, "w=absent", "bi=ferry_harbour", "", "w=é", "src=\udcff"]


def test_a_packed_table_answers_as_its_dictionary():
    table = PackedTable(packed(TABLE))
    assert table
    assert [table.get(name) for name in ASKED] == [TABLE.get(name) for name in ASKED]
    assert [table.get(name, 0.0) for name in reversed(ASKED)] == [TABLE.get(name, 0.0) for name in reversed(ASKED)]


def test_a_packed_table_unpacks_whole_after_many_lookups(monkeypatch):
    monkeypatch.setattr(derived, "_ENTRIES_PER_LOOKUP", 2)
    table = PackedTable(packed(TABLE))
    assert [table.get(name, 0.0) for name in ASKED] == [TABLE.get(name, 0.0) for name in ASKED]
    # The dictionary's own lookup, in C, from then on.
    assert getattr(table.get, "__self__", None) == TABLE
    assert [table.get(name) for name in ASKED] == [TABLE.get(name) for name in ASKED]


class _FailingOnce:
    """``marshal`` whose first unpacking is stopped, as a file's time budget stops a lookup."""

    def __init__(self) -> None:
        self.failed = False

    def loads(self, data: bytes | memoryview):
        if not self.failed:
            self.failed = True
            raise TimeoutError("the file's time budget ran out")
        return marshal.loads(data)


@pytest.mark.parametrize("entries_per_lookup", [10**6, 1])
def test_a_lookup_stopped_while_unpacking_loses_nothing(monkeypatch, entries_per_lookup):
    """The run goes on with the next file after a budget stops one: every entry must still be found."""
    monkeypatch.setattr(derived, "_ENTRIES_PER_LOOKUP", entries_per_lookup)
    table = PackedTable(packed(TABLE))
    monkeypatch.setattr(derived, "marshal", _FailingOnce())
    with pytest.raises(TimeoutError):
        table.get("w=harbour")
    assert [table.get(name) for name in ASKED] == [TABLE.get(name) for name in ASKED]


def test_a_packed_table_of_records_answers_as_its_dictionary():
    records = {"ferry": {"w": (0.5, -0.5, 0.0, 1.0)}, "tram": {"w": (0.0, 0.0, 1.0, 0.0), "p1": (1.0, 0.0, 0.0, -1.0)}}
    table = PackedTable(packed(records))
    assert [table.get(word, {}) for word in ("tram", "quay", "ferry")] == [records["tram"], {}, records["ferry"]]


def test_an_empty_packed_table_is_false_and_answers_the_default():
    table = PackedTable(packed({}))
    assert not table
    assert table.get("w=harbour") is None and table.get("w=harbour", 0.0) == 0.0


_SCORES = """
import sys
from citelint.analysis import scoring
models = scoring.load_model()
names = [line.split("\\t")[0] for line in sys.stdin.read().splitlines()]
for subject, model in sorted(models.items()):
    print(subject, [model["weights"].get(name) for name in names], [model["word_scores"].get(name) for name in names])
"""


@pytest.mark.skipif(not scoring.MODEL_PATH.exists(), reason="no verdict model ships in this checkout")
def test_the_shipped_model_reads_back_the_same_under_another_hash_seed(tmp_path):
    """The first run packs the model into the derived-data cache, the others read it back: a
    bucket must be found where it was packed whatever the process's string hashing."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop(scoring.MODEL_ENVIRONMENT, None)
    names = "\n".join(["w=the", "w=catastrophe", "w=harbour", "bi=of_the", "w=zzzunknown", "sent-attr=0", "cue=say"])

    def run(seed: str) -> str:
        return subprocess.run([sys.executable, "-c", _SCORES], input=names, capture_output=True, text=True,
                              env={**env, "PYTHONHASHSEED": seed}, cwd=tmp_path, check=True).stdout

    first = run("1")
    assert "sentence" in first and any(char.isdigit() for char in first)
    written = _copies(tmp_path, "verdict-model-")
    assert written
    assert [run(seed) for seed in ("2", "3")] == [first, first]
    assert _copies(tmp_path, "verdict-model-") == written  # read back, not derived and written again



_TAGS = """
import sys
from citelint.analysis.cues import CueTagger, quote_depths, tokenize
for line in sys.stdin.read().splitlines():
    tokens = tokenize(line)
    print(CueTagger.load().tag(tokens, quote_depths(tokens)))
"""


def test_the_cue_tagger_tags_the_same_under_another_hash_seed(tmp_path):
    """The first run packs the tagger's records into the cache, the others read them back."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    sentences = "\n".join(["Harbour officials said the ferry would be late, according to a source.",
                           "The tram strike, analysts fear, could last into spring.",
                           "Kelby Council estimates the repairs at two million pounds."])

    def run(seed: str) -> str:
        return subprocess.run([sys.executable, "-c", _TAGS], input=sentences, capture_output=True, text=True,
                              env={**env, "PYTHONHASHSEED": seed}, cwd=tmp_path, check=True).stdout

    first = run("1")
    assert first.count("B") >= 3
    written = _copies(tmp_path, "cue-weights-")
    assert written
    assert [run(seed) for seed in ("2", "3")] == [first, first]
    assert _copies(tmp_path, "cue-weights-") == written  # read back, not derived and written again


def _copies(home: Path, kind: str) -> dict[str, int]:
    """The derived-data cache's copies of one kind, each with the time it was last written."""
    return {path.name: path.stat().st_mtime_ns for path in (home / "cache" / "citelint" / "derived").glob(kind + "*")}


def test_the_model_s_copy_is_keyed_by_the_code_that_reads_it(monkeypatch):
    """A checkout whose reading code changed must not read back a copy of the old shape."""
    asked = []

    def spy(kind, sources, derive, keyed_by=None):
        asked.append((kind, keyed_by))
        return derive()

    monkeypatch.setattr(scoring, "cached", spy)
    scoring._read_model.cache_clear()
    try:
        scoring._read_model(scoring.MODEL_PATH)
    finally:
        scoring._read_model.cache_clear()
    assert asked == [("verdict-model", scoring._parse_model)]


def test_a_lookup_after_another_thread_unpacked_the_table_whole_answers_from_its_entries():
    """Two threads share the tagger's tables: one may unpack a table whole (and let its packed
    bytes go) between another's count of lookups and its bucket lookup."""
    table = PackedTable(packed(TABLE))
    table._entries.update(TABLE)  # what the other thread unpacked …
    table._packed = (b"", ())  # … and let go, while this one still counts lookups
    assert table._get("w=absent", 0.0) == 0.0
    assert table._get("w=harbour") == TABLE["w=harbour"]


@pytest.mark.parametrize("weights", [
    {"said": {"w": [0.468, -0.468, 0.0], "p1": [-0.001, 2.5, 17.571]}, "harbour": {"n1": [-0.0, 0.25, -3.125]}},
    # not whole thousandths (a model trained with more decimals): kept as floats, just as exact
    {"said": {"w": [0.4681, -0.468, 0.0]}, "quay": {"l": [1e-7, 2.0, -0.333333]}},
    # no finite number of thousandths, and a row longer than the three labels (_fold reads three)
    {"said": {"w": [float("inf"), 1e300, 0.5], "p1": [0.25, 0.5, 0.75, 9.0]}, "quay": {"l": [-1e308, 0.0, 2.0]}},
])
def test_the_tagger_records_give_the_scores_of_their_rows_exactly(weights):
    """As a record's fields are kept (whole thousandths where every weight is one) is no business
    of the tagger: each field reads as the scores :func:`_fold` gives its row."""
    from citelint.analysis.cues import Records, _fold

    stored = marshal.loads(marshal.dumps(Records.packing(weights)))  # as the cache keeps it
    records = Records(stored)
    for key, rows in weights.items():
        assert records.get(key) == {field: _fold((row,)) for field, row in rows.items()}
        assert all(repr(a) == repr(b) for field, row in rows.items()
                   for a, b in zip(records.get(key)[field], _fold((row,)), strict=True))
    assert records.get("absent") == {}
    assert stored[1] == (1000 if "harbour" in weights else 1)
