"""--check-links end to end through the CLI, against a real HTTP server on loopback."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
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
    (tmp_path / ".citelint.yaml").write_text("links: {allow-private: true, retries: 0}\n", encoding="utf-8")
    path = tmp_path / "story.md"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_link_states_are_reported_with_exact_positions(cli, tmp_path, server):
    path, text = _article(tmp_path, server)
    run = cli("--check-links", "--cache-dir", str(tmp_path / "cache"), "--format", "json", str(path))
    found = {d["rule"]: d for d in run.json()["diagnostics"]}
    assert text[found["dead-link"]["offset"] : found["dead-link"]["end_offset"]] == f"[the audit]({server}/gone)"
    assert found["dead-link"]["severity"] == "error" and run.status == 1
    assert "/new" in found["redirected-link"]["message"]
    assert "blocked-link" in found
    assert not any(d["rule"] == "dead-link" and "/fine" in d["message"] for d in run.json()["diagnostics"])


def test_loopback_is_refused_unless_allowed(cli, tmp_path, server):
    path, _ = _article(tmp_path, server)
    (tmp_path / ".citelint.yaml").write_text("links: {retries: 0}\n", encoding="utf-8")
    run = cli("--check-links", "--no-cache", "--format", "json", str(path))
    assert not [d for d in run.json()["diagnostics"] if d["rule"].endswith("-link")]
    assert any("allow-private" in n["message"] for n in run.json()["notices"])


def test_links_are_not_checked_without_the_flag(cli, tmp_path, server):
    path, _ = _article(tmp_path, server)
    run = cli("--format", "json", str(path))
    assert not [d for d in run.json()["diagnostics"] if d["rule"].endswith("-link")]
