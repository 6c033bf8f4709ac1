"""Throughput of ``citelint audit`` on Reuters and BBC: local pool and Dask LocalCluster, 1 and 2 workers.

    python3 benchmarks/audit_bench.py [--corpora /work/shared/corpora] [--reuters-limit 0] [--skip-bbc]

Each run is ``citelint audit`` as a user would run it (a child process, output to a fresh
temporary folder; the default partition size on Reuters, 100 on the small BBC corpus), timed
from start to exit, so planning, start-up (and for Dask the LocalCluster's) and writing the
Parquet are counted. Peak memory per worker is the largest peak resident size of any one
process below the command (pool workers, Dask workers and nannies; the command itself for a
1-worker local run, which lints in its own process), sampled from /proc. Scaling efficiency is
the 2-worker throughput over twice the 1-worker throughput of the same runner. The sizing table
divides the article counts by the measured 2-worker local throughput per core of each corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))

from corpus_eval import DEFAULT_CORPORA, markdown_table  # noqa: E402
from speed import _children, _rss_kb  # noqa: E402

_SAMPLE_SECONDS = 0.1
SIZES = (1_000_000, 10_000_000, 100_000_000)
CORES = (2, 16, 64)
BBC_PARTITION = 100


@dataclass
class Run:
    corpus: str
    runner: str
    workers: int
    articles: int
    words: int
    wall: float
    worker_peak_kb: int

    @property
    def rate(self) -> float:
        return self.articles / self.wall


def descendants(pid: int) -> list[int]:
    found, pending = [], _children(pid)
    while pending:
        current = pending.pop()
        found.append(current)
        pending += _children(current)
    return found


def timed_audit(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds of ``argv`` and the largest peak RSS (KB) of any process below it."""
    peaks: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(_SAMPLE_SECONDS):
            for pid in descendants(process.pid):
                peaks[pid] = max(peaks.get(pid, 0), _rss_kb(pid))

    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    root_peak_kb = usage.ru_maxrss
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{shlex.join(argv)} exited {process.returncode}: {err.decode(errors='replace')[-500:]}")
    # a 1-worker local audit lints in the command's own process: that process is its worker
    return wall, max(peaks.values(), default=root_peak_kb)


def audit_totals(outdir: Path) -> tuple[int, int]:
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["partitions"].values()
    return sum(c["articles"] for c in counts), sum(c["words"] for c in counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--reuters-limit", type=int, default=0, help="first N Reuters stories (0: all 19,043)")
    parser.add_argument("--skip-bbc", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    print(f"$ {shlex.join(['python3', 'benchmarks/audit_bench.py', *(sys.argv[1:] if argv is None else argv)])}\n")
    print(f"CPUs: {os.cpu_count()}; load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"Python {sys.version.split()[0]}\n")

    with tempfile.TemporaryDirectory(prefix="citelint-audit-bench-") as scratch:
        reuters = args.corpora / "reuters" / "reuters21578_articles.jsonl"
        if args.reuters_limit:
            sample = Path(scratch) / "reuters.jsonl"
            with open(reuters, encoding="utf-8") as source, open(sample, "w", encoding="utf-8") as out:
                out.writelines(line for _, line in zip(range(args.reuters_limit), source, strict=False))
            reuters = sample
        corpora = [("Reuters", [str(reuters), "--text-field", "title,body"])]
        if not args.skip_bbc:
            # 2,225 articles: at the default 2,000 a partition, one worker would do nearly all of them
            corpora.append(("BBC", [str(args.corpora / "bbc"), "--partition-size", str(BBC_PARTITION)]))
        runners = [("local", [])] + ([] if args.skip_dask else [("Dask LocalCluster", ["--dask"])])
        runs: list[Run] = []
        for corpus, source in corpora:
            for runner, flags in runners:
                for workers in (1, 2):
                    outdir = Path(scratch) / f"{corpus}-{runner}-{workers}".replace(" ", "-")
                    command = [sys.executable, "-m", "citelint", "audit", *source, "-o", str(outdir), "-q",
                               "-j", str(workers), *flags]
                    print(f"$ {shlex.join(command).replace(scratch, '$TMP')}", file=sys.stderr)
                    wall, peak = timed_audit(command, env)
                    articles, words = audit_totals(outdir)
                    runs.append(Run(corpus, runner, workers, articles, words, wall, peak))
                    print(f"  {articles:,} articles in {wall:.1f} s", file=sys.stderr)
    print(report(runs))
    print(f"\nload average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def report(runs: list[Run]) -> str:
    rows = []
    for run in runs:
        single = next(r for r in runs if (r.corpus, r.runner, r.workers) == (run.corpus, run.runner, 1))
        efficiency = f"{run.rate / (2 * single.rate):.2f}" if run.workers == 2 else ""
        rows.append([run.corpus, run.runner, run.workers, f"{run.articles:,}", f"{run.wall:.1f}", f"{run.rate:,.0f}",
                     f"{run.words / run.wall:,.0f}", efficiency, f"{run.worker_peak_kb / 1024:.0f}"])
    table = markdown_table(["corpus", "runner", "workers", "articles", "wall s", "articles/s", "words/s",
                            "scaling efficiency", "peak RSS MB per worker"], rows)
    sizing = []
    for pool in (r for r in runs if (r.runner, r.workers) == ("local", 2)):
        per_core = pool.rate / 2
        words = pool.words / pool.articles
        sizing += [[f"{size:,}", f"{pool.corpus} ({words:,.0f} words, {per_core:,.0f}/s per core)",
                    f"{size / per_core / 3600:,.1f}", *(f"{size / per_core / cores / 3600:,.2f}" for cores in CORES)]
                   for size in SIZES]
    if not sizing:
        return table
    sizing.sort(key=lambda row: int(row[0].replace(",", "")))
    return (table + "\n\nSizing from the 2-worker local runs' throughput per core, for articles as long as each corpus's:\n\n"
            + markdown_table(["articles", "like", "core-hours", *(f"hours on {cores} cores" for cores in CORES)], sizing))

if __name__ == "__main__":
    sys.exit(main())
