"""Fills of each bar, aggregated per data (pyfolio's transactions)."""
from __future__ import annotations

import collections

from ..analyzer import Analyzer
from ..order import Order
from ..position import Position

__all__ = ('Transactions',)


class Transactions(Analyzer):
    """{datetime: [[amount, price, sid, symbol, value], ...]} for bars with fills.

    The fills of one data on one bar are netted into one entry: amount is the
    net size, price its average, sid the data's index, value ``-amount * price``.
    ``headers=True`` puts a first entry ``'date': [['amount', 'price', ...]]``.
    """

    params = (('headers', False),
              ('_pfheaders', ('date', 'amount', 'price', 'sid', 'symbol', 'value')))

    def start(self) -> None:
        if self.p.headers:
            self.rets[self.p._pfheaders[0]] = [list(self.p._pfheaders[1:])]
        self._positions = collections.defaultdict(Position)
        self._idnames = list(enumerate(self.strategy.getdatanames()))

    def notify_order(self, order) -> None:
        if order.status not in (Order.Partial, Order.Completed):
            return
        pos = self._positions[order.data._name]
        for exbit in order.executed.iterpending():
            if exbit is None:
                break
            pos.update(exbit.size, exbit.price)

    def next(self) -> None:
        entries = []
        for i, name in self._idnames:
            pos = self._positions.get(name)
            if pos is not None and pos.size:
                entries.append([pos.size, pos.price, i, name, -pos.size * pos.price])
        if entries:
            self.rets[self.strategy.datetime.datetime()] = entries
        self._positions.clear()
