"""The link-checking engine: polite, bounded, and careful never to call a live link dead.

One run checks a set of URLs concurrently with httpx. Each request goes through
a per-server gate (concurrency and spacing, keyed by the server's address, so no
spelling of its name gets a limit of its own) and a global limit; names are
resolved by us within the time budget, vetted by `safety`, and connections are
pinned to the vetted addresses. Bodies are read, and decompressed, only up to a
small bound.
Network-level failures are only interpreted at the end of the run, because a
failed lookup means "dead link" only if the network itself is up.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import errno
import heapq
import itertools
import logging
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import httpcore
import httpx

from citelint.links import archive as wayback
from citelint.links import safety, signals
from citelint.links.cache import LinkCache
from citelint.links.model import (
    BLOCKED,
    DEAD,
    EXCLUDED,
    OFFLINE,
    OK,
    REDIRECTED,
    SKIPPED,
    TRANSIENT,
    UNSAFE,
    LinkResult,
    LinkSettings,
)
from citelint.resources import cache_folder

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Warn = Callable[[str], None]

MAX_REDIRECTS = 10
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
DEAD_STATUSES = frozenset({404, 410})
# A HEAD answered with one of these is not trusted: servers often mishandle
# HEAD, so the verdict comes from a GET (which can also reveal a bot wall).
HEAD_DOUBTFUL_STATUSES = frozenset({400, 403, 404, 405, 406, 410, 501})
# After one of these, the host is asked with GET for the rest of the run.
HEAD_UNSUPPORTED_STATUSES = frozenset({405, 501})
# A host's HEAD 404/410 is believed without a GET once GET has agreed this many times.
HEAD_DEAD_TRUSTED_AFTER = 2
# Sites known to answer HEAD differently from GET; asked with GET from the start.
HEAD_LIARS = ("linkedin.com", "amazon.com", "instagram.com", "facebook.com", "x.com", "twitter.com")

# Failure kinds that mean "could not reach the host" - the only ones an
# offline network explains, so the only ones turned into `offline`.
CONNECT_FAILURES = frozenset({"connect", "refused", "timeout", "reset"})
NETWORK_FAILURES = CONNECT_FAILURES | {"nxdomain", "dns"}
RETRYABLE_FAILURES = frozenset({"connect", "refused", "timeout", "reset", "error"})
_FAILURE_STATES = {"nxdomain": DEAD, "invalid": DEAD, "unsafe": UNSAFE}

# Bounds for the per-host spacing learned from 429 answers.
MIN_BACKOFF_INTERVAL = 0.05
MAX_HOST_INTERVAL = 10.0

_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# Bodies are decompressed by _read_head_of_body, which bounds the output; only these are asked for.
_ACCEPTED_ENCODINGS = frozenset({"identity", "gzip", "x-gzip", "deflate"})
_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS  # zlib reads either header
# Compressed input read for a body before giving up on it (a stream that inflates to nothing).
_MAX_RAW_FACTOR = 4


@dataclasses.dataclass
class _Answer:
    """An HTTP response, reduced to what the verdict needs."""

    status: int
    headers: httpx.Headers
    body: str
    wall: str | None
    method: str  # of the request answered


@dataclasses.dataclass
class _Failure:
    """A request that produced no usable HTTP answer."""

    kind: str
    detail: str
    status: int | None = None

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE_FAILURES


_Outcome = _Answer | _Failure


class _LookupTimeout(Exception):
    """A DNS lookup given up on: `kind` is "budget" or "dns"."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the run resolved and vetted for that host name."""

    def __init__(self, pins: dict[str, list[str]]):
        self._pins = pins
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = self._pins.get(host)
        if not addresses:
            raise httpcore.ConnectError(f"refusing to connect to unvetted host {host}")
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("unix sockets are never used by the link checker")

    async def sleep(self, seconds):
        await self._inner.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with the pinned backend; httpx offers no public hook for the backend."""

    def __init__(self, pins: dict[str, list[str]], limits: httpx.Limits):
        ssl_context = httpx.create_ssl_context(trust_env=False)  # loading CA certificates is slow: once only
        super().__init__(verify=ssl_context, trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PinnedBackend(pins),
        )


class _PrioritySlots:
    """A semaphore that serves waiters by priority (lower first), then in arrival order, so
    the next request of a link already under way (a GET confirming a HEAD, a retry) goes
    before the first request of a link not yet started."""

    def __init__(self, count: int):
        self._free = count
        self._waiters: list[tuple[int, int, asyncio.Future]] = []
        self._arrivals = itertools.count()

    async def acquire(self, priority: int) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._arrivals), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # handed the slot just as it was cancelled: pass it on
            raise

    def release(self) -> None:
        while self._waiters:
            future = heapq.heappop(self._waiters)[2]
            if not future.done():
                future.set_result(None)
                return
        self._free += 1


class _HostGate:
    """Per-host politeness: a concurrency limit and a minimum spacing between request starts."""

    def __init__(self, concurrency: int, interval: float):
        self.slots = _PrioritySlots(concurrency)
        self.interval = interval
        self.next_start = 0.0  # time.monotonic() before which no request may start

    def pause(self, seconds: float) -> None:
        """Hold every request to this host back, e.g. for a Retry-After."""
        self.next_start = max(self.next_start, time.monotonic() + seconds)

    def slow_down(self) -> None:
        """The host said we are too fast (429): space later requests further apart."""
        self.interval = min(MAX_HOST_INTERVAL, max(MIN_BACKOFF_INTERVAL, self.interval * 1.05))


def _causes(exc: BaseException) -> list[BaseException]:
    """Every exception behind `exc`: httpx, httpcore and anyio each wrap the
    original OSError differently (cause, context, argument or exception group)."""
    found: list[BaseException] = []
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if any(current is seen for seen in found):
            continue
        found.append(current)
        linked = [current.__cause__, current.__context__, *current.args, *getattr(current, "exceptions", ())]
        pending.extend(e for e in linked if isinstance(e, BaseException))
    return found


def _failure_from_exception(exc: Exception) -> _Failure:
    """Name a transport error the way a reader of the report would."""
    chain = _causes(exc)
    if isinstance(exc, httpx.TimeoutException):
        return _Failure("timeout", "timed out")
    tls = next((e for e in chain if isinstance(e, ssl.SSLError)), None)
    if tls is not None:
        return _Failure("tls", f"TLS error: {getattr(tls, 'reason', None) or tls}")
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == errno.ECONNREFUSED for e in chain):
            return _Failure("refused", "connection refused")
        return _Failure("connect", f"connection failed: {exc}")
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return _Failure("reset", "connection reset")
    if isinstance(exc, httpx.RemoteProtocolError):
        return _Failure("reset", f"protocol error: {exc}")
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return _Failure("invalid", f"malformed URL ({exc})")
    return _Failure("error", f"request failed: {type(exc).__name__}: {exc}")


def _lies_to_head(host: str) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in HEAD_LIARS)


def _chain(redirects: list[tuple[int, str]], final_url: str) -> dict:
    """The redirect fields of a LinkResult for a chain walked so far."""
    return dict(
        redirects=tuple(redirects),
        final_url=final_url,
        permanent_redirect=any(status in PERMANENT_REDIRECTS for status, _ in redirects),
    )


def _server_key(addresses: list[str]) -> str:
    """One key per server, however its name is spelled: its lowest address (so the order of
    a DNS answer does not matter), IPv4-mapped addresses counted as their IPv4 address."""
    return min(addresses, key=lambda address: (":" in address, address))


class _Run:
    """State of one check_links call."""

    def __init__(self, settings: LinkSettings, resolver: safety.Resolver, progress: Progress | None, warn: Warn | None):
        self.settings = settings
        self._resolver = resolver
        self._progress = progress
        self._warn = warn
        self._excludes = safety.compile_excludes(settings.exclude)
        self._deadline = time.monotonic() + max(0.0, settings.total_budget)
        self._retries = max(0, settings.retries)
        self._global = asyncio.Semaphore(max(1, settings.max_concurrency))
        self._gates: dict[str, _HostGate] = {}
        self._pins: dict[str, list[str]] = {}
        self._lookups: dict[str, asyncio.Task] = {}
        self._lookup_slots = asyncio.Semaphore(max(1, settings.max_concurrency))
        self._get_only: set[str] = set()
        self._head_dead_agreed: dict[str, int] = {}  # host -> HEAD 404/410 answers GET confirmed
        # Sites (host[:port]) that answered, and those that could not be reached (with the failure kind).
        self._reached: set[str] = set()
        self._unreached: dict[str, str] = {}
        self._canary: asyncio.Task | None = None
        self._done = 0
        self._total = 0
        self._client: httpx.AsyncClient | None = None
        self._transport: _PinnedTransport | None = None
        self._cache: LinkCache | None = None

    # ----- run -------------------------------------------------------------

    async def run(self, urls: Iterable[str]) -> dict[str, LinkResult]:
        inputs = list(dict.fromkeys(u for u in urls if isinstance(u, str)))
        self._total = len(inputs)
        by_target: dict[str, list[str]] = {}
        for url in inputs:
            by_target.setdefault(urldefrag(url.strip())[0], []).append(url)

        if self.settings.use_cache:
            folder = cache_folder(self.settings.cache_dir)
            if folder is not None:  # else no home folder to keep it in: every link is checked afresh
                self._cache = await asyncio.to_thread(LinkCache, folder, self.settings.cache_ttl, self._warn)
        try:
            checked = await asyncio.gather(*(self._settle(target, by_target[target]) for target in by_target))
        finally:
            if self._client is not None:
                await self._client.aclose()
        results = await self._apply_offline(dict(zip(by_target, checked, strict=True)))
        if self._cache is not None:
            await asyncio.to_thread(self._cache.save)
        return {url: dataclasses.replace(results[target], url=url) for target, urls in by_target.items() for url in urls}

    async def _settle(self, target: str, inputs: list[str]) -> tuple[LinkResult, str | None]:
        """Check one target URL; never raises, and reports progress once it is known."""
        try:
            outcome = await self._result_for(target)
        except Exception as exc:  # a bug must cost one link, not the run
            log.exception("link check of %s failed", target)
            outcome = (self._result(target, TRANSIENT, f"internal error: {exc}"), "error")
        self._done += len(inputs)
        if self._progress is not None:
            try:
                self._progress(self._done, self._total)
            except Exception:
                log.exception("progress callback failed")
        return outcome

    async def _result_for(self, target: str) -> tuple[LinkResult, str | None]:
        """The result for one target and, for failures, the failure kind."""
        if any(p.search(target) for p in self._excludes):
            return self._result(target, EXCLUDED, "matches an exclude pattern"), None
        scheme = urlsplit(target).scheme.lower()
        if scheme not in safety.ALLOWED_SCHEMES:
            return self._result(target, SKIPPED, f"not checked: {scheme or 'no'} scheme"), None
        cached = self._cache.get(target, self.settings.allow_private) if self._cache else None
        if cached is not None:
            if self.settings.archive and not cached.archive_checked:
                cached = await self._add_archive(target, cached)
                if cached.archive_checked and self._cache is not None:
                    self._cache.add_archive(target, cached.archive_url)
            return cached, None
        result, public, kind = await self._follow(target)
        if self.settings.archive and result.state != UNSAFE:
            result = await self._add_archive(target, result)
        if self._cache is not None:
            self._cache.put(target, result, public)
        return result, kind

    async def _apply_offline(self, outcomes: dict[str, tuple[LinkResult, str | None]]) -> dict[str, LinkResult]:
        """Turn network failures into `offline` when the network, not the sites, is at fault.

        A failed canary lookup means DNS itself is down. Otherwise, when two or
        more sites were tried and none answered, the connection is down - but
        once the canary has resolved, "no such domain" answers are trusted and
        only connection-level failures count.
        """
        canary_failed = await self._canary if self._canary is not None else None
        if canary_failed:
            offline_kinds = NETWORK_FAILURES
        else:
            offline_kinds = CONNECT_FAILURES if canary_failed is False else NETWORK_FAILURES
            tried = {site for site, kind in self._unreached.items() if kind in offline_kinds}
            if self._reached or len(tried) < 2:
                offline_kinds = frozenset()
        results = {}
        for target, (result, kind) in outcomes.items():
            if kind in offline_kinds:
                result = dataclasses.replace(result, state=OFFLINE, detail=f"network unavailable ({result.detail})")
            results[target] = result
        return results

    def _result(self, url: str, state: str, detail: str, **fields) -> LinkResult:
        values: dict[str, Any] = dict(
            status=None,
            final_url=None,
            redirects=(),
            permanent_redirect=False,
            archive_url=None,
            from_cache=False,
        )
        values.update(fields)
        return LinkResult(url=url, state=state, detail=detail, **values)

    # ----- one link ----------------------------------------------------------

    async def _follow(self, target: str) -> tuple[LinkResult, bool, str | None]:
        """Walk the redirect chain by hand, recording each hop; returns (result, all-public, failure kind)."""
        redirects: list[tuple[int, str]] = []
        current = target
        public = True
        for _ in range(MAX_REDIRECTS + 1):
            chain = _chain(redirects, current)
            if urlsplit(current).scheme.lower() not in safety.ALLOWED_SCHEMES:
                return self._result(target, SKIPPED, "redirects to a non-HTTP URL", **chain), public, None
            outcome, hop_public = await self._fetch(current, vet=True, head_first=True)
            public = public and hop_public
            if isinstance(outcome, _Failure):
                state = _FAILURE_STATES.get(outcome.kind, TRANSIENT)
                return self._result(target, state, outcome.detail, status=outcome.status, **chain), public, outcome.kind
            location = outcome.headers.get("location")
            if outcome.status in REDIRECT_STATUSES and location and outcome.wall is None:
                redirects.append((outcome.status, urljoin(current, location.strip())))
                current = urldefrag(redirects[-1][1])[0]
                continue
            return self._verdict(target, outcome, chain), public, None
        chain = _chain(redirects, current)
        return self._result(target, BLOCKED, f"more than {MAX_REDIRECTS} redirects", **chain), public, None

    def _verdict(self, target: str, answer: _Answer, chain: dict) -> LinkResult:
        status = answer.status
        if answer.wall is not None:
            return self._result(target, BLOCKED, answer.wall, status=status, **chain)
        if status in DEAD_STATUSES:
            return self._result(target, DEAD, f"HTTP {status}", status=status, **chain)
        if status >= 400:
            return self._result(target, BLOCKED, f"HTTP {status}", status=status, **chain)
        if chain["permanent_redirect"]:
            return self._result(target, REDIRECTED, f"moved permanently to {chain['final_url']}", status=status, **chain)
        return self._result(target, OK, f"HTTP {status}", status=status, **chain)

    async def _fetch(self, url: str, *, vet: bool, head_first: bool, want_body: bool = False) -> tuple[_Outcome, bool]:
        """One URL, one hop: resolve, vet, then HEAD/GET with retries. Returns (outcome, all-public)."""
        try:
            parsed = httpx.URL(safety.browser_url(url))
            host = parsed.raw_host.decode("ascii")
        except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
            return _Failure("invalid", f"malformed URL ({exc})"), True
        if not host:
            return _Failure("invalid", "malformed URL (no host)"), True
        site = host if parsed.port is None else f"{host}:{parsed.port}"
        addresses = await self._addresses(host)
        if isinstance(addresses, _Failure):
            if vet and addresses.kind in NETWORK_FAILURES:
                self._unreached[site] = addresses.kind
            return addresses, True
        refusals = [(address, safety.non_public_reason(address)) for address in addresses]
        public = all(reason is None for _, reason in refusals)
        if vet and not public and not self.settings.allow_private:
            bad, reason = next((address, reason) for address, reason in refusals if reason is not None)
            named = "" if safety.ip_literal(host) else f" ({host} resolves to it)"
            return _Failure("unsafe", f"refused {reason} {bad}{named}"), False
        gate = self._gate(_server_key(addresses))
        outcome = await self._attempts(parsed, host, gate, head_first=head_first, want_body=want_body)
        if vet and isinstance(outcome, _Failure) and outcome.kind in NETWORK_FAILURES:
            self._unreached[site] = outcome.kind
        elif vet and not (isinstance(outcome, _Failure) and outcome.kind == "budget"):
            self._reached.add(site)
        return outcome, public

    async def _attempts(self, url: httpx.URL, host: str, gate: _HostGate, *, head_first: bool, want_body: bool) -> _Outcome:
        """HEAD (or GET) with fallback and retries until a verdict, the retry limit or the budget."""
        use_get = not head_first or _lies_to_head(host)
        head_status = None  # a doubted HEAD answer, for GET to confirm
        attempt = 0
        follow_up = False
        while True:
            outcome = await self._send(gate, "GET" if use_get else "HEAD", url, want_body, follow_up)
            follow_up = True
            if isinstance(outcome, _Answer) and outcome.method == "HEAD" and self._doubt_head(host, outcome):
                if outcome.status in HEAD_UNSUPPORTED_STATUSES:
                    self._get_only.add(host)
                head_status, use_get = outcome.status, True
                continue
            if head_status in DEAD_STATUSES and isinstance(outcome, _Answer):
                self._learn_head_dead(host, head_status, outcome.status)
            if isinstance(outcome, _Failure):
                retry_after, retryable = None, outcome.retryable
            elif outcome.wall is None and (outcome.status == 429 or 500 <= outcome.status <= 599):
                retry_after = signals.parse_retry_after(outcome.headers.get("retry-after"))
                retryable = True
                if outcome.status == 429:
                    gate.slow_down()
                outcome = _Failure("http", f"HTTP {outcome.status}", outcome.status)
            else:
                return outcome
            if not retryable or attempt >= self._retries:
                return self._after(outcome, attempt)
            delay = retry_after if retry_after is not None else self.settings.backoff_base * 2**attempt
            if time.monotonic() + delay >= self._deadline:
                reason = f"Retry-After {delay:g} s" if retry_after is not None else "retrying"
                return dataclasses.replace(outcome, detail=f"{outcome.detail}; {reason} would exceed the time budget")
            attempt += 1
            if retry_after is not None:
                gate.pause(delay)  # the host asked everyone to wait, not just this URL
            else:
                await asyncio.sleep(delay)

    @staticmethod
    def _after(failure: _Failure, attempt: int) -> _Failure:
        if attempt == 0:
            return failure
        return dataclasses.replace(failure, detail=f"{failure.detail} after retries ({attempt + 1} attempts)")

    def _doubt_head(self, host: str, answer: _Answer) -> bool:
        """Whether a HEAD answer needs confirming with GET."""
        if answer.wall is not None:
            return False
        status = answer.status
        if status in DEAD_STATUSES and self._head_dead_agreed.get(host, 0) >= HEAD_DEAD_TRUSTED_AFTER:
            return False
        if status in HEAD_DOUBTFUL_STATUSES or 500 <= status <= 599:
            return True
        return 200 <= status < 300 and signals.behind_bot_protection(answer.headers) and signals.is_html(answer.headers)

    def _learn_head_dead(self, host: str, head_status: int, get_status: int) -> None:
        """Count a host's HEAD 404/410 that GET confirmed; one that GET contradicts (GET
        succeeds) makes the host GET-only, so a host that mishandles HEAD never gets a link
        called dead. Other GET answers (429, 5xx) tell nothing either way."""
        if get_status == head_status:
            self._head_dead_agreed[host] = self._head_dead_agreed.get(host, 0) + 1
        elif get_status < 400:
            self._get_only.add(host)

    def _gate(self, key: str) -> _HostGate:
        gate = self._gates.get(key)
        if gate is None:
            gate = _HostGate(max(1, self.settings.per_host_concurrency), max(0.0, self.settings.per_host_interval))
            self._gates[key] = gate
        return gate

    async def _send(self, gate: _HostGate, method: str, url: httpx.URL, want_body: bool, follow_up: bool) -> _Outcome:
        """One request, started only when both the host gate and the global limit allow;
        a follow-up of a link under way goes before new links. HEAD turns into GET when the
        host has shown, while this request waited, that it mishandles HEAD."""
        self._http()  # set up before the start is stamped, so the spacing is real
        await gate.slots.acquire(0 if follow_up else 1)
        try:
            if method == "HEAD" and url.raw_host.decode("ascii") in self._get_only:
                method = "GET"
            while True:
                wait = gate.next_start - time.monotonic()
                if time.monotonic() + max(wait, 0.0) >= self._deadline:
                    return _Failure("budget", "not checked: time budget exhausted")
                if wait > 0:
                    await asyncio.sleep(wait)
                await self._global.acquire()
                if time.monotonic() >= gate.next_start:
                    break
                self._global.release()  # another request took the turn while we waited
            try:
                gate.next_start = time.monotonic() + gate.interval
                per_request = self.settings.timeout_connect + self.settings.timeout_read
                remaining = self._deadline - time.monotonic()
                try:
                    return await asyncio.wait_for(self._exchange(method, url, want_body), min(per_request, remaining))
                except asyncio.TimeoutError:
                    if remaining <= per_request:
                        return _Failure("budget", "not checked: time budget exhausted")
                    return _Failure("timeout", "timed out")
                except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
                    return _failure_from_exception(exc)
            finally:
                self._global.release()
        finally:
            gate.slots.release()

    def _http(self) -> tuple[httpx.AsyncClient, _PinnedTransport]:
        """The HTTP client, created on first use so a run served from the cache never pays for it."""
        if self._client is None or self._transport is None:
            limits = httpx.Limits(
                max_connections=max(1, self.settings.max_concurrency),
                max_keepalive_connections=max(1, self.settings.max_concurrency),
            )
            self._transport = _PinnedTransport(self._pins, limits)
            self._client = httpx.AsyncClient(
                transport=self._transport,
                timeout=httpx.Timeout(
                    connect=self.settings.timeout_connect,
                    read=self.settings.timeout_read,
                    write=self.settings.timeout_read,
                    pool=None,
                ),
                headers={"User-Agent": self.settings.user_agent, "Accept": _ACCEPT, "Accept-Language": "en;q=0.9, *;q=0.5",
                         "Accept-Encoding": "gzip, deflate"},
                follow_redirects=False,
                trust_env=False,
            )
        return self._client, self._transport

    async def _exchange(self, method: str, url: httpx.URL, want_body: bool) -> _Answer:
        """Send one request and read at most max_bytes of a GET body (enough to see a wall)."""
        client, transport = self._http()
        request = client.build_request(method, url)
        # Straight to the transport: the client would try to parse every
        # Location header, and an unparsable one must be reported, not raised.
        response = await transport.handle_async_request(request)
        response.request = request
        client.cookies.extract_cookies(response)
        try:
            body = ""
            if method == "GET" and (want_body or signals.is_html(response.headers)):
                body = await self._read_head_of_body(response)
            wall = signals.wall_from_headers(response.status_code, response.headers)
            if wall is None and body:
                wall = signals.wall_from_body(response.status_code, body)
            return _Answer(response.status_code, response.headers, body, wall, method)
        finally:
            await response.aclose()

    async def _read_head_of_body(self, response: httpx.Response) -> str:
        """The first max_bytes of the body, decompressed here rather than by httpx, which
        inflates each network chunk whole: a gzip bomb's 64 KB chunk can become 64 MB."""
        limit = max(1, self.settings.max_bytes)
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in _ACCEPTED_ENCODINGS:
            return ""  # not what we asked for: judged by status and headers alone
        inflater = zlib.decompressobj(_GZIP_OR_ZLIB) if encoding != "identity" else None
        data = bytearray()
        received = 0
        try:
            async for chunk in response.aiter_raw():
                received += len(chunk)
                data += inflater.decompress(chunk, limit - len(data)) if inflater is not None else chunk
                if len(data) >= limit or received >= _MAX_RAW_FACTOR * limit:
                    break
        except zlib.error:
            pass  # a corrupt stream: what was inflated so far is all there is
        try:
            return bytes(data[:limit]).decode(response.charset_encoding or "utf-8", errors="replace")
        except LookupError:  # unknown charset name
            return bytes(data[:limit]).decode("utf-8", errors="replace")

    # ----- names and the network --------------------------------------------

    async def _addresses(self, host: str) -> list[str] | _Failure:
        """Addresses for a host, looked up once per run and pinned for connecting."""
        literal = safety.ip_literal(host)
        if literal is not None:
            self._pins[host] = [safety.connect_address(literal)]
            return self._pins[host]
        task = self._lookups.get(host)
        if task is None:
            task = asyncio.ensure_future(self._lookup(host))
            self._lookups[host] = task
        return await task

    async def _lookup(self, host: str) -> list[str] | _Failure:
        try:
            answer = await self._resolve(host)
            addresses = [safety.connect_address(a) for a in map(safety.ip_literal, map(str, answer)) if a is not None]
        except _LookupTimeout as timeout:
            return _Failure(timeout.kind, timeout.detail)
        except safety.NameNotFound:
            self._start_canary()
            return _Failure("nxdomain", "NXDOMAIN")
        except Exception as exc:  # a resolver hook may raise anything
            self._start_canary()
            return _Failure("dns", f"DNS lookup failed: {exc}")
        if not addresses:
            return _Failure("dns", "DNS lookup returned no usable address")
        self._pins[host] = list(dict.fromkeys(addresses))
        return self._pins[host]

    async def _resolve(self, name: str) -> Any:
        """The resolver's answer, waited for no longer than a connection (or what is left of the
        budget). The lookup runs on a daemon thread: a lookup that never returns is abandoned
        there, and holds up neither the run nor the exit of the program."""
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise _LookupTimeout("budget", "not checked: time budget exhausted")
        loop = asyncio.get_running_loop()
        answer: asyncio.Future = loop.create_future()

        def settle(value: Any, error: BaseException | None) -> None:
            if answer.done():  # abandoned after a timeout
                return
            if error is not None:
                answer.set_exception(error)
            else:
                answer.set_result(value)

        def look_up() -> None:
            value, error = None, None
            try:
                value = self._resolver(name)
            except Exception as exc:  # handed to the awaiting task
                error = exc
            try:
                loop.call_soon_threadsafe(settle, value, error)
            except RuntimeError:  # the run is over and its event loop closed
                pass

        async with self._lookup_slots:
            threading.Thread(target=look_up, name=f"citelint-dns-{name}", daemon=True).start()
            try:
                return await asyncio.wait_for(answer, min(self.settings.timeout_connect, remaining))
            except asyncio.TimeoutError:
                if remaining <= self.settings.timeout_connect:
                    raise _LookupTimeout("budget", "not checked: time budget exhausted") from None
                raise _LookupTimeout("dns", "DNS lookup timed out") from None

    def _start_canary(self) -> None:
        """After a failed lookup, ask once whether a name that must exist resolves."""
        if self._canary is None and self.settings.offline_canary:
            self._canary = asyncio.ensure_future(self._canary_fails(self.settings.offline_canary))

    async def _canary_fails(self, name: str) -> bool:
        try:
            return not list(await self._resolve(name))
        except Exception:
            return True

    # ----- archive -----------------------------------------------------------

    async def _add_archive(self, target: str, result: LinkResult) -> LinkResult:
        """Ask the Wayback availability API for a snapshot of the target."""
        query = wayback.availability_url(self.settings.archive_endpoint, target)
        outcome, _ = await self._fetch(query, vet=False, head_first=False, want_body=True)
        if not isinstance(outcome, _Answer) or outcome.status != 200:
            return result
        try:
            snapshot = wayback.parse_availability(outcome.body)
        except ValueError as exc:
            log.debug("archive lookup for %s: %s", target, exc)
            return result
        return dataclasses.replace(result, archive_url=snapshot, archive_checked=True)


async def check_links_async(
    urls: Iterable[str],
    settings: LinkSettings,
    progress: Progress | None = None,
    *,
    resolver: safety.Resolver | None = None,
    warn: Warn | None = None,
) -> dict[str, LinkResult]:
    """Check every distinct URL; the result maps each input URL to its LinkResult.

    `resolver` replaces the system DNS lookup (tests use it to simulate being
    online or offline without a network). `warn` hears about problems a user
    should know of that are not about one link (a corrupt cache file); by default
    they are logged.
    """
    return await _Run(settings, resolver or safety.system_resolver, progress, warn).run(urls)


def check_links(
    urls: Iterable[str],
    settings: LinkSettings,
    progress: Progress | None = None,
    *,
    resolver: safety.Resolver | None = None,
    warn: Warn | None = None,
) -> dict[str, LinkResult]:
    """Synchronous check_links_async. Inside a running event loop it runs on a helper thread
    (and calls `progress` and `warn` from there)."""
    url_list = list(urls)

    def run() -> dict[str, LinkResult]:
        return asyncio.run(check_links_async(url_list, settings, progress, resolver=resolver, warn=warn))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
