#!/usr/bin/env python
"""An interactive HTML report of a backtest, and a heatmap of an optimisation.

Runs an SMA crossover on two of the stocks shipped with backtrader_ib and
writes one self-contained HTML file (open it in any browser, no network
needed): a summary tab (key figures, monthly returns, trade list) and a tab
per stock (candles, indicators, trades with their order details on hover,
equity and drawdown). With --opt it also optimises the two periods on ORCL
and writes a heatmap of the final value over them. Needs the [plot] extra.

    python samples/report_sample.py --out report.html
    python samples/report_sample.py --out report.html --opt opt.html
"""
from __future__ import annotations

import argparse
import datetime

import backtrader_ib as bt
from backtrader_ib import datas
from backtrader_ib.plot import opt_heatmap, report


class SmaCross(bt.Strategy):
    """Long each stock while its fast average is above its slow one."""

    params = (('fast', 10), ('slow', 30), ('stake', 100))

    def __init__(self):
        self.cross = {}
        for d in self.datas:
            fast = bt.ind.SMA(d, period=self.p.fast)
            slow = bt.ind.SMA(d, period=self.p.slow)
            self.cross[d] = bt.ind.CrossOver(fast, slow, plot=False)
        bt.ind.RSI(self.data0)

    def next(self):
        for d, cross in self.cross.items():
            pos = self.getposition(d).size
            if not pos and cross > 0:
                self.buy(data=d, size=self.p.stake)
            elif pos and cross < 0:
                self.close(data=d)

    def stop(self):
        self.final_value = self.broker.getvalue()


def cerebro_for(fromdate, todate, names=('orcl-1995-2014.csv', 'nvda-1999-2014.csv'),
                **kw) -> bt.Cerebro:
    cerebro = bt.Cerebro(**kw)
    for name in names:
        cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path(name),
                                                     fromdate=fromdate, todate=todate))
    cerebro.broker.setcash(10000.0)
    cerebro.broker.setcommission(commission=0.001)
    return cerebro


def main(argv=None) -> list[str]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--fromdate', default='2005-01-01')
    ap.add_argument('--todate', default='2014-12-31')
    ap.add_argument('--out', default='report.html')
    ap.add_argument('--opt', default='', help='also write an optimisation heatmap here')
    args = ap.parse_args(argv)
    fromdate = datetime.datetime.fromisoformat(args.fromdate)
    todate = datetime.datetime.fromisoformat(args.todate)

    cerebro = cerebro_for(fromdate, todate)
    cerebro.addstrategy(SmaCross)
    cerebro.run()
    report(cerebro, args.out, title='SMA crossover on ORCL and NVDA')
    print(f'Final value {cerebro.broker.getvalue():.2f}; report written to {args.out}')
    written = [args.out]

    if args.opt:
        cerebro = cerebro_for(fromdate, todate, names=('orcl-1995-2014.csv',), maxcpus=1,
                              optreturn=False)
        cerebro.optstrategy(SmaCross, fast=[5, 10, 15, 20], slow=[30, 40, 50, 60, 80])
        results = cerebro.run()
        opt_heatmap(results, 'fast', 'slow', lambda strat: strat.final_value, args.opt,
                    metric_name='final value', title='ORCL: final value by SMA periods')
        print(f'Optimisation heatmap written to {args.opt}')
        written.append(args.opt)
    return written


if __name__ == '__main__':
    main()
