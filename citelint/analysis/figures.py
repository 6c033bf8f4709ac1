"""Find the quantities (figures) in a block of prose.

The ``unsourced-figure`` rule needs every number that is a *claim* -- a count, share,
amount or measurement a reader could ask "says who?" about -- and none of the numbers
that merely locate or name things (dates, times, ages, ordinals, model numbers, page
numbers, phone numbers). One regex, built at first use from the words in
rules/lexicons/figures-and-units.yml, proposes candidates; a few cheap context tests on the
words around each candidate reject the locating/naming uses. Everything runs
in linear time per paragraph because it is applied to every paragraph of every article.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from citelint.lexicons import alternation, word_list, word_pairs

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


@functools.cache
def _spelled_numbers(low: int, high: int) -> dict[str, int]:
    """The spelled numbers from ``low`` to ``high`` ("twelve": 12), in order of value."""
    values = {word: int(value) for word, value in word_pairs("number_words").items()}
    return {word: value for word, value in sorted(values.items(), key=lambda item: item[1]) if low <= value <= high}


def count_value(figure: Figure) -> int | None:
    """The value of a bare count ("9", "nine", "1,200"); None for anything else."""
    if figure.kind != "count":
        return None
    token = figure.text[figure.value_start - figure.start:].strip().lower().replace(",", "")
    if token.isdigit() and len(token) < 12:
        return int(token)
    return _spelled_numbers(0, 19).get(token)


# --------------------------------------------------------------------------- vocabulary
# The words come from rules/lexicons/figures-and-units.yml; the patterns that need them are
# built at first use.


@functools.cache
def _ones() -> str:
    return "|".join(_spelled_numbers(1, 9))


@functools.cache
def _word_num() -> str:
    tens, teens = "|".join(_spelled_numbers(20, 99)), "|".join(_spelled_numbers(10, 19))
    return rf"(?:(?:{tens})(?:[-\s](?:{_ones()})(?!\w))?|{teens}|{_ones()})"


_W = r"(?!\w)"  # end of a word
_NUM_END = r"(?![\d\u00b2\u00b3]|[.,]\d|[-\u2013\u2014/]\d)"  # digits not continued
_DIGITS = r"(?:(?:\d{1,3}(?:[,\u00a0\u202f\u2009]\d{3})+|\d+)(?:\.\d+)?)"
# Reuters writes "10-1/2 pct" and "5/8 pct".
_MIXED_FRACTION = r"(?:\d{1,3}-)?\d{1,2}/\d{1,3}"
_DASH = r"\s?[-\u2013\u2014]\s?"


@functools.cache
def _scale() -> str:
    return rf"(?:\s?(?:{alternation(word_list('scale_words'))}){_W}|(?-i:[mkMK])(?![\w/]))"


# Symbols and codes before an amount, not words: "US$", "NZ$", "Rs.", "EUR ".
_DOLLAR_COUNTRIES = r"US|U\.S\.|A|C|NZ|HK|S|R"
_CURRENCY_CODES = r"Rs\.?|INR|EUR|USD|GBP|JPY|CHF"
_CURRENCY_PREFIX = (
    rf"(?:(?:{_DOLLAR_COUNTRIES})\$|[$\u00a3\u20ac\u00a5\u20b9]"
    rf"|(?-i:{_CURRENCY_CODES})\s)"
)


@functools.cache
def _currency_word() -> str:
    return f"(?:{alternation(word_list('currency_words'))})"


_PERCENT = (
    rf"(?:\s?%|[\s-]?(?:per[\s-]?cent|percent|pct){_W}"
    rf"|\s(?:percentage|basis)[\s-]+points?{_W})"
)


@functools.cache
def _money_tail() -> str:
    nationality = rf"(?:U\.?S\.?|{alternation(word_list('currency_nationalities'))})"
    return rf"(?:\s(?:{nationality}\s)?{_currency_word()}{_W}|(?-i:p){_W})"


@functools.cache
def _measure() -> str:
    scales = alternation(word_list("temperature_scales"))
    return (
        r"(?:\s?\u00b0\s?(?-i:[CF])?(?!\w)|(?-i:[CF])(?!\w)"
        rf"|[\s-]?(?:degrees?(?:\s+(?:{scales}|(?-i:[CF])))?|{alternation(word_list('measure_units'))}"
        rf"|sq\.?\s?(?:{alternation(word_list('sq_units'))})|square\s+(?:{alternation(word_list('square_units'))})"
        r"|(?-i:[kMG]Wh?|TWh|GB|MB|TB|Gb|Mb)|(?-i:m/s)|[MGk]bps|[GM]Hz|(?-i:dB))"
        r"(?![\w/]))"
    )


@functools.cache
def _unit() -> str:
    return rf"(?:{_PERCENT}|{_money_tail()}|{_measure()})"


# ---------------------------------------------------------------------- candidate regex


@functools.cache
def _first_words() -> frozenset[str]:
    """Every word a figure can start with. Candidates are only tried at digits, currency
    signs and these words: a set lookup per token is several times faster than letting
    the big regex try every position of every paragraph."""
    return frozenset(
        {hedge.split()[0] for hedge in word_list("figure_hedges")}
        | set(_spelled_numbers(1, 99))
        | {multiple + "s" for multiple in word_list("vague_multiples")}
        | {opener.split()[0] for opener in word_list("vague_amount_openers")}
        | {"a", "half", "tens", "scores"}  # "a million", "half of", "tens of thousands", "scores of"
        | {code.lower() for code in re.findall(r"[A-Za-z]+", f"{_DOLLAR_COUNTRIES}|{_CURRENCY_CODES}")}
    )


_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[$\u00a3\u20ac\u00a5\u20b9]")


@functools.cache
def _figure_re() -> re.Pattern[str]:
    word_num, ones = _word_num(), _ones()
    big_word = alternation(word_list("large_number_words"))
    fraction_word = alternation(word_list("fraction_words"))
    multiples = alternation(word_list("vague_multiples"))
    plural_multiples = alternation(multiple + "s" for multiple in word_list("vague_multiples"))
    scale, unit, money_tail, currency_word = _scale(), _unit(), _money_tail(), _currency_word()
    return re.compile(
        rf"""
        (?:(?P<hedge>{alternation(word_list("figure_hedges"))})\s+)?
        (?:
          (?P<ratio>
              (?:(?<![\w.,]){_DIGITS}|{word_num}) \s+ (?:in|out\s+of) \s+
              (?:{_DIGITS}|{word_num}) {_NUM_END} {_W}
            | (?:(?<![\w.,])\d+|{word_num}) (?:\s+to\s+|-to-) (?:1|one) {_NUM_END} {_W}
              (?!{scale}|{unit})
            | (?<![\w.,])\d{{1,2}}:\d (?![\w:]|[.,]\d)
          )
        | (?P<bigfrac>
              (?:a\s+quarter|three(?:\s|-)quarters|half|a\s+third|two(?:\s|-)thirds)
              \s+(?:of\s+)?a\s+(?:million|billion|trillion){_W}
          )
        | (?P<frac>
              (?:{ones})-(?:{fraction_word}) {_W} (?!-) (?:\s+of{_W})?
            | (?:{ones}|a)\s+(?:{fraction_word})\s+of{_W}
            | half (?:\s+of{_W} | (?=\s+(?:{alternation(word_list("determiners_after_half"))}){_W}))
          )
        | (?P<money>
              {_CURRENCY_PREFIX} \s? (?:{_DIGITS}) (?:{_DASH}(?:{_DIGITS}))? {_NUM_END}
              (?:[\s-]?(?:{alternation(word_list("scale_words"))}){_W}
                 |(?-i:[mkMK])(?![\w/]))? {_W}
          )
        | (?P<vague>
              (?:tens|hundreds)\s+of\s+(?:thousands|millions|billions){_W}
              (?:\s+of\s+{currency_word}{_W})?
            | (?:{alternation(word_list("vague_amount_openers"))})\s+(?:{multiples}){_W}
              (?:{money_tail})?
            | (?:{plural_multiples}) {_W}
              (?:\s+of\s+{currency_word}{_W} | \s+of{_W})?
            | scores\s+of{_W}
          )
        | (?P<pair>
              (?<![\w.,])(?:{_DIGITS}) {_DASH} (?:{_DIGITS}) {_NUM_END}
              (?:{scale})? (?:{unit})? {_W}
          )
        | (?P<number>
              (?:
                  (?<![\w.,/])(?:{_MIXED_FRACTION}) (?=[\s-]?(?:{_PERCENT}|{money_tail}))
                | (?<![\w.,])(?:{_DIGITS}) {_NUM_END}
                | {word_num} (?:\s+and\s+a\s+half)? (?:\s+(?:{big_word})){{0,2}}
                | a \s+ (?:{big_word}) (?:\s+(?:{big_word}))?
              )
              (?:{scale})? (?:{unit})? {_W}
          )
        )
        """,
        re.IGNORECASE | re.VERBOSE,
    )

# --------------------------------------------------------------- spans that are not figures

_ORD = r"(?:st|nd|rd|th)?"


@functools.cache
def _protected_re() -> re.Pattern[str]:
    """Dates, clock times, phone numbers, version-like dotted numbers."""
    months = word_list("month_names") | word_list("month_abbreviations")
    month = f"(?-i:{alternation(name.capitalize() for name in months)})"
    return re.compile(
        rf"""
        (?=[\d(+]|(?-i:[JFMASOND][a-z]))

          \b{month}\.?\s+\d{{1,2}}{_ORD}\b(?:\s*(?:-|\u2013|to|and|or)\s*\d{{1,2}}{_ORD}\b)?
          (?:,?\s+\d{{4}}\b)?
        | \b\d{{1,2}}{_ORD}(?:\s+(?:and|or|to|-|\u2013)\s+\d{{1,2}}{_ORD})?\s+(?:of\s+)?{month}\b(?:,?\s+\d{{4}}\b)?
        | \b\d{{1,2}}-{month}-\d{{2,4}}\b
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
# Web and mail addresses: found from a cheap hint, then widened to the whole token. The domain
# endings are parts of addresses, not English words.
_DOMAIN_ENDINGS = ("com", "org", "net", "gov", "edu", "uk", "io", "int")
_ADDRESS_HINT_RE = re.compile(rf"@|://|www\.|\.(?:{'|'.join(_DOMAIN_ENDINGS)})\b", re.IGNORECASE)
_NON_SPACE_RE = re.compile(r"\S+")


@functools.cache
def _duration_after_re() -> re.Pattern[str]:
    """A duration word after the number, possibly after more numbers of a list or range
    ("two or three years", "5 to 10 days", "three, five or ten years ago")."""
    return re.compile(
        rf"(?:-?(?:\s*,|\s+or|\s+and|\s+to|\s?[-\u2013])\s*(?:\d+(?:\.\d+)?|{_word_num()})){{0,4}}"
        r"(?:\s+or\s+(?:more|so|less))?"
        rf"[\s-]+(?:{alternation(word_list('duration_units'))}"
        r"|(?:quarters?|qtrs?)(?!\s+of))(?:[\s-]+old)?\b",
        re.IGNORECASE,
    )


@functools.cache
def _time_after_re() -> re.Pattern[str]:
    """"3pm", "five o'clock", "three or four in the morning": a clock time."""
    return re.compile(
        rf"(?:\s+(?:or|to)\s+(?:\d{{1,2}}|{_word_num()}))?\s?(?:[ap]\.m\.|[ap]m\b|o['\u2019]clock\b"
        r"|\s(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night)\b)",
        re.IGNORECASE,
    )


# "190 AD", "500 B.C.": a year of an era.
_ERA_AFTER_RE = re.compile(r"\s?(?-i:A\.?D\b\.?|B\.?C\.?(?:E\b\.?)?|C\.?E\b\.?)")


@functools.cache
def _clock_after_re() -> re.Pattern[str]:
    """What follows an hour named after a preposition, with no noun to count ("at nine.",
    "until 10 on Monday")."""
    return re.compile(rf"\s*(?:[.,;:!?)]|$|\s*(?:{alternation(word_list('clock_followers'))})\b)")


def _is_clock_hour(token: str) -> bool:
    return token.lower() in _spelled_numbers(1, 12) or (token.isdigit() and 1 <= int(token) <= 12)


# "three-bedroom", "two-goal": a small spelled number used as a compound adjective.
_COMPOUND_AFTER_RE = re.compile(r"-[a-z]")


@functools.cache
def _times_after_re() -> re.Pattern[str]:
    """"three times", but not "three times more": a number of times is not a claim."""
    return re.compile(rf"\s+times?\b(?!\s+(?:{alternation(word_list('times_comparatives'))})\b)", re.IGNORECASE)


@functools.cache
def _street_after_re() -> re.Pattern[str]:
    """"12 Baker Street": a house number (street types are capitalised, as in addresses)."""
    streets = alternation(street.capitalize() for street in word_list("street_types"))
    return re.compile(rf"\s+(?:[A-Z][a-z]+\s+){{1,3}}(?:{streets})\b")


@functools.cache
def _race_after_re() -> re.Pattern[str]:
    """"the 400m hurdles", "the 800m and 1500m", "with 300m to go": metres naming a race."""
    stems = alternation(word_list("race_word_stems"))
    return re.compile(
        rf"\s*:|\s+to\s+go\b|\s+(?:{alternation(word_list('race_words'))}|(?:{stems})\w*)\b", re.IGNORECASE
    )


_PREV_WORD_RE = re.compile(r"([A-Za-z][\w&'\u2019.-]*)\s*([,(]?)\s*$")
# "voters over 60", "children under 12": a hedged bare number after people is an age.
_AGE_HEDGES = frozenset({"over", "under", "above", "below"})


@functools.cache
def _duration_before_re() -> re.Pattern[str]:
    """"a year or two": the number counts periods."""
    periods = alternation(word_list("period_words"))
    return re.compile(rf"\b(?:a|an|one)\s+(?:{periods})\s+or\s+$", re.IGNORECASE)


@functools.cache
def _age_after_re() -> re.Pattern[str]:
    """What follows the age in "Jo Smith, 45, said"."""
    return re.compile(rf"\)|,|\.(?:\s|$)|$|\s+(?:{alternation(word_list('age_followers'))})\b")


@functools.cache
def _pronoun_age_before_re() -> re.Pattern[str]:
    """"she's 17," / "he was 45 and": a pronoun and a bare number closing the clause is an age."""
    pronouns = alternation(word_list("personal_pronouns"))
    return re.compile(
        rf"\b(?:{pronouns})(?:['\u2019](?:s|m|re)|\s+(?:{alternation(word_list('finite_be_forms'))}))\s+$",
        re.IGNORECASE,
    )


_CLAUSE_END_RE = re.compile(r"\s*[,.;)]|\s*$|\s+(?:and|but|when|years)\b")
# Numbers listed after a word: "Key Stages 1, 3 and 4", "pages 5 and 6".
_LABEL_LIST_BEFORE_RE = re.compile(r"([A-Za-z]+)\s+\d+(?:\s*,\s*\d+)*\s*(?:,|\band|\bor|&|\bto)\s*$")
_RACE_DISTANCES = frozenset({50, 60, 100, 110, 200, 400, 800, 1000, 1500, 2000, 3000, 5000, 10000})


@functools.cache
def _duration_object_re() -> re.Pattern[str]:
    """"a quarter of an hour": a fraction of a unit, not of a group."""
    return re.compile(rf"\s+(?:a|an)\s+(?:{alternation(word_list('fraction_units'))})\b", re.IGNORECASE)


_DIGIT_RUN_RE = re.compile(r"[\d,.\u00a0\u202f\u2009]+")
_DIGIT_TOKEN_RE = re.compile(r"\d[\d,.]*")


@functools.cache
def _unit_tail_res() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return (
        ("percent", re.compile(_PERCENT + "$", re.IGNORECASE)),
        ("money", re.compile(_money_tail() + "$", re.IGNORECASE)),
        ("measure", re.compile(_measure() + "$", re.IGNORECASE)),
    )


@functools.cache
def _big_word_re() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(word_list('large_number_words'))})\b", re.IGNORECASE)


