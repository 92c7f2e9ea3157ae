"""Ticks that share a time stamp, resampled and replayed: the precomputed plan
against the bar-by-bar filters and backtrader 1.9.78.123 (GenericCSVData's
tick layout on the same file). Equal stamps are late data to the filters
(a tick at or before the bar the feed shows last): takelate folds them into
the bar being built, takelate=False drops them; the plan models both."""
from __future__ import annotations

import datetime

import numpy as np
import pytest

import backtrader_ib
from backtrader_ib import resample_vec
import test_replay_vec
from test_resample_vec import _three_ways, trader

T0 = datetime.datetime(2024, 1, 2, 14, 58, 0)


def _write(path, seconds: list, seed: int = 5) -> str:
    """A TRADES tick file (datetime,price,size) at T0 + ``seconds``; a zero
    openinterest column for backtrader's CSV feed (IBTickData's is 0)."""
    rng = np.random.default_rng(seed)
    price = np.round(100 + np.cumsum(rng.normal(0, 0.02, len(seconds))), 2)
    size = rng.integers(1, 500, len(seconds))
    with open(path, 'w') as f:
        f.write('datetime,price,size,openinterest\n')
        for s, p, v in zip(seconds, price.tolist(), size.tolist()):
            stamp = T0 + datetime.timedelta(seconds=int(s))
            f.write(f'{stamp:%Y-%m-%d %H:%M:%S},{p},{v},0\n')
    return str(path)


def shared_seconds(n: int = 1500, seed: int = 11) -> list:
    """Whole-second stamps, several ticks a second at times, runs of ticks
    on minute edges (and on 15:00, a session end in some tests), gaps."""
    rng = np.random.default_rng(seed)
    steps = rng.choice([0, 1, 2, 3, 60, 301, 20000], size=n,
                       p=[.35, .3, .2, .1, .035, .01, .005])
    secs = np.cumsum(steps)
    out = []
    for s in secs.tolist():
        out.append(s)
        if s % 60 == 58 and rng.random() < 0.5:  # a run on the next edge
            out += [s + 2] * int(rng.integers(1, 4))
    return sorted(out)


@pytest.fixture(scope='module')
def tickfile(tmp_path_factory):
    secs = [0, 0, 0, 1, 5, 5, 59, 60, 60, 60, 61, 61, 119, 120, 125, 125, 125, 150, 150, 179,
            181, 181, 240, 240, 300, 300, 301,  # edges, runs on an edge, shared seconds
            360, 360, 360, 430, 480, 480, 600, 600, 601]  # a bar of late ticks only
    secs += [s + 605 for s in shared_seconds()]
    return _write(tmp_path_factory.mktemp('ticks') / 'ticks.csv', secs)


def feed(bt, path, **kw):
    if bt is backtrader_ib:
        return bt.feeds.IBTickCSVData(dataname=path, **kw)
    return bt.feeds.GenericCSVData(dataname=path, dtformat='%Y-%m-%d %H:%M:%S',
                                   timeframe=bt.TimeFrame.Ticks, datetime=0, time=-1,
                                   open=1, high=1, low=1, close=1, volume=2,
                                   openinterest=3, **kw)


TARGETS = [('Minutes', 1, {}), ('Minutes', 5, {}), ('Seconds', 1, {}), ('Seconds', 5, {}),
           ('Minutes', 1, dict(takelate=False)), ('Minutes', 5, dict(takelate=False)),
           ('Seconds', 5, dict(takelate=False)), ('Minutes', 1, dict(adjbartime=False)),
           ('Minutes', 5, dict(rightedge=False, boundoff=1))]
IDS = [f'{tf}{c}-' + (','.join(f'{k}={v}' for k, v in kw.items()) or 'default')
       for tf, c, kw in TARGETS]


@pytest.mark.parametrize('way', ['resample', 'resample+source'])
@pytest.mark.parametrize('tf,comp,kw', TARGETS, ids=IDS)
def test_resample_ticks(monkeypatch, tickfile, way, tf, comp, kw):
    def setup(bt, c):
        data = feed(bt, tickfile)
        if way == 'resample+source':
            c.adddata(data)
        c.resampledata(data, timeframe=getattr(bt.TimeFrame, tf), compression=comp, **kw)
    # orders on the first data (ticks or bars), an SMA/EMA cross on the bars
    _three_ways(setup, {}, monkeypatch, strat=trader)


