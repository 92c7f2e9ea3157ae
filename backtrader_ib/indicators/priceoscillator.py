"""Absolute and percentage price oscillators."""
from __future__ import annotations

from ..indicator import Indicator
from .mabase import MovAv

__all__ = ('PriceOscillator', 'PriceOsc', 'AbsolutePriceOscillator', 'APO',
           'AbsPriceOsc', 'PercentagePriceOscillator', 'PPO', 'PercPriceOsc',
           'PercentagePriceOscillatorShort', 'PPOShort', 'PercPriceOscShort')


class _PriceOscBase(Indicator):
    params = (('period1', 12), ('period2', 26), ('_movav', MovAv.Exponential))
    plotinfo = dict(plothlines=[0.0])

    def __init__(self) -> None:
        self.ma1 = self.p._movav(self.data, period=self.p.period1)
        self.ma2 = self.p._movav(self.data, period=self.p.period2)
        self._po = self.lines[0] = self.ma1 - self.ma2
        super().__init__()


class PriceOscillator(_PriceOscBase):
    """ma(period1) - ma(period2)."""

    alias = ('PriceOsc', 'AbsolutePriceOscillator', 'APO', 'AbsPriceOsc')
    lines = ('po',)


class PercentagePriceOscillator(_PriceOscBase):
    """ppo = 100 * (ma1 - ma2) / ma2; signal = ma(ppo); histo = ppo - signal."""

    _long = True
    alias = ('PPO', 'PercPriceOsc')
    lines = ('ppo', 'signal', 'histo')
    params = (('period_signal', 9),)
    plotlines = dict(histo=dict(_method='bar', alpha=0.5, width=1.0))

    def __init__(self) -> None:
        super().__init__()
        den = self.ma2 if self._long else self.ma1
        self.lines.ppo = ppo = 100.0 * self._po / den
        self.l.signal = signal = self.p._movav(ppo, period=self.p.period_signal)
        self.lines.histo = ppo - signal


class PercentagePriceOscillatorShort(PercentagePriceOscillator):
    """As PPO, dividing by the short (period1) average."""

    _long = False
    alias = ('PPOShort', 'PercPriceOscShort')