@functools.cache
def _currency_end_re() -> re.Pattern[str]:
    return re.compile(_currency_word() + "$", re.IGNORECASE)


#: Double quotation marks: curly, straight, and the two-apostrophe pair of some archives and wire
#: copy (``''Words,'' he said``), with two backticks as its opening form.
_QUOTE_MARK_RE = re.compile("[\"\u201c\u201d]|''|``")
_DOUBLED_MARKS = frozenset({"''", "``"})
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


@functools.cache
def _scale_tail_re() -> re.Pattern[str]:
    return re.compile(rf"(?:{_scale()})$", re.IGNORECASE)


@functools.cache
def _score_context_re() -> re.Pattern[str]:
    """Words around a "7-2" that make it a score."""
    stems = alternation(word_list("score_word_stems"))
    return re.compile(rf"\b(?:{alternation(word_list('score_words'))}|(?:{stems})\w*)\b", re.IGNORECASE)


@functools.cache
def _vote_after_re() -> re.Pattern[str]:
    """"an eight to one majority", "a 5-4 verdict": a vote, not a proportion."""
    return re.compile(rf"\s+(?:{alternation(word_list('vote_words'))})\b", re.IGNORECASE)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of double-quoted speech. An unclosed quote runs to the end of the text,
    because news style leaves a quote open when it continues into the next paragraph; for
    the same reason a quote that opens while another is open ends that one (paragraphs
    of a long quotation run together: “First part. “Second part.”)."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    opened_by = ""
    for m in _QUOTE_MARK_RE.finditer(text):
        mark, pos = m.group(), m.start()
        if open_at is None:
            # Doubled marks open only before a word: "5''" is inches, "the players''" a possessive.
            if mark != "\u201d" and (mark not in _DOUBLED_MARKS or _opens_quote(text, pos, mark)):
                open_at, opened_by = pos, mark
        elif (mark in _DOUBLED_MARKS) != (opened_by in _DOUBLED_MARKS):
            continue  # the other style's mark ("We laid 12'' pipes," he said) neither opens nor closes
        elif _opens_quote(text, pos, mark):
            spans.append((open_at, pos))
            open_at, opened_by = pos, mark
        else:
            spans.append((open_at, m.end()))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans


