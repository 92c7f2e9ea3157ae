"""optstrategy on one process and on a local process pool, against backtrader.

The grid is an SMA crossover over the shipped ORCL data (1995-2014) with
every analyzer both packages have; backtrader runs with maxcpus=1 (its results
do not depend on maxcpus, and one process is faster to start).
"""
from __future__ import annotations

import functools
import json
import os
import pickle
import subprocess
import sys
import textwrap
import threading

import pytest

import backtrader_ib
from backtrader_ib import datas as shipped
from backtrader_ib.optimize import ProcessPool, RunError, Serial, ShippingError, read_results
from difftools import num, reference

GRID = dict(fast=[5, 10], slow=[20, 30, 40])
ANALYZERS = ('SQN', 'TimeReturn', 'TradeAnalyzer', 'DrawDown', 'SharpeRatio', 'Returns',
             'AnnualReturn', 'VWR')  # those both packages have are used


def make_strategy(bt):
    """The SMA crossover, a class local to this function (so pickled by value)."""
    class SmaCross(bt.Strategy):
        params = (('fast', 10), ('slow', 30), ('stake', 10))

        def __init__(self):
            fast, slow = bt.ind.SMA(period=self.p.fast), bt.ind.SMA(period=self.p.slow)
            self.cross = bt.ind.CrossOver(fast, slow)

        def next(self):
            if not self.position:
                if self.cross > 0:
                    self.buy(size=self.p.stake)
            elif self.cross < 0:
                self.close()
    return SmaCross


def make_analyzer(bt):
    """A user analyzer: bars seen and the final value."""
    class Tally(bt.Analyzer):
        def create_analysis(self):
            self.rets = {'bars': 0, 'value': None, 'pid': None}

        def next(self):
            self.rets['bars'] += 1

        def stop(self):
            self.rets['value'] = self.strategy.broker.getvalue()
            self.rets['pid'] = os.getpid()
    return Tally


def add_analyzers(bt, cerebro) -> None:
    for name in ANALYZERS:
        if hasattr(backtrader_ib.analyzers, name):
            kwargs = {'timeframe': bt.TimeFrame.Years} if name == 'TimeReturn' else {}
            cerebro.addanalyzer(getattr(bt.analyzers, name), **kwargs)
    cerebro.addanalyzer(make_analyzer(bt), _name='tally')


def make_cerebro(bt, strategy=None, grid=None, **kwargs):
    cerebro = bt.Cerebro(**kwargs)
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=shipped.path('orcl-1995-2014.csv')))
    cerebro.optstrategy(strategy or make_strategy(bt), **(grid or GRID))
    add_analyzers(bt, cerebro)
    return cerebro


