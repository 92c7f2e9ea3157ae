"""Buy and sell markers at the bars where orders filled."""
from __future__ import annotations

import math

from ..observer import Observer

__all__ = ('BuySell',)


class BuySell(Observer):
    """Average fill price of the bar's buys and sells (or a marker below/above)."""

    lines = ('buy', 'sell')
    plotinfo = dict(plot=True, subplot=False, plotlinelabels=True)
    plotlines = dict(
        buy=dict(marker='^', markersize=8.0, color='lime', fillstyle='full', ls=''),
        sell=dict(marker='v', markersize=8.0, color='red', fillstyle='full', ls=''))
    params = (('barplot', False), ('bardist', 0.015))
    _on_events = True

    def start(self) -> None:
        self.curbuylen = 0
        self.cursellen = 0

    def next(self) -> None:
        pending = self._owner._orderspending
        if not pending:
            buy, sell = self.lines.buy[0], self.lines.sell[0]
            if buy != buy and sell != sell:
                return  # nothing filled on this bar: both lines stay NaN
            # a replayed bar that already has a marker: it follows the bar (as in backtrader)
        buy, sell = [], []
        for order in pending:
            if order.data is not self.data or not order.executed.size:
                continue
            (buy if order.isbuy() else sell).append(order.executed.price)
        self._record(self.lines.buy, buy, 'curbuylen', self.data.low, 1 - self.p.bardist)
        self._record(self.lines.sell, sell, 'cursellen', self.data.high, 1 + self.p.bardist)

    def _record(self, line, prices, lenattr, anchor, factor) -> None:
        cur = line[0]
        if cur != cur:  # NaN: nothing recorded on this bar yet
            if not prices:  # and nothing now: the line stays NaN
                setattr(self, lenattr, 0)
                return
            cur = 0.0
            setattr(self, lenattr, 0)
        curlen = getattr(self, lenattr)
        ops = cur + math.fsum(prices)
        n = curlen + len(prices)
        value = ops / float(n or 'NaN')
        if not self.p.barplot:
            line[0] = value
        elif value == value:
            line[0] = anchor[0] * factor
        setattr(self, lenattr, n)