def _opens_quote(text: str, pos: int, mark: str) -> bool:
    """Whether a quotation mark opens a quotation: “ always; a straight or doubled one (", '', ``)
    when it stands before a word and after a space, a bracket or the start."""
    if mark == "\u201c" or mark == "\u201d":
        return mark == "\u201c"
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + len(mark)] if pos + len(mark) < len(text) else " "
    return (before.isspace() or before in "([{") and after.isalnum()


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
    for m in _protected_re().finditer(text, max(0, start - _PROTECTED_WINDOW), window_end):
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
        and word.lower().rstrip(".") not in word_list("words_before_counts")
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
    if any(pattern.match(after) for pattern in (_duration_after_re(), _times_after_re(), _time_after_re(),
                                                _ERA_AFTER_RE)):
        return True
    if not punct and lower_word in word_list("label_words"):
        return True  # "page 5", "aged 45"
    if (not punct and lower_word in word_list("clock_prepositions") and _is_clock_hour(token)
            and _clock_after_re().match(after)):
        return True  # "opens at nine.", "until 10 on Friday": a clock time with its unit left out
    if not punct and _is_name_word(word) and (spelled or _plain_int(token) is not None):
        return True  # "Boeing 737", "BBC Two"; "Net 1,234,000" in a table is still a count
    listed = _LABEL_LIST_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
    if listed and (listed.group(1).lower().rstrip("s") in word_list("label_words") or _is_name_word(listed.group(1))):
        return True  # the "3" and "4" of "Key Stages 1, 3 and 4", "Boeing 737, 747 and 777"
    if _AGE_BEFORE_RE.search(text, max(0, m.start() - 20), m.start()):
        return True  # "at the age of 28"
    if _duration_before_re().search(text, max(0, m.start() - 20), m.start()):
        return True  # "within a year or two"
    if _GLUED_BEFORE_RE.search(text, max(0, start - 3), start):
        return True  # "Covid-19", the "20" of "2019-20", "one-for-four", "'98", "#1"
    if spelled:
        return (
            (lower_word in word_list("number_determiners") and not punct)
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
        or (_pronoun_age_before_re().search(text, max(0, m.start() - 12), m.start())
            and _CLAUSE_END_RE.match(after))
    ):
        return True
    if _street_after_re().match(after):
        return True  # a house number
    return not _last_char_before(text, start) and _LIST_MARKER_RE.match(after) is not None


