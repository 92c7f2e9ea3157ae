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
    # fills folded into the bar's markers so far (class defaults: a per-data
    # observer group is not started, as in backtrader, so start() may not run)
    curbuylen = cursellen = 0

    def start(self) -> None:
        self.curbuylen = 0
        self.cursellen = 0

    def next(self) -> None:
        pending = self._owner._orderspending
        lines = self.lines
        buyline, sellline = lines.buy, lines.sell
        if not pending:
            buy, sell = buyline[0], sellline[0]
            if buy != buy and sell != sell:
                return  # nothing filled on this bar: both lines stay NaN
            # a replayed bar that already has a marker: it follows the bar (as in backtrader)
        buy, sell = [], []
        data = self.data
        for order in pending:
            if order.data is not data or not order.executed.size:
                continue
            (buy if order.isbuy() else sell).append(order.executed.price)
        bardist = self.p.bardist
        self.curbuylen = self._record(buyline, buy, self.curbuylen, data.low, 1 - bardist)
        self.cursellen = self._record(sellline, sell, self.cursellen, data.high, 1 + bardist)

    def _record(self, line, prices: list, curlen: int, anchor, factor: float) -> int:
        """Fold ``prices`` into the bar's marker on ``line``; the new count."""
        cur = line[0]
        if cur != cur:  # NaN: nothing recorded on this bar yet
            if not prices:  # and nothing now: the line stays NaN
                return 0
            cur = 0.0
            curlen = 0
        n = curlen + len(prices)
        value = (cur + math.fsum(prices)) / float(n or 'NaN')
        if not self.p.barplot:
            line[0] = value
        elif value == value:
            line[0] = anchor[0] * factor
        return n
