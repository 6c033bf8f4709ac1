"""``citelint server``, driven over stdio by a real LSP client (pytest-lsp), as an editor would."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

pytest.importorskip("pygls", reason="the language server's extra (citelint-provenance[server]) is not installed")
pytest.importorskip("pytest_lsp", reason="pytest-lsp (in the test extra) is not installed")
import pytest_lsp  # noqa: E402
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

from citelint import fixes  # noqa: E402
from citelint.links.cache import LinkCache  # noqa: E402
from citelint.links.model import DEAD, REDIRECTED, LinkResult  # noqa: E402
from citelint.lsp.positions import PositionMap  # noqa: E402
from tests.conftest import SEED, needs_shared  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (
    "# Budget plans 🎉\n"
    "\n"
    "The council 🎉 spent £4m on the scheme last year, officials say.\n"
    "\n"
    "Experts believe the 🎉 plan will fail. <!-- citelint-disable-line unsourced-figure -- checked -->\n"
)
SERVER = [sys.executable, "-m", "citelint", "server"]
#: how long to wait for a notification before calling the server stuck (not a speed test)
PATIENCE_SECONDS = 60


@pytest.fixture
def workspace(tmp_path) -> Path:
    (tmp_path / ".citelint.yaml").write_text("preset: default\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def snippet_edits() -> bool:
    """Whether the client takes snippet edits (LSP 3.18); a test may parametrize it."""
    return False


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, workspace: Path, snippet_edits: bool):
    lsp_client.registrations = []  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    capabilities = client_capabilities("visual-studio-code")
    assert capabilities.workspace and capabilities.workspace.workspace_edit
    capabilities.workspace.workspace_edit.snippet_edit_support = snippet_edits
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities, root_uri=workspace.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="articles")]))
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    path.write_text(text, encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="markdown", version=1, text=text)))
    return await _diagnostics(client, path.as_uri(), 1)


async def _diagnostics(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    """The diagnostics published for ``version`` of ``uri`` (skipping any for another)."""
    while True:  # a server that never publishes them fails the test instead of hanging it
        params = await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS),
                                        PATIENCE_SECONDS)
        if params.uri == uri and params.version == version:
            return list(params.diagnostics)


def _change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


def _cli(path: Path, cwd: Path) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "citelint", path.relative_to(cwd).as_posix(), "--format", "json"], cwd=cwd,
                            capture_output=True, text=True, check=False)
    return json.loads(result.stdout)["diagnostics"]


def _applied(text: str, edit: types.WorkspaceEdit) -> str:
    """``text`` with the code action's edits applied, as the editor would."""
    assert edit.document_changes is not None
    positions = PositionMap(text)
    changes = [change for document in edit.document_changes for change in document.edits]  # type: ignore[union-attr]
    return fixes.apply_edits(text, [fixes.Edit(positions.offset(c.range.start.line, c.range.start.character),
                                               positions.offset(c.range.end.line, c.range.end.character), _new_text(c))
                                    for c in changes])


def _new_text(change) -> str:
    """What an edit inserts; a snippet's placeholder as its default text, as an editor would."""
    if isinstance(change, types.SnippetTextEdit):
        return re.sub(r"\\(.)", r"\1", re.sub(r"\$\{1:([^}]*)\}", r"\1", change.snippet.value))
    return change.new_text


def _lsp_range(positions: PositionMap, finding: dict) -> tuple[int, int, int, int]:
    return (*positions.position(finding["offset"]), *positions.position(finding["end_offset"]))


def _same_as_cli(diagnostics: list[types.Diagnostic], text: str, cli: list[dict]) -> None:
    positions = PositionMap(text)
    got = sorted((d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character,
                  d.message) for d in diagnostics)
    expected = sorted((f["code"], *_lsp_range(positions, f), f"{f['message']} [{f['rule']}]") for f in cli)
    assert got == expected


@pytest.mark.asyncio
async def test_diagnostics_are_what_the_cli_reports(client: LanguageClient, workspace: Path):
    path = workspace / "budget.md"
    diagnostics = await _open(client, path, ARTICLE)
    _same_as_cli(diagnostics, ARTICLE, _cli(path, workspace))
    figure = next(d for d in diagnostics if d.data["rule"] == "unsourced-figure")
    # "£4m" after an emoji: UTF-16 counts the emoji as two units, so £ is at 21, not 20
    assert (figure.range.start.line, figure.range.start.character, figure.range.end.character) == (2, 21, 24)
    assert figure.code_description is not None and figure.code_description.href.startswith("file://")
    assert 0 < figure.data["confidence"] <= 1
    assert figure.source == "citelint" and figure.severity == types.DiagnosticSeverity.Warning


