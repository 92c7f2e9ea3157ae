"""DV2 (David Varadi)."""
from __future__ import annotations

from ..indicator import Indicator
from .percentrank import PercentRank
from .sma import SMA

__all__ = ['DV2']


class DV2(Indicator):
    """100 * percent rank of ma(close / ((high + low) / 2), maperiod)."""

    params = (('period', 252), ('maperiod', 2), ('_movav', SMA))
    lines = ('dv2',)

    def __init__(self) -> None:
        chl = self.data.close / ((self.data.high + self.data.low) / 2.0)
        dvu = self.p._movav(chl, period=self.p.maperiod)
        self.lines.dv2 = PercentRank(dvu, period=self.p.period) * 100
        super().__init__()
