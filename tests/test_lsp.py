"""`slalint lsp` end to end: a real LSP client (pytest-lsp) starts the server
as an editor would, over stdio, on a three-file workspace (examples/payments.sla
split into its parties, the SLA and its supporters). The in-memory workspace
(lsp/live.py) is also held to `check` directly."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="pygls is not installed: pip install 'slalint[lsp]' to test the language server")
pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed: pip install 'slalint[test]'")

import pytest_lsp  # noqa: E402
from lsprotocol import types  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_EXAMPLE = (ROOT / "examples" / "payments.sla").read_text(encoding="utf-8").split("\n")
PARTIES = "\n".join(_EXAMPLE[4:8]) + "\n"
GOLD = "\n".join(_EXAMPLE[9:63]) + "\n"  # sla payments_gold
SUPPORTERS = "\n".join(_EXAMPLE[63:]) + "\n"  # ola db_ola, contract cloud_uc
TIME_LIMIT = 5.0


def write_workspace(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ".slalint.yaml").write_text("today: 2026-06-01\n", encoding="utf-8")
    (directory / "parties.sla").write_text(PARTIES, encoding="utf-8")
    (directory / "gold.sla").write_text(GOLD, encoding="utf-8")
    (directory / "db.sla").write_text(SUPPORTERS, encoding="utf-8")
    return directory


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "agreements")


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "sla_lang", "lsp"]),
)
async def client(lsp_client: LanguageClient, workspace: Path, fresh_cache):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=from_fs_path(str(workspace)),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(workspace)), name="agreements")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def uri(workspace: Path, name: str) -> str:
    return from_fs_path(str(workspace / name))


async def published(client: LanguageClient, wanted: str) -> list[types.Diagnostic]:
    """The diagnostics published for `wanted` since the caller forgot the last ones."""

    async def wait():
        while wanted not in client.diagnostics:
            await asyncio.sleep(0.01)
        return list(client.diagnostics[wanted])

    return await asyncio.wait_for(wait(), TIME_LIMIT)


async def open_document(client: LanguageClient, workspace: Path, name: str, text: str | None = None):
    document = uri(workspace, name)
    text = (workspace / name).read_text(encoding="utf-8") if text is None else text
    client.diagnostics.pop(document, None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=document, language_id="sla", version=1, text=text)
        )
    )
    return await published(client, document)


async def change_document(client: LanguageClient, document: str, text: str, version: int, wanted: str):
    """Replace the document's text; the diagnostics next published for `wanted`."""
    client.diagnostics.pop(wanted, None)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=document, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return await published(client, wanted)


def codes(diagnostics) -> list[tuple[str, int, int]]:
    return [(d.code, d.range.start.line, d.range.start.character) for d in diagnostics]


@pytest.mark.asyncio
async def test_a_clean_workspace_publishes_no_diagnostics(client: LanguageClient, workspace: Path):
    assert await open_document(client, workspace, "gold.sla") == []


@pytest.mark.asyncio
async def test_an_edit_in_one_file_shows_and_clears_a_finding_in_another(client: LanguageClient, workspace: Path):
    await open_document(client, workspace, "db.sla")
    await open_document(client, workspace, "gold.sla")
    gold = uri(workspace, "gold.sla")
    tighter = GOLD.replace(">= 99.95%", ">= 99.995%", 1)
    diagnostics = await change_document(client, gold, tighter, 2, uri(workspace, "db.sla"))
    # The OLA (db.sla line 10) and the contract (line 23) now promise less than the SLA.
    assert codes(diagnostics) == [("SL402", 9, 4), ("SL402", 22, 4)]
    assert diagnostics[0].message == (
        "SLA 'payments_gold' promises 99.995% availability for service 'payments_api' but OLA 'db_ola' "
        "guarantees only 99.99% availability"
    )
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error
    assert diagnostics[0].source == "slalint"
    assert codes(client.diagnostics[gold]) == [("SL405", 14, 4)]
    diagnostics = await change_document(client, gold, GOLD, 3, uri(workspace, "db.sla"))
    assert diagnostics == []


@pytest.mark.asyncio
async def test_unsaved_text_wins_over_the_disk(client: LanguageClient, workspace: Path):
    broken = GOLD.replace("provider: it_org", "provider: it_orgg", 1)
    diagnostics = await open_document(client, workspace, "gold.sla", broken)
    assert codes(diagnostics) == [("SL007", 1, 12)]
    assert "did you mean 'it_org'?" in diagnostics[0].message.lower()


