"""Moving average convergence/divergence."""
from __future__ import annotations

from ..indicator import Indicator
from .mabase import MovAv

__all__ = ('MACD', 'MACDHisto', 'MACDHistogram')


class MACD(Indicator):
    """macd = ma(period_me1) - ma(period_me2); signal = ma(macd, period_signal)."""

    lines = ('macd', 'signal')
    params = (('period_me1', 12), ('period_me2', 26), ('period_signal', 9),
              ('movav', MovAv.Exponential))
    plotinfo = dict(plothlines=[0.0])
    plotlines = dict(signal=dict(ls='--'))

    def _plotlabel_values(self) -> list:
        labels = super()._plotlabel_values()
        if self.p.isdefault('movav') and self.p.movav in labels:
            labels.remove(self.p.movav)
        return labels

    def __init__(self) -> None:
        super().__init__()
        me1 = self.p.movav(self.data, period=self.p.period_me1)
        me2 = self.p.movav(self.data, period=self.p.period_me2)
        self._macd = self.lines.macd = me1 - me2
        self._signal = self.lines.signal = self.p.movav(self._macd, period=self.p.period_signal)


class MACDHisto(MACD):
    """MACD plus histo = macd - signal."""

    alias = ('MACDHistogram',)
    lines = ('histo',)
    plotlines = dict(histo=dict(_method='bar', alpha=0.5, width=1.0))

    def __init__(self) -> None:
        super().__init__()
        self.lines.histo = self._macd - self._signal
