"""Momentum and rate of change."""
from __future__ import annotations

from ..indicator import Indicator
from ._lines import delay

__all__ = ('Momentum', 'MomentumOscillator', 'MomentumOsc', 'RateOfChange', 'ROC',
           'RateOfChange100', 'ROC100')


class Momentum(Indicator):
    """data - data ``period`` bars ago."""

    lines = ('momentum',)
    params = (('period', 12),)
    plotinfo = dict(plothlines=[0.0])

    def __init__(self) -> None:
        self.l.momentum = self.data - delay(self.data, -self.p.period)
        super().__init__()


class MomentumOscillator(Indicator):
    """100 * data / data ``period`` bars ago."""

    alias = ('MomentumOsc',)
    lines = ('momosc',)
    params = (('period', 12), ('band', 100.0))

    def _plotlabel_values(self) -> list:
        return [self.p.period]

    def _plotinit(self) -> None:
        self.plotinfo.plothlines = [self.p.band]

    def __init__(self) -> None:
        self.l.momosc = 100.0 * (self.data / delay(self.data, -self.p.period))
        super().__init__()


class RateOfChange(Indicator):
    """(data - data ``period`` bars ago) / data ``period`` bars ago."""

    alias = ('ROC',)
    lines = ('roc',)
    params = (('period', 12),)

    def __init__(self) -> None:
        dperiod = delay(self.data, -self.p.period)
        self.l.roc = (self.data - dperiod) / dperiod
        super().__init__()


class RateOfChange100(Indicator):
    """100 * rate of change."""

    alias = ('ROC100',)
    lines = ('roc100',)
    params = (('period', 12),)

    def __init__(self) -> None:
        self.l.roc100 = 100.0 * RateOfChange(self.data, period=self.p.period)
        super().__init__()
