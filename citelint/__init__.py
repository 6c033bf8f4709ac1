"""citelint: a provenance and citation linter for articles."""

__version__ = "0.1.0"
