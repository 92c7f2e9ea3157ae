"""True high, true low, true range and the average true range."""
from __future__ import annotations

from ..indicator import Indicator
from ._lines import PyMax as Max, PyMin as Min
from .mabase import MovAv

__all__ = ('TrueHigh', 'TrueLow', 'TrueRange', 'TR', 'AverageTrueRange', 'ATR')


class TrueHigh(Indicator):
    """max(high, previous close)."""

    lines = ('truehigh',)

    def __init__(self) -> None:
        self.lines.truehigh = Max(self.data.high, self.data.close(-1))
        super().__init__()


class TrueLow(Indicator):
    """min(low, previous close)."""

    lines = ('truelow',)

    def __init__(self) -> None:
        self.lines.truelow = Min(self.data.low, self.data.close(-1))
        super().__init__()


class TrueRange(Indicator):
    """true high - true low."""

    alias = ('TR',)
    lines = ('tr',)

    def __init__(self) -> None:
        self.lines.tr = TrueHigh(self.data) - TrueLow(self.data)
        super().__init__()


class AverageTrueRange(Indicator):
    """Moving average (Wilder's by default) of the true range."""

    alias = ('ATR',)
    lines = ('atr',)
    params = (('period', 14), ('movav', MovAv.Smoothed))

    def _plotlabel_values(self) -> list:
        return [self.p.period] + [self.p.movav] * self.p.notdefault('movav')

    def __init__(self) -> None:
        self.lines.atr = self.p.movav(TrueRange(self.data), period=self.p.period)
        super().__init__()
