"""Weighted moving average."""
from __future__ import annotations

from .basicops import WeightedAverage
from .mabase import MovingAverageBase

__all__ = ('WeightedMovingAverage', 'WMA', 'MovingAverageWeighted')


class WeightedMovingAverage(MovingAverageBase):
    """Linearly weighted: the newest bar weighs ``period``, the oldest 1."""

    alias = ('WMA', 'MovingAverageWeighted')
    lines = ('wma',)

    def __init__(self) -> None:
        period = self.p.period
        coef = 2.0 / (period * (period + 1.0))
        weights = tuple(float(x) for x in range(1, period + 1))
        self.lines[0] = WeightedAverage(self.data, period=period, coef=coef,
                                        weights=weights)
        super().__init__()
