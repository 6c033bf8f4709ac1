"""Baselines: adopt citelint on an existing archive and fail only on new findings.

``--write-baseline FILE`` records today's findings; ``--baseline FILE`` then hides every
finding whose (path, rule, fingerprint) the file records. Fingerprints hash the finding's
text and sentence, not its line, so edits elsewhere in an article do not resurface old
findings. Duplicates are counted: with two identical findings recorded and three found, one
is new. The file is sorted and carries no line numbers, so it changes only when findings do.

Paths in the file are relative to the baseline's own folder, so it means the same from any
working folder; a file renamed since the baseline was committed keeps its entries when git
records the rename.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

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
    #: the folder the recorded paths are relative to: the baseline file's
    root: Path = Path(".")
    #: current path -> path recorded in the baseline, for files git says were renamed since
    renamed_from: dict[str, str] = field(default_factory=dict)

    def split(self, diagnostics: Iterable[Diagnostic]) -> tuple[list[Diagnostic], int]:
        """The diagnostics not covered by the baseline, and how many were covered."""
        remaining = Counter(self.counts)
        new: list[Diagnostic] = []
        covered = 0
        for diagnostic in diagnostics:
            path, rule, print_ = _key(diagnostic, self.root)
            key = (self.renamed_from.get(path, path), rule, print_)
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


def write_baseline(path: str | Path, diagnostics: Iterable[Diagnostic]) -> int:
    """Write the baseline file, paths relative to its folder; returns the number of findings recorded."""
    data = baseline_data(diagnostics, Path(os.path.abspath(path)).parent)
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
    import jsonschema  # here: only a run with a baseline needs it

    problem = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(resources.schema("baseline")).iter_errors(data)
    )
    if problem is not None:
        where = "/".join(str(part) for part in problem.absolute_path) or "(top level)"
        raise BaselineError(f"{path}: not a citelint baseline: {where}: {problem.message}")
    counts = Counter((f["path"], f["rule"], f["fingerprint"]) for f in data["findings"])
    root = Path(os.path.abspath(path)).parent
    recorded = {f["path"] for f in data["findings"]}
    renamed = {new: old for new, old in git_renames(Path(path)).items() if old in recorded}
    return Baseline(str(path), counts, root, renamed)


def git_renames(baseline: Path) -> dict[str, str]:
    """new path -> old path (relative to the baseline's folder) for every file git sees renamed
    since the commit that last wrote the baseline (or HEAD, for a baseline not yet committed).
    Empty outside a git repository or without git: renames are then simply not followed."""
    import shutil  # here: only a baseline run asks git, and a run on one article starts faster without
    import subprocess

    git = shutil.which("git")
    folder = Path(os.path.abspath(baseline)).parent
    if git is None:
        return {}

    def run(*args: str) -> str | None:
        try:
            done = subprocess.run([git, "-C", str(folder), *args], capture_output=True, text=True, timeout=30,
                                  check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    since = (run("log", "-1", "--format=%H", "--", baseline.name) or "").strip() or "HEAD"
    listing = run("diff", "--name-status", "-M", "--relative", since)
    renames = {}
    for line in (listing or "").splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("R"):
            renames[parts[2]] = parts[1]
    return renames
