"""Unit tests for the link checker's pieces that need no server: safety, signals, archive answers, cache file."""

from __future__ import annotations

import dataclasses
import json
import threading
import time

import pytest

from citelint.links import LinkResult
from citelint.links.archive import availability_url, parse_availability
from citelint.links.cache import CACHE_FILE, LinkCache
from citelint.links.safety import compile_excludes, ip_literal, non_public_reason
from citelint.links.signals import (
    behind_bot_protection,
    parse_retry_after,
    wall_from_body,
    wall_from_headers,
)


@pytest.mark.parametrize(
    "address, public",
    [
        ("93.184.215.14", True),
        ("2606:4700::6810:85e5", True),
        ("127.0.0.1", False),
        ("::1", False),
        ("10.20.30.40", False),
        ("172.16.0.9", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("fd00:ec2::254", False),
        ("100.100.100.200", False),
        ("fe80::1", False),
        ("224.0.0.251", False),
        ("0.0.0.0", False),
        ("240.0.0.1", False),
        ("::ffff:127.0.0.1", False),
        ("not an address", False),
    ],
)
def test_public_addresses(address, public):
    assert (non_public_reason(address) is None) is public


def test_ip_literals():
    assert ip_literal("[::1]") == "::1"
    assert ip_literal("127.0.0.1") == "127.0.0.1"
    assert ip_literal("news.example.org") is None


def test_bad_exclude_regex_matches_literally():
    (pattern,) = compile_excludes(["paywall[("])
    assert pattern.search("https://example.org/paywall[(") and not pattern.search("https://example.org/paywall")


@pytest.mark.parametrize(
    "status, body, expected",
    [
        (403, "<html><title>Attention Required! | Cloudflare</title>", "bot wall (Cloudflare block page)"),
        (200, "<TITLE>Just a moment...</TITLE>", "bot wall (Cloudflare challenge)"),
        (403, '<script src="https://ct.captcha-delivery.com/c.js"></script>', "bot wall (DataDome captcha)"),
        (429, '<div class="g-recaptcha" data-sitekey="k"></div>', "bot wall (captcha)"),
        (200, '<div class="g-recaptcha" data-sitekey="k"></div><p>Leave a comment</p>', None),
        (200, '{"@type": "NewsArticle", "isAccessibleForFree": false}', "paywall"),
        (200, "<html><title>Council votes on the budget</title></html>", None),
    ],
)
def test_walls_in_bodies(status, body, expected):
    assert wall_from_body(status, body) == expected


def test_walls_in_headers():
    assert wall_from_headers(403, {"cf-mitigated": "challenge"}) == "bot wall (Cloudflare challenge)"
    assert wall_from_headers(999, {}) == "bot wall (HTTP 999 crawler refusal)"
    assert wall_from_headers(200, {"server": "nginx"}) is None
    assert behind_bot_protection({"server": "cloudflare"})
    assert not behind_bot_protection({"server": "Apache"})


def test_retry_after_forms():
    now = 1_700_000_000.0
    assert parse_retry_after("120", now) == 120.0
    http_date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 30))
    assert parse_retry_after(http_date, now) == pytest.approx(30.0)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_availability_answers():
    snapshot = "http://web.archive.org/web/20240101000000/https://example.org/a"
    found = {"archived_snapshots": {"closest": {"available": True, "url": snapshot, "status": "200"}}}
    assert parse_availability(json.dumps(found)) == snapshot
    assert parse_availability('{"archived_snapshots": {}}') is None
    with pytest.raises(ValueError):
        parse_availability("<html>rate limited</html>")
    assert availability_url("http://127.0.0.1:9/wb", "https://example.org/a?b=1") == (
        "http://127.0.0.1:9/wb?url=https%3A%2F%2Fexample.org%2Fa%3Fb%3D1"
    )


def result(url: str, state: str = "ok") -> LinkResult:
    return LinkResult(url, state, 200, url, (), "HTTP 200", False, None, False)


