"""Source mentions: organisations, outlets and reports named in the prose, and whether each
is used as the source of a claim and linked.

Known sources come from the registry; unknown ones are recognised from how they are used
("a report by the Riverside Housing Coalition", "according to X", "X said"). A mention is
*used as a source* when it is the source of an attribution, follows "according to", or
owns a document ("a study by X", "X's survey"); it is not when a person speaks for it
("Jane Roe, a spokeswoman for X, said") or works there ("a lecturer at X").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from citelint.analysis.cues import is_claim_verb
from citelint.lexicons import word_list

if TYPE_CHECKING:
    from citelint.analysis import Analysis
    from citelint.analysis.attributions import Attribution
    from citelint.analysis.registry import SourceEntry

#: Kinds that publish work (outlets, journals, research bodies): the ``published-only`` scope.
PUBLISHER_KINDS = frozenset(
    {"newspaper", "broadcaster", "magazine", "online-outlet", "wire", "state-media", "journal",
     "think-tank", "statistics-agency"}
)
DOCUMENT_NOUNS = (
    r"report|study|survey|poll|analysis|census|tally|count|data|dataset|database|investigation|audit|"
    r"review|paper|index|assessment|estimate|estimates|figures|statistics|research|findings|projections?|"
    r"white\s+paper|briefing|inquiry|ranking|rankings|article|editorial|op-ed"
)
_ORG_HEAD = (
    r"Institute|Committee|Council|Association|Coalition|Center|Centre|Foundation|Agency|Ministry|"
    r"Department|University|Bureau|Office|Commission|Group|Network|Project|Trust|Watch|Times|News|Post|"
    r"Journal|Herald|Tribune|Gazette|Observer|Party|Union|Federation|Society|Alliance|Initiative|"
    r"Organi[sz]ation|Board|Authority|Service|Administration|Fund|Bank|Forum|Lab|Laboratory|Court|"
    r"Campaign|Partnership|Consortium|Program|Programme|Monitor|Review|Tracker|Index|Daily|Radio|TV|Agency"
)
_NAME_WORD = r"(?:[A-Z][\w&'’.-]*|of|for|and|the|on|in|de|du|des|la|le|&)"
#: A capitalised name of an organisation, ending in a head word or followed by an acronym.
_ORG_NAME = rf"(?:the\s+)?(?:[A-Z][\w&'’.-]*\s+){{0,6}}(?:{_ORG_HEAD})(?:\s+(?:of|for|on)\s+(?:the\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}(?=[\s,.;:)]|$))?(?:\s+\([A-Z]{{2,8}}\))?"
_DOCUMENT_BY = re.compile(
    rf"\b(?:{DOCUMENT_NOUNS})\s+(?:by|from|of|published\s+by|released\s+by|commissioned\s+by|conducted\s+by|compiled\s+by)\s+({_ORG_NAME})"
)
_POSSESSIVE_DOCUMENT = re.compile(rf"({_ORG_NAME})(?:'s|’s|')\s+(?:[a-z-]+\s+){{0,2}}(?:{DOCUMENT_NOUNS})\b")
_ACCORDING_TO = re.compile(rf"\baccording\s+to\s+(?:(?:a|an|the)\s+(?:[a-z-]+\s+){{0,2}}(?:{DOCUMENT_NOUNS})\s+(?:by|from|of)\s+)?({_ORG_NAME})")
_DOCUMENT_CONTEXT = re.compile(
    rf"\b(?:{DOCUMENT_NOUNS})\s+(?:by|from|of|published\s+by|released\s+by|commissioned\s+by|conducted\s+by|compiled\s+by)\s+(?:the\s+)?$"
    rf"|(?:according\s+to|cited|citing|quoting|published\s+(?:by|in)|reported\s+by|data\s+from|figures\s+from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_DOCUMENT_PREFIX = re.compile(
    rf"(?:(?:a|an|the|its|their)\s+)?(?:[\w-]+\s+){{0,2}}?(?:{DOCUMENT_NOUNS})\s+(?:by|from|of)\s+(?:the\s+)?|the\s+",
    re.IGNORECASE,
)
#: Every use pattern above needs a document noun or "according to": a cheap test first.
#: Searched in lower-cased text (much faster than an IGNORECASE search).
_SOURCE_TRIGGER = re.compile(rf"\b(?:{DOCUMENT_NOUNS})\b|\baccording\s+to\b")
_ACCORDING_BEFORE = re.compile(r"\baccording\s+to\s+(?:the\s+)?$", re.IGNORECASE)
#: "a spokesman for X", "a lecturer at X", "an AP journalist": the person is the source, not X.
_AFFILIATION_BEFORE = re.compile(
    r"\b(?:spokes(?:man|woman|person)|director(?:-general)?|chief|head|chair(?:man|woman|person)?|president|"
    r"secretary|minister|official|officer|member|lecturer|professor|researcher|fellow|analyst|economist|"
    r"scientist|reporter|correspondent|journalist|editor|columnist|employee|executive|lawyer|adviser|advisor|"
    r"representative|envoy|ambassador|founder|manager|staff(?:er)?|leader|commander|investigator|student|"
    r"expert|worker|doctor|engineer|partner|co-?author|author|host|presenter)s?\s+(?:for|at|of|with|from|in)\s+(?:the\s+)?"
    r"(?:[a-z-]+\s+){0,4}$"  # "a research director at analyst firm IDC"
    r"|,\s+from\s+(?:the\s+)?$",  # "Jo Bloggs, from the Retail Council"
    re.IGNORECASE,
)
_ROLE_AFTER = re.compile(
    r"^(?:'s|’s)?\s*(?:[a-z-]+\s+)?(?:journalist|reporter|correspondent|spokes(?:man|woman|person)|official|"
    r"researcher|analyst|lecturer|professor|economist|editor|columnist|executive|employee|staffer|lawyer|"
    r"photographer|producer|host|anchor|fellow|scientist|director|governor|chair(?:man|woman)?|chief|head|"
    r"president|boss|founder|manager|co-?ordinator)s?\b",
)
#: A source phrase that names a person, whatever organisation it mentions: a role or title
#: before a name ("MP Jo Bloggs", "chief executive Ann Lee"), a title after one ("Ann Lee
#: QC", "a Green Party MP"), or a person noun as head ("guitarist with a rock band").
_PERSON_PHRASE = re.compile(
    r"\b(?:MPs?|MEPs?|MSPs?|QC|KC|executive|leader|chairman|chairwoman|president|secretary|minister|director|"
    r"economist|analyst|boss|founder|manager|coach|editor|reporter|correspondent|professor|lawyer|chief|"
    r"front(?:man|woman)|spokes(?:man|woman|person)|co-?ordinator|governor|host|presenter|Dr|Mr|Mrs|Ms|Prof|"
    r"Sir|Lord|Lady|Lt|Col|Gen|Capt)\s+[A-Z]"
    r"|\b(?:MP|MEP|MSP|QC|KC)$"
    r"|^(?:(?:[Aa]n?|[Tt]he)\s+)?(?:[\w-]+\s+){0,3}?(?:guitarist|singer|actor|actress|presenter|DJ)s?\b"
)
#: A common noun and then a name to the end ("entrepreneur Ann Lee", "the director behind
#: JFK"), or a name and then "of" ("Ann Lee of Acme Bank").
_DESCRIBED_NAME = re.compile(r"(?:^|\s)([a-z][a-z-]{2,})\s+((?:[A-Z][\w'’.&-]*\s+)*[A-Z][\w'’.&-]*)$")
_NAME_OF = re.compile(r"^((?:[A-Z][\w'’-]*\s+){1,3})of\s")


@functools.cache
def _organisation_descriptor() -> re.Pattern[str]:
    """Words that describe the organisation named next: "think tank ", "Research firm "."""
    heads = "|".join(sorted(map(re.escape, word_list("organisation_heads")), key=len, reverse=True))
    return re.compile(rf"(?:[\w-]+\s+){{0,2}}?(?:{heads})\s+(?=[A-Z])")


def _introduces_person(phrase: str) -> bool:
    """Whether an unregistered source phrase reads as a person with a role or an affiliation
    rather than an organisation: "UK entrepreneur Ann Lee", "Ann Lee of Acme Bank"."""
    heads = word_list("organisation_heads")
    described = _DESCRIBED_NAME.search(phrase)
    if described:
        descriptor, name = described.group(1), described.group(2).split()
        return descriptor not in heads and name[-1].lower() not in heads  # not "research firm Ovum"
    named = _NAME_OF.match(phrase)
    return bool(named) and named.group(1).split()[-1].lower() not in heads


_NO_COMMENT_AFTER = re.compile(
    r"^[^.;]{0,40}\b(?:did\s+not|didn't|declined\s+to|could\s+not\s+be\s+reached|has\s+not|did\s+not\s+immediately)\b"
    r"[^.;]{0,40}\b(?:respond|comment|reply|return)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SourceMention:
    sentence: int
    #: span relative to the sentence text
    start: int
    end: int
    name: str
    entry: "SourceEntry | None"
    used_as_source: bool
    #: a document noun owns the mention ("a study by X") or the source is a publisher
    published_work: bool
    linked: bool
    #: how it is used: document-owned | attribution-source | according-to, or why it is not a
    #: source: affiliation | no-comment | mentioned
    use: str = "mentioned"
    #: why it counts as linked: link-to-its-domain | link-on-name | citation-in-sentence | linked-earlier
    link_reason: str = ""

    @property
    def key(self) -> str:
        """Identity across mentions: the registry id, or the normalised name."""
        if self.entry is not None:
            return self.entry.id
        return re.sub(r"^the\s+|\s*\([A-Z]+\)$|['’]s$", "", self.name.strip(), flags=re.IGNORECASE).lower()


def url_host(url: str) -> str:
    """The lower-case host of a URL ("" when it has none)."""
    try:
        return (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:
        return ""


def reports_claim(attribution: "Attribution") -> bool:
    """Whether the cue reports a claim (said, found, according to) rather than an action
    PolNeAR also counts as attribution ("offered", "plans")."""
    words = attribution.cue.text.split()
    return (
        any(is_claim_verb(word.lower()) for word in words)
        or "according" in (w.lower() for w in words)
        or " ".join(words).lower() in word_list("agentless_phrases")
    )


def find_source_mentions(analysis: "Analysis") -> list[SourceMention]:
    registry = analysis.registry
    attribution_sources: dict[int, list[tuple[int, int, bool]]] = {}
    for attribution in analysis.attributions:
        if attribution.source is None or not reports_claim(attribution):
            continue  # "Google launched…": an actor, not a source
        sentence = analysis.sentences[attribution.sentence]
        if attribution.source.block != sentence.block:
            continue
        attribution_sources.setdefault(attribution.sentence, []).append(
            (
                attribution.source.start - sentence.start,
                attribution.source.end - sentence.start,
                attribution.source_is_org and attribution.source_kind == "named",
            )
        )
    mentions: list[SourceMention] = []
    linked_keys: set[str] = set()
    for sentence, links in zip(analysis.sentences, analysis.sentence_links):
        text = sentence.text
        candidates: list[tuple[int, int, "SourceEntry | None"]] = [
            (match.start, match.end, match.entry) for match in registry.find(text)
        ]
        for start, end, is_org in attribution_sources.get(sentence.index, ()):
            if is_org and not any(s < end and start < e for s, e, _ in candidates) \
                    and not _PERSON_PHRASE.search(text, start, end) and not _introduces_person(text[start:end]):
                # "a study by the X" names X; the document noun is context, not the name.
                owner = _DOCUMENT_PREFIX.match(text, start, end)
                name_start = owner.end() if owner else start
                described = _organisation_descriptor().match(text, name_start, end)
                name_start = described.end() if described else name_start  # "think tank Civitas"
                # "A Microsoft spokesman": the organisation speaks through an unnamed person.
                role = _TRAILING_ROLE.search(text, name_start, end)
                if role and role.group("possessive"):
                    continue  # "Acme's managing director said": a person speaks for Acme
                document = _TRAILING_DOCUMENT.search(text, name_start, end)
                name_end = role.start() if role else document.start() if document else end
                name = text[name_start:name_end]
                # "Jo Park, chief executive of Acme": a person speaking, not an organisation.
                if name_end > name_start and "," not in name and _is_proper_name(name):
                    candidates.append((name_start, name_end, registry.lookup(name)))
        patterns = (_DOCUMENT_BY, _POSSESSIVE_DOCUMENT, _ACCORDING_TO) if _SOURCE_TRIGGER.search(text.lower()) else ()
        for pattern in patterns:
            for match in pattern.finditer(text):
                start, end = match.span(1)
                if text[start:end].lower().startswith("the "):
                    start += 4
                end = start + len(_TRAILING_LOWER.sub("", text[start:end]))  # "… of Health and the" -> "… of Health"
                if not any(s < end and start < e for s, e, _ in candidates):
                    candidates.append((start, end, registry.lookup(text[start:end])))
        candidates.sort(key=lambda item: item[0])
        link_hosts = [url_host(link.url) for link in links]
        link_spans = [(link.start - sentence.start, link.end - sentence.start) for link in links if link.block == sentence.block]
        domain_linked = {
            entry.id
            for _, _, entry in candidates
            if entry is not None and any(_host_matches(host, entry.domains) for host in link_hosts)
        }
        for start, end, entry in candidates:
            before = text[max(0, start - _CONTEXT) : start]  # the cues that matter are just before
            after = text[end:]
            document_owned = bool(_DOCUMENT_CONTEXT.search(before)) or bool(
                re.match(rf"^(?:'s|’s|')\s+(?:[a-z-]+\s+){{0,2}}(?:{DOCUMENT_NOUNS})\b", after)
            )
            in_attribution_source = any(
                s <= start and end <= e and not _PERSON_PHRASE.search(text, s, e)  # "Acme chief Jo Bloggs"
                for s, e, _ in attribution_sources.get(sentence.index, ())
            )
            if _AFFILIATION_BEFORE.search(before) or _ROLE_AFTER.match(after):
                use = "affiliation"
            elif _NO_COMMENT_AFTER.match(after):
                use = "no-comment"
            elif document_owned:
                use = "document-owned"
            elif in_attribution_source:
                use = "attribution-source"
            elif _ACCORDING_BEFORE.search(before):
                use = "according-to"
            else:
                use = "mentioned"
            used = use in _SOURCE_USES
            if entry is not None and entry.ambiguous and not used:
                continue
            if entry is not None and entry.id in domain_linked:
                link_reason = "link-to-its-domain"
            elif any(s < end and start < e for s, e in link_spans):
                link_reason = "link-on-name"
            elif links and not domain_linked:
                # A citation in the sentence covers its source unless it provably points at another one.
                link_reason = "citation-in-sentence"
            else:
                link_reason = ""
            linked = bool(link_reason)
            mention = SourceMention(
                sentence=sentence.index,
                start=start,
                end=end,
                name=text[start:end],
                entry=entry,
                used_as_source=used,
                published_work=document_owned or (entry is not None and entry.kind in PUBLISHER_KINDS),
                linked=linked,
                use=use,
                link_reason=link_reason,
            )
            if linked:
                linked_keys.add(mention.key)
            elif mention.key in linked_keys:
                mention = replace(mention, linked=True, link_reason="linked-earlier")
            mentions.append(mention)
    return mentions


_CONTEXT = 80
_SOURCE_USES = frozenset({"document-owned", "attribution-source", "according-to"})
#: Function words a greedy name match may end on, which are not part of the name.
_TRAILING_LOWER = re.compile(r"(?:\s+(?:of|for|and|the|on|in|de|du|des|la|le|&))+$")
#: "Acme Research analysis": the name before a document noun.
_TRAILING_DOCUMENT = re.compile(rf"(?:'s|’s)?\s+(?:{DOCUMENT_NOUNS})\s*$", re.IGNORECASE)
_TRAILING_ROLE = re.compile(
    r"(?P<possessive>'s|’s)?\s+(?:[a-z-]+\s+)?(?:spokes(?:man|woman|person)|officials?|executives?|representatives?|"
    r"sources?|staff|lawyers?|chiefs?|bosses|boss|officers?|analysts?|economists?|researchers?|director|governor|"
    r"correspondent|editor|minister|secretary|judge|chair(?:man|woman)?|president|head|manager|commissioner|"
    r"founder|owner|adviser|advisor|leader)\s*$",
    re.IGNORECASE,
)

_PRONOUNS = frozenset("it they he she we its their this that these those who which one".split())


def _is_proper_name(name: str) -> bool:
    """An organisation named by name ("Harbour Trust"), not by a common noun or pronoun
    ("the company", "it"), which cannot be linked as such."""
    words = name.split()
    if not words or words[0].lower() in _PRONOUNS:
        return False
    return any(word[:1].isupper() for word in words[1:] if word.lower() not in ("of", "for", "and", "the")) or (
        words[0][:1].isupper() and words[0].lower() not in ("the", "a", "an")
    )


def _host_matches(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)
