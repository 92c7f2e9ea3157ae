"""Rolling log returns of one or two datas, bar by bar."""
from __future__ import annotations

from ..analyzers.logreturnsrolling import LogReturnsRolling
from ..dataseries import TimeFrame
from ..observer import Observer

__all__ = ('LogReturns', 'LogReturns2')


class LogReturns(Observer):
    """Line ``logret1``: the rolling log return of data0's close."""

    _stclock = True
    lines = ('logret1',)
    plotinfo = dict(plot=True, subplot=True)
    params = (('timeframe', None), ('compression', None), ('fund', None))

    def _plotlabel_values(self) -> list:
        return [TimeFrame.getname(self.p.timeframe, self.p.compression),
                str(self.p.compression or 1)]

    def __init__(self) -> None:
        self.logret1 = self._owner._addanalyzer_slave(
            LogReturnsRolling, data=self.data0, **self.p._getkwargs())

    def next(self) -> None:
        self.lines.logret1[0] = self.logret1.rets.get(self.logret1.dtkey, float('nan'))


class LogReturns2(LogReturns):
    """Lines ``logret1`` and ``logret2``: rolling log returns of data0 and data1."""

    lines = ('logret2',)

    def __init__(self) -> None:
        if len(self.datas) < 2:
            raise ValueError(f'LogReturns2 needs two datas (data0 and data1); '
                             f'it was given {len(self.datas)}')
        super().__init__()
        self.logret2 = self._owner._addanalyzer_slave(
            LogReturnsRolling, data=self.data1, **self.p._getkwargs())

    def next(self) -> None:
        super().next()
        self.lines.logret2[0] = self.logret2.rets.get(self.logret2.dtkey, float('nan'))
