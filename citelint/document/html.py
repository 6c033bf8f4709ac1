"""Read an HTML page into blocks of article prose and chrome, with exact source offsets.

Two passes. The first tokenises the page with the stdlib :class:`HTMLParser` (character
references reported separately, so every decoded character maps back to its ``&…;``
span). Between them, :class:`_Layout` measures how much text and link text each element
holds, which picks the article's element (the ``articleBody``, ``<article>`` or ``<main>``
holding the most prose, if it holds enough of the page) and tells a page-wide wrapper from
chrome. The second pass walks the tokens with a small, bounded element stack that decides
for each piece of text whether it is article prose, kept chrome (byline, caption, credit,
code) or dropped chrome (navigation, scripts, forms, share bars, teaser cards, hidden
elements). Knowing the article's element before reading any text lets the reader ignore
everything around it, and read it even inside a wrapper whose class looks like chrome.
A page rendered by script may show only a headline or a first slide: then the ``articleBody``
of its JSON-LD, or the paragraph markup its script state holds, is read as the article, each
character mapped to the escape it was decoded from.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import html
import itertools
import json
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin

from citelint.lexicons import word_list

from .boilerplate import classify_line, dateline_prefix
from .model import TITLE_KINDS, Block, Directive, Document, Link, OffsetMap, Problem, TextBuilder

# --- element vocabulary -------------------------------------------------------------

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
     "meta", "param", "source", "track", "wbr"}
)
#: Elements whose start or end separates blocks of text.
_BLOCK_TAGS = _HEADINGS | frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
     "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
     "footer", "form", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu",
     "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
     "th", "thead", "tr", "ul"}
)
#: Never article text, wherever they appear.
_DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "nav", "footer", "aside", "form",
     "button", "select", "textarea", "iframe", "svg", "math", "canvas", "menu", "head",
     "title", "object", "video", "audio", "dialog", "datalist", "label"}
)
#: Elements that may stay inside ``<head>``; any other start tag implies ``</head>``.
_HEAD_TAGS = frozenset(
    {"head", "title", "meta", "link", "script", "style", "base", "noscript", "template"}
)
_TAG_KINDS = {
    **{h: "heading" for h in _HEADINGS},
    "p": "paragraph", "li": "list_item", "td": "table_cell", "th": "table_cell",
    "figcaption": "caption", "caption": "caption", "blockquote": "blockquote",
    "pre": "code",
}
#: Blocks that hold running text: inline code inside them is part of a sentence.
_LEAF_TAGS = _HEADINGS | frozenset(
    {"p", "li", "td", "th", "dt", "dd", "figcaption", "caption", "summary", "legend"}
)
_CODE_TAGS = frozenset({"code", "kbd", "samp"})
#: When two contexts nest, the stronger kind wins (a ``<p>`` in a ``<blockquote>`` is a
#: quote; a ``<span class=credit>`` in a ``<figcaption>`` is a credit); ties go to the child.
_STRENGTH = {
    "paragraph": 0, "heading": 1, "list_item": 1, "table_cell": 1, "blockquote": 2,
    "caption": 3, "byline": 4, "credit": 4, "footnote": 4, "code": 5,
}

# Start tags that implicitly close an open <p> (HTML "close a p element" rule).
_CLOSES_P = _HEADINGS | frozenset(
    {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
     "div", "dl", "dd", "dt", "fieldset", "figcaption", "figure", "footer", "form",
     "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
     "summary", "table", "ul"}
)
_DEFAULT_SCOPE = frozenset(
    {"html", "table", "td", "th", "caption", "template", "object", "marquee", "applet"}
)
_BUTTON_SCOPE = _DEFAULT_SCOPE | {"button"}
#: Flow blocks that never belong inside a heading: their start means the heading was
#: left unclosed, and reading the rest of the page as a title would hide its claims.
_ENDS_HEADING = frozenset({"p", "ul", "ol", "dl", "table", "blockquote", "pre", "figure"})
_TABLE_SCOPE = frozenset({"html", "table", "template"})
_TABLE_TAGS = frozenset({"table", "caption", "tbody", "thead", "tfoot", "tr", "td", "th"})
#: An open <li>/<dt>/<dd> is closed by a sibling unless a structural element intervenes.
_LIST_STOPS = (_BLOCK_TAGS | _DEFAULT_SCOPE) - {"address", "div", "p", "li", "dt", "dd"}

# --- chrome markers in class / id / role ----------------------------------------------

_MARKER_WORDS = {
    "byline": "byline", "author": "byline", "authors": "byline",
    "credit": "credit", "credits": "credit",
    "caption": "caption",
    "footnote": "footnote", "footnotes": "footnote", "endnotes": "footnote",
    **dict.fromkeys(
        ("share", "sharing", "social", "comment", "comments", "related", "newsletter",
         "subscribe", "subscription", "promo", "promotion", "ad", "ads", "advert",
         "adverts", "advertisement", "breadcrumb", "breadcrumbs", "cookie", "cookies",
         "banner", "sidebar", "footer", "nav", "navbar", "navigation", "menu"),
        "drop",
    ),
}
#: "has-sidebar", "no-ads", "with-comments" describe a layout, not the element itself.
_NEGATING_WORDS = frozenset({"has", "no", "with", "without"})
#: Dropped elements that are kept when they hold most of the page (they wrap it).
_WRAPPING_TAGS = frozenset({"form", "header"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary"})
_FOOTNOTE_ROLES = frozenset({"doc-endnotes", "doc-footnote", "doc-endnote"})
_CLASS_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
#: Whole class names that hide an element until a script shows it.
_SCRIPT_HIDDEN_CLASSES = frozenset({"hidden", "hide", "d-none", "is-hidden", "u-hidden"})
#: Whole class names that show an element to screen readers only (a label, a summary: not prose).
_SCREEN_READER_CLASSES = frozenset(
    {"sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "screenreader-only",
     "element-invisible"}
)
_HIDDEN_CLASSES = _SCRIPT_HIDDEN_CLASSES | _SCREEN_READER_CLASSES
#: Roles of a modal (an offer, a sign-up form): hidden until shown, but never a page of the article.
_DIALOG_ROLES = frozenset({"dialog", "alertdialog"})
#: Hidden siblings it takes to make a series of pages shown one at a time (a gallery, a recipe's
#: tabs); one hidden element beside a shown one is a variant of it (a longer summary, a promotion).
_MIN_HIDDEN_PAGES = 2
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
#: Attributes that can hide an element (besides its class).
_HIDING_ATTRIBUTES = frozenset({"hidden", "aria-hidden", "style"})

# --- text ---------------------------------------------------------------------------

#: A whitespace run other than one plain space: collapsed to one space.
_COLLAPSIBLE = re.compile(r"[^\S ]\s*| \s+")
_NEWLINE = re.compile(r"\n")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
#: "&#" that HTMLParser cannot read as a character reference. Python 3.11's parser stops
#: at such a reference and, at end of input, swallows the rest of the page as text; the
#: reader masks the "&" (same length, so offsets hold) and reads text from the original.
_BAD_CHARREF = re.compile(r"&#(?!(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F])")
_MASK = "\x00#"

_MAX_DEPTH = 256
#: A paragraph this short that carries a byline/credit class is that chrome.
_HINT_MAX_CHARS = 120
#: Chrome kept even outside the article scope.
_OUT_OF_SCOPE_KINDS = frozenset({"byline", "credit"})
#: Longest credit line looked for at a caption's end (classify_line rejects longer lines).
_CREDIT_MAX_CHARS = 300
_CAPTION_TAIL_KINDS = frozenset({"credit", "byline", "boilerplate"})
_SCOPE_ORDER = ("articlebody", "article", "main")
#: A scope element is the article when it holds this share of the page's prose, or this
#: many characters of it; else it is a teaser or a heading block and a wider scope is read.
_MIN_SCOPE_SHARE = 0.25
_MIN_SCOPE_CHARS = 1500
#: A ``<noscript>`` is the page's fallback article only when the page outside it shows less than
#: this share of its prose; else it repeats the article the page shows, or is a notice beside it.
_FALLBACK_SHARE = 0.5
#: Page furniture by tag: an <article> inside one is not the page's article.
_CHROME_TAGS = frozenset({"aside", "nav", "footer"})
#: Elements whose content is never read as text. (``<noscript>`` is not among them: its
#: content is markup, and a page can hold its whole article there for readers without scripts.)
_RAW_TEXT = frozenset({"script", "style", "template", "textarea", "title"})
#: The page's own text is read from JSON-LD ``articleBody`` when the page shows less than this
#: share of it (an article rendered by script: only a headline and a caption are in the markup).
_METADATA_ARTICLE_SHARE = 0.5
#: JSON-LD longer than this is not searched for an article: it is decoded one character at a
#: time, and no article needs more (a hostile page must not cost seconds).
_MAX_METADATA_CHARS = 400_000
_ARTICLE_BODY_KEY = re.compile(r'"articleBody"\s*:\s*"')
#: A string holding markup would be read as tags, not prose: such an ``articleBody`` is skipped.
_MARKUP = re.compile(r"<[A-Za-z/!]")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}

_START, _END, _TEXT, _REF = range(4)
#: Elements that may give the page's own address.
_PAGE_URL_TAGS = frozenset({"base", "link", "meta"})


def read(source: str, path: str) -> Document:
    """Read an HTML page; problems with the markup go into ``Document.problems``."""
    document, tokenizer = _markup_document(source, path)
    # A page rendered by script: its article from the JSON-LD or the script state, whichever
    # holds more (a JSON-LD summary must not hide a state's full story).
    metadata = _metadata_article(source, tokenizer, document.blocks)
    state, state_links = _script_state_article(source, tokenizer, document.blocks)
    # The JSON-LD article is the page's own by its metadata; the state replaces it only when it
    # holds that article too (with its markup and links), not when it holds comments or a feed.
    if state and (not metadata or _holds_most(state, metadata)):
        document.blocks, document.links = _with_article(document.blocks, document.links, state, state_links)
    elif metadata:
        document.blocks, document.links = _with_article(document.blocks, document.links, metadata)
    return document


def _holds_most(article: list[Block], other: list[Block]) -> bool:
    """Whether ``article`` holds at least half of ``other``'s paragraphs (the same story, perhaps
    with its markup and links), not merely its opening, as a comment quoting it does."""
    text = _words(" ".join(block.text for block in article))
    paragraphs = [_words(block.text) for block in other if block.is_prose]
    return 2 * sum(paragraph in text for paragraph in paragraphs) >= len(paragraphs)


def _markup_document(source: str, path: str, base_href: str | None = None) -> tuple[Document, _Tokenizer]:
    """The page as its markup shows it, and its tokens (``base_href`` resolves links when the
    markup is a fragment of a page, as script state holds)."""
    document = Document(path=path, format="html", source=source)
    tokenizer = _Tokenizer(source)
    tokenizer.run()
    document.directives = tokenizer.directives
    document.page_urls = tokenizer.page_urls
    document.problems.extend(tokenizer.problems)
    layout = _Layout(tokenizer.tokens)
    # A scope element that holds little of the page's text (an <article> teaser in a
    # sidebar, an <article> of headings beside the body) is a false lead: fall back to the
    # next wider scope, finally the whole page.
    for scope in (*_SCOPE_ORDER, None):
        chosen = layout.choose(scope)
        if chosen is None:
            continue
        reader = _Reader(source, tokenizer.tokens, chosen, layout, tokenizer.base_href or base_href)
        reader.run()
        if scope is None or any(block.is_prose for block in reader.blocks):
            break
    document.blocks, document.links = reader.blocks, reader.links()
    document.problems.extend(reader.problems)
    return document, tokenizer


# --- pass 1: tokens -----------------------------------------------------------------


class _Tokenizer(HTMLParser):
    """Turns the page into start/end/text/reference tokens with exact source spans."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self._source = source
        self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(source)]
        self._masked = _BAD_CHARREF.search(source) is not None
        self.tokens: list[tuple] = []
        self.directives: list[Directive] = []
        self.problems: list[Problem] = []
        self.base_href: str | None = None
        self.page_urls: list[str] = []
        #: token indices of the page's ``<script type=application/ld+json>`` start tags
        self.json_ld: list[int] = []
        #: the page's other inline scripts: (start tag's token index, whether its type is JSON)
        self.scripts: list[tuple[int, bool]] = []

    def run(self) -> None:
        fed = _BAD_CHARREF.sub(_MASK, self._source) if self._masked else self._source
        try:
            self.feed(fed)
            rest = self.rawdata
            if len(rest) > 1 and rest.startswith("<") and not self.cdata_elem:
                # A comment, tag or declaration that never ends runs to the end of the
                # page (HTML5). Python 3.11's close() would instead re-scan the rest once
                # per "<", which is quadratic on such input.
                offset = self._offset()
                opening = self._source[offset : offset + 20]
                self.problems.append(Problem(
                    f"markup never closed ({opening!r}…); the rest of the page is not read",
                    offset, len(self._source)))
            else:
                self.close()
        except AssertionError as error:  # the stdlib parser's own sanity checks
            offset = self._offset()
            self.problems.append(
                Problem(f"HTML parser stopped: {error}", offset, len(self._source))
            )

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def parse_html_declaration(self, i: int) -> int:
        # "<![endif]-->" (and any "<![" but CDATA) is a bogus comment up to the next ">"
        # in HTML5; the stdlib waits for a "]>" that may never come and loses the page.
        if self.rawdata.startswith("<![", i) and not self.rawdata.startswith("<![CDATA[", i):
            return self.parse_bogus_comment(i)
        # "<![foo" makes the stdlib raise after moving its position; read it as the
        # bogus comment HTML5 says it is.
        position = self.lineno, self.offset
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            self.lineno, self.offset = position
            return self.parse_bogus_comment(i)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        end = start + len(raw)
        if self._masked and self._source[start:end] != raw:
            attrs = _attributes_of(self._source[start:end], tag) or attrs
        if tag == "script":
            kind = next(((value or "").strip().lower() for name, value in attrs if name == "type"), "")
            if kind == "application/ld+json":
                self.json_ld.append(len(self.tokens))
            elif not any(name == "src" for name, _ in attrs):
                self.scripts.append((len(self.tokens), "json" in kind))
        self.tokens.append((_START, tag, attrs, start, end))
        if tag in _PAGE_URL_TAGS:
            self._page_url(tag, dict(reversed(attrs)))  # the first of repeated attributes wins

    def _page_url(self, tag: str, attributes: dict) -> None:
        """Note the page's own address from ``<base href>``, ``<link rel=canonical>`` or
        ``<meta property=og:url>``."""
        if tag == "base":
            url = attributes.get("href")
            if url and self.base_href is None:
                self.base_href = url.strip()
        elif tag == "link":
            url = attributes.get("href") if "canonical" in (attributes.get("rel") or "").lower().split() else None
        else:
            url = attributes.get("content") if (attributes.get("property") or "").strip().lower() == "og:url" else None
        if url and url.strip():
            self.page_urls.append(url.strip())

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            end = self.tokens[-1][4]
            self.tokens.append((_END, tag, end, end))

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        close = self._source.find(">", start + 2)
        self.tokens.append((_END, tag, start, close + 1 if close >= 0 else len(self._source)))

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self.tokens.append((_TEXT, self._source[start : start + len(data)], start))

    def handle_entityref(self, name: str) -> None:
        self._reference(1 + len(name))

    def handle_charref(self, name: str) -> None:
        self._reference(2 + len(name))

    def _reference(self, length: int) -> None:
        start = self._offset()
        end = start + length
        if self._source.startswith(";", end):
            end += 1
        self.tokens.append((_REF, html.unescape(self._source[start:end]), start, end))

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        opener = 4 if self._source.startswith("<!--", start) else 2
        text = self._source[start + opener : start + opener + len(data)]
        if "citelint" not in text:
            return
        close = self._source.find(">", start + opener + len(data))
        end = close + 1 if close >= 0 else len(self._source)
        self.directives.append(Directive(text.strip(), start, end))