@needs_shared
@pytest.mark.asyncio
async def test_the_seed_article_gets_the_cli_diagnostics(client: LanguageClient, workspace: Path):
    text = SEED.read_text(encoding="utf-8")
    path = workspace / "seed.txt"
    path.write_text(text, encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="plaintext", version=1, text=text)))
    diagnostics = await _diagnostics(client, path.as_uri(), 1)
    cli = _cli(path, workspace)
    assert cli
    _same_as_cli(diagnostics, text, cli)


@pytest.mark.asyncio
async def test_a_change_is_linted_again(client: LanguageClient, workspace: Path):
    path = workspace / "budget.md"
    uri = path.as_uri()
    await _open(client, path, ARTICLE)
    half_typed = "# Bud\n\nThe council spent £4m, officials [say](http://exa <!-- citelint-disable-next-line vag"
    _change(client, uri, 2, half_typed)
    assert "unsourced-figure" in {d.data["rule"] for d in await _diagnostics(client, uri, 2)}
    _change(client, uri, 3, "The mayor opened")  # a burst of typing: only the last text is linted
    _change(client, uri, 4, "The mayor opened the bridge.\n")
    assert await _diagnostics(client, uri, 4) == []


@pytest.mark.asyncio
async def test_an_excluded_file_gets_no_diagnostics_as_on_the_command_line(client: LanguageClient, workspace: Path):
    (workspace / ".citelint.yaml").write_text("exclude: [drafts]\n", encoding="utf-8")
    (workspace / "drafts").mkdir()
    path = workspace / "drafts" / "budget.md"
    assert await _open(client, path, ARTICLE) == []
    assert _cli(path, workspace) == []


@pytest.mark.asyncio
async def test_an_unsaved_document_is_linted_by_its_language(client: LanguageClient):
    uri = "untitled:Untitled-1"
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text="---\ntitle: [\n---\nOfficials say the plan <a href=")))
    diagnostics = await _diagnostics(client, uri, 1)
    assert "vague-attribution" in {d.data["rule"] for d in diagnostics}


@pytest.mark.asyncio
async def test_the_time_budget_holds_in_the_editor_as_on_the_command_line(client: LanguageClient, workspace: Path):
    """The lint process runs the analysis where the budget's timer can stop it (a thread could not)."""
    (workspace / ".citelint.yaml").write_text("max-seconds-per-file: 0.000001\n", encoding="utf-8")
    path = workspace / "budget.md"
    diagnostics = await _open(client, path, ARTICLE)
    assert [d.data["rule"] for d in diagnostics] == ["analysis-budget-exceeded"]
    _same_as_cli(diagnostics, ARTICLE, _cli(path, workspace))


def _lint_process(server_pid: int) -> int:
    """The pid of the server's lint process (Linux: read from /proc)."""
    for pid in Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split():
        if "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text():
            return int(pid)
    raise AssertionError("the server has no lint process")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the lint process through Linux's /proc")
@pytest.mark.asyncio
async def test_a_lint_process_that_dies_is_replaced(client: LanguageClient, workspace: Path):
    path = workspace / "budget.md"
    uri = path.as_uri()
    await _open(client, path, ARTICLE)
    assert client._server is not None
    os.kill(_lint_process(client._server.pid), signal.SIGKILL)  # as the kernel does past the CPU limit
    _change(client, uri, 2, ARTICLE + "\nMore text.\n")
    shown = await asyncio.wait_for(client.wait_for_notification(types.WINDOW_SHOW_MESSAGE), PATIENCE_SECONDS)
    assert "over its time or memory budget" in shown.message
    _change(client, uri, 3, ARTICLE)
    _same_as_cli(await _diagnostics(client, uri, 3), ARTICLE, _cli(path, workspace))


@pytest.mark.asyncio
async def test_hover_explains_the_rule_and_the_verdict(client: LanguageClient, workspace: Path):
    path = workspace / "budget.md"
    diagnostics = await _open(client, path, ARTICLE)
    vague = next(d for d in diagnostics if d.data["rule"] == "vague-attribution")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=vague.range.start))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "CIT102 vague-attribution" in hover.contents.value
    assert "Why: " in hover.contents.value  # the rule's explanation, as `citelint rule` prints it
    assert f"Verdict: {vague.data['reason']}" in hover.contents.value
    # and what `citelint inspect` says about the sentence: its attribution and verdict
    assert "What `citelint inspect` says about this sentence:" in hover.contents.value
    assert "attribution: vague source «officials»" in hover.contents.value
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=types.Position(0, 2)))
    assert nothing is None


