"""Precomputed (vectorised) resampling against the bar-by-bar resampler and
backtrader 1.9.78.123: the same bars, lengths and times at every ``next``, in
every mode, and the bar-by-bar path wherever the plan does not apply."""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

import backtrader_ib
from backtrader_ib import resample_vec
from difftools import assert_same_events, reference
from test_resample import _bars, _last_daily_bar_fixed, min1, min5

MODES = {'default': {}, 'runonce=False': dict(runonce=False), 'exactbars=1': dict(exactbars=1),
         'preload=False': dict(preload=False)}
WAYS = {
    'resample': lambda c, d, **kw: c.resampledata(d, **kw),
    'resample+source': lambda c, d, **kw: (c.adddata(d), c.resampledata(d, **kw)),
    'two copies': lambda c, d, **kw: (c.adddata(d), c.resampledata(d, **kw),
                                      c.resampledata(d, timeframe=kw['timeframe'],
                                                     compression=2 * kw.get('compression', 1))),
}


def _plans(cerebro) -> list:
    return [getattr(f, '_plan', None) for d in cerebro.datas for f, _, _ in d._filters]


def _run(bt, setup, mode, monkeypatch=None, general=False, strat=None):
    """Bars seen by next; with backtrader_ib also whether plans were used."""
    if monkeypatch is not None:
        if general:
            monkeypatch.setenv('BTIB_GENERAL_PATH', '1')
        else:
            monkeypatch.delenv('BTIB_GENERAL_PATH', raising=False)
    used = []

    def wrapped(bt_, cerebro):
        setup(bt_, cerebro)
        if bt_ is backtrader_ib:
            used.append(cerebro)

    events = _bars(bt, wrapped, strat, **mode)
    plans = [p is not None for c in used for p in _plans(c)]
    _run.loops = [c._runplan.loop for c in used]
    return events, plans


def _three_ways(setup, mode, monkeypatch, expect_plan=True, lastbar_at_eos=False, strat=None):
    vec, plans = _run(backtrader_ib, setup, mode, monkeypatch, strat=strat)
    _three_ways.loops = _run.loops  # the loop of the planned run
    gen, gplans = _run(backtrader_ib, setup, mode, monkeypatch, general=True, strat=strat)
    monkeypatch.delenv('BTIB_GENERAL_PATH', raising=False)
    assert plans and all(plans) == expect_plan and not any(gplans)
    assert len(vec) > 0
    assert_same_events(gen, vec)
    ref = _bars(reference(), setup, strat, **mode)
    if lastbar_at_eos:  # a documented difference (docs/differences.md)
        ref, vec = _last_daily_bar_fixed(ref, vec)
    assert_same_events(ref, vec)


EDGES = [{}, dict(adjbartime=False), dict(rightedge=False), dict(boundoff=1),
         dict(boundoff=7, rightedge=False)]


@pytest.mark.parametrize('way', WAYS)
@pytest.mark.parametrize('kw', EDGES, ids=lambda kw: ','.join(f'{k}={v}' for k, v in kw.items()) or 'default')
@pytest.mark.parametrize('comp', [10, 60])
def test_five_minute_file(monkeypatch, way, kw, comp):
    _three_ways(lambda bt, c: WAYS[way](c, min5(bt), timeframe=bt.TimeFrame.Minutes,
                                        compression=comp, **kw), {}, monkeypatch)


@pytest.mark.parametrize('mode', MODES)
@pytest.mark.parametrize('way', ['resample', 'two copies'])
def test_modes(monkeypatch, mode, way):
    _three_ways(lambda bt, c: WAYS[way](c, min5(bt), timeframe=bt.TimeFrame.Minutes,
                                        compression=15), MODES[mode], monkeypatch)


@pytest.mark.parametrize('way', WAYS)
@pytest.mark.parametrize('kw', EDGES[:3], ids=lambda kw: ','.join(f'{k}={v}' for k, v in kw.items()) or 'default')
@pytest.mark.parametrize('comp', [2, 7, 15, 60])
def test_one_minute_file(monkeypatch, way, kw, comp):
    # three sessions (~2,300 bars) of the file: every edge case recurs daily, and the
    # whole file (31k bars) three times per case made this the suite's slowest test
    week = datetime.datetime(2006, 1, 5)
    _three_ways(lambda bt, c: WAYS[way](c, min1(bt, todate=week), timeframe=bt.TimeFrame.Minutes,
                                        compression=comp, **kw), {}, monkeypatch)


