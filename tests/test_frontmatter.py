"""Front matter: YAML ``---`` and Hugo's TOML ``+++`` blocks, the spans of their keys and
list entries, and the keys citelint reads (``draft``, ``citelint``)."""

from __future__ import annotations

import datetime
import re
import sys

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from citelint.document import markdown
from citelint.document.frontmatter import read_front_matter, split_front_matter
from tests.test_markdown_reader import assert_offsets_exact

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HUGO = (
    "+++\n"
    'title = "Critics say the council misjudged it"\n'
    "date = 2024-05-01\n"
    'tags = ["council", "budget"]\n'
    "\n"
    "[citelint]\n"
    'disable = ["unsourced-figure", "vague-attribution"]\n'
    "+++\n"
    "\n"
    "Ticket prices rose by nearly 40% on last year.\n"
)


def test_toml_front_matter_is_metadata_not_prose():
    document = markdown.read(HUGO, "story.md")
    assert document.front_matter == {
        "title": "Critics say the council misjudged it",
        "date": datetime.date(2024, 5, 1),
        "tags": ["council", "budget"],
        "citelint": {"disable": ["unsourced-figure", "vague-attribution"]},
    }
    assert not document.problems
    front, body = document.blocks
    assert front.kind == "front_matter" and not front.is_prose
    assert (body.kind, body.text) == ("paragraph", "Ticket prices rose by nearly 40% on last year.")
    assert body.offset == HUGO.index("Ticket")
    assert_offsets_exact(document)


def test_toml_key_and_entry_spans_are_exact():
    front = read_front_matter(HUGO)
    assert {path: HUGO[start:end] for path, (start, end) in front.spans.items()} == {
        ("title",): "title",
        ("date",): "date",
        ("tags",): "tags",
        ("tags", 0): '"council"',
        ("tags", 1): '"budget"',
        ("citelint",): "citelint",
        ("citelint", "disable"): "disable",
        ("citelint", "disable", 0): '"unsourced-figure"',
        ("citelint", "disable", 1): '"vague-attribution"',
    }
    assert front.body_offset == HUGO.index("\nTicket")


@pytest.mark.parametrize(
    "toml, path, expected",
    [
        ('citelint = { disable = ["CIT103"] }', ("citelint", "disable", 0), '"CIT103"'),
        ("citelint.disable = ['CIT103']", ("citelint", "disable", 0), "'CIT103'"),
        ('"citelint" . disable = [\n  # why\n  "a",\n  "CIT103",\n]', ("citelint", "disable", 1), '"CIT103"'),
        ('note = """\ndisable = [1]\n[citelint]"""\n[citelint]\ndisable = "x"', ("citelint",), "citelint"),
        ("when = 1979-05-27 07:32:00\n[[links]]\nurl = 'a'\n[[links]]\nurl = 'b'", ("links", 1, "url"), "url"),
        ('nested = [[1, 2], {a = "b"}, "c"]', ("nested", 2), '"c"'),
    ],
    ids=["inline-table", "dotted-key", "quoted-and-multiline", "multiline-string", "array-tables", "nested"],
)
def test_toml_spans_in_every_shape(toml, path, expected):
    source = f"+++\n{toml}\n+++\nBody.\n"
    front = read_front_matter(source)
    assert not front.problems
    start, end = front.spans[path]
    assert source[start:end] == expected
    if path[0] == "links":  # each [[links]] table at its own header
        assert [front.spans[("links", n)][0] for n in (0, 1)] == [m.start() + 2 for m in re.finditer(r"\[\[links", source)]


def test_yaml_entry_spans_are_exact():
    source = "---\ncitelint:\n  disable:\n    - unsourced-figure\n    - 'vague-attribution'\n---\nBody.\n"
    front = read_front_matter(source)
    assert source[slice(*front.spans[("citelint", "disable", 1)])] == "'vague-attribution'"
    assert source[slice(*front.spans[("citelint", "disable")])] == "disable"


def test_split_front_matter_keeps_top_level_keys_for_toml():
    data, keys, body_offset, problems = split_front_matter(HUGO)
    assert set(keys) == {"title", "date", "tags", "citelint"} and not problems
    assert HUGO[slice(*keys["citelint"])] == "citelint"
    assert data is not None and HUGO[body_offset:] == "\nTicket prices rose by nearly 40% on last year.\n"


