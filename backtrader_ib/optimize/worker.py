"""One optimisation run, wherever it executes: this process, a pool worker, Dask.

A :class:`Job` is what every worker receives once: a copy of the engine (with
its data preloaded when ``optdatas`` allows), the grid and how to run. A task
is then just a run number.
"""
from __future__ import annotations

import copy
import copyreg
import gc
import traceback
from typing import Any

from ..optreturn import OptReturn
from ..linebuffer import Timeline
from ..lineroot import LineRoot
from . import shipping
from .grid import Grid

__all__ = ('Job', 'RunError', 'detach', 'init_worker', 'run_in_worker')


GC_EVERY = 50  # runs between full garbage collections (each costs ~0.05-0.1 s)


class RunError(RuntimeError):
    """A run failed in a worker; the message carries its parameters and traceback."""


class Job:
    """The engine, the grid and whether the data are already loaded."""

    def __init__(self, cerebro: Any, grid: Grid, predata: bool) -> None:
        self.cerebro = cerebro
        self.grid = grid
        self.predata = predata

    def payload(self) -> bytes:
        """The bytes sent once to each worker; names any part that cannot go.

        The engine goes without its callbacks (they run here, as results
        arrive), results and executor; its data and broker point back to it,
        so it is trimmed inside the pickle rather than copied.
        """
        cerebro = self.cerebro
        state = dict(vars(cerebro))
        params = copy.copy(cerebro.p)
        params.executor = None
        state.update(p=params, params=params, optcbs=[], runstrats=[], runningstrats=[])
        state.pop('stcount', None)  # rebuilt by every run
        reduction = (copyreg.__newobj__, (type(cerebro),), state)
        return shipping.check_shippable(self.grid, cerebro, self, {id(cerebro): reduction})

    def run(self, index: int) -> list:
        """Run combination ``index``: its strategies, or their OptReturns."""
        # A run's indicators register their lines on the data's timeline and
        # stay listed there afterwards (with preloaded data, with their
        # arrays): put the data's timelines back as they were.
        timelines = {id(d._tl): d._tl for d in self.cerebro.datas
                     if getattr(d, '_tl', None) is not None}
        before = {key: list(tl.buffers) for key, tl in timelines.items()}
        added: list = []
        try:
            result = self.cerebro.runstrategies(self.grid[index], predata=self.predata)
        finally:
            for key, tl in timelines.items():
                kept = {id(buf) for buf in before[key]}
                added += [buf for buf in tl.buffers if id(buf) not in kept]
                tl.buffers[:] = before[key]
        if self.cerebro.p.optreturn:
            self._release(added)
        self._runs += 1
        if self._runs % GC_EVERY == 0:
            gc.collect()
        return detach(result)

    _runs = 0

    def _release(self, added: list) -> None:
        """Give back the finished run's line arrays now.

        The run's objects form reference cycles, which only a full garbage
        collection frees, and the engine's gc.freeze() during a run keeps
        Python from scheduling one: without this, memory would grow with
        every run. Only OptReturns leave the run, so its lines can go.
        """
        spent = Timeline()
        spent.buffers = added
        for strat in getattr(self.cerebro, 'runningstrats', ()):
            for tl in getattr(strat, '_timelines_owned', lambda: [])():
                spent.buffers += tl.buffers  # (the strategy's and its observers')
        spent.reset()  # every line's storage becomes the shared empty array

    def run_reporting(self, index: int) -> list:
        """:meth:`run`, with a failure re-raised as :class:`RunError` naming the run."""
        try:
            return self.run(index)
        except Exception as exc:
            raise RunError(f'optimisation run {index} ({self.grid.describe(index)}) failed: '
                           f'{type(exc).__name__}: {exc}\n'
                           f'{"".join(traceback.format_exc())}') from None


def detach(result: list) -> list:
    """Cut OptReturn analyzers loose from the strategy and the data.

    Only the analysis travels back (backtrader clears the analyzers' ``data*``
    attributes for the same reason).
    """
    for item in result:
        if isinstance(item, OptReturn):
            for analyzer in item.analyzers:
                _detach_analyzer(analyzer)
    return result


def _detach_analyzer(analyzer: Any) -> None:
    for child in getattr(analyzer, '_children', ()):
        _detach_analyzer(child)
    for name, value in list(vars(analyzer).items()):
        if name in ('strategy', '_parent') or _holds_lines(value):
            setattr(analyzer, name, None)


def _holds_lines(value: Any) -> bool:
    if isinstance(value, LineRoot):
        return True
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)) and value:
        return all(isinstance(v, LineRoot) for v in value)
    return False


# -- pool workers: the job lives in a module global, set once per process ---
_job: Job | None = None


def init_worker(payload: bytes) -> None:
    """Pool initializer: receive the job once."""
    global _job
    _job = shipping.loads(payload)


def run_in_worker(index: int) -> bytes:
    """Pool task: run ``index``; the result comes back serialised."""
    return shipping.dumps(_job.run_reporting(index))