def _is_age(word: str, punct: str, hedge: str | None, after: str) -> bool:
    """"Jo Smith, 45, said", "At 12, he...", "voters over 60" (the number is <= 120)."""
    if punct and word[:1].isupper() and _age_after_re().match(after):
        return True
    if word == "At" and after.startswith(","):
        return True
    if not hedge:
        return False
    return hedge.lower() in _AGE_HEDGES and word.lower() in word_list("people_words")


def _unit_kind(value_text: str) -> str:
    for kind, tail in _unit_tail_res():
        if tail.search(value_text):
            return kind
    return "count"


def _names_race(text: str, m: re.Match[str], distance: str) -> bool:
    """Whether "<distance>m" names a race or a point in one rather than millions."""
    if _race_after_re().match(text, m.end()):
        return True
    word = _previous_word(text, m.start())[0]
    return _plain_int(distance.replace(",", "")) in _RACE_DISTANCES and (
        word.lower() in word_list("race_distance_openers") or word.endswith(("'s", "\u2019s"))
    )


def _number_kind(text: str, m: re.Match[str]) -> str | None:
    start, end = m.span("number")
    value_text = m.group("number")
    lead = value_text.split(None, 1)[0].lower()
    spelled = not lead[:1].isdigit()
    kind = _unit_kind(value_text)
    scaled = bool(_scale_tail_re().search(value_text) or _big_word_re().search(value_text))
    if lead == "one" and not scaled:
        return None  # "one" as an article or pronoun
    if spelled and value_text[:1].isupper() and not _starts_sentence(text, m.start()):
        return None  # "Six Nations", "Ocean's Eleven", "Eight Inch Drive"
    if kind == "count" and not scaled:
        if spelled:
            token = value_text.split(None, 1)[0]
        else:
            digits = _DIGIT_RUN_RE.match(value_text)
            assert digits is not None  # not spelled: the number starts with a digit
            token = digits.group()
        if _is_label(text, m, "number", token, spelled):
            return None
        return "score" if not spelled and _in_tally(text, start, end) else "count"
    if kind == "count" and _duration_after_re().match(text, end):
        return None  # "a thousand years"
    if value_text[-1:] == "m" and _names_race(text, m, value_text[:-1]):
        return None
    return kind


