"""A broker for a pretend venue, written against BrokerBase alone (the
example of docs/broker.md, "Writing a broker for another venue").

The venue takes market orders and fills each one whole at the open of the
next bar of its data, charging a fee per share. Orders it cannot pay for are
refused (Margin) at the fill.
"""
from __future__ import annotations

import collections

import backtrader_ib as bt


class NextOpenBroker(bt.BrokerBase):
    """Market orders fill at the next bar's open; ``fee`` per share."""

    params = (('cash', 10000.0), ('fee', 0.01))

    def start(self) -> None:
        super().start()
        self.startingcash = self.cash = self.p.cash
        self.positions: dict = collections.defaultdict(bt.Position)
        self.working: list = []  # accepted orders, waiting for their fill

    # -- what strategies and analyzers read ---------------------------------
    def getcash(self) -> float:
        return self.cash

    def getvalue(self, datas=None) -> float:
        held = sum(pos.size * d.close[0] for d, pos in self.positions.items()
                   if pos.size and (datas is None or d in datas))
        return held if datas is not None else self.cash + held

    get_cash, get_value = getcash, getvalue

    def getposition(self, data) -> bt.Position:
        return self.positions[data]

    # -- orders ---------------------------------------------------------------
    def buy(self, owner, data, size, price=None, plimit=None, exectype=None, valid=None,
            tradeid=0, oco=None, trailamount=None, trailpercent=None, **kwargs):
        return self._place(bt.BuyOrder, owner, data, size, exectype, tradeid)

    def sell(self, owner, data, size, price=None, plimit=None, exectype=None, valid=None,
             tradeid=0, oco=None, trailamount=None, trailpercent=None, **kwargs):
        return self._place(bt.SellOrder, owner, data, size, exectype, tradeid)

    def _place(self, cls, owner, data, size, exectype, tradeid):
        if exectype not in (None, bt.Order.Market):
            raise ValueError(f'NextOpenBroker: the venue takes market orders only, got '
                             f'{bt.Order.ExecTypes[exectype]}')
        order = cls(owner=owner, data=data, size=size, exectype=exectype, tradeid=tradeid)
        order.addcomminfo(self.getcommissioninfo(data))
        order.submit(self)
        self.notify(order)           # Submitted
        order.accept(self)
        self.notify(order)           # Accepted
        self.working.append(order)
        return order

    def cancel(self, order) -> bool:
        if order not in self.working:
            return False
        self.working.remove(order)
        order.cancel()
        self.notify(order)
        return True

    # -- one bar ------------------------------------------------------------------
    def next(self) -> None:
        for order in list(self.working):
            data = order.data
            if data.datetime[0] <= order.created.dt:
                continue  # placed on this bar: it fills on the next one
            self.working.remove(order)
            self._fill(order, data.open[0])

    def _fill(self, order, price: float) -> None:
        data = order.data
        size = order.executed.remsize           # signed: negative for a sell
        fee = abs(size) * self.p.fee
        if self.cash - size * price - fee < 0:
            order.margin()                      # the venue refuses it
            self.notify(order)
            return
        pos = self.positions[data]
        fill = self.split_fill(pos, self.getcommissioninfo(data), size, price, fee,
                               dt=data.datetime[0])
        self.cash -= size * price + fee
        self.book_fill(order, pos, fill, posdt=data.datetime.datetime())
        self.notify(order)                      # Completed (a whole fill)
