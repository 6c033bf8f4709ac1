"""Link checks: what became of each cited URL (``link-state``, needs ``--check-links``),
and whether a link that names a known source goes to that source's site
(``source-link-mismatch``, no network)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from citelint.analysis import Analysis
from citelint.analysis.sources import domain_suffixes, own_sites, url_host
from citelint.checks.base import Finding


@dataclass(frozen=True)
class LinkStateOptions:
    """The options of ``check: link-state``."""

    #: result states this rule reports (dead, blocked, redirected, transient, unarchived)
    states: tuple[str, ...] = ()


def link_state(analysis: Analysis, options: LinkStateOptions) -> Iterator[Finding]:
    results = analysis.link_results or {}
    wanted = set(options.states)
    reported: set[tuple[int, int]] = set()  # a link wrapping several blocks is one link
    for link in analysis.document.links:
        result = results.get(link.url)
        if result is None or (link.offset, link.end_offset) in reported:
            continue
        reported.add((link.offset, link.end_offset))
        states = {result.state}
        if result.archive_checked and result.archive_url is None and result.state not in ("dead", "offline"):
            states.add("unarchived")
        matched = states & wanted
        if not matched:
            continue
        archive = f"; an archived copy: {result.archive_url}" if result.archive_url else ""
        final = f" to {result.final_url}" if result.final_url and result.final_url != link.url else ""
        yield Finding(
            link.offset,
            link.end_offset,
            {"url": link.url, "detail": result.detail, "final_url": result.final_url or "", "moved": final,
             "archive": archive},
            link.url,
        )


@dataclass(frozen=True)
class SourceLinkMismatchOptions:
    """``check: source-link-mismatch`` takes no options."""


def source_link_mismatch(analysis: Analysis, options: SourceLinkMismatchOptions) -> Iterator[Finding]:
    """A link whose text names a registry source but whose domain is none of that source's:
    one finding per link, however often its text names the source; a link to the page's own
    site (a related story) is not a mismatch."""
    registry = analysis.registry
    own = own_sites(analysis.document, registry)
    reported: set[tuple[int, int]] = set()
    for mention in analysis.source_mentions:
        entry = mention.entry
        if entry is None or not entry.domains:
            continue
        sentence = analysis.sentences[mention.sentence]
        start, end = sentence.start + mention.start, sentence.start + mention.end
        for link in analysis.sentence_links[mention.sentence]:
            if link.block != sentence.block or not (link.start < end and start < link.end):
                continue
            host = url_host(link.url)
            if not host or not link.url.startswith(("http://", "https://")) or (link.offset, link.end_offset) in reported:
                continue
            linked_entry = registry.for_domain(host)
            if (linked_entry is not None and linked_entry.id == entry.id) or not own.isdisjoint(domain_suffixes(host)):
                continue
            reported.add((link.offset, link.end_offset))
            yield Finding(
                link.offset,
                link.end_offset,
                {"name": mention.name, "host": host, "domains": ", ".join(entry.domains)},
                sentence.text,
            )
