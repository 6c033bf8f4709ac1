"""Find the quantities (figures) in a block of prose.

The ``unsourced-figure`` rule needs every number that is a *claim* -- a count, share,
amount or measurement a reader could ask "says who?" about -- and none of the numbers
that merely locate or name things (dates, times, ages, ordinals, model numbers, page
numbers, phone numbers). One precompiled regex proposes candidates; a few cheap context
tests on the words around each candidate reject the locating/naming uses. Everything runs
in linear time per paragraph because it is applied to every paragraph of every article.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Figure", "find_figures"]


@dataclass(frozen=True, slots=True)
class Figure:
    """One quantity found in a text; offsets index the text given to :func:`find_figures`."""

    start: int  # includes the hedge, when there is one
    end: int
    text: str  # text[start:end]
    value_start: int  # where the quantity itself starts (after the hedge)
    hedge: str | None  # normalised hedge ("as many as", "at least", ...) or None
    kind: str  # count | percent | money | ratio | fraction | measure | score
    in_quote: bool  # inside quoted speech


_SMALL_NUMBER_WORDS = {
    word: value for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}


def count_value(figure: Figure) -> int | None:
    """The value of a bare count ("9", "nine", "1,200"); None for anything else."""
    if figure.kind != "count":
        return None
    token = figure.text[figure.value_start - figure.start:].strip().lower().replace(",", "")
    if token.isdigit() and len(token) < 12:
        return int(token)
    return _SMALL_NUMBER_WORDS.get(token)


# --------------------------------------------------------------------------- vocabulary

_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORD_NUM = rf"(?:(?:{_TENS})(?:[-\s](?:{_ONES})(?!\w))?|{_TEENS}|{_ONES})"
_BIG_WORD = "hundred|thousand|million|billion|trillion|dozen"
_FRACTION_WORD = (
    "halves|half|thirds?|quarters?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?"
)
# Hedges, longest first so "no more than" wins over "more than".
_HEDGES = (
    "as many as", "as much as", "as few as", "as little as", "as high as", "as low as",
    "no fewer than", "no more than", "no less than", "not more than", "not less than",
    "more than", "less than", "fewer than", "greater than", "in excess of", "upwards of",
    "an estimated", "an average of", "at least", "at most", "up to", "close to",
    "just over", "just under", "well over", "well under", "just below", "just above",
    "nearly", "almost", "about", "around", "roughly", "approximately", "some", "over",
    "under", "below", "above", "estimated",
)
_HEDGE = "|".join(h.replace(" ", r"\s+") for h in _HEDGES)

_W = r"(?!\w)"  # end of a word
_NUM_END = r"(?![\d\u00b2\u00b3]|[.,]\d|[-\u2013\u2014/]\d)"  # digits not continued
_DIGITS = r"(?:(?:\d{1,3}(?:[,\u00a0\u202f\u2009]\d{3})+|\d+)(?:\.\d+)?)"
# Reuters writes "10-1/2 pct" and "5/8 pct".
_MIXED_FRACTION = r"(?:\d{1,3}-)?\d{1,2}/\d{1,3}"
_DASH = r"\s?[-\u2013\u2014]\s?"

_SCALE = (
    rf"(?:\s?(?:million|billion|trillion|thousand|mln|bln|bn|mn|tn|trn|crores?|lakhs?){_W}"
    rf"|(?-i:[mkMK])(?![\w/]))"
)
_CURRENCY_PREFIX = (
    r"(?:(?:US|U\.S\.|A|C|NZ|HK|S|R)\$|[$\u00a3\u20ac\u00a5\u20b9]"
    r"|(?-i:Rs\.?|INR|EUR|USD|GBP|JPY|CHF)\s)"
)
_CURRENCY_ADJ = (
    r"(?:U\.?S\.?|Australian|Canadian|Hong\s+Kong|New\s+Zealand|Singapore|Taiwan|Swiss"
    r"|French|Belgian|Dutch|Saudi|Mexican|Brazilian)"
)
_CURRENCY_WORD = (
    r"(?:dollars?|dlrs?|pounds?|sterling|stg|euros?|yen|yuan|renminbi|rupees?|francs?"
    r"|marks|pesos?|roubles?|rubles?|rand|riyals?|lire|lira|guilders?|kronor|kroner"
    r"|krona|cents?|cts|pence)"
)
_PERCENT = (
    rf"(?:\s?%|[\s-]?(?:per[\s-]?cent|percent|pct){_W}"
    rf"|\s(?:percentage|basis)[\s-]+points?{_W})"
)
_MONEY_TAIL = rf"(?:\s(?:{_CURRENCY_ADJ}\s)?{_CURRENCY_WORD}{_W}|(?-i:p){_W})"
_MEASURE = (
    r"(?:\s?\u00b0\s?(?-i:[CF])?(?!\w)|(?-i:[CF])(?!\w)"
    r"|[\s-]?(?:degrees?(?:\s+(?:celsius|fahrenheit|centigrade|(?-i:[CF])))?"
    r"|tonnes?|tons?|kg|kilos?|kilograms?|grams?|lbs?|ounces?|oz|km|kilomet(?:re|er)s?"
    r"|miles?|met(?:re|er)s?|cm|mm|ft|feet|foot|inch(?:es)?|yards?|acres?|hectares?"
    r"|sq\.?\s?(?:km|m|ft|miles?)|square\s+(?:kilomet(?:re|er)s?|miles?|met(?:re|er)s?|feet)"
    r"|barrels?|bpd|bushels?|lit(?:re|er)s?|gallons?|(?-i:[kMG]Wh?|TWh|GB|MB|TB|Gb|Mb)"
    r"|(?:giga|mega|tera)bytes?|mph|km/h|kph|(?-i:m/s)|knots|[MGk]bps|[GM]Hz|megapixels|calories|decibels|(?-i:dB)|volts|watts)"
    r"(?![\w/]))"
)
_UNIT = rf"(?:{_PERCENT}|{_MONEY_TAIL}|{_MEASURE})"

# ---------------------------------------------------------------------- candidate regex

# Every word a figure can start with. Candidates are only tried at digits, currency
# signs and these words: a set lookup per token is several times faster than letting
# the big regex try every position of every paragraph.
_FIRST_WORDS = frozenset(
    {h.split()[0] for h in _HEDGES}
    | set(f"{_ONES}|{_TEENS}|{_TENS}".split("|"))
    | {"a", "half", "tens", "hundreds", "thousands", "millions", "billions", "dozens",
       "several", "scores", "us", "u", "nz", "hk", "s", "r", "c", "rs", "inr", "eur",
       "usd", "gbp", "jpy", "chf"}
)
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[$\u00a3\u20ac\u00a5\u20b9]")

_FIGURE_RE = re.compile(
    rf"""
    (?:(?P<hedge>{_HEDGE})\s+)?
    (?:
      (?P<ratio>
          (?:(?<![\w.,]){_DIGITS}|{_WORD_NUM}) \s+ (?:in|out\s+of) \s+
          (?:{_DIGITS}|{_WORD_NUM}) {_NUM_END} {_W}
        | (?:(?<![\w.,])\d+|{_WORD_NUM}) (?:\s+to\s+|-to-) (?:1|one) {_NUM_END} {_W}
          (?!{_SCALE}|{_UNIT})
        | (?<![\w.,])\d{{1,2}}:\d (?![\w:]|[.,]\d)
      )
    | (?P<bigfrac>
          (?:a\s+quarter|three(?:\s|-)quarters|half|a\s+third|two(?:\s|-)thirds)
          \s+(?:of\s+)?a\s+(?:million|billion|trillion){_W}
      )
    | (?P<frac>
          (?:{_ONES})-(?:{_FRACTION_WORD}) {_W} (?!-) (?:\s+of{_W})?
        | (?:{_ONES}|a)\s+(?:{_FRACTION_WORD})\s+of{_W}
        | half (?:\s+of{_W} | (?=\s+(?:the|their|its|his|her|our|all|those|these|them){_W}))
      )
    | (?P<money>
          {_CURRENCY_PREFIX} \s? (?:{_DIGITS}) (?:{_DASH}(?:{_DIGITS}))? {_NUM_END}
          (?:[\s-]?(?:million|billion|trillion|thousand|mln|bln|bn|mn|tn|trn|crores?|lakhs?){_W}
             |(?-i:[mkMK])(?![\w/]))? {_W}
      )
    | (?P<vague>
          (?:tens|hundreds)\s+of\s+(?:thousands|millions|billions){_W}
          (?:\s+of\s+{_CURRENCY_WORD}{_W})?
        | (?:a\s+few|several|a\s+couple\s+of)\s+(?:hundred|thousand|million|billion|dozen){_W}
          (?:{_MONEY_TAIL})?
        | (?:hundreds|thousands|millions|billions|dozens) {_W}
          (?:\s+of\s+{_CURRENCY_WORD}{_W} | \s+of{_W})?
        | scores\s+of{_W}
      )
    | (?P<pair>
          (?<![\w.,])(?:{_DIGITS}) {_DASH} (?:{_DIGITS}) {_NUM_END}
          (?:{_SCALE})? (?:{_UNIT})? {_W}
      )
    | (?P<number>
          (?:
              (?<![\w.,/])(?:{_MIXED_FRACTION}) (?=[\s-]?(?:{_PERCENT}|{_MONEY_TAIL}))
            | (?<![\w.,])(?:{_DIGITS}) {_NUM_END}
            | {_WORD_NUM} (?:\s+and\s+a\s+half)? (?:\s+(?:{_BIG_WORD})){{0,2}}
            | a \s+ (?:{_BIG_WORD}) (?:\s+(?:{_BIG_WORD}))?
          )
          (?:{_SCALE})? (?:{_UNIT})? {_W}
      )
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

# --------------------------------------------------------------- spans that are not figures

_MONTH = (
    r"(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_ORD = r"(?:st|nd|rd|th)?"
# Dates, clock times, phone numbers, version-like dotted numbers.
_PROTECTED_RE = re.compile(
    rf"""
    (?=[\d(+]|(?-i:[JFMASOND][a-z]))

      \b{_MONTH}\.?\s+\d{{1,2}}{_ORD}\b(?:\s*(?:-|\u2013|to|and|or)\s*\d{{1,2}}{_ORD}\b)?
      (?:,?\s+\d{{4}}\b)?
    | \b\d{{1,2}}{_ORD}(?:\s+(?:and|or|to|-|\u2013)\s+\d{{1,2}}{_ORD})?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+\d{{4}}\b)?
    | \b\d{{1,2}}-{_MONTH}-\d{{2,4}}\b
    | \b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b
    | \b\d{{1,2}}[:.]\d{{2}}\s?(?:[ap]\.?m\b\.?|(?-i:GMT|BST|UTC|EST|EDT|CET|ET|PT)\b|hrs?\b|h\b)
    | \b\d{{1,2}}:\d{{2}}(?::\d{{2}})?\b
    | \b\d{{4}}\s?(?-i:GMT|BST|UTC|EST|EDT|CET|ET|PT|hrs|hours)\b
    | (?:\+\d{{1,3}}[\s.-]?)?\(?\b\d{{2,5}}\)?[\s.-]\d{{3,4}}[\s.-]\d{{3,4}}\b
    | \b\d{{3}}-\d{{4}}\b
    | \b0\d{{2,4}}(?:[\s-]\d{{1,4}}){{2,3}}\b
    | \b\d+(?:\.\d+){{2,}}\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

_PROTECTED_WINDOW = 40  # longer than any date, time or phone number
# Web and mail addresses: found from a cheap hint, then widened to the whole token.
_ADDRESS_HINT_RE = re.compile(r"@|://|www\.|\.(?:com|org|net|gov|edu|uk|io|int)\b", re.IGNORECASE)
_NON_SPACE_RE = re.compile(r"\S+")

# A duration word after the number, possibly after more numbers of a list or range
# ("two or three years", "5 to 10 days", "three, five or ten years ago").
_DURATION_AFTER_RE = re.compile(
    rf"(?:-?(?:\s*,|\s+or|\s+and|\s+to|\s?[-\u2013])\s*(?:\d+(?:\.\d+)?|{_WORD_NUM})){{0,4}}"
    r"(?:\s+or\s+(?:more|so|less))?"
    r"[\s-]+(?:years?|yrs?|months?|mths?|weeks?|wks?|days?|nights?|hours?|hrs?|minutes?"
    r"|mins?|seconds?|secs?|decades?|centuries|century|generations?|seasons?|terms?"
    r"|(?:quarters?|qtrs?)(?!\s+of)|innings|overs)(?:[\s-]+old)?\b",
    re.IGNORECASE,
)
# "3pm", "five o'clock", "three or four in the morning": a clock time.
_TIME_AFTER_RE = re.compile(
    rf"(?:\s+(?:or|to)\s+(?:\d{{1,2}}|{_WORD_NUM}))?\s?(?:[ap]\.m\.|[ap]m\b|o['\u2019]clock\b"
    r"|\s(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night)\b)",
    re.IGNORECASE,
)
# "190 AD", "500 B.C.": a year of an era.
_ERA_AFTER_RE = re.compile(r"\s?(?-i:A\.?D\b\.?|B\.?C\.?(?:E\b\.?)?|C\.?E\b\.?)")
# "at nine.", "until 10 on Monday": an hour named after a preposition, with no noun to count.
_CLOCK_PREPOSITIONS = frozenset("at until till before after".split())
_CLOCK_AFTER_RE = re.compile(r"\s*(?:[.,;:!?)]|$|\s*(?:on|in|tonight|tomorrow|today|each|every|sharp|and|or)\b)")
_CLOCK_HOURS = frozenset("one two three four five six seven eight nine ten eleven twelve".split())


def _is_clock_hour(token: str) -> bool:
    return token.lower() in _CLOCK_HOURS or (token.isdigit() and 1 <= int(token) <= 12)


# "three-bedroom", "two-goal": a small spelled number used as a compound adjective.
_COMPOUND_AFTER_RE = re.compile(r"-[a-z]")
_TIMES_AFTER_RE = re.compile(
    r"\s+times?\b(?!\s+(?:more|less|fewer|as|the|higher|lower|bigger|greater|larger|"
    r"smaller|faster|slower|likelier|likely|over)\b)",
    re.IGNORECASE,
)
_STREET_AFTER_RE = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Way|Drive|Place|Square"
    r"|Terrace|Crescent|Close|Boulevard|Blvd|Gardens|Row|Hill)\b"
)
# "the 400m hurdles", "the 800m and 1500m", "with 300m to go": metres naming a race.
_RACE_AFTER_RE = re.compile(
    r"\s*:|\s+to\s+go\b|\s+(?:hurdles|freestyle|relay|final\w*|race|sprint|backstroke"
    r"|breaststroke|butterfly|medley|individual|indoor|outdoor|title|record|heats?|event"
    r"|champion\w*|world|gold|silver|bronze|crown|run\w*|stage|legend|star|specialist"
    r"|hurdler|mark|leg|and|or|personal|season|best|time|metres|hope)\b",
    re.IGNORECASE,
)
_RACE_BEFORE_WORDS = frozenset("the for over in at and or".split())
_PREV_WORD_RE = re.compile(r"([A-Za-z][\w&'\u2019.-]*)\s*([,(]?)\s*$")
# "voters over 60", "children under 12": a hedged bare number after people is an age.
_PEOPLE_WORDS = frozenset(
    """people voters those children men women adults pensioners anyone everyone persons
    kids youngsters drivers workers patients players""".split()
)
_AGE_HEDGES = frozenset({"over", "under", "above", "below"})
# "a year or two"
_DURATION_BEFORE_RE = re.compile(
    r"\b(?:a|an|one)\s+(?:year|month|week|day|hour|minute|decade)\s+or\s+$", re.IGNORECASE
)
_AGE_AFTER_RE = re.compile(r"\)|,|\.(?:\s|$)|$|\s+(?:and|was|is|who|from|of|has|had|said)\b")
# "she's 17," / "he was 45 and": a pronoun and a bare number closing the clause is an age.
_PRONOUN_AGE_BEFORE_RE = re.compile(
    r"\b(?:he|she|i|you|they|we)(?:['\u2019](?:s|m|re)|\s+(?:is|was|am|are|were))\s+$",
    re.IGNORECASE,
)
_CLAUSE_END_RE = re.compile(r"\s*[,.;)]|\s*$|\s+(?:and|but|when|years)\b")

# Words after which a number labels or ranks rather than counts ("page 5", "aged 45").
_LABEL_WORDS = frozenset(
    """page pages p pp section sections sec chapter chapters article articles clause
    clauses paragraph para line lines rule item no nos no. number num version ver v route
    flight room platform gate channel level tier category phase stage round episode season
    series volume vol issue table figure fig exhibit appendix amendment lot unit apartment
    apt suite floor box division heat part act track verse psalm district ward zone highway
    interstate junction exit terminal seat shirt jersey top class group bus code pin ranked
    model mark type size grade day week game match hole aged age ages""".split()
)
# Numbers listed after a word: "Key Stages 1, 3 and 4", "pages 5 and 6".
_LABEL_LIST_BEFORE_RE = re.compile(r"([A-Za-z]+)\s+\d+(?:\s*,\s*\d+)*\s*(?:,|\band|\bor|&|\bto)\s*$")
# Capitalised words that may sit before a count without making it a name ("Some 500").
_CAPITALISED_FUNCTION_WORDS = frozenset(
    """the a an but and or nor so yet only just all some about of in at by for with to from
    since after before when while if on its their his her our these those another each
    every nearly almost over under around roughly approximately altogether overall up
    last next then now today yesterday than until although though because as also
    even still more less fewer both there here where whereas total""".split()
)
# Determiners that make a small spelled number anaphoric ("the two men"), not a claim.
_DETERMINERS = frozenset(
    """the these those his her their its our my your all both first last next other every
    past previous final remaining same latest initial""".split()
)
# Words before "half"/"quarter" that make it a part of a period ("the first half of").
_ORDINAL_WORDS = frozenset(
    "first second third fourth fifth final last opening closing other the a one".split()
)
_RACE_DISTANCES = frozenset({50, 60, 100, 110, 200, 400, 800, 1000, 1500, 2000, 3000, 5000, 10000})
_DURATION_OBJECT_RE = re.compile(
    r"\s+(?:a|an)\s+(?:hour|century|mile|second|minute|day|year)\b", re.IGNORECASE
)
_DIGIT_RUN_RE = re.compile(r"[\d,.\u00a0\u202f\u2009]+")
_DIGIT_TOKEN_RE = re.compile(r"\d[\d,.]*")
_UNIT_TAIL_RES = (
    ("percent", re.compile(_PERCENT + "$", re.IGNORECASE)),
    ("money", re.compile(_MONEY_TAIL + "$", re.IGNORECASE)),
    ("measure", re.compile(_MEASURE + "$", re.IGNORECASE)),
)
_BIG_WORD_RE = re.compile(rf"\b(?:{_BIG_WORD})\b", re.IGNORECASE)
_CURRENCY_END_RE = re.compile(_CURRENCY_WORD + "$", re.IGNORECASE)
_QUOTE_MARK_RE = re.compile('["\u201c\u201d]')
# Glued to letters or to another number: "Covid-19", the "20" of "2019-20", "'98", "#1".
_GLUED_BEFORE_RE = re.compile(r"(?:[A-Za-z]-|\d\s?[-\u2013\u2014]|[/'\u2019#]|\d[.,])$")
_GLUED_AFTER_RE = re.compile(r"/|-[A-Za-z]{3}-|-[A-Z]{1,3}\b")
# "the 9-11 Commission": a pair of numbers followed by a capitalised word names something.
_NAME_AFTER_RE = re.compile(r"\s+[A-Z][a-z]")
# A paragraph opening "3. " or "20 Jo Bloggs" is a list or ranking, never a count:
# news style does not start a sentence with digits.
_LIST_MARKER_RE = re.compile(r"[.)]\s|\s+[A-Z]")
_SENTENCE_OPENERS = frozenset('.!?:;"\u201c\u201d\u2018\u2019(\n-\u2013\u2014')
_AGE_BEFORE_RE = re.compile(
    r"\b(?:age[ds]?|age\s+of|aged\s+between|turn(?:s|ed|ing)?)(?:\s+\d{1,3}\s*(?:to|and|-|\u2013))?\s*$",
    re.IGNORECASE,
)
_SCALE_TAIL_RE = re.compile(rf"(?:{_SCALE})$", re.IGNORECASE)
_SCORE_CONTEXT_RE = re.compile(
    r"\b(?:wins?|won|winning|beat|beats|beaten|defeats?|defeated|victory|victories|draw|"
    r"drew|drawn|votes?|voted|margin|leads?|led|lost|loss|lose|scored?|scoring|trail\w*|"
    r"thrash\w*|rout\w*|ruling|decision|sets?|match|game|final|tie|home|away|against|up|down|majority)\b",
    re.IGNORECASE,
)
#: "an eight to one majority", "a 5-4 verdict": a vote, not a proportion.
_VOTE_AFTER_RE = re.compile(r"\s+(?:majority|verdict|ruling|decision|vote)\b", re.IGNORECASE)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of double-quoted speech. An unclosed quote runs to the end of the text,
    because news style leaves a quote open when it continues into the next paragraph; for
    the same reason a quote that opens while another is open ends that one (paragraphs
    of a long quotation run together: “First part. “Second part.”)."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _QUOTE_MARK_RE.finditer(text):
        mark, pos = m.group(), m.start()
        if open_at is None:
            if mark != "\u201d":
                open_at = pos
        elif _opens_quote(text, pos, mark):
            spans.append((open_at, pos))
            open_at = pos
        else:
            spans.append((open_at, pos + 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans


def _opens_quote(text: str, pos: int, mark: str) -> bool:
    """Whether a quotation mark opens a quotation: “ always; a straight one when it stands
    before a word and after a space (or at the start)."""
    if mark != '"':
        return mark == "\u201c"
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return before.isspace() and after.isalnum()


class Spans:
    """Sorted, non-overlapping spans with fast overlap and membership tests."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, end - 1) - 1
        return i >= 0 and self._ends[i] > start

    def contains(self, pos: int) -> bool:
        return self.overlaps(pos, pos + 1)


def quoted_spans(text: str) -> Spans:
    """The double-quoted speech in ``text``, for membership tests."""
    return Spans(_quote_spans(text))


def _address_spans(text: str) -> Spans:
    """Web and mail addresses: whole whitespace-delimited tokens holding an address hint."""
    if not _ADDRESS_HINT_RE.search(text):
        return Spans([])
    return Spans(
        [token.span() for token in _NON_SPACE_RE.finditer(text)
         if _ADDRESS_HINT_RE.search(token.group())]
    )


def _in_protected(text: str, start: int, end: int) -> bool:
    """Whether [start, end) touches a date, time, phone or version number. Searched in a
    small window per candidate: far cheaper than scanning every paragraph in full."""
    window_end = min(len(text), end + _PROTECTED_WINDOW)
    for m in _PROTECTED_RE.finditer(text, max(0, start - _PROTECTED_WINDOW), window_end):
        if m.start() < end and m.end() > start:
            return True
    return False


def _previous_word(text: str, pos: int) -> tuple[str, str]:
    """The word before ``pos`` and the comma or parenthesis between them, if any."""
    m = _PREV_WORD_RE.search(text, max(0, pos - 40), pos)
    return (m.group(1), m.group(2)) if m else ("", "")


def _plain_int(token: str) -> int | None:
    """The value of an integer written without separators, else None."""
    return int(token) if token.isdigit() and len(token) < 12 else None


def _is_name_word(word: str) -> bool:
    """True for a word with a capital that names something ("Boeing", "iPhone", "FTSE")."""
    return (
        any(ch.isupper() for ch in word)
        and not word.endswith(("'", "\u2019", "'s", "\u2019s"))
        and word.lower().rstrip(".") not in _CAPITALISED_FUNCTION_WORDS
    )


def _last_char_before(text: str, pos: int) -> str:
    """The last non-space character before ``pos`` ("" at the start of the text)."""
    pos -= 1
    while pos >= 0 and text[pos].isspace():
        pos -= 1
    return text[pos] if pos >= 0 else ""


def _starts_sentence(text: str, pos: int) -> bool:
    before = _last_char_before(text, pos)
    return not before or before in _SENTENCE_OPENERS


def _is_label(text: str, m: re.Match[str], group: str, token: str, spelled: bool) -> bool:
    """Whether a bare number (no scale or unit) locates, names, ages or times something
    instead of counting it: a year, an age, a model or page number, a duration..."""
    start, end = m.span(group)
    after = text[end:end + 60]
    word, punct = _previous_word(text, m.start())
    lower_word = word.lower()
    if any(pattern.match(after) for pattern in (_DURATION_AFTER_RE, _TIMES_AFTER_RE, _TIME_AFTER_RE, _ERA_AFTER_RE)):
        return True
    if not punct and lower_word in _LABEL_WORDS:
        return True  # "page 5", "aged 45"
    if not punct and lower_word in _CLOCK_PREPOSITIONS and _is_clock_hour(token) and _CLOCK_AFTER_RE.match(after):
        return True  # "opens at nine.", "until 10 on Friday": a clock time with its unit left out
    if not punct and _is_name_word(word) and (spelled or _plain_int(token) is not None):
        return True  # "Boeing 737", "BBC Two"; "Net 1,234,000" in a table is still a count
    listed = _LABEL_LIST_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
    if listed and (listed.group(1).lower().rstrip("s") in _LABEL_WORDS or _is_name_word(listed.group(1))):
        return True  # the "3" and "4" of "Key Stages 1, 3 and 4", "Boeing 737, 747 and 777"
    if _AGE_BEFORE_RE.search(text, max(0, m.start() - 20), m.start()):
        return True  # "at the age of 28"
    if _DURATION_BEFORE_RE.search(text, max(0, m.start() - 20), m.start()):
        return True  # "within a year or two"
    if _GLUED_BEFORE_RE.search(text, max(0, start - 3), start):
        return True  # "Covid-19", the "20" of "2019-20", "one-for-four", "'98", "#1"
    if spelled:
        return (
            (lower_word in _DETERMINERS and not punct)
            or _COMPOUND_AFTER_RE.match(after) is not None
        )
    if _GLUED_AFTER_RE.match(after):
        return True
    value = _plain_int(token)
    if value is None:
        return False
    if token[0] == "0" and len(token) > 1:
        return True  # "007", "03": a code, not a quantity
    if len(token) == 4 and 1000 <= value <= 2099:
        return True  # a year
    if value <= 120 and (
        _is_age(word, punct, m.group("hedge"), after)
        or (_PRONOUN_AGE_BEFORE_RE.search(text, max(0, m.start() - 12), m.start())
            and _CLAUSE_END_RE.match(after))
    ):
        return True
    if _STREET_AFTER_RE.match(after):
        return True  # a house number
    return not _last_char_before(text, start) and _LIST_MARKER_RE.match(after) is not None


def _is_age(word: str, punct: str, hedge: str | None, after: str) -> bool:
    """"Jo Smith, 45, said", "At 12, he...", "voters over 60" (the number is <= 120)."""
    if punct and word[:1].isupper() and _AGE_AFTER_RE.match(after):
        return True
    if word == "At" and after.startswith(","):
        return True
    return bool(hedge) and hedge.lower() in _AGE_HEDGES and word.lower() in _PEOPLE_WORDS


def _unit_kind(value_text: str) -> str:
    for kind, tail in _UNIT_TAIL_RES:
        if tail.search(value_text):
            return kind
    return "count"


def _names_race(text: str, m: re.Match[str], distance: str) -> bool:
    """Whether "<distance>m" names a race or a point in one rather than millions."""
    if _RACE_AFTER_RE.match(text, m.end()):
        return True
    word = _previous_word(text, m.start())[0]
    return _plain_int(distance.replace(",", "")) in _RACE_DISTANCES and (
        word.lower() in _RACE_BEFORE_WORDS or word.endswith(("'s", "\u2019s"))
    )


def _number_kind(text: str, m: re.Match[str]) -> str | None:
    start, end = m.span("number")
    value_text = m.group("number")
    lead = value_text.split(None, 1)[0].lower()
    spelled = not lead[:1].isdigit()
    kind = _unit_kind(value_text)
    scaled = bool(_SCALE_TAIL_RE.search(value_text) or _BIG_WORD_RE.search(value_text))
    if lead == "one" and not scaled:
        return None  # "one" as an article or pronoun
    if spelled and value_text[:1].isupper() and not _starts_sentence(text, m.start()):
        return None  # "Six Nations", "Ocean's Eleven", "Eight Inch Drive"
    if kind == "count" and not scaled:
        token = value_text.split(None, 1)[0] if spelled else _DIGIT_RUN_RE.match(value_text).group()
        return None if _is_label(text, m, "number", token, spelled) else "count"
    if kind == "count" and _DURATION_AFTER_RE.match(text, end):
        return None  # "a thousand years"
    if value_text[-1:] == "m" and _names_race(text, m, value_text[:-1]):
        return None
    return kind


def _pair_kind(text: str, m: re.Match[str]) -> str | None:
    """A "7-2" or "5-6 pct" candidate: a score, a ranged quantity, or neither."""
    start, end = m.span("pair")
    value_text = m.group("pair")
    kind = _unit_kind(value_text)
    if kind != "count" or _SCALE_TAIL_RE.search(value_text):
        return kind
    first, second = _DIGIT_TOKEN_RE.findall(value_text)[:2]
    if _is_label(text, m, "pair", first, spelled=False) or _NAME_AFTER_RE.match(text, end):
        return None  # "2019-20", "pages 4-5", "Boeing 737-800", "the 9-11 Commission"
    a, b = _plain_int(first), _plain_int(second)
    if a is not None and b is not None and a < 1000 and b < 1000:
        context = text[max(0, start - 40):end + 40]
        if b <= a or _SCORE_CONTEXT_RE.search(context):
            return "score"
    return "count"


def _fraction_kind(text: str, m: re.Match[str]) -> str | None:
    start, end = m.span("frac")
    word, punct = _previous_word(text, start)
    if text[start - 1:start] == "-" or (word.lower() in _ORDINAL_WORDS and not punct):
        return None  # "the first half of", "second-half"
    if _DURATION_OBJECT_RE.match(text, end):
        return None  # "a quarter of an hour"
    return "fraction"


def _kind(text: str, m: re.Match[str]) -> str | None:
    """The figure kind of a candidate match, or None when it is not a figure."""
    group = m.lastgroup
    if group == "number":
        return _number_kind(text, m)
    if group == "pair":
        return _pair_kind(text, m)
    if group == "frac":
        return _fraction_kind(text, m)
    if group == "vague":
        return "money" if _CURRENCY_END_RE.search(m.group("vague")) else "count"
    if group == "ratio" and _VOTE_AFTER_RE.match(text, m.end()):
        return "score"
    return _FIXED_KINDS[group]


# Only bare numbers can be pieces of dates, clock times or phone numbers.
_DATE_LIKE_KINDS = frozenset({"count", "score"})
_FIXED_KINDS = {"ratio": "ratio", "money": "money", "bigfrac": "count"}


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """Non-overlapping candidate matches, tried only where a figure can start."""
    last_end = 0
    for token in _TOKEN_RE.finditer(text):
        pos = token.start()
        if pos < last_end:
            continue
        word = token.group()
        if word[0].isalpha() and (
            word.lower() not in _FIRST_WORDS or (pos and text[pos - 1].isalnum())
        ):
            continue
        m = _FIGURE_RE.match(text, pos)
        if m:
            last_end = m.end()
            yield m


def find_figures(text: str) -> list[Figure]:
    """All figures in ``text``, sorted by start and non-overlapping.

    Figures inside quoted speech come back with ``in_quote=True``; the rule decides
    what to do with them. Never raises: a non-string gives an empty list.
    """
    if not isinstance(text, str) or not text:
        return []
    addresses = _address_spans(text)
    quotes = quoted_spans(text)
    figures: list[Figure] = []
    for m in _candidates(text):
        start, end = m.span()
        value_start = m.start(m.lastgroup)
        if addresses.overlaps(value_start, end):
            continue
        kind = _kind(text, m)
        if kind is None or (kind in _DATE_LIKE_KINDS and _in_protected(text, value_start, end)):
            continue
        hedge = m.group("hedge")
        figures.append(
            Figure(
                start=start,
                end=end,
                text=text[start:end],
                value_start=value_start,
                hedge=" ".join(hedge.lower().split()) if hedge else None,
                kind=kind,
                in_quote=quotes.contains(start),
            )
        )
    return figures
