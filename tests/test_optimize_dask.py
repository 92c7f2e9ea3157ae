"""optstrategy on a real Dask cluster (LocalCluster: 2 worker processes on 127.0.0.1)."""
from __future__ import annotations

import time

import pytest

import backtrader_ib
from backtrader_ib.optimize import DaskCluster, RunError

distributed = pytest.importorskip('distributed', reason='dask.distributed (extra "dist") '
                                  'is not installed')

from test_optimize import (Fails, ModuleSmaCross, make_cerebro,  # noqa: E402
                           reference_summary, summary)


@pytest.fixture(scope='module')
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host='127.0.0.1', dashboard_address=None) as lc:
        with distributed.Client(lc, set_as_default=False) as client:
            yield client


@pytest.mark.parametrize('by', ['client', 'address'])
def test_same_results_as_backtrader_and_streamed_as_completed(cluster, by):
    executor = cluster if by == 'client' else cluster.scheduler.address
    calls = []
    cerebro = make_cerebro(backtrader_ib, executor=executor)
    cerebro.optcallback(calls.append)
    results = cerebro.run()
    assert summary(results) == reference_summary()  # grid order, whatever finished first
    assert sorted(map(id, calls)) == sorted(map(id, (r for r in results)))
    pids = {r[0].analyzers.tally.get_analysis()['pid'] for r in results}
    assert len(pids) == 2  # both workers ran some
    # the workers dropped their copies of the engine when the sweep ended
    assert list(cluster.run(_jobs_held).values()) == [0, 0]


def _jobs_held() -> int:
    from backtrader_ib.optimize import cluster
    return len(cluster._jobs)


def test_small_window_module_class_and_file(cluster, tmp_path):
    grid = dict(period=[7, 15, 30, 45])
    serial = make_cerebro(backtrader_ib, ModuleSmaCross, grid, maxcpus=1).run()
    out = tmp_path / 'runs.jsonl'
    dask = make_cerebro(backtrader_ib, ModuleSmaCross, grid,
                        executor=DaskCluster(cluster, window=1, output=out)).run()
    assert summary(dask) == summary(serial)
    assert len(out.read_text().splitlines()) == 4


def test_a_failing_run_names_its_params(cluster):
    cerebro = make_cerebro(backtrader_ib, Fails, dict(at=[10**6, 50]), executor=cluster)
    with pytest.raises(RunError, match=r'run 1 \(Fails\(at=50\)\) failed: '
                                       r'ZeroDivisionError: boom at bar 50'):
        cerebro.run()


def test_unreachable_scheduler_fails_quickly():
    cerebro = make_cerebro(backtrader_ib, grid=dict(fast=[5], slow=[20]),
                           executor=DaskCluster('tcp://127.0.0.1:1', timeout=1))
    start = time.monotonic()
    with pytest.raises(ConnectionError, match=r"cannot reach the Dask scheduler at "
                                              r"'tcp://127\.0\.0\.1:1' within 1 s"):
        cerebro.run()
    assert time.monotonic() - start < 10


def test_grid_is_checked_before_contacting_the_cluster():
    # no scheduler at that address: the grid error must come first
    cerebro = make_cerebro(backtrader_ib, grid=dict(fast=[5], slwo=[20]),
                           executor='tcp://127.0.0.1:1')
    with pytest.raises(TypeError, match="SmaCross has no parameter 'slwo'"):
        cerebro.run()
