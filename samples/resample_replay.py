#!/usr/bin/env python
"""Daily bars with a weekly trend filter: one file, two timeframes.

``cerebro.resampledata`` adds weekly bars built from the daily ones; the
strategy trades daily crossovers only when the weekly close is above its own
average. With ``--replay`` the weekly bar is shown growing day by day instead.

    python samples/resample_replay.py
    python samples/resample_replay.py --replay --timeframe months
"""
from __future__ import annotations

import argparse
import datetime

import backtrader_ib as bt
from backtrader_ib import datas


class TrendFiltered(bt.Strategy):
    params = (('printbars', 3),)

    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(self.data0, period=10),
                                      bt.ind.SMA(self.data0, period=30))
        self.trend = bt.ind.SMA(self.data1, period=5)   # on the larger bars
        self.shown = 0

    def next(self):
        if self.shown < self.p.printbars:  # how the two clocks line up
            self.shown += 1
            print(f'day {self.data0.datetime.date(0)} close {self.data0.close[0]:7.2f} | '
                  f'{len(self.data1):3d} larger bars, last {self.data1.datetime.date(0)} '
                  f'close {self.data1.close[0]:7.2f}')
        uptrend = self.data1.close[0] > self.trend[0]
        if not self.position and self.cross > 0 and uptrend:
            self.buy(size=100)
        elif self.position and self.cross < 0:
            self.close()


def main(argv=None) -> float:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--replay', action='store_true', help='replay instead of resample')
    ap.add_argument('--timeframe', default='weeks', choices=('weeks', 'months'))
    args = ap.parse_args(argv)
    cerebro = bt.Cerebro()
    daily = bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv'),
                                         fromdate=datetime.datetime(2005, 1, 1),
                                         todate=datetime.datetime(2009, 12, 31))
    cerebro.adddata(daily)
    tf = bt.TimeFrame.Weeks if args.timeframe == 'weeks' else bt.TimeFrame.Months
    (cerebro.replaydata if args.replay else cerebro.resampledata)(daily, timeframe=tf)
    cerebro.addstrategy(TrendFiltered)
    cerebro.broker.setcash(10000)
    cerebro.run()
    value = cerebro.broker.getvalue()
    print(f'Final value: {value:.2f}')
    return value


if __name__ == '__main__':
    main()
