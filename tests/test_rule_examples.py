"""Every rule's fail/pass examples run as tests; ⟦…⟧ marks each expected finding."""

from __future__ import annotations

import re

import pytest

from citelint.ruleset import load_rules
from tests.conftest import lint_example

_MARK = re.compile(r"⟦([^⟦⟧]*)⟧")


def _examples(kind: str):
    for rule in load_rules():
        for number, example in enumerate(rule.fail if kind == "fail" else rule.passes):
            yield f"{rule.name}-{kind}-{number}", rule, example


def _cases(kind: str):
    for name, rule, example in _examples(kind):
        # strict: an example that starts working fails the run until its xfail is removed.
        marks = pytest.mark.xfail(reason=example.xfail, strict=True) if example.xfail else ()
        yield pytest.param(rule, example, id=name, marks=marks)


def _lint(rule, example, text: str):
    return lint_example(rule, text, example.format, example.options)


def _unmarked(marked: str) -> tuple[str, set[tuple[int, int]]]:
    """The text without its ⟦ ⟧ marks, and the spans they enclosed (offsets in that text)."""
    spans, removed = set(), 0
    for match in _MARK.finditer(marked):
        start = match.start() - removed
        spans.add((start, start + len(match.group(1))))
        removed += 2
    text = _MARK.sub(r"\1", marked)
    assert spans and "⟦" not in text and "⟧" not in text, "mark each expected span with ⟦…⟧ (not nested)"
    return text, spans


@pytest.mark.parametrize("rule, example", list(_cases("fail")))
def test_fail_example_reports_exactly_the_marked_spans(rule, example):
    """Exactly: a finding the example does not mark is a false alarm, not a bonus."""
    text, expected = _unmarked(example.text)
    found = {(d.offset, d.end_offset) for d in _lint(rule, example, text)}
    assert found == expected, (
        f"missing {[text[s:e] for s, e in sorted(expected - found)]}, "
        f"unexpected {[text[s:e] for s, e in sorted(found - expected)]}"
    )


@pytest.mark.parametrize("rule, example", list(_cases("pass")))
def test_pass_example_reports_nothing(rule, example):
    found = _lint(rule, example, example.text)
    assert not found, [d.message for d in found]


def _shows_its_options(kind: str, rule, example) -> bool:
    """Whether the example holds (its own test checks that) only thanks to its options: with the
    rule's defaults alone it comes out differently."""
    if example.xfail or not example.options:
        return False
    text, expected = _unmarked(example.text) if kind == "fail" else (example.text, set())
    return {(d.offset, d.end_offset) for d in lint_example(rule, text, example.format)} != expected


def test_every_option_has_an_example_that_shows_its_effect():
    """An option no example exercises is one whose effect nobody has checked."""
    shown = {
        (rule.name, option)
        for kind in ("fail", "pass")
        for _, rule, example in _examples(kind)
        if _shows_its_options(kind, rule, example)
        for option, value in example.options.items()
        if value != rule.options.get(option)
    }
    missing = [f"{rule.name}: {option}" for rule in load_rules() for option in rule.options
               if (rule.name, option) not in shown]
    assert not missing, f"options with no example that sets them and fails without them: {missing}"


def test_a_number_alone_on_its_line_is_a_table_cell_not_a_claim():
    """A case the one-line examples cannot show: an attendance figure under its heading."""
    rule = next(rule for rule in load_rules() if rule.name == "unsourced-figure")
    text = "The club drew a record crowd.\n\nAttendance\n\n38,153\n\nThe club sold 38,153 tickets.\n"
    found = lint_example(rule, text, "text")
    assert [text[d.offset:d.end_offset] for d in found] == ["38,153"]
    assert found[0].line == 7
