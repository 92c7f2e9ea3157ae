"""Return of each calendar year of data0, from the portfolio value."""
from __future__ import annotations

from collections import OrderedDict

from ..analyzer import Analyzer

__all__ = ('AnnualReturn',)


class AnnualReturn(Analyzer):
    """{year: value at the year's last bar / value at the previous year's last bar - 1}.

    The first year starts from the value at the first bar. ``rets`` is the
    list of the returns, ``get_analysis()`` the dict keyed by year.
    """

    def start(self) -> None:
        self._year = -1
        self._value_start = self._value_end = 0.0
        self.ret = OrderedDict()

    def next(self) -> None:
        # Followed bar by bar (backtrader rereads the Broker observer's line
        # at the end, which needs stdstats and full memory).
        if not len(self.data):
            return
        year = self.data.datetime.date(0).year
        broker = self.strategy.broker
        value = broker.fundvalue if broker.fundmode else broker.getvalue()
        if year > self._year:
            if self._year >= 0:
                self.ret[self._year] = self._value_end / self._value_start - 1.0
                self._value_start = self._value_end
            else:
                self._value_start = value
            self._year = year
        self._value_end = value

    def stop(self) -> None:
        if self._year >= 0 and self._year not in self.ret:
            self.ret[self._year] = self._value_end / self._value_start - 1.0
        self.rets = list(self.ret.values())

    def get_analysis(self):
        return self.ret
