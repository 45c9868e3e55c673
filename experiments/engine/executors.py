"""Executors for the runner: in-process, a local process pool, or a Dask cluster.

The runner accepts any :class:`concurrent.futures.Executor`; these helpers
build the ones the command line offers.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager

import sim

LOOPBACK = "127.0.0.1"


class SerialExecutor(Executor):
    """Runs each task at submit time in this process (``--workers 1``; debugging)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: BLE001 - delivered through the future
            future.set_exception(err)
        return future


def machine_cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def process_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A local process pool; ``spawn`` so workers never inherit threads or locks
    of the parent (forking a process with a tqdm or Dask thread can deadlock).

    Its workers never outlive this process, whatever ends it (see
    :func:`worker_init`), and leave Ctrl-C to it.
    """
    return ProcessPoolExecutor(
        max_workers=workers or machine_cores(),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=worker_init,
        initargs=(os.getpid(),),
    )


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_POLL_SECONDS = 1.0


def worker_init(parent: int) -> None:
    """Tie a pool worker's life to the process that started it (``parent``).

    A SIGKILLed main process runs no clean-up, and its workers would live on,
    re-parented to PID 1. On Linux the kernel sends this worker SIGKILL when
    its parent dies (``prctl(PR_SET_PDEATHSIG)``); everywhere, a daemon thread
    checks the parent once a second and ends the worker when it is gone (the
    fallback, and the check for a parent that died before prctl was called).
    Ctrl-C reaches the whole terminal process group: workers ignore it, and
    the main process stops them, so the user sees one line, not a traceback
    per worker.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the thread below still watches
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)  # the parent is gone: nobody will ever read this worker's results


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: cancel queued tasks and end its workers (on an interrupt)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def slots(executor: Executor) -> int:
    """How many tasks the executor runs at once (to size chunks and the window)."""
    if isinstance(executor, SerialExecutor):
        return 1
    workers = getattr(executor, "_max_workers", None)
    if workers:
        return int(workers)
    client = getattr(executor, "_client", None)  # distributed.cfexecutor.ClientExecutor
    if client is not None:
        return max(1, sum(client.nthreads().values()))
    return machine_cores()


@contextmanager
def make_executor(workers: int | None = None, scheduler: str | None = None) -> Iterator[tuple]:
    """Yield ``(executor, description)`` for the command-line options, and shut it down.

    ``scheduler``: ``None`` (local processes; ``workers == 1`` runs in this
    process), ``"local"`` (a Dask LocalCluster of ``workers`` processes) or
    the address of a running Dask scheduler (``tcp://host:8786``).
    """
    if scheduler is None:
        if workers == 1:
            yield SerialExecutor(), "serial (this process)"
            return
        pool = process_pool(workers)
        try:
            yield pool, f"local process pool, {pool._max_workers} workers"
        except BaseException:
            stop_pool(pool)  # interrupted or failed: do not wait for running chunks
            raise
        else:
            pool.shutdown(wait=True, cancel_futures=True)
        return

    from distributed import Client, LocalCluster  # only when asked for: slow import

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers or machine_cores(),
            threads_per_worker=1,  # one model run per process: no GIL contention
            processes=True,
            # Loopback only: a Dask scheduler or worker runs whatever pickled code
            # reaches it, so it must never listen where others can connect.
            host=LOOPBACK,
            dashboard_address=None,
            # The scheduler serves HTTP (/health, metrics) even without a
            # dashboard, by default on port 8787 (a warning if that is taken):
            # on loopback, any free port.
            scheduler_kwargs={"dashboard": False, "dashboard_address": f"{LOOPBACK}:0"},
        )
        client = Client(cluster)
        label = f"Dask LocalCluster, {len(cluster.workers)} worker processes"
    else:
        try:
            client = Client(scheduler)
        except Exception as err:  # noqa: BLE001 - any failure to connect is the address's
            # (unreachable, refused, a tls:// address without certificates, an
            # unknown protocol): one line naming it, never a traceback.
            reason = " ".join(str(err).split()) or type(err).__name__
            hint = " (see docs/cluster.md for TLS certificates)" if "TLS" in reason else ""
            problem = f"cannot connect to {scheduler}: {reason}{hint}"
            raise sim.ParamsError(None, "--scheduler", problem) from None
        label = f"Dask scheduler {scheduler}, {sum(client.nthreads().values())} threads"
    try:
        # pure=False: every chunk is a new task, never deduplicated by argument hash.
        yield client.get_executor(pure=False), label
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
