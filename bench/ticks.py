"""Tick backtest benchmark: N ticks -> 1-minute bars, SMA(10)/SMA(30) cross.

One tick file (TRADES layout of ``backtrader-ib download --ticks``: datetime,
price,size; several ticks share a second at times) is written once; then, each
in its own Python process, backtrader reads it through GenericCSVData's tick
layout (price in OHLC, timeframe Ticks) and backtrader_ib through
IBTickCSVData, both resample to 1 minute and trade the same crossover. Timed:
building the feed and ``cerebro.run()`` (the CSV parsing is in both), wall
and CPU time (the CPU figure is steadier on a busy machine). The
parent checks that both complete the same orders and end with the same value.

    python bench/ticks.py                   # 1,000,000 ticks
    python bench/ticks.py --ticks 100000    # quick run
    python bench/ticks.py --unique          # no two ticks in one second

See docs/benchmarks.md ("Ticks").
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
TAG = 'TICKS_RESULT '
FAST, SLOW = 10, 30


def make_file(path: str, n: int, seed: int = 7, unique: bool = False) -> None:
    import numpy as np
    sys.path.insert(0, REPO_ROOT)
    from backtrader_ib.stores.ibticks import TickDownload, write_ticks
    rng = np.random.default_rng(seed)
    t0 = int(dt.datetime(2024, 1, 2, 14, 30, tzinfo=dt.timezone.utc).timestamp())
    # 0: the same second as the tick before (IB's tick times have whole seconds)
    times = t0 + np.cumsum(rng.integers(1 if unique else 0, 3, n))
    price = np.round(100 * np.exp(np.cumsum(rng.normal(0, 2e-4, n))), 2)
    size = rng.integers(1, 500, n)
    rows = list(zip(times.tolist(), price.tolist(), size.astype(float).tolist()))
    write_ticks(TickDownload(what='TRADES', rows=rows, timezone=dt.timezone.utc), path)


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM starts afresh at exec;
    ru_maxrss keeps the parent's peak from before the fork (the parent wrote
    the tick file: ~270 MB at 1M ticks, which both children then reported)."""
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(package: str, path: str) -> None:
    if package == 'backtrader_ib':
        sys.path.insert(0, REPO_ROOT)
        import backtrader_ib as bt
    else:
        import backtrader as bt
    orders: list = []

    class Cross(bt.Strategy):
        def __init__(self):
            self.x = bt.ind.CrossOver(bt.ind.SMA(period=FAST), bt.ind.SMA(period=SLOW))

        def next(self):
            if self.x[0] > 0 and not self.position:
                self.buy(size=100)
            elif self.x[0] < 0 and self.position:
                self.close()

        def notify_order(self, o):
            if o.status == o.Completed:
                orders.append((o.isbuy(), round(o.executed.price, 6)))

    t0, c0 = time.perf_counter(), time.process_time()
    if package == 'backtrader_ib':
        data = bt.feeds.IBTickCSVData(dataname=path)
    else:
        data = bt.feeds.GenericCSVData(dataname=path, dtformat='%Y-%m-%d %H:%M:%S',
                                       timeframe=bt.TimeFrame.Ticks, datetime=0, time=-1,
                                       open=1, high=1, low=1, close=1, volume=2,
                                       openinterest=-1)
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=1)
    cerebro.addstrategy(Cross)
    cerebro.broker.setcash(1e7)
    cerebro.run()
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = peak_rss_mb()
    print(TAG + json.dumps({'package': package, 'seconds': secs, 'cpu': cpu, 'rss_mb': rss,
                            'orders': orders, 'value': cerebro.broker.getvalue(),
                            'bars': len(data)}))


def run_case(package: str, path: str) -> dict:
    out = subprocess.run([sys.executable, __file__, '--child', package, path],
                         capture_output=True, text=True, check=False)
    for line in out.stdout.splitlines():
        if line.startswith(TAG):
            return json.loads(line[len(TAG):])
    raise RuntimeError(f'{package} failed:\n{out.stderr[-3000:]}')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--ticks', type=int, default=1_000_000)
    ap.add_argument('--unique', action='store_true',
                    help='one tick a second at most (no tick shares a time stamp)')
    ap.add_argument('--child', nargs=2, metavar=('PACKAGE', 'FILE'), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'ticks.csv')
        make_file(path, args.ticks, unique=args.unique)
        load0 = os.getloadavg()[0]
        res = {p: run_case(p, path) for p in ('backtrader', 'backtrader_ib')}
        load1 = os.getloadavg()[0]
    ref, ours = res['backtrader'], res['backtrader_ib']
    print(f'{args.ticks:,} ticks{" (distinct times)" if args.unique else ""} -> '
          f'{ours["bars"]:,} 1-minute bars, SMA({FAST})/SMA({SLOW}) cross')
    print(f'{"package":<15}{"seconds":>10}{"CPU s":>9}{"peak RSS MB":>14}{"orders":>9}')
    for name, r in res.items():
        print(f'{name:<15}{r["seconds"]:>10.2f}{r["cpu"]:>9.2f}{r["rss_mb"]:>14.0f}'
              f'{len(r["orders"]):>9}')
    print(f'speed-up: {ref["seconds"] / ours["seconds"]:.1f}x wall, '
          f'{ref["cpu"] / ours["cpu"]:.1f}x CPU')
    print(f'load average (1 min): {load0:.2f} at the start, {load1:.2f} at the end')
    same = ref['orders'] == ours['orders'] and abs(ref['value'] - ours['value']) < 1e-6
    print('same orders and final value:', same)
    return 0 if same else 1


if __name__ == '__main__':
    sys.exit(main())
