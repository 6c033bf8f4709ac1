"""--check-links end to end through the CLI, against a real HTTP server on loopback."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


class _Handler(BaseHTTPRequestHandler):
    requested: list[str] = []

    def _answer(self) -> None:
        self.requested.append(self.path)
        if self.path.startswith("/wayback"):
            body = b'{"archived_snapshots": {}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path == "/gone":
            self.send_response(404)
        elif self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/new")
        elif self.path == "/private":
            self.send_response(403)
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture(autouse=True)
def user_config_home(tmp_path, monkeypatch):
    """The user's configuration folder, private to each test (never the real one); the run
    starts in the article's folder, whose configuration holds the run's link settings."""
    home = tmp_path / "user-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    return home / "citelint"


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _article(tmp_path, base):
    text = (
        f"The figures are in [the audit]({base}/gone), the [old page]({base}/old) and "
        f"[the archive]({base}/fine).\n\nThe [members' area]({base}/private) is closed.\n"
    )
    (tmp_path / ".citelint.yaml").write_text("links: {retries: 0}\n", encoding="utf-8")
    path = tmp_path / "story.md"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_link_states_are_reported_with_exact_positions(cli, tmp_path, server):
    path, text = _article(tmp_path, server)
    run = cli("--check-links", "--allow-private-links", "--cache-dir", str(tmp_path / "cache"), "--format", "json",
              str(path))
    found = {d["rule"]: d for d in run.json()["diagnostics"]}
    assert text[found["dead-link"]["offset"] : found["dead-link"]["end_offset"]] == f"[the audit]({server}/gone)"
    assert found["dead-link"]["severity"] == "error" and run.status == 1
    assert "/new" in found["redirected-link"]["message"]
    assert "blocked-link" in found
    assert not any(d["rule"] == "dead-link" and "/fine" in d["message"] for d in run.json()["diagnostics"])


def link_findings(run) -> list[dict]:
    return [d for d in run.json()["diagnostics"] if d["rule"].endswith("-link")]


def test_loopback_is_refused_unless_allowed(cli, tmp_path, server):
    path, _ = _article(tmp_path, server)
    run = cli("--check-links", "--no-cache", "--format", "json", str(path))
    assert not link_findings(run)
    assert any("--allow-private-links" in n["message"] for n in run.json()["notices"])


@pytest.mark.parametrize("config_name, text", [
    (".citelint.yaml", "links: {allow-private: true, retries: 0}\n"),
    ("pyproject.toml", "[tool.citelint.links]\nallow-private = true\nretries = 0\n"),
])
def test_a_repository_cannot_let_the_checker_reach_private_addresses(cli, tmp_path, server, config_name, text):
    path, _ = _article(tmp_path, server)
    (tmp_path / ".citelint.yaml").unlink()
    (tmp_path / config_name).write_text(text, encoding="utf-8")
    run = cli("--check-links", "--no-cache", "--format", "json", str(path))
    assert not link_findings(run)
    warnings = [n["message"] for n in run.json()["notices"] if n["kind"] == "warning"]
    assert any(f"links.allow-private in {tmp_path / config_name} ignored" in message
               and "--allow-private-links" in message for message in warnings), warnings


def test_a_repository_cannot_choose_the_archive_service(cli, tmp_path, server):
    path, _ = _article(tmp_path, server)
    (tmp_path / ".citelint.yaml").write_text(f"links: {{archive-endpoint: '{server}/wayback-repo'}}\n", encoding="utf-8")
    run = cli("--check-links", "--allow-private-links", "--no-cache", "--select", "unarchived-link", "--format", "json",
              str(path))
    assert not [p for p in _Handler.requested if p.startswith("/wayback-repo")]
    assert any("links.archive-endpoint" in n["message"] for n in run.json()["notices"])


def test_the_archive_service_can_be_chosen_on_the_command_line(cli, tmp_path, server):
    path, _ = _article(tmp_path, server)
    run = cli("--check-links", "--allow-private-links", "--archive-endpoint", f"{server}/wayback-flag", "--no-cache",
              "--select", "unarchived-link", "--format", "json", str(path))
    assert [p for p in _Handler.requested if p.startswith("/wayback-flag")]
    assert {d["rule"] for d in link_findings(run)} == {"unarchived-link"}


def test_the_users_own_configuration_may_allow_private_addresses(cli, tmp_path, server, user_config_home):
    path, _ = _article(tmp_path, server)
    user_config_home.mkdir(parents=True)
    (user_config_home / "config.yaml").write_text("links: {allow-private: true}\n", encoding="utf-8")
    run = cli("--check-links", "--no-cache", "--format", "json", str(path))
    assert "dead-link" in {d["rule"] for d in link_findings(run)}
    assert not [n for n in run.json()["notices"] if "ignored" in n["message"]]


@pytest.mark.parametrize("text, error", [
    ("select: [unsourced-figure]\n", "select: the user configuration holds link settings only"),
    ("links: {allow-privat: true}\n", "unknown key 'allow-privat' (did you mean 'allow-private'?)"),
])
def test_a_mistake_in_the_users_configuration_is_a_clear_error(cli, tmp_path, server, user_config_home, text, error):
    path, _ = _article(tmp_path, server)
    user_config_home.mkdir(parents=True)
    (user_config_home / "config.yaml").write_text(text, encoding="utf-8")
    run = cli("--check-links", "--no-cache", str(path))
    assert run.status == 2
    assert error in run.err and str(user_config_home / "config.yaml") in run.err


def test_links_are_not_checked_without_the_flag(cli, tmp_path, server):
    path, _ = _article(tmp_path, server)
    run = cli("--format", "json", str(path))
    assert not [d for d in run.json()["diagnostics"] if d["rule"].endswith("-link")]


def test_with_no_home_folder_links_are_checked_without_the_user_configuration_or_the_cache(cli, tmp_path, server,
                                                                                          monkeypatch):
    """A container's user may have no home folder: no user configuration and no link cache, then."""
    def no_home(cls):
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", classmethod(no_home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    path, _ = _article(tmp_path, server)
    run = cli("--check-links", "--allow-private-links", "--format", "json", str(path))
    assert run.status == 1, run.err
    assert "dead-link" in {d["rule"] for d in link_findings(run)}
