"""Awesome oscillator (Bill Williams)."""
from __future__ import annotations

from ..indicator import Indicator
from .mabase import MovAv

__all__ = ['AwesomeOscillator', 'AwesomeOsc', 'AO']


class AwesomeOscillator(Indicator):
    """sma(median price, fast) - sma(median price, slow)."""

    alias = ('AwesomeOsc', 'AO')
    lines = ('ao',)
    params = (('fast', 5), ('slow', 34), ('movav', MovAv.SMA))
    plotlines = dict(ao=dict(_method='bar', alpha=0.5, width=1.0))

    def __init__(self) -> None:
        median_price = (self.data.high + self.data.low) / 2.0
        sma1 = self.p.movav(median_price, period=self.p.fast)
        sma2 = self.p.movav(median_price, period=self.p.slow)
        self.l.ao = sma1 - sma2
        super().__init__()
