"""Double and triple exponential moving averages."""
from __future__ import annotations

from .mabase import MovAv, MovingAverageBase

__all__ = ('DoubleExponentialMovingAverage', 'DEMA', 'MovingAverageDoubleExponential',
           'TripleExponentialMovingAverage', 'TEMA', 'MovingAverageTripleExponential')


class DoubleExponentialMovingAverage(MovingAverageBase):
    """2 * ema - ema(ema)."""

    alias = ('DEMA', 'MovingAverageDoubleExponential')
    lines = ('dema',)
    params = (('_movav', MovAv.EMA),)

    def __init__(self) -> None:
        ema = self.p._movav(self.data, period=self.p.period)
        ema2 = self.p._movav(ema, period=self.p.period)
        self.lines.dema = 2.0 * ema - ema2
        super().__init__()


class TripleExponentialMovingAverage(MovingAverageBase):
    """3 * ema - 3 * ema(ema) + ema(ema(ema))."""

    alias = ('TEMA', 'MovingAverageTripleExponential')
    lines = ('tema',)
    params = (('_movav', MovAv.EMA),)

    def __init__(self) -> None:
        ema1 = self.p._movav(self.data, period=self.p.period)
        ema2 = self.p._movav(ema1, period=self.p.period)
        ema3 = self.p._movav(ema2, period=self.p.period)
        self.lines.tema = 3.0 * ema1 - 3.0 * ema2 + ema3
        super().__init__()
