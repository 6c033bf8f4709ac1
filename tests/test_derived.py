"""The cache of derived data (parsed weights, validated source lists) between runs."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from citelint import derived


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "citelint" / "derived"


def counting(value):
    calls = []

    def derive():
        calls.append(1)
        return value

    return derive, calls


def test_derived_once_then_read_back(tmp_path, cache_home):
    source = tmp_path / "weights.json"
    source.write_text("[1, 2]", encoding="utf-8")
    derive, calls = counting({"w=said": [0.5, 1.5, -2.0]})
    first = derived.cached("weights", [source], derive)
    second = derived.cached("weights", [source], derive)
    assert first == second == {"w=said": [0.5, 1.5, -2.0]}
    assert len(calls) == 1
    assert len(list(cache_home.glob("weights-*.marshal"))) == 1


def test_an_edited_source_is_derived_again_and_the_old_copy_removed(tmp_path, cache_home):
    source = tmp_path / "sources.yml"
    source.write_text("a", encoding="utf-8")
    derived.cached("sources-x", [source], lambda: "old")
    source.write_text("b", encoding="utf-8")
    assert derived.cached("sources-x", [source], lambda: "new") == "new"
    assert len(list(cache_home.glob("sources-x-*.marshal"))) == 1


def test_a_corrupt_copy_is_derived_again(tmp_path, cache_home):
    source = tmp_path / "model"
    source.write_text("m", encoding="utf-8")
    derived.cached("model", [source], lambda: [1, 2, 3])
    (copy,) = cache_home.glob("model-*.marshal")
    copy.write_bytes(b"\x00garbage")
    assert derived.cached("model", [source], lambda: [1, 2, 3]) == [1, 2, 3]


def test_a_copy_whose_payload_changed_is_derived_again(tmp_path, cache_home):
    """One number changed, the copy still a valid marshal of the same shape: the checksum tells."""
    source = tmp_path / "model"
    source.write_text("m", encoding="utf-8")
    derived.cached("model", [source], lambda: [100, 200])
    (copy,) = cache_home.glob("model-*.marshal")
    data = copy.read_bytes()
    copy.write_bytes(data.replace(marshal.dumps(200)[1:], marshal.dumps(201)[1:]))
    assert copy.read_bytes() != data and marshal.loads(copy.read_bytes()[-len(marshal.dumps([100, 200])):]) == [100, 201]
    assert derived.cached("model", [source], lambda: [100, 200]) == [100, 200]


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(derived, "default_cache_dir", lambda: blocker)
    source = tmp_path / "model"
    source.write_text("m", encoding="utf-8")
    derive, calls = counting(7)
    assert derived.cached("model", [source], derive) == 7
    assert derived.cached("model", [source], derive) == 7
    assert len(calls) == 2


@pytest.mark.parametrize("foreign", [marshal.dumps({"unexpected": "shape"}), marshal.dumps([]), b'{"a": 1}'])
def test_a_valid_copy_of_another_shape_is_derived_again(tmp_path, cache_home, foreign):
    source = tmp_path / "lexicon.yml"
    source.write_text("said: [said]", encoding="utf-8")
    derived.cached("lexicons", [source], lambda: {"said": ["said"]})
    (copy,) = cache_home.glob("lexicons-*.marshal")
    copy.write_bytes(foreign)
    derive, calls = counting({"said": ["said"]})
    assert derived.cached("lexicons", [source], derive) == {"said": ["said"]}
    assert calls == [1]
    assert derived.cached("lexicons", [source], derive) == {"said": ["said"]}  # and stored again
    assert calls == [1]


def test_a_changed_deriving_module_is_derived_again(tmp_path, cache_home):
    source = tmp_path / "weights.json"
    source.write_text("[1]", encoding="utf-8")
    module = tmp_path / "deriving.py"
    module.write_text("def derive():\n    return {'w': [1.0, 2.0, 3.0]}\n", encoding="utf-8")
    first = compile(module.read_text(encoding="utf-8"), str(module), "exec")
    scope: dict = {}
    exec(first, scope)
    assert derived.cached("weights", [source], scope["derive"]) == {"w": [1.0, 2.0, 3.0]}
    module.write_text("def derive():\n    return [[1.0, 2.0, 3.0]]\n", encoding="utf-8")
    exec(compile(module.read_text(encoding="utf-8"), str(module), "exec"), scope)
    assert derived.cached("weights", [source], scope["derive"]) == [[1.0, 2.0, 3.0]]


def test_an_empty_file_added_to_the_sources_is_a_change(tmp_path, monkeypatch):
    """Names and lengths are in the key: an empty new file changes no bytes of the others."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = tmp_path / "a.yml"
    first.write_text("said", encoding="utf-8")
    empty = tmp_path / "zz.yml"
    empty.write_text("", encoding="utf-8")
    assert derived.cached("words", [first], lambda: "one source") == "one source"
    assert derived.cached("words", [first, empty], lambda: "two sources") == "two sources"
