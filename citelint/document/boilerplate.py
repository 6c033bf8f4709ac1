"""Recognise non-article text from the line itself: bylines, credits, captions, footers.

Every reader asks these questions of a block's text, so that Markdown, HTML and plain
text agree on what is chrome. Patterns are about the *shape* of such lines in news copy
(a photographer's name and an agency after a slash, "Follow X on Twitter", "©"), not
about any particular publication. The words of those shapes (agencies, networks, desk titles)
are in rules/lexicons/page-chrome.yml.
"""

from __future__ import annotations

import functools
import re

from citelint.lexicons import alternation, word_list


@functools.cache
def _credit() -> re.Pattern[str]:
    agencies = alternation(word_list("photo_agencies"))
    return re.compile(
        rf"""^\s*(?:
            (?:{alternation(word_list('credit_labels'))})
                (?:\s+(?:by|credit|courtesy(?:\s+of)?))?\s*[:|]\s*\S   # "Photo: Jane Roe/AFP"
          | \(?(?:photo|picture|image)s?\s+(?:by|courtesy\s+of)\s+\S  # "(Photo by Jane Roe/Getty)"
          | [^.!?]{{0,80}}(?:/|\bvia\s+|\bfor\s+)(?:{agencies})\b[^.!?]{{0,40}}\)?\.?\s*$  # "JANE ROE/AFP via Getty Images"
          | (?:image|photo)\s+(?:copyright|source)\b
          | (?:{agencies})\s*$
        )""",
        re.IGNORECASE | re.VERBOSE,
    )


@functools.cache
def _caption() -> re.Pattern[str]:
    return re.compile(
        rf"""^\s*(?:
            topshot\b
          | (?:in\s+)?this\s+(?:{alternation(word_list('caption_pictures'))})\b
          | (?:file|handout)\s+(?:photo|picture|image)\b
          | pictured\s*:
          | (?:{alternation(word_list('caption_positions'))})\s*:
          | caption\s*:
        )""",
        re.IGNORECASE | re.VERBOSE,
    )


_NAME = r"(?:[A-Z][\w'’.-]+|[A-Z]\.)"


@functools.cache
def _byline() -> re.Pattern[str]:
    return re.compile(
        rf"""^\s*(?:
            (?i:by)\s+{_NAME}(?:\s+{_NAME}){{0,3}}(?:\s*(?:,|and|&)\s*{_NAME}(?:\s+{_NAME}){{0,3}})*
                (?:\s*[,|–—-]\s*[^.!?]{{0,60}})?\s*$
          | (?i:(?:additional\s+)?(?:{alternation(word_list('byline_tasks'))})
                (?:\s+(?:and|&)\s+\w+)*\s+by\b)
          | (?i:(?:written|edited|reported)\s+by\b)
          | (?i:(?:staff|special)\s+(?:writer|correspondent|reporter)s?\s*$)
          | (?i:(?:{alternation(word_list('desk_titles'))})\s+
                (?:editor|correspondent|reporter|writer)s?(?:,\s*[^.!?]{{0,40}})?\s*$)
        )""",
        re.VERBOSE,
    )


@functools.cache
def _boilerplate() -> re.Pattern[str]:
    shares = alternation(word_list("share_actions"))
    return re.compile(
        rf"""^\s*(?:
            follow\s+(?:[^.!?]{{1,60}}\s+)?on\s+(?:{alternation(word_list('social_networks'))})\b
          | follow\s+us\b
          | comments?\s*(?:\(\d+\))?\s*:?\s*$
          | (?:please\s+)?(?:let\s+us\s+know|read\s+our|see\s+our)\b[^.!?]*\b(?:comment|commenting|policy|guidelines)\b
          | (?:{alternation(word_list('comment_actions'))})\s+(?:a\s+)?comments?\b
          | comments\s+are\s+(?:closed|open|moderated)\b
          | share\s+(?:this|on)\b
          | (?:{shares})(?:\s*[|/·•]\s*(?:{shares}|{alternation(word_list('share_networks'))}))+\s*$
          | (?:sign\s+up|subscribe)\b[^.!?]{{0,80}}\b(?:{alternation(word_list('signup_targets'))})\b
          | (?:©|\(c\)\s|copyright\s+(?:©\s*)?(?:\d{{4}}|the\b|[A-Z]))
          | all\s+rights\s+reserved\b
          | advertisement\s*$
          | (?:read|see)\s+(?:more|also|next)\s*[:>»]
          | (?:{alternation(word_list('section_headings'))})\s*(?:[:»]|$)
          | click\s+here\b
          | (?:please\s+)?(?:{alternation(word_list('site_notices'))})\b
          | (?:this\s+(?:article|story)\s+(?:was|has\s+been)\s+(?:updated|corrected|amended))\b
          | (?:published|updated|posted|last\s+modified)\s*(?::|on\b|at\b)?\s*[^.!?]{{0,40}}\d[^.!?]{{0,40}}$
        )""",
        re.IGNORECASE | re.VERBOSE,
    )


@functools.cache
def _dateline_line() -> re.Pattern[str]:
    """A date (and time) alone on a line; a month name or abbreviation takes any ending ("Sept.");
    a relative time stamp ("25M ago")."""
    months = alternation(word_list("month_names") | word_list("month_abbreviations"))
    return re.compile(
        rf"""^\s*(?:(?:{alternation(word_list('weekday_abbreviations'))})[a-z]*,?\s+)?
            (?:\d{{1,2}}\s+)?(?:{months})[a-z]*\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}
            (?:\s*(?:,|at)?\s*\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?)?\s*$
          | ^\s*\d{{4}}-\d{{2}}-\d{{2}}(?:[T\s]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?\s*$
          | ^\s*(?:about\s+|over\s+)?\d{{1,3}}\s?(?:{alternation(word_list('time_ago_units'))})\.?\s+ago\s*$""",
        re.IGNORECASE | re.VERBOSE,
    )


#: "WASHINGTON (Reuters) - ", "LONDON, March 3 (AP) — ", "BEIJING — " at the start of a story.
_DATELINE_PREFIX = re.compile(
    r"""^\s*[A-Z][A-Z.'’ -]{1,40}[A-Z.]            # place name in capitals
        (?:\s*,\s*[A-Z][A-Za-z.]*(?:\s+[A-Za-z.]+){0,3}){0,2}  # ", Calif." / ", N.J., March 3"
        (?:\s*,?\s*\d{1,2})?
        \s*(?:\((?:[A-Z][\w&.' -]{0,40})\)\s*)?       # (Reuters)
        (?:-{1,2}|–|—|:)\s+""",
    re.VERBOSE,
)

_MAX_CHROME_LINE = 200


def classify_line(line: str) -> str | None:
    """Return the chrome kind of a standalone line (``byline``, ``credit``, ``caption``,
    ``dateline``, ``boilerplate``) or None for article text."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_CHROME_LINE * 3:
        return None
    if _caption().match(stripped):
        return "caption"
    if len(stripped) > _MAX_CHROME_LINE:
        return None
    if _boilerplate().match(stripped):
        return "boilerplate"
    if _dateline_line().match(stripped):
        return "dateline"
    if _byline().match(stripped):
        return "byline"
    if _credit().match(stripped):
        return "credit"
    return None


def dateline_prefix(text: str) -> int:
    """Length of a leading wire dateline ("WASHINGTON (Reuters) - "), 0 when there is none."""
    match = _DATELINE_PREFIX.match(text)
    if not match:
        return 0
    # A real dateline is followed by the story's first sentence, not by the end of text.
    return match.end() if match.end() < len(text) else 0
