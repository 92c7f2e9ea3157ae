"""Heikin Ashi candles."""
from __future__ import annotations

import numpy as np

from ..indicator import Indicator
from . import _kernels as K

__all__ = ['HeikinAshi']


class HeikinAshi(Indicator):
    """close = (o + h + l + c) / 4; open = (open[-1] + close[-1]) / 2 (the
    first bar: (o + c) / 2); high = max(h, open, close); low = min(l, open, close).
    """

    lines = ('ha_open', 'ha_high', 'ha_low', 'ha_close')
    linealias = (('ha_open', 'open'), ('ha_high', 'high'), ('ha_low', 'low'),
                 ('ha_close', 'close'))
    plotinfo = dict(subplot=False)
    # backtrader forces bar-by-bar mode for this indicator; here ``once``
    # runs the same recurrence, so runonce stays on.
    _nextforce = False

    def __init__(self) -> None:
        self.addminperiod(2)  # the open needs the bar before
        super().__init__()

    def _bar(self, o, h, lo, c, ha_open):
        ha_close = (o + h + lo + c) / 4.0
        return ha_close, max(h, ha_open, ha_close), min(lo, ha_open, ha_close)

    def prenext(self) -> None:
        d = self.data
        self.lines.ha_open[0] = (d.open[0] + d.close[0]) / 2.0
        self.lines.ha_close[0] = (d.open[0] + d.high[0] + d.low[0] + d.close[0]) / 4.0

    def next(self) -> None:
        d, ln = self.data, self.lines
        ha_open = (ln.ha_open[-1] + ln.ha_close[-1]) / 2.0
        ha_close, ha_high, ha_low = self._bar(d.open[0], d.high[0], d.low[0],
                                              d.close[0], ha_open)
        ln.ha_open[0] = ha_open
        ln.ha_close[0] = ha_close
        ln.ha_high[0] = ha_high
        ln.ha_low[0] = ha_low

    def preonce(self, start: int, end: int) -> None:
        d, ln = self.data, self.lines
        o, h, lo, c = (x._arr[start:end] for x in (d.open, d.high, d.low, d.close))
        ln.ha_open._arr[start:end] = (o + c) / 2.0
        ln.ha_close._arr[start:end] = (o + h + lo + c) / 4.0

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        d, ln = self.data, self.lines
        o, h, lo, c = (x._arr[start:end] for x in (d.open, d.high, d.low, d.close))
        ha_close = (o + h + lo + c) / 4.0
        # the open is a recurrence on the previous open and close
        prev_open = float(ln.ha_open._arr[start - 1])
        prev_close = float(ln.ha_close._arr[start - 1])
        opens = []
        for hc in ha_close.tolist():
            prev_open = (prev_open + prev_close) / 2.0
            prev_close = hc
            opens.append(prev_open)
        ha_open = np.array(opens)
        ln.ha_open._arr[start:end] = ha_open
        ln.ha_close._arr[start:end] = ha_close
        ln.ha_high._arr[start:end] = K.py_max(h, ha_open, ha_close)
        ln.ha_low._arr[start:end] = K.py_min(lo, ha_open, ha_close)
