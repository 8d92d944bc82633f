"""The language server: pygls handlers that keep a LiveWorkspace up to date
with the editor and answer from it (answers.py).

Every message is hostile until proven otherwise: a URI that is not a file
of the workspace gets no answer (and is never read from disk), a document
too large or not text is reported as SL008, and a handler that fails answers
nothing and logs why instead of stopping the server.
"""

from __future__ import annotations

import functools
import gc
import os
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..findings import Finding
from ..source import Span
from . import answers
from .index import Index

# After an edit, the files linked to the edited one are checked at once and
# every open file once the editor has been quiet this long.
QUIET_SECONDS = 0.3

_SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
_SYMBOL_KINDS = {
    "party": types.SymbolKind.Object,
    "metric": types.SymbolKind.Constant,
    "agreement": types.SymbolKind.Module,
    "service": types.SymbolKind.Class,
    "objective": types.SymbolKind.Property,
}
_COMPLETION_KINDS = {
    "field": types.CompletionItemKind.Field,
    "block": types.CompletionItemKind.Struct,
    "keyword": types.CompletionItemKind.Keyword,
    "reference": types.CompletionItemKind.Reference,
    "value": types.CompletionItemKind.EnumMember,
}


class SlaLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("slalint", __version__)
        self.live = None  # the LiveWorkspace, once initialized
        self.findings: dict[str, list[Finding]] = {}  # path -> its findings, for hover and code actions
        self.published: dict[str, list] = {}  # path -> what its last diagnostics said
        self._pending = None  # the check of every open file, waiting for a quiet moment
        self._index: Index | None = None
        self.warned_outside: set[str] = set()

    # Paths and positions.

    def path_of(self, uri: str) -> str | None:
        """The workspace path of a document, or None for one outside it (or not a file)."""
        if self.live is None or not isinstance(uri, str) or not uri.startswith("file:"):
            return None
        try:
            absolute = to_fs_path(uri)
        except (ValueError, TypeError):
            return None
        return self.live.path_of(absolute) if absolute else None

    def uri_of(self, path: str) -> str:
        return from_fs_path(self.live.absolute(path))

    def lines_of(self, path: str) -> list[str]:
        return (self.live.text(path) or "").split("\n")

    def range_of(self, span: Span) -> types.Range:
        """An LSP range (0-based, in the client's units) for a 1-based, end-exclusive span."""
        lines = self.lines_of(span.path)
        codec = self.workspace.position_codec
        start = types.Position(line=max(span.line - 1, 0), character=max(span.column - 1, 0))
        end = types.Position(line=max(span.end_line - 1, 0), character=max(span.end_column - 1, 0))
        return types.Range(codec.position_to_client_units(lines, start), codec.position_to_client_units(lines, end))

    def location_of(self, span: Span) -> types.Location:
        return types.Location(uri=self.uri_of(span.path), range=self.range_of(span))

    def place(self, uri: str, position: types.Position) -> tuple[str, int, int] | None:
        """(path, 1-based line, 1-based column in characters) of a position in a workspace file."""
        path = self.path_of(uri)
        if path is None or self.live.text(path) is None:
            return None
        lines = self.lines_of(path)
        if position.line >= len(lines):
            return None
        server = self.workspace.position_codec.position_from_client_units(lines, position)
        return path, server.line + 1, server.character + 1

    # Analysis.

    @property
    def index(self) -> Index | None:
        if self._index is None and self.live is not None and self.live.workspace is not None:
            self._index = Index(self.live.workspace)
        return self._index

    def publish(self, edited: str | None = None, linked: set[str] | None = None, closed: str | None = None) -> None:
        """Resolve the workspace and publish the diagnostics that changed: at once
        for the files linked to the one `edited` (`linked`: those linked before
        the edit), a moment later for every open file (a file can be judged
        against the whole workspace). The edited file's come last, always."""
        live = self.live
        live.resolve()
        self._index = None
        if edited is None:
            report = set(live.open)
        else:
            report = (live.linked_files(edited) | (linked or set())) & live.open | {edited}
            if report != live.open:
                self._later(self.publish_all)
        self.send(live.findings_for(report), edited)
        if closed is not None:
            self.findings.pop(closed, None)
            self.published.pop(closed, None)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=self.uri_of(closed), diagnostics=[])
            )

    def publish_all(self) -> None:
        """Every open file's diagnostics that changed since last published."""
        self._pending = None
        try:
            self.send(self.live.findings_for(set(self.live.open)), None)
        except Exception as error:  # off any request: log it, keep serving
            self.log(
                f"slalint: checking the open files failed: {type(error).__name__}: {error}", types.MessageType.Error
            )

    def send(self, found: dict[str, list[Finding]], edited: str | None) -> None:
        self.findings.update(found)
        for path in sorted(found, key=lambda path: path == edited):
            shown = [
                (f.code, f.message, f.severity, f.span.line, f.span.column, f.span.end_line, f.span.end_column)
                for f in found[path]
            ]
            if path != edited and self.published.get(path) == shown:
                continue
            self.published[path] = shown
            diagnostics = [self.diagnostic(finding) for finding in found[path]]
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=self.uri_of(path), diagnostics=diagnostics)
            )

    def _later(self, work) -> None:
        """Run `work` once the editor has been quiet for a moment (a newer edit postpones it)."""
        import asyncio

        if self._pending is not None:
            self._pending.cancel()
        self._pending = asyncio.get_running_loop().call_later(QUIET_SECONDS, work)

    def diagnostic(self, finding: Finding) -> types.Diagnostic:
        return types.Diagnostic(
            range=self.range_of(finding.span),
            message=finding.message,
            severity=_SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
            code=finding.code,
            source="slalint",
        )

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def tell(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))


