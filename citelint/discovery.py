"""Which files to lint: articles under the given paths, minus excludes and non-articles.

Excludes apply to files named on the command line too (pre-commit names every file).
Symlinked folders are followed once; a loop is never walked twice. A symlink (to a file or a
folder) whose target lies outside the folder being walked is skipped with a notice, and so is
anything that is not a regular file (a FIFO, a device): only what the user named is read
from elsewhere.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from citelint.config import Config
from citelint.document.reading import FORMATS

SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv", "site-packages", "_build"})
#: Files that share an article's extension but are not articles.
NON_ARTICLES = re.compile(
    r"^(?:licen[cs]e|copying|unlicense|notice|changelog|changes|history|news|releases?|release[-_]notes|"
    r"authors|contributors|maintainers|code[-_]of[-_]conduct|contributing|security|support|codeowners|"
    r"requirements|constraints|dev[-_]requirements|test[-_]requirements|robots|humans|"
    r"third[-_]party[-_]notices)(?:[-_.][\w.-]*)?\.(?:md|markdown|txt|html?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Target:
    path: Path
    #: named on the command line (a binary file is then a finding, not silently skipped)
    explicit: bool


@dataclass
class Discovery:
    targets: list[Target] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unreadable_dirs: list[tuple[Path, str]] = field(default_factory=list)
    #: paths met while walking a folder and not read, with the reason (a notice each)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    excluded: int = 0


def is_article_name(path: Path) -> bool:
    return path.suffix.lower() in FORMATS and not NON_ARTICLES.match(path.name)


def discover(paths: list[str], config: Config) -> Discovery:
    found = Discovery()
    seen: set[Path] = set()
    for name in paths:
        path = Path(name)
        if not os.path.lexists(path):
            found.missing.append(name)
            continue
        if config.excludes(path):
            found.excluded += 1
            continue
        if path.is_dir():
            _walk(path, config, found, seen)
        else:  # a file named on the command line is linted whatever its name
            _add(found, seen, path, explicit=True)
    return found


def _add(found: Discovery, seen: set[Path], path: Path, explicit: bool) -> None:
    """Add a target once, however many ways it was reached."""
    key = path.absolute()
    if key not in seen:
        seen.add(key)
        found.targets.append(Target(path, explicit))


OUTSIDE = "skipped: symlink points outside the linted folder"
NOT_REGULAR = "skipped: not a regular file"


def _inside(path: Path, root: str) -> bool:
    """Whether ``path``, symlinks resolved, lies in the (resolved) folder ``root``."""
    real = os.path.realpath(path)
    try:
        return os.path.commonpath([real, root]) == root
    except ValueError:  # another drive
        return False


def _walk(root: Path, config: Config, found: Discovery, seen: set[Path]) -> None:
    visited_dirs: set[tuple[int, int]] = set()
    real_root = os.path.realpath(root)

    def on_error(error: OSError) -> None:
        found.unreadable_dirs.append((Path(error.filename or root), error.strerror or str(error)))

    for folder, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        try:
            info = os.stat(folder)
        except OSError as error:
            on_error(error)
            dirnames[:] = []
            continue
        identity = (info.st_dev, info.st_ino)
        if identity in visited_dirs:  # a symlink loop or a second way to the same folder
            dirnames[:] = []
            continue
        visited_dirs.add(identity)
        base = Path(folder)
        kept = []
        for dirname in sorted(dirnames):
            if dirname.startswith(".") or dirname in SKIPPED_FOLDERS:
                continue
            if config.excludes(base / dirname):
                found.excluded += 1
                continue
            if os.path.islink(base / dirname) and not _inside(base / dirname, real_root):
                found.skipped.append((base / dirname, OUTSIDE))
                continue
            kept.append(dirname)
        dirnames[:] = kept
        for filename in sorted(filenames):
            path = base / filename
            if filename.startswith(".") or path.suffix.lower() not in FORMATS:
                continue
            if NON_ARTICLES.match(filename):
                continue
            if config.excludes(path):
                found.excluded += 1
                continue
            if os.path.islink(path) and not _inside(path, real_root):
                found.skipped.append((path, OUTSIDE))
                continue
            try:
                regular = stat.S_ISREG(os.stat(path).st_mode)
            except OSError:
                regular = True  # a broken link or a vanished file: the engine reports why
            if not regular:
                found.skipped.append((path, NOT_REGULAR))
                continue
            _add(found, seen, path, explicit=False)
