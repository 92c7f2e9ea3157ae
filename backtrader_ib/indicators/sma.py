"""Simple moving average."""
from __future__ import annotations

import math

from . import _kernels as K
from .mabase import MovingAverageBase

__all__ = ('MovingAverageSimple', 'SMA', 'SimpleMovingAverage')


class MovingAverageSimple(MovingAverageBase):
    """Mean of the last ``period`` values (exactly rounded sum / period).

    Computed directly (backtrader builds an Average child): same numbers,
    one object less per average.
    """

    alias = ('SMA', 'SimpleMovingAverage')
    lines = ('sma',)

    def __init__(self) -> None:
        self.addminperiod(self.p.period)

    def next(self) -> None:
        line = self.data.lines[0]
        i = line._tl.idx + 1
        period = self.p.period
        if i < period:  # fewer bars kept than the period: NaN, as get() gives
            self.line[0] = float('nan')
            return
        self.line[0] = math.fsum(line._mv[i - period:i]) / period

    def once(self, start: int, end: int) -> None:
        if end > start:
            period = self.p.period
            sums = K.put_window_sum(self.line._arr, K.src_array(self.data), start, end, period)
            sums /= period
