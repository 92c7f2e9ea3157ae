"""Ultimate oscillator (Larry Williams)."""
from __future__ import annotations

from ..indicator import Indicator
from .atr import TrueLow, TrueRange
from .basicops import SumN

__all__ = ('UltimateOscillator',)


class UltimateOscillator(Indicator):
    """Weighted (4:2:1) average of buying pressure / true range over p1, p2, p3."""

    lines = ('uo',)
    params = (('p1', 7), ('p2', 14), ('p3', 28), ('upperband', 70.0),
              ('lowerband', 30.0))

    def _plotinit(self) -> None:
        hlines = [self.p.upperband, self.p.lowerband]
        self.plotinfo.plotyhlines = hlines
        self.plotinfo.plotyticks = [10.0, 50.0, 90.0] + hlines

    def __init__(self) -> None:
        bp = self.data.close - TrueLow(self.data)
        tr = TrueRange(self.data)
        av7 = SumN(bp, period=self.p.p1) / SumN(tr, period=self.p.p1)
        av14 = SumN(bp, period=self.p.p2) / SumN(tr, period=self.p.p2)
        av28 = SumN(bp, period=self.p.p3) / SumN(tr, period=self.p.p3)
        factor = 100.0 / (4.0 + 2.0 + 1.0)
        self.lines.uo = 4.0 * factor * av7 + 2.0 * factor * av14 + factor * av28
        super().__init__()
