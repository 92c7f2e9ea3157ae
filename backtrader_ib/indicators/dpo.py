"""Detrended price oscillator."""
from __future__ import annotations

from ..indicator import Indicator
from ._lines import delay
from .mabase import MovAv

__all__ = ('DetrendedPriceOscillator', 'DPO')


class DetrendedPriceOscillator(Indicator):
    """data - moving average shifted back by period // 2 + 1 bars."""

    alias = ('DPO',)
    lines = ('dpo',)
    params = (('period', 20), ('movav', MovAv.Simple))
    plotinfo = dict(plothlines=[0.0])

    def _plotlabel_values(self) -> list:
        return [self.p.period] + [self.p.movav] * self.p.notdefault('movav')

    def __init__(self) -> None:
        ma = self.p.movav(self.data, period=self.p.period)
        self.lines.dpo = self.data - delay(ma, -self.p.period // 2 + 1)
        super().__init__()
