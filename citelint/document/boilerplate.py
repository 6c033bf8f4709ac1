"""Recognise non-article text from the line itself: bylines, credits, captions, footers.

Every reader asks these questions of a block's text, so that Markdown, HTML and plain
text agree on what is chrome. Patterns are about the *shape* of such lines in news copy
(a photographer's name and an agency after a slash, "Follow X on Twitter", "©"), not
about any particular publication.
"""

from __future__ import annotations

import re

_AGENCIES = (
    r"getty\s+images|afp|reuters|ap(?:\s+photo)?|associated\s+press|epa(?:-efe)?|efe|"
    r"shutterstock|alamy|bloomberg|xinhua|anadolu(?:\s+agency)?|pa(?:\s+media|\s+wire)?|"
    r"nurphoto|sopa\s+images|lightrocket|imago|zuma(?:\s+press)?|dpa|kyodo|yonhap|tass|"
    r"sipa(?:\s+usa)?|wireimage|filmmagic|the\s+washington\s+post|the\s+new\s+york\s+times|"
    r"bbc|cnn|nasa|handout|pool|file\s+photo|courtesy"
)

_CREDIT = re.compile(
    rf"""^\s*(?:
        (?:photo(?:graph)?s?|pictures?|images?|credits?|video|illustration|graphic)
            (?:\s+(?:by|credit|courtesy(?:\s+of)?))?\s*[:|]\s*\S   # "Photo: Jane Roe/AFP"
      | \(?(?:photo|picture|image)s?\s+(?:by|courtesy\s+of)\s+\S  # "(Photo by Jane Roe/Getty)"
      | [^.!?]{{0,80}}(?:/|\bvia\s+|\bfor\s+)(?:{_AGENCIES})\b[^.!?]{{0,40}}\)?\.?\s*$  # "JANE ROE/AFP via Getty Images"
      | (?:image|photo)\s+(?:copyright|source)\b
      | (?:{_AGENCIES})\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_CAPTION = re.compile(
    r"""^\s*(?:
        topshot\b
      | (?:in\s+)?this\s+(?:photo|picture|image|handout\s+photo|file\s+photo|video\s+grab|screen\s*grab)\b
      | (?:file|handout)\s+(?:photo|picture|image)\b
      | pictured\s*:
      | (?:above|below|top|left|right)\s*:
      | caption\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_NAME = r"(?:[A-Z][\w'’.-]+|[A-Z]\.)"
_BYLINE = re.compile(
    rf"""^\s*(?:
        (?i:by)\s+{_NAME}(?:\s+{_NAME}){{0,3}}(?:\s*(?:,|and|&)\s*{_NAME}(?:\s+{_NAME}){{0,3}})*
            (?:\s*[,|–—-]\s*[^.!?]{{0,60}})?\s*$
      | (?i:(?:additional\s+)?(?:reporting|writing|editing|research|translation|graphics|production|compiled)
            (?:\s+(?:and|&)\s+\w+)*\s+by\b)
      | (?i:(?:written|edited|reported)\s+by\b)
      | (?i:(?:staff|special)\s+(?:writer|correspondent|reporter)s?\s*$)
      | (?i:(?:senior|chief|political|foreign|economics|business|tech(?:nology)?|health|science)\s+
            (?:editor|correspondent|reporter|writer)s?(?:,\s*[^.!?]{{0,40}})?\s*$)
    )""",
    re.VERBOSE,
)

_BOILERPLATE = re.compile(
    r"""^\s*(?:
        follow\s+(?:[^.!?]{1,60}\s+)?on\s+(?:twitter|facebook|instagram|x|threads|bluesky|linkedin|tiktok|mastodon)\b
      | follow\s+us\b
      | comments?\s*(?:\(\d+\))?\s*:?\s*$
      | (?:please\s+)?(?:let\s+us\s+know|read\s+our|see\s+our)\b[^.!?]*\b(?:comment|commenting|policy|guidelines)\b
      | (?:leave|post|add|view|show|hide)\s+(?:a\s+)?comments?\b
      | comments\s+are\s+(?:closed|open|moderated)\b
      | share\s+(?:this|on)\b
      | (?:share|tweet|email|print|save)(?:\s*[|/·•]\s*(?:share|tweet|email|print|save|facebook|twitter|whatsapp|linkedin))+\s*$
      | (?:sign\s+up|subscribe)\b[^.!?]{0,80}\b(?:newsletter|email|updates|alerts|digest|here|now|today)\b
      | (?:©|\(c\)\s|copyright\s+(?:©\s*)?(?:\d{4}|the\b|[A-Z]))
      | all\s+rights\s+reserved\b
      | advertisement\s*$
      | (?:read|see)\s+(?:more|also|next)\s*[:>»]
      | (?:related|more\s+on\s+this\s+story|most\s+read|recommended|trending)\s*(?:[:»]|$)
      | click\s+here\b
      | (?:this\s+(?:article|story)\s+(?:was|has\s+been)\s+(?:updated|corrected|amended))\b
      | (?:published|updated|posted|last\s+modified)\s*(?::|on\b|at\b)?\s*[^.!?]{0,40}\d[^.!?]{0,40}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_DATELINE_LINE = re.compile(
    r"""^\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?
        (?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}
        (?:\s*(?:,|at)?\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\s*$
      | ^\s*\d{4}-\d{2}-\d{2}(?:[T\s]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?\s*$""",
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
    if _CAPTION.match(stripped):
        return "caption"
    if len(stripped) > _MAX_CHROME_LINE:
        return None
    if _BOILERPLATE.match(stripped):
        return "boilerplate"
    if _DATELINE_LINE.match(stripped):
        return "dateline"
    if _BYLINE.match(stripped):
        return "byline"
    if _CREDIT.match(stripped):
        return "credit"
    return None


def dateline_prefix(text: str) -> int:
    """Length of a leading wire dateline ("WASHINGTON (Reuters) - "), 0 when there is none."""
    match = _DATELINE_PREFIX.match(text)
    if not match:
        return 0
    # A real dateline is followed by the story's first sentence, not by the end of text.
    return match.end() if match.end() < len(text) else 0
