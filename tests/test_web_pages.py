"""Real-web page shapes (fixtures written for these tests): the article is read, only the
article, in the encoding the page declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from citelint.document.html import read
from citelint.document.language import foreign_language_of
from citelint.document.reading import UnreadableFile, decode
from tests.test_html_reader import check_offsets

WEB = Path(__file__).parent / "fixtures" / "web"


def prose_of(name: str) -> str:
    source = (WEB / name).read_text(encoding="utf-8")
    document = read(source, name)
    check_offsets(document)
    return "\n".join(block.text for block in document.blocks if block.is_prose)


@pytest.mark.parametrize(("page", "read", "not_read"), [
    # a chrome word in a wrapper's class does not drop the article inside it
    ("chrome_wrapper.html", "Ferry fares across the harbour will rise by 9% from April", ["Most read", "Home"]),
    # a <form> wrapping the page does not drop it; its labels are still not prose
    ("form_wrapper.html", "visits had grown by 14% last year", ["Search the catalogue"]),
    # an <article> holding only headings beside the body is not the article
    ("heading_article.html", "picked 41,000 tonnes this autumn", []),
    # teaser cards marked up as <article> are furniture
    ("teaser_cards.html", "engineers replace its worn deck", ["2.4 million", "25M ago"]),
    # hidden and screen-reader-only elements are not prose
    ("hidden_text.html", "rain falling on 27 of the month's 31 days",
     ["reading time", "55 employees", "17 comments"]),
    # the article that browsers without scripts show (<noscript>), not a one-line notice
    ("noscript_article.html", "save about 40,000 kilowatt-hours a year", ["JavaScript", "Dispatches"]),
    # the hidden pages of a paginated article are read; hidden microdata, a hidden offer, hidden tabs are not
    ("gallery_pages.html", "cuts branches as thick as a wrist", ["1,250 words", "half price", "Most shared"]),
    # a page rendered by script: the article is its JSON-LD articleBody, mapped to the escapes in the source
    ("jsonld_article.html", "About 120 staff will move to the new depot in Eastfield, which cost \u00a348m", []),
])
def test_the_article_and_only_the_article_is_read(page: str, read: str, not_read: list[str]) -> None:
    prose = prose_of(page)
    assert read in prose
    assert [text for text in not_read if text in prose] == []


def test_an_unclosed_looking_conditional_comment_does_not_end_the_page() -> None:
    source = "<body><p>Before it.</p><![endif]--><p>The body is read.</p></body>"
    assert [block.text for block in read(source, "t.html").blocks] == ["Before it.", "The body is read."]


PAGE = "<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(("encoding", "text"), [pytest.param(encoding, text, id=encoding) for encoding, text in [
    ("windows-1252", "Caf\u00e9 owners \u201cwelcome\u201d the \u20ac2 levy"),
    ("iso-8859-1", "Na\u00efve estimates, the council said"),
    ("windows-1251", "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440"),
    ("koi8-r", "\u0413\u043e\u0440\u043e\u0434 \u0438 \u0440\u0435\u043a\u0430"),
    ("euc-kr", "\ud55c\uad6d\uc5b4 \ubb38\uc7a5"),
    ("shift_jis", "\u65e5\u672c\u8a9e\u306e\u6587"),
]])
@pytest.mark.parametrize("form", [pytest.param('<meta charset="{0}">', id="meta-charset"),
                                  pytest.param('<meta http-equiv="Content-Type" content="text/html; charset={0}">',
                                               id="http-equiv")])
def test_a_declared_legacy_charset_is_honoured(encoding: str, text: str, form: str) -> None:
    data = PAGE.format(meta=form.format(encoding), text=text).encode(encoding)
    decoded = decode(data, "html")
    assert text in decoded.text
    assert decoded.text == data.decode(encoding)  # one code point per character: offsets hold


def test_a_charset_declared_late_in_the_head_is_used_when_utf8_fails() -> None:
    data = ("<html><head>" + "<!-- padding -->" * 100 + '<meta charset="koi8-r"></head><body><p>'
            + "\u0414\u0430" + "</p></body></html>").encode("koi8-r")
    assert "\u0414\u0430" in decode(data, "html").text


def test_utf8_and_a_bom_win_and_plain_text_ignores_meta() -> None:
    text = PAGE.format(meta='<meta charset="utf-8">', text="Caf\u00e9")
    assert decode(text.encode("utf-8"), "html").text == text
    latin = PAGE.format(meta='<meta charset="windows-1252">', text="Caf\u00e9")
    assert decode(b"\xef\xbb\xbf" + latin.encode("utf-8"), "html").text == latin
    with pytest.raises(UnreadableFile, match="not valid UTF-8"):
        decode(latin.encode("windows-1252"), "text")


def test_bytes_the_declared_charset_cannot_decode_name_it() -> None:
    data = PAGE.format(meta='<meta charset="shift_jis">', text="x").encode("ascii") + b"\x81\xff"
    with pytest.raises(UnreadableFile, match=r"not valid CP932 \(declared by the page's <meta charset>\)"):
        decode(data, "html")


def test_a_legacy_page_is_linted_with_offsets_into_its_decoded_text(cli, tmp_path: Path) -> None:
    text = ("Officials said caf\u00e9 prices rose by 14% last year, but gave no source for the figure "
            "\u2014 the owners\u2019 association disputes it.")
    page = tmp_path / "prices.html"
    page.write_bytes(PAGE.format(meta='<meta charset="windows-1252">', text=text).encode("windows-1252"))
    run = cli("--format", "json", str(page))
    decoded = page.read_bytes().decode("windows-1252")
    codes = [item["code"] for item in run.json()["diagnostics"]]
    assert "CIT001" not in codes and codes
    for item in run.json()["diagnostics"]:
        assert decoded[item["offset"] : item["end_offset"]] in text


# --- languages ------------------------------------------------------------------------

SPANISH = (
    "El ayuntamiento de la ciudad anunci\u00f3 el martes que las obras del puente viejo empezar\u00e1n en mayo "
    "y que durar\u00e1n seis semanas. Seg\u00fan los t\u00e9cnicos, el tablero est\u00e1 muy desgastado y es "
    "necesario cambiarlo antes del invierno. Los comerciantes de la zona dicen que temen perder clientes, "
    "pero el alcalde asegura que habr\u00e1 un servicio de autobuses gratuito para los vecinos del barrio "
    "durante todo el periodo de las obras, con salidas cada quince minutos desde la plaza mayor."
)
RUSSIAN = ("\u0413\u043e\u0440\u043e\u0434\u0441\u043a\u043e\u0439 \u0441\u043e\u0432\u0435\u0442 "
           "\u043e\u0431\u044a\u044f\u0432\u0438\u043b \u043e \u0440\u0435\u043c\u043e\u043d\u0442\u0435 "
           "\u0441\u0442\u0430\u0440\u043e\u0433\u043e \u043c\u043e\u0441\u0442\u0430. ") * 8


@pytest.mark.parametrize(("text", "looks_like"), [(SPANISH, "Spanish"), (RUSSIAN, "Cyrillic script")])
def test_a_page_not_in_english_is_skipped_with_a_notice(cli, tmp_path: Path, text: str, looks_like: str) -> None:
    page = tmp_path / "obras.html"
    page.write_text(PAGE.format(meta='<meta charset="utf-8">', text=text + " Unos 4.000 vecinos, 12%."),
                    encoding="utf-8")
    data = cli("--format", "json", str(page)).json()
    assert data["diagnostics"] == []
    assert [notice["message"] for notice in data["notices"]] == [
        f"skipped: not English (looks like {looks_like}); set lint-non-english: true to lint it"]
    (tmp_path / ".citelint.yaml").write_text("lint-non-english: true\n", encoding="utf-8")
    forced = cli("--format", "json", str(page)).json()
    assert forced["notices"] == [] and forced["diagnostics"]


HUNGARIAN = (
    "A v\u00e1ros k\u00e9pvisel\u0151-test\u00fclete kedden bejelentette, hogy a r\u00e9gi h\u00edd "
    "fel\u00faj\u00edt\u00e1sa m\u00e1jusban kezd\u0151dik, \u00e9s hat h\u00e9tig tart. M\u0171szaki "
    "szak\u00e9rt\u0151k szerint az \u00fattest nagyon kopott, \u00e9s a t\u00e9l el\u0151tt ki kell "
    "cser\u00e9lni. K\u00f6rny\u00e9kbeli keresked\u0151k azt mondj\u00e1k, hogy f\u00e9lnek, mert "
    "nem lesz vev\u0151j\u00fck, de a polg\u00e1rmester szerint minden negyed \u00f3r\u00e1ban ingyenes "
    "busz j\u00e1r majd a t\u00e9rr\u0151l, \u00e9s ez egy j\u00f3 megold\u00e1s, ha a h\u00edd z\u00e1rva van."
) * 2


def test_a_language_whose_article_is_an_english_word_is_still_told_apart() -> None:
    # Hungarian writes "a" and "is" often: its own frequent words outnumber them.
    assert foreign_language_of(HUNGARIAN) == "Hungarian"


def test_a_table_of_figures_with_a_stray_foreign_word_is_no_language() -> None:
    table = "CTS/BU BASIS CTS/BU " + " ".join(f"ORD {number} unch {number}.25 dn {number}.50 pn" for number in range(20))
    assert foreign_language_of(table) is None


def test_english_and_short_texts_are_linted_as_english() -> None:
    english = ("The council said on Tuesday that repairs to the old bridge would start in May and last six "
               "weeks, and that buses would run every quarter of an hour while it is closed. ") * 3
    assert foreign_language_of(english) is None
    assert foreign_language_of(SPANISH[:150]) is None  # under 50 words: too short to call
    names = " ".join(f"{number}. Ana Ruiz Vega, Jorge Lima Souza" for number in range(1, 30))
    assert foreign_language_of(names) is None  # a list of names is no language at all


@pytest.mark.parametrize("stamp", ["25M ago", "3 hours ago", "1d ago", "about 2 weeks ago", "12 mins. ago"])
def test_a_relative_time_alone_in_its_block_is_a_dateline_not_a_figure(stamp: str) -> None:
    document = read(f"<div><p>The story's text.</p><span>{stamp}</span></div>", "t.html")
    assert [(block.kind, block.text) for block in document.blocks] == [
        ("paragraph", "The story's text."), ("dateline", stamp)]


def test_a_sentence_with_ago_in_it_stays_prose() -> None:
    document = read("<p>The plant opened 25 years ago.</p>", "t.html")
    assert [block.kind for block in document.blocks] == ["paragraph"]


@pytest.mark.parametrize("label", ["Tags: budget, council", "Filed under", "Category : Press Releases",
                                   "You might also like:", "More stories"])
def test_filing_labels_and_link_list_headings_are_furniture(label: str) -> None:
    document = read(f"<p>The story's text.</p><p>{label}</p>", "t.html")
    assert [block.is_prose for block in document.blocks] == [True, False]


def test_front_matter_lang_overrides_the_detector(cli, tmp_path: Path) -> None:
    spanish = tmp_path / "obras.md"
    spanish.write_text(f"---\ntitle: Obras\nlang: en-GB\n---\n\n{SPANISH}\n", encoding="utf-8")
    assert cli("--format", "json", str(spanish)).json()["notices"] == []
    short = tmp_path / "corto.md"
    short.write_text("---\nlang: es\n---\n\nEl puente cierra en mayo.\n", encoding="utf-8")
    assert [notice["message"] for notice in cli("--format", "json", str(short)).json()["notices"]] == [
        "skipped: not English (front matter says lang: es); set lint-non-english: true to lint it"]
