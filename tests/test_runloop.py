"""The run plan and the vectorised multi-feed loop (runplan.py, runloop.py).

Feeds with different calendars (gaps, different start and end dates) run on
the merged-timeline loop, and the broker values only open positions and the
BuySell observers only the feeds whose orders filled: every bar, order,
observer value and the final broker state must equal backtrader's, with the
fast paths and with BTIB_GENERAL_PATH=1 (the per-bar minimum over feeds,
every position valued, every observer run)."""
from __future__ import annotations

import datetime
import os

import numpy as np
import pandas as pd
import pytest

import backtrader_ib
from conftest import shared_file
from difftools import assert_same_events, num, reference
from engine_difftools import general_path, vals  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures('general_path')

D = datetime.datetime


def _general() -> bool:
    """Whether this run of the test is the general-path one (the fixture's)."""
    return os.environ.get('BTIB_GENERAL_PATH') == '1'


def yahoo(bt, name, **kw):
    return bt.feeds.YahooFinanceCSVData(dataname=shared_file(name), **kw)


def gappy(bt, drop_every=7, offset=0):
    """nvda 2003-2004 with every ``drop_every``-th row missing (its own calendar)."""
    df = pd.read_csv(shared_file('nvda-1999-2014.txt'), parse_dates=['Date'], index_col='Date')
    df = df.sort_index().loc['2003-01-01':'2004-12-31']
    keep = np.arange(len(df)) % drop_every != offset
    return bt.feeds.PandasData(dataname=df[keep], openinterest=None)


def portfolio(bt, c):
    c.adddata(yahoo(bt, 'orcl-1995-2014.txt', fromdate=D(2003, 1, 1), todate=D(2004, 6, 30)),
              name='orcl')
    c.adddata(yahoo(bt, 'yhoo-1996-2014.txt', fromdate=D(2003, 6, 1), todate=D(2005, 3, 31)),
              name='yhoo')
    c.adddata(gappy(bt), name='nvda')
    c.adddata(gappy(bt, drop_every=5, offset=2), name='nvda2')


def two_calendars(bt, c):
    c.adddata(yahoo(bt, 'orcl-1995-2014.txt', fromdate=D(2003, 1, 1), todate=D(2004, 6, 30)),
              name='orcl')
    c.adddata(yahoo(bt, 'yhoo-1996-2014.txt', fromdate=D(2003, 6, 1), todate=D(2005, 3, 31)),
              name='yhoo')


def lockstep(bt, c):
    for i, name in enumerate(('orcl-1995-2014.txt', 'yhoo-1996-2014.txt', 'nvda-1999-2014.txt')):
        c.adddata(yahoo(bt, name, fromdate=D(2003, 1, 1), todate=D(2003, 12, 31)), name=f'd{i}')


def targets(bt):
    """Per feed: SMA cross -> order_target_percent; logs bars, orders, observers."""
    class Strat(bt.Strategy):
        def __init__(self):
            self.ev = []
            self.cross = [bt.ind.CrossOver(bt.ind.SMA(d.close, period=5),
                                           bt.ind.SMA(d.close, period=15)) for d in self.datas]

        def notify_order(self, order):
            e = order.executed
            self.ev.append(('order', order.data._name, order.getstatusname(), num(e.dt),
                            num(e.size), num(e.price), num(e.comm)))

        def notify_trade(self, trade):
            self.ev.append(('trade', trade.data._name, trade.status, num(trade.pnlcomm)))

        def _observers(self):
            row = []
            for obs in self.getobservers():
                row += [type(obs).__name__] + vals(obs, agos=(0, -1))
            return row

        def prenext(self):
            self.ev.append(('prenext', len(self), num(self.datetime[0]),
                            [len(d) for d in self.datas]))

        def next(self):
            rec = ['next', len(self), num(self.datetime[0])]
            for d in self.datas:
                rec += [len(d), num(d.close[0]), num(self.getposition(d).size)]
            rec += [num(self.broker.getvalue()), num(self.broker.getcash())]
            self.ev.append(tuple(rec))
            self.ev.append(('observers',) + tuple(self._observers()))
            for d, cross in zip(self.datas, self.cross):
                if cross[0] > 0:
                    self.order_target_percent(data=d, target=0.2)
                elif cross[0] < 0:
                    self.order_target_percent(data=d, target=0.0)

        def stop(self):
            self.ev.append(('stop', len(self), num(self.broker.getvalue()),
                            num(self.broker.getcash())) + tuple(self._observers()))

    return Strat


