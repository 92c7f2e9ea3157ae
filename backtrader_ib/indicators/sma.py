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
        self.line[0] = _window_mean(self.data.lines[0], self.p.period)

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        period = self.p.period
        src = self.data.lines[0]._arr[start - period + 1:end]
        self.line._arr[start:end] = window_fsum(src, period) / period



def _window_mean(line, period: int) -> float:
    """fsum of the last ``period`` values / period (NaN before enough bars)."""
    i = line._tl.idx + 1
    if i < period:
        return float('nan')
    return math.fsum(line._mv[i - period:i]) / period