@pytest.mark.parametrize('sessionend', [datetime.time(11, 0), datetime.time(12, 2),
                                        datetime.time(17, 15)])
@pytest.mark.parametrize('way', ['resample', 'resample+source'])
def test_session_ends(monkeypatch, sessionend, way):
    """A bar at the session end closes the bar; a later one closes it stamped
    at the session end (the resampler's path-dependent session state)."""
    _three_ways(lambda bt, c: WAYS[way](c, min5(bt, sessionend=sessionend),
                                        timeframe=bt.TimeFrame.Minutes, compression=60),
                {}, monkeypatch)


def _irregular(bt, **kw):
    """Second-stamped bars with gaps, across days and off the minute."""
    rng = np.random.default_rng(3)
    steps = rng.choice([7, 30, 60, 61, 90, 600, 3600, 14 * 3600], size=3000,
                       p=[.1, .2, .3, .1, .1, .1, .07, .03])
    stamps = pd.Timestamp('2021-03-01 09:00:13') + pd.to_timedelta(np.cumsum(steps), unit='s')
    close = 100 + np.cumsum(rng.normal(0, 0.1, len(steps)))
    df = pd.DataFrame({'open': close + 0.05, 'high': close + 0.2, 'low': close - 0.2,
                       'close': close, 'volume': rng.integers(1, 1000, len(steps)) / 4,
                       'openinterest': 0.0}, index=pd.DatetimeIndex(stamps, name='datetime'))
    return bt.feeds.PandasData(dataname=df, timeframe=bt.TimeFrame.Seconds, **kw)


@pytest.mark.parametrize('way', ['resample', 'resample+source'])
@pytest.mark.parametrize('tf,comp,kw', [('Minutes', 1, {}), ('Minutes', 5, {}),
                                        ('Minutes', 5, dict(rightedge=False, boundoff=2)),
                                        ('Minutes', 30, dict(adjbartime=False)),
                                        ('Seconds', 45, {}), ('Minutes', 240, {})])
def test_irregular_seconds(monkeypatch, way, tf, comp, kw):
    _three_ways(lambda bt, c: WAYS[way](c, _irregular(bt), timeframe=getattr(bt.TimeFrame, tf),
                                        compression=comp, **kw), {}, monkeypatch)


def test_irregular_session_end(monkeypatch):
    _three_ways(lambda bt, c: WAYS['resample+source'](
        c, _irregular(bt, sessionend=datetime.time(16, 0)), timeframe=bt.TimeFrame.Minutes,
        compression=15), {}, monkeypatch)


@pytest.mark.parametrize('way', WAYS)
@pytest.mark.parametrize('feed,kw', [('min5', {}), ('min5', dict(compression=2)),
                                     ('min5', dict(adjbartime=False)),
                                     ('min5', dict(bar2edge=False)),
                                     ('min5', dict(sessionend=datetime.time(17, 15))),
                                     ('min5', dict(sessionend=datetime.time(11, 0))),
                                     ('min1', {}), ('irregular', {}),
                                     ('irregular', dict(compression=3, sessionend=datetime.time(16, 0)))],
                         ids=str)
def test_days(monkeypatch, way, feed, kw):
    """Minutes or seconds to days: bars end at the session end."""
    feedkw = {k: kw.pop(k) for k in list(kw) if k == 'sessionend'}
    # min1: three weeks of the file (fifteen daily bars; the whole file took ~15 s a case)
    three_weeks = datetime.datetime(2006, 1, 21)
    make = {'min5': min5, 'irregular': _irregular,
            'min1': lambda bt, **kw: min1(bt, todate=three_weeks, **kw)}[feed]
    # the daily bar flushed at the end: stamped at its own session's end
    # (backtrader: the UTC clock time of that end on the bar's local date)
    _three_ways(lambda bt, c: WAYS[way](c, make(bt, **feedkw), timeframe=bt.TimeFrame.Days,
                                        **kw), {}, monkeypatch,
                lastbar_at_eos=way == 'resample' and bool(feedkw))


