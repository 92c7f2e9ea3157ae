#!/usr/bin/env python
"""Indicator speed: the vectorised (runonce) path of each indicator, side by side.

For each indicator, a strategy holding only that indicator is built on
synthetic daily bars and the time of the strategy's vectorised indicator pass
(``_once``: every bar computed up front) is measured, on backtrader 1.9.78.123
and on backtrader_ib; the bar loop that would follow is skipped. backtrader is
slow enough that it runs on fewer bars (``--ref-bars``); speeds are compared
as bars per second.

    python bench/indicators.py                    # 1M bars, backtrader on 100k
    python bench/indicators.py --bars 200000 --ref-bars 50000 --only SMA EMA RSI
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from synthdata import make_ohlcv  # noqa: E402

# name -> (builder, group); the builder gets (bt, data)
INDICATORS = {
    'SMA': (lambda bt, d: bt.ind.SMA(d, period=30), 'average'),
    'EMA': (lambda bt, d: bt.ind.EMA(d, period=30), 'average'),
    'WMA': (lambda bt, d: bt.ind.WMA(d, period=30), 'average'),
    'SMMA': (lambda bt, d: bt.ind.SMMA(d, period=30), 'average'),
    'DEMA': (lambda bt, d: bt.ind.DEMA(d, period=30), 'average'),
    'TEMA': (lambda bt, d: bt.ind.TEMA(d, period=30), 'average'),
    'KAMA': (lambda bt, d: bt.ind.KAMA(d, period=30), 'average'),
    'HMA': (lambda bt, d: bt.ind.HMA(d, period=30), 'average'),
    'Highest': (lambda bt, d: bt.ind.Highest(d.high, period=30), 'statistic'),
    'Lowest': (lambda bt, d: bt.ind.Lowest(d.low, period=30), 'statistic'),
    'SumN': (lambda bt, d: bt.ind.SumN(d, period=30), 'statistic'),
    'StdDev': (lambda bt, d: bt.ind.StdDev(d, period=20), 'statistic'),
    'BollingerBands': (lambda bt, d: bt.ind.BollingerBands(d), 'other'),
    'RSI': (lambda bt, d: bt.ind.RSI(d), 'other'),
    'MACD': (lambda bt, d: bt.ind.MACD(d), 'other'),
    'ATR': (lambda bt, d: bt.ind.ATR(d), 'other'),
    'Stochastic': (lambda bt, d: bt.ind.Stochastic(d), 'other'),
    'ADX': (lambda bt, d: bt.ind.ADX(d), 'other'),
    'CCI': (lambda bt, d: bt.ind.CCI(d), 'other'),
    'WilliamsR': (lambda bt, d: bt.ind.WilliamsR(d), 'other'),
    'CrossOver': (lambda bt, d: bt.ind.CrossOver(bt.ind.SMA(d, period=10),
                                                 bt.ind.SMA(d, period=30)), 'other'),
    'ParabolicSAR': (lambda bt, d: bt.ind.ParabolicSAR(d), 'other'),
    'Ichimoku': (lambda bt, d: bt.ind.Ichimoku(d), 'other'),
}


class _Done(Exception):
    pass


def time_once(pkgname: str, name: str, df) -> float:
    """Seconds of the strategy's vectorised indicator pass for one indicator."""
    bt = importlib.import_module(pkgname)
    build = INDICATORS[name][0]
    timing = {}

    class Timed(bt.Strategy):
        def __init__(self):
            self.ind = build(bt, self.data)

        def _once(self, *args, **kwargs):
            t0 = time.perf_counter()
            super()._once(*args, **kwargs)
            timing['s'] = time.perf_counter() - t0
            raise _Done  # the bar loop is not part of the measure

    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.PandasData(dataname=df))
    cerebro.addstrategy(Timed)
    try:
        cerebro.run()
    except _Done:
        pass
    return timing['s']


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--bars', type=int, default=1_000_000)
    ap.add_argument('--ref-bars', type=int, default=100_000)
    ap.add_argument('--only', nargs='*', default=None)
    ap.add_argument('--repeat', type=int, default=3,
                    help='runs per indicator and package; the best counts')
    args = ap.parse_args(argv)
    names = args.only or list(INDICATORS)
    big, small = make_ohlcv(args.bars), make_ohlcv(args.ref_bars)
    try:
        importlib.import_module('backtrader')
        have_ref = True
    except ImportError:
        have_ref = False
    print(f'| indicator | group | backtrader bars/s ({args.ref_bars:,} bars) | '
          f'backtrader_ib bars/s ({args.bars:,} bars) | ratio |')
    print('|---|---|---:|---:|---:|')
    for name in names:
        # best of --repeat: the first run also pays one-off costs (imports,
        # caches), and other processes on a shared machine slow some runs
        ours = args.bars / min(time_once('backtrader_ib', name, big) for _ in range(args.repeat))
        ref = (args.ref_bars / min(time_once('backtrader', name, small) for _ in range(args.repeat))
               if have_ref else float('nan'))
        print(f'| {name} | {INDICATORS[name][1]} | {ref:,.0f} | {ours:,.0f} | {ours / ref:,.1f}x |',
              flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
