#!/usr/bin/env python
"""Two stocks in one portfolio, each traded on its own moving-average cross.

Shows several datas in one strategy: ``self.datas``, per-data indicators,
``getposition(data)``, orders with ``data=``, and trades per data.

    python samples/multidata.py
"""
from __future__ import annotations

import argparse
import datetime

import backtrader_ib as bt
from backtrader_ib import datas


class PerDataCross(bt.Strategy):
    params = (('fast', 10), ('slow', 40), ('stake', 50))

    def __init__(self):
        # one crossover per data, keyed by the data itself
        self.cross = {d: bt.ind.CrossOver(bt.ind.SMA(d, period=self.p.fast),
                                          bt.ind.SMA(d, period=self.p.slow))
                      for d in self.datas}

    def next(self):
        for d in self.datas:
            pos = self.getposition(d).size
            if not pos and self.cross[d] > 0:
                self.buy(data=d, size=self.p.stake)
            elif pos and self.cross[d] < 0:
                self.close(data=d)

    def notify_trade(self, trade):
        if trade.isclosed:
            print(f'{trade.data._name:5s} {bt.num2date(trade.dtclose).date()} '
                  f'pnl {trade.pnlcomm:9.2f}')


def main(argv=None) -> float:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--fromdate', default='2008-01-01')
    ap.add_argument('--todate', default='2012-12-31')
    args = ap.parse_args(argv)
    cerebro = bt.Cerebro()
    for name in ('orcl-1995-2014.csv', 'nvda-1999-2014.csv'):
        cerebro.adddata(bt.feeds.YahooFinanceCSVData(
            dataname=datas.path(name), name=name.split('-')[0].upper(),
            fromdate=datetime.datetime.fromisoformat(args.fromdate),
            todate=datetime.datetime.fromisoformat(args.todate)))
    cerebro.addstrategy(PerDataCross)
    cerebro.broker.setcash(20000)
    cerebro.broker.setcommission(commission=0.001)
    cerebro.run()
    value = cerebro.broker.getvalue()
    print(f'Final value: {value:.2f}')
    return value


if __name__ == '__main__':
    main()