async def _actions(client: LanguageClient, uri: str, at: types.Range, only=None) -> list[types.CodeAction]:
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=at,
        context=types.CodeActionContext(diagnostics=[], only=only)))
    return [action for action in actions or [] if isinstance(action, types.CodeAction)]


@pytest.mark.parametrize("snippet_edits", [False, True], ids=["plain-edit", "snippet-edit"])
@pytest.mark.asyncio
async def test_suppress_with_a_reason_makes_the_finding_go(client: LanguageClient, workspace: Path, snippet_edits):
    path = workspace / "budget.md"
    uri = path.as_uri()
    diagnostics = await _open(client, path, ARTICLE)
    vague = next(d for d in diagnostics if d.data["rule"] == "vague-attribution")
    actions = await _actions(client, uri, vague.range)
    suppress = next(a for a in actions if a.title == "Suppress vague-attribution on this line (with a reason)")
    assert suppress.edit is not None and suppress.edit.document_changes
    inserted = suppress.edit.document_changes[0].edits[0]  # type: ignore[union-attr]
    if snippet_edits:  # the editor selects the placeholder reason for the writer to type over
        assert isinstance(inserted, types.SnippetTextEdit)
        assert "-- ${1:reason} --" in inserted.snippet.value
    else:
        assert isinstance(inserted, types.TextEdit)
    edited = _applied(ARTICLE, suppress.edit)
    assert "<!-- citelint-disable-line vague-attribution -- reason -->" in edited
    _change(client, uri, 2, edited)
    after = await _diagnostics(client, uri, 2)
    rules = [d.data["rule"] for d in after]
    assert rules.count("vague-attribution") == sum(d.data["rule"] == "vague-attribution" for d in diagnostics) - 1
    assert len(after) == len(diagnostics) - 1


@pytest.mark.asyncio
async def test_two_findings_of_a_rule_on_a_line_are_offered_one_suppression(client: LanguageClient, workspace: Path):
    text = "Officials say the plan failed, and experts believe it will fail again.\n"
    path = workspace / "plan.md"
    diagnostics = await _open(client, path, text)
    assert [d.data["rule"] for d in diagnostics] == ["vague-attribution", "vague-attribution"]
    line = types.Range(start=types.Position(0, 0), end=types.Position(0, len(text) - 1))
    titles = [a.title for a in await _actions(client, path.as_uri(), line, only=[types.CodeActionKind.QuickFix])]
    assert titles == ["Suppress vague-attribution on this line (with a reason)",
                      "Suppress vague-attribution in this file (with a reason)"]


@pytest.mark.asyncio
async def test_fix_all_removes_an_unused_suppression(client: LanguageClient, workspace: Path):
    path = workspace / "budget.md"
    uri = path.as_uri()
    diagnostics = await _open(client, path, ARTICLE)
    assert "unused-suppression" in [d.data["rule"] for d in diagnostics]
    whole = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
    actions = await _actions(client, uri, whole, only=[types.CodeActionKind.SourceFixAll])
    assert [a.kind for a in actions] == ["source.fixAll.citelint"]
    assert actions[0].edit is not None
    edited = _applied(ARTICLE, actions[0].edit)
    assert "citelint-disable" not in edited
    _change(client, uri, 2, edited)
    after = await _diagnostics(client, uri, 2)
    assert sorted(d.code for d in after) == sorted(d.code for d in diagnostics if d.data["rule"] != "unused-suppression")


def _cache_redirects(workspace: Path) -> str:
    """A link cache, as an earlier ``--check-links`` left it, for the workspace's configuration to
    name; returns an article citing a link it knows moved permanently, and one it knows is dead."""
    cache = LinkCache(workspace / "link-cache", ttl=3600)
    old, new, gone = "https://example.org/old", "https://example.org/new", "https://example.org/gone"
    cache.put(old, LinkResult(old, REDIRECTED, 200, new, ((301, new),), f"moved permanently to {new}", True, None, False),
              public=True)
    cache.put(gone, LinkResult(gone, DEAD, 404, gone, (), "HTTP 404", False, None, False), public=True)
    cache.save()
    (workspace / ".citelint.yaml").write_text(f"links: {{cache-dir: {workspace / 'link-cache'}}}\n", encoding="utf-8")
    return ARTICLE + f"\nSee [the plan]({old}) and [the audit]({gone}).\n"


