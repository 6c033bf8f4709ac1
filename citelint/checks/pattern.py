"""``check: pattern`` — phrases matched in prose sentences, with provenance awareness.

Unlike word-list linters, a match inside a sentence that cites a source or names who is
speaking can be let through (``skip-cited``, ``skip-attributed``), and quoted speech is
skipped unless asked for.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator

from citelint.analysis import Analysis
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


def run(analysis: Analysis, options: PatternOptions) -> Iterator[Finding]:
    regex = _compiled(options.patterns)
    attributed = {a.sentence for a in analysis.attributions if a.source_kind == "named"} if options.skip_attributed else set()
    links = analysis.sentence_links if options.skip_cited else None
    for sentence in analysis.sentences:
        if options.skip_titles and sentence.kind in TITLE_KINDS:
            continue
        if sentence.index in attributed or (links is not None and links[sentence.index]):
            continue
        quoted = [m.span() for m in _QUOTED.finditer(sentence.text)] if options.skip_quotes else []
        for match in regex.finditer(sentence.text):
            if any(start <= match.start() < end for start, end in quoted):
                continue
            offset, end_offset = analysis.sentence_span(sentence, match.start(), match.end())
            yield Finding(offset, end_offset, {"match": match.group(0)}, sentence.text)
