"""Live path benchmark: ticks -> live feed -> 1-minute resample -> ``next`` (issue 18).

Two ways in, each case in its own fresh Python process:

* ``inproc``: a producer thread pushes N ticks into a queue-fed live feed
  (backtrader_ib's ``QueueData``; backtrader has no such feed, so its case
  runs ``BTQueueFeed`` below: the same queue read the same way, written on
  backtrader's ``DataBase`` as a user would), ``resampledata`` to 1 minute,
  a strategy with an SMA(10) on the minute bars that alternates
  ``sell(10)``/``buy(10)`` on a position of 100 (never flat). Three runs per
  package: ``queued`` has every tick queued before the run (the consumer
  alone: the live path's own cost), ``max`` pushes from the thread as fast
  as it can (ticks/s = ticks / wall time of the run) and ``paced`` pushes at
  ``--rate`` ticks/s (latency figures).
* ``socket``: ibsim in its own process streams AAPL trades (one a simulated
  second, ``--speed`` simulated seconds a real second, so ``--speed`` ticks/s
  offered) over the real TWS socket to IBStore/IBData on ib_insync or
  ib_async, ``resampledata`` to 1 minute, the same strategy with IBBroker
  (the order journal on): ``buy``/``sell`` from ``next`` while ticks stream
  with a position open. backtrader's own IB store needs IbPy against a real
  TWS: there is no backtrader case here.

Tick-to-next latency: every item a feed's queue receives is stamped with
``time.perf_counter_ns()`` as it is put (by the producer thread, or by the
store's loop thread once the client library decoded the tick); ``next``
reads the stamp of the item the feed took last (the tick that closed the
minute bar) and records now - stamp. ``buy``/``sell`` time: around the call
in ``next``. Figures: p50 / p99 / max. ``ticks/CPU-s``: ticks over the
process CPU time (producer and consumer threads; for the socket cases the
client process, not ibsim): steadier than wall time on a loaded machine.

    python bench/live.py                      # every case
    python bench/live.py --only inproc        # or: socket
    python bench/live.py --ticks 100000 --rate 20000 --speed 3000 --seconds 20
    LIVE_SWITCH=0.0005 python bench/live.py --only socket   # sys.setswitchinterval

See docs/benchmarks.md ("Live path"); ``bench/live_profile.py`` runs the socket
case instrumented (where buy() and tick-to-next time goes).
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
TAG = 'LIVE_RESULT '
START = dt.datetime(2024, 3, 5, 15, 0)      # UTC, Tuesday 10:00 New York
STEP = 0.1                                  # simulated seconds between in-process ticks
_END = None


class StampQueue:
    """Wraps a feed's queue: stamps each item as it is put (one producer
    thread) and keeps the stamp of the item taken last."""

    def __init__(self, inner=None) -> None:
        self.inner = inner if inner is not None else queue.Queue()
        self.stamps: collections.deque = collections.deque()
        self.last = 0
        self.taken = 0

    def put(self, item, block=True, timeout=None):
        self.stamps.append(time.perf_counter_ns())  # before the item: get finds it
        self.inner.put(item, block, timeout)

    def get(self, block=True, timeout=None):
        item = self.inner.get(block, timeout)
        self.last = self.stamps.popleft()
        self.taken += 1
        return item

    def empty(self):
        return self.inner.empty()


def pct(xs: list, q: float) -> float:
    if not xs:
        return float('nan')
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def summary(ns: list) -> dict:
    ms = [x / 1e6 for x in ns]
    return {'n': len(ms), 'p50': pct(ms, 0.50), 'p99': pct(ms, 0.99),
            'max': max(ms) if ms else float('nan')}


def import_bt(package: str):
    if package == 'backtrader_ib':
        sys.path.insert(0, REPO_ROOT)
        import backtrader_ib as bt
    else:
        import backtrader as bt
    return bt


def make_strategy(bt, queues: list, results: dict, live_only: bool):
    """SMA(10) on the minute bars; each next: latency sample, then an order."""

    class LiveStrat(bt.Strategy):
        def __init__(self):
            self.sma = bt.ind.SMA(self.data.close, period=10)
            self.lat: list = []
            self.buys: list = []
            self.sells: list = []
            self.prev: dict = {}
            self.nexts = 0
            self.first = True

        def next(self):
            now = time.perf_counter_ns()
            if live_only and self.data._laststatus != self.data.LIVE:
                return
            for i, q in enumerate(queues):   # the tick that closed the bar
                st = q.last
                if st and st != self.prev.get(i):
                    self.lat.append(now - st)
                    self.prev[i] = st
            self.nexts += 1
            if self.first:
                self.first = False
                self.buy(size=100)
                return
            t0 = time.perf_counter_ns()
            if self.nexts % 2:
                self.buy(size=10)
                self.buys.append(time.perf_counter_ns() - t0)
            else:
                self.sell(size=10)
                self.sells.append(time.perf_counter_ns() - t0)

        def stop(self):
            results['latency'] = summary(self.lat)
            results['buy'] = summary(self.buys)
            results['sell'] = summary(self.sells)
            results['nexts'] = self.nexts
            results['bars'] = len(self.data)

    return LiveStrat


def bt_queue_feed(bt):
    """backtrader's nearest equivalent of QueueData: a live DataBase reading a queue."""

    class BTQueueFeed(bt.feed.DataBase):
        def __init__(self):
            self._q = StampQueue()
            self._clockdt = START

        def islive(self):
            return True

        def haslivedata(self):
            return not self._q.empty()

        def _timeoffset(self):  # resamplers' clock checks see the data's clock
            return self._clockdt - dt.datetime.utcnow()

        def start(self):
            super().start()
            self.put_notification(self.LIVE)

        def _load(self):
            try:
                item = self._q.get(timeout=self._qcheck)
            except queue.Empty:
                return None
            if item is _END:
                return False
            t, price, size = item
            lines = self.lines
            lines.datetime[0] = bt.date2num(t)
            lines.open[0] = lines.high[0] = lines.low[0] = lines.close[0] = price
            lines.volume[0] = size
            lines.openinterest[0] = 0.0
            return True

        def put_tick(self, t, price, size):
            self._clockdt = t
            self._q.put((t, price, size))

        def end(self):
            self._q.put(_END)

    return BTQueueFeed