def _run(bt, setup, **mode):
    c = bt.Cerebro(**mode)
    setup(bt, c)
    c.addstrategy(targets(bt))
    c.broker.setcash(100_000.0)
    strat = c.run()[0]
    return c, strat.ev


@pytest.mark.parametrize('setup', [portfolio, lockstep])
def test_feeds_on_their_own_calendars_match_backtrader(setup):
    _, ref = _run(reference(), setup)
    c, new = _run(backtrader_ib, setup)
    assert sum(e[0] == 'order' and e[2] == 'Completed' for e in ref) > 20
    assert_same_events(ref, new)
    if _general():
        assert c._runplan.loop == 'runonce_multi'
    else:
        assert c._runplan.loop == 'runonce_merged'
        assert c._runplan.timeline.lockstep == (setup is lockstep)


@pytest.mark.parametrize('mode', [dict(runonce=False), dict(cheat_on_open=True),
                                  dict(quicknotify=True)])
def test_other_modes_match_backtrader(mode):
    _, ref = _run(reference(), portfolio, **mode)
    _, new = _run(backtrader_ib, portfolio, **mode)
    assert_same_events(ref, new)


def test_buysell_markers_on_feeds_that_wait():
    """Two fills of one data on a bar (BuySell's average), then steps where
    that data has no bar while others trade: the observers still move with the
    strategy (vectorised mode), so a BuySell skipped there has nothing to
    revisit."""
    def doubled(bt):
        class Doubled(targets(bt)):
            def next(self):
                super().next()
                for d, cross in zip(self.datas, self.cross):
                    if cross[0] > 0:
                        self.buy(data=d, size=3)
                        self.buy(data=d, size=2)
        return Doubled

    def run(bt):
        c = bt.Cerebro(oldbuysell=True)
        portfolio(bt, c)
        c.addstrategy(doubled(bt))
        c.broker.setcash(100_000.0)
        return c.run()[0].ev

    ref = run(reference())
    assert_same_events(ref, run(backtrader_ib))


def test_timers_run_on_the_merged_timeline():
    """A timer on a multi-feed vectorised run: checked at every merged step."""
    def run(bt):
        class Timed(targets(bt)):
            def __init__(self):
                super().__init__()
                self.add_timer(when=datetime.time(10, 0), weekdays=[2, 4])

            def notify_timer(self, timer, when, *args, **kwargs):
                self.ev.append(('timer', len(self), str(when)))

        c = bt.Cerebro()
        two_calendars(bt, c)
        c.addstrategy(Timed)
        return c, c.run()[0].ev

    ref = run(reference())[1]
    c, new = run(backtrader_ib)
    assert any(e[0] == 'timer' for e in ref)
    assert_same_events(ref, new)
    assert c._runplan.loop == ('runonce_multi' if _general()
                               else 'runonce_merged')


class _Feed:
    """Just what merged_timeline reads of a preloaded feed."""

    def __init__(self, dts):
        from backtrader_ib.linebuffer import LineBuffer
        self.lines = type('L', (), {})()
        self.lines.datetime = LineBuffer()
        self.lines.datetime._arr = np.asarray(dts, dtype=float)

    def buflen(self):
        return len(self.lines.datetime._arr)


def test_merged_timeline_steps():
    from backtrader_ib.runplan import merged_timeline
    tl = merged_timeline([_Feed([1, 2, 4]), _Feed([2, 3]), _Feed([])])
    assert tl.steps == [1.0, 2.0, 3.0, 4.0] and not tl.lockstep
    per_step = [tl.feeds[tl.bounds[s]:tl.bounds[s + 1]] for s in range(len(tl.steps))]
    assert per_step == [[0], [0, 1], [1], [0]]
    same = merged_timeline([_Feed([1, 2]), _Feed([1, 2])])
    assert same.lockstep and same.steps == [1.0, 2.0]
    # a repeated or descending datetime, or NaN: the per-bar minimum decides
    assert merged_timeline([_Feed([1, 2, 2]), _Feed([1])]) is None
    assert merged_timeline([_Feed([1, 3, 2]), _Feed([1])]) is None
    assert merged_timeline([_Feed([1, float('nan')]), _Feed([1])]) is None


