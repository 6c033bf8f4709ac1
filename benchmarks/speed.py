"""Time citelint against proselint 0.16 on the same BBC articles, and citelint alone on Reuters at scale.

    python3 benchmarks/speed.py --corpus /work/shared/corpora/bbc [--reuters-limit 5000] [--proselint PATH]

Two scenarios, side by side in one run:

* **one article** (what a pre-commit hook sees): both tools on the first BBC article, interleaved,
  median of ``--article-runs`` (default 7); citelint with a cold result cache (an empty cache
  folder each run) and a warm one. Then the start-up split of one citelint run, measured inside a
  child process: imports, loading (rules, lexicons, registry, models, tagger weights) and the analysis.
* **the corpus**: one command over all files, JSON output to a file, median of ``--corpus-runs``;
  citelint with its default process pool (one worker per CPU) and a cold result cache, the same
  again warm, and with ``-j 1`` (cold), because proselint 0.16 lints files one after another in a
  single process.

citelint runs as a user's install runs it: built into a wheel and installed, with its
dependencies from the package index, into a fresh virtual environment, as proselint is (and as
pre-commit installs a hook). Run from the checkout instead (``--in-place``: this interpreter, the
checkout on ``PYTHONPATH``), start-up also pays for whatever the interpreter's site loads: a
development venv's editable-install hook cost ~17 ms a run here, 8% of the one-article run.

Each run is a child process timed from start to exit; its CPU time and the peak RSS of its largest
process (a pool worker, or the only process) come from ``os.wait4``, and the peak RSS summed over
its whole process tree (pool workers included) from sampling /proc. Files are read once beforehand
so neither tool pays for a cold disk cache. citelint's bytecode is compiled first, as an install
compiles it (a machine with ``PYTHONDONTWRITEBYTECODE`` set otherwise recompiles every module
edited since its last bytecode at every start: 14 ms for the attribution module alone).
citelint's derived-data cache (validated rules, registry, weights) is warmed by a first run that
is not timed: that is every run but the first after an install or an upgrade.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))

from corpus_eval import DEFAULT_CORPORA, markdown_table, reuters_documents  # noqa: E402

PROSELINT_VERSION = "0.16.0"
PROSELINT_VENV = Path(tempfile.gettempdir()) / f"citelint-bench-proselint-{PROSELINT_VERSION}"
_SAMPLE_SECONDS = 0.05


@dataclass
class Run:
    label: str
    files: int
    words: int
    wall: float
    cpu: float
    max_rss_kb: int
    tree_rss_kb: int
    exit_code: int
    findings: int | None

    def row(self) -> list[object]:
        return [
            self.label, f"{self.files:,}", f"{self.words:,}", f"{self.wall:.1f}", f"{self.files / self.wall:,.0f}",
            f"{self.words / self.wall:,.0f}", f"{self.cpu:.1f}", f"{self.max_rss_kb / 1024:.0f}",
            f"{self.tree_rss_kb / 1024:.0f}", "?" if self.findings is None else f"{self.findings:,}",
        ]


HEADERS = ["run", "files", "words", "wall s", "files/s", "words/s", "CPU s",
           "peak RSS MB (largest process)", "peak RSS MB (process tree)", "findings"]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, now (0 where /proc is unavailable)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += _rss_kb(current)
        pending += _children(current)
    return total


def timed(label: str, argv: list[str], output: Path, files: int, words: int, **popen) -> Run:
    """Run ``argv`` with stdout to ``output``; wall and CPU time, peak memory, exit code."""
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(_SAMPLE_SECONDS):
            peak = max(peak, tree_rss_kb(process.pid))

    with open(output, "wb") as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, **popen)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):  # both tools exit 1 when they find something
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            print(f"warning: {label} exited {process.returncode}: " + " / ".join(tail), file=sys.stderr)
    return Run(label, files, words, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
               max(peak, usage.ru_maxrss), process.returncode, None)


def count_citelint(output: Path) -> int | None:
    try:
        return len(json.loads(output.read_text(encoding="utf-8"))["diagnostics"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def count_proselint(output: Path) -> int | None:
    try:
        results = json.loads(output.read_text(encoding="utf-8"))["result"].values()
        return sum(len(entry.get("diagnostics", [])) for entry in results)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def find_proselint(explicit: str | None) -> Path | None:
    """proselint 0.16 from --proselint, PATH, or a temporary venv made for the benchmark."""
    candidates = [explicit] if explicit else [shutil.which("proselint"), str(PROSELINT_VENV / "bin" / "proselint")]
    for candidate in filter(None, candidates):
        if _proselint_version(candidate) == PROSELINT_VERSION:
            return Path(candidate)
    if explicit:
        return None
    print(f"installing proselint=={PROSELINT_VERSION} into {PROSELINT_VENV} ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PROSELINT_VENV)], check=True, capture_output=True)
        subprocess.run([str(PROSELINT_VENV / "bin" / "pip"), "install", "-q", f"proselint=={PROSELINT_VERSION}"],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"could not install proselint: {error}", file=sys.stderr)
        return None
    installed = PROSELINT_VENV / "bin" / "proselint"
    return installed if _proselint_version(str(installed)) == PROSELINT_VERSION else None


def _proselint_version(executable: str) -> str | None:
    try:
        done = subprocess.run([executable, "version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    words = (done.stdout + done.stderr).split()
    return words[1] if len(words) >= 2 and words[0] == "Proselint" else None


def interpreter_cpu(python: str, runs: int) -> float:
    """Median CPU seconds of ``python -c pass``: the floor of any start-up."""
    samples = []
    for _ in range(runs):
        started = os.times()
        subprocess.run([python, "-c", "pass"], check=True)
        ended = os.times()
        samples.append(ended.children_user + ended.children_system - started.children_user - started.children_system)
    return statistics.median(samples)


def word_count(paths: list[Path]) -> int:
    """Whitespace-separated words; reading every file also warms the disk cache for both tools."""
    return sum(len(path.read_bytes().decode("utf-8", "replace").split()) for path in paths)


@dataclass(frozen=True)
class Citelint:
    """How the benchmark runs citelint: the command, the interpreter behind it, and the folder and
    environment it runs in."""

    command: tuple[str, ...]
    python: str
    cwd: Path
    env: dict[str, str]


def in_place() -> Citelint:
    """The checkout, run by this interpreter with the checkout on ``PYTHONPATH``."""
    compileall.compile_dir(REPO / "citelint", quiet=1)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return Citelint((sys.executable, "-m", "citelint"), sys.executable, REPO, env)


def installed(scratch: Path) -> Citelint | None:
    """The checkout built into a wheel and installed into a fresh venv under ``scratch`` (its
    dependencies from the package index), run by its ``citelint`` script from ``scratch``, so the
    checkout is not on the path. None, with the reason printed, when it cannot be installed."""
    venv = scratch / "citelint-venv"
    try:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(scratch / "wheel"), str(REPO)],
                       check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        wheel = next((scratch / "wheel").glob("*.whl"))
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True)
        # As pip compiles an install's bytecode, whatever PYTHONDONTWRITEBYTECODE says.
        subprocess.run([str(venv / "bin" / "python"), "-m", "compileall", "-q", str(venv / "lib")],
                       check=True, capture_output=True)
    except (OSError, StopIteration, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        print(f"could not install citelint from a wheel: {error} {detail.decode(errors='replace')[-300:]}",
              file=sys.stderr)
        return None
    return Citelint((str(venv / "bin" / "citelint"),), str(venv / "bin" / "python"), scratch, dict(os.environ))


def citelint_argv(citelint: Citelint, jobs: int, output: Path, paths: list[str], cache: Path | None = None) -> list[str]:
    """citelint over ``paths``; with a result cache in ``cache``, else none (``--no-cache``)."""
    caching = ["--cache-dir", str(cache)] if cache is not None else ["--no-cache"]
    return [*citelint.command, "--format", "json", "-q", "-j", str(jobs), *caching, "-o", str(output), *paths]


def median_run(runs: list[Run]) -> Run:
    """One row for repeated runs: median wall and CPU time, the largest peak memory."""
    first = runs[0]
    return Run(first.label, first.files, first.words, statistics.median(run.wall for run in runs),
               statistics.median(run.cpu for run in runs), max(run.max_rss_kb for run in runs),
               max(run.tree_rss_kb for run in runs), first.exit_code, first.findings)


_STARTUP_SPLIT = """
import sys, time
started = time.process_time()
from citelint.cli import main
from citelint.config import Config
from citelint.discovery import Target
from citelint.engine import Linter
from citelint.analysis.cues import CueTagger
from pathlib import Path
imported = time.process_time()
linter = Linter(Config())
CueTagger.load()
loaded = time.process_time()
linter.lint_target(Target(Path(sys.argv[1]), explicit=True))
analysed = time.process_time()
print(imported - started, loaded - imported, analysed - loaded)
"""


def startup_split(article: Path, citelint: Citelint, runs: int) -> tuple[float, float, float]:
    """Median CPU seconds of one citelint run on ``article`` spent importing, loading and analysing."""
    samples = []
    for _ in range(runs):
        done = subprocess.run([citelint.python, "-c", _STARTUP_SPLIT, str(article)], capture_output=True, text=True,
                              env=citelint.env, cwd=citelint.cwd, check=True)
        samples.append([float(value) for value in done.stdout.split()])
    imports, loading, analysis = (statistics.median(column) for column in zip(*samples, strict=True))
    return imports, loading, analysis


def one_article(article: Path, proselint: Path | None, runs: int, scratch: Path, citelint: Citelint) -> list[Run]:
    """Each tool on one article, interleaved, ``runs`` times: the median of each."""
    words = word_count([article])
    warm = scratch / "warm-cache"
    popen: dict[str, Any] = {"cwd": citelint.cwd, "env": citelint.env}
    subprocess.run(citelint_argv(citelint, 1, scratch / "a.json", [str(article)], warm), **popen, check=False,
                   capture_output=True)  # warms the derived data and the result cache
    samples: dict[str, list[Run]] = {}
    for number in range(runs):
        commands: list[tuple[str, list[str], dict]] = []
        if proselint is not None:
            commands.append((f"proselint {PROSELINT_VERSION}", [str(proselint), "check", "-o", "json", str(article)], {}))
        cold = scratch / f"cold-cache-{number}"
        commands.append(("citelint, cold result cache",
                         citelint_argv(citelint, 1, scratch / "a.json", [str(article)], cold), popen))
        commands.append(("citelint, warm result cache",
                         citelint_argv(citelint, 1, scratch / "a.json", [str(article)], warm), popen))
        for label, argv, options in commands:
            samples.setdefault(label, []).append(timed(label, argv, scratch / "stdout", 1, words, **options))
    return [median_run(runs_of_one) for runs_of_one in samples.values()]


def failed(rows: list[Run]) -> bool:
    """Whether a run ended in an error (exit status other than 0 or 1), which makes its time
    meaningless: say so rather than print ratios."""
    broken = [run.label for run in rows if run.exit_code not in (0, 1)]
    if broken:
        print(f"error: {', '.join(broken)} failed (see the warnings above): no ratios", file=sys.stderr)
    return bool(broken)


def ratios(rows: list[Run], reference: str, target: str) -> list[str]:
    """How many times faster than ``reference`` each citelint row is, in wall and CPU time."""
    base = next((run for run in rows if run.label.startswith(reference)), None)
    if base is None:
        return []
    return [f"{run.label}: {base.wall / run.wall:.2f}x proselint's wall time, {base.cpu / run.cpu:.2f}x its CPU time"
            f" ({target})" for run in rows if run.label.startswith("citelint") and "Reuters" not in run.label]


def shown(argv: list[str], paths: int, scratch: Path, what: str = "") -> str:
    """The command as a user would type it: the last ``paths`` arguments summarised, temp folder as $TMP."""
    head = ["python3" if argv[0] == sys.executable else argv[0], *argv[1:-paths]]
    return (shlex.join(head) + f" <{what or f'{paths:,} files'}>").replace(str(scratch), "$TMP")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPORA / "bbc", help="BBC folder (<topic>/*.txt)")
    parser.add_argument("--reuters", type=Path, default=DEFAULT_CORPORA / "reuters" / "reuters21578_articles.jsonl")
    parser.add_argument("--reuters-limit", type=int, default=5000, help="Reuters articles to write out (0: skip)")
    parser.add_argument("--proselint", help=f"proselint {PROSELINT_VERSION} executable (default: PATH or a temp venv)")
    parser.add_argument("--skip-proselint", action="store_true")
    parser.add_argument("--article-runs", type=int, default=7, help="runs of the one-article scenario (median)")
    parser.add_argument("--corpus-runs", type=int, default=3, help="runs of the corpus scenario (median)")
    parser.add_argument("--in-place", action="store_true",
                        help="run citelint from the checkout with this interpreter, not installed from a wheel")
    args = parser.parse_args(argv)

    # Absolute: an installed citelint runs from the temporary folder, not from here.
    corpus = args.corpus.resolve()
    files = sorted(corpus.glob("*/*.txt"))
    if not files:
        print(f"error: no <topic>/*.txt files under {args.corpus}", file=sys.stderr)
        return 2
    words = word_count(files)
    paths = [str(path) for path in files]
    print(f"$ {shlex.join(['python3', 'benchmarks/speed.py', *(sys.argv[1:] if argv is None else argv)])}\n")
    print(f"CPUs: {os.cpu_count()}; load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"Python {sys.version.split()[0]}\n")

    runs: list[Run] = []
    commands: list[str] = []
    with tempfile.TemporaryDirectory(prefix="citelint-speed-") as scratch:
        out = Path(scratch)
        citelint = in_place() if args.in_place else installed(out)
        if citelint is None:
            print("error: citelint could not be installed from a wheel (see above); --in-place runs the checkout",
                  file=sys.stderr)
            return 2
        print(f"citelint: {'the checkout, run in place' if args.in_place else 'installed from a wheel into a fresh venv'}"
              f" ({shlex.join(citelint.command).replace(str(out), '$TMP')})\n")
        proselint = None if args.skip_proselint else find_proselint(args.proselint)
        if proselint is None and not args.skip_proselint:
            print(f"proselint {PROSELINT_VERSION} unavailable: its rows and the ratios are missing\n")

        article = files[0]
        single = one_article(article, proselint, args.article_runs, out, citelint)
        if failed(single):
            return 2
        imports, loading, analysis = startup_split(article, citelint, args.article_runs)
        print(f"one article ({article.relative_to(corpus)}), median of {args.article_runs} interleaved runs:")
        print(f"    {shown(citelint_argv(citelint, 1, out / 'a.json', [str(article)], out / 'cache'), 1, out, 'article')}\n")
        print(markdown_table(HEADERS, [run.row() for run in single]) + "\n")
        print("\n".join(ratios(single, "proselint", "target >= 1.5x")))
        print(f"\nstart-up split of one citelint run (CPU, median): imports {imports * 1000:.0f} ms, loading "
              f"{loading * 1000:.0f} ms, analysis {analysis * 1000:.0f} ms; the interpreter alone: "
              f"{interpreter_cpu(citelint.python, args.article_runs) * 1000:.0f} ms\n")

        corpus_runs: dict[str, list[Run]] = {}
        for _ in range(args.corpus_runs):
            if proselint is not None:
                argv_p = [str(proselint), "check", "-o", "json", *paths]
                run = timed(f"proselint {PROSELINT_VERSION}", argv_p, out / "p.json", len(files), words)
                run.findings = count_proselint(out / "p.json")
                corpus_runs.setdefault(run.label, []).append(run)
                commands.append(shown(argv_p, len(paths), out) + " > $TMP/p.json")
            cache = Path(tempfile.mkdtemp(dir=out, prefix="cache-"))
            for jobs, label, folder in ((0, f"citelint (-j 0: {os.cpu_count()} workers), cold result cache", cache),
                                        (0, f"citelint (-j 0: {os.cpu_count()} workers), warm result cache", cache),
                                        (1, "citelint -j 1, cold result cache", Path(tempfile.mkdtemp(dir=out)))):
                argv_c = citelint_argv(citelint, jobs, out / "c.json", paths, folder)
                run = timed(label, argv_c, out / "stdout", len(files), words, cwd=citelint.cwd, env=citelint.env)
                run.findings = count_citelint(out / "c.json")
                corpus_runs.setdefault(label, []).append(run)
                commands.append(shown(argv_c, len(paths), out))
        runs.extend(median_run(group) for group in corpus_runs.values())
        if failed(runs):
            return 2

        if args.reuters_limit > 0 and args.reuters.is_file():
            folder = out / "reuters"
            folder.mkdir()
            for name, text in reuters_documents(args.reuters, args.reuters_limit):
                (folder / f"{name}.txt").write_text(text, encoding="utf-8")
            written = sorted(folder.glob("*.txt"))
            argv_r = citelint_argv(citelint, 0, out / "r.json", [str(folder)])
            runs.append(timed("citelint on Reuters (-j 0)", argv_r, out / "stdout", len(written),
                              word_count(written), cwd=citelint.cwd, env=citelint.env))
            runs[-1].findings = count_citelint(out / "r.json")
            commands.append(shown(argv_r, 1, out, f"folder of {len(written):,} Reuters articles as .txt"))

    print(f"the corpus, median of {args.corpus_runs}:")
    print("\n".join(f"    {command}" for command in dict.fromkeys(commands)) + "\n")
    print(markdown_table(HEADERS, [run.row() for run in runs]) + "\n")
    print("\n".join(ratios(runs, "proselint", "target >= 5x cold, >= 20x warm")))
    pooled = next((run for run in runs if "workers), cold" in run.label), None)
    if pooled is not None:
        print(f"\npeak memory per worker (largest process of the pooled cold run): {pooled.max_rss_kb / 1024:.0f} MB "
              "(target <= 150 MB)")
    print(f"\nload average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
