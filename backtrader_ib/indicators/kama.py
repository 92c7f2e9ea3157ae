"""Kaufman's adaptive moving average."""
from __future__ import annotations

from ._lines import delay, lpow
from .basicops import ExponentialSmoothingDynamic, SumN
from .mabase import MovingAverageBase

__all__ = ('AdaptiveMovingAverage', 'KAMA', 'MovingAverageAdaptive')


class AdaptiveMovingAverage(MovingAverageBase):
    """Exponential smoothing whose alpha follows the efficiency ratio.

    er = |change over period| / sum of |bar changes|;
    alpha = (er * (fast_sc - slow_sc) + slow_sc) ** 2.
    """

    alias = ('KAMA', 'MovingAverageAdaptive')
    lines = ('kama',)
    params = (('fast', 2), ('slow', 30))

    def __init__(self) -> None:
        direction = self.data - delay(self.data, -self.p.period)
        volatility = SumN(abs(self.data - delay(self.data, -1)), period=self.p.period)
        er = abs(direction / volatility)
        fast = 2.0 / (self.p.fast + 1.0)
        slow = 2.0 / (self.p.slow + 1.0)
        sc = lpow(er * (fast - slow) + slow, 2)  # pow(), vectorised exactly
        self.lines[0] = ExponentialSmoothingDynamic(self.data, period=self.p.period, alpha=sc)
        super().__init__()