@pytest.mark.parametrize('case', ['weeks', 'bar2edge', 'tz', 'other feed'])
def test_bar_by_bar_where_the_plan_does_not_apply(monkeypatch, case):
    """Same results, and the plan named why it stayed out (replay: test_replay_vec)."""
    from test_resample import daily

    def setup(bt, c):
        tf = bt.TimeFrame
        if case == 'weeks':
            c.resampledata(daily(bt), timeframe=tf.Weeks)
        elif case == 'bar2edge':
            c.resampledata(min5(bt), timeframe=tf.Minutes, compression=15, bar2edge=False)
        elif case == 'tz':
            c.resampledata(min5(bt, tz='US/Eastern'), timeframe=tf.Minutes, compression=15)
        else:
            c.adddata(min1(bt))
            c.resampledata(min5(bt), timeframe=tf.Minutes, compression=15)
    if case == 'tz':
        pytest.importorskip('pytz')
    _three_ways(setup, {}, monkeypatch, expect_plan=False)


def _resampler(monkeypatch, general=False, **kw):
    bt = backtrader_ib
    # the switch as the case says, whatever the run's environment (tox may force it)
    if general:
        monkeypatch.setenv('BTIB_GENERAL_PATH', '1')
    else:
        monkeypatch.delenv('BTIB_GENERAL_PATH', raising=False)
    cerebro = bt.Cerebro()
    data = min5(bt)
    cerebro.resampledata(data, **{'timeframe': bt.TimeFrame.Minutes, 'compression': 15, **kw})
    cerebro.addstrategy(bt.Strategy)
    cerebro.run()
    return data._filters[0][0], data


@pytest.mark.parametrize('kw,reason', [
    ({}, None), (dict(general=True), 'BTIB_GENERAL_PATH'), (dict(bar2edge=False), 'bar2edge=False'),
    (dict(timeframe=backtrader_ib.TimeFrame.Weeks, compression=1), 'timeframe')])
def test_unsupported_names_the_reason(monkeypatch, kw, reason):
    res, data = _resampler(monkeypatch, **kw)
    assert resample_vec.unsupported(res, data) == reason
    assert (res._plan is None) == (reason is not None)
    assert (data._vecload is None) == (reason is not None)


def test_a_second_run_plans_again(monkeypatch):
    """A new run of the same feed recomputes (the plan checks its position)."""
    bt = backtrader_ib
    cerebro = bt.Cerebro()
    data = min5(bt)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=15)

    class Count(bt.Strategy):
        def __init__(self):
            self.seen = []

        def next(self):
            self.seen.append((len(self.data), self.data.datetime[0], self.data.close[0]))

    cerebro.addstrategy(Count)
    first = cerebro.run()[0].seen
    second = cerebro.run()[0].seen
    assert len(first) > 100 and first == second


def test_a_source_bar_out_of_plan_is_an_error():
    """The plan checks each source bar: never a silently shifted bar."""
    bt = backtrader_ib
    plan = resample_vec.ResamplePlan([[1.0] * 7], [0], [5.0], [False])

    class Fake:
        class lines:
            class datetime:
                def __getitem__(self, i):
                    return 6.0
            datetime = datetime()

    with pytest.raises(RuntimeError, match='BTIB_GENERAL_PATH=1'):
        plan.call(Fake())
    assert bt is backtrader_ib


def trader(bt):
    """Indicators on the last (resampled) data, market and limit orders on the first."""
    class Strat(bt.Strategy):
        def __init__(self):
            sig = self.datas[-1]
            self.fast = bt.ind.SMA(sig, period=3)
            self.slow = bt.ind.EMA(sig, period=8)
            self.cross = bt.ind.CrossOver(self.fast, self.slow)

        def next(self):
            self.ev.append(('ind', len(self.fast), round(self.fast[0], 9),
                            round(self.slow[0], 9), self.cross[0]))
            if not self.position and self.cross > 0:
                self.buy(data=self.data0)
            elif self.position and self.cross < 0:
                self.sell(data=self.data0, exectype=bt.Order.Limit,
                          price=self.data0.close[0] * 1.0003)
    return Strat


# min1: four sessions of the file (the whole of it made these the slowest cases)
PRELOADED = {'min5': min5, 'irregular': _irregular,
             'min1': lambda bt, **kw: min1(bt, todate=datetime.datetime(2006, 1, 6), **kw)}


@pytest.mark.parametrize('mode', MODES)
@pytest.mark.parametrize('way', ['resample+source', 'two copies'])
@pytest.mark.parametrize('feed,tf,kw', [
    ('min5', 'Minutes', dict(compression=15)), ('min5', 'Minutes', dict(compression=60,
                                                                         adjbartime=False)),
    ('min5', 'Minutes', dict(compression=30, rightedge=False, boundoff=3)),
    ('min5', 'Days', {}), ('min1', 'Minutes', dict(compression=7)),
    ('irregular', 'Minutes', dict(compression=5)), ('irregular', 'Days', {})], ids=str)
