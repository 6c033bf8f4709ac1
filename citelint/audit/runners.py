"""Where partitions run: a local process pool (the default) or a Dask cluster.

Both run the same function, ``audit_partition``, on the same partitions, and hand back each
result as it finishes; the caller writes it. Dask is imported only when asked for: scheduling,
retries and moving the results are Dask's, nothing of them is done here.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from citelint.audit.inputs import Partition
from citelint.audit.partition import AuditSettings, PartitionResult, audit_partition, worker_linter

#: How often Dask runs a partition again when its worker died under it.
DASK_RETRIES = 2
#: Partitions handed to the local pool per worker before their results are taken.
_AHEAD = 2
#: How often a pool worker checks that the audit that started it is still there.
_WATCH_SECONDS = 1.0


class RunError(Exception):
    """The run could not go on (a worker process died, no cluster): exit status 2, resumable."""


def run_local(pending: list[Partition], settings: AuditSettings, jobs: int) -> Iterator[PartitionResult]:
    """Each partition's result as it finishes, in ``jobs`` worker processes (here when 1)."""
    if jobs == 1:
        for partition in pending:
            yield audit_partition(partition, settings)
        return
    queue = iter(pending)
    running: set[Future[PartitionResult]] = set()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(settings,)) as pool:
        try:
            while True:
                # A few partitions ahead of the workers, not all: finished results are let go
                # once written, so the memory held does not grow with the archive.
                for partition in islice(queue, _AHEAD * jobs - len(running)):
                    running.add(pool.submit(audit_partition, partition, settings))
                if not running:
                    return
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        except BrokenProcessPool:
            raise RunError("a worker process died (out of memory, or killed); the partitions finished so far "
                           "are kept: run again with --resume to audit the rest") from None
        finally:
            for future in running:
                future.cancel()


def _start_worker(settings: AuditSettings) -> None:
    """A pool worker: load the linter, and end with the audit. A pool's workers outlive a parent
    that is killed (SIGKILL leaves them waiting on its pipe for ever); this one watches."""
    worker_linter(settings)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="citelint-audit-parent-watch", daemon=True).start()


def run_dask(pending: list[Partition], settings: AuditSettings, jobs: int,
             address: str | None) -> Iterator[PartitionResult]:
    """Each partition's result as it finishes, on the cluster at ``address``, else on a
    LocalCluster of ``jobs`` single-threaded worker processes. Every worker imports citelint and
    builds its linter once; the inputs must be readable at the same paths on every worker."""
    import dask
    from distributed import Client, LocalCluster
    from distributed import as_completed as finished

    if address:
        try:
            client = Client(address, timeout="20s")
        except OSError as error:
            raise RunError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        task = dask.delayed(audit_partition, pure=True)
        tasks = [task(partition, settings, dask_key_name=f"audit-{settings.token[:16]}-{partition.name}")
                 for partition in pending]
        for future in finished(client.compute(tasks, retries=DASK_RETRIES)):
            yield future.result()
            future.release()
    finally:
        client.close()
        if not address:
            cluster.close()


class Progress:
    """``done/total articles, rate, ETA`` on stderr, rewritten in place."""

    def __init__(self, total: int, partitions: int, enabled: bool) -> None:
        self.total, self.partitions, self.enabled = total, partitions, enabled
        self.done = self.finished = 0
        self.started = time.monotonic()

    def advance(self, articles: int) -> None:
        self.done += articles
        self.finished += 1
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        end = "\n" if self.finished == self.partitions else ""
        print(f"\rcitelint audit: {self.done:,}/{self.total:,} articles ({self.finished}/{self.partitions} partitions)"
              f"  {rate:,.0f}/s  ETA {_clock(left)}  ", end=end, file=sys.stderr, flush=True)


def _clock(seconds: float) -> str:
    minutes, second = divmod(int(seconds + 0.5), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}"
