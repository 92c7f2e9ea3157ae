"""Backtests running at the same time in several threads give the serial results.

Each thread builds and runs its own Cerebro on its own feed. Objects find
their owner through a per-thread construction stack (metabase), and the gc
tuning of a run is shared by overlapping runs (utils/gctune). The thread
switch interval is made tiny so threads interleave inside constructions.
"""
from __future__ import annotations

import contextlib
import gc
import math
import sys
import threading

import pytest

import backtrader_ib as bt
from backtrader_ib import metabase
from backtrader_ib.utils import gctune
from conftest import shared_file

FILES = ['2006-day-001.txt', '2006-day-002.txt', 'orcl-2014.txt', 'yhoo-2014.txt']


@contextlib.contextmanager
def frequent_switches(interval: float = 1e-6):
    old = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


class Spread(bt.Indicator):
    """A user indicator built from others (children found through the stack)."""
    lines = ('spread', 'signal')
    params = (('period', 10),)

    def __init__(self):
        self.l.spread = self.data.close - bt.ind.SMA(self.data, period=self.p.period)
        self.l.signal = bt.ind.EMA(self.l.spread, period=3)


class Busy(bt.Strategy):
    params = (('period', 14),)

    def __init__(self):
        self.rsi = bt.ind.RSI(self.data, period=self.p.period)
        self.spread = Spread(period=self.p.period + 2)
        self.cross = bt.ind.CrossOver(self.data.close, bt.ind.SMA(period=self.p.period))
        self.plotter = bt.LinePlotterIndicator(self.data.high - self.data.low, name='hilo')
        # many small objects: construction is a large part of each run, so
        # the threads interleave inside it
        self.many = [Spread(period=p) - bt.ind.EMA(period=p) for p in range(2, 22)]
        self.bars = 0
        self.total = 0.0

    def next(self):
        self.bars += 1
        for v in (self.rsi[0], self.spread.signal[0], self.plotter.hilo[0],
                  *(m[0] for m in self.many)):
            if not math.isnan(v):
                self.total += v
        if not self.position and (self.rsi[0] < 35 or self.cross > 0):
            self.buy(size=10)
        elif self.position and (self.rsi[0] > 65 or self.cross < 0):
            self.close()


def feed(i: int):
    name = FILES[i % len(FILES)]
    if name[0].isdigit():
        return bt.feeds.BacktraderCSVData(dataname=shared_file(name))
    return bt.feeds.YahooFinanceCSVData(dataname=shared_file(name))


def one_run(i: int, runonce: bool = True) -> tuple:
    """A complete backtest; everything it computed, as plain comparable data."""
    cerebro = bt.Cerebro(runonce=runonce)
    cerebro.adddata(feed(i))
    cerebro.addstrategy(Busy, period=8 + i)
    cerebro.addanalyzer(bt.analyzers.TradeAnalyzer, _name='ta')
    cerebro.addanalyzer(bt.analyzers.SharpeRatio, _name='sharpe')  # has a child analyzer
    cerebro.addanalyzer(bt.analyzers.DrawDown, _name='dd')
    st = cerebro.run()[0]
    ta = st.analyzers.ta.get_analysis()
    return (round(cerebro.broker.getvalue(), 8), round(cerebro.broker.getcash(), 8),
            st.bars, round(st.total, 6), ta.get('total', {}).get('total', 0),
            st.analyzers.sharpe.get_analysis()['sharperatio'],
            round(st.analyzers.dd.get_analysis().max.drawdown, 8),
            len(st.getindicators()), st.plotter.lines.getlinealiases())


def one_resampled_run(i: int) -> tuple:
    """Two timeframes and a coupler (``line()``): the coupler asks the Cerebro
    under construction in this thread to run bar by bar."""
    class Weekly(bt.Strategy):
        def __init__(self):
            self.wsma = bt.ind.SMA(self.data1, period=3)
            self.gap = self.data0.close - self.wsma()
            self.vals = []

        def next(self):
            self.vals.append(self.gap[0])

    cerebro = bt.Cerebro()
    data = feed(i)
    cerebro.adddata(data)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Weeks)
    cerebro.addstrategy(Weekly)
    st = cerebro.run()[0]
    return len(st.vals), round(sum(v for v in st.vals if not math.isnan(v)), 6)


