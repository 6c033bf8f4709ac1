"""Lint one file in-process as ``citelint FILE`` would (default configuration, from the
repository root) and read its analysis as ``citelint inspect FILE --format json`` prints it.
Shared by the benchmarks that compare the analysis with hand-marked text (web_eval.py,
verdict_categories.py); one linter per process, so a worker pool pays start-up once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
_LINTER: Any = None


def inspect_file(path: Path) -> tuple[dict[str, Any], Any]:
    """(inspect JSON, report) of one file, the JSON with the decoded text under ``source``; it is
    empty when nothing was analysed (a file skipped or unreadable: the report says why)."""
    from citelint.config import ConfigSet
    from citelint.discovery import Target
    from citelint.engine import Linter
    from citelint.inspect import inspect_json

    global _LINTER
    if _LINTER is None:
        _LINTER = Linter(ConfigSet(None, REPO))
    captured: dict[str, Any] = {}
    _LINTER.on_analysis = lambda analysis, report: captured.update(
        inspect=inspect_json(analysis, report.diagnostics), source=analysis.document.source)
    report = _LINTER.lint_target(Target(path, explicit=True))
    empty = {"findings": [], "attributions": [], "figures": [], "sources": [], "sentences": []}
    return {**(captured.get("inspect") or empty), "source": captured.get("source", "")}, report
