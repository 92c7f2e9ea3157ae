"""Rolling log returns over ``compression`` periods."""
from __future__ import annotations

import collections
import math

from ..analyzer import TimeFrameAnalyzerBase
from .fundmode import FundModeMixin

__all__ = ('LogReturnsRolling',)


class LogReturnsRolling(FundModeMixin, TimeFrameAnalyzerBase):
    """{period end: log(value now / value ``compression`` periods ago)}.

    Follows the portfolio, or the close of ``data`` when given (then the first
    period starts from its open when ``firstopen``).
    """

    params = (('data', None), ('firstopen', True), ('fund', None))

    def start(self) -> None:
        super().start()
        self._pick_fundmode()
        n = self.compression
        self._values = collections.deque([float('nan')] * n, maxlen=n)
        self._lastvalue = self._broker_value() if self.p.data is None else None

    def notify_fund(self, cash, value, fundvalue, shares) -> None:
        if self.p.data is not None:
            self._value = self.p.data[0]
        else:
            self._value = fundvalue if self._fundmode else value

    def on_dt_over(self) -> None:
        data = self.p.data
        if data is None or (len(data) > 1 and self._lastvalue is not None):
            start = self._lastvalue
        elif len(data):
            start = data.open[0] if self.p.firstopen else data[0]
        else:
            start = float('nan')  # the data has no bar yet
        self._values.append(start)

    def next(self) -> None:
        super().next()
        if self.p.data is not None and not len(self.p.data):
            return  # the data has no bar yet: no return (backtrader reads past its end)
        self.rets[self.dtkey] = math.log(self._value / self._values[0])
        self._lastvalue = self._value
