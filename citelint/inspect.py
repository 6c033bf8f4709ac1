"""``citelint inspect``: the analyses and verdicts behind the findings, for people who want
to know why.

Inspect lints the file exactly as ``citelint FILE`` would (same configuration, rules and
analysis) and then shows what that analysis holds: the blocks the reader kept, sentences,
attributions, figures, source mentions and links, each with its provenance verdict (status,
the strategy that decided, the scorer's confidence), and the findings lint reports from them.
"""

from __future__ import annotations

from typing import Any

from citelint.analysis import Analysis, Span
from citelint.analysis.provenance import Verdict
from citelint.diagnostics import Diagnostic

INSPECT_VERSION = 2


def _span(analysis: Analysis, span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    offset, end_offset = analysis.source_span(span.block, span.start, span.end)
    return {"offset": offset, "end_offset": end_offset, "text": span.text}


def _sentence_span(analysis: Analysis, index: int, start: int, end: int) -> dict[str, Any]:
    sentence = analysis.sentences[index]
    offset, end_offset = analysis.sentence_span(sentence, start, end)
    return {"offset": offset, "end_offset": end_offset, "text": sentence.text[start:end]}


def _verdict(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    data: dict[str, Any] = {"status": verdict.status, "reason": verdict.reason, "confidence": verdict.confidence}
    if verdict.detail:
        data["detail"] = verdict.detail
    return data


def inspect_json(analysis: Analysis, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    document = analysis.document
    verdicts = analysis.computed_verdicts()

    def verdict_of(subject: str, index: int) -> dict[str, Any] | None:
        found = verdicts.get(subject)
        return _verdict(found[index]) if found is not None else None

    blocks = [
        {"kind": block.kind, "prose": block.is_prose, "offset": block.offset, "end_offset": block.end_offset,
         "text": block.text}
        for block in document.blocks
    ]
    sentences = []
    for sentence, cited in zip(analysis.sentences, analysis.sentence_links, strict=True):
        span = _sentence_span(analysis, sentence.index, 0, len(sentence.text))
        span.update({"index": sentence.index, "kind": sentence.kind, "citations": [link.url for link in cited],
                     "verdict": verdict_of("sentence", sentence.index)})
        sentences.append(span)
    attributions = [
        {
            "sentence": item.sentence,
            "cue": _span(analysis, item.cue),
            "source": _span(analysis, item.source),
            "content": _span(analysis, item.content),
            "source_kind": item.source_kind,
            "carried": item.carried,
            "verdict": verdict_of("attribution", index),
        }
        for index, item in enumerate(analysis.attributions)
    ]
    figures = []
    for index, item in enumerate(analysis.figures):
        figure = item.figure
        entry = _sentence_span(analysis, item.sentence, figure.start, figure.end)
        entry.update({"sentence": item.sentence, "kind": figure.kind, "hedge": figure.hedge, "in_quote": figure.in_quote,
                      "verdict": verdict_of("figure", index)})
        figures.append(entry)
    sources = []
    for index, mention in enumerate(analysis.source_mentions):
        entry = _sentence_span(analysis, mention.sentence, mention.start, mention.end)
        entry.update({
            "sentence": mention.sentence,
            "name": mention.name,
            "registry_id": mention.entry.id if mention.entry else None,
            "kind": mention.entry.kind if mention.entry else None,
            "used_as_source": mention.used_as_source,
            "use": mention.use,
            "linked": mention.linked,
            "verdict": verdict_of("source", index),
        })
        sources.append(entry)
    links = [
        {"offset": link.offset, "end_offset": link.end_offset, "text": link.text, "url": link.url, "kind": link.kind}
        for link in document.links
    ]
    findings = [
        {"code": d.code, "rule": d.rule, "line": d.line, "column": d.column, "offset": d.offset,
         "end_offset": d.end_offset, "reason": d.reason, "confidence": d.confidence, "message": d.message}
        for d in diagnostics
    ]
    return {
        "version": INSPECT_VERSION,
        "path": document.path,
        "format": document.format,
        "blocks": blocks,
        "sentences": sentences,
        "attributions": attributions,
        "figures": figures,
        "sources": sources,
        "links": links,
        "findings": findings,
    }


def _verdict_text(verdict: dict[str, Any] | None) -> str:
    if verdict is None:
        return ""
    detail = f" «{verdict['detail']}»" if verdict.get("detail") else ""
    return f"  => {verdict['status']} ({verdict['reason']}, confidence {verdict['confidence']:.2f}){detail}"


def inspect_text(analysis: Analysis, diagnostics: list[Diagnostic]) -> str:
    data = inspect_json(analysis, diagnostics)
    out = [f"{data['path']} ({data['format']}): {len(data['sentences'])} sentences, {len(data['findings'])} findings"]
    for _, _, lines in sentence_blocks(analysis, data):
        out.extend(lines)
    return "\n".join(out)


def sentence_blocks(analysis: Analysis, data: dict[str, Any]) -> list[tuple[int, int, list[str]]]:
    """Each sentence's offsets and its lines in the text report (the sentence with its verdict,
    then its attributions, figures, sources and findings): the editor's hover shows one."""
    by_sentence: dict[int, list[str]] = {}
    for item in data["attributions"]:
        source = item["source"]["text"] if item["source"] else "—"
        carried = " (carried)" if item["carried"] else ""
        by_sentence.setdefault(item["sentence"], []).append(
            f"    attribution: {item['source_kind']} source «{source}»{carried} cue «{item['cue']['text']}»"
            + _verdict_text(item["verdict"])
        )
    for item in data["figures"]:
        note = " (in quote)" if item["in_quote"] else ""
        by_sentence.setdefault(item["sentence"], []).append(
            f"    figure: «{item['text']}» {item['kind']}{note}" + _verdict_text(item["verdict"])
        )
    for item in data["sources"]:
        state = "linked" if item["linked"] else "unlinked"
        registry = item["registry_id"] or "not in registry"
        by_sentence.setdefault(item["sentence"], []).append(
            f"    source: «{item['text']}» ({registry}; {item['use']}; {state})" + _verdict_text(item["verdict"])
        )
    findings_at: dict[int, list[str]] = {}
    for sentence in analysis.sentences:
        start, end = analysis.sentence_span(sentence, 0, len(sentence.text))
        for finding in data["findings"]:
            if start <= finding["offset"] < max(end, start + 1):
                findings_at.setdefault(sentence.index, []).append(
                    f"    FINDING {finding['code']} [{finding['rule']}] {finding['line']}:{finding['column']}"
                    f" ({finding['reason'] or 'engine'}, confidence {finding['confidence']:.2f}): {finding['message']}"
                )
    blocks = []
    for sentence in data["sentences"]:
        cites = f"  [cites {', '.join(sentence['citations'])}]" if sentence["citations"] else ""
        lines = [f"[{sentence['index']}] {sentence['kind']} @{sentence['offset']}: {sentence['text']}{cites}"
                 + _verdict_text(sentence["verdict"])]
        lines.extend(by_sentence.get(sentence["index"], []))
        lines.extend(findings_at.get(sentence["index"], []))
        blocks.append((sentence["offset"], sentence["end_offset"], lines))
    return blocks
