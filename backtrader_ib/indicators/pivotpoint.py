"""Pivot points: classic, Fibonacci and Demark."""
from __future__ import annotations

from ..functions import CmpEx
from ..indicator import Indicator

__all__ = ('PivotPoint', 'FibonacciPivotPoint', 'DemarkPivotPoint')


class _PivotBase(Indicator):
    plotinfo = dict(subplot=False)

    def _plotinit(self) -> None:
        # drawn on the larger-timeframe data the pivots were computed from
        if self.p._autoplot and hasattr(self.data, 'data'):
            self.plotinfo.plotmaster = self.data.data

    def _pivot(self):
        d = self.data
        o, h, lo, c = d.open, d.high, d.low, d.close
        if self.p.close:
            return (h + lo + 2.0 * c) / 4.0
        if self.p.open:
            return (h + lo + c + o) / 4.0
        return (h + lo + c) / 3.0

    def _autoplot_off(self) -> None:
        # backtrader also couples the lines to the strategy's clock here
        # (``self()``), only for plotting; see docs/indicators.md
        if self.p._autoplot:
            self.plotinfo.plot = False


class PivotPoint(_PivotBase):
    """p = (h + l + c) / 3; s1 = 2p - h; r1 = 2p - l; s2 = p - (h - l);
    r2 = p + (h - l). ``open``/``close`` change how p is computed."""

    lines = ('p', 's1', 's2', 'r1', 'r2')
    params = (('open', False), ('close', False), ('_autoplot', True))

    def __init__(self) -> None:
        h, lo = self.data.high, self.data.low
        self.lines.p = p = self._pivot()
        self.lines.s1 = 2.0 * p - h
        self.lines.r1 = 2.0 * p - lo
        self.lines.s2 = p - (h - lo)
        self.lines.r2 = p + (h - lo)
        super().__init__()
        self._autoplot_off()


class FibonacciPivotPoint(_PivotBase):
    """p as PivotPoint; s/r n = p -/+ level n * (h - l)."""

    lines = ('p', 's1', 's2', 's3', 'r1', 'r2', 'r3')
    params = (('open', False), ('close', False), ('_autoplot', True),
              ('level1', 0.382), ('level2', 0.618), ('level3', 1.0))

    def __init__(self) -> None:
        h, lo = self.data.high, self.data.low
        self.lines.p = p = self._pivot()
        self.lines.s1 = p - self.p.level1 * (h - lo)
        self.lines.s2 = p - self.p.level2 * (h - lo)
        self.lines.s3 = p - self.p.level3 * (h - lo)
        self.lines.r1 = p + self.p.level1 * (h - lo)
        self.lines.r2 = p + self.p.level2 * (h - lo)
        self.lines.r3 = p + self.p.level3 * (h - lo)
        super().__init__()
        self._autoplot_off()


class DemarkPivotPoint(_PivotBase):
    """x = h + 2l + c (close < open), 2h + l + c (close > open), else
    h + l + 2c; p = x / 4; s1 = x / 2 - h; r1 = x / 2 - l."""

    lines = ('p', 's1', 'r1')
    params = (('open', False), ('close', False), ('_autoplot', True),
              ('level1', 0.382), ('level2', 0.618), ('level3', 1.0))

    def __init__(self) -> None:
        d = self.data
        x1 = d.high + 2.0 * d.low + d.close
        x2 = 2.0 * d.high + d.low + d.close
        x3 = d.high + d.low + 2.0 * d.close
        x = CmpEx(d.close, d.open, x1, x2, x3)
        self.lines.p = x / 4.0
        self.lines.s1 = x / 2.0 - d.high
        self.lines.r1 = x / 2.0 - d.low
        super().__init__()
        self._autoplot_off()
