"""Directional movement: +DI, -DI, ADX, ADXR (Welles Wilder)."""
from __future__ import annotations

from ..functions import If
from ..indicator import Indicator
from ._lines import PyAnd as And, delay, order_lines
from .atr import AverageTrueRange
from .mabase import MovAv

__all__ = ('UpMove', 'DownMove', 'DirectionalIndicator', 'DI',
           'PlusDirectionalIndicator', 'PlusDI', 'MinusDirectionalIndicator',
           'MinusDI', 'AverageDirectionalMovementIndex', 'ADX',
           'AverageDirectionalMovementIndexRating', 'ADXR',
           'DirectionalMovementIndex', 'DMI', 'DirectionalMovement', 'DM')


class UpMove(Indicator):
    """data - data[-1]."""

    lines = ('upmove',)

    def __init__(self) -> None:
        self.lines.upmove = self.data - delay(self.data, -1)
        super().__init__()


class DownMove(Indicator):
    """data[-1] - data."""

    lines = ('downmove',)

    def __init__(self) -> None:
        self.lines.downmove = delay(self.data, -1) - self.data
        super().__init__()


class _DirectionalIndicator(Indicator):
    """Builds ``DIplus`` / ``DIminus`` (100 * smoothed DM / ATR)."""

    params = (('period', 14), ('movav', MovAv.Smoothed))
    plotlines = dict(plusDI=dict(_name='+DI'), minusDI=dict(_name='-DI'))

    def _plotlabel_values(self) -> list:
        return [self.p.period] + [self.p.movav] * self.p.notdefault('movav')

    def __init__(self, _plus: bool = True, _minus: bool = True) -> None:
        atr = AverageTrueRange(self.data, period=self.p.period, movav=self.p.movav)
        upmove = self.data.high - self.data.high(-1)
        downmove = self.data.low(-1) - self.data.low
        if _plus:
            plus = And(upmove > downmove, upmove > 0.0)
            plusDM = If(plus, upmove, 0.0)
            plusDMav = self.p.movav(plusDM, period=self.p.period)
            self.DIplus = 100.0 * plusDMav / atr
        if _minus:
            minus = And(downmove > upmove, downmove > 0.0)
            minusDM = If(minus, downmove, 0.0)
            minusDMav = self.p.movav(minusDM, period=self.p.period)
            self.DIminus = 100.0 * minusDMav / atr
        super().__init__()


class DirectionalIndicator(_DirectionalIndicator):
    """+DI and -DI."""

    alias = ('DI',)
    lines = ('plusDI', 'minusDI')

    def __init__(self) -> None:
        super().__init__()
        self.lines.plusDI = self.DIplus
        self.lines.minusDI = self.DIminus


class PlusDirectionalIndicator(_DirectionalIndicator):
    """+DI only."""

    alias = (('PlusDI', '+DI'),)
    lines = ('plusDI',)
    plotinfo = dict(plotname='+DirectionalIndicator')

    def __init__(self) -> None:
        super().__init__(_minus=False)
        self.lines.plusDI = self.DIplus


class MinusDirectionalIndicator(_DirectionalIndicator):
    """-DI only."""

    alias = (('MinusDI', '-DI'),)
    lines = ('minusDI',)
    plotinfo = dict(plotname='-DirectionalIndicator')

    def __init__(self) -> None:
        super().__init__(_plus=False)
        self.lines.minusDI = self.DIminus


class AverageDirectionalMovementIndex(_DirectionalIndicator):
    """100 * moving average of |+DI - -DI| / (+DI + -DI)."""

    alias = ('ADX',)
    lines = ('adx',)
    plotlines = dict(adx=dict(_name='ADX'))

    def __init__(self) -> None:
        super().__init__()
        dx = abs(self.DIplus - self.DIminus) / (self.DIplus + self.DIminus)
        self.ADX = self.lines.adx = 100.0 * self.p.movav(dx, period=self.p.period)


class AverageDirectionalMovementIndexRating(AverageDirectionalMovementIndex):
    """(ADX + ADX ``period`` bars ago) / 2."""

    alias = ('ADXR',)
    lines = ('adxr',)
    plotlines = dict(adxr=dict(_name='ADXR'))

    def __init__(self) -> None:
        super().__init__()
        self.lines.adxr = (self.ADX + self.ADX(-self.p.period)) / 2.0


class DirectionalMovementIndex(AverageDirectionalMovementIndex, DirectionalIndicator):
    """ADX, +DI and -DI."""

    alias = ('DMI',)


class DirectionalMovement(AverageDirectionalMovementIndexRating, DirectionalIndicator):
    """ADX, ADXR, +DI and -DI."""

    alias = ('DM',)


order_lines(DirectionalMovementIndex, 'adx', 'plusDI', 'minusDI')
order_lines(DirectionalMovement, 'adx', 'adxr', 'plusDI', 'minusDI')
