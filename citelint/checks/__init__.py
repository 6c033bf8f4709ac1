"""Check kinds: the code that rules select by name (``check:`` in a rule file).

One explicit registry; adding a rule that fits an existing kind is adding a YAML file.
"""

from __future__ import annotations

from citelint.checks import hedge, links, provenance
from citelint.checks.base import CheckKind, Finding, OptionError, make_options

#: Check kinds run by the engine itself (unreadable files, malformed input, crashes).
ENGINE = "engine"

CHECKS: dict[str, CheckKind] = {
    "hedge": CheckKind(hedge.HedgeOptions, hedge.run),
    "attribution": CheckKind(provenance.AttributionOptions, provenance.attribution),
    "figure": CheckKind(provenance.FigureOptions, provenance.figure),
    "source-mention": CheckKind(provenance.SourceMentionOptions, provenance.source_mention),
    "claim": CheckKind(provenance.ClaimOptions, provenance.claim),
    "link-state": CheckKind(links.LinkStateOptions, links.link_state, network=True),
    "source-link-mismatch": CheckKind(links.SourceLinkMismatchOptions, links.source_link_mismatch),
}

__all__ = ["CHECKS", "ENGINE", "CheckKind", "Finding", "OptionError", "make_options"]
