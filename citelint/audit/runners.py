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
from collections.abc import Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any

from citelint.audit.inputs import Partition
from citelint.audit.partition import AuditSettings, PartitionResult, audit_partition, lost_partition, worker_linter

#: How often Dask runs a partition again when its worker died under it.
DASK_RETRIES = 2
#: Partitions handed to the local pool per worker before their results are taken.
_AHEAD = 2
#: How often a pool worker checks that the audit that started it is still there.
_WATCH_SECONDS = 1.0


class RunError(Exception):
    """The run could not go on (no cluster): exit status 2, resumable."""


def run_local(pending: list[Partition], settings: AuditSettings, jobs: int) -> Iterator[PartitionResult]:
    """Each partition's result as it finishes, in ``jobs`` worker processes (here when 1).

    A worker that dies (out of memory, killed) breaks the pool: the partitions it was running
    are then audited again one at a time, each in a pool of its own, so the one that kills its
    worker is found; it becomes error rows, the others finish, and the rest go on in a new pool."""
    if jobs == 1:
        for partition in pending:
            yield audit_partition(partition, settings)
        return
    queue = iter(pending)
    while True:
        suspects = yield from _run_pool(queue, settings, jobs)
        if not suspects:
            return
        for partition in suspects:
            if (yield from _run_pool(iter([partition]), settings, 1)):
                yield lost_partition(partition, settings, _DIED)


#: The note of each article of a partition Dask gave up on (its workers died each time it ran it).
_DIED_ON_DASK = "the Dask workers auditing this partition died each time (out of memory, or killed)"
#: The note of each article of a partition whose worker died twice (in the shared pool, then alone).
_DIED = "a worker process died twice while auditing this partition (out of memory, or killed)"


def _run_pool(queue: Iterator[Partition], settings: AuditSettings,
              jobs: int) -> Generator[PartitionResult, None, list[Partition]]:
    """Yield the results of ``queue``'s partitions in a pool of ``jobs`` workers; return the
    partitions it was running when a worker died (none when it got to the end)."""
    running: dict[Future[PartitionResult], Partition] = {}
    unsent: list[Partition] = []  # taken from the queue when the pool had already broken
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(settings,)) as pool:
        try:
            while True:
                # A few partitions ahead of the workers, not all: finished results are let go
                # once written, so the memory held does not grow with the archive.
                for partition in islice(queue, _AHEAD * jobs - len(running)):
                    try:
                        running[pool.submit(audit_partition, partition, settings)] = partition
                    except BrokenProcessPool:
                        unsent.append(partition)
                        break
                if unsent:
                    break
                if not running:
                    return []
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                if any(isinstance(future.exception(), BrokenProcessPool) for future in done):
                    break
                for future in done:
                    del running[future]
                    yield future.result()
        finally:
            for future in running:
                future.cancel()
    # the pool is broken: keep what finished, and hand back what was running
    suspects = []
    for future, partition in sorted(running.items(), key=lambda item: item[1].number):
        if future.done() and not future.cancelled() and future.exception() is None:
            yield future.result()
        else:
            suspects.append(partition)
    return suspects + unsent


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


def check_cluster_address(address: str) -> None:
    """Raise ValueError for an address Dask cannot parse, before anything is planned or written."""
    from distributed.comm import parse_address, parse_host_port

    scheme, location = parse_address(address)
    if scheme in ("tcp", "tls"):
        parse_host_port(location)


def run_dask(pending: list[Partition], settings: AuditSettings, jobs: int,
             address: str | None) -> Iterator[PartitionResult]:
    """Each partition's result as it finishes, on the cluster at ``address``, else on a
    LocalCluster of ``jobs`` single-threaded worker processes. Every worker imports citelint and
    builds its linter once; the inputs must be readable at the same paths on every worker."""
    from distributed import Client, LocalCluster

    if address:
        try:
            client = Client(address, timeout="20s")
        except (OSError, ValueError) as error:
            raise RunError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        # all at once; then, one at a time, those Dask gave up on: a partition queued on a worker
        # that another partition killed is given up on with it, and finishes alone
        killed = yield from _run_on_dask(client, pending, settings, "")
        for partition in killed:
            if (yield from _run_on_dask(client, [partition], settings, "-alone")):
                yield lost_partition(partition, settings, _DIED_ON_DASK)
    finally:
        client.close()
        if not address:
            cluster.close()


def _run_on_dask(client: Any, batch: list[Partition], settings: AuditSettings,
                 suffix: str) -> Generator[PartitionResult, None, list[Partition]]:
    """Yield the results of ``batch`` as they finish; return the partitions whose workers kept dying."""
    import dask
    from distributed import KilledWorker
    from distributed import as_completed as finished

    task = dask.delayed(audit_partition, pure=True)
    futures = client.compute([task(partition, settings,
                                   dask_key_name=f"audit-{settings.token[:16]}-{partition.name}{suffix}")
                              for partition in batch], retries=DASK_RETRIES)
    partitions = {future.key: partition for future, partition in zip(futures, batch, strict=True)}
    killed = []
    for future in finished(futures):
        try:
            yield future.result()
        except KilledWorker:
            killed.append(partitions[future.key])
        future.release()
    return sorted(killed, key=lambda partition: partition.number)


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
