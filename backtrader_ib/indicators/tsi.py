"""True strength indicator."""
from __future__ import annotations

from ..indicator import Indicator
from ._lines import delay
from .ema import EMA

__all__ = ('TrueStrengthIndicator', 'TSI')


class TrueStrengthIndicator(Indicator):
    """100 * ema(ema(change, p1), p2) / ema(ema(|change|, p1), p2)."""

    alias = ('TSI',)
    params = (('period1', 25), ('period2', 13), ('pchange', 1), ('_movav', EMA))
    lines = ('tsi',)

    def __init__(self) -> None:
        pc = self.data - delay(self.data, -self.p.pchange)
        sm1 = self.p._movav(pc, period=self.p.period1)
        sm12 = self.p._movav(sm1, period=self.p.period2)
        sm2 = self.p._movav(abs(pc), period=self.p.period1)
        sm22 = self.p._movav(sm2, period=self.p.period2)
        self.lines.tsi = 100.0 * (sm12 / sm22)