def test_trading_on_resampled_bars(monkeypatch, mode, way, feed, tf, kw):
    """A strategy trading the source on indicators of the resampled copy: the
    default mode preloads the precomputed bars and runs vectorised (each bar at
    the source bar that releases it), the same bars, indicator values and
    fills as bar by bar and as backtrader (always bar by bar there)."""
    _three_ways(lambda bt, c: WAYS[way](c, PRELOADED[feed](bt),
                                        timeframe=getattr(bt.TimeFrame, tf), **kw),
                MODES[mode], monkeypatch, strat=trader)
    expect = 'runonce_merged' if mode == 'default' else 'runnext'
    assert _three_ways.loops == [expect]


def test_preloaded_only_where_every_feed_has_a_plan(monkeypatch):
    """Another feed in the run: bar by bar, as before (and as backtrader)."""
    def setup(bt, c):
        d = min5(bt)
        c.adddata(d)
        c.resampledata(d, timeframe=bt.TimeFrame.Minutes, compression=15)
        c.adddata(min1(bt))
    _run(backtrader_ib, setup, {}, monkeypatch, strat=trader)
    assert _run.loops == ['runnext']


def test_preloaded_resampled_feed_is_whole_from_the_start():
    """The documented difference (docs/differences.md): in the default mode the
    precomputed resampled copy is preloaded, so buflen() is its whole length at
    the first next (backtrader builds it bar by bar: buflen() == len())."""
    def run(bt, **mode):
        seen = []

        class S(bt.Strategy):
            def next(self):
                seen.append((len(self.data1), self.data1.buflen()))

        c = bt.Cerebro(stdstats=False, **mode)
        d = min5(bt)
        c.adddata(d)
        c.resampledata(d, timeframe=bt.TimeFrame.Minutes, compression=15)
        c.addstrategy(S)
        c.run()
        return seen
    fast, slow, ref = run(backtrader_ib), run(backtrader_ib, runonce=False), run(reference())
    assert [n for n, _ in fast] == [n for n, _ in slow] == [n for n, _ in ref]
    assert all(b == n for n, b in slow) and all(b == n for n, b in ref)
    assert all(b == fast[-1][0] for _, b in fast)


def _optimised(bt, ps, **mode):
    """(period, final value, resampled bars) of each run of an optstrategy."""
    out = []

    class S(bt.Strategy):
        params = (('p', 3),)

        def __init__(self):
            self.sma = bt.ind.SMA(self.data1, period=self.p.p)

        def next(self):
            if not self.position and self.data1.close[0] > self.sma[0]:
                self.buy()
            elif self.position and self.data1.close[0] < self.sma[0]:
                self.close()

        def stop(self):
            out.append((self.p.p, round(self.broker.getvalue(), 6), len(self.data1)))

    c = bt.Cerebro(maxcpus=1, stdstats=False, **mode)
    d = min5(bt)
    c.adddata(d)
    c.resampledata(d, timeframe=bt.TimeFrame.Minutes, compression=60, adjbartime=False)
    if len(ps) == 1:
        c.addstrategy(S, p=ps[0])
    else:
        c.optstrategy(S, p=ps)
    c.run()
    return out


@pytest.mark.parametrize('general', [False, True], ids=['fast', 'general'])
@pytest.mark.parametrize('mode', [dict(optdatas=False), dict(optdatas=True),
                                  dict(runonce=False)], ids=str)
def test_every_optimisation_run_resamples_afresh(monkeypatch, mode, general):
    """Each run of an optimisation sees the bars a run of its own sees (the
    resampler starts afresh); backtrader carries the previous run's half-built
    bar and counters into the next run and loses bars (docs/differences.md)."""
    if general:
        monkeypatch.setenv('BTIB_GENERAL_PATH', '1')
    else:
        monkeypatch.delenv('BTIB_GENERAL_PATH', raising=False)
    ps = [3, 5, 8]
    alone = [r for p in ps for r in _optimised(backtrader_ib, [p], **mode)]
    assert _optimised(backtrader_ib, ps, **mode) == alone
    ref = _optimised(reference(), ps, **mode)
    assert ref[0] == alone[0] and ref[1][2] < alone[1][2]
