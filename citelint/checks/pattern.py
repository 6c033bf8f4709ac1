"""``check: pattern`` — phrases matched in prose sentences, with provenance awareness.

Unlike word-list linters, a match inside a sentence that cites a source or names who is
speaking can be let through (``skip-cited``, ``skip-attributed``), and quoted speech is
skipped unless asked for.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator, Protocol

from citelint.analysis import Analysis, Sentence
from citelint.checks.base import Finding, compile_patterns
from citelint.document.model import TITLE_KINDS

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


@dataclass(frozen=True)
class PatternOptions:
    patterns: tuple[str, ...] = ()
    skip_quotes: bool = True
    skip_titles: bool = True
    skip_cited: bool = False
    skip_attributed: bool = False


@functools.lru_cache(maxsize=64)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return compile_patterns(patterns, "patterns")


class SentenceFilter(Protocol):
    """The options that decide which sentences a provenance-aware check reads."""

    skip_quotes: bool
    skip_titles: bool
    skip_cited: bool
    skip_attributed: bool


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` inside quotation marks (curly or straight)."""
    return [m.span() for m in _QUOTED.finditer(text)]


def candidate_sentences(analysis: Analysis, options: SentenceFilter) -> Iterator[tuple[Sentence, list[tuple[int, int]]]]:
    """The sentences a check should read, each with the quoted stretches it should ignore.

    Shared by the checks that look for wording in prose, so "skip-titles", "skip-cited",
    "skip-attributed" and "skip-quotes" mean the same thing in every rule.
    """
    attributed = {a.sentence for a in analysis.attributions if a.source_kind == "named"} if options.skip_attributed else set()
    links = analysis.sentence_links if options.skip_cited else None
    for sentence in analysis.sentences:
        if options.skip_titles and sentence.kind in TITLE_KINDS:
            continue
        if sentence.index in attributed or (links is not None and links[sentence.index]):
            continue
        yield sentence, quoted_spans(sentence.text) if options.skip_quotes else []


def run(analysis: Analysis, options: PatternOptions) -> Iterator[Finding]:
    regex = _compiled(options.patterns)
    for sentence, quoted in candidate_sentences(analysis, options):
        for match in regex.finditer(sentence.text):
            if any(start <= match.start() < end for start, end in quoted):
                continue
            offset, end_offset = analysis.sentence_span(sentence, match.start(), match.end())
            yield Finding(offset, end_offset, {"match": match.group(0)}, sentence.text)
