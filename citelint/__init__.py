"""citelint: a provenance and citation linter for articles."""

__version__ = "0.2.0"