def child_inproc(package: str, nticks: int, rate: float) -> dict:
    import numpy as np
    bt = import_bt(package)
    rng = np.random.default_rng(7)
    prices = np.round(100 * np.exp(np.cumsum(rng.normal(0, 2e-4, nticks))), 2).tolist()
    times = [START + dt.timedelta(seconds=STEP * (i + 1)) for i in range(nticks)]
    clock = [START]
    if package == 'backtrader_ib':
        data = bt.feeds.QueueData(timeframe=bt.TimeFrame.Ticks, qcheck=0.5,
                                  clock=lambda: clock[0])
        data._q = StampQueue(data._q)   # the feed's own queue, stamped

        def push(t, p):
            clock[0] = t
            data.put_tick(t, p, 1.0)
    else:
        data = bt_queue_feed(bt)(timeframe=bt.TimeFrame.Ticks, qcheck=0.5)

        def push(t, p):
            data.put_tick(t, p, 1.0)
    results: dict = {}
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=1)
    cerebro.addstrategy(make_strategy(bt, [data._q], results, live_only=False))
    cerebro.broker.setcash(1e9)
    go = threading.Event()

    def produce():
        go.wait()
        t0 = time.perf_counter()
        for i in range(nticks):
            if rate:
                due = t0 + i / rate
                lag = due - time.perf_counter()
                if lag > 0:
                    time.sleep(lag)      # releases the GIL: the consumer runs
            push(times[i], prices[i])
        data.end()

    prefill = rate < 0  # every tick queued before the run: the consumer alone is timed
    th = threading.Thread(target=produce, daemon=True)
    if prefill:
        go.set()
        produce()
    else:
        th.start()
        # start pushing when the run starts (not while Cerebro builds it)
        orig_start = data.start

        def start():
            orig_start()
            go.set()
        data.start = start
    t0, c0 = time.perf_counter(), time.process_time()
    cerebro.run(runonce=False)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    if not prefill:
        th.join()
    else:
        results['latency'] = {}  # queued long before: no latency to speak of
    results.update(seconds=secs, cpu=cpu, ticks=data._q.taken - 1, ticks_per_s=nticks / secs)
    return results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start_ibsim(speed: float) -> tuple:
    port = free_port()
    cmd = [sys.executable, '-m', 'backtrader_ib.ibsim', '--port', str(port),
           '--speed', str(speed), '--start', START.replace(tzinfo=dt.timezone.utc).isoformat(),
           '--state', 'none', '--fresh', '--no-pacing', '--log-size', '100']
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    end = time.monotonic() + 20
    while time.monotonic() < end:
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError('ibsim did not start')