def run_threads(jobs: dict) -> dict:
    """Run each ``name: callable`` in its own thread; their results (or errors)."""
    out: dict = {}
    start = threading.Barrier(len(jobs))

    def work(name, job):
        start.wait()
        try:
            out[name] = job()
        except BaseException as e:  # noqa: BLE001 - reported by the assertion
            out[name] = f'{type(e).__name__}: {e}'

    threads = [threading.Thread(target=work, args=item) for item in jobs.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return out


def test_threads_give_the_serial_results():
    nthreads, nruns = 4, 3
    serial = {i: [one_run(i, runonce=bool(k % 2 == 0)) for k in range(nruns)]
              for i in range(nthreads)}
    assert len({r[0] for runs in serial.values() for r in runs}) > 1  # the runs differ
    with frequent_switches():
        got = run_threads({i: (lambda i=i: [one_run(i, runonce=bool(k % 2 == 0))
                                            for k in range(nruns)])
                           for i in range(nthreads)})
    assert got == serial


def test_threads_with_resampling_and_couplers():
    serial = {i: one_resampled_run(i) for i in range(3)}
    with frequent_switches():
        got = run_threads({i: (lambda i=i: one_resampled_run(i)) for i in range(3)})
    assert got == serial


def test_construction_stack_is_per_thread():
    entered, release = threading.Event(), threading.Event()
    seen = {}

    def builder():
        with metabase.constructing('outer-owner'):
            seen['inside'] = metabase.current_owner()
            entered.set()
            release.wait(10)

    t = threading.Thread(target=builder)
    t.start()
    try:
        assert entered.wait(10)
        # the other thread is inside a construction: this one sees none
        assert metabase.current_owner() is None and metabase.owners() == ()
        assert list(metabase.construction_stack) == []
        assert metabase.findowner(None, str) is None
    finally:
        release.set()
        t.join(10)
    assert seen['inside'] == 'outer-owner'
    assert metabase.current_owner() is None


def test_construction_stack_view_push_pop():
    view = metabase.construction_stack
    view.append('a')
    view.append('b')
    try:
        assert (len(view), view[-1], list(reversed(view))) == (2, 'b', ['b', 'a'])
        assert metabase.current_owner() == 'b'
    finally:
        assert view.pop() == 'b' and view.pop() == 'a'
    with pytest.raises(IndexError):
        view.pop()


def test_failing_constructions_leave_the_stack_empty():
    class BadInit(bt.Strategy):
        def __init__(self):
            bt.ind.SMA(period=3)
            raise RuntimeError('bad init')

    cerebro = bt.Cerebro()
    cerebro.adddata(feed(0))
    cerebro.addstrategy(BadInit)
    with pytest.raises(RuntimeError, match='bad init'):
        cerebro.run()
    assert metabase.owners() == ()
    with pytest.raises(ValueError):
        with metabase.constructing('x'):
            raise ValueError
    assert metabase.owners() == ()


def test_gc_settings_restored_by_the_last_of_overlapping_runs():
    """Run A starts, run B starts and ends, A still runs with the raised
    threshold; when A ends the original settings are back."""
    original = gc.get_threshold()
    a_running, b_done, a_go = threading.Event(), threading.Event(), threading.Event()
    during_a: list = []

    class Waits(bt.Strategy):
        def next(self):
            if len(self) == 5:
                a_running.set()
                a_go.wait(30)
                during_a.append((gc.get_threshold()[0], gctune.active_runs()))

    def run_a():
        cerebro = bt.Cerebro(runonce=False)
        cerebro.adddata(feed(0))
        cerebro.addstrategy(Waits)
        cerebro.run()

    ta = threading.Thread(target=run_a)
    ta.start()
    try:
        assert a_running.wait(30)
        assert gc.get_threshold()[0] == max(original[0], 20000)
        one_run(1)  # run B, start to end, while A is inside its run
        b_done.set()
        assert gc.get_threshold()[0] == max(original[0], 20000)  # A still running
        assert gctune.active_runs() == 1
    finally:
        a_go.set()
        ta.join(60)
    assert during_a == [(max(original[0], 20000), 1)]
    assert gc.get_threshold() == original and gctune.active_runs() == 0


def test_gc_settings_restored_after_a_failing_run():
    original = gc.get_threshold()

    class Boom(bt.Strategy):
        def next(self):
            raise RuntimeError('boom')

    cerebro = bt.Cerebro()
    cerebro.adddata(feed(0))
    cerebro.addstrategy(Boom)
    with pytest.raises(RuntimeError, match='boom'):
        cerebro.run()
    assert gc.get_threshold() == original and gctune.active_runs() == 0


# -- Dask: a threaded worker runs several backtests at once -------------------------

distributed = pytest.importorskip('distributed', reason='dask.distributed (extra "dist") '
                                  'is not installed')


@pytest.fixture(scope='module')
def threaded_client():
    # in-process worker (inproc:// transport, no ports): its threads share our interpreter
    with distributed.LocalCluster(n_workers=1, threads_per_worker=3, processes=False,
                                  dashboard_address=None) as lc:
        with distributed.Client(lc, set_as_default=False) as client:
            yield client


def test_dask_threaded_worker_independent_backtests(threaded_client):
    runs = list(range(6))
    serial = [one_run(i, runonce=bool(i % 2)) for i in runs]
    with frequent_switches(1e-5):
        futures = threaded_client.map(lambda i: (one_run(i, runonce=bool(i % 2)),
                                                 threading.get_ident()), runs, pure=False)
        got = threaded_client.gather(futures)
    assert [r for r, _ in got] == serial
    assert len({tid for _, tid in got}) > 1  # several worker threads took part


def test_dask_threaded_worker_optstrategy(threaded_client):
    from test_optimize import make_cerebro, summary
    grid = dict(fast=[5, 10, 15], slow=[20, 30])
    serial = summary(make_cerebro(bt, grid=grid, maxcpus=1).run())
    with frequent_switches(1e-5):
        got = summary(make_cerebro(bt, grid=grid, executor=threaded_client).run())
    assert got == serial and len(got) == 6
