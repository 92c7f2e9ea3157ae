#!/usr/bin/env python
"""Trading on signals, without writing ``next``.

``cerebro.add_signal`` takes indicators whose value is the signal: > 0 means
long, < 0 short (or exit, depending on the kind). Here the price's distance
from its moving average is the signal, with an RSI extreme as an exit.

    python samples/signals.py
    python samples/signals.py --kind long
"""
from __future__ import annotations

import argparse
import datetime

import backtrader_ib as bt
from backtrader_ib import datas


class PriceOverSMA(bt.Indicator):
    lines = ('signal',)
    params = (('period', 30),)

    def __init__(self):
        self.lines.signal = self.data - bt.ind.SMA(period=self.p.period)


class RSIExtreme(bt.Indicator):
    """An exit signal: positive when RSI is overbought."""
    lines = ('signal',)

    def __init__(self):
        self.lines.signal = bt.ind.RSI() - 70.0


def main(argv=None) -> float:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--kind', default='longshort', choices=('longshort', 'long', 'short'))
    args = ap.parse_args(argv)
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv'),
                                                 fromdate=datetime.datetime(2005, 1, 1),
                                                 todate=datetime.datetime(2008, 12, 31)))
    kind = getattr(bt, 'SIGNAL_' + args.kind.upper())
    cerebro.add_signal(kind, PriceOverSMA)
    if args.kind == 'long':
        cerebro.add_signal(bt.SIGNAL_LONGEXIT, RSIExtreme)
    cerebro.addsizer(bt.sizers.FixedSize, stake=100)
    cerebro.addanalyzer(bt.analyzers.TradeAnalyzer, _name='trades')
    cerebro.broker.setcash(10000)
    strat = cerebro.run()[0]
    trades = strat.analyzers.trades.get_analysis()
    value = cerebro.broker.getvalue()
    print(f'{args.kind}: {trades.total.closed} trades closed, '
          f'{trades.won.total} won; final value {value:.2f}')
    return value


if __name__ == '__main__':
    main()
