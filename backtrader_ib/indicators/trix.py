"""TRIX: rate of change of a triple exponential smoothing."""
from __future__ import annotations

from ..indicator import Indicator
from .mabase import MovAv

__all__ = ('Trix', 'TRIX', 'TrixSignal')


class Trix(Indicator):
    """100 * (ema3 / ema3 ``_rocperiod`` bars ago - 1), ema3 = ema(ema(ema))."""

    alias = ('TRIX',)
    lines = ('trix',)
    params = (('period', 15), ('_rocperiod', 1), ('_movav', MovAv.EMA))
    plotinfo = dict(plothlines=[0.0])

    def _plotlabel_values(self) -> list:
        labels = [self.p.period]
        labels += [self.p._rocperiod] * self.p.notdefault('_rocperiod')
        return labels + [self.p._movav] * self.p.notdefault('_movav')

    def __init__(self) -> None:
        ema1 = self.p._movav(self.data, period=self.p.period)
        ema2 = self.p._movav(ema1, period=self.p.period)
        ema3 = self.p._movav(ema2, period=self.p.period)
        self._trix = self.lines.trix = 100.0 * (
            ema3 / ema3.lines[0](-self.p._rocperiod) - 1.0)
        super().__init__()


class TrixSignal(Trix):
    """TRIX plus signal = ema(trix, sigperiod)."""

    lines = ('signal',)
    params = (('sigperiod', 9),)

    def __init__(self) -> None:
        super().__init__()
        self.l.signal = self.p._movav(self._trix, period=self.p.sigperiod)
