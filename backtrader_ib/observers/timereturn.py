"""Return of the current period (from a TimeReturn analyzer), bar by bar."""
from __future__ import annotations

from ..analyzers.timereturn import TimeReturn as TimeReturnAnalyzer
from ..dataseries import TimeFrame
from ..observer import Observer

__all__ = ('TimeReturn',)


class TimeReturn(Observer):
    """The return of the period so far (periods of ``timeframe``/``compression``)."""

    _stclock = True
    lines = ('timereturn',)
    plotinfo = dict(plot=True, subplot=True)
    plotlines = dict(timereturn=dict(_name='Return'))
    params = (('timeframe', None), ('compression', None), ('fund', None))

    def _plotlabel_values(self) -> list:
        tr = self.treturn
        return [TimeFrame.getname(tr.timeframe, tr.compression), str(tr.compression)]

    def __init__(self) -> None:
        self.treturn = self._owner._addanalyzer_slave(TimeReturnAnalyzer, **self.p._getkwargs())

    def next(self) -> None:
        self.lines.timereturn[0] = self.treturn.rets.get(self.treturn.dtkey, float('nan'))
