#!/usr/bin/env python
"""Timers: rebalance two stocks to equal weights on the first trading day of
each month, and log the session start every Monday.

``add_timer(when=..., monthdays=[1], monthcarry=True)`` fires on the 1st or,
when that is not a trading day, on the next one; ``weekdays=[1]`` on Mondays.

    python samples/timers.py
"""
from __future__ import annotations

import argparse
import datetime

import backtrader_ib as bt
from backtrader_ib import datas


class MonthlyRebalance(bt.Strategy):
    params = (('quiet', False),)

    def __init__(self):
        self.add_timer(when=bt.timer.SESSION_START, monthdays=[1], monthcarry=True,
                       rebalance=True)
        self.add_timer(when=bt.timer.SESSION_START, weekdays=[1], rebalance=False)
        self.rebalances = 0

    def notify_timer(self, timer, when, rebalance=False):
        if not rebalance:
            return  # the Monday timer: nothing to do but show it fired
        self.rebalances += 1
        for d in self.datas:
            self.order_target_percent(data=d, target=0.45)
        if not self.p.quiet:
            print(f'{self.data.datetime.date(0)} rebalance at {when:%H:%M}, value '
                  f'{self.broker.getvalue():.2f}')


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--quiet', action='store_true')
    args = ap.parse_args(argv)
    cerebro = bt.Cerebro()
    for name in ('orcl-1995-2014.csv', 'yhoo-1996-2014.csv'):
        cerebro.adddata(bt.feeds.YahooFinanceCSVData(
            dataname=datas.path(name), fromdate=datetime.datetime(2010, 1, 1),
            todate=datetime.datetime(2010, 12, 31)))
    cerebro.addstrategy(MonthlyRebalance, quiet=args.quiet)
    cerebro.broker.setcash(100000)
    strat = cerebro.run()[0]
    print(f'{strat.rebalances} rebalances; final value {cerebro.broker.getvalue():.2f}')
    return strat.rebalances


if __name__ == '__main__':
    main()
