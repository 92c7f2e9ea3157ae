#!/usr/bin/env python
"""Bracket orders: an entry with a protective stop and a profit target.

``buy_bracket`` sends three linked orders: the limit entry, and once it
fills, a stop below and a limit above; when one of them fills the other is
cancelled. The entry expires after ``valid`` days if it does not fill.
Every order notification is printed.

    python samples/bracket_orders.py
"""
from __future__ import annotations

import argparse
import datetime

import backtrader_ib as bt
from backtrader_ib import datas


class Bracketed(bt.Strategy):
    params = (('stop', 0.03), ('target', 0.05), ('valid', 5))

    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=10), bt.ind.SMA(period=30))
        self.live = []

    def notify_order(self, order):
        if order.status in (order.Submitted, order.Accepted):
            return
        kind = {order.Limit: 'limit', order.Stop: 'stop'}.get(order.exectype, 'market')
        price = order.executed.price if order.status == order.Completed else order.created.price
        print(f'{self.data.datetime.date(0)} order {order.ref:3d} {kind:6s} '
              f'{"buy " if order.isbuy() else "sell"} {order.getstatusname():9s} @ {price:.2f}')
        if not order.alive() and order in self.live:
            self.live.remove(order)

    def next(self):
        if self.position or self.live:
            return
        if self.cross > 0:
            close = self.data.close[0]
            self.live = self.buy_bracket(
                size=100, price=close * 0.99, exectype=bt.Order.Limit,
                valid=datetime.timedelta(days=self.p.valid),
                stopprice=close * (1 - self.p.stop), limitprice=close * (1 + self.p.target),
                # ``valid`` would apply to the exits too: keep them until one fills
                stopargs=dict(valid=None), limitargs=dict(valid=None))


def main(argv=None) -> float:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.parse_args(argv)
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path('nvda-1999-2014.csv'),
                                                 fromdate=datetime.datetime(2010, 1, 1),
                                                 todate=datetime.datetime(2011, 12, 31)))
    cerebro.addstrategy(Bracketed)
    cerebro.broker.setcash(10000)
    cerebro.run()
    value = cerebro.broker.getvalue()
    print(f'Final value: {value:.2f}')
    return value


if __name__ == '__main__':
    main()
