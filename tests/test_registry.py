"""The source registry: its data files, and finding and looking up sources."""

from __future__ import annotations

import time
from pathlib import Path

import jsonschema
import pytest
import yaml

from citelint.analysis.registry import Registry, RegistryError, SourceEntry, load_registry
from citelint.resources import rules_dir, schema

SOURCE_FILES = sorted((rules_dir() / "sources").glob("*.yml"))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def found(registry: Registry, text: str) -> list[tuple[str, str, str]]:
    return [(match.text, match.entry.id, match.via) for match in registry.find(text)]


# --- the data -------------------------------------------------------------------------


def test_there_are_source_files():
    assert len(SOURCE_FILES) >= 5


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda path: path.name)
def test_every_file_validates(path: Path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema("sources")).validate(document)


def test_ids_are_unique_across_files():
    ids = [item["id"] for path in SOURCE_FILES for item in yaml.safe_load(path.read_text("utf-8"))["sources"]]
    assert len(ids) == len(set(ids))


def test_registry_is_large_and_cached(registry: Registry):
    assert len(registry.entries) >= 250
    assert load_registry() is registry


@pytest.mark.parametrize(
    ("name", "entry_id", "acronym", "domain"),
    [
        ("Committee to Protect Journalists", "committee-to-protect-journalists", "CPJ", "cpj.org"),
        ("Australian Strategic Policy Institute", "australian-strategic-policy-institute", "ASPI", "aspi.org.au"),
        ("Global Times", "global-times", None, "globaltimes.cn"),
    ],
)
def test_key_sources_are_ordinary_entries(registry: Registry, name, entry_id, acronym, domain):
    entry = registry.lookup(name)
    assert entry is not None and entry.id == entry_id
    assert not entry.ambiguous
    assert domain in entry.domains
    if acronym:
        assert registry.lookup(acronym) is entry


# --- find -------------------------------------------------------------------------------


def test_acronyms_are_case_sensitive(registry: Registry):
    assert found(registry, "A CPJ count rose.") == [("CPJ", "committee-to-protect-journalists", "acronym")]
    assert found(registry, "A cpj count rose.") == []


def test_possessives_still_match(registry: Registry):
    text = "Reuters' desk, CPJ's census and Amnesty\u2019s letter all agreed."
    assert [match[1] for match in found(registry, text)] == [
        "reuters",
        "committee-to-protect-journalists",
        "amnesty-international",
    ]


def test_name_with_bracketed_acronym_is_one_mention(registry: Registry):
    text = "On Monday the Committee to Protect Journalists (CPJ) said two reporters were held."
    [match] = registry.find(text)
    assert match.text == "Committee to Protect Journalists (CPJ)"
    assert text[match.start : match.end] == match.text
    assert match.via == "name"


def test_bracketed_word_that_is_not_its_acronym_is_left_out(registry: Registry):
    assert found(registry, "Human Rights Watch (pdf) published it.") == [
        ("Human Rights Watch", "human-rights-watch", "name")
    ]


def test_leading_article_is_not_part_of_the_mention(registry: Registry):
    text = "The figures came from the Guardian and The New York Times."
    assert [match[0] for match in found(registry, text)] == ["Guardian", "New York Times"]


def test_inner_article_is_optional(registry: Registry):
    for text in ("the Department of the Treasury said", "the Department of Treasury said"):
        assert [match[1] for match in found(registry, text)] == ["us-treasury"]


def test_longest_name_wins_over_names_inside_it(registry: Registry):
    text = (
        "The Associated Press and Press TV disagreed, and the Reuters Institute for the "
        "Study of Journalism checked what Reuters had written."
    )
    assert [match[1] for match in found(registry, text)] == [
        "associated-press",
        "press-tv",
        "reuters-institute",
        "reuters",
    ]


def test_no_match_inside_other_words(registry: Registry):
    text = "Reutersville hosted ASPIRE, a NATOish game, at www.cpj.org.example and ACPJ."
    assert found(registry, text) == []


