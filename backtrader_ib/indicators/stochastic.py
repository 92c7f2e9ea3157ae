"""Stochastic oscillators: fast, slow and full."""
from __future__ import annotations

from ..functions import DivByZero
from ..indicator import Indicator
from .basicops import Highest, Lowest
from .mabase import MovAv

__all__ = ('StochasticFast', 'Stochastic', 'StochasticSlow', 'StochasticFull')


class _StochasticBase(Indicator):
    """Builds k = 100 * (close - lowest low) / (highest high - lowest low)
    and d = ma(k, period_dfast)."""

    lines = ('percK', 'percD')
    params = (('period', 14), ('period_dfast', 3), ('movav', MovAv.Simple),
              ('upperband', 80.0), ('lowerband', 20.0), ('safediv', False),
              ('safezero', 0.0))
    plotlines = dict(percD=dict(_name='%D', ls='--'), percK=dict(_name='%K'))

    def _plotlabel_values(self) -> list:
        labels = [self.p.period, self.p.period_dfast]
        return labels + [self.p.movav] * self.p.notdefault('movav')

    def _plotinit(self) -> None:
        self.plotinfo.plotyhlines = [self.p.upperband, self.p.lowerband]

    def __init__(self) -> None:
        highesthigh = Highest(self.data.high, period=self.p.period)
        lowestlow = Lowest(self.data.low, period=self.p.period)
        knum = self.data.close - lowestlow
        kden = highesthigh - lowestlow
        if self.p.safediv:
            self.k = 100.0 * DivByZero(knum, kden, zero=self.p.safezero)
        else:
            self.k = 100.0 * (knum / kden)
        self.d = self.p.movav(self.k, period=self.p.period_dfast)
        super().__init__()


class StochasticFast(_StochasticBase):
    """%K = k, %D = ma(k)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines.percK = self.k
        self.lines.percD = self.d


class Stochastic(_StochasticBase):
    """Slow stochastic: %K = ma(k), %D = ma(%K, period_dslow)."""

    alias = ('StochasticSlow',)
    params = (('period_dslow', 3),)

    def _plotlabel_values(self) -> list:
        labels = [self.p.period, self.p.period_dfast, self.p.period_dslow]
        return labels + [self.p.movav] * self.p.notdefault('movav')

    def __init__(self) -> None:
        super().__init__()
        self.lines.percK = self.d
        self.l.percD = self.p.movav(self.d, period=self.p.period_dslow)


class StochasticFull(_StochasticBase):
    """%K, %D and %DSlow = ma(%D, period_dslow)."""

    lines = ('percDSlow',)
    params = (('period_dslow', 3),)
    plotlines = dict(percDSlow=dict(_name='%DSlow'))

    def _plotlabel_values(self) -> list:
        labels = [self.p.period, self.p.period_dfast, self.p.period_dslow]
        return labels + [self.p.movav] * self.p.notdefault('movav')

    def __init__(self) -> None:
        super().__init__()
        self.lines.percK = self.k
        self.lines.percD = self.d
        self.l.percDSlow = self.p.movav(self.d, period=self.p.period_dslow)