def test_repeated_datetime_falls_back_to_the_per_bar_minimum(tmp_path):
    """A feed with two bars at one time (ticks may share a time): the general
    loop, as backtrader."""
    with open(shared_file('2006-day-001.txt')) as fh:
        rows = fh.read().splitlines()[:81]
    path = tmp_path / 'dup.txt'
    path.write_text('\n'.join(rows[:41] + rows[40:]) + '\n')  # bar 40 twice

    def setup(bt, c):
        c.adddata(bt.feeds.BacktraderCSVData(dataname=str(path), timeframe=bt.TimeFrame.Ticks),
                  name='dup')
        c.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-002.txt'),
                                             todate=D(2006, 5, 1)), name='other')

    _, ref = _run(reference(), setup)
    c, new = _run(backtrader_ib, setup)
    assert_same_events(ref, new)
    assert c._runplan.loop == 'runonce_multi'
    if not _general():
        assert 'not strictly increasing' in c._runplan.why['loop']


def test_plan_names_each_choice():
    c, _ = _run(backtrader_ib, portfolio)
    why = c._runplan.why
    assert {'loop', 'broker', 'strategy[0].step', 'observer.broker'} <= set(why)
    assert all(isinstance(v, str) and v for v in why.values())
    assert c.broker._general == (_general())
    single = backtrader_ib.Cerebro()
    single.adddata(yahoo(backtrader_ib, 'orcl-1995-2014.txt', fromdate=D(2003, 1, 1),
                         todate=D(2003, 3, 1)))
    single.run()  # one strategy (Strategy itself), lean: its step inlined
    assert single._runplan.loop == ('runonce_multi' if _general()
                                    else 'runonce_lean')
    single.addanalyzer(backtrader_ib.analyzers.SQN)  # an analyzer: not lean
    single.run()
    assert single._runplan.loop == ('runonce_multi' if _general()
                                    else 'runonce_single')
    single.run(runonce=False)
    assert single._runplan.loop == ('runnext' if _general()
                                    else 'runnext_single')
    single.run(runonce=True, oldsync=True)
    assert single._runplan.loop == 'runonce_old'


def test_open_positions_follow_fills():
    """BackBroker lists the open positions again after every fill."""
    c, _ = _run(backtrader_ib, portfolio)
    broker = c.broker
    held = [(d._name, p.size) for d, p in broker.positions.items() if p.size]
    listed = [(d._name, p.size) for d, p in broker._open_positions()]
    assert listed == held


def test_a_broker_with_its_own_get_notification_is_asked():
    """The one-data loops read BackBroker's notification deque directly; a
    broker overriding get_notification is called instead (here it holds back
    the Submitted notifications), the same in the lean and the general loop."""
    class Quiet(backtrader_ib.brokers.BackBroker):
        def get_notification(self):
            order = super().get_notification()
            while order is not None and order.status == order.Submitted:
                order = super().get_notification()
            return order

    seen = {}
    for broker in (backtrader_ib.brokers.BackBroker(), Quiet()):
        class S(backtrader_ib.Strategy):
            def __init__(self):
                self.statuses = []

            def notify_order(self, order):
                self.statuses.append(order.getstatusname())

            def next(self):
                if len(self) in (5, 20):
                    self.buy(size=1)

        c = backtrader_ib.Cerebro()
        c.broker = broker
        c.adddata(yahoo(backtrader_ib, 'orcl-1995-2014.txt', fromdate=D(2003, 1, 1),
                        todate=D(2003, 3, 1)))
        c.addstrategy(S)
        seen[type(broker).__name__] = c.run()[0].statuses
        assert c._runplan.loop == ('runonce_multi' if _general() else 'runonce_lean')
        if not _general():
            assert c._runplan.why['notifications'] == (
                'get_notification() calls' if isinstance(broker, Quiet)
                else "the broker's deque read directly")
    assert seen['BackBroker'] == ['Submitted', 'Accepted', 'Completed'] * 2
    assert seen['Quiet'] == ['Accepted', 'Completed'] * 2