def test_capitalised_words_must_stay_capitalised(registry: Registry):
    assert found(registry, "Good science needs human rights watch groups.") == []
    assert [match[1] for match in found(registry, "A paper in Science, cited by HUMAN RIGHTS WATCH.")] == [
        "science",
        "human-rights-watch",
    ]


def test_acronyms_in_a_capitalised_headline_are_ignored(registry: Registry):
    assert found(registry, "WHO WARNS OF A LONG WINTER") == []
    assert found(registry, "NATO SUMMIT ENDS") == []
    # Short acronyms side by side in prose are still acronyms.
    assert [match[1] for match in found(registry, "the US FBI and the CIA")] == ["fbi", "cia"]


def test_ambiguous_names_only_where_they_stand_alone(registry: Registry):
    assert [match[1] for match in found(registry, "She told the Sun on Friday.")] == ["the-sun"]
    # The article is part of such a title; without it the word is the ordinary one.
    assert found(registry, "Sun cream sales rose.") == []
    # Inside a longer proper name or hyphenated, the word is not the source.
    assert found(registry, "Time Warner sailed trans-Atlantic with Apple Pie Ltd.") == []
    # Opening a sentence is not being part of a longer name.
    assert [match[1] for match in found(registry, "Later, they met. But Apple said no.")] == ["apple"]
    assert all(match.entry.ambiguous for match in registry.find("But Apple said no."))


def test_find_on_about_two_thousand_words(registry: Registry, record_property):
    paragraph = (
        "Officials at the World Health Organization told reporters that vaccine supplies "
        "had improved, though the figures compiled by the Office for National Statistics "
        "lagged behind. A spokesman for Human Rights Watch, speaking to the BBC, said the "
        "new rules would hurt small charities, while economists at the IMF and the World "
        "Bank expected growth to slow over the winter months in most of the region. "
    )
    text = paragraph * (2000 // len(paragraph.split()) + 1)
    started = time.perf_counter()
    matches = registry.find(text)
    elapsed = time.perf_counter() - started
    assert len(text.split()) >= 2000
    assert len(matches) == 6 * text.count(paragraph)
    record_property("find_seconds", round(elapsed, 4))  # kept in --junitxml output, not asserted


# --- lookup and for_domain ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        ("the new york times", "new-york-times"),
        ("The New York Times", "new-york-times"),
        ("NYT", "new-york-times"),
        ("People\u2019s Daily", "peoples-daily"),
        ("  human rights watch ", "human-rights-watch"),
        ("Department of Treasury", "us-treasury"),
    ],
)
def test_lookup(registry: Registry, query, entry_id):
    entry = registry.lookup(query)
    assert entry is not None and entry.id == entry_id


@pytest.mark.parametrize("query", ["nyt", "Nobody In Particular", ""])
def test_lookup_misses(registry: Registry, query):
    assert registry.lookup(query) is None


@pytest.mark.parametrize(
    ("host", "entry_id"),
    [
        ("cpj.org", "committee-to-protect-journalists"),
        ("www.cpj.org", "committee-to-protect-journalists"),
        ("sub.cpj.org", "committee-to-protect-journalists"),
        ("WWW.CPJ.ORG.", "committee-to-protect-journalists"),
        ("https://www.aspi.org.au/report/x", "australian-strategic-policy-institute"),
        ("www.globaltimes.cn:443", "global-times"),
        # The most specific registered domain wins over its parent.
        ("reutersinstitute.politics.ox.ac.uk", "reuters-institute"),
        ("www.ox.ac.uk", "university-of-oxford"),
    ],
)
def test_for_domain(registry: Registry, host, entry_id):
    entry = registry.for_domain(host)
    assert entry is not None and entry.id == entry_id


@pytest.mark.parametrize("host", ["notcpj.org", "cpj.org.example", "org", "", "http://[::1", "not a host"])
def test_for_domain_misses(registry: Registry, host):
    assert registry.for_domain(host) is None


# --- loading errors and newsroom entries ----------------------------------------------------


