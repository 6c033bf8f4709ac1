"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

GitHub shows at most 10 annotations of each level per step, so when the runner names a
step-summary file (``GITHUB_STEP_SUMMARY``) a Markdown summary is appended to it too: counts
per rule and the first findings with their places.
"""

from __future__ import annotations

import os
import re
from collections import Counter

from citelint.baseline import repo_path
from citelint.diagnostics import Diagnostic
from citelint.formatters import RunResult

COMMANDS = {"info": "notice", "warning": "warning", "error": "error"}
SUMMARY_LIMIT = 50
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def escape_data(text: str) -> str:
    """Escape a command's message, as the Actions runner expects."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (file, title): also ':' and ',', which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic, root: str = ".") -> str:
    properties = {
        "file": repo_path(diagnostic.path, root),
        "line": diagnostic.line,
        "col": diagnostic.column,
        "endLine": diagnostic.end_line,
        "endColumn": diagnostic.end_column,
        "title": f"{diagnostic.code} {diagnostic.rule}",
    }
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{COMMANDS[diagnostic.severity]} {joined}::{escape_data(diagnostic.message)}"


def render(result: RunResult, quiet: bool = False, **_: object) -> str:
    lines = [annotation(diagnostic, result.root) for diagnostic in result.diagnostics]
    if not quiet:
        for notice in result.notices:
            where = f" file={escape_property(repo_path(notice.path, result.root))}" if notice.path else ""
            lines.append(f"::{COMMANDS.get(notice.kind, 'notice')}{where}::{escape_data(notice.message)}")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(step_summary(result))
        except OSError as error:
            lines.append(f"::warning::{escape_data(f'citelint could not write the step summary: {error}')}")
    return "\n".join(lines) + "\n" if lines else ""


def _markdown(text: str) -> str:
    """Plain text that Markdown renders as written (no emphasis, links, tables or HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")


def step_summary(result: RunResult) -> str:
    found = len(result.diagnostics)
    parts = ["## citelint", "", result.summary(), ""]
    if not found:
        return "\n".join(parts + [""])
    parts += ["| code | rule | findings |", "|---|---|---:|"]
    counts = Counter((d.code, d.rule) for d in result.diagnostics)
    parts += [f"| {code} | `{rule}` | {count} |" for (code, rule), count in sorted(counts.items())]
    shown = result.diagnostics[:SUMMARY_LIMIT]
    parts += ["", f"First {len(shown)} findings:" if found > len(shown) else "Findings:", ""]
    parts += [
        f"- `{repo_path(d.path, result.root)}:{d.line}` {d.code} {d.rule}: {_markdown(d.message)}" for d in shown
    ]
    if found > len(shown):
        parts.append(f"- … and {found - len(shown)} more (see the full report)")
    return "\n".join(parts + ["", ""])
