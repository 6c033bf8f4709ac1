"""Every rule's fail/pass examples run as tests; ⟦…⟧ marks the expected finding."""

from __future__ import annotations

import pytest

from citelint.ruleset import load_rules
from tests.conftest import lint_example

OPEN, CLOSE = "⟦", "⟧"


def _cases(kind: str):
    for rule in load_rules():
        for number, example in enumerate(rule.fail if kind == "fail" else rule.passes):
            yield pytest.param(rule, example, id=f"{rule.name}-{kind}-{number}")


_lint = lint_example


@pytest.mark.parametrize("rule, example", list(_cases("fail")))
def test_fail_example_reports_the_marked_span(rule, example):
    marked = example.text
    assert marked.count(OPEN) == 1 and marked.count(CLOSE) == 1, "mark the expected span with ⟦…⟧"
    start = marked.index(OPEN)
    end = marked.index(CLOSE) - len(OPEN)
    text = marked.replace(OPEN, "").replace(CLOSE, "")
    found = _lint(rule, text, example.format)
    spans = [(d.offset, d.end_offset) for d in found]
    assert (start, end) in spans, f"expected {text[start:end]!r}, got {[text[s:e] for s, e in spans]}"


@pytest.mark.parametrize("rule, example", list(_cases("pass")))
def test_pass_example_reports_nothing(rule, example):
    found = _lint(rule, example.text, example.format)
    assert not found, [d.message for d in found]


def test_a_number_alone_on_its_line_is_a_table_cell_not_a_claim():
    """A case the one-line examples cannot show: an attendance figure under its heading."""
    rule = next(rule for rule in load_rules() if rule.name == "unsourced-figure")
    text = "The club drew a record crowd.\n\nAttendance\n\n38,153\n\nThe club sold 38,153 tickets.\n"
    found = _lint(rule, text, "text")
    assert [text[d.offset:d.end_offset] for d in found] == ["38,153"]
    assert found[0].line == 7
