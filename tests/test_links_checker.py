"""The link checker against real HTTP servers on 127.0.0.1 (never any other address)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from citelint.links import LinkSettings, NameNotFound, check_links
from citelint.links.cache import CACHE_FILE


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: str | bytes = "<html><head><title>A page</title></head><body>Plain words.</body></html>"
    delay: float = 0.0


Route = Callable[[str, int, dict], Reply]  # (method, earlier hits on this path, query) -> Reply


def redirect(status: int, to: str) -> Route:
    return lambda method, hits, query: Reply(status, {"Location": to}, "")


def fixed(status: int, headers: dict[str, str] | None = None, body: str = "") -> Route:
    return lambda method, hits, query: Reply(status, headers or {}, body or Reply().body)


def head_refused(head_status: int) -> Route:
    return lambda method, hits, query: Reply(head_status, {}, "") if method == "HEAD" else Reply()


def fails_first(times: int, status: int, headers: dict[str, str] | None = None) -> Route:
    return lambda method, hits, query: Reply(status, headers or {}, "") if hits < times else Reply()


def archive_lookup(method: str, hits: int, query: dict) -> Reply:
    """A fake Wayback availability API: pages whose path contains 'ok' are archived."""
    url = query.get("url", [""])[0]
    if "ok" in url:
        closest = {"available": True, "url": f"http://127.0.0.1/snapshot/{url}", "status": "200"}
        return Reply(200, {"Content-Type": "application/json"}, json.dumps({"archived_snapshots": {"closest": closest}}))
    return Reply(200, {"Content-Type": "application/json"}, json.dumps({"archived_snapshots": {}}))


CHALLENGE = "<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>"
PLATFORM_CHALLENGE = '<html><body><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/x.js"></script></body></html>'

ROUTES: dict[str, Route] = {
    "/ok": fixed(200),
    "/ok-too": fixed(200),
    "/gone404": fixed(404),
    "/gone410": fixed(410),
    "/auth401": fixed(401),
    "/forbidden403": fixed(403),
    "/legal451": fixed(451),
    "/crawler999": fixed(999),
    "/wall200": fixed(200, {"Server": "cloudflare", "Content-Type": "text/html"}, CHALLENGE),
    "/wall503": fixed(503, {"Content-Type": "text/html"}, PLATFORM_CHALLENGE),
    "/cf-mitigated": fixed(403, {"cf-mitigated": "challenge"}),
    "/moved": redirect(301, "/moved-again"),
    "/moved-again": redirect(308, "/ok"),
    "/moved-dead": redirect(301, "/gone404"),
    "/temporary": redirect(302, "/ok"),
    "/loop": redirect(302, "/loop"),
    "/to-mail": redirect(302, "mailto:desk@example.org"),
    "/no-head": head_refused(405),
    **{f"/missing-{n}": fixed(404) for n in range(5)},
    **{f"/head-lies-{n}": head_refused(404) for n in range(3)},
    "/head-501": head_refused(501),
    "/rate-once": fails_first(1, 429, {"Retry-After": "1"}),
    "/rate-forever": fixed(429),
    "/rate-hour": fixed(429, {"Retry-After": "3600"}),
    "/flaky": fails_first(2, 500),
    "/slow": lambda method, hits, query: Reply(delay=2.0),
    "/paced": lambda method, hits, query: Reply(delay=0.5),
    "/wayback": archive_lookup,
}


class _Listener(ThreadingHTTPServer):
    # The default backlog (5) drops connections when more links than that start at once,
    # and the client's retry after a dropped SYN takes longer than the tests' connect timeout.
    request_queue_size = 64


class Server:
    """A threaded HTTP server on 127.0.0.1 that logs every request it receives."""

    def __init__(self, routes: dict[str, Route]):
        self.routes = routes
        self.log: list[tuple[str, str, float]] = []
        self.lock = threading.Lock()
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        handler = self._handler_class()
        self.httpd = _Listener(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def hits(self, path: str) -> list[str]:
        with self.lock:
            return [method for method, p, _ in self.log if p == path]

    def starts(self, path: str) -> list[float]:
        with self.lock:
            return [t for _, p, t in self.log if p == path]

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                with server.lock:
                    hits = sum(1 for _, p, _ in server.log if p == parts.path)
                    server.log.append((self.command, parts.path, time.monotonic()))
                    now_in_flight = server.in_flight.get(parts.path, 0) + 1
                    server.in_flight[parts.path] = now_in_flight
                    server.max_in_flight[parts.path] = max(server.max_in_flight.get(parts.path, 0), now_in_flight)
                try:
                    route = server.routes.get(parts.path, fixed(404))
                    reply = route(self.command, hits, parse_qs(parts.query))
                    time.sleep(reply.delay)
                    body = reply.body if isinstance(reply.body, bytes) else reply.body.encode()
                    self.send_response(reply.status)
                    headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server.lock:
                        server.in_flight[parts.path] -= 1

            do_GET = do_HEAD = _serve

        return Handler

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def serving(routes: dict[str, Route]) -> Iterator[Server]:
    server = Server(routes)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def server():
    with serving(ROUTES) as srv:
        yield srv


@pytest.fixture
def settings(tmp_path) -> LinkSettings:
    return fast_settings(tmp_path)


def fast_settings(tmp_path) -> LinkSettings:
    """Fast settings that may reach 127.0.0.1, with a private cache directory."""
    return LinkSettings(
        allow_private=True,
        per_host_interval=0.0,
        per_host_concurrency=8,
        retries=1,
        backoff_base=0.05,
        timeout_connect=1.0,
        timeout_read=1.0,
        total_budget=20.0,
        cache_dir=tmp_path / "cache",
        offline_canary=None,
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check(server: Server, settings: LinkSettings, *paths: str, **kwargs):
    urls = [server.base + p for p in paths]
    results = check_links(urls, settings, **kwargs)
    return [results[u] for u in urls]


@pytest.mark.parametrize(
    "path, state, status, detail",
    [
        ("/ok", "ok", 200, "HTTP 200"),
        ("/gone404", "dead", 404, "HTTP 404"),
        ("/gone410", "dead", 410, "HTTP 410"),
        ("/auth401", "blocked", 401, "HTTP 401"),
        ("/forbidden403", "blocked", 403, "HTTP 403"),
        ("/legal451", "blocked", 451, "HTTP 451"),
        ("/crawler999", "blocked", 999, "bot wall (HTTP 999 crawler refusal)"),
        ("/wall200", "blocked", 200, "bot wall (Cloudflare challenge)"),
        ("/wall503", "blocked", 503, "bot wall (Cloudflare challenge)"),
        ("/cf-mitigated", "blocked", 403, "bot wall (Cloudflare challenge)"),
    ],
)
def test_status_and_wall_states(server, settings, path, state, status, detail):
    (result,) = check(server, settings, path)
    assert (result.state, result.status, result.detail) == (state, status, detail)
    assert not result.from_cache


def test_wall_behind_503_is_not_retried(server, settings):
    before = len(server.hits("/wall503"))
    check(server, settings, "/wall503")
    assert server.hits("/wall503")[before:] == ["HEAD", "GET"]


def test_permanent_redirect_chain_reports_final_url(server, settings):
    (result,) = check(server, settings, "/moved")
    assert result.state == "redirected"
    assert result.final_url == server.base + "/ok"
    assert result.redirects == ((301, server.base + "/moved-again"), (308, server.base + "/ok"))
    assert result.permanent_redirect


def test_temporary_redirect_is_ok(server, settings):
    (result,) = check(server, settings, "/temporary")
    assert (result.state, result.final_url, result.permanent_redirect) == ("ok", server.base + "/ok", False)
    assert result.redirects == ((302, server.base + "/ok"),)


def test_permanent_redirect_to_missing_page_is_dead(server, settings):
    (result,) = check(server, settings, "/moved-dead")
    assert (result.state, result.permanent_redirect, result.final_url) == ("dead", True, server.base + "/gone404")


def test_redirect_loop_and_odd_targets(server, settings):
    loop, mail = check(server, settings, "/loop", "/to-mail")
    assert loop.state == "blocked" and "redirects" in loop.detail and len(loop.redirects) == 11
    assert mail.state == "skipped"


@pytest.mark.parametrize("path, head_status", [("/no-head", 405), ("/head-501", 501)])
def test_get_fallback_when_head_is_refused(server, settings, path, head_status):
    before = len(server.hits(path))
    (result,) = check(server, settings, path)
    assert (result.state, result.status) == ("ok", 200)
    assert server.hits(path)[before:] == ["HEAD", "GET"]


def test_head_404_is_trusted_once_get_has_confirmed_it_twice(server, settings):
    sequential = replace(settings, per_host_concurrency=1)
    paths = [f"/missing-{n}" for n in range(5)]
    results = check(server, sequential, *paths)
    assert [r.state for r in results] == ["dead"] * 5
    assert [server.hits(p)[-1] for p in paths] == ["GET", "GET", "HEAD", "HEAD", "HEAD"]


def test_host_whose_get_contradicts_head_404_is_asked_with_get(server, settings):
    sequential = replace(settings, per_host_concurrency=1)
    before = {p: len(server.hits(p)) for p in ("/head-lies-0", "/head-lies-1", "/ok")}
    lied, also_lying, ok = check(server, sequential, "/head-lies-0", "/head-lies-1", "/ok")
    assert (lied.state, also_lying.state, ok.state) == ("ok", "ok", "ok")
    assert server.hits("/head-lies-0")[before["/head-lies-0"]:] == ["HEAD", "GET"]
    # after the contradiction, links not yet started on this host go straight to GET
    assert server.hits("/ok")[before["/ok"]:] == ["GET"]


def test_retry_after_is_honoured(server, settings):
    started = time.monotonic()
    (result,) = check(server, settings, "/rate-once")
    assert result.state == "ok"
    assert time.monotonic() - started >= 1.0


def test_endless_rate_limit_is_transient(server, settings):
    (result,) = check(server, settings, "/rate-forever")
    assert (result.state, result.status) == ("transient", 429)
    assert "after retries" in result.detail


def test_retry_after_beyond_budget_gives_up_at_once(server, settings):
    started = time.monotonic()
    (result,) = check(server, settings, "/rate-hour")
    assert result.state == "transient" and "budget" in result.detail
    assert time.monotonic() - started < 1.0


def test_server_error_then_success(server, settings):
    (result,) = check(server, settings, "/flaky")
    assert (result.state, result.status) == ("ok", 200)


def test_slow_server_times_out(server, settings):
    quick = replace(settings, timeout_read=0.3)
    (result,) = check(server, quick, "/slow")
    assert result.state == "transient"
    assert result.detail == "timed out after retries (2 attempts)"


def test_closed_port_is_transient_not_dead(settings):
    url = f"http://127.0.0.1:{closed_port()}/story"
    result = check_links([url], settings)[url]
    assert (result.state, result.detail) == ("transient", "connection refused after retries (2 attempts)")


def test_every_host_unreachable_means_offline(settings):
    urls = [f"http://127.0.0.1:{closed_port()}/a", f"http://127.0.0.1:{closed_port()}/b"]
    results = check_links(urls, settings)
    assert {r.state for r in results.values()} == {"offline"}


def test_non_http_schemes_are_skipped(settings):
    urls = ["mailto:desk@example.org", "ftp://files.example.org/report.pdf", "javascript:void(0)"]
    results = check_links(urls, settings)
    assert [results[u].state for u in urls] == ["skipped"] * 3


def test_private_addresses_refused_by_default(server, settings):
    strict = replace(settings, allow_private=False)
    names = {"internal.test": ["10.1.2.3"], "metadata.test": ["169.254.169.254"], "v6meta.test": ["fd00:ec2::254"]}
    urls = [server.base + "/ok-too"] + [f"http://{name}/latest" for name in names]
    before = len(server.hits("/ok-too"))
    results = check_links(urls, strict, resolver=lambda host: names[host])
    assert [results[u].state for u in urls] == ["unsafe"] * 4
    assert "127.0.0.1" in results[urls[0]].detail
    assert len(server.hits("/ok-too")) == before  # not a single request left the checker


def test_exclude_patterns(server, settings):
    excluding = replace(settings, exclude=(r"/gone\d+$", "[unclosed"))
    before = len(server.hits("/gone404"))
    ok, gone = check(server, excluding, "/ok", "/gone404")
    assert (ok.state, gone.state) == ("ok", "excluded")
    assert len(server.hits("/gone404")) == before


def fake_dns(table: dict[str, list[str]]):
    """A resolver that knows only `table`; other names do not exist."""

    def resolve(host: str) -> list[str]:
        if host in table:
            return table[host]
        raise NameNotFound(host)

    return resolve


def test_offline_run_never_reports_dead(server, settings):
    canary = replace(settings, offline_canary="example.com")
    urls = ["http://news.test/story", "http://gone.test/page", f"http://127.0.0.1:{closed_port()}/x"]
    results = check_links(urls, canary, resolver=fake_dns({}))
    assert [results[u].state for u in urls] == ["offline"] * 3


def test_missing_domain_is_dead_when_online(server, settings):
    canary = replace(settings, offline_canary="example.com")
    port = server.base.rsplit(":", 1)[1]
    resolver = fake_dns({"example.com": ["192.0.2.10"], "live.test": ["127.0.0.1"]})
    live, gone = f"http://live.test:{port}/ok", "http://gone.test/page"
    results = check_links([live, gone], canary, resolver=resolver)
    assert results[live].state == "ok"
    assert (results[gone].state, results[gone].detail) == ("dead", "NXDOMAIN")


def test_missing_domains_alone_are_dead_when_the_canary_resolves(settings):
    canary = replace(settings, offline_canary="example.com")
    urls = ["http://gone.test/a", "http://vanished.test/b"]
    results = check_links(urls, canary, resolver=fake_dns({"example.com": ["192.0.2.10"]}))
    assert [results[u].state for u in urls] == ["dead", "dead"]


def test_cache_serves_second_run(server, settings):
    first = check(server, settings, "/ok", "/gone404", "/rate-forever")
    assert not any(r.from_cache for r in first)
    before = len(server.log)
    ok, gone, limited = check(server, settings, "/ok", "/gone404", "/rate-forever")
    assert (ok.from_cache, ok.state, gone.from_cache, gone.state) == (True, "ok", True, "dead")
    assert not limited.from_cache  # transient results are never cached
    assert all(path == "/rate-forever" for _, path, _ in server.log[before:])


def test_cache_expires_after_ttl(server, settings):
    check(server, settings, "/ok")
    expired = replace(settings, cache_ttl=0.0)
    (result,) = check(server, expired, "/ok")
    assert not result.from_cache


def test_corrupt_cache_is_replaced(server, settings):
    settings.cache_dir.mkdir(parents=True)
    cache_file = settings.cache_dir / CACHE_FILE
    cache_file.write_text('{"format": 1, "entries": {"http://x/": ', encoding="utf-8")
    (result,) = check(server, settings, "/ok")
    assert result.state == "ok"
    assert server.base + "/ok" in json.loads(cache_file.read_text(encoding="utf-8"))["entries"]


def test_private_cache_entry_does_not_bypass_safety(server, settings):
    check(server, settings, "/ok")
    strict = replace(settings, allow_private=False)
    (result,) = check(server, strict, "/ok")
    assert (result.state, result.from_cache) == ("unsafe", False)


def test_archive_lookup(server, settings):
    archiving = replace(settings, archive=True, archive_endpoint=server.base + "/wayback")
    ok, gone = check(server, archiving, "/ok", "/gone404")
    assert ok.archive_url == f"http://127.0.0.1/snapshot/{server.base}/ok"
    assert (gone.archive_url, gone.archive_checked) == (None, True)


def test_archive_added_to_cached_results(server, settings):
    check(server, settings, "/ok")
    archiving = replace(settings, archive=True, archive_endpoint=server.base + "/wayback")
    (result,) = check(server, archiving, "/ok")
    assert result.from_cache and result.archive_url is not None


def test_per_host_interval_and_concurrency(server, settings):
    polite = replace(settings, per_host_interval=0.2, per_host_concurrency=2)
    urls = [f"{server.base}/paced?n={n}" for n in range(4)]
    check_links(urls, polite)
    starts = sorted(server.starts("/paced"))
    assert len(starts) == 4
    # Measured where the server receives requests, so allow for connection jitter.
    assert all(later - earlier >= 0.15 for earlier, later in zip(starts, starts[1:], strict=False))
    assert server.max_in_flight["/paced"] == 2


def test_dedupes_and_reports_progress(server, settings):
    urls = [server.base + "/ok", server.base + "/ok", server.base + "/ok#section", server.base + "/gone410"]
    calls: list[tuple[int, int]] = []
    before = len(server.hits("/ok"))
    results = check_links(urls, settings, progress=lambda done, total: calls.append((done, total)))
    assert set(results) == set(urls)
    assert results[server.base + "/ok#section"].url == server.base + "/ok#section"
    assert len(server.hits("/ok")) - before == 1  # fragments do not cause a second request
    assert calls[-1] == (3, 3) and [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_works_inside_a_running_event_loop(server, settings):
    async def caller():
        return check(server, settings, "/ok")

    (result,) = asyncio.run(caller())
    assert result.state == "ok"
