"""Which files to lint: articles under the given paths, minus what the user has set aside.

A file named on the command line is always read, whatever its name, unless the configuration
that applies to it excludes it (pre-commit names every staged file, so ``exclude`` must hold
for named files too). A folder walk also leaves out what a user would not call an article:
hidden files and folders, files ``.gitignore`` or ``.citelintignore`` ignore, and repository
documents named as a whole ``LICENSE``, ``CHANGELOG``, ``CONTRIBUTING`` and the like. Every
file left out is counted with its reason (``--show-files`` lists them).

Symlinked folders are followed once; a loop is never walked twice. A symlink (to a file or a
folder) whose target lies outside the folder being walked is skipped with a warning, and so
is anything that is not a regular file (a FIFO, a device): only what the user named is read
from elsewhere.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from citelint.config import ConfigSet
from citelint.document.reading import FORMATS

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv", "site-packages", "_build"})
#: Repository documents that share an article's extension but are not articles, by their
#: whole name without the extension (``-``, ``_`` and case ignored): ``news-roundup.md`` is
#: an article, ``NEWS.md`` is a changelog.
NON_ARTICLE_NAMES = frozenset({
    "readme", "license", "licence", "copying", "unlicense", "notice", "changelog", "changes", "history",
    "news", "releases", "releasenotes", "authors", "contributors", "maintainers", "codeofconduct",
    "contributing", "security", "support", "codeowners", "funding", "governance", "thirdpartynotices",
    "requirements", "constraints", "devrequirements", "testrequirements", "robots", "humans",
})
IGNORE_FILES = (".gitignore", ".citelintignore")

OUTSIDE = "skipped: symlink points outside the linted folder"
NOT_REGULAR = "skipped: not a regular file"
#: reasons a walk leaves a path out without a warning
EXCLUDED = "excluded by the configuration"
IGNORED = "ignored by .gitignore or .citelintignore"
NOT_ARTICLE = "a repository document, not an article"


@dataclass(frozen=True, slots=True)
class Target:
    """A file to lint."""

    path: Path
    #: named on the command line (a binary file is then a finding, not silently skipped)
    explicit: bool


@dataclass
class Discovery:
    """What walking the paths given found: files to lint, and what was missed or left out and why."""

    targets: list[Target] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unreadable_dirs: list[tuple[Path, str]] = field(default_factory=list)
    #: paths met while walking a folder and not read for a reason the user should hear (a warning each)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    #: paths left out as the user asked or would expect (counted in one notice; --show-files lists them)
    left_out: list[tuple[Path, str]] = field(default_factory=list)

    def left_out_summary(self) -> str | None:
        """``left out 3 paths: 2 ignored by .gitignore…, 1 excluded by the configuration``."""
        if not self.left_out:
            return None
        counts = Counter(why for _, why in self.left_out)
        parts = ", ".join(f"{count} {why}" for why, count in counts.most_common())
        total = len(self.left_out)
        return f"left out {total} path{'s' if total != 1 else ''} ({parts}; see --show-files)"


def is_repository_document(name: str) -> bool:
    stem = name.split(".", 1)[0].lower().replace("-", "").replace("_", "")
    return stem in NON_ARTICLE_NAMES


def discover(paths: list[str], configs: ConfigSet) -> Discovery:
    found = Discovery()
    seen: set[Path] = set()
    for name in paths:
        path = Path(name)
        if not os.path.lexists(path):
            found.missing.append(name)
            continue
        if configs.for_path(path).excludes(path):
            found.left_out.append((path, EXCLUDED))
            continue
        if path.is_dir():
            _Walk(path, configs, found, seen).run()
        else:  # a file named on the command line is linted whatever its name
            _add(found, seen, path, explicit=True)
    return found


def _add(found: Discovery, seen: set[Path], path: Path, explicit: bool) -> None:
    """Add a target once, however many ways it was reached."""
    key = path.absolute()
    if key not in seen:
        seen.add(key)
        found.targets.append(Target(path, explicit))


def _inside(path: Path, root: str) -> bool:
    """Whether ``path``, symlinks resolved, lies in the (resolved) folder ``root``."""
    real = os.path.realpath(path)
    try:
        return os.path.commonpath([real, root]) == root
    except ValueError:  # another drive
        return False


class _IgnoreRules:
    """The ignore files that apply in one folder: those of the folders above it up to the
    repository's top (``.git/info/exclude`` included), then its own; the deepest match wins,
    as in git."""

    def __init__(self, specs: tuple[tuple[Path, GitIgnoreSpec], ...] = ()) -> None:
        self.specs = specs

    @classmethod
    def above(cls, folder: Path) -> _IgnoreRules:
        absolute = Path(os.path.abspath(folder))
        top = next((candidate for candidate in (absolute, *absolute.parents) if (candidate / ".git").exists()), None)
        if top is None:
            return cls()
        rules = cls(_specs(top, [top / ".git" / "info" / "exclude"]))
        for candidate in reversed(absolute.parents):
            if candidate == top or top in candidate.parents:
                rules = rules.entering(candidate)
        return rules

    def entering(self, folder: Path) -> _IgnoreRules:
        added = _specs(Path(os.path.abspath(folder)), [folder / name for name in IGNORE_FILES])
        return _IgnoreRules(self.specs + added) if added else self

    def ignores(self, path: Path, is_dir: bool) -> bool:
        absolute = Path(os.path.abspath(path))
        verdict = None
        for base, spec in self.specs:
            try:
                relative = absolute.relative_to(base).as_posix()
            except ValueError:
                continue
            result = spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                verdict = result.include
        return bool(verdict)


def _specs(base: Path, files: list[Path]) -> tuple[tuple[Path, GitIgnoreSpec], ...]:
    specs = []
    for file in files:
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        # Imported only when an ignore file exists: a run on named files never needs it.
        from pathspec import GitIgnoreSpec

        specs.append((base, GitIgnoreSpec.from_lines(lines)))
    return tuple(specs)


class _Walk:
    def __init__(self, root: Path, configs: ConfigSet, found: Discovery, seen: set[Path]) -> None:
        self.root = root
        self.configs = configs
        self.found = found
        self.seen = seen
        self.real_root = os.path.realpath(root)

    def _on_error(self, error: OSError) -> None:
        self.found.unreadable_dirs.append((Path(error.filename or self.root), error.strerror or str(error)))

    def _leave_out(self, path: Path, ignore: _IgnoreRules, is_dir: bool) -> str | None:
        """Why a path met in the walk is not linted (None: it is)."""
        if self.configs.for_path(path).excludes(path):
            return EXCLUDED
        if ignore.ignores(path, is_dir):
            return IGNORED
        if os.path.islink(path) and not _inside(path, self.real_root):
            return OUTSIDE
        return None

    def _note(self, path: Path, why: str) -> None:
        if why == OUTSIDE:
            self.found.skipped.append((path, why))
        else:
            self.found.left_out.append((path, why))

    def run(self) -> None:
        visited_dirs: set[tuple[int, int]] = set()
        ignores = {Path(os.path.abspath(self.root)): _IgnoreRules.above(self.root).entering(self.root)}
        for folder, dirnames, filenames in os.walk(self.root, onerror=self._on_error, followlinks=True):
            try:
                info = os.stat(folder)
            except OSError as error:
                self._on_error(error)
                dirnames[:] = []
                continue
            identity = (info.st_dev, info.st_ino)
            if identity in visited_dirs:  # a symlink loop or a second way to the same folder
                dirnames[:] = []
                continue
            visited_dirs.add(identity)
            base = Path(folder)
            ignore = ignores.pop(Path(os.path.abspath(base)), None) or _IgnoreRules.above(base).entering(base)
            kept = []
            for dirname in sorted(dirnames):
                if dirname.startswith(".") or dirname in SKIPPED_FOLDERS:
                    continue
                why = self._leave_out(base / dirname, ignore, is_dir=True)
                if why is not None:
                    self._note(base / dirname, why)
                    continue
                kept.append(dirname)
                ignores[Path(os.path.abspath(base / dirname))] = ignore.entering(base / dirname)
            dirnames[:] = kept
            for filename in sorted(filenames):
                self._consider(base / filename, ignore)

    def _consider(self, path: Path, ignore: _IgnoreRules) -> None:
        if path.name.startswith(".") or path.suffix.lower() not in FORMATS:
            return
        if is_repository_document(path.name):
            self._note(path, NOT_ARTICLE)
            return
        why = self._leave_out(path, ignore, is_dir=False)
        if why is not None:
            self._note(path, why)
            return
        try:
            regular = stat.S_ISREG(os.stat(path).st_mode)
        except OSError:
            regular = True  # a broken link or a vanished file: the engine reports why
        if not regular:
            self.found.skipped.append((path, NOT_REGULAR))
            return
        _add(self.found, self.seen, path, explicit=False)