@pytest.mark.asyncio
async def test_hover_on_an_objective_shows_its_allowed_downtime(client: LanguageClient, workspace: Path):
    await open_document(client, workspace, "gold.sla")
    # Line 15: "    objective availability {": >= 99.95% over 30d allows
    # 0.05% of 30 × 86,400 s = 1,296 s = 21 min 36 s.
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(workspace, "gold.sla")),
            position=types.Position(line=14, character=16),
        )
    )
    assert "allows at most 21 min 36 s of downtime in a 30d window" in hover.contents.value


@pytest.mark.asyncio
async def test_hover_on_a_field_shows_its_meaning(client: LanguageClient, workspace: Path):
    await open_document(client, workspace, "gold.sla")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(workspace, "gold.sla")),
            position=types.Position(line=7, character=4),
        )  # "  reporting: 1mo"
    )
    assert hover.contents.value.startswith("**reporting** (recommended (SL508, active `sla`)) in an agreement: ")
    assert "how often service reports are delivered" in hover.contents.value


@pytest.mark.asyncio
async def test_hover_on_a_finding_shows_its_rule(client: LanguageClient, workspace: Path):
    broken = GOLD.replace("provider: it_org", "provider: it_orgg", 1)
    await open_document(client, workspace, "gold.sla", broken)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(workspace, "gold.sla")),
            position=types.Position(line=1, character=14),
        )
    )
    assert hover.contents.value.startswith("**SL007** `unresolved-reference` (error): the provider of SLA")
    assert "## What it checks" in hover.contents.value


@pytest.mark.asyncio
async def test_definition_and_references_across_files(client: LanguageClient, workspace: Path):
    await open_document(client, workspace, "db.sla")
    db = types.TextDocumentIdentifier(uri=uri(workspace, "db.sla"))
    # db.sla line 1: "  provider: dba" -> party dba in parties.sla, line 3 column 7.
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=db, position=types.Position(line=1, character=13))
    )
    assert found.uri == uri(workspace, "parties.sla")
    assert (found.range.start.line, found.range.start.character, found.range.end.character) == (2, 6, 9)
    # "  supports: payments_gold.payments_api": the service, in gold.sla line 13.
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=db, position=types.Position(line=6, character=30))
    )
    assert (found.uri, found.range.start.line, found.range.start.character) == (uri(workspace, "gold.sla"), 12, 10)
    locations = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=db,
            position=types.Position(line=2, character=13),  # "  customer: it_org"
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    places = sorted((Path(location.uri).name, location.range.start.line) for location in locations)
    assert places == [
        ("db.sla", 2),
        ("db.sla", 15),
        ("gold.sla", 1),
        ("gold.sla", 50),
        ("parties.sla", 1),
        ("parties.sla", 2),
    ]


@pytest.mark.asyncio
async def test_completion_of_a_field_name_and_of_a_party(client: LanguageClient, workspace: Path):
    text = GOLD.replace("  reporting: 1mo\n", "  rep\n  customer: \n", 1)
    await open_document(client, workspace, "gold.sla", text)
    document = types.TextDocumentIdentifier(uri=uri(workspace, "gold.sla"))
    items = await client.text_document_completion_async(
        types.CompletionParams(text_document=document, position=types.Position(line=7, character=5))  # "  rep"
    )
    labels = [item.label for item in items]
    assert "reporting" in labels and "service" in labels and "target" not in labels
    items = await client.text_document_completion_async(
        types.CompletionParams(text_document=document, position=types.Position(line=8, character=12))  # "  customer: "
    )
    assert sorted(item.label for item in items) == ["acme", "cloudco", "dba", "it_org"]


@pytest.mark.asyncio
async def test_document_symbols(client: LanguageClient, workspace: Path):
    await open_document(client, workspace, "db.sla")
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri(workspace, "db.sla")))
    )
    outline = [(s.name, [(c.name, [g.name for g in c.children]) for c in s.children]) for s in symbols]
    assert outline == [("db_ola", [("db", ["availability"])]), ("cloud_uc", [("hosting", ["availability"])])]
    assert (symbols[0].range.start.line, symbols[0].range.end.line) == (0, 11)
