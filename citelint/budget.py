"""Per-file budgets: no single article may stall a hook or a run, or take its memory.

Time: an interval timer (SIGALRM) interrupts a file still being analysed after
``max-seconds-per-file``; ``FileBudgetExceeded`` is a BaseException so that no rule's own error
handling can swallow it, and the engine turns it into one ``analysis-budget-exceeded`` finding.
Python can only be interrupted between bytecodes, so worker processes are also given a CPU-time
limit per file: a worker stuck inside one C call is killed by the kernel, and the parent reports
the file it was on and lints the rest in a fresh pool (see ``engine.lint_targets``). Memory:
workers run under an address-space limit of ``max-memory-per-file`` above what they hold at
start; a file that exhausts it raises MemoryError and is reported the same way.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

try:
    import resource
except ImportError:  # pragma: no cover - Windows: the timer and limits are POSIX only
    resource = None  # type: ignore[assignment]

#: a worker over its time budget this many times over (CPU seconds) is killed by the kernel
_HARD_FACTOR = 2
_HARD_SLACK_SECONDS = 5


class FileBudgetExceeded(BaseException):
    """The analysis of one file ran past its budget; ``what`` says which budget."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise FileBudgetExceeded in the body after ``seconds`` (0: no limit). A no-op off the main
    thread or where there is no interval timer (Windows); the body then runs unbounded."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame) -> None:
        raise FileBudgetExceeded(f"the analysis took over {seconds:g} s (max-seconds-per-file)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def arm_cpu_limit(seconds: float) -> None:
    """In a worker, before each file: let the kernel kill this process if the file takes far
    more CPU than its budget (the timer could not interrupt it)."""
    if resource is None or seconds <= 0:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds * _HARD_FACTOR + _HARD_SLACK_SECONDS)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def limit_memory(budget: int) -> None:
    """In a worker, once: cap its address space at what it holds now plus ``budget`` bytes."""
    if resource is None or budget <= 0:
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            held = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return  # no way to know what the worker holds: leave it unbounded rather than guess
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = held + budget
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
