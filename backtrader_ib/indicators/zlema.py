"""Zero-lag exponential moving average."""
from __future__ import annotations

from ._lines import delay
from .mabase import MovAv, MovingAverageBase

__all__ = ('ZeroLagExponentialMovingAverage', 'ZLEMA', 'ZeroLagEma')


class ZeroLagExponentialMovingAverage(MovingAverageBase):
    """ema(2 * data - data(-lag)), lag = (period - 1) // 2."""

    alias = ('ZLEMA', 'ZeroLagEma')
    lines = ('zlema',)
    params = (('_movav', MovAv.EMA),)

    def __init__(self) -> None:
        lag = (self.p.period - 1) // 2
        data = 2 * self.data - delay(self.data, -lag)
        self.lines.zlema = self.p._movav(data, period=self.p.period)
        super().__init__()
