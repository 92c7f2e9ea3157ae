"""Gross leverage of the portfolio at every bar."""
from __future__ import annotations

from ..analyzer import Analyzer
from .fundmode import FundModeMixin

__all__ = ('GrossLeverage',)


class GrossLeverage(FundModeMixin, Analyzer):
    """{datetime of data0: (value - cash) / value}: the share of value invested."""

    params = (('fund', None),)

    def start(self) -> None:
        self._pick_fundmode()

    def notify_fund(self, cash, value, fundvalue, shares) -> None:
        self._cash = cash
        self._value = fundvalue if self._fundmode else value

    def next(self) -> None:
        self.rets[self.data0.datetime.datetime()] = (self._value - self._cash) / self._value