class _AttributeParser(HTMLParser):
    """Re-reads one start tag, for the rare tag that the ``&#`` masking touched."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: tuple[str, list] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.found is None:
            self.found = (tag, attrs)


def _attributes_of(tag_text: str, tag: str) -> list | None:
    parser = _AttributeParser()
    try:
        parser.feed(tag_text)
        parser.close()
    except AssertionError:
        return None
    if parser.found is None or parser.found[0] != tag:
        return None
    return parser.found[1]


# --- between the passes: where the page's text is ------------------------------------


class _Layout:
    """How much text (and how much of it link text) each element holds, so the reader can
    tell the article's element from teasers and a page-wide wrapper from chrome.

    Elements are matched by a plain stack (an end tag closes the nearest open element of
    its name); the implicit closings the reader applies matter little to sizes. Text in a
    ``<noscript>`` counts only in the elements around a fallback article (measured again with
    it), never in the page's size: a large notice beside the article must not make the article
    look too small to be the page's."""

    #: characters of prose (text outside links) on the whole page, outside every ``<noscript>``
    page: int

    def __init__(self, tokens: list) -> None:
        self._measure(tokens, frozenset())
        shown = self.page  # prose outside every <noscript>
        everything = shown + sum(self.prose(index) for index in self._noscripts)
        #: ``<noscript>`` elements that hold the page's article (Blogger keeps its posts in one):
        #: most of their text outside links, more prose than the page shows outside them, and an
        #: article's share of all the page's text (not a "please enable JavaScript" line beside it)
        self.fallbacks = frozenset(
            index for index in self._noscripts
            if not self.link_dense(index) and shown < _FALLBACK_SHARE * self.prose(index)
            and self.prose(index) >= _MIN_SCOPE_SHARE * everything)
        if self.fallbacks:
            self._measure(tokens, self.fallbacks)
            self.page = shown

    def _measure(self, tokens: list, counted: frozenset[int]) -> None:
        """Measure every element; the text of a (outermost) ``<noscript>`` not in ``counted``
        is not counted in the elements around it."""
        #: start-token index -> (characters of text, characters of link text) inside it
        self.sizes: dict[int, tuple[int, int]] = {}
        self.candidates: dict[str, list[int]] = {scope: [] for scope in _SCOPE_ORDER}
        #: hidden elements in a series of hidden siblings beside a shown one of the same tag and
        #: classes: the pages of a paginated article or gallery, one shown at a time by script
        self.pages: set[int] = set()
        self._series_hidden: dict[tuple, list[int]] = {}
        self._series_shown: set[tuple] = set()
        self._roots: list[int] = []
        self._noscripts: list[int] = []
        self._counted = counted
        # [token index, tag, text, link text, is a candidate, and whether it is or is inside: raw
        # text, a link, chrome, a candidate for the article, a <noscript>]
        stack: list[list] = []
        outside: list = [None, None, 0, 0, False, False, False, False, False, False]  # the page's root
        for index, token in enumerate(tokens):
            top = stack[-1] if stack else outside
            if token[0] == _START:
                tag = token[1]
                if tag in _VOID:
                    continue
                if top[8]:  # pages matter only inside the article
                    self._note_series(index, top[0], tag, token[2])
                chrome = top[7] or tag in _CHROME_TAGS
                # an <article> in an <aside> is a teaser
                candidate = not chrome and self._note_candidate(index, tag, token[2])
                stack.append([index, tag, 0, 0, candidate, top[5] or tag in _RAW_TEXT, top[6] or tag == "a",
                              chrome, top[8] or candidate, top[9] or tag == "noscript"])
            elif token[0] == _END:
                found = next((depth for depth in range(len(stack) - 1, -1, -1)
                              if stack[depth][1] == token[1]), None)
                while found is not None and len(stack) > found:
                    self._close(stack)
            elif stack and not top[5]:
                size = len(token[1].strip()) if token[0] == _TEXT else 1
                top[2] += size
                top[3] += size if top[6] else 0
        while stack:
            self._close(stack)
        self.page = max(sum(self.prose(index) for index in self._roots), 1)
        for series, members in self._series_hidden.items():
            if series in self._series_shown and len(members) >= _MIN_HIDDEN_PAGES:
                self.pages.update(members)

    def _note_series(self, index: int, parent: int, tag: str, attrs: list) -> None:
        classes = None
        hiding = False  # an attribute that may hide it
        for name, value in attrs:
            if name == "class":
                classes = value if classes is None else classes
            elif name in _HIDING_ATTRIBUTES:
                hiding = True
        if not classes:
            return
        words = _class_words(classes)
        if not hiding and words.isdisjoint(_HIDDEN_CLASSES):
            self._series_shown.add((parent, tag, words))
            return
        series = (parent, tag, words - _HIDDEN_CLASSES)
        if not series[2]:
            return
        attributes = dict(reversed(attrs))
        if _hidden_by_script(attributes):
            self._series_hidden.setdefault(series, []).append(index)
        elif not _hidden(attributes):
            self._series_shown.add(series)

    def _note_candidate(self, index: int, tag: str, attrs: list) -> bool:
        """Note the element if it may be the article's; say whether it may."""
        candidate = tag in ("article", "main")
        if candidate:
            self.candidates[tag].append(index)
        for name, value in attrs:
            if name == "itemprop" and value and "articlebody" in value.lower().split():
                self.candidates["articlebody"].append(index)
                return True
        return candidate

    def _close(self, stack: list[list]) -> None:
        index, tag, text, link = stack.pop()[:4]
        self.sizes[index] = (text, link)
        if tag == "noscript" and not (stack and stack[-1][9]):  # the outermost <noscript>
            self._noscripts.append(index)
            if index not in self._counted:
                return
        if stack:
            stack[-1][2] += text
            stack[-1][3] += link
        else:
            self._roots.append(index)

    def prose(self, index: int) -> int:
        """Characters of text that are not link text inside the element."""
        text, link = self.sizes.get(index, (0, 0))
        return text - link

    def choose(self, scope: str | None) -> frozenset[int] | None:
        """The elements of ``scope`` to read (empty for the whole page), or None when the
        page has no element of it that could be the article: the one holding the most prose,
        and any other holding at least half as much, if the best holds enough of the page."""
        if scope is None:
            return frozenset()
        candidates = self.candidates[scope]
        if not candidates:
            return None
        best = max(self.prose(index) for index in candidates)
        if best < _MIN_SCOPE_SHARE * self.page and best < _MIN_SCOPE_CHARS:
            return None
        return frozenset(index for index in candidates if 2 * self.prose(index) >= best)

    def holds_page(self, index: int) -> bool:
        """Whether the element holds most of the page's text (a wrapper, never chrome)."""
        return 2 * self.prose(index) >= self.page

    def link_dense(self, index: int) -> bool:
        """Whether half or more of the element's text is link text (a teaser card, a list
        of stories)."""
        text, link = self.sizes.get(index, (0, 0))
        return 2 * link >= text


