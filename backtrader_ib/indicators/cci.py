"""Commodity channel index."""
from __future__ import annotations

from ..indicator import Indicator
from .deviation import MeanDeviation
from .mabase import MovAv

__all__ = ('CommodityChannelIndex', 'CCI')


class CommodityChannelIndex(Indicator):
    """(tp - mean(tp)) / (factor * mean deviation(tp)), tp = (h + l + c) / 3."""

    alias = ('CCI',)
    lines = ('cci',)
    params = (('period', 20), ('factor', 0.015), ('movav', MovAv.Simple),
              ('upperband', 100.0), ('lowerband', -100.0))

    def _plotlabel_values(self) -> list:
        labels = [self.p.period, self.p.factor]
        return labels + [self.p.movav] * self.p.notdefault('movav')

    def _plotinit(self) -> None:
        self.plotinfo.plotyhlines = [0.0, self.p.upperband, self.p.lowerband]

    def __init__(self) -> None:
        tp = (self.data.high + self.data.low + self.data.close) / 3.0
        tpmean = self.p.movav(tp, period=self.p.period)
        dev = tp - tpmean
        meandev = MeanDeviation(tp, tpmean, period=self.p.period)
        self.lines.cci = dev / (self.p.factor * meandev)
        super().__init__()
