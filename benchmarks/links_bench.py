"""Link-checker benchmark against rate-limited local servers, compared with markdown-link-check.

Starts N HTTP servers on 127.0.0.1 (never any other address) that each add
latency and answer 429 + Retry-After when asked more than a few times a second,
writes a Markdown file linking to all of them (a few links really are 404),
then times citelint's checker (cold, then with a warm cache) and, when npm can
install it, markdown-link-check with retryOn429 on the same file.

    python3 benchmarks/links_bench.py [--links 2000] [--servers 20] [--no-mlc]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from citelint.links import DEAD, LinkSettings, check_links  # noqa: E402

LATENCY = 0.05  # seconds added to every answer
RATE_LIMIT = 5  # answered requests per rolling second before 429
DEAD_EVERY = 200  # one link in this many is a real 404


class RateLimitedServer:
    """One slow, rate-limited site on 127.0.0.1."""

    def __init__(self, dead_paths: set[str]):
        self.recent: collections.deque[float] = collections.deque()
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                time.sleep(LATENCY)
                with server.lock:
                    now = time.monotonic()
                    while server.recent and now - server.recent[0] >= 1.0:
                        server.recent.popleft()
                    limited = len(server.recent) >= RATE_LIMIT
                    if not limited:
                        server.recent.append(now)
                if limited:
                    status, body, extra = 429, b"slow down", {"Retry-After": "1"}
                elif self.path in dead_paths:
                    status, body, extra = 404, b"<html><title>Not found</title></html>", {}
                else:
                    status, body, extra = 200, b"<html><title>A story</title><body>Words.</body></html>", {}
                with server.lock:
                    server.counts[status] += 1
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def build_links(servers: list[RateLimitedServer], count: int, dead_paths: set[str]) -> tuple[list[str], set[str]]:
    """`count` URLs spread over the servers in shuffled order, and the subset that is really dead."""
    urls, dead = [], set()
    for n in range(count):
        server = servers[n % len(servers)]
        path = f"/story/{n}"
        urls.append(server.base + path)
        if path in dead_paths:
            dead.add(server.base + path)
    random.Random(7).shuffle(urls)
    return urls, dead


def write_markdown(urls: list[str], path: Path) -> None:
    lines = ["# Sources", ""] + [f"- [Source number {i}]({url})" for i, url in enumerate(urls)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_citelint(urls: list[str], cache_dir: Path) -> tuple[float, dict]:
    settings = LinkSettings(allow_private=True, cache_dir=cache_dir, total_budget=300.0)
    started = time.perf_counter()
    results = check_links(urls, settings)
    return time.perf_counter() - started, results


def install_mlc(workdir: Path) -> tuple[Path | None, str]:
    """Install markdown-link-check into workdir; returns (executable, reason if unavailable)."""
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm is not installed"
    try:
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", "markdown-link-check"],
            cwd=workdir, capture_output=True, text=True, timeout=300,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"npm install failed: {exc}"
    executable = workdir / "node_modules" / ".bin" / "markdown-link-check"
    if done.returncode != 0 or not executable.exists():
        return None, f"npm install failed: {done.stderr.strip()[-300:]}"
    return executable, ""


def run_mlc(executable: Path, markdown: Path, workdir: Path) -> tuple[float, set[str], str]:
    """Run markdown-link-check; returns (seconds, URLs it reported dead, problem or '')."""
    config = workdir / "mlc.json"
    config.write_text(json.dumps({"retryOn429": True, "retryCount": 2, "fallbackRetryDelay": "1s"}), encoding="utf-8")
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [str(executable), "-q", "-c", str(config), str(markdown)],
            capture_output=True, text=True, timeout=1200,
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, set(), "timed out after 1200 s"
    seconds = time.perf_counter() - started
    output = done.stdout + done.stderr
    dead = set(re.findall(r"\[✖\]\s+(\S+)\s+→", output))
    return seconds, dead, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--servers", type=int, default=20)
    parser.add_argument("--no-mlc", action="store_true", help="skip markdown-link-check")
    args = parser.parse_args()

    dead_paths = {f"/story/{n}" for n in range(0, args.links, DEAD_EVERY)}
    servers = [RateLimitedServer(dead_paths) for _ in range(args.servers)]
    urls, truly_dead = build_links(servers, args.links, dead_paths)
    with tempfile.TemporaryDirectory(prefix="citelint-links-bench-") as tmp:
        workdir = Path(tmp)
        markdown = workdir / "article.md"
        write_markdown(urls, markdown)
        print(f"{len(urls)} links over {len(servers)} servers on 127.0.0.1 "
              f"({LATENCY * 1000:.0f} ms latency, 429 above {RATE_LIMIT} req/s), {len(truly_dead)} really dead")

        cold, results = run_citelint(urls, workdir / "cache")
        states = collections.Counter(r.state for r in results.values())
        wrongly_dead = sum(1 for u, r in results.items() if r.state == DEAD and u not in truly_dead)
        missed = sum(1 for u in truly_dead if results[u].state != DEAD)
        print(f"citelint cold:   {cold:7.2f} s  states={dict(states)}  misreported dead={wrongly_dead}  missed dead={missed}")
        served = sum((s.counts for s in servers), collections.Counter())
        print(f"                 server answers: {dict(served)}")

        warm, warm_results = run_citelint(urls, workdir / "cache")
        cached = sum(r.from_cache for r in warm_results.values())
        print(f"citelint warm:   {warm:7.2f} s  from cache={cached}/{len(urls)}  (target < 1 s)")

        if args.no_mlc:
            print("markdown-link-check: skipped (--no-mlc)")
        else:
            executable, reason = install_mlc(workdir)
            if executable is None:
                print(f"markdown-link-check: not run ({reason})")
            else:
                seconds, reported, problem = run_mlc(executable, markdown, workdir)
                if problem:
                    print(f"markdown-link-check: {problem}")
                mlc_wrong = len(reported - truly_dead)
                mlc_missed = len(truly_dead - reported)
                print(f"markdown-link-check: {seconds:7.2f} s  reported dead={len(reported)}  "
                      f"misreported dead={mlc_wrong}  missed dead={mlc_missed}")
                print(f"ratio markdown-link-check / citelint cold: {seconds / cold:.2f}x")
    for server in servers:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
