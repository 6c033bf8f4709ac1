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
    #: path -> {line number: text} of the lines that hold findings, for the text report to quote
    source_lines: dict[str, dict[int, str]] = field(default_factory=dict)
    #: paths named on the command line that do not exist (each already an error on stderr)
    missing: int = 0
    #: path -> the encoding each decoded file was read in ("utf-8", "windows-1252")
    encodings: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        """One sentence counting findings, the files that have them and the files checked."""
        found, checked = len(self.diagnostics), self.files
        files = f"{checked} file{'s' if checked != 1 else ''}"
        missing = f"{self.missing} named path{'s' if self.missing != 1 else ''} not found"
        if not found and self.missing and not checked:
            return f"Nothing checked: {missing}."
        if not found:
            counted = f"No problems found in {files}"
        else:
            with_findings = len({diagnostic.path for diagnostic in self.diagnostics})
            counted = f"Found {found} problem{'s' if found != 1 else ''} in {with_findings} of {files}"
        return f"{counted}; {missing}." if self.missing else f"{counted}."


def _text(result: RunResult, **kwargs) -> str:
    from citelint.formatters.text import render

    return render(result, **kwargs)


def _concise(result: RunResult, **kwargs) -> str:
    from citelint.formatters.text import render

    return render(result, concise=True, **kwargs)


def _json(result: RunResult, **kwargs) -> str:
    from citelint.formatters.json import render

    return render(result)


def _sarif(result: RunResult, **kwargs) -> str:
    from citelint.formatters.sarif import render

    return render(result)


def _github(result: RunResult, **kwargs) -> str:
    from citelint.formatters.github import render

    return render(result, **kwargs)


def _gitlab(result: RunResult, **kwargs) -> str:
    from citelint.formatters.gitlab import render

    return render(result)


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": _text, "concise": _concise, "json": _json, "sarif": _sarif, "github": _github, "gitlab": _gitlab,
}
