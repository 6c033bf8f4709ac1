"""Time from an edit to its published diagnostics in ``citelint server`` (issue 16).

Starts the server over stdio with a real LSP client (pygls), opens a ~2,000-word article (made
up here from sentences of our own writing, or ``--article FILE``), then changes one word at a
time and measures, for each change, the time until the diagnostics for that version arrive.
The server waits ``DEBOUNCE_SECONDS`` after a change before it lints; the figure reported is
what comes after that wait (the target is under 300 ms)::

    python3 benchmarks/lsp_latency.py
    python3 benchmarks/lsp_latency.py --changes 30 --article path/to/article.md
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient

from citelint.lsp.server import DEBOUNCE_SECONDS

SENTENCES = (
    "The council spent £4m on the new bridge last year, officials say.",
    "Experts believe the scheme will take a decade to pay for itself.",
    "According to the Office for National Statistics, prices rose by 3.2% in March.",
    "The mayor said the roads would reopen on Monday.",
    "A report by a local campaign group found that 40% of the lamps were broken.",
    "Residents, who asked not to be named, said the works had gone on for months.",
    "The contractor declined to comment.",
    "Some analysts warn that the budget could double.",
)


def make_article(words: int) -> str:
    paragraphs, count = ["# The bridge that cost twice the budget", ""], 0
    while count < words:
        paragraph = " ".join(SENTENCES[(len(paragraphs) + offset) % len(SENTENCES)] for offset in range(4))
        paragraphs += [paragraph, ""]
        count += len(paragraph.split())
    return "\n".join(paragraphs)


async def measure(text: str, changes: int, folder: Path) -> tuple[float, list[float], int]:
    """Seconds to the first diagnostics, the latency after the debounce of each change, and the
    number of findings."""
    client = BaseLanguageClient("lsp-latency", "1")
    arrived: dict[int, float] = {}
    findings: dict[int, int] = {}
    published = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[params.version] = time.perf_counter()
            findings[params.version] = len(params.diagnostics)
            published.set()

    async def wait_for(version: int) -> float:
        while version not in arrived:
            published.clear()
            await published.wait()
        return arrived[version]

    await client.start_io(sys.executable, "-m", "citelint", "server")
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(),
                                                         root_uri=folder.as_uri()))
    client.initialized(types.InitializedParams())
    uri = (folder / "article.md").as_uri()
    start = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text=text)))
    first = await wait_for(1) - start
    latencies = []
    for version in range(2, changes + 2):
        text = text.replace("council", "county council" if version % 2 else "council", 1)
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        latencies.append(await wait_for(version) - sent - DEBOUNCE_SECONDS)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first, latencies, findings[changes + 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--article", type=Path, help="an article to edit (default: ~2,000 made-up words)")
    parser.add_argument("--words", type=int, default=2000, help="length of the made-up article")
    parser.add_argument("--changes", type=int, default=20, help="edits to time")
    args = parser.parse_args()
    text = args.article.read_text(encoding="utf-8") if args.article else make_article(args.words)
    if "council" not in text:
        text = "The council met.\n\n" + text
    print(f"$ python3 benchmarks/lsp_latency.py{' --article ' + str(args.article) if args.article else ''}"
          f" --changes {args.changes}")
    with tempfile.TemporaryDirectory(prefix="citelint-lsp-") as folder:
        first, latencies, findings = asyncio.run(measure(text, args.changes, Path(folder)))
    latencies.sort()
    print(f"article: {len(text.split()):,} words, {findings} findings")
    print(f"open -> first diagnostics (server start-up, cold): {first * 1000:.0f} ms")
    print(f"change -> diagnostics, after the {DEBOUNCE_SECONDS * 1000:.0f} ms debounce, over {len(latencies)} edits:"
          f" median {statistics.median(latencies) * 1000:.0f} ms,"
          f" p90 {latencies[int(len(latencies) * 0.9) - 1] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