#: "31 votes to 22", "voted 310 to 220", "won by 3 to 1": two counts joined by "to".
_TALLY_RE = re.compile(r"(?<![\d.,])\d[\d,]*(?:\s+(?P<noun>[a-z]+))?\s+to\s+\d[\d,]*(?![\d.,]*\s*(?:%|per|pct))")
_TALLY_WINDOW = 40
#: How far before a tally a vote or score word may stand ("carried by 27 to 14", "voted 310 to 220").
_TALLY_CONTEXT = 25


def _in_tally(text: str, start: int, end: int) -> bool:
    """Whether the count at ``[start, end)`` is one side of a vote or score written with "to"
    ("passed by 31 votes to 22", "carried by 27 to 14"): a result, which the guide never asks to
    source. The word between the counts must be a vote or score word, or one must stand just
    before them as a word of its own ("nurse-led … from 26 days to 18" is no tally)."""
    low = max(0, start - _TALLY_WINDOW)
    for match in _TALLY_RE.finditer(text, low, min(len(text), end + _TALLY_WINDOW)):
        if match.start() <= start and end <= match.end():
            noun = match.group("noun")
            if noun is not None:
                return _score_context_re().fullmatch(noun) is not None
            before = text[max(0, match.start() - _TALLY_CONTEXT):match.start()]
            return any(text_word.group().lower() in word_list("score_words")
                       for text_word in _FREE_WORD_RE.finditer(before))
    return False


