"""Williams %R and Williams accumulation/distribution."""
from __future__ import annotations

from ..functions import If
from ..indicator import Indicator
from .atr import TrueHigh, TrueLow
from .basicops import Accum, Highest, Lowest
from .rsi import DownDay, UpDay

__all__ = ('WilliamsR', 'WilliamsAD')


class WilliamsR(Indicator):
    """-100 * (highest high - close) / (highest high - lowest low)."""

    lines = ('percR',)
    params = (('period', 14), ('upperband', -20.0), ('lowerband', -80.0))
    plotinfo = dict(plotname='Williams R%')
    plotlines = dict(percR=dict(_name='R%'))

    def _plotinif(self) -> None:
        # backtrader's spelling: never called by the plotter, kept for parity
        self.plotinfo.plotyhlines = [self.p.upperband, self.p.lowerband]

    def __init__(self) -> None:
        h = Highest(self.data.high, period=self.p.period)
        lo = Lowest(self.data.low, period=self.p.period)
        c = self.data.close
        self.lines.percR = -100.0 * (h - c) / (h - lo)
        super().__init__()


class WilliamsAD(Indicator):
    """Running sum of close - true low on up days, close - true high on down days."""

    lines = ('ad',)

    def __init__(self) -> None:
        upday = UpDay(self.data.close)
        downday = DownDay(self.data.close)
        adup = If(upday, self.data.close - TrueLow(self.data), 0.0)
        addown = If(downday, self.data.close - TrueHigh(self.data), 0.0)
        self.lines.ad = Accum(adup + addown)
        super().__init__()