@pytest.mark.parametrize('kw', [{}, dict(takelate=False)], ids=str)
def test_two_resampled_copies(monkeypatch, tickfile, kw):
    """The source and two resampled copies: the preloaded run's steps come from
    the source's ticks, several at one time."""
    def setup(bt, c):
        data = feed(bt, tickfile)
        c.adddata(data)
        c.resampledata(data, timeframe=bt.TimeFrame.Minutes, **kw)
        c.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=5, **kw)
    _three_ways(setup, {}, monkeypatch, strat=trader)


@pytest.mark.parametrize('mode', [dict(runonce=False), dict(preload=False), dict(exactbars=1)],
                         ids=str)
def test_resample_ticks_modes(monkeypatch, tickfile, mode):
    _three_ways(lambda bt, c: c.resampledata(feed(bt, tickfile), timeframe=bt.TimeFrame.Minutes,
                                             compression=1), mode, monkeypatch, strat=trader)


@pytest.mark.parametrize('kw', [{}, dict(takelate=False)], ids=str)
@pytest.mark.parametrize('tf,comp,end', [('Minutes', 1, (15, 0)), ('Minutes', 5, (15, 0)),
                                         ('Seconds', 5, (15, 0)), ('Minutes', 1, (15, 0, 30)),
                                         ('Minutes', 5, (15, 0, 30))], ids=str)
def test_session_end_on_shared_stamps(monkeypatch, tickfile, tf, comp, end, kw):
    """The session ends at 15:00:00 or 15:00:30 (several ticks stamped then;
    the second off the minute edges), and again each day; ticks go on past it."""
    _three_ways(lambda bt, c: c.resampledata(feed(bt, tickfile, sessionend=datetime.time(*end)),
                                             timeframe=getattr(bt.TimeFrame, tf),
                                             compression=comp, **kw), {}, monkeypatch)


@pytest.mark.parametrize('kw', [{}, dict(takelate=False)], ids=str)
def test_session_end_with_the_source(monkeypatch, tickfile, kw):
    def setup(bt, c):
        data = feed(bt, tickfile, sessionend=datetime.time(15, 0))
        c.adddata(data)
        c.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=5, **kw)
    _three_ways(setup, {}, monkeypatch)


def test_days_from_ticks(monkeypatch, tickfile):
    # the last daily bar is stamped at its own session end (docs/differences.md)
    _three_ways(lambda bt, c: c.resampledata(feed(bt, tickfile, sessionend=datetime.time(15, 0)),
                                             timeframe=bt.TimeFrame.Days), {}, monkeypatch,
                lastbar_at_eos=True)


@pytest.mark.parametrize('kw', [{}, dict(takelate=False), dict(sessionend=datetime.time(15, 0)),
                                dict(takelate=False, sessionend=datetime.time(15, 0))], ids=str)
@pytest.mark.parametrize('tf,comp', [('Minutes', 1), ('Minutes', 5), ('Seconds', 5)])
def test_replay_ticks(monkeypatch, tickfile, tf, comp, kw):
    """Replayed, every tick sharing the shown bar's second is late: with
    takelate the shown time creeps by 1e-6 days a tick, as in backtrader."""
    feedkw = {k: kw.pop(k) for k in list(kw) if k == 'sessionend'}
    test_replay_vec._three_ways(
        lambda bt, c: c.replaydata(feed(bt, tickfile, **feedkw),
                                   timeframe=getattr(bt.TimeFrame, tf), compression=comp, **kw),
        {}, monkeypatch)


@pytest.mark.parametrize('kw', [{}, dict(takelate=False)], ids=str)
@pytest.mark.parametrize('mode', [dict(runonce=False), dict(preload=False)], ids=str)
def test_replay_ticks_modes(monkeypatch, tickfile, mode, kw):
    test_replay_vec._three_ways(
        lambda bt, c: c.replaydata(feed(bt, tickfile), timeframe=bt.TimeFrame.Minutes, **kw),
        mode, monkeypatch)


def test_the_plan_is_used_for_shared_stamps(monkeypatch, tickfile):
    """No silent fallback to the bar-by-bar path: the plan is made, the run is
    preloaded from it, and some ticks really share a stamp."""
    monkeypatch.delenv('BTIB_GENERAL_PATH', raising=False)
    bt = backtrader_ib
    cerebro = bt.Cerebro(stdstats=False)
    data = feed(bt, tickfile)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes)
    cerebro.addstrategy(bt.Strategy)
    cerebro.run()
    res = data._filters[0][0]
    assert resample_vec.unsupported(res, data) is None
    assert isinstance(res._plan, resample_vec.ResamplePlan)
    assert res._plan.nextbar == len(res._plan.bars) == len(data)
    srcdt = np.asarray(res._plan.srcdt)
    assert (np.diff(srcdt) == 0).sum() > 100
    assert cerebro._runplan.loop == 'runonce_lean'  # vectorised, one data, lean strategy


