"""Returns per period of the portfolio (or of one data)."""
from __future__ import annotations

from ..analyzer import TimeFrameAnalyzerBase

__all__ = ('TimeReturn',)


class TimeReturn(TimeFrameAnalyzerBase):
    """Return of each period: value at its end / value at its start - 1."""

    params = (('data', None), ('firstopen', True), ('fund', None))

    def start(self) -> None:
        super().start()
        broker = self.strategy.broker
        self._fundmode = broker.fundmode if self.p.fund is None else self.p.fund
        self._value_start = 0.0
        self._lastvalue = None
        if self.p.data is None:
            self._lastvalue = broker.fundvalue if self._fundmode else broker.getvalue()

    def notify_fund(self, cash, value, fundvalue, shares) -> None:
        if self.p.data is not None:
            self._value = self.p.data[0]
        else:
            self._value = fundvalue if self._fundmode else value

    def on_dt_over(self) -> None:
        if self.p.data is None or self._lastvalue is not None:
            self._value_start = self._lastvalue
        elif self.p.firstopen:
            self._value_start = self.p.data.open[0]
        else:
            self._value_start = self.p.data[0]

    def next(self) -> None:
        super().next()
        self.rets[self.dtkey] = (self._value / self._value_start) - 1.0
        self._lastvalue = self._value
