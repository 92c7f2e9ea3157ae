"""Optimisation on a Dask distributed cluster (``pip install backtrader_ib[dist]``)."""
from __future__ import annotations

import itertools
import threading
import uuid
from typing import Any

from . import shipping
from .executor import Executor
from .worker import Job

__all__ = ('DaskCluster', 'run_on_dask', 'forget')


class DaskCluster(Executor):
    """Runs on the workers of a Dask cluster: a ``distributed.Client``, or the
    address of its scheduler (``'tcp://host:8786'``; connected, and closed
    afterwards, here).

    The engine and its preloaded data are scattered to the workers once; a
    task is a run number. At most ``window`` runs (None: twice the cluster's
    threads) are in flight; results are gathered as they complete, so the
    callbacks see them in completion order (the returned list is in grid
    order). ``timeout``: seconds to reach the scheduler and find a worker.
    """

    label = 'optstrategy (dask)'

    def __init__(self, client: Any, *, timeout: float = 5.0, window: int | None = None,
                 **options) -> None:
        super().__init__(**options)
        self.client = client
        self.timeout = timeout
        self.window = window

    def execute(self, cerebro, grid, predata, deliver) -> None:
        payload = Job(cerebro, grid, predata).payload()
        client, owned = self._connect()
        try:
            self._execute_on(client, payload, len(grid), deliver)
        finally:
            if owned:
                client.close()

    def _connect(self) -> tuple[Any, bool]:
        try:
            from distributed import Client
        except ImportError:
            raise ImportError('executor: running on Dask needs dask.distributed: '
                              'pip install "backtrader_ib[dist]"') from None
        if not isinstance(self.client, str):
            return self.client, False
        try:
            client = Client(self.client, timeout=self.timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ConnectionError(
                f'executor: cannot reach the Dask scheduler at {self.client!r} within '
                f'{self.timeout:g} s ({exc}); is it running and is the address right?'
            ) from None
        return client, True

    def _execute_on(self, client: Any, payload: bytes, total: int, deliver) -> None:
        from distributed import as_completed
        try:
            client.wait_for_workers(1, timeout=self.timeout)
        except (OSError, TimeoutError):
            raise ConnectionError(f'executor: the Dask cluster at {client.scheduler.address!r} '
                                  f'has no worker (waited {self.timeout:g} s)') from None
        shared = client.scatter(payload, broadcast=True, hash=False)
        token = uuid.uuid4().hex
        window = self.window or max(2, 2 * sum(client.nthreads().values()))
        numbers = iter(range(total))
        running: dict = {}

        def submit(index: int):
            fut = client.submit(run_on_dask, shared, token, index, pure=False,
                                key=f'backtrader_ib-run-{token}-{index}')
            running[fut.key] = index, fut
            return fut

        pending = as_completed([submit(i) for i in itertools.islice(numbers, window)],
                               loop=client.loop)
        try:
            for fut in pending:
                index, _ = running.pop(fut.key)
                data = fut.result()
                fut.release()
                nxt = next(numbers, None)
                if nxt is not None:
                    pending.add(submit(nxt))
                deliver(index, shipping.loads(data))
        except BaseException:
            client.cancel([fut for _, fut in running.values()], force=True)
            raise
        finally:
            client.cancel(shared)
            try:
                client.run(forget, token)
            except Exception:  # a worker gone meanwhile: its copy went with it
                pass


# -- on the Dask workers: one job per worker thread, kept between tasks -----
# (the engine is not shared between threads: each runs its own copy)
_jobs: dict = {}  # (token, thread id) -> Job
_jobs_lock = threading.Lock()


def run_on_dask(payload: bytes, token: str, index: int) -> bytes:
    """Dask task: unpickle the job on first use in this thread, run ``index``."""
    key = (token, threading.get_ident())
    job = _jobs.get(key)
    if job is None:
        job = shipping.loads(payload)
        with _jobs_lock:
            _jobs[key] = job
    return shipping.dumps(job.run_reporting(index))


def forget(token: str) -> None:
    """Drop a finished sweep's engine copies from this worker."""
    with _jobs_lock:
        for key in [k for k in _jobs if k[0] == token]:
            del _jobs[key]
