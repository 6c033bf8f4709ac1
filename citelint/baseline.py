"""Baselines: adopt citelint on an existing archive and fail only on new findings.

``--write-baseline FILE`` records today's findings; ``--baseline FILE`` then hides every
finding whose (path, rule, fingerprint) the file records. Fingerprints hash the finding's
text and sentence, not its line, so edits elsewhere in an article do not resurface old
findings. Duplicates are counted: with two identical findings recorded and three found, one
is new. The file is sorted and carries no line numbers, so it changes only when findings do.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jsonschema

from citelint import __version__, resources
from citelint.diagnostics import Diagnostic
from citelint.safeio import write_atomic

VERSION = 1

Key = tuple[str, str, str]


class BaselineError(Exception):
    """The baseline file is missing, unreadable or not a citelint baseline."""


def repo_path(path: str, root: str | Path = ".") -> str:
    """``path`` relative to ``root`` with POSIX slashes, as a repository sees it.

    A path outside ``root`` stays absolute; '-' (stdin) and other names that are not
    files stay as they are, so the same input always gives the same string.
    """
    if path == "-":
        return path
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return absolute.as_posix()


@dataclass
class Baseline:
    """The recorded findings, as a multiset of (path, rule, fingerprint)."""

    source: str
    counts: Counter[Key]

    def split(self, diagnostics: Iterable[Diagnostic], root: str | Path = ".") -> tuple[list[Diagnostic], int]:
        """The diagnostics not covered by the baseline, and how many were covered."""
        remaining = Counter(self.counts)
        new: list[Diagnostic] = []
        covered = 0
        for diagnostic in diagnostics:
            key = _key(diagnostic, root)
            if remaining[key] > 0:
                remaining[key] -= 1
                covered += 1
            else:
                new.append(diagnostic)
        return new, covered


def _key(diagnostic: Diagnostic, root: str | Path) -> Key:
    return (repo_path(diagnostic.path, root), diagnostic.rule, diagnostic.fingerprint)


def baseline_data(diagnostics: Iterable[Diagnostic], root: str | Path = ".") -> dict:
    """The baseline document for these findings, sorted so that reruns give the same bytes."""
    findings = sorted(
        (
            {
                "path": repo_path(d.path, root),
                "rule": d.rule,
                "code": d.code,
                "fingerprint": d.fingerprint,
                "message": d.message,
            }
            for d in diagnostics
        ),
        key=lambda f: (f["path"], f["code"], f["fingerprint"], f["message"]),
    )
    return {"version": VERSION, "tool": {"name": "citelint", "version": __version__}, "findings": findings}


def write_baseline(path: str | Path, diagnostics: Iterable[Diagnostic], root: str | Path = ".") -> int:
    """Write the baseline file; returns the number of findings recorded."""
    data = baseline_data(diagnostics, root)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        write_atomic(path, text)
    except OSError as error:
        raise BaselineError(f"{path}: cannot write the baseline: {error.strerror or error}") from None
    return len(data["findings"])


def load_baseline(path: str | Path) -> Baseline:
    """Read and validate a baseline file; every problem is a BaselineError naming the file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (create it with --write-baseline {path})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {getattr(error, 'strerror', None) or error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"invalid JSON at line {error.lineno}: {error.msg}"
        raise BaselineError(f"{path}: not a citelint baseline: {where}") from None
    problem = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(resources.schema("baseline")).iter_errors(data)
    )
    if problem is not None:
        where = "/".join(str(part) for part in problem.absolute_path) or "(top level)"
        raise BaselineError(f"{path}: not a citelint baseline: {where}: {problem.message}")
    counts = Counter((f["path"], f["rule"], f["fingerprint"]) for f in data["findings"])
    return Baseline(str(path), counts)
