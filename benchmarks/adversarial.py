"""Time citelint on adversarial inputs at growing sizes: does its work stay linear and bounded?

    .venv/bin/python benchmarks/adversarial.py [--sizes 10000,100000,1000000] [--only FAMILY] [--timeout 120]

Each family is one construct that made an earlier citelint super-linear (issue 15), repeated to
each size in characters, written to a file and linted by the command line's own ``main`` in a
child process of its own: the child first lints a one-line file of the same format (loading the
rules, lexicons, model and registry), then times ``citelint --format json --jobs 1`` on the
adversarial file; a child still running after ``--timeout`` seconds is killed, and its address
space is capped at ``--memory-limit`` so a runaway allocation ends in MemoryError, not in the
machine swapping. Printed per family and size: the lint's seconds (interpreter start-up and the
warm-up excluded; below 0.5 s, the least of repeated runs), the child's peak RSS (``ru_maxrss``
from ``os.wait4``), findings, internal errors (``internal-error`` diagnostics, exit status 2 or a
traceback), and the growth exponent: the log-log slope of seconds between one size and the next
(1.0 is linear, 2.0 quadratic). A family passes when, at the largest size, it took under 10 s and
500 MB with no internal error, and every exponent whose smaller run took 0.1 s or more is at most
1.2 (below 0.1 s, start-up noise decides the slope).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import resource
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))

from corpus_eval import markdown_table  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
MAX_SECONDS, MAX_RSS_MB, MAX_EXPONENT = 10.0, 500, 1.2
#: Below this many seconds the smaller run of a pair is mostly noise, so its slope is not judged.
MIN_SECONDS_FOR_EXPONENT = 0.1
#: A run shorter than this is repeated (up to _MAX_REPEATS times) and the least time kept.
_REPEAT_BELOW_SECONDS = 0.5
_MAX_REPEATS = 10
_POLL_SECONDS = 0.02

#: One paragraph of ordinary news prose (written for this benchmark): names, figures, quotes,
#: cues, a link in each format's syntax where ``{link}`` stands.
_PROSE = (
    "The Riverside Housing Institute said on Monday that 4,200 homes in the county had been empty for a year. "
    "According to officials, the figure rose by 12% in 2023. \u201cWe cannot build fast enough,\u201d said Mara Quill, "
    "who runs the council's planning office. Critics say the plan will fail, and the CPJ reported that 3 reporters "
    "were turned away from the hearing {link}. It is widely believed that rents will rise again. "
)
_LINKS = {
    "txt": "(https://example.org/report)",
    "md": "([report](https://example.org/report))",
    "html": '(<a href="https://example.org/report">report</a>)',
}


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def _counted(template: str) -> Callable[[int], str]:
    """``template`` with ``{n}`` counting up, repeated to the size (each repeat a new number)."""

    def build(size: int) -> str:
        parts, length = [], 0
        for number in itertools.count(1):
            if length >= size:
                break
            part = template.format(n=number)
            parts.append(part)
            length += len(part)
        return "".join(parts)[:size]

    return build


def _framed(head: str, unit: str, tail: str = "") -> Callable[[int], str]:
    """``head``, then ``unit`` repeated, then ``tail``: exactly the size when it allows."""
    return lambda size: head + _repeat(unit)(max(size - len(head) - len(tail), 0)) + tail


def _prose(fmt: str, *, full_stops: bool = True) -> str:
    text = _PROSE.format(link=_LINKS[fmt])
    return text if full_stops else text.replace(". ", " ")


@dataclass(frozen=True)
class Family:
    name: str
    suffix: str  # the file's extension, and so its format
    build: Callable[[int], str]
    #: 1 to build the largest size one character over it (the Markdown size limit is exclusive)
    extra: int = 0


_TABLE = ("| place | homes | change |\n|---|---|---|\n", "| Riverside | 4,200 | 12% |\n")

FAMILIES = [
    Family("numbers-with-commas", "txt", _counted("{n}, ")),
    Family("according-to", "txt", _repeat("according to ")),
    Family("according-to-institute", "txt", _repeat("according to the Riverside Housing Institute ")),
    Family("said-and-no-full-stop", "txt", _repeat("officials said the plan failed and ")),
    Family("widely-believed-one-paragraph", "txt", _repeat("It is widely believed that the plan failed. ")),
    Family("cpj-and", "txt", _repeat("the CPJ and ")),
    Family("prose-single-line", "txt", _repeat(_prose("txt"))),
    Family("prose-no-full-stops", "txt", _repeat(_prose("txt", full_stops=False))),
    Family("sentences-at-length-bound", "txt",
           _repeat("officials said the plan failed and " * 140 + "then it ended. ")),
    Family("directives-and-findings", "txt", _counted(
        "<!-- citelint-disable-next-line unsourced-figure -- checked -->\nOfficials said {n} homes flooded.\n\n")),
    Family("md-comment-open", "md", _repeat("<!--")),
    Family("md-link-open", "md", _repeat("[a](b")),
    Family("md-emphasis-open", "md", _repeat("*a_ ")),
    Family("md-table", "md", _framed(*_TABLE)),
    Family("md-table-over-1M", "md", _framed(*_TABLE), extra=1),
    Family("md-deep-quotes", "md", _repeat("> " * 31 + "Officials said 40 homes flooded.\n")),
    Family("md-quotes-over-depth", "md", _repeat("> " * 40 + "Officials said 40 homes flooded.\n")),
    Family("md-image-open", "md", _repeat("![a](b")),
    Family("md-emphasis-around-links", "md", _repeat("*a [a](b) ")),
    Family("md-code-open", "md", _repeat("`a`` ")),
    Family("md-underscore-word", "md", _repeat("a_")),
    Family("md-inline-html-open", "md", _repeat("a <? <!A <!-- ")),
    Family("md-list-items", "md", _repeat("- officials said 40 homes flooded\n")),
    Family("md-footnote-tab", "md", _counted("Homes flooded.[^{n}]\n\n[^{n}]:\tSee https://example.org/{n}.\n\n")),
    Family("md-prose-single-line", "md", _repeat(_prose("md"))),
    Family("md-prose-paragraphs", "md", _repeat(_prose("md") + "\n\n")),
    Family("html-comment-open", "html", _framed("<p>", "<!--")),
    Family("html-prose-single-line", "html", _framed("<p>", _prose("html"), "</p>\n")),
    *(Family(f"directive-whitespace-{suffix}", suffix, _framed("<!-- citelint-disable", " ", "x -->\n"))
      for suffix in ("txt", "md", "html")),
]


@dataclass
class Result:
    family: str
    size: int
    seconds: float | None  # None: timed out or crashed before timing
    rss_mb: float
    findings: int
    internal_errors: int
    problems: int  # malformed-input (CIT002) diagnostics: a reader fell back
    status: str  # "ok", "timeout", "exit N", "crash"


# -- the child: one timed lint -------------------------------------------------------------


def measure(path: Path, scratch: Path) -> dict:
    """Lint ``path`` through the command line's ``main`` and time it (run in the child)."""
    from citelint.cli import main

    warm = scratch / f"warm{path.suffix}"
    warm.write_text("Officials said 40 homes flooded.\n", encoding="utf-8")
    main(["--format", "json", "-q", "--jobs", "1", "-o", str(scratch / "warm.json"), str(warm)])
    out = scratch / "out.json"
    argv = ["--format", "json", "-q", "--jobs", "1", "-o", str(out), str(path)]
    best, status = math.inf, 0
    for _ in range(_MAX_REPEATS):
        out.unlink(missing_ok=True)  # a run that fails before writing must not count the last report
        started = time.perf_counter()
        status = main(argv)
        elapsed = time.perf_counter() - started
        best = min(best, elapsed)
        if elapsed >= _REPEAT_BELOW_SECONDS or status == 2:
            break
    try:
        diagnostics = json.loads(out.read_text(encoding="utf-8"))["diagnostics"]
    except (OSError, ValueError, KeyError):
        diagnostics = []
    return {
        "seconds": best,
        "status": status,
        "findings": len(diagnostics),
        "internal_errors": sum(d["rule"] == "internal-error" for d in diagnostics),
        "problems": sum(d["rule"] == "malformed-input" for d in diagnostics),
    }


