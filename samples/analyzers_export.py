#!/usr/bin/env python
"""Analyzers: the usual statistics of a run, and a pyfolio-style export.

Prints Sharpe ratio, drawdown, SQN, returns and trade statistics, then
writes the returns, positions and transactions as CSV files (the inputs that
pyfolio and quantstats take).

    python samples/analyzers_export.py --outdir results/
"""
from __future__ import annotations

import argparse
import datetime
from pathlib import Path

import backtrader_ib as bt
from backtrader_ib import datas
from backtrader_ib.strategies import SMA_CrossOver


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--outdir', default='.', help='where the CSV files go')
    args = ap.parse_args(argv)
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv'),
                                                 fromdate=datetime.datetime(2004, 1, 1),
                                                 todate=datetime.datetime(2013, 12, 31)))
    cerebro.addstrategy(SMA_CrossOver)
    cerebro.addsizer(bt.sizers.PercentSizerInt, percents=90)
    cerebro.broker.setcash(10000)
    cerebro.broker.setcommission(commission=0.001)
    for an, kw in ((bt.analyzers.SharpeRatio, dict(timeframe=bt.TimeFrame.Years)),
                   (bt.analyzers.DrawDown, {}), (bt.analyzers.SQN, {}),
                   (bt.analyzers.Returns, {}), (bt.analyzers.TradeAnalyzer, {}),
                   (bt.analyzers.PyFolio, {})):
        cerebro.addanalyzer(an, **kw)
    strat = cerebro.run()[0]
    a = strat.analyzers
    dd = a.drawdown.get_analysis()
    ta = a.tradeanalyzer.get_analysis()
    summary = {
        'final value': cerebro.broker.getvalue(),
        'sharpe (yearly)': a.sharperatio.get_analysis()['sharperatio'],
        'max drawdown %': dd.max.drawdown,
        'sqn': a.sqn.get_analysis().sqn,
        'annual return %': 100 * a.returns.get_analysis()['rnorm'],
        'trades': ta.total.closed,
        'won': ta.won.total,
    }
    for k, v in summary.items():
        print(f'{k:16s} {v:12.4f}' if isinstance(v, float) else f'{k:16s} {v:12d}')
    returns, positions, transactions, gross_lev = a.pyfolio.get_pf_items()
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    for name, obj in (('returns', returns), ('positions', positions),
                      ('transactions', transactions), ('gross_leverage', gross_lev)):
        obj.to_csv(out / f'{name}.csv')
    print(f'wrote returns ({len(returns)} days), positions, transactions '
          f'({len(transactions)}), gross_leverage to {out}/')
    return summary


if __name__ == '__main__':
    main()