#: A word standing on its own, not the end of a hyphenated one ("led", not "nurse-led").
_FREE_WORD_RE = re.compile(r"(?<![\w-])[A-Za-z]+(?![\w-])")


def _pair_kind(text: str, m: re.Match[str]) -> str | None:
    """A "7-2" or "5-6 pct" candidate: a score, a ranged quantity, or neither."""
    start, end = m.span("pair")
    value_text = m.group("pair")
    kind = _unit_kind(value_text)
    if kind != "count" or _scale_tail_re().search(value_text):
        return kind
    first, second = _DIGIT_TOKEN_RE.findall(value_text)[:2]
    if _is_label(text, m, "pair", first, spelled=False) or _NAME_AFTER_RE.match(text, end):
        return None  # "2019-20", "pages 4-5", "Boeing 737-800", "the 9-11 Commission"
    a, b = _plain_int(first), _plain_int(second)
    if a is not None and b is not None and a < 1000 and b < 1000:
        context = text[max(0, start - 40):end + 40]
        if b <= a or _score_context_re().search(context):
            return "score"
    return "count"


def _fraction_kind(text: str, m: re.Match[str]) -> str | None:
    start, end = m.span("frac")
    word, punct = _previous_word(text, start)
    if text[start - 1:start] == "-" or (word.lower() in word_list("ordinals_before_fractions") and not punct):
        return None  # "the first half of", "second-half"
    if _duration_object_re().match(text, end):
        return None  # "a quarter of an hour"
    return "fraction"