def test_cache_round_trip_and_states(tmp_path):
    cache = LinkCache(tmp_path, ttl=60)
    cache.put("https://example.org/a", result("https://example.org/a"), public=True)
    cache.put("https://example.org/b", result("https://example.org/b", "transient"), public=True)
    cache.save()
    reloaded = LinkCache(tmp_path, ttl=60)
    hit = reloaded.get("https://example.org/a", allow_private=False)
    assert hit is not None and hit.from_cache and hit.state == "ok"
    assert reloaded.get("https://example.org/b", allow_private=False) is None
    assert reloaded.get("https://example.org/a", allow_private=False, now=time.time() + 61) is None


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{not json",
        "[]",
        '{"format": 1, "entries": []}',
        '{"format": 1, "entries": {"u": {"result": 5}}}',
        '{"format": 1, "entries": {"u": {"checked_at": 1, "public": true, "result": {"url": 3}}}}',
    ],
)
def test_unreadable_cache_is_empty(tmp_path, content):
    (tmp_path / CACHE_FILE).write_text(content, encoding="utf-8")
    cache = LinkCache(tmp_path, ttl=60)
    assert cache.get("u", allow_private=True) is None
    cache.put("u", result("u"), public=True)
    cache.save()
    assert LinkCache(tmp_path, ttl=60).get("u", allow_private=True) is not None


def test_concurrent_writers_keep_each_others_entries(tmp_path):
    def writer(n: int) -> None:
        for i in range(20):
            cache = LinkCache(tmp_path, ttl=60)
            cache.put(f"https://example.org/{n}/{i}", result(f"https://example.org/{n}/{i}"), public=True)
            cache.save()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    data = json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))
    assert data["format"] == 1
    assert len(data["entries"]) == 4 * 20
    assert not list(tmp_path.glob("*.tmp"))


def stored(tmp_path, entries: dict, fmt: int = 1) -> None:
    (tmp_path / CACHE_FILE).write_text(json.dumps({"format": fmt, "entries": entries}), encoding="utf-8")


def entry(url: str, checked_at: float) -> dict:
    return {"checked_at": checked_at, "public": True, "result": dataclasses.asdict(result(url))}


@pytest.mark.parametrize("checked_at", [float("nan"), float("inf"), time.time() + 30 * 86400, "2020-01-01", True])
def test_entries_dated_in_the_future_or_not_dated_are_dropped(tmp_path, checked_at):
    stored(tmp_path, {"https://example.org/a": entry("https://example.org/a", checked_at)})
    cache = LinkCache(tmp_path, ttl=7 * 86400)
    assert cache.get("https://example.org/a", allow_private=False) is None
    cache.put("https://example.org/b", result("https://example.org/b"), public=True)
    cache.save()
    assert list(json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))["entries"]) == ["https://example.org/b"]


def test_expired_entries_are_evicted_when_the_file_is_written(tmp_path):
    now = time.time()
    stored(tmp_path, {"https://example.org/old": entry("https://example.org/old", now - 120),
                      "https://example.org/recent": entry("https://example.org/recent", now - 10)})
    cache = LinkCache(tmp_path, ttl=60)
    cache.put("https://example.org/new", result("https://example.org/new"), public=True)
    cache.save()
    kept = json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))["entries"]
    assert sorted(kept) == ["https://example.org/new", "https://example.org/recent"]


@pytest.mark.parametrize(
    "content, problem",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"format": 1, "entries": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ("[]", "not a link cache"),
        ('{"format": 1, "entries": [1, 2]}', "not a link cache"),
        ('{"entries": {}}', None),
        ("{not json", "unreadable"),
        (b"\xff\xfe{}", "unreadable"),
    ],
)
def test_a_file_that_is_not_a_link_cache_is_ignored_with_a_notice(tmp_path, content, problem):
    path = tmp_path / CACHE_FILE
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    heard: list[str] = []
    cache = LinkCache(tmp_path, ttl=60, warn=heard.append)
    assert cache.get("u", allow_private=True) is None
    if problem is None:
        assert heard == []
    else:
        assert len(heard) == 1 and problem in heard[0] and str(path) in heard[0]
    cache.put("u", result("u"), public=True)
    cache.save()
    assert LinkCache(tmp_path, ttl=60).get("u", allow_private=True) is not None


def test_deeply_nested_redirects_in_an_entry_are_skipped(tmp_path):
    nested = entry("https://example.org/a", time.time())
    nested["result"]["redirects"] = json.loads("[" * 500 + "]" * 500)
    stored(tmp_path, {"https://example.org/a": nested, "https://example.org/b": entry("https://example.org/b", time.time())})
    cache = LinkCache(tmp_path, ttl=60)
    assert cache.get("https://example.org/a", allow_private=True) is None
    assert cache.get("https://example.org/b", allow_private=True) is not None


def test_a_cache_that_cannot_be_written_is_reported(tmp_path):
    (tmp_path / "cache").write_text("a file where the folder should be", encoding="utf-8")
    heard: list[str] = []
    cache = LinkCache(tmp_path / "cache", ttl=60, warn=heard.append)
    cache.put("u", result("u"), public=True)
    cache.save()
    assert len(heard) == 1 and heard[0].startswith("could not write link cache")