def write(path: Path, sources: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    return path


GOOD = {"id": "valley-gazette", "name": "Valley Gazette", "kind": "newspaper", "domains": ["valleygazette.example"]}


def test_a_registry_from_given_paths(tmp_path: Path):
    small = load_registry(paths=[write(tmp_path / "local.yml", [GOOD])])
    assert [entry.id for entry in small.entries] == ["valley-gazette"]
    assert found(small, "The Valley Gazette said so.") == [("Valley Gazette", "valley-gazette", "name")]


@pytest.mark.parametrize(
    "content",
    [
        "sources:\n  - {id: broken, name: Broken, kind: [unclosed\n",  # not YAML
        "sources:\n  - {id: Bad_Id, name: Bad, kind: newspaper}\n",  # id not kebab-case
        "sources:\n  - {id: odd, name: Odd, kind: blog}\n",  # kind not in the enum
        "sources:\n  - {id: odd, name: Odd, kind: ngo, domains: ['https://odd.example']}\n",  # scheme
        "sources:\n  - {id: odd, name: Odd, kind: ngo, colour: blue}\n",  # unknown field
        "entries: []\n",  # wrong top level
        "",  # empty file
    ],
)
def test_bad_registry_file_names_the_file(tmp_path: Path, content: str):
    path = tmp_path / "bad.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError, match="bad.yml"):
        load_registry(paths=[path])


def test_missing_file_names_the_file(tmp_path: Path):
    with pytest.raises(RegistryError, match="absent.yml"):
        load_registry(paths=[tmp_path / "absent.yml"])


@pytest.mark.parametrize(
    "clash",
    [
        {**GOOD, "name": "Another Name", "domains": []},  # same id
        {"id": "gazette-two", "name": "the valley gazette", "kind": "newspaper"},  # same name
        {"id": "gazette-two", "name": "Gazette Two", "kind": "newspaper", "domains": ["valleygazette.example"]},
    ],
)
def test_conflicts_across_files_name_both_files(tmp_path: Path, clash: dict):
    first = write(tmp_path / "first.yml", [GOOD])
    second = write(tmp_path / "second.yml", [clash])
    with pytest.raises(RegistryError, match="second.yml.*first.yml"):
        load_registry(paths=[first, second])


def test_newsroom_entries_are_added(registry: Registry):
    extended = load_registry(extra_entries=[GOOD])
    assert len(extended.entries) == len(registry.entries) + 1
    assert extended.for_domain("www.valleygazette.example").id == "valley-gazette"
    assert [match[1] for match in found(extended, "Valley Gazette and Reuters")] == ["valley-gazette", "reuters"]


@pytest.mark.parametrize(
    "bad",
    [
        {"id": "no-kind", "name": "No Kind"},
        {"id": "odd", "name": "Odd", "kind": "ngo", "ambiguous": "yes"},
        "Valley Gazette",
    ],
)
def test_invalid_newsroom_entry_is_rejected(bad):
    with pytest.raises(RegistryError, match="configured source #1"):
        load_registry(extra_entries=[bad])


def test_newsroom_entry_cannot_reuse_a_registry_acronym():
    with pytest.raises(RegistryError, match="'CPJ'"):
        load_registry(extra_entries=[{"id": "cpj-copy", "name": "Copy", "kind": "ngo", "acronyms": ["CPJ"]}])


def test_registry_built_directly_from_entries():
    entry = SourceEntry("solo", "Solo Monitor", "ngo", (), ("SM",), ("solo.example",), False)
    solo = Registry([entry])
    assert solo.lookup("SM") is entry
    assert found(solo, "Solo Monitor (SM) said") == [("Solo Monitor (SM)", "solo", "name")]


def test_one_entry_given_twice_claims_nothing_from_itself():
    entry = SourceEntry("harbour-board", "Kelby Harbour Board", "government", (), ("KHB",), ("khb.example",), False)
    twice = Registry([entry, entry])
    assert twice.lookup("KHB") is entry and twice.for_domain("khb.example") is entry
    with pytest.raises(RegistryError, match="already used"):
        Registry([entry, SourceEntry("copy", "Copy Board", "government", (), ("KHB",), (), False)])
