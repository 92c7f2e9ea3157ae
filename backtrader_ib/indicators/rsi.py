"""Relative strength index and its up/down day helpers."""
from __future__ import annotations

from ..functions import DivZeroByZero
from ..indicator import Indicator
from ._lines import PyMax as Max, delay
from .mabase import MovAv

__all__ = ('UpDay', 'DownDay', 'UpDayBool', 'DownDayBool', 'RelativeStrengthIndex',
           'RSI', 'RSI_SMMA', 'RSI_Wilder', 'RSI_Safe', 'RSI_SMA', 'RSI_Cutler',
           'RSI_EMA')


class UpDay(Indicator):
    """max(data - data ``period`` bars ago, 0)."""

    lines = ('upday',)
    params = (('period', 1),)

    def __init__(self) -> None:
        self.lines.upday = Max(self.data - delay(self.data, -self.p.period), 0.0)
        super().__init__()


class DownDay(Indicator):
    """max(data ``period`` bars ago - data, 0)."""

    lines = ('downday',)
    params = (('period', 1),)

    def __init__(self) -> None:
        self.lines.downday = Max(delay(self.data, -self.p.period) - self.data, 0.0)
        super().__init__()


class UpDayBool(Indicator):
    """1.0 if data > data ``period`` bars ago."""

    lines = ('upday',)
    params = (('period', 1),)

    def __init__(self) -> None:
        self.lines.upday = self.data > delay(self.data, -self.p.period)
        super().__init__()


class DownDayBool(Indicator):
    """1.0 if data ``period`` bars ago > data."""

    lines = ('downday',)
    params = (('period', 1),)

    def __init__(self) -> None:
        self.lines.downday = delay(self.data, -self.p.period) > self.data
        super().__init__()


class RelativeStrengthIndex(Indicator):
    """100 - 100 / (1 + ma(up days) / ma(down days)) (Wilder's average).

    With ``safediv`` a zero average of down days gives ``safehigh`` (or
    ``safelow`` when both averages are zero) instead of a division by zero.
    """

    alias = ('RSI', 'RSI_SMMA', 'RSI_Wilder')
    lines = ('rsi',)
    params = (('period', 14), ('movav', MovAv.Smoothed), ('upperband', 70.0),
              ('lowerband', 30.0), ('safediv', False), ('safehigh', 100.0),
              ('safelow', 50.0), ('lookback', 1))

    def _plotlabel_values(self) -> list:
        labels = [self.p.period]
        labels += [self.p.movav] * self.p.notdefault('movav')
        return labels + [self.p.lookback] * self.p.notdefault('lookback')

    def _plotinit(self) -> None:
        self.plotinfo.plotyhlines = [self.p.upperband, self.p.lowerband]

    def __init__(self) -> None:
        upday = UpDay(self.data, period=self.p.lookback)
        downday = DownDay(self.data, period=self.p.lookback)
        maup = self.p.movav(upday, period=self.p.period)
        madown = self.p.movav(downday, period=self.p.period)
        if not self.p.safediv:
            rs = maup / madown
        else:
            highrs = self._rscalc(self.p.safehigh)
            lowrs = self._rscalc(self.p.safelow)
            rs = DivZeroByZero(maup, madown, highrs, lowrs)
        self.lines.rsi = 100.0 - 100.0 / (1.0 + rs)
        super().__init__()

    def _rscalc(self, rsi: float) -> float:
        """The rs giving ``rsi``."""
        try:
            return -100.0 / (rsi - 100.0) - 1.0
        except ZeroDivisionError:
            return float('inf')


class RSI_Safe(RelativeStrengthIndex):
    """RSI with ``safediv`` on."""

    params = (('safediv', True),)


class RSI_SMA(RelativeStrengthIndex):
    """RSI on simple moving averages (Cutler's RSI)."""

    alias = ('RSI_Cutler',)
    params = (('movav', MovAv.Simple),)


class RSI_EMA(RelativeStrengthIndex):
    """RSI on exponential moving averages."""

    params = (('movav', MovAv.Exponential),)
