#!/usr/bin/env python
"""A live run without a broker connection: a thread pushes ticks into a
QueueData feed while Cerebro runs, and 5-second bars form as they come.

The ticks are made up around a starting price and stamped with the wall
clock. The last bar is delivered by the clock even though no further tick
comes.

    python samples/live_queue.py --seconds 12
"""
from __future__ import annotations

import argparse
import datetime
import random
import threading
import time

import backtrader_ib as bt


class PrintBars(bt.Strategy):
    def notify_data(self, data, status, *args, **kwargs):
        print(f'data status: {data._getstatusname(status)}')

    def next(self):
        d = self.data
        print(f'{d.datetime.datetime(0):%H:%M:%S} O {d.open[0]:.2f} H {d.high[0]:.2f} '
              f'L {d.low[0]:.2f} C {d.close[0]:.2f} V {d.volume[0]:g}')


def produce(feed: bt.feeds.QueueData, seconds: float, rate: float, seed: int) -> None:
    rnd = random.Random(seed)
    price, t0 = 100.0, time.monotonic()
    while time.monotonic() - t0 < seconds:
        price += rnd.gauss(0, 0.05)
        feed.put_tick(datetime.datetime.utcnow(), round(price, 2), rnd.randint(1, 10))
        time.sleep(1 / rate)
    time.sleep(6)  # silence: the last bar still comes, by the clock
    feed.end()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seconds', type=float, default=12, help='how long ticks come')
    ap.add_argument('--rate', type=float, default=20, help='ticks per second')
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args(argv)
    feed = bt.feeds.QueueData(timeframe=bt.TimeFrame.Ticks, qcheck=0.25)
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.resampledata(feed, timeframe=bt.TimeFrame.Seconds, compression=5)
    cerebro.addstrategy(PrintBars)
    threading.Thread(target=produce, args=(feed, args.seconds, args.rate, args.seed),
                     daemon=True).start()
    strat = cerebro.run()[0]
    print(f'{len(strat)} bars')
    return len(strat)


if __name__ == '__main__':
    main()
