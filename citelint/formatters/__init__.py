"""Formatters turn a finished run into text. They never filter and never decide the exit code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from citelint.diagnostics import Diagnostic, Notice
from citelint.ruleset import Rule


@dataclass
class RunResult:
    """Everything a formatter may show about a run."""

    files: int
    diagnostics: list[Diagnostic]
    notices: list[Notice] = field(default_factory=list)
    rules: tuple[Rule, ...] = ()
    root: str = "."


def _text(result: RunResult, **kwargs) -> str:
    from citelint.formatters.text import render

    return render(result, **kwargs)


def _json(result: RunResult, **kwargs) -> str:
    from citelint.formatters.json import render

    return render(result)


def _sarif(result: RunResult, **kwargs) -> str:
    from citelint.formatters.sarif import render

    return render(result)


def _github(result: RunResult, **kwargs) -> str:
    from citelint.formatters.github import render

    return render(result, **kwargs)


FORMATTERS: dict[str, Callable[..., str]] = {"text": _text, "json": _json, "sarif": _sarif, "github": _github}
