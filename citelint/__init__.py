"""citelint: a provenance and citation linter for articles."""

__version__ = "0.2.0"

# Before any module of the package compiles its patterns at import: each is then found in the
# store of programs an earlier run compiled, instead of being compiled again (about a tenth of
# a run's start-up on one article). No store yet, or one this Python cannot use: nothing happens.
# Likewise the methods ``dataclasses`` writes for the package's classes (a fifth of that start-up).
from citelint.derived import preload_dataclass_code, preload_regexes  # noqa: E402

preload_regexes()
preload_dataclass_code()
