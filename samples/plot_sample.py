#!/usr/bin/env python
"""Every kind of chart ``cerebro.plot()`` draws, saved as image files.

Runs a small strategy on the daily stock data shipped with backtrader_ib and
saves, into --outdir:

    line.png        close line, indicators over the prices and below, observers on top
    candles.png     candlesticks with volume in its own pane
    bars.png        OHLC bars with volume overlaid, a date range, no observers
    timeframes.png  two datas: ORCL daily and NVDA resampled to weeks, one time axis
    custom.png      an indicator using plotinfo/plotlines options
    split_1.png ... a long run split over --numfigs figures

    python samples/plot_sample.py --outdir plots
    python samples/plot_sample.py --format svg
"""
from __future__ import annotations

import argparse
import datetime
import os

import backtrader_ib as bt
from backtrader_ib import datas

FROM, TO = datetime.datetime(2011, 1, 1), datetime.datetime(2012, 12, 31)


class SmaCross(bt.Strategy):
    params = (('fast', 10), ('slow', 30))

    def __init__(self):
        fast, slow = bt.ind.SMA(period=self.p.fast), bt.ind.SMA(period=self.p.slow)
        self.cross = bt.ind.CrossOver(fast, slow, plot=False)
        bt.ind.RSI(self.data, plotyhlines=[30, 70])
        bt.ind.MACDHisto(self.data)

    def next(self):
        if not self.position and self.cross > 0:
            self.buy(size=100)
        elif self.position and self.cross < 0:
            self.close()


class Momentum(bt.Indicator):
    """Momentum with shaded positive/negative areas and a histogram."""

    lines = ('mom', 'half', 'hist')
    params = (('period', 10),)
    plotinfo = dict(plotname='Momentum', plotabove=True, plothlines=[0.0],
                    plotlinelabels=True)
    plotlines = dict(
        mom=dict(_name='momentum', color='black', lw=1.2,
                 _fill_gt=(0.0, 'green'), _fill_lt=(0.0, 'red')),
        half=dict(ls='--', _samecolor=True, _plotvaluetag=False),
        hist=dict(_method='bar', alpha=0.4, width=1.0, color='steelblue'))

    def __init__(self):
        self.lines.mom = self.data - self.data(-self.p.period)
        self.lines.half = self.lines.mom / 2.0
        self.lines.hist = self.lines.mom - self.lines.mom(-1)


class WithMomentum(bt.Strategy):
    def __init__(self):
        Momentum(self.data)
        bt.ind.BollingerBands(self.data, period=20)


class TwoFrames(bt.Strategy):
    def __init__(self):
        bt.ind.SMA(self.data0, period=20)
        bt.ind.SMA(self.data1, period=10)


def daily(name: str, **kw):
    return bt.feeds.YahooFinanceCSVData(dataname=datas.path(name), fromdate=FROM,
                                        todate=TO, **kw)


def run(strategy, *feeds, **kw):
    cerebro = bt.Cerebro(**kw)
    for feed in feeds:
        cerebro.adddata(feed)
    cerebro.addstrategy(strategy)
    cerebro.run()
    return cerebro


def main(argv=None) -> list[str]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--outdir', default='plots')
    ap.add_argument('--format', default='png', choices=('png', 'svg', 'pdf'))
    ap.add_argument('--width', type=float, default=12)
    ap.add_argument('--height', type=float, default=7)
    ap.add_argument('--dpi', type=int, default=100)
    ap.add_argument('--numfigs', type=int, default=2)
    args = ap.parse_args(argv)
    os.makedirs(args.outdir, exist_ok=True)
    size = dict(width=args.width, height=args.height, dpi=args.dpi)

    def out(name):
        return os.path.join(args.outdir, f'{name}.{args.format}')

    made = []
    cross = run(SmaCross, daily('orcl-1995-2014.csv'))
    cross.plot(savefig=out('line'), **size)
    made.append(out('line'))
    cross.plot(savefig=out('candles'), style='candle', voloverlay=False,
               barup='green', bardown='red', **size)
    made.append(out('candles'))
    plain = run(SmaCross, daily('orcl-1995-2014.csv'), stdstats=False)
    plain.plot(savefig=out('bars'), style='bar', start=datetime.date(2012, 6, 1),
               end=datetime.date(2012, 9, 30), **size)
    made.append(out('bars'))
    frames = bt.Cerebro(stdstats=False)
    frames.adddata(daily('orcl-1995-2014.csv'))
    frames.resampledata(daily('nvda-1999-2014.csv'), timeframe=bt.TimeFrame.Weeks)
    frames.addstrategy(TwoFrames)
    frames.run()
    frames.plot(savefig=out('timeframes'), style='candle', **size)
    made.append(out('timeframes'))
    custom = run(WithMomentum, daily('yhoo-1996-2014.csv'), stdstats=False)
    custom.plot(savefig=out('custom'), volume=False, end=datetime.date(2011, 8, 31), **size)
    made.append(out('custom'))
    cross.plot(savefig=out('split'), numfigs=args.numfigs, **size)
    made.extend(out(f'split_{k + 1}') for k in range(args.numfigs))
    for path in made:
        print(f'saved {path}')
    return made


if __name__ == '__main__':
    main()
