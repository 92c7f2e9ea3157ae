"""Returns per period of the portfolio (or of one data)."""
from __future__ import annotations

from ..analyzer import TimeFrameAnalyzerBase
from .fundmode import FundModeMixin

__all__ = ('TimeReturn',)


class TimeReturn(FundModeMixin, TimeFrameAnalyzerBase):
    """{period end: value at the period's last bar / value at the previous period's last bar - 1}.

    Follows the portfolio (net or fund value, ``fund``), or the close of
    ``data`` when given; then the first period starts from the data's first
    open (``firstopen``) or close, and periods before the data's first bar
    have no entry.
    """

    params = (('data', None), ('firstopen', True), ('fund', None))

    def start(self) -> None:
        super().start()
        self._pick_fundmode()
        self._value_start = 0.0
        self._lastvalue = self._broker_value() if self.p.data is None else None

    def notify_fund(self, cash, value, fundvalue, shares) -> None:
        if self.p.data is not None:
            self._value = self.p.data[0]
        else:
            self._value = fundvalue if self._fundmode else value

    def _first_value(self) -> float:
        data = self.p.data
        return data.open[0] if self.p.firstopen else data[0]

    def on_dt_over(self) -> None:
        if self.p.data is None or self._lastvalue is not None:
            self._value_start = self._lastvalue
        elif len(self.p.data):
            self._value_start = self._first_value()
        else:
            self._value_start = None  # the data starts later in this period

    def next(self) -> None:
        super().next()
        if self._value_start is None:
            # backtrader reads the data before its first bar (in preload mode
            # the last bar of the whole series): no return until it has one
            if not len(self.p.data):
                return
            self._value_start = self._first_value()
        self.rets[self.dtkey] = (self._value / self._value_start) - 1.0
        self._lastvalue = self._value