def _kind(text: str, m: re.Match[str]) -> str | None:
    """The figure kind of a candidate match, or None when it is not a figure."""
    group = m.lastgroup
    assert group is not None  # every alternative of the figure pattern is a named group
    if group == "number":
        return _number_kind(text, m)
    if group == "pair":
        return _pair_kind(text, m)
    if group == "frac":
        return _fraction_kind(text, m)
    if group == "vague":
        return "money" if _currency_end_re().search(m.group("vague")) else "count"
    if group == "ratio" and _vote_after_re().match(text, m.end()):
        return "score"
    return _FIXED_KINDS[group]


# Only bare numbers can be pieces of dates, clock times or phone numbers.
_DATE_LIKE_KINDS = frozenset({"count", "score"})
_FIXED_KINDS = {"ratio": "ratio", "money": "money", "bigfrac": "count"}


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """Non-overlapping candidate matches, tried only where a figure can start."""
    first_words, figure_re = _first_words(), _figure_re()
    last_end = 0
    for token in _TOKEN_RE.finditer(text):
        pos = token.start()
        if pos < last_end:
            continue
        word = token.group()
        if word[0].isalpha() and (
            word.lower() not in first_words or (pos and text[pos - 1].isalnum())
        ):
            continue
        m = figure_re.match(text, pos)
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
        assert m.lastgroup is not None  # every alternative of the figure pattern is a named group
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