# --- pass 2: blocks -----------------------------------------------------------------


class _Frame:
    """One open element and the reading context it gives its content."""

    __slots__ = ("tag", "drop", "in_scope", "kind", "leaf", "hint", "boundary",
                 "space_from", "link")

    def __init__(self, tag: str, parent: _Frame | None = None) -> None:
        self.tag = tag
        self.drop: bool = parent.drop if parent else False
        self.in_scope: bool = parent.in_scope if parent else False
        self.kind: str = parent.kind if parent else "paragraph"
        self.leaf: bool = parent.leaf if parent else False
        self.hint: str | None = parent.hint if parent else None
        self.boundary = False
        #: inline code shown as one space: where the element started
        self.space_from: int | None = None
        self.link: _LinkRecord | None = None


class _Pending:
    """The block being accumulated: text, a deferred collapsed space, its links."""

    __slots__ = ("kind", "builder", "space", "hint", "links", "marks")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.builder = TextBuilder()
        self.space: tuple[int, int] | None = None
        self.hint: str | None = None
        self.links: list[_LinkRecord] = []
        #: text positions of element boundaries inside a caption (where a credit may start)
        self.marks: list[int] = []


class _LinkRecord:
    __slots__ = ("url", "offset", "end_offset", "pending", "start", "end", "block", "next_block", "continuation")

    def __init__(self, url: str, offset: int, continuation: bool = False) -> None:
        self.url = url
        self.offset = offset
        self.end_offset = offset
        self.pending: _Pending | None = None
        self.start = 0
        self.end: int | None = None
        self.block: int | None = None
        #: the same link's text in the next block, when the link wraps several blocks
        self.next_block: _LinkRecord | None = None
        #: this record is such a share of a wrapping link (dropped if no text follows)
        self.continuation = continuation


