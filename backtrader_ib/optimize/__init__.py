"""Optimisation (``cerebro.optstrategy``): every parameter set of a grid, run
in this process, on a local process pool or on a Dask cluster.

``Cerebro(executor=...)`` (or ``cerebro.run(executor=...)``) chooses where:

- ``None`` (default): backtrader's rule: ``maxcpus=1`` runs here, anything
  else on a process pool of ``maxcpus`` workers (None: one per CPU);
- ``'serial'`` / ``'process'``: here / a process pool of ``maxcpus`` workers;
- a ``distributed.Client`` or a scheduler address (``'tcp://host:8786'``): Dask;
- an :class:`Executor` (:class:`Serial`, :class:`ProcessPool`,
  :class:`DaskCluster`) for the options: progress bar, results kept in memory
  or not, results streamed to a file, worker recycling.

See docs/optimisation.md.
"""
from __future__ import annotations

import warnings
from typing import Any

from . import shipping
from .cluster import DaskCluster
from .executor import Executor, Serial
from ..optreturn import OptReturn
from .grid import Grid
from .pool import ProcessPool
from .results import read_results
from .shipping import ShippingError
from .worker import RunError

__all__ = ('run_optimisation', 'make_executor', 'Executor', 'Serial', 'ProcessPool',
           'DaskCluster', 'Grid', 'read_results', 'ShippingError', 'RunError', 'OptReturn')


def run_optimisation(cerebro: Any, strats: list) -> list:
    """Run every combination of ``strats`` (Cerebro's strategy slots); a result
    (list of strategies or OptReturns) per run, in grid order."""
    grid = Grid(strats)
    grid.check()  # before any worker starts
    executor = make_executor(cerebro.p.executor, cerebro.p.maxcpus)
    return executor.run(cerebro, grid)


def make_executor(executor: Any, maxcpus: int | None = None) -> Executor:
    """The :class:`Executor` for a ``Cerebro(executor=...)`` value."""
    if isinstance(executor, Executor):
        return executor
    if executor is None:
        if maxcpus == 1:
            return Serial()
        if not shipping.available():
            warnings.warn('optstrategy: cloudpickle is not installed, so the runs go one '
                          'after the other in this process (pip install '
                          '"backtrader_ib[dist]" for a process pool)', stacklevel=4)
            return Serial()
        return ProcessPool(maxcpus or None)  # 0, as None: one per CPU (backtrader)
    if executor == 'serial':
        return Serial()
    if executor == 'process':
        return ProcessPool(maxcpus or None)  # 0, as None: one per CPU (backtrader)
    if isinstance(executor, str):
        if ':' not in executor:
            raise ValueError(f"Cerebro: executor={executor!r}; give 'serial', 'process', a "
                             "Dask Client, a scheduler address such as 'tcp://host:8786', "
                             'or a backtrader_ib.optimize executor')
        return DaskCluster(executor)
    if type(executor).__module__.split('.')[0] == 'distributed':
        return DaskCluster(executor)
    raise TypeError(f'Cerebro: executor={executor!r} ({type(executor).__name__}) is not an '
                    "executor; give 'serial', 'process', a Dask Client or scheduler address, "
                    'or a backtrader_ib.optimize executor')
