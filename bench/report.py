#!/usr/bin/env python
"""Time and size of the HTML report of a long run (target: 1M bars, < 10 s, < 20 MB).

Runs an SMA crossover over --bars synthetic daily bars (bench/synthdata.py),
then times ``backtrader_ib.plot.report`` alone and prints a table.

    python bench/report.py                 # 1,000,000 bars
    python bench/report.py --bars 100000
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import backtrader_ib as bt  # noqa: E402
from backtrader_ib.plot import report  # noqa: E402
from synthdata import make_ohlcv  # noqa: E402

TARGET_SECONDS, TARGET_MB = 10.0, 20.0


class SmaCross(bt.Strategy):
    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=20), bt.ind.SMA(period=100))
        bt.ind.RSI(self.data)

    def next(self):
        if not self.position and self.cross > 0:
            self.buy(size=10)
        elif self.position and self.cross < 0:
            self.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--bars', type=int, default=1_000_000)
    ap.add_argument('--out', default='', help='keep the report here (default: a temp file)')
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.PandasData(dataname=make_ohlcv(args.bars), name='synthetic'))
    cerebro.addstrategy(SmaCross)
    cerebro.broker.setcash(1e6)
    cerebro.run()
    run_s = time.perf_counter() - t0
    trades = sum(1 for o in cerebro.broker.orders if o.executed.size)

    out = args.out or os.path.join(tempfile.mkdtemp(), 'report.html')
    t0 = time.perf_counter()
    report(cerebro, out)
    report_s = time.perf_counter() - t0
    size_mb = os.path.getsize(out) / 1e6

    rows = [('bars', f'{args.bars:,}'), ('executed orders', f'{trades:,}'),
            ('backtest run (s)', f'{run_s:.1f}'),
            ('report (s)', f'{report_s:.2f}  (target < {TARGET_SECONDS:.0f})'),
            ('report size (MB)', f'{size_mb:.2f}  (target < {TARGET_MB:.0f})')]
    width = max(len(k) for k, _ in rows)
    print('| ' + 'measure'.ljust(width) + ' | value |')
    print('|' + '-' * (width + 2) + '|-------|')
    for k, v in rows:
        print(f'| {k.ljust(width)} | {v} |')
    print(f'report: {out}')
    ok = report_s < TARGET_SECONDS and size_mb < TARGET_MB
    print('targets met' if ok else 'TARGET MISSED')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
