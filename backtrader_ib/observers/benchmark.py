"""The portfolio's period returns next to those of a benchmark data."""
from __future__ import annotations

from ..analyzers.timereturn import TimeReturn as TimeReturnAnalyzer
from .timereturn import TimeReturn

__all__ = ('Benchmark',)


class Benchmark(TimeReturn):
    """Lines ``timereturn`` (the portfolio) and ``benchmark`` (``data``, data0
    if None), each the return of the current period. The benchmark starts
    from its close (``firstopen=False``); nothing is recorded before the
    strategy's minimum period unless ``_doprenext``.
    """

    _stclock = True
    lines = ('benchmark',)
    plotlines = dict(benchmark=dict(_name='Benchmark'))
    params = (('data', None), ('_doprenext', False), ('firstopen', False), ('fund', None))

    def _plotlabel_values(self) -> list:
        return super()._plotlabel_values() + [self.p.data._name]

    def __init__(self) -> None:
        if self.p.data is None:
            self.p.data = self.data0
        # the parent's analyzer follows the benchmark data; this one the portfolio
        super().__init__()
        kwargs = self.p._getkwargs()
        kwargs['data'] = None
        portfolio = self._owner._addanalyzer_slave(TimeReturnAnalyzer, **kwargs)
        self.treturn, self.tbench = portfolio, self.treturn

    def next(self) -> None:
        super().next()
        self.lines.benchmark[0] = self.tbench.rets.get(self.treturn.dtkey, float('nan'))

    def prenext(self) -> None:
        if self.p._doprenext:
            self.next()