def test_toml_with_crlf_and_bom():
    source = '\ufeff+++\r\ntitle = "Hello"\r\n+++\r\nBody text.\r\n'
    front = read_front_matter(source)
    assert front.data == {"title": "Hello"} and not front.problems
    assert source[front.body_offset :] == "Body text.\r\n"


@pytest.mark.parametrize(
    "toml, line, detail",
    [
        ('title = "unclosed\nauthor = "A. Writer"', 2, "Illegal character"),
        ("a = 1\n[t]\nk = 1\n[t]\nk = 2", 5, "Cannot declare"),
        ("a = " + "[" * 5000, 2, "nested too deeply"),
    ],
    ids=["unterminated", "table-twice", "deep"],
)
def test_malformed_toml_is_a_problem_on_a_front_matter_line(toml, line, detail):
    source = f"+++\n{toml}\n+++\nThe body is still read.\n"
    document = markdown.read(source, "story.md")
    assert document.front_matter is None
    (problem,) = document.problems
    assert detail in problem.message
    assert 4 <= problem.offset < source.index("\n+++\n") + 1
    assert source.count("\n", 0, problem.offset) + 1 == line
    assert document.blocks[-1].text == "The body is still read."


def test_unclosed_toml_front_matter_is_reported_and_read_as_text():
    data, keys, body_offset, problems = split_front_matter("+++\ntitle = 'x'\n\nText\n")
    assert (data, keys, body_offset) == (None, {}, 0)
    assert [p.message for p in problems] == ["front matter opened with '+++' is never closed by a '+++' line"]


def test_plus_signs_later_in_the_article_are_not_front_matter():
    source = "Body first.\n\n+++\ntitle = 'x'\n+++\n"
    assert read_front_matter(source).body_offset == 0


@pytest.mark.parametrize(
    "source, shown",
    [
        ("---\ndraft: 'false'\n---\nBody.\n", "the text 'false' (write it without quotes)"),
        ('+++\ndraft = "yes"\n+++\nBody.\n', "the text 'yes' (write true or false)"),
        ("---\ndraft: 1\n---\nBody.\n", "1"),
    ],
)
def test_draft_must_be_true_or_false(source, shown):
    (problem,) = read_front_matter(source).problems
    assert problem.message == f"front-matter 'draft' should be true or false, not {shown}"
    assert source[problem.offset : problem.end_offset] == "draft"


@pytest.mark.parametrize("source", ["---\ndraft: true\n---\nBody.\n", "+++\ndraft = false\n+++\nBody.\n"])
def test_a_boolean_draft_is_fine(source):
    assert not read_front_matter(source).problems


def test_duplicate_keys_inside_a_mapping_are_reported():
    source = "---\ncitelint:\n  disable: [CIT103]\n  disable: [CIT102]\n---\nBody.\n"
    (problem,) = read_front_matter(source).problems
    assert problem.message == "duplicate front-matter key 'citelint.disable'"
    assert problem.offset == source.rindex("disable")


_TOML_LINES = st.sampled_from([
    "a = 1",
    '"q.k" = "v"',
    "[t]",
    "[ t . 'u' ]",
    "[[arr]]",
    "x.y = [1, [2, 'two'], {z = 3}, ]",
    'm = """\nnot = [a key]\n"""',
    "d = 1979-05-27 07:32:00",
    "# a comment = [",
    "b = { c = [ 'x' , \"y\" ], d = {} }",
    "e = [\n  'one', # why\n  'two',\n]",
    "",
])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(_TOML_LINES, max_size=8))
def test_generated_toml_spans_point_at_their_keys_and_entries(lines):
    toml = "\n".join(lines)
    try:
        data = tomllib.loads(toml)
    except tomllib.TOMLDecodeError:
        assume(False)
    source = f"+++\n{toml}\n+++\nBody.\n"
    front = read_front_matter(source)
    assert front.data == data and not front.problems
    for path, (start, end) in front.spans.items():
        if isinstance(path[-1], str):
            assert tomllib.loads(f"{source[start:end]} = 0") == {path[-1]: 0}
            continue
        value = data
        for step in path:
            value = value[step]
        if not isinstance(value, (list, dict)):
            assert tomllib.loads(f"v = {source[start:end]}")["v"] == value
