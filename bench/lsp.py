"""The language server's answer time: a 200-file workspace (corpus.py),
opened by a real LSP client (pygls's) that starts `slalint lsp`, then 50
edits to one SLA; for each, the time from sending didChange to receiving the
edited file's publishDiagnostics. The server publishes it last, after those
of the linked open files that changed (the SLA's supporters, whose findings
flip with its target); the other open files are checked once the editor is
quiet, which the edits here, sent as soon as the last answer arrives, never are.

    python bench/lsp.py                 # the SLA and the files that support it open
    python bench/lsp.py --open all      # every file of the workspace open
    python bench/lsp.py --files 1000    # another size
    python bench/lsp.py --slo           # every objective names an SLO (an OpenSLO file per agreement file)

Needs the extra slalint[lsp] (pygls). The target (issue 18): within 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import write_corpus  # noqa: E402
from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

EDITED = "agreement_00001.sla"  # an SLA that OLAs and contracts of other files support


async def measure(directory: str, open_all: bool, edits: int) -> list[float]:
    client = LanguageClient("slalint-bench", "1")
    arrived: dict[str, float] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        arrived[params.uri] = time.perf_counter()

    await client.start_io(sys.executable, "-m", "sla_lang", "lsp", env={**os.environ, "SLALINT_DEBUG": "1"})
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=from_fs_path(directory))
    )
    client.initialized(types.InitializedParams())

    names = sorted(name for name in os.listdir(directory) if name.endswith(".sla"))
    texts = {name: open(os.path.join(directory, name), encoding="utf-8").read() for name in names}
    supporters = [name for name, text in texts.items() if re.search(r"supports: sla_1\.", text)]
    opened = names if open_all else [names[0], EDITED, *supporters]
    uris = {name: from_fs_path(os.path.join(directory, name)) for name in opened}
    for name in opened:
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uris[name], language_id="sla", version=1, text=texts[name])
            )
        )
    await _until(lambda: all(uri in arrived for uri in uris.values()))

    original = texts[EDITED]
    target = re.search(r"target: >= ([0-9.]+)%", original)
    tighter = original[: target.start(1)] + "99.999" + original[target.end(1) :]
    times = []
    for number in range(edits):
        arrived.clear()
        text = tighter if number % 2 == 0 else original
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uris[EDITED], version=number + 2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        await _until(lambda: uris[EDITED] in arrived)
        times.append(arrived[uris[EDITED]] - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times


async def _until(condition, limit: float = 60.0) -> None:
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > limit:
            raise SystemExit("bench/lsp.py: the server did not publish diagnostics within a minute")
        await asyncio.sleep(0.001)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--open", choices=("related", "all"), default="related")
    parser.add_argument("--slo", action="store_true", help="every objective names an SLO")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        write_corpus(directory, options.files, slo=options.slo)
        times = asyncio.run(measure(directory, options.open == "all", options.edits))
    milliseconds = [t * 1000 for t in times]
    print(
        f"{options.files} files{', SLOs' if options.slo else ''}, {options.open} open, {options.edits} edits: "
        f"median {statistics.median(milliseconds):.1f} ms, worst {max(milliseconds):.1f} ms"
    )


if __name__ == "__main__":
    main()
