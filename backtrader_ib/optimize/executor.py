"""Executors: where the runs of an optimisation execute, and the options they share."""
from __future__ import annotations

import os
from typing import Any, Callable

from .grid import Grid
from .progress import progress_bar
from .results import ResultSink
from .worker import Job

__all__ = ('Executor', 'Serial')


class Executor:
    """Runs every combination of a grid and hands the results on as they finish.

    ``progress``: a tqdm bar (None: only when stderr is a terminal; needs tqdm).
    ``keep``: keep every result in memory and return them (backtrader's
    behaviour); False returns ``[]`` and results only reach the callbacks and
    the ``output`` file. ``output``: stream each result to this file as it
    finishes (see :mod:`backtrader_ib.optimize.results`).
    """

    label = 'optstrategy'

    def __init__(self, *, progress: bool | None = None, keep: bool = True,
                 output: str | os.PathLike | None = None) -> None:
        self.progress = progress
        self.keep = keep
        self.output = output

    def run(self, cerebro: Any, grid: Grid) -> list:
        """Run the whole grid; the results in grid order (if kept)."""
        sink = ResultSink(cerebro.optcbs, len(grid), self.keep, self.output)
        bar = progress_bar(len(grid), self.progress, self.label)

        def deliver(index: int, result: list) -> None:
            sink.put(index, result)
            bar.update()

        predata = preload(cerebro)
        try:
            self.execute(cerebro, grid, predata, deliver)
        finally:
            bar.close()
            sink.close()
            if predata:
                for data in cerebro.datas:
                    data.stop()
        return sink.results()

    def execute(self, cerebro: Any, grid: Grid, predata: bool,
                deliver: Callable[[int, list], None]) -> None:
        """Run the combinations, calling ``deliver(index, result)`` for each."""
        raise NotImplementedError


class Serial(Executor):
    """Every run in this process, one after the other (backtrader's ``maxcpus=1``)."""

    label = 'optstrategy (serial)'

    def execute(self, cerebro, grid, predata, deliver) -> None:
        job = Job(cerebro, grid, predata)
        for index in range(len(grid)):
            deliver(index, job.run(index))


def preload(cerebro: Any) -> bool:
    """``optdatas``: load the data once here, for every run; True if done."""
    if not (cerebro.p.optdatas and cerebro._dopreload and cerebro._dorunonce):
        return False
    for data in cerebro.datas:
        data.reset()
        if cerebro._exactbars < 1:
            data.extend(size=cerebro.p.lookahead)
        data._start()
        data.preload()
    return True
