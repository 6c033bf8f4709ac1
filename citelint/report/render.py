"""The report's HTML: Jinja2 templates with autoescaping on, so nothing from an article is
ever markup. Findings are nested into the article's text here; the templates only print."""

from __future__ import annotations

import base64
import hashlib
import heapq
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

import jinja2
import markupsafe

from citelint import __version__
from citelint.report.model import BASES, BASIS_LABELS, ArticleReport, Finding, unlinked_sources
from citelint.ruleset import Rule

#: How many distinct looks a rule can get (colour and underline pattern); more rules reuse them.
RULE_LOOKS = 10
#: How many unlinked sources the folder chart lists.
TOP_UNLINKED = 10
#: What a table shows for a rate or share that has nothing to be worked out from.
NO_VALUE = "—"


@dataclass
class Piece:
    """Article text, or a finding's highlight holding pieces. A finding that crosses the end of
    another is split in two; only its ``first`` piece is focusable and carries its message."""

    text: str = ""
    finding: Finding | None = None
    first: bool = True
    children: list[Piece] = field(default_factory=list)


def nest(source: str, findings: list[Finding]) -> list[Piece]:
    """The article's text as pieces, each finding's span a highlight around the text it covers."""
    root = Piece()
    stack: list[tuple[Piece, int]] = [(root, len(source))]
    position = 0

    def flush(upto: int) -> None:
        nonlocal position
        if upto > position:
            stack[-1][0].children.append(Piece(text=source[position:upto]))
            position = upto

    pending = []
    for finding in findings:
        start = max(0, min(finding.diagnostic.offset, len(source)))
        end = max(start, min(finding.diagnostic.end_offset, len(source)))
        pending.append((start, -end, finding.number, True, finding))
    heapq.heapify(pending)
    while pending:
        start, negative_end, number, first, finding = heapq.heappop(pending)
        end = -negative_end
        while len(stack) > 1 and stack[-1][1] <= start:
            flush(stack[-1][1])
            stack.pop()
        flush(start)
        parent_end = stack[-1][1]
        if end > parent_end:  # crosses its enclosing highlight: the rest follows it
            heapq.heappush(pending, (parent_end, -end, number, False, finding))
            end = parent_end
        piece = Piece(finding=finding, first=first)
        stack[-1][0].children.append(piece)
        stack.append((piece, end))
    while stack:
        flush(stack[-1][1])
        stack.pop()
    return root.children


@dataclass
class Bar:
    label: str
    value: int
    note: str = ""


def _bars(counts: Counter[str] | dict[str, int], limit: int | None = None) -> list[Bar]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Bar(label, value) for label, value in ordered[:limit] if value]


def environment() -> jinja2.Environment:
    """The templates of citelint's pages (this report's, the audit's), escaping every value."""
    pages = jinja2.Environment(
        loader=jinja2.PackageLoader("citelint.report", "templates"),
        autoescape=True,  # every value is text unless a template says otherwise, and none does
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    pages.filters["percent"] = lambda share: f"{round(share * 100)}%"
    # An aggregate's numbers: a count with thousands separators; a rate or a share, or a dash
    # where there is none (no words, no claims).
    pages.filters["count"] = lambda number: f"{number:,}"
    pages.filters["rate"] = lambda rate: NO_VALUE if rate is None else f"{rate:,.2f}"
    pages.filters["share"] = lambda share: NO_VALUE if share is None else f"{share * 100:.1f}%"
    return pages


def render(articles: list[ArticleReport], rules: list[Rule], settings: list[tuple[str, str]], notes: list[str]) -> str:
    """The whole page: the folder index (when there is more than one article), then each article."""
    used = sorted({finding.diagnostic.code for article in articles for finding in article.findings})
    by_code = {rule.code: rule for rule in rules}
    looks = {code: index % RULE_LOOKS for index, code in enumerate(used)}
    legend = [(code, by_code[code].name if code in by_code else code,
               by_code[code].summary if code in by_code else "", looks[code]) for code in used]
    rule_counts: Counter[str] = Counter()
    bases: Counter[str] = Counter()
    for article in articles:
        rule_counts.update(article.rules())
        bases.update(article.score.bases)
    claims = sum(bases.values())
    basis_bars = [Bar(BASIS_LABELS[basis], bases[basis], f"{round(100 * bases[basis] / claims)}%" if claims else "")
                  for basis in BASES]
    template = environment().get_template("report.html.j2")
    # The page's one script (sorting the index) is ours, printed as is and allowed by its hash.
    script = markupsafe.Markup((resources.files("citelint.report") / "templates" / "sort.js").read_text("utf-8"))
    script_hash = "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return template.render(
        articles=articles,
        ranked=sorted(articles, key=ArticleReport.worst_first),
        pieces_of={article.number: nest(article.source, article.findings) for article in articles},
        legend=legend,
        looks=looks,
        rule_bars=_bars(rule_counts),
        basis_bars=basis_bars,
        unlinked_bars=_bars(unlinked_sources(articles), TOP_UNLINKED),
        settings=settings,
        notes=notes,
        version=__version__,
        script=script,
        script_hash=script_hash,
    )