class _Reader:
    """Walks the tokens once, reading the chosen article elements (none: the whole page)."""

    def __init__(self, source: str, tokens: list, chosen: frozenset[int], layout: _Layout,
                 base: str | None):
        self._source = source
        self._tokens = tokens
        #: start-token indices of the article's elements; empty: the whole page is read
        self._chosen = chosen
        self._layout = layout
        self._base = base
        root = _Frame("#root")
        root.in_scope = not chosen
        self._stack = [root]
        self._open: dict[str, int] = {}
        self._overflow: dict[str, int] = {}
        self._pending: _Pending | None = None
        self._records: list[_LinkRecord] = []
        self._unanchored: list[_LinkRecord] = []
        self._seen_paragraph = False
        self.blocks: list[Block] = []
        self.problems: list[Problem] = []

    def run(self) -> None:
        for index, token in enumerate(self._tokens):
            kind = token[0]
            if kind == _TEXT:
                self._text(token[1], token[2])
            elif kind == _START:
                self._start(index, token[1], token[2], token[3], token[4])
            elif kind == _END:
                self._end(token[1], token[2], token[3])
            else:
                self._reference(token[1], token[2], token[3])
        while len(self._stack) > 1:
            self._pop(len(self._source))
        self._flush()

    def links(self) -> list[Link]:
        result = []
        for record in self._records:
            if record.block is None and record.continuation:
                continue  # a wrapping link that ended with the block before
            if record.block is None:
                result.append(Link(record.url, "html", record.offset, record.end_offset,
                                   None, 0, 0))
            else:
                assert record.end is not None  # _flush closes a record when it places it in a block
                text = self.blocks[record.block].text[record.start : record.end]
                result.append(Link(record.url, "html", record.offset, record.end_offset,
                                   record.block, record.start, record.end, text))
        return result

    # -- elements --

    def _start(self, index: int, tag: str, attrs: list, start: int, end: int) -> None:
        if tag == "br":
            self._line_break(start, end)
            return
        self._mark_caption_boundary()
        if self._open.get("head") and tag not in _HEAD_TAGS:
            self._close(("head",), (), start)
        self._implicit_closes(tag, start)
        attributes = dict(reversed(attrs))  # the first of repeated attributes wins
        frame = self._derive(self._stack[-1], index, tag, attributes, start)
        if frame.boundary:
            self._flush()
        if tag in _VOID:
            return
        if len(self._stack) > _MAX_DEPTH:
            if not self._overflow:  # report once per page
                self.problems.append(Problem(
                    f"elements nested deeper than {_MAX_DEPTH} levels; deeper structure is"
                    " flattened", start, end))
            self._overflow[tag] = self._overflow.get(tag, 0) + 1
            return
        if tag == "a":
            href = (attributes.get("href") or "").strip()
            if href:
                frame.link = self._open_link(href, start, frame)
        self._stack.append(frame)
        self._open[tag] = self._open.get(tag, 0) + 1

    def _end(self, tag: str, start: int, end: int) -> None:
        if tag == "br":
            self._line_break(start, end)
            return
        self._mark_caption_boundary()
        if self._overflow.get(tag):
            self._overflow[tag] -= 1
            return
        index = None
        if self._open.get(tag):
            index = self._find((tag,), _TABLE_SCOPE if tag in _TABLE_TAGS else _DEFAULT_SCOPE)
        if index is None:
            if tag == "p":  # a stray </p> still ends a paragraph in browsers
                self._flush()
            return
        while len(self._stack) > index + 1:
            self._pop(start)
        self._pop(end)

    def _derive(self, parent: _Frame, index: int, tag: str, attributes: dict, start: int) -> _Frame:
        frame = _Frame(tag, parent)
        frame.boundary = tag in _BLOCK_TAGS
        if index in self._chosen:  # the article, even inside a wrapper that looks like chrome
            frame.in_scope = frame.boundary = True
            frame.drop = False
            return frame
        if frame.drop:
            return frame
        quote_source = tag == "footer" and parent.kind == "blockquote"  # who is quoted
        # A <form> or <header> holding most of the page's text wraps the page (ASP.NET
        # pages sit in one form); a teaser <article> is mostly links.
        wrapper = tag in _WRAPPING_TAGS and self._layout.holds_page(index)
        # What browsers without scripts show: an article there is the page's (Blogger keeps its
        # posts in one), and so is a <noscript> inside it; a "please enable JavaScript" notice, a
        # tracking pixel or a copy of the article the page shows is not.
        fallback = tag == "noscript" and (index in self._layout.fallbacks or bool(self._open.get("noscript")))
        # A hidden page of a paginated article (one page shown at a time by script) is read.
        article_page = (bool(self._chosen) and frame.in_scope and index in self._layout.pages
                        and not self._layout.link_dense(index))
        if ((tag in _DROP_TAGS and not quote_source and not wrapper and not fallback)
                or (tag == "header" and not self._chosen and not wrapper)
                or (_hidden(attributes) and not article_page)
                or (tag == "article" and self._layout.link_dense(index))):
            frame.drop = True
            return frame
        marker = None
        if tag not in ("html", "body"):  # their classes describe the page, not chrome
            marker = _chrome_marker(attributes.get("class"), attributes.get("id"),
                                    attributes.get("role"))
        if marker == "drop":
            if not self._layout.holds_page(index):
                frame.drop = True
                return frame
            marker = None  # a layout wrapper ("content-and-menu", "l-sidebar-fixed"), not chrome
        if marker in _OUT_OF_SCOPE_KINDS and not frame.in_scope:
            # a byline just outside <article> (or articleBody) still names the author
            frame.in_scope = frame.boundary = True
            frame.kind = marker
            return frame
        if marker:
            if frame.boundary or parent.kind == "caption":
                frame.kind = _stronger(frame.kind, marker)
                frame.boundary = True
            else:  # an inline author link inside a sentence must not split the paragraph
                frame.hint = marker
        if tag in _TAG_KINDS:
            frame.kind = _stronger(frame.kind, _TAG_KINDS[tag])
        if tag in _LEAF_TAGS:
            frame.leaf = True
        if tag in _CODE_TAGS and frame.kind != "code":
            if parent.leaf or self._pending is not None:
                frame.drop = True
                frame.space_from = start
            else:
                frame.kind = "code"
                frame.boundary = True
        return frame

    def _implicit_closes(self, tag: str, at: int) -> None:
        if tag in _CLOSES_P and self._open.get("p"):
            self._close(("p",), _BUTTON_SCOPE, at)
        if tag == "li" and self._open.get("li"):
            self._close(("li",), _LIST_STOPS, at)
        elif tag in ("dt", "dd"):
            self._close(("dt", "dd"), _LIST_STOPS, at)
        elif tag in ("td", "th"):
            self._close(("td", "th"), _TABLE_SCOPE | {"tr", "tbody", "thead", "tfoot"}, at)
        elif tag == "tr":
            self._close(("tr",), _TABLE_SCOPE | {"tbody", "thead", "tfoot"}, at)
        elif tag in ("thead", "tbody", "tfoot"):
            self._close(("thead", "tbody", "tfoot"), _TABLE_SCOPE, at)
        elif tag in _HEADINGS and self._stack[-1].tag in _HEADINGS:
            self._pop(at)
        elif tag in _ENDS_HEADING and any(self._open.get(h) for h in _HEADINGS):
            self._close(tuple(_HEADINGS), _DEFAULT_SCOPE, at)
        elif tag == "a" and self._open.get("a"):
            self._close(("a",), _DEFAULT_SCOPE, at)

    def _find(self, names: tuple, stops) -> int | None:
        stack = self._stack
        for index in range(len(stack) - 1, 0, -1):
            tag = stack[index].tag
            if tag in names:
                return index
            if tag in stops:
                return None
        return None

    def _close(self, names: tuple, stops, at: int) -> None:
        if not any(self._open.get(name) for name in names):
            return
        index = self._find(names, stops)
        if index is not None:
            while len(self._stack) > index:
                self._pop(at)

    def _pop(self, end: int) -> None:
        frame = self._stack.pop()
        self._open[frame.tag] -= 1
        if frame.link is not None:
            self._close_link(frame.link, end)
        if frame.space_from is not None:
            parent = self._stack[-1]
            if not parent.drop and parent.in_scope:
                self._add_space(frame.space_from, end)
        if frame.boundary:
            self._flush()

    # -- text --

    def _text(self, text: str, start: int) -> None:
        frame = self._stack[-1]
        if frame.drop or not frame.in_scope:
            return
        if frame.kind == "code":
            if self._pending is None:  # trim the block's leading whitespace
                skipped = len(text) - len(text.lstrip())
                text, start = text[skipped:], start + skipped
            if text:
                self._add_word(frame, text, start)
            return
        core_end = len(text.rstrip())
        if core_end == 0:
            self._add_space(start, start + len(text))
            return
        position = len(text) - len(text.lstrip())
        if position:
            self._add_space(start, start + position)
        # Single spaces stay inside verbatim chunks; only other runs are collapsed.
        for match in _COLLAPSIBLE.finditer(text, position, core_end):
            self._add_word(frame, text[position : match.start()], start + position)
            self._add_space(start + match.start(), start + match.end())
            position = match.end()
        self._add_word(frame, text[position:core_end], start + position)
        if core_end < len(text):
            self._add_space(start + core_end, start + len(text))

    def _reference(self, decoded: str, start: int, end: int) -> None:
        frame = self._stack[-1]
        if frame.drop or not frame.in_scope:
            return
        if decoded.isspace():
            if frame.kind != "code":
                self._add_space(start, end)
                return
            if self._pending is None:
                return
        self._add_word(frame, decoded, start, end)

    def _line_break(self, start: int, end: int) -> None:
        frame = self._stack[-1]
        if frame.drop or not frame.in_scope or self._pending is None:
            return
        self._mark_caption_boundary()
        if self._pending.kind == "code":
            self._pending.builder.add_replaced("\n", start, end)
        else:
            self._add_space(start, end)

    def _add_space(self, start: int, end: int) -> None:
        pending = self._pending
        if pending is None:  # leading whitespace of a block is trimmed
            return
        pending.space = (pending.space[0], end) if pending.space else (start, end)

    def _add_word(self, frame: _Frame, text: str, start: int, end: int | None = None) -> None:
        pending = self._pending
        if pending is None:
            pending = self._pending = _Pending(frame.kind)
        elif pending.space is not None:
            space_start, space_end = pending.space
            if space_end - space_start == 1 and self._source[space_start] == " ":
                pending.builder.add(" ", space_start)
            else:
                pending.builder.add_replaced(" ", space_start, space_end)
            pending.space = None
        if self._unanchored:
            for record in self._unanchored:
                record.pending = pending
                record.start = pending.builder.length
                pending.links.append(record)
            self._unanchored.clear()
        if frame.hint:
            pending.hint = frame.hint
        if end is None:
            pending.builder.add(text, start)
        else:
            pending.builder.add_replaced(text, start, end)

    def _mark_caption_boundary(self) -> None:
        pending = self._pending
        if pending is not None and pending.kind == "caption":
            pending.marks.append(pending.builder.length)

    # -- links --

    def _open_link(self, href: str, offset: int, frame: _Frame) -> _LinkRecord:
        url = href
        if self._base and not href.startswith("#"):
            try:
                url = urljoin(self._base, href)
            except ValueError:  # malformed base or href: keep what the page says
                url = href
        record = _LinkRecord(url, offset)
        self._records.append(record)
        if not frame.drop and frame.in_scope:
            self._unanchored.append(record)
        return record

    def _close_link(self, record: _LinkRecord, end: int) -> None:
        while record.next_block is not None:  # every block's share spans the whole link
            record.end_offset = end
            record = record.next_block
        record.end_offset = end
        if record in self._unanchored and record.continuation:
            self._unanchored.remove(record)  # the link ended with the block before: nothing more to cite
            return
        if record in self._unanchored:  # no text: a zero-width link where it stands
            self._unanchored.remove(record)
            if self._pending is not None:
                record.pending = self._pending
                record.start = record.end = self._pending.builder.length
                self._pending.links.append(record)
        elif record.pending is not None and record.end is None:
            record.end = record.pending.builder.length

    # -- blocks --

    def _flush(self) -> None:
        pending = self._pending
        if pending is None:
            return
        self._pending = None
        builder = pending.builder
        for record in pending.links:
            if record.end is None:  # the block ended inside the link, which goes on to cite the next
                record.end = builder.length
                record.next_block = _LinkRecord(record.url, record.offset, continuation=True)
                self._records.append(record.next_block)
                self._unanchored.append(record.next_block)
        text = builder.text()
        whole_kind, pieces = self._pieces(pending, text)
        maps = _piece_maps(builder.map, len(text), pieces)
        if maps is None:  # a cut inside a multi-character reference
            pieces, maps = [(whole_kind, 0, len(text))], [builder.map]
        placed = []  # (block index, low, high) of each non-empty piece
        for (kind, low, high), omap in zip(pieces, maps, strict=True):
            if high > low:
                placed.append((len(self.blocks), low, high))
                self.blocks.append(Block(kind, text[low:high], omap))
        for record in pending.links:
            # the last piece that starts at or before the link's text, else the first
            target = next((p for p in reversed(placed) if p[1] <= record.start), None)
            target = target or (placed[0] if placed else None)
            if target is None:
                continue
            index, low, high = target
            assert record.end is not None  # every record of the block was closed above
            record.block = index
            record.start = min(max(record.start, low), high) - low
            record.end = max(record.start, min(record.end, high) - low)

    def _pieces(self, pending: _Pending, text: str) -> tuple[str, list[tuple[str, int, int]]]:
        """The block's kind and its pieces, splitting off a wire dateline or a caption's
        credit line."""
        kind = pending.kind
        if kind == "code":
            return kind, [(kind, 0, len(text.rstrip()))]
        if kind in ("paragraph", "byline", "credit"):
            chrome = classify_line(text)
            if chrome:
                kind = chrome
            elif pending.hint and len(text) <= _HINT_MAX_CHARS:
                kind = pending.hint
        elif kind == "caption":
            chrome = classify_line(text)
            if chrome:
                kind = chrome
            else:
                return kind, self._caption_pieces(pending, text)
        if kind == "paragraph" and not self._seen_paragraph:
            self._seen_paragraph = True
            return kind, _dateline_pieces(text)
        return kind, [(kind, 0, len(text))]

    @staticmethod
    def _caption_pieces(pending: _Pending, text: str) -> list[tuple[str, int, int]]:
        """A caption ending in a credit line ("… Photo: Jane Roe/AFP") is two blocks."""
        cuts = sorted({*pending.marks, *(m.end() for m in _SENTENCE_END.finditer(text))})
        for cut in cuts[bisect.bisect_left(cuts, len(text) - _CREDIT_MAX_CHARS) :]:
            head = len(text[:cut].rstrip())
            tail = len(text) - len(text[cut:].lstrip())
            if 0 < head and tail < len(text):
                chrome = classify_line(text[tail:])
                if chrome in _CAPTION_TAIL_KINDS:
                    return [("caption", 0, head), (chrome, tail, len(text))]
        return [("caption", 0, len(text))]


