"""Smoothed (Wilder's) moving average."""
from __future__ import annotations

from .basicops import ExponentialSmoothing
from .mabase import MovingAverageBase

__all__ = ('SmoothedMovingAverage', 'SMMA', 'WilderMA', 'MovingAverageSmoothed',
           'MovingAverageWilder', 'ModifiedMovingAverage')


class SmoothedMovingAverage(MovingAverageBase):
    """Exponential smoothing with alpha = 1 / period, seeded by an SMA."""

    alias = ('SMMA', 'WilderMA', 'MovingAverageSmoothed', 'MovingAverageWilder',
             'ModifiedMovingAverage')
    lines = ('smma',)

    def __init__(self) -> None:
        self.lines[0] = ExponentialSmoothing(
            self.data, period=self.p.period, alpha=1.0 / self.p.period)
        super().__init__()
