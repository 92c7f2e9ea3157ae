#!/usr/bin/env python
"""One order of each type on the same signal, and how each one fills.

Market (next open), Close (next close), Limit (at or below the limit),
Stop (once the price trades through the stop), StopLimit, StopTrail; each is
valid for a few days and is printed when it fills, expires or is cancelled.

    python samples/order_types.py --exectype Limit
    python samples/order_types.py --all
"""
from __future__ import annotations

import argparse
import datetime

import backtrader_ib as bt
from backtrader_ib import datas

EXECTYPES = ('Market', 'Close', 'Limit', 'Stop', 'StopLimit', 'StopTrail')


class OneType(bt.Strategy):
    params = (('exectype', 'Market'), ('offset', 0.01), ('valid', 3), ('quiet', False))

    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=10), bt.ind.SMA(period=30))
        self.order = None
        self.fills = 0

    def notify_order(self, order):
        if not order.alive():
            self.order = None
            if order.status == order.Completed:
                self.fills += 1
            if not self.p.quiet:
                px = order.executed.price if order.status == order.Completed else order.created.price
                print(f'  {self.data.datetime.date(0)} {order.getordername():9s} '
                      f'{"buy " if order.isbuy() else "sell"} {order.getstatusname():9s} @ {px:.2f}')

    def next(self):
        if self.order:
            return
        if not self.position and self.cross > 0:
            close, off = self.data.close[0], self.p.offset
            kw = dict(exectype=getattr(bt.Order, self.p.exectype),
                      valid=datetime.timedelta(days=self.p.valid))
            if self.p.exectype == 'Limit':
                kw['price'] = close * (1 - off)
            elif self.p.exectype == 'Stop':
                kw['price'] = close * (1 + off)
            elif self.p.exectype == 'StopLimit':
                kw.update(price=close * (1 + off), plimit=close * (1 + 2 * off))
            elif self.p.exectype == 'StopTrail':
                kw['trailpercent'] = off
            self.order = self.buy(size=100, **kw)
        elif self.position and self.cross < 0:
            self.order = self.close()


def run(exectype: str, quiet: bool) -> tuple:
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv'),
                                                 fromdate=datetime.datetime(2006, 1, 1),
                                                 todate=datetime.datetime(2007, 12, 31)))
    cerebro.addstrategy(OneType, exectype=exectype, quiet=quiet)
    cerebro.broker.setcash(10000)
    strat = cerebro.run()[0]
    return strat.fills, cerebro.broker.getvalue()


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--exectype', default='Limit', choices=EXECTYPES)
    ap.add_argument('--all', action='store_true', help='a summary line per order type')
    args = ap.parse_args(argv)
    results = {}
    for et in (EXECTYPES if args.all else (args.exectype,)):
        if not args.all:
            print(f'{et} entries:')
        fills, value = results[et] = run(et, quiet=args.all)
        print(f'{et:10s} fills {fills:3d}  final value {value:.2f}')
    return results


if __name__ == '__main__':
    main()
