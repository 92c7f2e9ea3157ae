"""Precomputed (vectorised) replay against the bar-by-bar Replayer and backtrader
1.9.78.123: the same len(), in-progress OHLCV, indicator values and fills at
every ``next``, in every mode, and the bar-by-bar path where the plan does not
apply (with the reason named)."""
from __future__ import annotations

import datetime

import pytest

import backtrader_ib
from backtrader_ib import resample_vec
from difftools import assert_same_events, reference
from test_resample import _bars, min1, min5
from test_resample_vec import MODES, _irregular


def _plans(cerebro) -> list:
    return [getattr(f, '_plan', None) for d in cerebro.datas for f, _, _ in d._filters
            if getattr(f, 'replaying', False)]


def trader(bt):
    """An SMA on the replayed data, market and limit orders on it (the broker
    matches the source bar's prices, the tick_* values)."""
    class Strat(bt.Strategy):
        def __init__(self):
            self.sma = bt.ind.SMA(self.data0, period=3)
            self.k = 0

        def next(self):
            self.ev.append(('sma', len(self.data0), round(float(self.sma[0]), 9)
                            if len(self.sma) else None))
            self.k += 1
            if self.k % 7 == 0:
                if self.position:
                    self.sell(exectype=bt.Order.Limit, price=self.data0.close[0] * 1.0005)
                else:
                    self.buy()
    return Strat


def _run(bt, setup, mode, monkeypatch=None, general=False, strat=trader):
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
    return events, [p is not None for c in used for p in _plans(c)]


def _three_ways(setup, mode, monkeypatch, expect_plan=True):
    vec, plans = _run(backtrader_ib, setup, mode, monkeypatch)
    gen, gplans = _run(backtrader_ib, setup, mode, monkeypatch, general=True)
    monkeypatch.delenv('BTIB_GENERAL_PATH', raising=False)
    assert plans and all(plans) == expect_plan and not any(gplans)
    assert len(vec) > 0 and any(e[0] == 'order' for e in vec)
    assert_same_events(gen, vec)
    assert_same_events(_run(reference(), setup, mode)[0], vec)


EDGES = [{}, dict(rightedge=False), dict(boundoff=1), dict(boundoff=7, rightedge=False)]


def _ids(kw: dict) -> str:
    return ','.join(f'{k}={v}' for k, v in kw.items()) or 'default'


@pytest.mark.parametrize('kw', EDGES, ids=_ids)
@pytest.mark.parametrize('comp', [10, 15, 60])
def test_five_minute_file(monkeypatch, kw, comp):
    _three_ways(lambda bt, c: c.replaydata(min5(bt), timeframe=bt.TimeFrame.Minutes,
                                           compression=comp, **kw), {}, monkeypatch)


SIX_SESSIONS = datetime.datetime(2006, 1, 10)
THREE_SESSIONS = datetime.datetime(2006, 1, 5)
THREE_WEEKS = datetime.datetime(2006, 1, 21)


@pytest.mark.parametrize('kw', EDGES[:2], ids=_ids)
@pytest.mark.parametrize('comp', [1, 2, 7, 15, 60])
def test_one_minute_file(monkeypatch, kw, comp):
    # three sessions of the file (~2,300 bars): each edge recurs daily; the whole
    # file three times per case cost minutes of the suite
    _three_ways(lambda bt, c: c.replaydata(min1(bt, todate=THREE_SESSIONS), timeframe=bt.TimeFrame.Minutes,
                                           compression=comp, **kw), {}, monkeypatch)


@pytest.mark.parametrize('mode', MODES)
def test_modes(monkeypatch, mode):
    _three_ways(lambda bt, c: c.replaydata(min5(bt), timeframe=bt.TimeFrame.Minutes,
                                           compression=15), MODES[mode], monkeypatch)


@pytest.mark.parametrize('feed,kw', [('min5', {}), ('min5', dict(compression=2)),
                                     ('min5', dict(bar2edge=False)),
                                     ('min5', dict(sessionend=datetime.time(17, 15))),
                                     ('min5', dict(sessionend=datetime.time(11, 0))),
                                     ('min1', {}), ('irregular', {}),
                                     ('irregular', dict(compression=3,
                                                        sessionend=datetime.time(16, 0)))],
                         ids=str)
def test_days(monkeypatch, feed, kw):
    feedkw = {k: kw.pop(k) for k in list(kw) if k == 'sessionend'}
    # min1: three weeks of the file (fifteen daily bars; the whole file took ~15 s)
    make = {'min5': min5, 'irregular': _irregular,
            'min1': lambda bt, **kw: min1(bt, todate=THREE_WEEKS, **kw)}[feed]
    _three_ways(lambda bt, c: c.replaydata(make(bt, **feedkw), timeframe=bt.TimeFrame.Days,
                                           **kw), {}, monkeypatch)


