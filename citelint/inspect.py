"""``citelint inspect``: the analyses behind the findings, for people who want to know why."""

from __future__ import annotations

from typing import Any

from citelint.analysis import Analysis, Span

INSPECT_VERSION = 1


def _span(analysis: Analysis, span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    offset, end_offset = analysis.source_span(span.block, span.start, span.end)
    return {"offset": offset, "end_offset": end_offset, "text": span.text}


def _sentence_span(analysis: Analysis, index: int, start: int, end: int) -> dict[str, Any]:
    sentence = analysis.sentences[index]
    offset, end_offset = analysis.sentence_span(sentence, start, end)
    return {"offset": offset, "end_offset": end_offset, "text": sentence.text[start:end]}


def inspect_json(analysis: Analysis) -> dict[str, Any]:
    document = analysis.document
    sentences = []
    for sentence, links in zip(analysis.sentences, analysis.sentence_links):
        item = _sentence_span(analysis, sentence.index, 0, len(sentence.text))
        item.update({"index": sentence.index, "kind": sentence.kind, "citations": [link.url for link in links]})
        sentences.append(item)
    attributions = [
        {
            "sentence": item.sentence,
            "cue": _span(analysis, item.cue),
            "source": _span(analysis, item.source),
            "content": _span(analysis, item.content),
            "source_kind": item.source_kind,
            "carried": item.carried,
        }
        for item in analysis.attributions
    ]
    figures = []
    for item in analysis.figures:
        figure = item.figure
        entry = _sentence_span(analysis, item.sentence, figure.start, figure.end)
        entry.update({"sentence": item.sentence, "kind": figure.kind, "hedge": figure.hedge, "in_quote": figure.in_quote})
        figures.append(entry)
    sources = []
    for mention in analysis.source_mentions:
        entry = _sentence_span(analysis, mention.sentence, mention.start, mention.end)
        entry.update({
            "sentence": mention.sentence,
            "name": mention.name,
            "registry_id": mention.entry.id if mention.entry else None,
            "kind": mention.entry.kind if mention.entry else None,
            "used_as_source": mention.used_as_source,
            "linked": mention.linked,
        })
        sources.append(entry)
    links = [
        {"offset": link.offset, "end_offset": link.end_offset, "text": link.text, "url": link.url, "kind": link.kind}
        for link in document.links
    ]
    return {
        "version": INSPECT_VERSION,
        "path": document.path,
        "format": document.format,
        "sentences": sentences,
        "attributions": attributions,
        "figures": figures,
        "sources": sources,
        "links": links,
    }


def inspect_text(analysis: Analysis) -> str:
    data = inspect_json(analysis)
    out = [f"{data['path']} ({data['format']}): {len(data['sentences'])} sentences"]
    by_sentence: dict[int, list[str]] = {}
    for item in data["attributions"]:
        source = item["source"]["text"] if item["source"] else "—"
        carried = " (carried)" if item["carried"] else ""
        by_sentence.setdefault(item["sentence"], []).append(
            f"    attribution: {item['source_kind']} source «{source}»{carried} cue «{item['cue']['text']}»"
        )
    for item in data["figures"]:
        note = " (in quote)" if item["in_quote"] else ""
        by_sentence.setdefault(item["sentence"], []).append(f"    figure: «{item['text']}» {item['kind']}{note}")
    for item in data["sources"]:
        state = "linked" if item["linked"] else "unlinked"
        use = "used as source" if item["used_as_source"] else "mentioned"
        registry = item["registry_id"] or "not in registry"
        by_sentence.setdefault(item["sentence"], []).append(
            f"    source: «{item['text']}» ({registry}; {use}; {state})"
        )
    for sentence in data["sentences"]:
        cites = f"  [cites {', '.join(sentence['citations'])}]" if sentence["citations"] else ""
        out.append(f"[{sentence['index']}] {sentence['kind']} @{sentence['offset']}: {sentence['text']}{cites}")
        out.extend(by_sentence.get(sentence["index"], []))
    return "\n".join(out)
