"""``path:line:col: CODE [rule] message`` — one line per diagnostic, then notices and totals."""

from __future__ import annotations

from collections import Counter

from citelint.formatters import RunResult


def render(result: RunResult, statistics: bool = False, quiet: bool = False, show_confidence: bool = False) -> str:
    lines = [
        f"{d.path}:{d.line}:{d.column}: {d.code} [{d.rule}] {d.message}"
        + (f" (confidence {d.confidence:.2f})" if show_confidence else "")
        for d in result.diagnostics
    ]
    if not quiet:
        lines.extend(
            f"{notice.path + ': ' if notice.path else ''}{notice.kind}: {notice.message}" for notice in result.notices
        )
    if statistics and result.diagnostics:
        counts = Counter((d.code, d.rule) for d in result.diagnostics)
        width = max(len(str(n)) for n in counts.values())
        lines.extend(f"{count:>{width}}  {code} [{rule}]" for (code, rule), count in counts.most_common())
    if not quiet:
        found = len(result.diagnostics)
        files = result.files
        lines.append(
            f"Found {found} problem{'s' if found != 1 else ''} in {files} file{'s' if files != 1 else ''}."
            if found
            else f"No problems found in {files} file{'s' if files != 1 else ''}."
        )
    return "\n".join(lines) + "\n" if lines else ""
