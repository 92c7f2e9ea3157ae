"""Optimisation benchmark: an SMA-crossover sweep, backtrader vs backtrader_ib.

The sweep: SMA(fast)/SMA(slow) CrossOver on the shipped ORCL daily data
(1995-2014, 5036 bars), buy 10 on a cross up, close on a cross down, with the
SQN analyzer (the sweep's figure of merit; ``--analyzers`` adds others, e.g.
``TimeReturn`` yearly); fast x slow gives the combinations (200: fast 5..24 x
slow 30..120 step 10; fewer combinations drop fast values).

Cases, each in a fresh Python process:

- ``backtrader``: backtrader 1.9.78.123, ``maxcpus=2`` (its process pool);
- ``serial``: backtrader_ib, ``maxcpus=1``;
- ``pool``: backtrader_ib, ``ProcessPool(2)``;
- ``dask``: backtrader_ib on a ``LocalCluster(n_workers=2, threads_per_worker=1)``
  started before the clock starts (an existing cluster).

Only ``cerebro.run()`` is timed. Peak memory is the peak of the summed PSS of
the case's process and all its descendants (pool workers, Dask scheduler,
nannies and workers), sampled every 20 ms with psutil (Linux). Every case hashes each run's params
and analyses; all must equal backtrader's.

    python bench/optimize.py                 # 200 combinations + memory growth (50)
    python bench/optimize.py --combos 20 --growth 10   # quick check
    python bench/optimize.py --analyzers SQN TimeReturn  # heavier runs

See docs/benchmarks.md ("Optimisation").
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from typing import Any

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
RESULT_TAG = 'BENCH_RESULT '
WORKERS = 2
SLOW = list(range(30, 130, 10))  # 10 values; fast values make up the rest


def grid(combos: int) -> dict[str, list[int]]:
    if combos % len(SLOW):
        raise SystemExit(f'--combos must be a multiple of {len(SLOW)}')
    return {'fast': list(range(5, 5 + combos // len(SLOW))), 'slow': SLOW}


# -- child: one case ----------------------------------------------------------

class TreeMemory:
    """Peak summed PSS of this process and its descendants, sampled in a thread.

    PSS (proportional set size) shares each page among the processes mapping it,
    so forked workers' copy-on-write pages are not counted twice as with RSS.
    """

    def __init__(self, interval: float = 0.02) -> None:
        import psutil
        self._me = psutil.Process()
        self._psutil = psutil
        self.peak = 0
        self._cpu: dict[int, float] = {}  # pid -> latest user+system seconds seen
        self._cpu0 = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)

    def _total(self) -> int:
        total = 0
        for proc in [self._me] + self._me.children(recursive=True):
            try:
                total += proc.memory_full_info().pss
                times = proc.cpu_times()
                self._cpu[proc.pid] = times.user + times.system
            except self._psutil.Error:  # ended meanwhile
                pass
        return total

    @property
    def cpu(self) -> float:
        """CPU seconds used by the whole tree while measuring (a process that
        ended between two samples loses its last < 20 ms)."""
        return sum(self._cpu.values()) - self._cpu0

    def _sample(self, interval: float) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(interval)

    def __enter__(self) -> TreeMemory:
        self.peak = self._total()
        self._cpu0 = sum(self._cpu.values())
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())


def make_strategy(bt: Any) -> type:
    class SmaCross(bt.Strategy):
        params = (('fast', 10), ('slow', 30))

        def __init__(self) -> None:
            self.cross = bt.ind.CrossOver(bt.ind.SMA(period=self.p.fast),
                                          bt.ind.SMA(period=self.p.slow))

        def next(self) -> None:
            if not self.position:
                if self.cross > 0:
                    self.buy(size=10)
            elif self.cross < 0:
                self.close()
    return SmaCross


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return [(str(k), plain(v)) for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return float(value) if isinstance(value, float) or hasattr(value, '__float__') else value


def digest(results: list) -> tuple[str, int]:
    """A hash of every run's params and analyses (in grid order), and the trade count."""
    h = hashlib.sha256()
    trades = 0
    for run in results:
        res = run[0]
        trades += res.analyzers.sqn.get_analysis()['trades']
        analyses = [plain(a.get_analysis()) for a in res.analyzers]
        h.update(repr((res.p.fast, res.p.slow, analyses)).encode())
    return h.hexdigest(), trades


def child(spec: dict[str, Any]) -> dict[str, Any]:
    case, combos = spec['case'], spec['combos']
    if case == 'backtrader':
        import backtrader as bt
    else:
        import backtrader_ib as bt
    from backtrader_ib import datas  # the shipped CSV, read by both packages

    cerebro = bt.Cerebro(maxcpus=WORKERS if case == 'backtrader' else None)
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv')))
    strategy = make_strategy(bt)
    # at module level, so backtrader's pool can pickle it by name
    strategy.__qualname__ = strategy.__name__
    globals()[strategy.__name__] = strategy
    cerebro.optstrategy(strategy, **grid(combos))
    for name in ['SQN'] + [a for a in spec['analyzers'] if a != 'SQN']:
        kwargs = {'timeframe': bt.TimeFrame.Years} if name == 'TimeReturn' else {}
        cerebro.addanalyzer(getattr(bt.analyzers, name), **kwargs)

    cluster = client = None
    startup = 0.0
    if case == 'serial':
        cerebro.p.executor = 'serial'
    elif case == 'pool':
        from backtrader_ib.optimize import ProcessPool
        cerebro.p.executor = ProcessPool(WORKERS, progress=False)
    elif case == 'dask':
        from distributed import Client, LocalCluster
        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                               host='127.0.0.1', dashboard_address=None)
        client = Client(cluster)
        startup = time.perf_counter() - t0
        cerebro.p.executor = client
    try:
        with TreeMemory() as mem:
            t0 = time.perf_counter()
            results = cerebro.run()
            seconds = time.perf_counter() - t0
    finally:
        if client is not None:
            client.close()
            cluster.close()
    hexdigest, trades = digest(results)
    return {**spec, 'status': 'ok', 'seconds': seconds, 'startup': startup,
            'peak_mb': mem.peak / 2**20, 'cpu': mem.cpu, 'runs': len(results), 'digest': hexdigest,
            'trades': trades}