# -- the parent: one child per family and size ----------------------------------------------


def run_one(family: Family, size: int, scratch: Path, timeout: float, memory_limit_mb: int) -> Result:
    path = scratch / f"{family.name}-{size}.{family.suffix}"
    path.write_text(family.build(size + family.extra), encoding="utf-8")
    argv = [sys.executable, str(Path(__file__).resolve()), "--measure", str(path), "--scratch", str(scratch)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    limit = memory_limit_mb * 1024 * 1024

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(argv, stdout=out, stderr=err, env=env, preexec_fn=cap_memory)
        deadline = time.monotonic() + timeout
        timed_out = False
        while True:
            pid, wait_status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.send_signal(signal.SIGKILL)
                _, wait_status, usage = os.wait4(child.pid, 0)
                timed_out = True
                break
            time.sleep(_POLL_SECONDS)
        child.returncode = os.waitstatus_to_exitcode(wait_status)
        out.seek(0)
        err.seek(0)
        report, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    rss_mb = usage.ru_maxrss / 1024
    path.unlink()
    if timed_out:
        return Result(family.name, size, None, rss_mb, 0, 0, 0, "timeout")
    try:
        measured = json.loads(report.strip().splitlines()[-1])
    except (ValueError, IndexError):
        tail = " / ".join(stderr.strip().splitlines()[-2:])
        print(f"warning: {family.name} at {size:,}: the child exited {child.returncode}: {tail}", file=sys.stderr)
        return Result(family.name, size, None, rss_mb, 0, 1, 0, "crash")
    crashed = measured["status"] == 2 or "Traceback" in stderr
    return Result(family.name, size, measured["seconds"], rss_mb, measured["findings"],
                  measured["internal_errors"] + crashed, measured["problems"],
                  f"exit {measured['status']}" if crashed else "ok")


def exponent(small: Result, large: Result) -> float | None:
    if small.seconds is None or large.seconds is None or small.seconds <= 0:
        return None
    return math.log(large.seconds / small.seconds) / math.log(large.size / small.size)


def verdict(results: list[Result]) -> str:
    """``pass``, or what failed: the largest size's time, memory and errors, and the judged slopes."""
    failures = []
    top = results[-1]
    if top.seconds is None:
        failures.append(top.status)
    elif top.seconds >= MAX_SECONDS:
        failures.append(f"{top.seconds:.0f} s")
    if top.rss_mb >= MAX_RSS_MB:
        failures.append(f"{top.rss_mb:.0f} MB")
    if any(result.internal_errors for result in results):
        failures.append("internal error")
    for small, large in itertools.pairwise(results):
        slope = exponent(small, large)
        if slope is not None and small.seconds is not None and small.seconds >= MIN_SECONDS_FOR_EXPONENT \
                and slope > MAX_EXPONENT:
            failures.append(f"exponent {slope:.2f}")
    return "FAIL: " + ", ".join(failures) if failures else "pass"


def _size_label(size: int) -> str:
    return f"{size // 1_000_000} M" if size >= 1_000_000 else f"{size // 1000} K"


def table(families: list[Family], results: dict[str, list[Result]], sizes: list[int]) -> str:
    headers = ["family", "format"]
    for size in sizes:
        headers += [f"s @{_size_label(size)}", f"MB @{_size_label(size)}"]
    headers += [f"exp {_size_label(a)}→{_size_label(b)}" for a, b in itertools.pairwise(sizes)]
    headers += ["findings @max", "CIT002 @max", "internal errors", "verdict"]
    rows = []
    for family in families:
        runs = results[family.name]
        row: list[object] = [family.name, family.suffix]
        for result in runs:
            row += ["—" if result.seconds is None else f"{result.seconds:.2f}", f"{result.rss_mb:.0f}"]
        for small, large in itertools.pairwise(runs):
            slope = exponent(small, large)
            row.append("—" if slope is None else f"{slope:.2f}")
        row += [f"{runs[-1].findings:,}", runs[-1].problems, sum(r.internal_errors for r in runs), verdict(runs)]
        rows.append(row)
    return markdown_table(headers, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="sizes in characters, comma-separated")
    parser.add_argument("--only", action="append", metavar="FAMILY", help="run only this family (repeatable)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a child is killed (default 120)")
    parser.add_argument("--memory-limit", type=int, default=4096, metavar="MB",
                        help="address-space cap of each child (default 4096)")
    parser.add_argument("--list", action="store_true", help="list the families and exit")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child's side
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.scratch)))
        return 0
    if args.list:
        for family in FAMILIES:
            print(f"{family.name} ({family.suffix})")
        return 0
    families = [family for family in FAMILIES if not args.only or family.name in args.only]
    unknown = sorted(set(args.only or ()) - {family.name for family in families})
    if unknown:
        print(f"error: unknown family: {', '.join(unknown)} (see --list)", file=sys.stderr)
        return 2
    sizes = sorted(int(size) for size in args.sizes.split(","))
    print(f"$ {shlex.join(['python3', 'benchmarks/adversarial.py', *(sys.argv[1:] if argv is None else argv)])}\n")
    print(f"CPUs: {os.cpu_count()}; load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"Python {sys.version.split()[0]}\n", flush=True)
    results: dict[str, list[Result]] = {}
    with tempfile.TemporaryDirectory(prefix="citelint-adversarial-") as folder:
        for family in families:
            results[family.name] = []
            for size in sizes:
                result = run_one(family, size, Path(folder), args.timeout, args.memory_limit)
                results[family.name].append(result)
                shown = "—" if result.seconds is None else f"{result.seconds:.2f} s"
                print(f"  {family.name} @ {size:,}: {shown}, {result.rss_mb:.0f} MB, {result.status}",
                      file=sys.stderr, flush=True)
    print(table(families, results, sizes))
    print(f"\nload average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if all(verdict(runs) == "pass" for runs in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
