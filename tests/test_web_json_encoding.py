"""The JSON output says which encoding each file was decoded in (issue #14)."""

from __future__ import annotations

import jsonschema
import pytest

from citelint import resources
from citelint.document.reading import decode

PAGE = '<html><head><meta charset="{0}"><title>t</title></head><body><p>{1}</p></body></html>'


@pytest.mark.parametrize(("declared", "text", "web_name"), [
    ("windows-1252", "Caf\u00e9 owners welcome the \u20ac2 levy.", "windows-1252"),
    ("iso-8859-1", "Na\u00efve estimates fell.", "windows-1252"),  # browsers read Latin-1 as windows-1252
    ("iso-8859-2", "Zaj\u00edmav\u00e9 \u010d\u00edslo.", "iso-8859-2"),
    ("koi8-r", "\u0413\u043e\u0440\u043e\u0434 \u0438 \u0440\u0435\u043a\u0430.", "koi8-r"),
    ("windows-1251", "\u041f\u0440\u0438\u0432\u0435\u0442.", "windows-1251"),
    ("euc-kr", "\ud55c\uad6d\uc5b4 \ubb38\uc7a5.", "euc-kr"),
    ("shift_jis", "\u65e5\u672c\u8a9e\u306e\u6587.", "shift_jis"),
])
def test_json_names_the_encoding_a_page_was_read_in(cli, tmp_path, declared: str, text: str, web_name: str) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.format(declared, text).encode(declared))
    data = cli("--format", "json", str(page)).json()
    jsonschema.validate(data, resources.schema("output"))
    assert data["file_details"] == [{"path": page.as_posix(), "encoding": web_name}]


def test_utf8_and_byte_order_marks_are_named(cli, tmp_path) -> None:
    plain = tmp_path / "plain.md"
    plain.write_text("The council said the pier would close.\n", encoding="utf-8")
    wide = tmp_path / "wide.md"
    wide.write_bytes("The council said the pier would close.\n".encode("utf-16"))  # with its byte-order mark
    details = cli("--format", "json", str(plain), str(wide)).json()["file_details"]
    assert {entry["path"]: entry["encoding"] for entry in details} == {
        plain.as_posix(): "utf-8", wide.as_posix(): "utf-16le"}


def test_stdin_is_named_too(cli) -> None:
    data = cli("--format", "json", "-", stdin=b"The council said the pier would close.\n").json()
    assert data["file_details"] == [{"path": "-", "encoding": "utf-8"}]


def test_a_file_that_cannot_be_decoded_has_no_entry(cli, tmp_path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_bytes(b"The caf\xe9 closed.\n")
    assert cli("--format", "json", str(broken)).json()["file_details"] == []


def test_decode_reports_the_web_name() -> None:
    assert decode(PAGE.format("koi8-r", "x").encode(), "html").encoding == "koi8-r"
    assert decode(b"plain text", "text").encoding == "utf-8"