# -- parent: run the cases, print the tables ----------------------------------

def run_case(case: str, combos: int, analyzers: list[str], timeout: float) -> dict[str, Any]:
    spec = {'case': case, 'combos': combos, 'analyzers': analyzers}
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(p for p in (REPO_ROOT, env.get('PYTHONPATH')) if p)
    cmd = [sys.executable, os.path.abspath(__file__), '--child', json.dumps(spec)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO_ROOT,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {**spec, 'status': f'timeout after {timeout:.0f} s'}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            return json.loads(line[len(RESULT_TAG):])
    tail = (proc.stderr.strip().splitlines() or ['no output'])[-1]
    return {**spec, 'status': f'failed (exit {proc.returncode}): {tail}'}


TITLES = {'backtrader': f'backtrader 1.9.78.123, maxcpus={WORKERS}',
          'serial': 'backtrader_ib serial (maxcpus=1)',
          'pool': f'backtrader_ib ProcessPool({WORKERS})',
          'dask': f'backtrader_ib Dask LocalCluster({WORKERS} workers)'}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--combos', type=int, default=200)
    ap.add_argument('--growth', type=int, default=50,
                    help='smaller sweep for the memory-growth check (0: skip)')
    ap.add_argument('--cases', nargs='+', default=list(TITLES), choices=list(TITLES))
    ap.add_argument('--analyzers', nargs='+', default=['SQN'],
                    help='analyzers of every run (SQN is always there; TimeReturn is yearly)')
    ap.add_argument('--timeout', type=float, default=1800)
    ap.add_argument('--json', help='also write every result to this file')
    ap.add_argument('--child', help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(RESULT_TAG + json.dumps(child(json.loads(args.child))), flush=True)
        return 0

    sizes = [args.combos] + ([args.growth] if args.growth else [])
    results: dict[tuple[str, int], dict[str, Any]] = {}
    for combos in sizes:
        for case in args.cases:
            print(f'running {case} with {combos} combinations ...', file=sys.stderr, flush=True)
            results[case, combos] = run_case(case, combos, args.analyzers, args.timeout)

    ok = True
    for combos in sizes:
        ref = results.get(('backtrader', combos))
        ref_s = ref['seconds'] if ref and ref['status'] == 'ok' else None
        print(f'\n{combos} combinations x 5036 daily bars (ORCL 1995-2014), analyzers: '
              f'{", ".join(args.analyzers)}\n')
        print('| case | wall time (s) | runs/s | CPU time, all processes (s) '
              '| peak memory (MiB) | speed vs backtrader | results |')
        print('|---|---:|---:|---:|---:|---:|---|')
        for case in args.cases:
            r = results[case, combos]
            if r['status'] != 'ok':
                print(f'| {TITLES[case]} | {r["status"]} | | | | | |')
                ok = False
                continue
            same = '-' if ref is None or ref['status'] != 'ok' else \
                ('same as backtrader' if r['digest'] == ref['digest'] else 'MISMATCH')
            ok = ok and same != 'MISMATCH'
            ratio = f'{ref_s / r["seconds"]:.1f}x' if ref_s else '-'
            extra = f' (+{r["startup"]:.1f} s cluster start)' if r['startup'] else ''
            print(f'| {TITLES[case]} | {r["seconds"]:.2f}{extra} | {r["runs"] / r["seconds"]:.1f}'
                  f' | {r["cpu"]:.1f} | {r["peak_mb"]:.0f} | {ratio} | {same} |')
    if args.growth:
        print(f'\nPeak memory, {args.growth} vs {args.combos} combinations\n')
        print(f'| case | {args.growth} (MiB) | {args.combos} (MiB) | growth (MiB) |')
        print('|---|---:|---:|---:|')
        for case in args.cases:
            small, big = results[case, args.growth], results[case, args.combos]
            if small['status'] == 'ok' and big['status'] == 'ok':
                print(f'| {TITLES[case]} | {small["peak_mb"]:.0f} | {big["peak_mb"]:.0f} | '
                      f'{big["peak_mb"] - small["peak_mb"]:+.0f} |')
    pool, ref = results.get(('pool', args.combos)), results.get(('backtrader', args.combos))
    if pool and ref and pool['status'] == ref['status'] == 'ok':
        speedup = ref['seconds'] / pool['seconds']
        print(f'\npool vs backtrader: {speedup:.1f}x (target >= 10x: '
              f'{"met" if speedup >= 10 else "NOT met"})')
    if args.json:
        with open(args.json, 'w') as fh:
            json.dump([dict(r, case=c, combos=n) for (c, n), r in results.items()], fh, indent=1)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