def plain(value):
    """Analyses as plain comparable data (numbers normalised, NaN as 'nan')."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != 'pid'}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return num(value)


def summary(results) -> list:
    """Each run: (params, {analyzer name: analysis})."""
    out = []
    for run in results:
        assert len(run) == 1
        item = run[0]
        analyses = {name: plain(a.get_analysis()) for name, a in item.analyzers.getitems()}
        out.append((dict(item.params._getkwargs()), analyses))
    return out


@functools.lru_cache(maxsize=None)
def reference_summary(optreturn: bool = True) -> list:
    bt = reference()
    return summary(make_cerebro(bt, maxcpus=1, optreturn=optreturn).run())


def run_ours(**kwargs):
    calls = []
    cerebro = make_cerebro(backtrader_ib, **kwargs)
    cerebro.optcallback(calls.append)
    results = cerebro.run()
    return results, calls


@pytest.mark.parametrize('optreturn', [True, False])
@pytest.mark.parametrize('how', ['serial', 'pool'])
def test_same_results_as_backtrader(how, optreturn):
    ref = reference_summary(optreturn)
    kwargs = dict(maxcpus=1) if how == 'serial' else dict(maxcpus=2)
    results, calls = run_ours(optreturn=optreturn, **kwargs)
    assert summary(results) == ref
    assert len(ref) == 6 and ref[0][1]['sqn']['trades'] > 0  # the grid really trades
    # callbacks get every run, in grid order (as backtrader's pool.imap)
    assert [id(c) for c in calls] == [id(r) for r in results]
    if optreturn:
        assert all(type(r[0]).__name__ == 'OptReturn' for r in results)
        assert results[0][0].analyzers.sqn.strategy is None  # detached from the engine
    else:
        assert all(isinstance(r[0], backtrader_ib.Strategy) for r in results)
        assert len(results[0][0]) == len(results[0][0].data)


def test_optdatas_off_and_spawned_workers_give_the_same_results():
    ref = reference_summary()
    results, _ = run_ours(optdatas=False, executor=ProcessPool(2, start_method='spawn'))
    assert summary(results) == ref


def test_worker_recycling_and_one_load_per_worker():
    # maxtasksperchild=1: every run in a fresh worker, still the same numbers
    results, _ = run_ours(executor=ProcessPool(2, maxtasksperchild=1))
    assert summary(results) == reference_summary()
    pids = {r[0].analyzers.tally.get_analysis()['pid'] for r in results}
    assert len(pids) == 6 and os.getpid() not in pids


class ModuleSmaCross(backtrader_ib.Strategy):
    """A strategy defined at module level in the test module (pickled by name)."""
    params = (('period', 10),)

    def __init__(self):
        self.sma = backtrader_ib.ind.SMA(period=self.p.period)

    def next(self):
        if not self.position and self.data.close[0] > self.sma[0]:
            self.buy()
        elif self.position and self.data.close[0] < self.sma[0]:
            self.close()


def test_module_level_strategy_on_the_pool_matches_serial():
    grid = dict(period=[7, 15, 30])
    serial = make_cerebro(backtrader_ib, ModuleSmaCross, grid, maxcpus=1).run()
    pooled = make_cerebro(backtrader_ib, ModuleSmaCross, grid, executor='process',
                          maxcpus=2).run()
    assert summary(pooled) == summary(serial)
    assert [r[0].params.period for r in pooled] == [7, 15, 30]


MAIN_SCRIPT = '''
import backtrader_ib as bt
from backtrader_ib import datas
from backtrader_ib.optimize import ProcessPool


class MainCross(bt.Strategy):
    params = (('fast', 5), ('slow', 20))

    def __init__(self):
        self.x = bt.ind.CrossOver(bt.ind.SMA(period=self.p.fast), bt.ind.SMA(period=self.p.slow))

    def next(self):
        if not self.position and self.x > 0:
            self.buy()
        elif self.position and self.x < 0:
            self.close()


class Trades(bt.Analyzer):
    def create_analysis(self):
        self.rets = {'closed': 0}

    def notify_trade(self, trade):
        self.rets['closed'] += trade.isclosed


def sweep(executor):
    cerebro = bt.Cerebro(executor=executor)
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=datas.path('orcl-1995-2014.csv')))
    cerebro.optstrategy(MainCross, fast=[5, 10], slow=[30, 50])
    cerebro.addanalyzer(Trades)
    return [(r[0].p.fast, r[0].p.slow, r[0].analyzers.trades.get_analysis()['closed'])
            for r in cerebro.run()]


if __name__ == '__main__':
    serial = sweep('serial')
    spawned = sweep(ProcessPool(2, start_method='spawn'))
    assert serial == spawned, (serial, spawned)
    assert all(closed > 0 for _, _, closed in serial), serial
    print('OK', serial)
'''


def test_strategy_and_analyzer_defined_in_main_script(tmp_path):
    """Classes in ``__main__`` reach spawned workers (no import by name there)."""
    script = tmp_path / 'sweep_main.py'
    script.write_text(textwrap.dedent(MAIN_SCRIPT))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(backtrader_ib.__file__)),
         os.environ.get('PYTHONPATH', '')]))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith('OK')


def test_streaming_to_callbacks_and_files_without_keeping(tmp_path):
    ref = reference_summary()
    for name in ('runs.pkl', 'runs.jsonl'):
        seen = []
        out = tmp_path / name
        cerebro = make_cerebro(backtrader_ib, executor=ProcessPool(2, keep=False, output=out))
        cerebro.optcallback(lambda run: seen.append(summary([run])[0]))
        assert cerebro.run() == []  # nothing kept in memory
        assert seen == ref
        if name.endswith('.pkl'):
            records = list(read_results(out))
            assert [i for i, _ in records] == list(range(6))
            assert summary([run for _, run in records]) == ref
        else:
            lines = [json.loads(line) for line in out.read_text().splitlines()]
            assert [line['run'] for line in lines] == list(range(6))
            first = lines[0]['strategies'][0]
            assert first['strategy'] == 'SmaCross'
            assert first['params'] == {'fast': 5, 'slow': 20, 'stake': 10}
            assert first['analyzers']['sqn'] == pytest.approx(ref[0][1]['sqn'])


def test_serial_streams_to_a_file_too(tmp_path):
    out = tmp_path / 'serial.pkl'
    results = make_cerebro(backtrader_ib, executor=Serial(output=out)).run()
    assert summary(results) == reference_summary()
    assert summary([run for _, run in read_results(out)]) == summary(results)


def test_progress_bar_shows_count_and_rate(capsys):
    pytest.importorskip('tqdm')
    make_cerebro(backtrader_ib, grid=dict(fast=[5], slow=[20, 30]),
                 executor=Serial(progress=True)).run()
    err = capsys.readouterr().err
    assert '2/2' in err and 'run/s' in err
    make_cerebro(backtrader_ib, grid=dict(fast=[5], slow=[20, 30]),
                 executor=Serial(progress=False)).run()
    assert capsys.readouterr().err == ''


# -- bad input ---------------------------------------------------------------

def _no_workers(monkeypatch):
    """Make starting a pool fail loudly: errors must come before any worker."""
    import multiprocessing

    def refuse(*args, **kwargs):
        raise AssertionError('a worker pool was started')
    monkeypatch.setattr(multiprocessing, 'get_context', refuse)


def test_unpicklable_strategy_param_is_named(tmp_path, monkeypatch):
    _no_workers(monkeypatch)
    with open(tmp_path / 'log.txt', 'w') as fh:
        cerebro = make_cerebro(backtrader_ib, grid=dict(fast=[5, 10]), maxcpus=2)
        cerebro.optstrategy(ModuleLogger, fh=[fh])
        with pytest.raises(ShippingError, match=r"strategy ModuleLogger param 'fh' "
                                                r"\(an open file '.*log.txt'\) cannot be sent"):
            cerebro.run()


class ModuleLogger(backtrader_ib.Strategy):
    params = (('fh', None),)

    def stop(self):
        self.p.fh.write(f'{len(self)}\n')


def test_unpicklable_param_works_in_one_process(tmp_path):
    with open(tmp_path / 'log.txt', 'w') as fh:
        cerebro = make_cerebro(backtrader_ib, grid=dict(fast=[5]), maxcpus=1)
        cerebro.optstrategy(ModuleLogger, fh=[fh])
        assert len(cerebro.run()) == 1
    assert (tmp_path / 'log.txt').read_text().strip() == '5036'


def test_unpicklable_engine_part_is_named(monkeypatch):
    _no_workers(monkeypatch)
    cerebro = make_cerebro(backtrader_ib, grid=dict(fast=[5, 10]), maxcpus=2)
    cerebro.addanalyzer(HoldsLock, lock=threading.Lock())
    with pytest.raises(ShippingError, match=r"cerebro\.analyzers\[\d+\]\[2\]\['lock'\] "
                                            r"\(a lock\) cannot be sent"):
        cerebro.run()


class HoldsLock(backtrader_ib.Analyzer):
    params = (('lock', None),)


def test_empty_grid_is_an_error_when_given(monkeypatch):
    _no_workers(monkeypatch)
    with pytest.raises(ValueError, match=r'optstrategy\(SmaCross\): slow= is an empty list'):
        make_cerebro(backtrader_ib, grid=dict(fast=[5], slow=[]), maxcpus=2)


def test_unknown_param_is_named_before_any_worker(monkeypatch):
    _no_workers(monkeypatch)
    cerebro = make_cerebro(backtrader_ib, grid=dict(fast=[5], slwo=[20, 30]), maxcpus=2)
    with pytest.raises(TypeError, match=r"SmaCross has no parameter 'slwo'; its valid "
                                        r"params are: fast, slow, stake"):
        cerebro.run()


class Fails(backtrader_ib.Strategy):
    params = (('at', 100),)

    def next(self):
        if len(self) == self.p.at:
            raise ZeroDivisionError(f'boom at bar {len(self)}')


def test_a_failing_run_names_its_params():
    cerebro = make_cerebro(backtrader_ib, Fails, dict(at=[10**6, 50]), maxcpus=2)
    with pytest.raises(RunError, match=r'run 1 \(Fails\(at=50\)\) failed: '
                                       r'ZeroDivisionError: boom at bar 50'):
        cerebro.run()


@pytest.mark.parametrize('value, error', [('proces', ValueError), (3.5, TypeError)])
def test_bad_executor_values(value, error):
    cerebro = make_cerebro(backtrader_ib, grid=dict(fast=[5]), executor=value)
    with pytest.raises(error, match='executor'):
        cerebro.run()


def test_results_pickle_small():
    """An OptReturn carries the analysis, not the engine and its data."""
    results, _ = run_ours(maxcpus=1)
    from backtrader_ib.optimize import shipping
    # the ORCL data alone pickle to ~3 MB; the analyses (VWR keeps two floats
    # per bar, as backtrader's does) to ~0.1 MB
    assert len(shipping.dumps(results[0])) < 300_000
    assert pickle.loads(shipping.dumps(results[0]))[0].params.fast == 5


def test_executor_choice_follows_backtraders_maxcpus_rule():
    from backtrader_ib.optimize import DaskCluster, make_executor
    assert type(make_executor(None, 1)) is Serial
    for maxcpus in (None, 0):  # backtrader: Pool(maxcpus or None), one worker per CPU
        pool = make_executor(None, maxcpus)
        assert type(pool) is ProcessPool and pool.processes is None
    assert make_executor('process', 3).processes == 3
    assert type(make_executor('serial', 4)) is Serial
    mine = ProcessPool(2, keep=False)
    assert make_executor(mine, 1) is mine
    dask = make_executor('tcp://127.0.0.1:8786')
    assert type(dask) is DaskCluster and dask.client == 'tcp://127.0.0.1:8786'


def test_runs_leave_the_data_timeline_as_they_found_it():
    """Each run's indicator lines are dropped from the (shared, preloaded) data's
    timeline after the run, so memory does not grow with the number of runs."""
    cerebro = make_cerebro(backtrader_ib, grid=dict(fast=[5, 6, 7], slow=[20]), maxcpus=1)
    data = cerebro.datas[0]
    own = list(data._tl.buffers)
    seen = []
    cerebro.optcallback(lambda run: seen.append(len(data._tl.buffers)))
    cerebro.run()
    assert seen == [len(own)] * 3 and data._tl.buffers == own


def test_without_cloudpickle_the_default_runs_serially_and_says_so(monkeypatch):
    from backtrader_ib.optimize import make_executor, shipping
    monkeypatch.setattr(shipping, 'cloudpickle', None)
    with pytest.warns(UserWarning, match=r'cloudpickle is not installed.*backtrader_ib\[dist\]'):
        assert type(make_executor(None, 2)) is Serial
    with pytest.raises(ImportError, match=r'needs cloudpickle: pip install "backtrader_ib\[dist\]"'):
        make_cerebro(backtrader_ib, grid=dict(fast=[5]), executor='process').run()