# --- an article given only as JSON-LD metadata ---------------------------------------


def _metadata_article(source: str, tokenizer: _Tokenizer, blocks: list[Block]) -> list[Block]:
    """The longest JSON-LD ``articleBody`` as blocks when the page's markup shows less than half of
    it (an article rendered by script, or a paywalled teaser); none when no string maps exactly to
    the source, or when the JSON-LD holds several articles (a listing page) and none of them says
    it is this page's."""
    shown = _prose_length(blocks)
    spans = [(start, end) for start, end in _json_ld_spans(tokenizer) if end - start <= _MAX_METADATA_CHARS]
    if not any(shown < (end - start) * _METADATA_ARTICLE_SHARE for start, end in spans):
        return []  # no script long enough to hold an article longer than what the page shows
    # A script inside a paragraph read from the markup (a plugin's JSON-LD in a post's text) is
    # skipped: its article's blocks would sit inside that paragraph's span.
    inside_prose = _span_test(blocks)
    bodies = [body for start, end in spans if not inside_prose(start) for body in _article_bodies(source, start, end)]
    if len({_text_of(pieces) for pieces, _ in bodies}) > 1:
        page_urls = {_address(url) for url in tokenizer.page_urls}
        heading = _words(_first_heading(tokenizer.tokens))
        bodies = [(pieces, owners) for pieces, owners in bodies
                  if any(_describes_page(owner, page_urls, heading) for owner in owners)]
    longest = max((pieces for pieces, _ in bodies), key=lambda pieces: len(_text_of(pieces)), default=[])
    if len(_text_of(longest)) * _METADATA_ARTICLE_SHARE <= shown:
        return []
    return _classified(_paragraphs(longest))


def _describes_page(owner: dict, page_urls: set[str], heading: str) -> bool:
    """Whether a JSON-LD article says it is the page's own: its ``url`` or ``mainEntityOfPage`` is
    the page's address, or its ``headline`` is the page's first ``<h1>``."""
    entity = owner.get("mainEntityOfPage")
    addresses = [owner.get("url"), entity, *((entity.get("@id"), entity.get("url")) if isinstance(entity, dict) else ())]
    if any(isinstance(address, str) and _address(address) in page_urls for address in addresses):
        return True
    headline = owner.get("headline")
    return bool(heading) and isinstance(headline, str) and _words(headline) == heading


