#!/usr/bin/env python
"""Parameter sweep of an SMA crossover: serial, on a process pool, or on Dask.

Every (fast, slow) pair is one run; each returns its analyzers only. The best
runs by SQN are printed, and the results can be streamed to a JSON-lines file
instead of being kept in memory.

    python samples/optimization.py                          # process pool, one worker per CPU
    python samples/optimization.py --executor serial --fast 5 10 --slow 30 40
    python samples/optimization.py --executor local-dask    # a 2-worker Dask LocalCluster
    python samples/optimization.py --executor tcp://host:8786 --output runs.jsonl
"""
from __future__ import annotations

import argparse
import datetime

import backtrader_ib as bt
from backtrader_ib import datas


class SmaCross(bt.Strategy):
    params = (('fast', 10), ('slow', 30))

    def __init__(self):
        self.crossover = bt.ind.CrossOver(bt.ind.SMA(period=self.p.fast),
                                          bt.ind.SMA(period=self.p.slow))

    def next(self):
        if not self.position:
            if self.crossover > 0:
                self.buy()
        elif self.crossover < 0:
            self.close()


def make_executor(name: str, output: str | None):
    """The executor named on the command line, and what to close afterwards."""
    from backtrader_ib.optimize import DaskCluster, ProcessPool, Serial
    keep = output is None  # streaming to a file: nothing held in memory
    if name == 'serial':
        return Serial(keep=keep, output=output), None
    if name == 'process':
        return ProcessPool(keep=keep, output=output), None
    if name == 'local-dask':
        from distributed import Client, LocalCluster  # pip install backtrader_ib[dist]
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               host='127.0.0.1', dashboard_address=None)
        client = Client(cluster)
        return DaskCluster(client, keep=keep, output=output), (client, cluster)
    return DaskCluster(name, keep=keep, output=output), None  # a scheduler address


def main(argv=None) -> list:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data', default='orcl-1995-2014.csv', choices=datas.files())
    ap.add_argument('--fromdate', default='2000-01-01')
    ap.add_argument('--fast', type=int, nargs='+', default=[5, 10, 15, 20])
    ap.add_argument('--slow', type=int, nargs='+', default=[30, 50, 100])
    ap.add_argument('--executor', default='process',
                    help="'serial', 'process', 'local-dask' or a Dask scheduler address")
    ap.add_argument('--output', help='stream each run to this JSON-lines file instead')
    ap.add_argument('--top', type=int, default=5, help='how many of the best runs to print')
    args = ap.parse_args(argv)

    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(
        dataname=datas.path(args.data),
        fromdate=datetime.datetime.fromisoformat(args.fromdate)))
    cerebro.optstrategy(SmaCross, fast=args.fast, slow=args.slow)
    cerebro.addsizer(bt.sizers.FixedSize, stake=100)
    cerebro.broker.setcash(100000.0)
    cerebro.addanalyzer(bt.analyzers.SQN)
    cerebro.addanalyzer(bt.analyzers.Returns)

    executor, closers = make_executor(args.executor, args.output)
    try:
        runs = cerebro.run(executor=executor)
    finally:
        for obj in closers or ():
            obj.close()

    if args.output:
        print(f'{len(args.fast) * len(args.slow)} runs written to {args.output}')
        return runs
    scored = []
    for run in runs:
        strat = run[0]
        sqn = strat.analyzers.sqn.get_analysis()
        rtot = strat.analyzers.returns.get_analysis()['rtot']
        scored.append((sqn.sqn, sqn.trades, rtot, strat.params.fast, strat.params.slow))
    scored.sort(key=lambda row: -row[0] if row[0] == row[0] else float('inf'))  # NaN last
    print(f'{len(runs)} runs; best by SQN:')
    print(f'{"fast":>5} {"slow":>5} {"SQN":>7} {"trades":>7} {"return":>8}')
    for sqn, trades, rtot, fast, slow in scored[:args.top]:
        print(f'{fast:>5} {slow:>5} {sqn:>7.2f} {trades:>7} {rtot:>8.2%}')
    return runs


if __name__ == '__main__':
    main()
