"""Optimisation on a local process pool."""
from __future__ import annotations

import multiprocessing
import os

from . import shipping
from .executor import Executor
from .worker import Job, init_worker, run_in_worker

__all__ = ('ProcessPool',)


class ProcessPool(Executor):
    """Runs on ``processes`` local worker processes (None: one per CPU).

    Each worker receives the engine and its preloaded data once, when it
    starts; a task is only a run number and returns only the run's result
    (OptReturns when ``optreturn``). Workers are replaced after
    ``maxtasksperchild`` runs so that memory a strategy leaks is given back.
    ``start_method``: multiprocessing's ('fork', 'spawn', 'forkserver'; None:
    the platform default). Results arrive in grid order, as in backtrader.
    """

    label = 'optstrategy (processes)'

    def __init__(self, processes: int | None = None, *, maxtasksperchild: int | None = 100,
                 start_method: str | None = None, **options) -> None:
        super().__init__(**options)
        if processes is not None and processes < 1:
            raise ValueError(f'ProcessPool: processes={processes!r}; give 1 or more, or None')
        self.processes = processes
        self.maxtasksperchild = maxtasksperchild
        self.start_method = start_method

    def execute(self, cerebro, grid, predata, deliver) -> None:
        payload = Job(cerebro, grid, predata).payload()
        processes = min(self.processes or os.cpu_count() or 1, len(grid))
        ctx = multiprocessing.get_context(self.start_method)
        pool = ctx.Pool(processes, initializer=init_worker, initargs=(payload,),
                        maxtasksperchild=self.maxtasksperchild)
        try:
            for index, data in enumerate(pool.imap(run_in_worker, range(len(grid)))):
                deliver(index, shipping.loads(data))
        except BaseException:
            pool.terminate()  # a failed run or a callback's error: stop the rest
            pool.join()
            raise
        pool.close()
        pool.join()
