"""schemas/inspect.schema.json is the contract of `citelint inspect --format json`: every
fixture's output must validate against it, and every field the output carries must be
documented there (the schema stays open for consumers, so validation alone would not notice
a new, undocumented field)."""

from __future__ import annotations

import jsonschema
import pytest

from citelint import resources
from citelint.document.model import BLOCK_KINDS
from tests.conftest import FIXTURES

SCHEMA = resources.schema("inspect")
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
#: The fixture articles (their folders also hold snapshot files, *.expected).
FIXTURE_FILES = sorted(
    path for folder, suffix in (("markdown", ".md"), ("html", ".html"), ("text", ".txt"))
    for path in (FIXTURES / folder).glob(f"*{suffix}")
)


def documented(name: str) -> set[str]:
    """Property names the schema documents for ``$defs[name]``, including those it takes from allOf."""
    definition = SCHEMA["$defs"][name]
    names = set(definition["properties"])
    for part in definition.get("allOf", []):
        names |= documented(part["$ref"].rsplit("/", 1)[-1])
    return names


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.name)
def test_inspect_json_validates_and_has_no_undocumented_field(cli, path):
    run = cli("inspect", "--format", "json", str(path))
    assert run.status == 0, run.err
    data = run.json()
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in VALIDATOR.iter_errors(data)]
    assert not errors, errors
    assert set(data) <= set(SCHEMA["properties"])
    items = {"blocks": "block", "sentences": "sentence", "attributions": "attribution", "figures": "figure", "sources": "source",
             "links": "link", "findings": "finding"}
    for key, name in items.items():
        for item in data[key]:
            assert set(item) <= documented(name), (key, set(item) - documented(name))
            if item.get("verdict"):
                assert set(item["verdict"]) <= documented("verdict"), item["verdict"]
    for attribution in data["attributions"]:
        for span in filter(None, (attribution["cue"], attribution["source"], attribution["content"])):
            assert set(span) <= documented("span"), span


def test_inspect_json_lists_the_blocks_read_prose_and_code(cli, tmp_path):
    page = tmp_path / "builds.html"
    page.write_text("<nav>Home</nav><article><h1>Faster builds</h1><p>Install the dependencies first.</p>"
                    "<pre>pip install -r requirements.txt</pre></article>", encoding="utf-8")
    blocks = cli("inspect", "--format", "json", str(page)).json()["blocks"]
    assert [(block["kind"], block["prose"], block["text"]) for block in blocks] == [
        ("heading", True, "Faster builds"), ("paragraph", True, "Install the dependencies first."),
        ("code", False, "pip install -r requirements.txt")]
    source = page.read_text(encoding="utf-8")
    assert [source[block["offset"] : block["end_offset"]] for block in blocks] == [
        block["text"] for block in blocks]


def test_the_schema_names_every_block_kind():
    assert set(SCHEMA["$defs"]["block"]["properties"]["kind"]["enum"]) == BLOCK_KINDS
