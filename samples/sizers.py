#!/usr/bin/env python
"""The same signals with different sizers: how much each order buys.

The strategy calls ``self.buy()`` / ``self.close()`` without a size; the
sizer decides. Prints the final value and the first order size per sizer.

    python samples/sizers.py
"""
from __future__ import annotations

import argparse
import datetime

import backtrader_ib as bt
from backtrader_ib import datas

SIZERS = {
    'FixedSize(stake=50)': (bt.sizers.FixedSize, dict(stake=50)),
    'PercentSizer(20%)': (bt.sizers.PercentSizer, dict(percents=20)),
    'PercentSizerInt(20%)': (bt.sizers.PercentSizerInt, dict(percents=20)),
    'AllInSizerInt': (bt.sizers.AllInSizerInt, {}),
    'FixedReverser(stake=50)': (bt.sizers.FixedReverser, dict(stake=50)),
}


class Cross(bt.Strategy):
    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=10), bt.ind.SMA(period=30))
        self.sizes = []

    def notify_order(self, order):
        if order.status == order.Completed:
            self.sizes.append(order.executed.size)

    def next(self):
        if self.cross > 0:
            self.buy()      # FixedReverser turns a short into a long of the same stake
        elif self.cross < 0:
            self.sell() if isinstance(self.getsizer(), bt.sizers.FixedReverser) else self.close()


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.parse_args(argv)
    out = {}
    for name, (cls, kw) in SIZERS.items():
        cerebro = bt.Cerebro(stdstats=False)
        cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv'),
                                                     fromdate=datetime.datetime(2009, 1, 1),
                                                     todate=datetime.datetime(2011, 12, 31)))
        cerebro.addstrategy(Cross)
        cerebro.addsizer(cls, **kw)
        cerebro.broker.setcash(10000)
        strat = cerebro.run()[0]
        out[name] = cerebro.broker.getvalue()
        print(f'{name:25s} first sizes {[round(s, 2) for s in strat.sizes[:3]]} '
              f'final value {out[name]:.2f}')
    return out


if __name__ == '__main__':
    main()
