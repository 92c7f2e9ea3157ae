"""Drawdown of the portfolio value, and its length, bar by bar."""
from __future__ import annotations

from ..analyzers.drawdown import DrawDown as DrawDownAnalyzer
from ..observer import Observer

__all__ = ('DrawDown', 'DrawDownLength', 'DrawDown_Old')


class DrawDown(Observer):
    """Current and maximum drawdown in percent (from a DrawDown analyzer)."""

    _stclock = True
    params = (('fund', None),)
    lines = ('drawdown', 'maxdrawdown')
    plotinfo = dict(plot=True, subplot=True)
    plotlines = dict(maxdrawdown=dict(_plotskip=True))

    def __init__(self) -> None:
        self._dd = self._owner._addanalyzer_slave(DrawDownAnalyzer, **self.p._getkwargs())

    def next(self) -> None:
        rets = self._dd.rets
        self.lines.drawdown[0] = rets.drawdown
        self.lines.maxdrawdown[0] = rets.max.drawdown


class DrawDownLength(Observer):
    """Current and maximum drawdown length in bars."""

    _stclock = True
    lines = ('len', 'maxlen')
    plotinfo = dict(plot=True, subplot=True)
    plotlines = dict(maxlen=dict(_plotskip=True))

    def __init__(self) -> None:
        self._dd = self._owner._addanalyzer_slave(DrawDownAnalyzer)

    def next(self) -> None:
        rets = self._dd.rets
        self.lines.len[0] = rets.len
        self.lines.maxlen[0] = rets.max.len


class DrawDown_Old(Observer):
    """Drawdown from the broker's value read at each bar (the older way)."""

    _stclock = True
    lines = ('drawdown', 'maxdrawdown')
    plotinfo = dict(plot=True, subplot=True)
    plotlines = dict(maxdrawdown=dict(_plotskip=True))

    def __init__(self) -> None:
        self.maxdd = 0.0
        self.peak = float('-inf')

    def next(self) -> None:
        value = self._owner.broker.getvalue()
        self.peak = max(self.peak, value)
        self.lines.drawdown[0] = dd = 100.0 * (self.peak - value) / self.peak
        self.lines.maxdrawdown[0] = self.maxdd = max(self.maxdd, dd)
