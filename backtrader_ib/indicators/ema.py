"""Exponential moving average."""
from __future__ import annotations

from .basicops import ExponentialSmoothing
from .mabase import MovingAverageBase

__all__ = ('ExponentialMovingAverage', 'EMA', 'MovingAverageExponential')


class ExponentialMovingAverage(MovingAverageBase):
    """Exponential smoothing with alpha = 2 / (1 + period), seeded by an SMA."""

    alias = ('EMA', 'MovingAverageExponential')
    lines = ('ema',)

    def __init__(self) -> None:
        self.lines[0] = es = ExponentialSmoothing(
            self.data, period=self.p.period, alpha=2.0 / (1.0 + self.p.period))
        self.alpha, self.alpha1 = es.alpha, es.alpha1
        super().__init__()

