"""Ehlers' zero-lag (error-correcting) indicator."""
from __future__ import annotations

import sys

import numpy as np

from .mabase import MovAv, MovingAverageBase

__all__ = ('ZeroLagIndicator', 'ZLIndicator', 'ZLInd', 'EC', 'ErrorCorrecting')

MAXINT = sys.maxsize


class ZeroLagIndicator(MovingAverageBase):
    """An EMA corrected by the gain (in -gainlimit/10 .. gainlimit/10) that
    brings it closest to the price.

    ec = alpha * (ema + gain * (price - ec[-1])) + (1 - alpha) * ec[-1]
    """

    alias = ('ZLIndicator', 'ZLInd', 'EC', 'ErrorCorrecting')
    lines = ('ec',)
    params = (('gainlimit', 50), ('_movav', MovAv.EMA))

    def _plotlabel_values(self) -> list:
        labels = [self.p.period, self.p.gainlimit]
        return labels + [self.p._movav] * self.p.notdefault('_movav')

    def __init__(self) -> None:
        # backtrader always uses an EMA here, whatever ``_movav`` says
        self.ema = MovAv.EMA(period=self.p.period)
        self.limits = [-self.p.gainlimit, self.p.gainlimit + 1]
        self._gains = [value / 10 for value in range(*self.limits)]
        super().__init__()

    def _best(self, ema: float, price: float, ec1: float) -> float:
        alpha, alpha1 = self.ema.alpha, self.ema.alpha1
        leasterror = MAXINT
        bestec = ema
        for gain in self._gains:
            ec = alpha * (ema + gain * (price - ec1)) + alpha1 * ec1
            error = abs(price - ec)
            if error < leasterror:
                leasterror = error
                bestec = ec
        return bestec

    def next(self) -> None:
        self.lines.ec[0] = self._best(self.ema[0], self.data[0], self.lines.ec[-1])

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        arr = self.lines.ec._arr
        emas = self.ema.lines[0]._arr[start:end].tolist()
        prices = self.data.lines[0]._arr[start:end].tolist()
        ec1 = float(arr[start - 1]) if start > 0 else float('nan')
        out = []
        best = self._best
        for ema, price in zip(emas, prices):
            ec1 = best(ema, price, ec1)
            out.append(ec1)
        arr[start:end] = np.array(out)
