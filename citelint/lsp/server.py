"""The language server: the CLI's engine and configuration, answering an editor.

Each open document is linted with the configuration closest to its file, exactly as
``citelint FILE`` would lint it, so the editor and CI agree. Linting runs in a worker process
(``citelint.lsp.worker``), never on the event loop: the server keeps answering while a long
article is analysed, a change arriving meanwhile is linted after it (changes are debounced), and
the per-file budgets hold as on the command line. A finding becomes an LSP
diagnostic with its rule's documentation and its confidence; hover explains the rule and the
verdict; code actions add a suppression with a reason, remove an unused one, and
``source.fixAll.citelint`` applies the safe fixes (see ``citelint.fixes``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from citelint import __version__, fixes, resources
from citelint.analysis.registry import RegistryError
from citelint.analysis.scoring import ModelError
from citelint.config import CONFIG_NAMES, ConfigError
from citelint.diagnostics import Diagnostic
from citelint.lexicons import LexiconError
from citelint.lsp import worker
from citelint.lsp.positions import PositionMap
from citelint.lsp.worker import UNLINKED_SOURCE, Linted
from citelint.ruleset import Rule, RuleError, RuleIndex, load_rules
from citelint.subcommands import explain

#: Time to wait after a keystroke before linting: a burst of typing is linted once.
DEBOUNCE_SECONDS = 0.3
FIX_ALL_KIND = "source.fixAll.citelint"
LINT_WORKSPACE = "citelint.lintWorkspace"
#: The placeholder a suppression's reason starts as; the editor selects it for the writer to type over.
REASON_PLACEHOLDER = "reason"
#: Files whose change means the configuration must be read again.
CONFIG_FILES = (*CONFIG_NAMES, "pyproject.toml")
_SEVERITIES = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
               "info": types.DiagnosticSeverity.Information}
_SETUP_ERRORS = (ConfigError, LexiconError, ModelError, RegistryError, RuleError)
_NOT_SUPPRESSED = (fixes.UNUSED_SUPPRESSION, "bad-suppression")
_T = TypeVar("_T")
logger = logging.getLogger(__name__)


class CitelintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("citelint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.root = Path.cwd()
        #: the shipped rules: they do not change when a configuration does
        self.index = RuleIndex(load_rules())
        #: one process, so edits are linted in order; made when first needed (the root is known then)
        self._worker: ProcessPoolExecutor | None = None
        self._linted: dict[str, Linted] = {}
        self._pending: dict[str, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task] = set()
        self._shown_errors: set[str] = set()

    # -- linting (in the lint process) ---------------------------------------------------

    def lint_process(self) -> ProcessPoolExecutor:
        if self._worker is None:
            # spawn, not fork: the server has threads of its own, which a fork would copy mid-work
            self._worker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                               initializer=worker.start, initargs=(str(self.root),))
        return self._worker

    def stop_worker(self) -> None:
        if self._worker is not None:
            self._worker.shutdown(wait=False, cancel_futures=True)
            self._worker = None

    def reload(self) -> None:
        """Read the configuration again (it changed on disk) and lint the open documents again."""
        self.stop_worker()
        self._shown_errors.clear()
        for document in list(self.workspace.text_documents.values()):
            self.forget(document.uri)
            self.schedule(document.uri, 0)

    async def in_worker(self, work: Callable[..., _T], *args: Any) -> _T | None:
        """Run ``work`` in the lint process; a configuration error is shown, never raised, and a
        process the kernel stopped (over its CPU or memory budget) is replaced."""
        try:
            return await asyncio.get_running_loop().run_in_executor(self.lint_process(), work, *args)
        except BrokenProcessPool:
            self.stop_worker()
            self.show_once("citelint: the analysis was stopped (over its time or memory budget)",
                           types.MessageType.Warning)
        except _SETUP_ERRORS as error:
            self.show_once(f"citelint: {error}", types.MessageType.Error)
        except Exception as error:  # a bug must not take the writer's editor session down
            logger.exception("citelint could not lint")
            self.show_once(f"citelint: internal error: {type(error).__name__}: {error} (please report it)",
                           types.MessageType.Error)
        return None

    def show_once(self, message: str, kind: types.MessageType) -> None:
        if message not in self._shown_errors:
            self._shown_errors.add(message)
            self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    # -- documents ----------------------------------------------------------------------

    def open_document(self, uri: str):
        return self.workspace.text_documents.get(unquote(uri))

    def schedule(self, uri: str, delay: float) -> None:
        """Lint ``uri`` after ``delay`` seconds, replacing a lint already waiting for it."""
        self.cancel(uri)
        loop = asyncio.get_running_loop()

        def start() -> None:
            self._pending.pop(uri, None)
            task = loop.create_task(self.publish(uri))
            self._tasks.add(task)  # held until done: the loop keeps only a weak reference
            task.add_done_callback(self._tasks.discard)

        self._pending[uri] = loop.call_later(delay, start)

    def cancel(self, uri: str) -> None:
        waiting = self._pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()

    def forget(self, uri: str) -> None:
        self.cancel(uri)
        self._linted.pop(uri, None)

    async def current(self, uri: str) -> Linted | None:
        """The findings for the document's text as it is now (linted again if it changed); None
        when it is not open, cannot be linted, or changed while it was being linted."""
        document = self.open_document(uri)
        if document is None:
            return None
        linted = self._linted.get(uri)
        if linted is None or linted.text != document.source:
            linted = await self.in_worker(worker.lint, uri, document.source, document.language_id or "",
                                          _encoding(self))
        if linted is None or self.open_document(uri) is not document or document.source != linted.text:
            return None
        self._linted[uri] = linted
        return linted

    async def publish(self, uri: str) -> None:
        linted = await self.current(uri)
        document = self.open_document(uri)
        if linted is None or document is None:
            return  # closed, or changed meanwhile: the change has its own lint scheduled
        if linted.notice:
            self.show_once(linted.notice, types.MessageType.Warning)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version,
            diagnostics=[self.to_lsp(d, linted.positions) for d in linted.diagnostics]))

    def to_lsp(self, diagnostic: Diagnostic, positions: PositionMap) -> types.Diagnostic:
        rule = self.index.get(diagnostic.code)
        return types.Diagnostic(
            range=_range(positions, diagnostic.offset, diagnostic.end_offset),
            severity=_SEVERITIES[diagnostic.severity],
            code=diagnostic.code,
            code_description=types.CodeDescription(href=docs_uri(rule)) if rule is not None else None,
            source="citelint",
            message=f"{diagnostic.message} [{diagnostic.rule}]",
            data={"rule": diagnostic.rule, "confidence": diagnostic.confidence, "reason": diagnostic.reason,
                  "fingerprint": diagnostic.fingerprint},
        )

    # -- hover and code actions -----------------------------------------------------------

    def hover(self, linted: Linted, found: list[Diagnostic], sentence: str) -> types.Hover:
        """The findings under the cursor: each rule's explanation and verdict, then what
        ``citelint inspect`` says about the sentence."""
        parts = []
        for diagnostic in found:
            rule = self.index.get(diagnostic.code)
            head = f"**{diagnostic.code} {diagnostic.rule}** ({diagnostic.severity}, confidence {diagnostic.confidence:.2f})"
            verdict = f"\n\nVerdict: {diagnostic.reason}" if diagnostic.reason else ""
            explanation = f"\n\n```text\n{explain(rule)}\n```" if rule is not None else ""
            parts.append(f"{head}\n\n{diagnostic.message}{verdict}{explanation}")
        if sentence:
            parts.append(f"What `citelint inspect` says about this sentence:\n\n```text\n{sentence}\n```")
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
            range=_range(linted.positions, found[0].offset, found[0].end_offset),
        )

    def code_actions(self, uri: str, version: int | None, linted: Linted,
                     params: types.CodeActionParams) -> list[types.CodeAction]:
        wanted = params.context.only
        start = linted.positions.offset(params.range.start.line, params.range.start.character)
        end = linted.positions.offset(params.range.end.line, params.range.end.character)
        actions: list[types.CodeAction] = []
        if _wants(wanted, types.CodeActionKind.QuickFix):
            offered: set[tuple[str, str]] = set()  # two findings of one rule on a line need one suppression
            for diagnostic in linted.at(start, end):
                for action in self._quick_fixes(uri, version, linted, diagnostic):
                    if (action.title, repr(action.edit)) not in offered:
                        offered.add((action.title, repr(action.edit)))
                        actions.append(action)
        if _wants(wanted, FIX_ALL_KIND):
            safe = fixes.safe_edits(linted.text, linted.diagnostics, linted.fmt, linted.moved)
            if safe:
                actions.append(types.CodeAction(
                    title="citelint: fix all safe findings",
                    kind=FIX_ALL_KIND,
                    edit=self._workspace_edit(uri, version, linted, [edit for _, edit in safe]),
                ))
        return actions

    def _quick_fixes(self, uri: str, version: int | None, linted: Linted,
                     diagnostic: Diagnostic) -> list[types.CodeAction]:
        lsp_diagnostic = [self.to_lsp(diagnostic, linted.positions)]
        removal = fixes.removal(linted.text, diagnostic, linted.fmt)
        if removal is not None:
            return [types.CodeAction(title="Remove the unused suppression", kind=types.CodeActionKind.QuickFix,
                                     diagnostics=lsp_diagnostic, is_preferred=True,
                                     edit=self._workspace_edit(uri, version, linted, [removal]))]
        if diagnostic.rule in _NOT_SUPPRESSED:
            return []
        actions = []
        in_script = fixes.inside_script(linted.text, linted.fmt, diagnostic.offset)
        site = linted.sites.get(diagnostic.offset) if diagnostic.rule == UNLINKED_SOURCE and not in_script else None
        if site is not None:
            edit = fixes.link_to_site(linted.text, linted.fmt, diagnostic, site)
            actions.append(types.CodeAction(
                title=f"Link to {site} (unsafe: better, link the statement or report itself)",
                kind=types.CodeActionKind.QuickFix, diagnostics=lsp_diagnostic,
                edit=self._workspace_edit(uri, version, linted, [edit])))
        moved = fixes.redirect(linted.text, diagnostic, linted.moved)
        if moved is not None:
            edit, safe = moved
            caution = "" if safe else " (unsafe: check it is the same page)"
            actions.append(types.CodeAction(title=f"Replace with the redirect target {edit.text}{caution}",
                                            kind=types.CodeActionKind.QuickFix, diagnostics=lsp_diagnostic,
                                            is_preferred=safe, edit=self._workspace_edit(uri, version, linted, [edit])))
        offered = [] if in_script else [
            ("on this line", fixes.suppress_line(linted.text, linted.fmt, diagnostic, REASON_PLACEHOLDER))]
        offered.append(("in this file",
                        fixes.suppress_file(linted.text, diagnostic.rule, REASON_PLACEHOLDER, linted.fmt)))
        for where, (edit, reason_at) in offered:
            actions.append(types.CodeAction(
                title=f"Suppress {diagnostic.rule} {where} (with a reason)",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=lsp_diagnostic,
                edit=self._workspace_edit(uri, version, linted, [edit], placeholder_at=reason_at - edit.offset),
            ))
        return actions

    def _workspace_edit(self, uri: str, version: int | None, linted: Linted, edits: list[fixes.Edit],
                        placeholder_at: int | None = None) -> types.WorkspaceEdit:
        """The edits for the editor. With ``placeholder_at`` (where the placeholder reason starts
        in the one edit's text), an editor that takes snippet edits selects the reason for the
        writer to type over; others insert it as plain text."""
        capabilities = self.client_capabilities.workspace
        editing = capabilities.workspace_edit if capabilities else None
        versioned = bool(editing and editing.document_changes)
        text_edits: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = []
        for edit in edits:
            where = _range(linted.positions, edit.offset, edit.end_offset)
            if placeholder_at is not None and versioned and editing and editing.snippet_edit_support:
                snippet = (_snippet_text(edit.text[:placeholder_at]) + "${1:" + REASON_PLACEHOLDER + "}"
                           + _snippet_text(edit.text[placeholder_at + len(REASON_PLACEHOLDER) :]))
                text_edits.append(types.SnippetTextEdit(range=where, snippet=types.StringValue(value=snippet)))
            else:
                text_edits.append(types.TextEdit(range=where, new_text=edit.text))
        if versioned:  # the editor refuses the edit if the document changed since
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                edits=text_edits)])
        return types.WorkspaceEdit(changes={uri: [edit for edit in text_edits if isinstance(edit, types.TextEdit)]})


def _encoding(server: LanguageServer) -> str:
    encoding = server.workspace.position_encoding
    return str(getattr(encoding, "value", encoding) or "utf-16")


def _range(positions: PositionMap, offset: int, end_offset: int) -> types.Range:
    start, end = positions.position(offset), positions.position(end_offset)
    return types.Range(start=types.Position(*start), end=types.Position(*end))


def _snippet_text(text: str) -> str:
    """``text`` as literal snippet text: ``$``, ``}`` and ``\\`` escaped."""
    return re.sub(r"([$}\\])", r"\\\1", text)


def _wants(only: Sequence[str] | None, kind: str) -> bool:
    """Whether the client asked for ``kind``: kinds are hierarchical (``source`` covers
    ``source.fixAll.citelint``), and no ``only`` means every kind."""
    return only is None or any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def docs_uri(rule: Rule) -> str:
    """Where the rule is explained: docs/rules.md in a checkout, else the rule's own YAML (its
    description, rationale and examples), which every installation ships."""
    rules_md = resources.rules_dir().parent / "docs" / "rules.md"
    if rules_md.is_file():
        return rules_md.as_uri() + "#" + rule.name
    return Path(rule.path).as_uri()


def build_server() -> CitelintServer:
    server = CitelintServer()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: CitelintServer, params: None) -> None:
        ls.stop_worker()

    @server.feature(types.INITIALIZE)
    def initialize(ls: CitelintServer, params: types.InitializeParams) -> None:
        root = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
        folder = worker.path_of(root) if root else None
        if folder is not None:
            ls.root = folder

    @server.feature(types.INITIALIZED)
    def initialized(ls: CitelintServer, params: types.InitializedParams) -> None:
        workspace = ls.client_capabilities.workspace
        watching = workspace and workspace.did_change_watched_files
        if watching and watching.dynamic_registration:
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
            ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="citelint-config", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CitelintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CitelintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CitelintServer, params: types.DidSaveTextDocumentParams) -> None:
        if Path(unquote(urlsplit(params.text_document.uri).path)).name in CONFIG_FILES:
            ls.reload()
        else:
            ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CitelintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.forget(uri)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: CitelintServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.reload()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: CitelintServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        linted = await ls.current(uri)
        if linted is None:
            return None
        offset = linted.positions.offset(params.position.line, params.position.character)
        found = [d for d in linted.diagnostics if d.offset <= offset <= d.end_offset]
        if not found:
            return None
        sentence = await ls.in_worker(worker.sentence_at, uri, linted, found[0].offset)
        return ls.hover(linted, found, sentence or "")

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]))
    async def code_action(ls: CitelintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        linted = await ls.current(uri)
        document = ls.open_document(uri)
        if document is None or linted is None:
            return None
        return ls.code_actions(uri, document.version, linted, params) or None

    @server.command(LINT_WORKSPACE)
    async def lint_workspace(ls: CitelintServer) -> int:
        """Publish the findings of every file in the workspace; returns how many files were linted."""
        results = await ls.in_worker(worker.lint_files, _encoding(ls), set(ls.workspace.text_documents)) or []
        for uri, linted in results:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=[ls.to_lsp(d, linted.positions) for d in linted.diagnostics]))
        return len(results)

    return server