@pytest.mark.asyncio
async def test_fix_all_replaces_a_cached_redirect_and_removes_an_unused_suppression(client: LanguageClient,
                                                                                      workspace: Path):
    text = _cache_redirects(workspace)
    path = workspace / "budget.md"
    uri = path.as_uri()
    diagnostics = await _open(client, path, text)
    rules = [d.data["rule"] for d in diagnostics]
    assert "redirected-link" in rules and "unused-suppression" in rules
    assert "dead-link" not in rules  # only what the cache says of redirects: no link state is reported from it
    moved = next(d for d in diagnostics if d.data["rule"] == "redirected-link")
    quick = await _actions(client, uri, moved.range, only=[types.CodeActionKind.QuickFix])
    assert quick[0].title == "Replace with the redirect target https://example.org/new" and quick[0].is_preferred
    whole = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
    fix_all = await _actions(client, uri, whole, only=["source.fixAll.citelint"])
    assert fix_all[0].edit is not None
    edited = _applied(text, fix_all[0].edit)
    assert "[the plan](https://example.org/new)" in edited and "citelint-disable" not in edited
    _change(client, uri, 2, edited)
    after = await _diagnostics(client, uri, 2)
    assert sorted(d.code for d in after) == sorted(
        d.code for d in diagnostics if d.data["rule"] not in ("unused-suppression", "redirected-link"))


@pytest.mark.asyncio
async def test_an_unlinked_source_can_be_linked_to_its_site_as_an_unsafe_fix(client: LanguageClient, workspace: Path):
    text = "According to Amnesty International, the prisons are full.\n"
    path = workspace / "prisons.md"
    diagnostics = await _open(client, path, text)
    unlinked = next(d for d in diagnostics if d.data["rule"] == "unlinked-source")
    actions = await _actions(client, path.as_uri(), unlinked.range, only=[types.CodeActionKind.QuickFix])
    link = next(a for a in actions if a.title.startswith("Link to amnesty.org (unsafe"))
    assert not link.is_preferred and link.edit is not None
    edited = _applied(text, link.edit)
    assert edited == "According to [Amnesty International](https://amnesty.org/), the prisons are full.\n"
    _change(client, path.as_uri(), 2, edited)
    assert "unlinked-source" not in {d.data["rule"] for d in await _diagnostics(client, path.as_uri(), 2)}
    whole = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
    assert await _actions(client, path.as_uri(), whole, only=["source.fixAll.citelint"]) == []  # never a safe fix


@pytest.mark.asyncio
async def test_a_finding_in_a_page_s_script_is_offered_no_edit_inside_the_script(client: LanguageClient,
                                                                                  workspace: Path):
    # The article is read from the page's JSON-LD: markup or a comment line written there would break it.
    body = "According to Amnesty International, the prisons are full. " * 3
    text = ('<html><head><script type="application/ld+json">\n{"@type": "NewsArticle",\n "articleBody": "'
            + body + '"}\n</script></head><body><h1>Prisons</h1></body></html>\n')
    path = workspace / "prisons.html"
    diagnostics = await _open(client, path, text)
    unlinked = next(d for d in diagnostics if d.data["rule"] == "unlinked-source")
    actions = await _actions(client, path.as_uri(), unlinked.range, only=[types.CodeActionKind.QuickFix])
    assert [a.title for a in actions] == ["Suppress unlinked-source in this file (with a reason)"]


@pytest.mark.asyncio
async def test_remove_unused_suppression_is_a_quick_fix(client: LanguageClient, workspace: Path):
    path = workspace / "budget.md"
    diagnostics = await _open(client, path, ARTICLE)
    unused = next(d for d in diagnostics if d.data["rule"] == "unused-suppression")
    actions = await _actions(client, path.as_uri(), unused.range, only=[types.CodeActionKind.QuickFix])
    assert [a.title for a in actions] == ["Remove the unused suppression"]
    assert actions[0].edit is not None
    assert _applied(ARTICLE, actions[0].edit).endswith("Experts believe the 🎉 plan will fail.\n")