def _address(url: str) -> str:
    """A page address as compared with another: no fragment, no trailing slash, any case."""
    return url.strip().split("#")[0].rstrip("/").lower()


def _words(text: str) -> str:
    """Text as compared with other text: whitespace runs as one space, any case."""
    return " ".join(text.split()).casefold()


def _first_heading(tokens: list) -> str:
    """The text of the page's first ``<h1>``."""
    texts: list[str] = []
    inside = False
    for token in tokens:
        if token[0] in (_START, _END) and token[1] == "h1":
            if inside:
                break
            inside = token[0] == _START
        elif inside and token[0] in (_TEXT, _REF):
            texts.append(token[1])
    return "".join(texts)


def _json_ld_spans(tokenizer: _Tokenizer) -> Iterator[tuple[int, int]]:
    """Source spans of the content of each ``<script type=application/ld+json>``."""
    return _script_spans(tokenizer.tokens, tokenizer.json_ld)


def script_spans(source: str) -> list[tuple[int, int]]:
    """Source spans of the content of the page's inline scripts (JSON-LD and the rest), as the
    reader finds them: what an edit must not write markup or comments into."""
    tokenizer = _Tokenizer(source)
    tokenizer.run()
    starts = sorted([*tokenizer.json_ld, *(index for index, _ in tokenizer.scripts)])
    return list(_script_spans(tokenizer.tokens, starts))


def _script_spans(tokens: list, starts: list[int]) -> Iterator[tuple[int, int]]:
    """Source spans of the content of the scripts whose start tags are at token ``starts``."""
    for index in starts:
        # the parser gives a script's content as one text token before its end tag
        end = next((token[2] for token in tokens[index + 1 : index + 3] if token[0] == _END), None)
        if end is not None:
            yield tokens[index][4], end


def _article_bodies(source: str, start: int, end: int) -> Iterator[tuple[list[tuple[str, int, int]], list[dict]]]:
    """Each ``articleBody`` string of the JSON in ``source[start:end]`` as (text, source start,
    source end) pieces, with JSON escapes and character references each one piece, and the objects
    that hold it."""
    try:
        data = json.loads(source[start:end])
    except (ValueError, RecursionError):
        return
    owners = _article_owners(data)
    for match in _ARTICLE_BODY_KEY.finditer(source, start, end):
        pieces = _json_string(source, match.end() - 1, end)
        value = None if pieces is None else _text_of(pieces)
        if pieces is None or value not in owners:
            continue  # not the parsed value: offsets would be guesses
        pieces = _decode_references([(_readable(char) if high - low > 1 else char, low, high) for char, low, high in pieces])
        if not _MARKUP.search(_text_of(pieces)):
            yield pieces, owners[value]


