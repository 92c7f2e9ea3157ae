"""Bollinger bands and %B."""
from __future__ import annotations

from ..indicator import Indicator
from .deviation import StandardDeviation
from .mabase import MovAv

__all__ = ('BollingerBands', 'BBands', 'BollingerBandsPct')


class BollingerBands(Indicator):
    """mid = moving average; top/bot = mid +/- devfactor * standard deviation."""

    alias = ('BBands',)
    lines = ('mid', 'top', 'bot')
    params = (('period', 20), ('devfactor', 2.0), ('movav', MovAv.Simple))
    plotinfo = dict(subplot=False)
    plotlines = dict(mid=dict(ls='--'), top=dict(_samecolor=True),
                     bot=dict(_samecolor=True))

    def _plotlabel_values(self) -> list:
        labels = [self.p.period, self.p.devfactor]
        return labels + [self.p.movav] * self.p.notdefault('movav')

    def __init__(self) -> None:
        self.lines.mid = ma = self.p.movav(self.data, period=self.p.period)
        stddev = self.p.devfactor * StandardDeviation(
            self.data, ma, period=self.p.period, movav=self.p.movav)
        self._top = self.lines.top = ma + stddev
        self._bot = self.lines.bot = ma - stddev
        super().__init__()


class BollingerBandsPct(BollingerBands):
    """Bollinger bands plus %B = (data - bot) / (top - bot)."""

    lines = ('pctb',)
    plotlines = dict(pctb=dict(_name='%B'))

    def __init__(self) -> None:
        super().__init__()
        # the expressions, not the bound lines: those fill after the children
        self.l.pctb = (self.data - self._bot) / (self._top - self._bot)
