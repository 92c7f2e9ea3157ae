"""Simple moving average."""
from __future__ import annotations

import math

from ..mathsupport import window_fsum
from .mabase import MovingAverageBase

__all__ = ('MovingAverageSimple', 'SMA', 'SimpleMovingAverage')


class MovingAverageSimple(MovingAverageBase):
    """Mean of the last ``period`` values (exactly rounded sum / period)."""

    alias = ('SMA', 'SimpleMovingAverage')
    lines = ('sma',)

    def __init__(self) -> None:
        self.addminperiod(self.p.period)

    def next(self) -> None:
        self.line[0] = math.fsum(self.data.get(size=self.p.period)) / self.p.period

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        period = self.p.period
        src = self.data.lines[0]._arr[start - period + 1:end]
        self.line._arr[start:end] = window_fsum(src, period) / period

