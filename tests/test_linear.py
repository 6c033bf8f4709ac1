"""Work per word must not grow with the length of a paragraph or story, nor the tagger's tables
with the words of a run (issue 13).

Measured without a clock: the number of Python and built-in calls (regex searches among
them) made to lint a story of n sentences and one of 4n sentences. Linear work is 4x;
the quadratic re-scans this guards against ("was this group named before?" asked of every
earlier attribution and paragraph) made it 4.7-5.2x at these sizes, and worse beyond.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import sys

import pytest

from citelint.analysis import Analysis, cues
from citelint.analysis.cues import CueTagger, quote_depths, tokenize
from citelint.analysis.provenance import _EarlierMentions
from citelint.config import Config
from citelint.document import parse
from citelint.engine import Linter

#: Each sentence names a different unnamed group ("The brenvals said …"), which no earlier
#: attribution or paragraph mentions: the case the old re-scan read everything for.
_SYLLABLES = ("bren", "cal", "dor", "fen", "gol", "hab", "kir", "lun", "mar", "nob", "pel", "quor")
_PLAIN = (
    "Officials said the ferry would sail at noon. ",
    "“The pier is unsafe. It will close,” the harbour master said. ",
    "According to the Riverside Housing Institute, 3,000 homes are empty. ",
    "It is believed the council will appeal. ",
)


def _story(sentences: int, separator: str) -> str:
    groups = ("".join(parts) + "s" for parts in itertools.product(_SYLLABLES, repeat=3))
    parts = []
    for index, group in zip(range(sentences), groups, strict=False):
        parts.append(f"The {group} said the pier was unsafe. " + _PLAIN[index % len(_PLAIN)])
    return separator.join(parts)


def _calls(linter: Linter, text: str) -> int:
    reports = []
    count = _counted_calls(lambda: reports.append(linter.lint_text(text, "story.txt", "text")))
    assert reports[0].diagnostics, "the story must give the rules work"
    return count


@pytest.mark.parametrize("separator", [" ", "\n\n"], ids=["one-paragraph", "many-paragraphs"])
def test_linting_work_grows_linearly_with_the_story(separator):
    linter = Linter(Config(max_seconds_per_file=0))
    short, long = _story(60, separator), _story(240, separator)
    linter.lint_text(long, "warm-up.txt", "text")  # word tables and compiled patterns, once
    ratio = _calls(linter, long) / _calls(linter, short)
    assert ratio < 4.4, f"4x the sentences cost {ratio:.2f}x the calls"


def test_earlier_mentions_agree_with_a_regex_search():
    """The word indexes answer as ``\\bword\\b`` (IGNORECASE) searched over the text before."""
    text = (
        "The ſtaff and the KILNERS met.\n\nOfficials-in-waiting and the İnspectors said so.\n\n"
        "The officials, the inspectors and the staff said the kilners left."
    )
    analysis = Analysis(parse(text, "story.txt", "text"))
    mentions = _EarlierMentions(analysis)
    blocks = analysis.document.blocks
    for word in ("staff", "kilners", "officials", "inspectors", "waiting", "left", "in", "nobody", "officials-in"):
        noun = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
        for block, holder in enumerate(blocks):
            for position in range(0, len(holder.text) + 1, 3):
                if position and holder.text[position - 1].isalnum() and position < len(holder.text) \
                        and holder.text[position].isalnum():
                    continue  # a source always starts a word
                expected = any(noun.search(earlier.text) for earlier in blocks[:block]) or bool(
                    noun.search(holder.text, 0, position)
                )
                assert mentions.in_text_before(word, block, position) == expected, (word, block, position)


def test_the_tagger_unpacks_only_the_weights_of_words_it_knows():
    """A run over endless new words must not grow the tagger's unpacked weights: only the
    model's own words and lemmas have a record to unpack."""
    tagger = CueTagger.load()
    assert tagger is not None
    tokens = tokenize("The minister said the harbour would close.")
    tagger.tag(tokens, quote_depths(tokens))
    unpacked = len(tagger._word_records._unpacked) + len(tagger._lemma_records._unpacked)
    for number in range(200):
        invented = tokenize(" ".join(f"zq{number}x{index}" for index in range(10)))
        tagger.tag(invented, quote_depths(invented))
    assert len(tagger._word_records._unpacked) + len(tagger._lemma_records._unpacked) == unpacked


def test_every_weight_of_the_model_is_found_where_the_tagger_looks():
    """The weights are kept per template, word and lemma (unpacked as met); each feature of the
    model must still read as exactly its own row."""
    tagger = CueTagger.load()
    assert tagger is not None
    with gzip.open(cues.MODEL_PATH, "rt", encoding="utf-8") as handle:
        weights = json.load(handle)["weights"]
    for feature, row in weights.items():
        assert tagger._sum([feature]) == cues._fold([row]), feature
    assert tagger._sum(["w=zzqx-never-seen", "prevw=Ow=zzqx", "lpc=zzqx|Xx"]) == cues._ZERO


def _counted_calls(function, *args) -> int:
    """The Python and C calls ``function(*args)`` makes."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function(*args)
    finally:
        sys.setprofile(None)
    return count


def _growth(function, sentence: str) -> float:
    """How many times the calls grow when one sentence of names is four times longer."""
    _counted_calls(function, [sentence * 10])  # compiled patterns and word lists, once
    return _counted_calls(function, [sentence * 800]) / _counted_calls(function, [sentence * 200])


def test_names_read_as_organisations_in_one_long_sentence_cost_linear_work():
    """Names and the evidence of what they name are read in one pass over the sentence: the calls
    grow with the names, and each pronoun is looked for within a short reach (``_PRONOUN_REACH``)."""
    from citelint.analysis.names import organisation_names

    ratio = _growth(organisation_names, "Jo Lee and Ann Roe met ")
    assert ratio < 4.4, f"4x the names cost {ratio:.2f}x the calls"


def test_names_read_as_organisations_across_many_sentences_cost_linear_work():
    """The single words a name starts or ends with are found by a set lookup per word, not by a
    search of every sentence for every name's words (10,000 sentences of names took 12.9 s)."""
    from citelint.analysis.names import organisation_names

    def story(sentences: int) -> list[str]:
        return [f"Harwick{index} Dunmore{index} said its ferries would sail." for index in range(sentences)]

    _counted_calls(organisation_names, story(10))
    ratio = _counted_calls(organisation_names, story(800)) / _counted_calls(organisation_names, story(200))
    assert ratio < 4.4, f"4x the sentences cost {ratio:.2f}x the calls"


def test_full_names_in_one_long_sentence_cost_linear_work():
    """Each name pair is checked against the organisation names before it by bisection, not by
    a scan of all of them (one 550 KB sentence of names took 31 s)."""
    from citelint.analysis.names import person_name_words

    ratio = _growth(person_name_words, "Jo Lee Bank and Ann Roe Trust met ")
    assert ratio < 4.4, f"4x the names cost {ratio:.2f}x the calls"
