"""The link checker's guard against being turned on the reader's own network (SSRF), its
politeness and its bounds: address classification by explicit rules, hosts spelled as a browser
reads them, one rate limit per server, DNS inside the time budget, bounded decompression.
Network tests use servers on 127.0.0.1 only."""

from __future__ import annotations

import functools
import threading
import tracemalloc
import zlib
from dataclasses import replace

import httpcore
import pytest

from citelint.links import check_links
from citelint.links.safety import browser_host, browser_url, non_public_reason, system_resolver
from tests.test_links_checker import CHALLENGE, Reply, Server, fast_settings, fixed, redirect, serving


@pytest.mark.parametrize(
    "address",
    [
        # IPv4-compatible (deprecated ::/96): never routed, whatever the IPv4 inside
        "::127.0.0.1", "::169.254.169.254", "::8.8.8.8",
        # IPv4-mapped, and the SIIT "IPv4-translated" form ::ffff:0:a.b.c.d
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::ffff:0:7f00:1", "::ffff:0:808:808",
        # NAT64: well-known prefix by the IPv4 inside; the local-use prefix always
        "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b::c0a8:1", "64:ff9b:1::808:808", "64:ff9b:1:2::1",
        # 6to4 with a non-public IPv4 inside
        "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:c0a8:101::1", "2002:a00:1::",
        # Teredo and the rest of the IETF protocol block
        "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::1", "2001:2::1", "2001:20::1",
        # deprecated site-local, unique local, link-local, multicast, loopback, unspecified, discard, SRv6
        "fec0::1", "feff::1", "fc00::1", "fd00:ec2::254", "fe80::1", "fe80::1%eth0", "ff02::1", "::1", "::",
        "100::1", "5f00::1",
        # documentation
        "2001:db8::1", "3fff::1", "192.0.2.1", "198.51.100.7", "203.0.113.9",
        # IPv4 special-purpose ranges
        "192.0.0.9", "192.0.0.10", "192.0.0.192", "192.88.99.1", "198.18.0.1", "198.19.255.255",
        "100.64.0.1", "100.100.100.200", "100.127.255.254", "0.0.0.0", "0.1.2.3", "240.0.0.1",
        "255.255.255.255", "224.0.0.1", "239.255.255.250", "169.254.169.254", "169.254.1.1",
        "10.0.0.1", "172.16.0.9", "172.31.255.255", "192.168.0.1", "127.0.0.1", "127.255.255.254",
        # not an address at all
        "not an address", "",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert non_public_reason(address)


@pytest.mark.parametrize(
    "address",
    [
        "93.184.215.14", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "198.20.0.1", "192.0.1.1",
        "223.255.255.254", "2606:4700::6810:85e5", "2a00:1450:4001:81c::200e", "2001:4860:4860::8888",
        "2001:200::1",
        # forms that carry a public IPv4 and are reached through it
        "::ffff:93.184.215.14", "64:ff9b::5db8:d70e", "2002:5db8:d70e::1",
    ],
)
def test_public_addresses_are_allowed(address):
    assert non_public_reason(address) is None


def test_reasons_name_the_address_inside():
    assert non_public_reason("64:ff9b::a9fe:a9fe") == "link-local address 169.254.169.254 inside a NAT64 address"
    assert non_public_reason("2002:7f00:1::") == "loopback address 127.0.0.1 inside a 6to4 address"
    assert non_public_reason("::127.0.0.1") == "IPv4-compatible address (deprecated)"
    assert non_public_reason("fec0::1") == "site-local address (deprecated)"
    assert non_public_reason("192.0.0.9") == "IETF protocol assignment address"


@pytest.mark.parametrize(
    "host, normal",
    [
        ("0177.0.0.1", "127.0.0.1"),
        ("127.000.000.001", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0X7F.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("１２７.０.０.１", "127.0.0.1"),
        ("１２７．０．０．１", "127.0.0.1"),
        ("127。0。0。1", "127.0.0.1"),
        ("%31%32%37.0.0.1", "127.0.0.1"),
        ("0251.0376.0251.0376", "169.254.169.254"),
        ("ｅｘａｍｐｌｅ.com", "example.com"),
        ("News.Example.ORG", "news.example.org"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("example.com.", "example.com."),
    ],
)
def test_hosts_are_read_as_a_browser_reads_them(host, normal):
    assert browser_host(host) == normal


@pytest.mark.parametrize("host", ["256.1.1.1", "1.2.3.4.5", "0x100.0.0.1", "1.2.3.09", "example.0x", "a b.com",
                                  "%ff.com", "1.16777216"])
def test_hosts_a_browser_rejects(host):
    assert browser_host(host) is None


def test_urls_keep_everything_but_the_host_spelling():
    assert browser_url("http://desk:pw@0177.0.0.1:8080/a?b=1#c") == "http://desk:pw@127.0.0.1:8080/a?b=1#c"
    assert browser_url("https://news.example.org/a") == "https://news.example.org/a"
    assert browser_url("http://[::1]:81/a") == "http://[::1]:81/a"
    assert browser_url("http://[::1/") == "http://[::1/"  # unparsable: left for the HTTP client to reject


# ----- against a server on 127.0.0.1 -------------------------------------------------------


@functools.cache
def gzip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    """`size` bytes of an HTML page, gzipped to about a thousandth of that."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    spaces = b" " * (1024 * 1024)
    parts = [packer.compress(b"<html><body>")]
    parts += [packer.compress(spaces) for _ in range(size // len(spaces))]
    return b"".join(parts) + packer.flush()


def gzipped(route_body: bytes) -> Reply:
    return Reply(200, {"Content-Encoding": "gzip", "Content-Type": "text/html"}, route_body)


def head_405_then(reply: Reply):
    return lambda method, hits, query: Reply(405, {}, "") if method == "HEAD" else reply


ROUTES = {
    "/ok": fixed(200),
    "/slowish": lambda method, hits, query: Reply(delay=0.2),
    "/to-compat": lambda method, hits, query: Reply(302, {"Location": query["to"][0]}, ""),
    "/to-metadata": redirect(302, "http://0251.0376.0251.0376/latest/meta-data/"),
    "/bomb": lambda method, hits, query: head_405_then(gzipped(gzip_bomb()))(method, hits, query),
    "/gzipped-wall": head_405_then(gzipped(zlib.compress(CHALLENGE.encode(), wbits=31))),
}


@pytest.fixture(scope="module")
def server():
    with serving(ROUTES) as srv:
        yield srv


@pytest.fixture
def settings(tmp_path):
    return replace(fast_settings(tmp_path), retries=0, timeout_read=2.0, use_cache=False)


@pytest.fixture
def connections(monkeypatch):
    """Every address a connection was attempted to, by any request of the checker."""
    attempted: list[str] = []
    real = httpcore.AnyIOBackend.connect_tcp

    async def spy(self, host, port, *args, **kwargs):
        attempted.append(host)
        return await real(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", spy)
    return attempted


def port_of(server: Server) -> str:
    return server.base.rsplit(":", 1)[1]


def test_ipv4_compatible_loopback_never_reaches_a_connection(settings, connections, server):
    strict = replace(settings, allow_private=False)
    url = f"http://[::127.0.0.1]:{port_of(server)}/ok"
    result = check_links([url], strict)[url]
    assert (result.state, result.detail) == ("unsafe", "refused IPv4-compatible address (deprecated) ::7f00:1")
    assert connections == []


def test_redirect_hops_are_classified_the_same_way(settings, connections, server, monkeypatch):
    """The first hop is let through (as if 127.0.0.1 were public); the hop it redirects to is not."""
    from citelint.links import safety

    real = safety.non_public_reason
    monkeypatch.setattr(safety, "non_public_reason", lambda address: None if address == "127.0.0.1" else real(address))
    strict = replace(settings, allow_private=False)
    target = f"http://[::127.0.0.1]:{port_of(server)}/ok"
    urls = [f"{server.base}/to-compat?to={target}", f"{server.base}/to-metadata"]
    results = check_links(urls, strict)
    assert [results[url].state for url in urls] == ["unsafe", "unsafe"]
    assert "169.254.169.254" in results[urls[1]].detail
    assert set(connections) == {"127.0.0.1"}


SPELLINGS = ["0177.0.0.1", "127.000.000.001", "0x7f.1", "2130706433", "１２７.０.０.１", "127。0。0。1",
             "%31%32%37.0.0.1", "127.0.0.1."]


def resolver_never_called(host: str) -> list[str]:
    raise AssertionError(f"{host} is an address: it must never be looked up")


def test_odd_spellings_of_loopback_are_refused_as_loopback_before_any_lookup(settings, server, connections):
    strict = replace(settings, allow_private=False)
    urls = [f"http://{host}:{port_of(server)}/ok" for host in SPELLINGS]
    results = check_links(urls, strict, resolver=resolver_never_called)
    assert {url: results[url].state for url in urls} == {url: "unsafe" for url in urls}
    assert all("loopback address 127.0.0.1" in results[url].detail for url in urls)
    assert connections == []


def test_odd_spellings_reach_the_server_when_private_addresses_are_allowed(settings, server):
    urls = [f"http://{host}:{port_of(server)}/ok" for host in SPELLINGS]
    results = check_links(urls, settings, resolver=resolver_never_called)
    assert {url: results[url].state for url in urls} == {url: "ok" for url in urls}


def test_one_server_has_one_rate_limit_however_its_host_is_spelled(settings, server):
    names = {"loopback.test": ["127.0.0.1"], "another-name.test": ["127.0.0.1"]}

    def resolver(host: str) -> list[str]:
        return names[host] if host in names else system_resolver(host)

    spellings = ["127.0.0.1", "127.1", "0x7f.1", "2130706433", "127.0.0.1.", "[::ffff:127.0.0.1]",
                 "loopback.test", "another-name.test"]
    urls = [f"http://{host}:{port_of(server)}/slowish?n={n}" for n, host in enumerate(spellings)]
    results = check_links(urls, replace(settings, per_host_concurrency=1), resolver=resolver)
    assert [results[url].state for url in urls] == ["ok"] * len(urls)
    assert server.max_in_flight["/slowish"] == 1


def test_a_dns_lookup_cannot_outlast_the_time_budget(settings):
    release, finished = threading.Event(), threading.Event()

    def stuck(host: str) -> list[str]:
        release.wait(10)
        finished.set()
        return ["192.0.2.1"]

    url = "http://slow-dns.test/story"
    try:
        result = check_links([url], replace(settings, total_budget=0.5, timeout_connect=5.0), resolver=stuck)[url]
        run_waited_for_the_lookup = finished.is_set()
    finally:
        release.set()
    assert not run_waited_for_the_lookup
    assert (result.state, result.detail) == ("transient", "not checked: time budget exhausted")


def test_a_slow_dns_lookup_times_out_like_a_connection(settings):
    release = threading.Event()
    url = "http://slow-dns.test/story"
    try:
        result = check_links([url], replace(settings, timeout_connect=0.2), resolver=lambda host: release.wait(10) and [])[url]
    finally:
        release.set()
    assert (result.state, result.detail) == ("transient", "DNS lookup timed out")


def test_a_gzip_bomb_is_decompressed_only_up_to_the_body_cap(settings, server):
    gzip_bomb()  # built before measuring
    url = server.base + "/bomb"
    tracemalloc.start()
    try:
        result = check_links([url], settings)[url]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.state == "ok"
    assert peak < 16 * 1024 * 1024  # the page is 64 MB once inflated; the cap is 64 KB


def test_a_gzipped_wall_is_still_read(settings, server):
    url = server.base + "/gzipped-wall"
    result = check_links([url], settings)[url]
    assert (result.state, result.detail) == ("blocked", "bot wall (Cloudflare challenge)")