@pytest.mark.parametrize("told_by", ["watched-files", "save"])
@pytest.mark.asyncio
async def test_a_changed_configuration_is_read_again(client: LanguageClient, workspace: Path, told_by: str):
    path = workspace / "budget.md"
    uri = path.as_uri()
    await _open(client, path, ARTICLE)  # the server registered its watchers before it answered this
    watched = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]  # type: ignore[attr-defined]
    assert watched, "the server asks to be told when a configuration file changes"
    config = workspace / ".citelint.yaml"
    config.write_text("preset: default\nignore: [vague-attribution]\n", encoding="utf-8")
    if told_by == "save":  # the writer edited it in the editor
        client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=config.as_uri())))
    else:
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
            uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    while True:
        after = await _diagnostics(client, uri, 1)
        if "vague-attribution" not in {d.data["rule"] for d in after}:
            break
    assert after


@pytest.mark.asyncio
async def test_a_configuration_error_is_shown_and_the_server_carries_on(client: LanguageClient, workspace: Path):
    config = workspace / ".citelint.yaml"
    config.write_text("rules:\n  no-such-rule: error\n", encoding="utf-8")
    path = workspace / "budget.md"
    path.write_text(ARTICLE, encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="markdown", version=1, text=ARTICLE)))
    shown = await asyncio.wait_for(client.wait_for_notification(types.WINDOW_SHOW_MESSAGE), PATIENCE_SECONDS)
    assert shown.type == types.MessageType.Error and "no-such-rule" in shown.message
    config.write_text("preset: default\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    assert await _diagnostics(client, path.as_uri(), 1)


@pytest.mark.asyncio
async def test_lint_workspace_publishes_every_article(client: LanguageClient, workspace: Path):
    (workspace / "other.md").write_text("Experts believe the plan will fail.\n", encoding="utf-8")
    linted = await client.workspace_execute_command_async(types.ExecuteCommandParams(command="citelint.lintWorkspace"))
    assert linted == 1
    assert [d.data["rule"] for d in client.diagnostics[(workspace / "other.md").as_uri()]] == ["vague-attribution"]


def test_without_pygls_the_server_says_how_to_install_it(tmp_path):
    """An installation without the extra: pygls cannot be imported."""
    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('no pygls here', name='pygls')\n", encoding="utf-8")
    result = subprocess.run(SERVER, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
                            env={"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": ""})
    assert result.returncode == 2
    assert "pip install 'citelint-provenance[server]'" in result.stderr
    assert "Traceback" not in result.stderr


def _editor_snippets() -> list[tuple[str, list[str]]]:
    """Each editor's set-up snippet in the README's "In your editor" section, and the command line it starts."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## In your editor") : readme.index("### Safe fixes")]
    found = []
    for number, (language, body) in enumerate(re.findall(r"```(lua|toml|elisp)\n(.*?)```", section, re.S)):
        if language == "toml":
            server = tomllib.loads(body)["language-server"]["citelint"]
            command = [server["command"], *server["args"]]
        else:
            quoted = re.search(r"cmd = \{(.*?)\}", body) if language == "lua" else re.search(r'\. \(("[^)]*)\)', body)
            assert quoted is not None, body
            command = re.findall(r'"([^"]+)"', quoted.group(1))
        found.append((f"{language}-{number}", command))
    # The VS Code extension starts the server with stdio transport, which adds --stdio.
    extension = (ROOT / "editors" / "vscode" / "extension.js").read_text(encoding="utf-8")
    arguments = re.search(r"args: \[(.*?)\], transport: TransportKind\.stdio", extension)
    assert arguments is not None
    found.append(("vscode", ["citelint", *re.findall(r'"([^"]+)"', arguments.group(1)), "--stdio"]))
    return found


def test_there_is_a_snippet_for_each_editor():
    assert [name.split("-")[0] for name, _ in _editor_snippets()] == ["lua", "lua", "toml", "elisp", "vscode"]


@pytest.mark.parametrize(("snippet", "command"), _editor_snippets())
@pytest.mark.asyncio
async def test_each_editor_snippet_starts_the_server(snippet, command, tmp_path):
    installed = Path(sys.executable).parent / command[0]  # the `citelint` this interpreter installed
    if not installed.is_file():
        pytest.skip(f"no {command[0]} script beside {sys.executable}")
    client = await ClientServerConfig(server_command=[str(installed), *command[1:]]).start()
    try:
        result = await client.initialize_session(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri()))
        assert result.server_info is not None and result.server_info.name == "citelint"
        assert result.capabilities.code_action_provider and result.capabilities.hover_provider
        await client.shutdown_session()
    finally:
        await client.stop()