def _guarded(default=None):
    """A handler that never stops the server: on any error it logs the error and answers `default`."""

    def wrap(handler):
        @functools.wraps(handler)
        def guarded(server: SlaLanguageServer, params):
            try:
                return handler(server, params)
            except Exception as error:  # a bug must cost one answer, not the editor's session
                failure = f"slalint: {handler.__name__} failed: {type(error).__name__}: {error}"
                server.log(failure, types.MessageType.Error)
                if os.environ.get("SLALINT_DEBUG"):
                    raise
                return default

        return guarded

    return wrap


server = SlaLanguageServer()


@server.feature(types.INITIALIZE)
@_guarded()
def initialize(ls: SlaLanguageServer, params: types.InitializeParams) -> None:
    from ..config.load import load_settings
    from ..config.settings import ConfigError
    from ..policy.loader import PolicyError
    from .live import LiveWorkspace

    folder = _folder_of(params)
    try:
        settings = load_settings(paths=[folder])
    except ConfigError as error:
        ls.tell(f"slalint: {error}; the default settings apply until it is fixed", types.MessageType.Error)
        settings = None
    root = (settings.root if settings is not None else None) or folder
    os.chdir(root)  # paths relative to the root, as `slalint check` run there shows them
    try:
        ls.live = LiveWorkspace(root, settings)
    except (ConfigError, PolicyError) as error:
        ls.tell(f"slalint: {error}; the built-in rules apply until it is fixed", types.MessageType.Error)
        ls.live = LiveWorkspace(root)
    ls.live.load()
    # The parsed workspace lives as long as the server: keep the collector from
    # walking it again and again, which once in a few dozen edits took 100 ms.
    gc.freeze()
    ls.log(f"slalint {__version__}: workspace {root}, {len(ls.live.parsed)} file(s)")


def _folder_of(params: types.InitializeParams) -> str:
    """The folder the editor opened: the first workspace folder, else the root URI, else the current directory."""
    uris = [folder.uri for folder in params.workspace_folders or []] + [params.root_uri or ""]
    for uri in uris:
        if uri.startswith("file:"):
            path = to_fs_path(uri)
            if path and os.path.isdir(path):
                return os.path.abspath(path)
    if params.root_path and os.path.isdir(params.root_path):
        return os.path.abspath(params.root_path)
    return os.getcwd()