def _columns(data) -> dict:
    data._start()
    return {k: np.asarray(v) for k, v in data._src.items()}


@pytest.mark.parametrize('stamp', ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S+00:00'])
def test_tick_csv_read_by_arrow_as_by_pandas(tmp_path, monkeypatch, stamp):
    """The pyarrow reader (no Python object per row) gives the columns the
    pandas reader gives, to the bit; times with a UTC offset too."""
    pytest.importorskip('pyarrow')
    path = tmp_path / 'ticks.csv'
    rng = np.random.default_rng(2)
    secs = np.cumsum(rng.integers(0, 3, 5000))
    with open(path, 'w') as f:
        f.write('datetime,price,size\n')
        for s, p in zip(secs.tolist(), rng.normal(100, 1, len(secs)).round(2).tolist()):
            f.write(f'{T0 + datetime.timedelta(seconds=s):{stamp}},{p},{s % 7 + 1}\n')
    fast = backtrader_ib.feeds.IBTickCSVData(dataname=str(path))
    assert fast._arrow_columns() is not None
    monkeypatch.setattr(backtrader_ib.feeds.IBTickCSVData, '_arrow_columns', lambda self: None)
    slow = _columns(backtrader_ib.feeds.IBTickCSVData(dataname=str(path)))
    monkeypatch.undo()
    fast = _columns(fast)
    assert fast.keys() == slow.keys()
    for k in fast:
        np.testing.assert_array_equal(fast[k], slow[k])
    assert fast['datetime'][0] == backtrader_ib.date2num(T0 + datetime.timedelta(seconds=int(secs[0])))


def test_bad_value_deep_in_a_tick_file_is_named(tmp_path):
    """pyarrow types a column from its first block: a bad value further on
    goes to the pandas reader, which names the row."""
    path = tmp_path / 'ticks.csv'
    n = 120_000
    with open(path, 'w') as f:
        f.write('datetime,price,size\n')
        for i in range(n):
            price = 'x' if i == n - 10 else '100.5'
            f.write(f'{T0 + datetime.timedelta(seconds=i):%Y-%m-%d %H:%M:%S},{price},1\n')
    data = backtrader_ib.feeds.IBTickCSVData(dataname=str(path))
    with pytest.raises(ValueError, match=rf"row {n - 10 + 2}: price value 'x' is not a number"):
        data._start()


def test_integer_prices_first_then_fractions(tmp_path):
    """Whole prices (written as '100') for a whole first block, fractions later:
    still read by pyarrow, as floats."""
    pytest.importorskip('pyarrow')
    path = tmp_path / 'ticks.csv'
    n = 100_000
    with open(path, 'w') as f:
        f.write('datetime,price,size\n')
        for i in range(n):
            price = '100.25' if i > n - 5 else '100'
            f.write(f'{T0 + datetime.timedelta(seconds=i):%Y-%m-%d %H:%M:%S},{price},1\n')
    data = backtrader_ib.feeds.IBTickCSVData(dataname=str(path))
    cols = data._arrow_columns()
    assert cols is not None and cols['price'].dtype == np.float64
    assert cols['price'][-1] == 100.25 and cols['price'][0] == 100.0


@pytest.mark.parametrize('kw', [{}, dict(takelate=False)], ids=str)
def test_the_replay_plan_is_used_for_shared_stamps(monkeypatch, tickfile, kw):
    monkeypatch.delenv('BTIB_GENERAL_PATH', raising=False)
    bt = backtrader_ib
    cerebro = bt.Cerebro(stdstats=False)
    data = feed(bt, tickfile)
    cerebro.replaydata(data, timeframe=bt.TimeFrame.Minutes, **kw)
    cerebro.addstrategy(bt.Strategy)
    cerebro.run()
    rep = data._filters[0][0]
    assert resample_vec.replay_unsupported(rep, data) is None
    assert isinstance(rep._plan, resample_vec.ReplayPlan)
    assert (rep._plan.dropped is not None) == ('takelate' in kw)
