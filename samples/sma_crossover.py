#!/usr/bin/env python
"""SMA crossover on daily stock data shipped with backtrader_ib.

Buys when the fast moving average crosses above the slow one, closes the
position when it crosses back below. Prints every trade and the final value
and saves a chart (price, averages, buy/sell markers, cash and value).

    python samples/sma_crossover.py                      # ORCL 2005-2014
    python samples/sma_crossover.py --data nvda-1999-2014.csv --fast 20 --slow 50
"""
from __future__ import annotations

import argparse
import datetime

import backtrader_ib as bt
from backtrader_ib import datas


class SmaCross(bt.Strategy):
    params = (('fast', 10), ('slow', 30), ('printlog', True))

    def __init__(self):
        fast = bt.ind.SMA(period=self.p.fast)
        slow = bt.ind.SMA(period=self.p.slow)
        self.crossover = bt.ind.CrossOver(fast, slow)

    def log(self, txt):
        if self.p.printlog:
            print(f'{self.data.datetime.date(0)} {txt}')

    def notify_order(self, order):
        if order.status == order.Completed:
            side = 'BUY ' if order.isbuy() else 'SELL'
            self.log(f'{side} {abs(order.executed.size):g} @ {order.executed.price:.2f} '
                     f'(commission {order.executed.comm:.2f})')
        elif order.status in (order.Margin, order.Rejected, order.Canceled):
            self.log(f'order {order.getstatusname()}')

    def notify_trade(self, trade):
        if trade.isclosed:
            self.log(f'TRADE closed: gross {trade.pnl:.2f}, net {trade.pnlcomm:.2f}')

    def next(self):
        if not self.position:
            if self.crossover > 0:
                self.buy()
        elif self.crossover < 0:
            self.close()


def main(argv=None) -> float:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data', default='orcl-1995-2014.csv', choices=datas.files())
    ap.add_argument('--fromdate', default='2005-01-01')
    ap.add_argument('--todate', default='2014-12-31')
    ap.add_argument('--cash', type=float, default=10000.0)
    ap.add_argument('--stake', type=int, default=100)
    ap.add_argument('--fast', type=int, default=10)
    ap.add_argument('--slow', type=int, default=30)
    ap.add_argument('--plot', default='sma_crossover.png', help='PNG file to save ("" to skip)')
    ap.add_argument('--quiet', action='store_true')
    args = ap.parse_args(argv)

    cerebro = bt.Cerebro()
    data = bt.feeds.YahooFinanceCSVData(
        dataname=datas.path(args.data),
        fromdate=datetime.datetime.fromisoformat(args.fromdate),
        todate=datetime.datetime.fromisoformat(args.todate))
    cerebro.adddata(data)
    cerebro.addstrategy(SmaCross, fast=args.fast, slow=args.slow, printlog=not args.quiet)
    cerebro.addsizer(bt.sizers.FixedSize, stake=args.stake)
    cerebro.broker.setcash(args.cash)
    cerebro.broker.setcommission(commission=0.001)
    cerebro.addanalyzer(bt.analyzers.SQN)

    print(f'Starting value: {cerebro.broker.getvalue():.2f}')
    strat = cerebro.run()[0]
    value = cerebro.broker.getvalue()
    sqn = strat.analyzers.sqn.get_analysis()
    print(f'Final value:    {value:.2f}  ({sqn.trades} trades, SQN {sqn.sqn or 0:.2f})')
    if args.plot:
        cerebro.plot(savefig=args.plot, width=14, height=8, dpi=100)
        print(f'Chart saved to {args.plot}')
    return value


if __name__ == '__main__':
    main()