# ------------------------------------------------- figures that name, specify or time (web pages)
# Asked by the verdict layer (citelint/analysis/provenance.py) of a figure already found, each a
# few anchored matches around it, so the candidate loop above pays nothing for them. ``text`` is
# the text the figure was found in.

_DECIMAL_RE = re.compile(r"\d+\.\d+")
_TRAILING_UNIT_RE = re.compile(r"[A-Za-z]+$")
_UNIT_AFTER_RE = re.compile(r"[\s-]?([A-Za-z]+)")
_WORD_AFTER_RE = re.compile(r"[\s-]+([A-Za-z][\w'\u2019]*)")


def _value_text(figure: Figure) -> str:
    return figure.text[figure.value_start - figure.start :]


def names_product(text: str, figure: Figure) -> bool:
    """"4K video", "USB 3.2", "HDMI 2.1", "Bluetooth 5.3": the number is part of the name of a
    product, format or standard ("iPhone 15" and other whole numbers after a name are labels
    already, see ``_is_label``)."""
    value = _value_text(figure)
    if value.lower() in word_list("format_names"):
        return True
    if figure.hedge or not _DECIMAL_RE.fullmatch(value):
        return False
    word, punct = _previous_word(text, figure.value_start)
    inner_capital = any(char.isupper() for char in word[1:])  # "USB", "iPhone", "PCIe", "Wi-Fi"
    return not punct and (inner_capital or word.lower() in word_list("versioned_names"))


def described_noun(text: str, figure: Figure) -> str | None:
    """The noun a figure and its specification unit stand before, describing it ("a 6.1-inch
    screen", "a 176 hp engine", "the 16-inch MacBook Pro"), else None."""
    if figure.hedge or figure.kind not in ("count", "measure"):
        return None
    unit = _TRAILING_UNIT_RE.search(figure.text)
    position = figure.end
    if unit is None:
        unit = _UNIT_AFTER_RE.match(text, position)
        if unit is None:
            return None
        position = unit.end()
    if unit.group().strip(" -").lower() not in word_list("specification_units"):
        return None
    noun = _WORD_AFTER_RE.match(text, position)
    if noun is None or noun.group(1).lower() in word_list("not_specified_nouns"):
        return None
    return noun.group(1)


@functools.cache
def _kitchen_unit_after_re() -> re.Pattern[str]:
    return re.compile(rf"[\s-]?(?:{alternation(word_list('kitchen_units'))})\b", re.IGNORECASE)


@functools.cache
def _recipe_step_re() -> re.Pattern[str]:
    """A sentence that opens with a recipe's imperative ("Add 200g of sugar")."""
    return re.compile(rf"\s*(?:{alternation(word_list('recipe_verbs'))})\s", re.IGNORECASE)


def recipe_quantity(text: str, figure: Figure) -> bool:
    """"2 cups of flour", "Bake for 25 minutes at 180C": a quantity in a recipe."""
    if figure.kind in ("percent", "money"):
        return False
    return _kitchen_unit_after_re().match(text, figure.end) is not None or _recipe_step_re().match(text) is not None


@functools.cache
def _relative_time_re() -> re.Pattern[str]:
    return re.compile(rf"\s*(?:{alternation(word_list('relative_time_words'))})\b", re.IGNORECASE)


def relative_time(text: str, figure: Figure) -> bool:
    """"25M ago", "3h ago": how long ago a page item was posted, not a quantity."""
    return _relative_time_re().match(text, figure.end) is not None


@functools.cache
def _first_hand_re() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(word_list('first_hand_measures'))})\b", re.IGNORECASE)


def measured_by_writer(text: str) -> bool:
    """"We measured", "in our tests": the writer's own measurement, first-hand."""
    return _first_hand_re().search(text) is not None
