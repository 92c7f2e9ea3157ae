"""Hull moving average."""
from __future__ import annotations

from .mabase import MovAv, MovingAverageBase

__all__ = ('HullMovingAverage', 'HMA', 'HullMA')


class HullMovingAverage(MovingAverageBase):
    """wma(2 * wma(period / 2) - wma(period), sqrt(period))."""

    alias = ('HMA', 'HullMA')
    lines = ('hma',)
    params = (('_movav', MovAv.WMA),)

    def __init__(self) -> None:
        period = self.p.period
        wma = self.p._movav(self.data, period=period)
        wma2 = 2.0 * self.p._movav(self.data, period=period // 2)
        self.lines.hma = self.p._movav(wma2 - wma, period=int(pow(period, 0.5)))
        super().__init__()