def child_socket(client: str, port: int, seconds: float, journal: str) -> dict:
    import logging
    bt = import_bt('backtrader_ib')
    if os.environ.get('LIVE_SWITCH'):
        sys.setswitchinterval(float(os.environ['LIVE_SWITCH']))
    logging.getLogger(client).setLevel(logging.CRITICAL)

    class StampedIBData(bt.feeds.IBData):
        def start(self):
            super().start()
            self._q = StampQueue(self._q)  # before the stream starts (the START state)

    results: dict = {}
    store = bt.stores.IBStore(port=port, clientId=11, client=client, journal=journal,
                              timeout=0.2, pacing=False)
    data = StampedIBData(dataname='AAPL', timeframe=bt.TimeFrame.Ticks, backfill_start=False,
                         qcheck=0.5, **{'port': port, 'clientId': 11, 'client': client})
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=1)
    cerebro.setbroker(store.getbroker())
    queues: list = []

    class Strat(make_strategy(bt, queues, results, live_only=True)):
        def start(self):
            queues.append(data._q)
            self.t_end = time.monotonic() + seconds
            self.t0 = time.perf_counter()
            self.taken0 = None

        def next(self):
            if self.taken0 is None and data._laststatus == data.LIVE:
                self.taken0, self.t0 = data._q.taken, time.perf_counter()
            super().next()
            if time.monotonic() >= self.t_end:
                results['ticks'] = data._q.taken - (self.taken0 or 0)
                results['seconds'] = time.perf_counter() - self.t0
                self.env.runstop()

    cerebro.addstrategy(Strat)
    c0 = time.process_time()
    cerebro.run()
    results['cpu'] = time.process_time() - c0
    results['ticks_per_s'] = results.get('ticks', 0) / max(results.get('seconds', 1), 1e-9)
    results['position'] = cerebro.broker.getposition(data).size
    return results


def run_child(args: list, timeout: float = 900) -> dict:
    out = subprocess.run([sys.executable, __file__, '--child', *map(str, args)],
                         capture_output=True, text=True, check=False, timeout=timeout)
    for line in out.stdout.splitlines():
        if line.startswith(TAG):
            return json.loads(line[len(TAG):])
    return {'error': out.stderr[-2000:] or out.stdout[-2000:]}


def fmt(r: dict, key: str) -> str:
    s = r.get(key)
    if not s or not s.get('n'):
        return '-'
    return f'{s["p50"]:.3f} / {s["p99"]:.3f} / {s["max"]:.2f}'


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--only', nargs='*', choices=('inproc', 'socket'))
    ap.add_argument('--ticks', type=int, default=200_000, help='in-process ticks')
    ap.add_argument('--rate', type=float, default=20_000, help='paced ticks/s (in-process)')
    ap.add_argument('--speed', type=float, default=3000,
                    help='ibsim clock speed = AAPL ticks/s offered over the socket')
    ap.add_argument('--seconds', type=float, default=20, help='socket run length (real s)')
    ap.add_argument('--packages', nargs='*', default=['backtrader', 'backtrader_ib'])
    ap.add_argument('--clients', nargs='*', default=['ib_insync', 'ib_async'])
    ap.add_argument('--json', help='write the results here')
    ap.add_argument('--child', nargs='+', help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == 'inproc':
            res = child_inproc(rest[0], int(rest[1]), float(rest[2]))
        else:
            res = child_socket(rest[0], int(rest[1]), float(rest[2]), rest[3])
        print(TAG + json.dumps(res))
        return 0
    only = args.only or ['inproc', 'socket']
    rows = []
    if 'inproc' in only:
        for mode, rate in (('queued', -1.0), ('max', 0.0), ('paced', args.rate)):
            for pkg in args.packages:
                r = run_child(['inproc', pkg, args.ticks, rate])
                rows.append((f'inproc {mode}' + (f' {rate:,.0f}/s' if rate > 0 else ''), pkg, r))
    if 'socket' in only:
        proc, port = start_ibsim(args.speed)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                for i, client in enumerate(args.clients):
                    r = run_child(['socket', client, port, args.seconds,
                                   os.path.join(tmp, f'journal{i}.sqlite')])
                    rows.append((f'socket {args.speed:,.0f}/s offered', f'backtrader_ib/{client}',
                                 r))
        finally:
            proc.terminate()
            proc.wait(10)
    load = os.getloadavg()
    print(f'ticks -> 1-minute resample -> next (SMA(10)); load average {load[0]:.1f} '
          f'{load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs')
    print(f'{"case":<24}{"package":<25}{"ticks":>9}{"ticks/s":>10}{"CPU s":>8}{"ticks/CPU-s":>12}'
          f'{"tick->next ms p50/p99/max":>29}{"buy() ms p50/p99/max":>25}'
          f'{"sell() ms p50/p99/max":>25}')
    failed = False
    for case, pkg, r in rows:
        if 'error' in r:
            failed = True
            print(f'{case:<24}{pkg:<25} FAILED: {r["error"][-400:]}')
            continue
        print(f'{case:<24}{pkg:<25}{r.get("ticks", 0):>9,}{r.get("ticks_per_s", 0):>10,.0f}'
              f'{r.get("cpu", 0):>8.2f}{r.get("ticks", 0) / max(r.get("cpu", 0), 1e-9):>12,.0f}'
              f'  {fmt(r, "latency"):>27}  {fmt(r, "buy"):>23}'
              f'  {fmt(r, "sell"):>23}')
    if args.json:
        for _, _, r in rows:
            r['loadavg'] = load
        with open(args.json, 'w') as f:
            json.dump([{'case': c, 'package': p, **r} for c, p, r in rows], f, indent=1)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
