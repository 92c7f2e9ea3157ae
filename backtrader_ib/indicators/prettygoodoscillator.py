"""Pretty good oscillator."""
from __future__ import annotations

from ..indicator import Indicator
from .atr import AverageTrueRange
from .mabase import MovAv

__all__ = ('PrettyGoodOscillator', 'PGO', 'PrettyGoodOsc')


class PrettyGoodOscillator(Indicator):
    """(data - moving average) / ATR."""

    alias = ('PGO', 'PrettyGoodOsc')
    lines = ('pgo',)
    params = (('period', 14), ('_movav', MovAv.Simple))

    def __init__(self) -> None:
        movav = self.p._movav(self.data, period=self.p.period)
        atr = AverageTrueRange(self.data, period=self.p.period)
        self.lines.pgo = (self.data - movav) / atr
        super().__init__()