@pytest.mark.parametrize('sessionend', [datetime.time(11, 0), datetime.time(12, 2)])
def test_session_ends(monkeypatch, sessionend):
    _three_ways(lambda bt, c: c.replaydata(min5(bt, sessionend=sessionend),
                                           timeframe=bt.TimeFrame.Minutes, compression=60),
                {}, monkeypatch)


@pytest.mark.parametrize('tf,comp,kw', [('Minutes', 1, {}), ('Minutes', 5, {}),
                                        ('Minutes', 5, dict(rightedge=False, boundoff=2)),
                                        ('Seconds', 45, {}), ('Minutes', 240, {})])
def test_irregular_seconds(monkeypatch, tf, comp, kw):
    _three_ways(lambda bt, c: c.replaydata(_irregular(bt), timeframe=getattr(bt.TimeFrame, tf),
                                           compression=comp, **kw), {}, monkeypatch)


def test_beside_another_feed(monkeypatch):
    """Another feed's clock in the run: the replayed feed waits its turn (rewind)."""
    def setup(bt, c):
        c.replaydata(min5(bt), timeframe=bt.TimeFrame.Minutes, compression=30)
        c.adddata(min1(bt, todate=SIX_SESSIONS))
    _three_ways(setup, {}, monkeypatch)


@pytest.mark.parametrize('case', ['copy', 'adjbartime', 'weeks', 'tz'])
def test_bar_by_bar_where_the_plan_does_not_apply(monkeypatch, case):
    """Same results, and no plan."""
    def setup(bt, c):
        tf = bt.TimeFrame
        if case == 'copy':
            d = min5(bt)
            c.adddata(d)
            c.replaydata(d, timeframe=tf.Minutes, compression=15)
        elif case == 'adjbartime':
            c.replaydata(min5(bt), timeframe=tf.Minutes, compression=15, adjbartime=True)
        elif case == 'weeks':
            c.replaydata(min5(bt), timeframe=tf.Weeks)
        else:
            c.replaydata(min5(bt, tz='US/Eastern'), timeframe=tf.Minutes, compression=15)
    if case == 'tz':
        pytest.importorskip('pytz')
    _three_ways(setup, {}, monkeypatch, expect_plan=False)


def _replayer(monkeypatch, general=False, **kw):
    bt = backtrader_ib
    # the switch as the case says, whatever the run's environment (tox may force it)
    if general:
        monkeypatch.setenv('BTIB_GENERAL_PATH', '1')
    else:
        monkeypatch.delenv('BTIB_GENERAL_PATH', raising=False)
    cerebro = bt.Cerebro()
    data = min5(bt)
    cerebro.replaydata(data, **{'timeframe': bt.TimeFrame.Minutes, 'compression': 15, **kw})
    cerebro.addstrategy(bt.Strategy)
    cerebro.run()
    return data._filters[0][0], data


@pytest.mark.parametrize('kw,reason', [
    ({}, None), (dict(general=True), 'BTIB_GENERAL_PATH'),
    (dict(bar2edge=False), 'bar2edge=False'), (dict(adjbartime=True), 'adjbartime'),
    (dict(timeframe=backtrader_ib.TimeFrame.Weeks, compression=1), 'timeframe')])
def test_unsupported_names_the_reason(monkeypatch, kw, reason):
    rep, data = _replayer(monkeypatch, **kw)
    assert resample_vec.replay_unsupported(rep, data) == reason
    assert (rep._plan is None) == (reason is not None)
    assert (data._vecload is None) == (reason is not None)


def test_a_second_run_plans_again():
    bt = backtrader_ib
    cerebro = bt.Cerebro()
    data = min5(bt)
    cerebro.replaydata(data, timeframe=bt.TimeFrame.Minutes, compression=15)

    class Count(bt.Strategy):
        def __init__(self):
            self.seen = []

        def next(self):
            self.seen.append((len(self.data), self.data.datetime[0], self.data.close[0],
                              self.data.volume[0]))

    cerebro.addstrategy(Count)
    first = cerebro.run()[0].seen
    second = cerebro.run()[0].seen
    assert len(first) > 100 and first == second


def test_a_source_bar_out_of_plan_is_an_error():
    """The plan checks each source bar: never a silently shifted state."""
    plan = resample_vec.ReplayPlan([[1.0]] * 7, [True], [[1.0]] * 6, [5.0])

    class Fake:
        class lines:
            class datetime:
                def __getitem__(self, i):
                    return 6.0
            datetime = datetime()

    with pytest.raises(RuntimeError, match='BTIB_GENERAL_PATH=1'):
        plan.call(Fake())
