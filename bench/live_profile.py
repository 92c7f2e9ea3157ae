"""Where the socket live path's time goes (bench/live.py's socket case, instrumented).

For each client library, against ibsim streaming ``--speed`` AAPL trades a second:

* ``buy()``/``sell()`` from ``next``: p50/p99, and of the calls over 1 ms how
  many were blocked (a voluntary context switch of the strategy thread: it
  waited, e.g. for the interpreter lock) or preempted by the OS (an
  involuntary one: the machine's cores were busy), from the thread's
  ``getrusage(RUSAGE_THREAD)`` around each call (Linux).
* tick -> next split, for the tick that closed each minute bar: ``recv->put``
  (the socket chunk's arrival on the loop thread until the tick is queued: the
  client library's decoding, and ours), ``put->get`` (waiting in the feed's
  queue: the strategy thread busy or not holding the interpreter lock),
  ``get->next`` (the strategy thread: resampler, broker, notifications), and
  the queue's backlog when the tick was taken.
* the loop thread's CPU: the store's taps (ours) vs the library's wrapper
  methods vs the rest (message decoding, asyncio).

    python bench/live_profile.py [--clients ib_insync ib_async] [--seconds 15]
"""
from __future__ import annotations

import argparse
import collections
import os
import resource
import subprocess
import sys
import tempfile
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH_DIR)
import live  # noqa: E402  (bench/live.py: the same child, ibsim start-up)


def pct(xs: list, q: float) -> float:
    return sorted(xs)[min(len(xs) - 1, int(q * len(xs)))] if xs else float('nan')


def child(client: str, port: int, seconds: float, journal: str) -> None:
    sys.path.insert(0, live.REPO_ROOT)
    from backtrader_ib.brokers import ibbroker
    from backtrader_ib.stores import ibstore
    ns = time.perf_counter_ns
    spans: dict = collections.defaultdict(list)
    calls: list = []
    recv = [0]
    cpu: collections.Counter = collections.Counter()

    class SplitQueue(live.StampQueue):
        def put(self, item, block=True, timeout=None):
            now = ns()
            if recv[0]:
                spans['recv->put'].append(now - recv[0])
            self.stamps.append(now)
            self.inner.put(item, block, timeout)

        def get(self, block=True, timeout=None):
            item = self.inner.get(block, timeout)
            self.last, self.got, self.backlog = self.stamps.popleft(), ns(), self.inner.qsize()
            self.taken += 1
            return item
    live.StampQueue = SplitQueue

    base = live.make_strategy

    def make_strategy(bt, queues, results, live_only):
        class Split(base(bt, queues, results, live_only)):
            def next(self):
                now = ns()
                if self.data._laststatus == self.data.LIVE:
                    for q in queues:
                        if q.last and q.last != self.prev.get(0):
                            spans['put->get'].append(q.got - q.last)
                            spans['get->next'].append(now - q.got)
                            spans['backlog at get (items)'].append(q.backlog * 1e6)
                super().next()
        return Split
    live.make_strategy = make_strategy

    order = ibbroker.IBBroker._order
    thread = resource.RUSAGE_THREAD

    def timed_order(*a, **k):
        r0, t0, c0 = resource.getrusage(thread), ns(), time.thread_time_ns()
        out = order(*a, **k)
        t1, c1, r1 = ns(), time.thread_time_ns(), resource.getrusage(thread)
        calls.append((t1 - t0, c1 - c0, r1.ru_nvcsw - r0.ru_nvcsw, r1.ru_nivcsw - r0.ru_nivcsw))
        return out
    ibbroker.IBBroker._order = timed_order

    def tap(wrapper, name, handler):
        orig = getattr(wrapper, name)

        def tapped(*args):
            t0 = time.thread_time_ns()
            result = orig(*args)
            t1 = time.thread_time_ns()
            try:
                handler(*args)
            except Exception:
                pass
            cpu['library wrapper methods'] += t1 - t0
            cpu['store taps (ours)'] += time.thread_time_ns() - t1
            return result
        setattr(wrapper, name, tapped)
    ibstore.IBStore._tap = staticmethod(tap)
    make_ib = ibstore.IBStore._make_ib

    def make(self):
        ib = make_ib(self)
        conn = ib.client.conn
        received = conn.data_received

        def data_received(data):
            recv[0] = ns()
            return received(data)
        conn.data_received = data_received
        return ib
    ibstore.IBStore._make_ib = make
    stop = ibstore.IBStore.stop

    def stopping(self):
        if self._thread is not None and 'loop thread' not in cpu:
            cpu['loop thread'] = self.call(time.thread_time_ns)
        return stop(self)
    ibstore.IBStore.stop = stopping

    res = live.child_socket(client, port, seconds, journal)
    load = os.getloadavg()[0]
    print(f'{client}: load {load:.1f}, {res["ticks_per_s"]:,.0f} ticks/s, switch interval '
          f'{sys.getswitchinterval() * 1e3:g} ms')
    wall = [c[0] / 1e6 for c in calls]
    slow = [c for c in calls if c[0] > 1e6]
    print(f'  buy()/sell(): {len(calls)} calls, p50 {pct(wall, .5):.3f} ms, p99 '
          f'{pct(wall, .99):.3f} ms; {len(slow)} over 1 ms: blocked (voluntary switch) '
          f'{sum(1 for c in slow if c[2])}, preempted by the OS only '
          f'{sum(1 for c in slow if c[3] and not c[2])}, neither '
          f'{sum(1 for c in slow if not c[2] and not c[3])}')
    for k, v in spans.items():
        ms = [x / 1e6 for x in v]
        print(f'  {k:<24} p50 {pct(ms, .5):9.3f}  p90 {pct(ms, .9):9.3f}  p99 {pct(ms, .99):9.3f}'
              f'  max {max(ms):9.2f}')
    total = cpu.pop('loop thread', 0) or 1
    parts = ', '.join(f'{k} {100 * v / total:.0f}%' for k, v in cpu.items())
    print(f'  loop thread CPU {total / 1e9:.2f} s: {parts}, the rest (decoding, asyncio) '
          f'{100 - 100 * sum(cpu.values()) / total:.0f}%')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--clients', nargs='*', default=['ib_insync', 'ib_async'])
    ap.add_argument('--speed', type=float, default=3000)
    ap.add_argument('--seconds', type=float, default=15)
    ap.add_argument('--child', nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        client, port, seconds, journal = args.child
        child(client, int(port), float(seconds), journal)
        return 0
    proc, port = live.start_ibsim(args.speed)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for i, client in enumerate(args.clients):
                subprocess.run([sys.executable, __file__, '--child', client, str(port),
                                str(args.seconds), os.path.join(tmp, f'journal{i}.sqlite')],
                               check=False)
    finally:
        proc.terminate()
        proc.wait(10)
    return 0


if __name__ == '__main__':
    sys.exit(main())
