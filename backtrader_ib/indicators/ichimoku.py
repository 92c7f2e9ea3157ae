"""Ichimoku Kinko Hyo."""
from __future__ import annotations

from ..indicator import Indicator
from ._lines import delay
from .basicops import Highest, Lowest

__all__ = ('Ichimoku',)


class Ichimoku(Indicator):
    """tenkan/kijun = midpoints of the tenkan/kijun-bar ranges; senkou A/B
    (midpoints) shifted ``senkou_lead`` bars ahead; chikou = the close
    ``chikou`` bars later (so the last ``chikou`` bars have none)."""

    lines = ('tenkan_sen', 'kijun_sen', 'senkou_span_a', 'senkou_span_b',
             'chikou_span')
    params = (('tenkan', 9), ('kijun', 26), ('senkou', 52), ('senkou_lead', 26),
              ('chikou', 26))
    plotinfo = dict(subplot=False)
    plotlines = dict(senkou_span_a=dict(_fill_gt=('senkou_span_b', 'g'),
                                        _fill_lt=('senkou_span_b', 'r')))

    def __init__(self) -> None:
        d, p = self.data, self.p
        tenkan = (Highest(d.high, period=p.tenkan) + Lowest(d.low, period=p.tenkan)) / 2.0
        self.l.tenkan_sen = tenkan
        kijun = (Highest(d.high, period=p.kijun) + Lowest(d.low, period=p.kijun)) / 2.0
        self.l.kijun_sen = kijun
        senkou_span_a = (tenkan + kijun) / 2.0
        self.l.senkou_span_a = senkou_span_a(-p.senkou_lead)
        senkou_span_b = (Highest(d.high, period=p.senkou)
                         + Lowest(d.low, period=p.senkou)) / 2.0
        self.l.senkou_span_b = senkou_span_b(-p.senkou_lead)
        if p.chikou <= 0:
            self.l.chikou_span = delay(d.close, p.chikou)
        super().__init__()

    # chikou_span: each close is written ``chikou`` bars back. Done here, not
    # by binding a forward-shifted line: bindings copy only the current bar.
    def prenext(self) -> None:
        self._chikou()

    def next(self) -> None:
        self._chikou()

    def _chikou(self) -> None:
        ago = self.p.chikou
        if ago > 0 and len(self) > ago:
            self.lines.chikou_span[-ago] = self.data.close[0]

    def preonce(self, start: int, end: int) -> None:
        self.once(start, end)

    def once(self, start: int, end: int) -> None:
        ago = self.p.chikou
        lo = max(start, ago)
        if ago > 0 and end > lo:
            self.lines.chikou_span._arr[lo - ago:end - ago] = self.data.close._arr[lo:end]