def _document(ls: SlaLanguageServer, uri: str) -> tuple[str, str] | None:
    """(path, the editor's text) of an open document of the workspace; None, with
    a message once, for one outside it."""
    path = ls.path_of(uri)
    if path is None:
        if ls.live is not None and uri not in ls.warned_outside:
            ls.warned_outside.add(uri)
            ls.log(f"slalint: {uri} is not a file of the workspace {ls.live.root}; it is not checked")
        return None
    document = ls.workspace.text_documents.get(unquote(uri))  # pygls keeps them by the unquoted URI
    return (path, document.source) if document is not None else None


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@_guarded()
def did_open(ls: SlaLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    found = _document(ls, params.text_document.uri)
    if found is not None:
        ls.live.edit(*found)
        ls.publish(edited=found[0])


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@_guarded()
def did_change(ls: SlaLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    found = _document(ls, params.text_document.uri)
    if found is not None:
        linked = ls.live.linked_files(found[0])  # as the file was: what it linked to may change too
        ls.live.edit(*found)
        ls.publish(edited=found[0], linked=linked)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@_guarded()
def did_close(ls: SlaLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    path = ls.path_of(params.text_document.uri)
    if path is not None and path in ls.live.open:
        ls.live.close(path)
        ls.publish(closed=path)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@_guarded()
def did_change_watched_files(ls: SlaLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
    paths = [path for change in params.changes if (path := ls.path_of(change.uri))]
    changed = [path for path in paths if path.endswith(".sla")]
    for path in changed:
        ls.live.saved_on_disk(path)
    # An SLO file is read again by the next analysis: one that changed may change the SL70x findings.
    if changed or any(path.endswith((".yaml", ".yml")) for path in paths):
        ls.publish()


@server.feature(types.TEXT_DOCUMENT_HOVER)
@_guarded()
def hover(ls: SlaLanguageServer, params: types.HoverParams) -> types.Hover | None:
    place = ls.place(params.text_document.uri, params.position)
    if place is None or ls.index is None:
        return None
    text = answers.hover(ls.live, ls.index, ls.findings.get(place[0], []), *place)
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@_guarded()
def definition(ls: SlaLanguageServer, params: types.DefinitionParams) -> types.Location | None:
    place = ls.place(params.text_document.uri, params.position)
    if place is None or ls.index is None:
        return None
    span = answers.definition(ls.index, *place)
    return ls.location_of(span) if span is not None else None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@_guarded(default=[])
def references(ls: SlaLanguageServer, params: types.ReferenceParams) -> list[types.Location]:
    place = ls.place(params.text_document.uri, params.position)
    if place is None or ls.index is None:
        return []
    spans = answers.references(ls.index, *place, params.context.include_declaration)
    return [ls.location_of(span) for span in spans]


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " ", "."]))
@_guarded(default=[])
def completion(ls: SlaLanguageServer, params: types.CompletionParams) -> list[types.CompletionItem]:
    place = ls.place(params.text_document.uri, params.position)
    if place is None:
        return []
    path, line, column = place
    items = answers.completions(ls.live, ls.live.text(path) or "", line, column)
    return [
        types.CompletionItem(
            label=item.label,
            kind=_COMPLETION_KINDS.get(item.kind),
            detail=item.detail or None,
            documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=item.documentation)
            if item.documentation
            else None,
        )
        for item in items
    ]


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@_guarded(default=[])
def document_symbol(ls: SlaLanguageServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    path = ls.path_of(params.text_document.uri)
    if path is None or ls.index is None or ls.live.text(path) is None:
        return []

    def convert(symbol: answers.Symbol) -> types.DocumentSymbol:
        return types.DocumentSymbol(
            name=symbol.name,
            detail=symbol.detail or None,
            kind=_SYMBOL_KINDS[symbol.kind],
            range=ls.range_of(symbol.span),
            selection_range=ls.range_of(symbol.selection),
            children=[convert(child) for child in symbol.children],
        )

    return [convert(symbol) for symbol in answers.symbols(ls.index, ls.live.text(path), path)]


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
@_guarded(default=[])
def formatting(ls: SlaLanguageServer, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
    """The whole document in `slalint fmt`'s layout, as one edit (none when it already is)."""
    path = ls.path_of(params.text_document.uri)
    text = ls.live.text(path) if path is not None else None
    if text is None:
        return []
    layout, problem = answers.formatted(text, path)
    if problem is not None:
        ls.tell(f"slalint: {problem}")
        return []
    if layout == text:
        return []
    lines = ls.lines_of(path)
    end = Span(path, len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 1)
    return [types.TextEdit(range=ls.range_of(Span(path, 1, 1, end.line, end.column)), new_text=layout)]


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])
)
@_guarded(default=[])
def code_action(ls: SlaLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """A quick fix for each finding with a fix in the range (the fixes of `check --fix`)."""
    path = ls.path_of(params.text_document.uri)
    if path is None:
        return []
    first, last = params.range.start.line + 1, params.range.end.line + 1
    actions = []
    for title, finding in answers.fixes_between(ls.findings.get(path, []), first, last):
        edits = [
            types.TextEdit(
                range=ls.range_of(Span(path, edit.line, edit.column, edit.end_line, edit.end_column)),
                new_text=edit.text,
            )
            for edit in finding.fix.edits
        ]
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[ls.diagnostic(finding)],
                edit=types.WorkspaceEdit(changes={params.text_document.uri: edits}),
                is_preferred=finding.fix.safe,
            )
        )
    return actions


def serve() -> int:
    """Serve over standard input and output until the editor says exit."""
    server.start_io()
    return 0