def _article_owners(data: object) -> dict[str, list[dict]]:
    """Each ``articleBody`` string in the JSON and the objects that hold it."""
    found: dict[str, list[dict]] = {}
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            value = item.get("articleBody")
            if isinstance(value, str):
                found.setdefault(value, []).append(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def _script_state_article(source: str, tokenizer: _Tokenizer, blocks: list[Block]) -> tuple[list[Block], list[Link]]:
    """The article a script renders from the page's state (a slideshow whose saved markup shows one
    slide): the JSON in an inline script whose strings hold paragraph markup, read as markup is,
    when the page shows no article of its own (under 1,500 characters of prose), the state holds
    over twice what it shows and repeats a paragraph it shows (so the state is this page's
    article, not comments, teasers or notices). Only the strings of one group are read: one key,
    or the keys of the items of one list ("pages.*.top", "pages.*.bottom"), and of a list whose
    items are documents of their own (each with its own address, headline or language: a feed, the
    translations, the comments) only the items that repeat the page. The twice-the-prose test is
    made on the prose the chosen strings give when read (not their styles or hidden text)."""
    shown = _prose_length(blocks)
    anchors = [_words(block.text) for block in blocks
               if block.is_prose and block.kind not in TITLE_KINDS and len(block.text) >= _MIN_ANCHOR_CHARS]
    if not anchors or not tokenizer.scripts or shown >= _MIN_SCOPE_CHARS:
        return [], []
    inside_prose = _span_test(blocks)
    budget = [_MAX_METADATA_CHARS]
    best: tuple[int, int, set[str]] | None = None
    best_length = shown * 2
    for start, end, is_json in _state_scripts(tokenizer):
        if inside_prose(start):
            continue  # a script inside a paragraph read from the markup
        for low, high, data in _json_payloads(source, start, end, is_json, budget):
            for group, items in _markup_groups(data).items():
                if _chrome_path(group):
                    continue  # "comments", "relatedStories", "sidebar": never the article
                texts = {value: _plain_words(value) for _, value in items}
                if _separate_documents(items):
                    anchored = {id(item) for item, value in items if any(anchor in texts[value] for anchor in anchors)}
                    items = [(item, value) for item, value in items if id(item) in anchored]
                length = sum(len(texts[value]) for value in dict.fromkeys(value for _, value in items))
                if length > best_length and any(anchor in texts[value] for anchor in anchors for _, value in items):
                    best, best_length = (low, high, {value for _, value in items}), length
    if best is None:
        return [], []
    low, high, chosen = best
    state, links = _state_blocks(source, low, high, chosen, tokenizer.base_href)
    return (state, links) if _prose_length(state) > 2 * shown else ([], [])


#: Characters the search for a page's paragraphs inside a script's article may read in all.
_MAX_REPEAT_SEARCH = 20_000_000
#: A shown paragraph this long, repeated in the state, ties the state to the page.
_MIN_ANCHOR_CHARS = 60
#: Where a JSON payload opens in a script that is not JSON itself: an object with a quoted key
#: (or none) or an array assigned after "=" (not "==", "<=" or ">=").
_ASSIGNED_JSON = re.compile(r"(?<![=!<>])=\s*(?=\{\s*[\"}]|\[\s*[\"\[{\]\d-])")
#: Keys deep a script state's article may lie.
_MAX_STATE_DEPTH = 64
#: What one attempt to read JSON costs the page's budget, beyond the characters it reads.
_STATE_ATTEMPT_COST = 20
#: A JSON string literal (in JSON already parsed, so every literal closes), and one holding
#: paragraph markup raw, JSON-escaped or written with character references.
_STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')
_PARAGRAPH_MARKUP = re.compile(r"(?:<|\\u003[cC]|&lt;|\\u0026lt;)[pP](?:>|\s|&gt;|\\u003[eE]|\\u0026gt;|\\[nrt])")
_DECODED_PARAGRAPH = re.compile(r"(?:<|&lt;)[pP](?:>|\s|&gt;)")
_ANY_TAG = re.compile(r"<[^<>]*>")


def _state_scripts(tokenizer: _Tokenizer) -> Iterator[tuple[int, int, bool]]:
    """(start, end, whether it is JSON) of each inline script that is not JSON-LD."""
    for index, is_json in tokenizer.scripts:
        for start, end in _script_spans(tokenizer.tokens, [index]):
            yield start, end, is_json


def _span_test(blocks: list[Block]) -> Callable[[int], bool]:
    """A test of whether a source offset lies inside one of ``blocks`` (sorted once, then bisected)."""
    spans = sorted((block.offset, block.end_offset) for block in blocks)
    starts = [low for low, _ in spans]
    reach = list(itertools.accumulate((high for _, high in spans), max))

    def inside(offset: int) -> bool:
        index = bisect.bisect_left(starts, offset) - 1
        return index >= 0 and reach[index] > offset
    return inside


def _json_payloads(source: str, start: int, end: int, is_json: bool, budget: list[int]) -> Iterator[tuple[int, int, object]]:
    """Each JSON value in the script ``source[start:end]`` with its span: the whole script when its
    type is JSON, else each object or array assigned in it that opens as JSON does (a quoted key,
    not code). The characters each attempt reads count against ``budget``, and so does each
    attempt (one budget per page: a hostile page must not cost seconds)."""
    if end - start > 2 * _MAX_METADATA_CHARS or (is_json and end - start > budget[0]):
        budget[0] -= _STATE_ATTEMPT_COST
        return  # no article needs so much, and parsing it whole would cost memory and time
    decoder = json.JSONDecoder()
    text = source[start:end]
    openings = [len(text) - len(text.lstrip())] if is_json else \
        (match.end() for match in _ASSIGNED_JSON.finditer(text))
    done = 0
    for opening in openings:
        if budget[0] <= 0:
            return
        if opening < done:
            continue
        budget[0] -= _STATE_ATTEMPT_COST
        try:
            data, stop = decoder.raw_decode(text, opening)
        except json.JSONDecodeError as error:
            budget[0] -= error.pos - opening
            continue
        except (ValueError, RecursionError):
            budget[0] -= len(text) - opening
            continue
        budget[0] -= stop - opening
        done = stop
        if stop - opening <= _MAX_METADATA_CHARS:  # no article needs more
            yield start + opening, start + stop, data


def _markup_groups(data: object) -> dict[tuple[str, ...], list[tuple[object, str]]]:
    """The JSON's strings holding paragraph markup, grouped: by their key path, the items of a list
    (or of an object keyed by numbers) counted as one ("pages.*.top" and "pages.*.bottom" are the
    group "pages.*"). Each string comes with the list item it lies in (the JSON itself when none).
    A container's path is spelled out once, for the strings it holds."""
    groups: dict[tuple[str, ...], list[tuple[object, str]]] = {}
    # (value, its key, its container's path, the item it lies in)
    pending: list[tuple[object, str, tuple[str, ...], object]] = [(data, "", (), data)]
    while pending:
        item, key, group, owner = pending.pop()
        if isinstance(item, (dict, list)):
            inner = (*group, key) if key else group
            if len(inner) > _MAX_STATE_DEPTH:
                continue  # no article lies so deep: a path is never longer than this to spell out
            starred = (*inner, "*")  # the path of this container's items, shared by all of them
            children = item.items() if isinstance(item, dict) else (("*", value) for value in item)
            for name, value in children:
                if isinstance(value, (dict, list, str)):
                    star = name == "*" or name.isdigit()
                    # the items of a list start a group of their own, their own item
                    pending.append((value, "" if star else name, starred if star else inner, value if star else owner))
        elif isinstance(item, str) and _DECODED_PARAGRAPH.search(item):
            path = (*group, key) if key else group
            cut = path[: len(path) - path[::-1].index("*")] if "*" in path else path
            groups.setdefault(cut, []).append((owner, item))
    return groups


def _chrome_path(group: tuple[str, ...]) -> bool:
    """Whether a state key on the group's path names page furniture as a class name would
    ("comments", "relatedStories", "sidebarItems")."""
    return any(_MARKER_WORDS.get(word.lower()) == "drop" for key in group for word in _CLASS_WORD.findall(key))


def _separate_documents(items: list[tuple[object, str]]) -> bool:
    """Whether a group's list items are documents of their own: each gives a different value for a
    key that names a document (``url``, ``headline``, ``lang``, ``author``; lexicon
    ``state_document_keys``), as the stories of a feed, the translations of a story or the
    comments on it do, and a slideshow's slides do not."""
    records: dict[int, dict] = {}
    for owner, _ in items:
        if isinstance(owner, dict):
            records.setdefault(id(owner), owner)
    if len(records) < 2:
        return False
    return any(len({str(record.get(key)) for record in records.values() if key in record}) > 1
               for key in word_list("state_document_keys"))


def _plain_words(value: str) -> str:
    """A markup string's text as compared with the page's (tags dropped, references decoded)."""
    if not _MARKUP.search(value):
        value = html.unescape(value)
    return _words(html.unescape(_ANY_TAG.sub(" ", value)))


def _state_blocks(source: str, low: int, high: int, chosen: set[str], base_href: str | None) -> tuple[list[Block], list[Link]]:
    """The blocks and links of the chosen strings in ``source[low:high]``, read as markup is, each
    string and each prose block once (a state may hold a slide twice). The page's own copies of
    them give way (:func:`_with_article`), so the article reads in the state's order."""
    blocks: list[Block] = []
    links: list[Link] = []
    seen: set[tuple[bool, str]] = set()
    pending = set(chosen)
    for literal in _STRING_LITERAL.finditer(source, low, high):
        if not pending:
            break
        if not _PARAGRAPH_MARKUP.search(literal.group()):
            continue
        pieces = _json_string(source, literal.start(), literal.end())
        value = None if pieces is None else _text_of(pieces)
        if pieces is None or value not in pending:
            continue
        pending.discard(value)  # a string held under two keys is read once
        # an escape stands for what it decodes to; a character written as itself stays itself
        pieces = [(_readable(char) if end - start > 1 else char, start, end) for char, start, end in pieces]
        if not _MARKUP.search(_text_of(pieces)):  # markup written with references: "&lt;p&gt;"
            pieces = _single_characters(_decode_references(pieces))
        fragment, _ = _markup_document(_text_of(pieces), "", base_href)
        kept: dict[int, int] = {}
        for number, block in enumerate(fragment.blocks):
            key = (block.kind in TITLE_KINDS, _words(block.text))
            if block.is_prose:
                if key in seen:
                    continue  # the state held it before
                seen.add(key)
            kept[number] = len(blocks)
            blocks.append(Block(block.kind, block.text, _composed(block.map, pieces)))
        links.extend(dataclasses.replace(link, block=kept[link.block], offset=pieces[link.offset][1],
                                         end_offset=pieces[max(link.offset, link.end_offset - 1)][2])
                     for link in fragment.links if link.block in kept)
    return blocks, links


def _composed(fragment_map: OffsetMap, pieces: list[tuple[str, int, int]]) -> OffsetMap:
    """A fragment block's offset map carried through to the page: ``pieces[i]`` is the source span
    of the fragment's character ``i`` (itself, or the escape or reference it was decoded from)."""
    result = OffsetMap()
    runs = fragment_map.runs()
    for number, (text_start, low, high, verbatim) in enumerate(runs):
        text_end = runs[number + 1][0] if number + 1 < len(runs) else fragment_map.length
        if not verbatim:  # text the fragment's reader decoded or stood in for a span with
            first = pieces[min(low, len(pieces) - 1)][1]
            result.append(text_end - text_start, first, pieces[high - 1][2] if high > low else first)
            continue
        index = low
        while index < high:
            _, start, end = pieces[index]
            if end - start == 1:  # written as itself
                result.append(1, start)
                index += 1
                continue
            following = index + 1
            while following < high and pieces[following][1:] == (start, end):
                following += 1  # the characters of one reference ("&fjlig;" is two)
            result.append(following - index, start, end)
            index = following
    return result


def _single_characters(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Pieces one character each (a reference decoded to two characters gives two, sharing its span)."""
    return [(char, low, high) for text, low, high in pieces for char in text]


def _prose_length(blocks: list[Block]) -> int:
    return sum(len(block.text) for block in blocks if block.is_prose)


def _text_of(pieces: list[tuple[str, int, int]]) -> str:
    return "".join(text for text, _, _ in pieces)


def _readable(char: str) -> str:
    """A character decoded from a JSON escape, made safe to read and report: a lone surrogate
    (``\\ud83c`` without its pair) and a control character other than a line break or a tab read as
    U+FFFD, as ``html.unescape`` reads ``&#xD800;`` or ``&#0;`` (one character, so offsets hold)."""
    if char in "\n\r\t":
        return char
    code = ord(char)
    return "\ufffd" if 0xD800 <= code < 0xE000 or code < 0x20 or 0x7F <= code < 0xA0 else char


def _json_string(source: str, quote: int, stop: int) -> list[tuple[str, int, int]] | None:
    """The characters of the JSON string literal opening at ``quote``, each with its source span."""
    pieces: list[tuple[str, int, int]] = []
    position = quote + 1
    while position < stop:
        char = source[position]
        if char == '"':
            return pieces
        if char != "\\":
            pieces.append((char, position, position + 1))
            position += 1
            continue
        escape = source[position + 1 : position + 2]
        if escape in _JSON_ESCAPES:
            pieces.append((_JSON_ESCAPES[escape], position, position + 2))
            position += 2
            continue
        code = _hex4(source, position + 2) if escape == "u" else None
        if code is None:
            return None
        length = 6
        low = _hex4(source, position + 8) if source.startswith("\\u", position + 6) else None
        if 0xD800 <= code < 0xDC00 and low is not None and 0xDC00 <= low < 0xE000:
            code, length = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), 12
        pieces.append((chr(code), position, position + length))
        position += length
    return None


def _hex4(source: str, position: int) -> int | None:
    digits = source[position : position + 4]
    if len(digits) != 4 or not all(digit in "0123456789abcdefABCDEF" for digit in digits):
        return None
    return int(digits, 16)


def _decode_references(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Character references in the string ("&amp;", as some sites write it) decoded, each one
    piece spanning the reference. ``pieces`` are single characters, so text positions index them."""
    text = "".join(text for text, _, _ in pieces)
    if "&" not in text:
        return pieces
    result: list[tuple[str, int, int]] = []
    done = 0
    for match in _ENTITY.finditer(text):
        decoded = html.unescape(match.group())
        if decoded != match.group():
            result.extend(pieces[done : match.start()])
            result.append((decoded, pieces[match.start()][1], pieces[match.end() - 1][2]))
            done = match.end()
    return result + pieces[done:]


def _paragraphs(pieces: list[tuple[str, int, int]]) -> list[Block]:
    """Paragraph blocks from a string's pieces: a line break ends a paragraph, other whitespace
    runs read as one space."""
    blocks: list[Block] = []
    builder = TextBuilder()
    space: list[tuple[str, int, int]] = []
    for text, start, end in pieces:
        if text.isspace():
            space.append((text, start, end))
            continue
        if builder.length and space:
            if any("\n" in gap or "\r" in gap for gap, _, _ in space):
                blocks.append(Block("paragraph", builder.text(), builder.map))
                builder = TextBuilder()
            elif len(space) == 1 and space[0][0] == " " and space[0][2] - space[0][1] == 1:
                builder.add(" ", space[0][1])
            else:
                builder.add_replaced(" ", space[0][1], space[-1][2])
        space.clear()
        if end - start == len(text) == 1:
            builder.add(text, start)
        else:
            builder.add_replaced(text, start, end)
    if builder.length:
        blocks.append(Block("paragraph", builder.text(), builder.map))
    return blocks


def _classified(blocks: list[Block]) -> list[Block]:
    """The paragraphs of a JSON-LD article with the chrome the reader finds in markup paragraphs: a
    credit or copyright line, and a wire dateline opening the first paragraph."""
    result: list[Block] = []
    first = True
    for block in blocks:
        chrome = classify_line(block.text)
        pieces = [(chrome or "paragraph", 0, len(block.text))]
        if not chrome and first:
            first = False
            pieces = _dateline_pieces(block.text)
        maps = _piece_maps(block.map, len(block.text), pieces)
        if maps is None:  # a cut inside an escape
            pieces, maps = [("paragraph", 0, len(block.text))], [block.map]
        result.extend(Block(kind, block.text[low:high], omap)
                      for (kind, low, high), omap in zip(pieces, maps, strict=True) if high > low)
    return result


def _with_article(blocks: list[Block], links: list[Link], article: list[Block],
                  article_links: list[Link] | tuple[()] = ()) -> tuple[list[Block], list[Link]]:
    """The page's blocks with an article read from a script placed by source offset, less the
    markup's prose that the article repeats (a paywalled page's teaser, a slideshow's first slide:
    read once, not twice; headings and captions stay unless the article has them too), the
    links' block numbers moved to match (none for a link in a block left out); ``article_links``
    are numbered by ``article``'s blocks."""
    body = _words(" ".join(block.text for block in article))
    paragraphs = {_words(block.text) for block in article if block.kind not in TITLE_KINDS}
    titles = {_words(block.text) for block in article if block.kind in TITLE_KINDS}
    # A page paragraph is looked for inside the article's text (a teaser cut short), unless that
    # would read the article once per paragraph of a hostile page: then whole paragraphs match.
    inside = len(body) * sum(block.is_prose for block in blocks) <= _MAX_REPEAT_SEARCH
    result: list[Block] = []
    moved: dict[int, int] = {}
    placed = 0
    pending = list(article)
    for number, block in enumerate(blocks):
        if pending and block.offset > pending[0].offset:
            placed = len(result)
            result.extend(pending)
            pending = []
        words = _words(block.text)
        repeated = words in titles if block.kind in TITLE_KINDS else (words in body if inside else words in paragraphs)
        if not (block.is_prose and repeated):
            moved[number] = len(result)
            result.append(block)
    if pending:
        placed = len(result)
        result.extend(pending)
    carried = [dataclasses.replace(link, block=placed + link.block) for link in article_links if link.block is not None]
    cited = {link.url for link in carried}
    moved_links = [_moved_link(link, moved) for link in links]
    kept = [link for link in moved_links if link.block is not None or link.url not in cited]  # one link, checked once
    return result, kept + carried


def _moved_link(link: Link, moved: dict[int, int]) -> Link:
    if link.block is None:
        return link
    if link.block not in moved:
        return dataclasses.replace(link, block=None, start=0, end=0, text="")
    return dataclasses.replace(link, block=moved[link.block])


# --- helpers ------------------------------------------------------------------------


def _stronger(current: str, new: str) -> str:
    return new if _STRENGTH[new] >= _STRENGTH[current] else current


def _hidden(attributes: dict) -> bool:
    return (
        "hidden" in attributes
        or (attributes.get("aria-hidden") or "").strip().lower() == "true"
        or bool(_DISPLAY_NONE.search(attributes.get("style") or ""))
        or not _HIDDEN_CLASSES.isdisjoint(_class_words(attributes.get("class") or ""))
    )


def _hidden_by_script(attributes: dict) -> bool:
    """Whether the element is hidden from every reader until a script shows it, as a gallery hides
    its other pages; text for screen readers only, text hidden from them only (a duplicate) and a
    dialog are never such a page."""
    classes = _class_words(attributes.get("class") or "")
    if (not classes.isdisjoint(_SCREEN_READER_CLASSES)
            or (attributes.get("aria-hidden") or "").strip().lower() == "true"
            or (attributes.get("role") or "").strip().lower() in _DIALOG_ROLES):
        return False
    return ("hidden" in attributes or bool(_DISPLAY_NONE.search(attributes.get("style") or ""))
            or not classes.isdisjoint(_SCRIPT_HIDDEN_CLASSES))


@functools.lru_cache(maxsize=4096)
def _class_words(classes: str) -> frozenset[str]:
    return frozenset(classes.lower().split())


@functools.lru_cache(maxsize=4096)
def _chrome_marker(classes: str | None, element_id: str | None, role: str | None) -> str | None:
    """``"drop"``, a kept chrome kind, or None, from an element's class, id and role."""
    role = (role or "").strip().lower()
    if role in _CHROME_ROLES:
        return "drop"
    if role in _FOOTNOTE_ROLES:
        return "footnote"
    kept = None
    for value in (classes, element_id):
        negated = False
        for word in _CLASS_WORD.findall(value or ""):
            word = word.lower()
            marker = None if negated else _MARKER_WORDS.get(word)
            negated = word in _NEGATING_WORDS
            if marker == "drop":
                return marker
            kept = kept or marker
    return kept


def _dateline_pieces(text: str) -> list[tuple[str, int, int]]:
    """A story's first paragraph, with the wire dateline that opens it ("LONDON (Reuters) - ") a
    piece of its own."""
    cut = dateline_prefix(text)
    if cut:
        return [("dateline", 0, len(text[:cut].rstrip())), ("paragraph", cut, len(text))]
    return [("paragraph", 0, len(text))]


def _piece_maps(omap: OffsetMap, length: int, pieces: list[tuple[str, int, int]]) -> list[OffsetMap] | None:
    """The offset map of each piece of a text ``length`` long; None when a cut splits a
    multi-character reference or escape."""
    maps = []
    for _, low, high in pieces:
        piece_map = omap if (low, high) == (0, length) else _slice_map(omap, low, high)
        if piece_map is None:
            return None
        maps.append(piece_map)
    return maps


def _slice_map(omap: OffsetMap, low: int, high: int) -> OffsetMap | None:
    """The offset map of text ``[low, high)``; None when a cut splits a replaced run."""
    result = OffsetMap()
    runs = omap.runs()
    for index, (text_start, src_start, src_end, verbatim) in enumerate(runs):
        text_end = runs[index + 1][0] if index + 1 < len(runs) else omap.length
        first, last = max(low, text_start), min(high, text_end)
        if first >= last:
            continue
        if verbatim:
            result.append(last - first, src_start + first - text_start)
        elif first == text_start and last == text_end:
            result.append(last - first, src_start, src_end)
        else:
            return None
    return result
