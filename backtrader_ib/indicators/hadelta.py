"""Heikin Ashi delta (Dan Valcu)."""
from __future__ import annotations

from ..indicator import Indicator
from .heikinashi import HeikinAshi
from .mabase import MovAv

__all__ = ['haDelta', 'haD']


class haDelta(Indicator):
    """haDelta = Heikin Ashi close - open; smoothed = sma(haDelta, period)."""

    alias = ('haD',)
    lines = ('haDelta', 'smoothed')
    params = (('period', 3), ('movav', MovAv.SMA), ('autoheikin', True))
    plotinfo = dict(subplot=True)
    plotlines = dict(haDelta=dict(color='red'),
                     smoothed=dict(color='grey', _fill_gt=(0, 'green'),
                                   _fill_lt=(0, 'red')))

    def __init__(self) -> None:
        d = HeikinAshi(self.data) if self.p.autoheikin else self.data
        self.lines.haDelta = hd = d.close - d.open
        self.lines.smoothed = self.p.movav(hd, period=self.p.period)
        super().__init__()
