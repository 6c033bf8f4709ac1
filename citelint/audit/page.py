"""OUTDIR/report.html: the audit's summary and aggregate table as a page, for readers rather
than spreadsheets. It is made with the report's templates, styles and escaping, from the
plan and the aggregate alone (no times, no worker counts, no OUTDIR), so the same audit
gives the same bytes however it was run or resumed."""

from __future__ import annotations

from citelint import __version__
from citelint.audit.output import SHARES, Group, overall
from citelint.report.render import NO_VALUE, environment
from citelint.ruleset import Rule

#: The page lists this many groups at most (``--by url`` can make millions); aggregate.csv has them all.
PAGE_GROUPS = 1000


def render_page(groups: list[Group], by: tuple[str, ...], rules: list[Rule], sources: list[str],
                partitions: int, settings: list[tuple[str, str]]) -> str:
    """The page: what was audited and how (``settings``: the rule settings, in words), then the
    aggregate table of ``groups`` with a row for all the articles, then the rules it rates."""
    everything = overall(groups)
    counts = everything.counts
    summary = [
        ("inputs", ", ".join(sources)),
        ("partitions", f"{partitions:,}"),
        ("articles", f"{counts['articles']:,}: {counts['analysed']:,} analysed, "
                     f"{counts['articles'] - counts['analysed'] - counts['errors']:,} skipped, "
                     f"{counts['errors']:,} with errors"),
        ("words of prose", f"{counts['words']:,}"),
        ("findings", f"{counts['findings']:,}"),
        ("grouped by", ", ".join(by) or "nothing: one row for all the articles"),
        *settings,
    ]
    return environment().get_template("audit.html.j2").render(
        summary=summary,
        groups=groups[:PAGE_GROUPS],
        hidden=max(0, len(groups) - PAGE_GROUPS),
        overall=everything,
        by=by,
        rules=rules,
        shares=list(SHARES),
        no_value=NO_VALUE,
        version=__version__,
        script_hash="",
    )
