"""Timers (``add_timer`` on Cerebro and Strategy) against backtrader 1.9.78.123:
the same ``notify_timer`` calls (timer id, ``when``, bar, owner) and the
same orders, in every run mode, on daily and 5-minute data."""
from __future__ import annotations

import datetime

import pytest
import pytz

import backtrader_ib
from conftest import shared_file
from difftools import MODES, assert_same_events, num, reference

T = datetime.time
TD = datetime.timedelta


def daily(bt, **kw):
    return bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'), **kw)


def min5(bt, **kw):
    return bt.feeds.BacktraderCSVData(dataname=shared_file('2006-min-005.txt'),
                                      timeframe=bt.TimeFrame.Minutes, compression=5, **kw)


def run(bt, feed, timers, mode, on='strategy', cheat_on_open=False, feedkw=None):
    """Run with ``timers`` (dicts of add_timer arguments, callables of ``bt``
    allowed as values) added on the strategy or on Cerebro (``strats=True``);
    every timer call trades one share. Returns the event log."""
    ev = []

    class Cerebro(bt.Cerebro):
        def notify_timer(self, timer, when, *args, **kwargs):
            ev.append(('cerebro', timer.p.tid, when, args, kwargs))

    class S(bt.Strategy):
        def __init__(self):
            if on == 'strategy':
                for tk in timers:
                    self.add_timer(**resolve(bt, tk, self.data))

        def notify_timer(self, timer, when, *args, **kwargs):
            ev.append(('timer', timer.p.tid, when, args, kwargs, len(self),
                       num(self.data.datetime[0])))
            if self.position:
                self.close()
            else:
                self.buy()

        def next_open(self):
            ev.append(('next_open', len(self)))

        def notify_order(self, order):
            if order.status in (order.Completed, order.Canceled, order.Margin):
                ev.append(('order', order.getstatusname(), order.isbuy(),
                           num(order.executed.dt), num(order.executed.price)))

        def next(self):
            ev.append(('next', len(self), num(self.data.datetime[0]), num(self.data.close[0])))

    c = Cerebro(stdstats=False, cheat_on_open=cheat_on_open, **mode)
    c.adddata(feed(bt, **(feedkw or {})))
    c.addstrategy(S)
    if on == 'cerebro':
        for tk in timers:
            c.add_timer(strats=True, **resolve(bt, tk, c.datas[0]))
    c.run()
    return ev


def resolve(bt, tk: dict, data) -> dict:
    """Values given as functions of ``bt`` are called; 'data' is the data."""
    return {k: (data if v == 'data' else v(bt) if callable(v) and k != 'allow' else v)
            for k, v in tk.items()}


def same(feed, timers, mode=MODES['runonce'], **kw):
    ref = run(reference(), feed, timers, mode, **kw)
    new = run(backtrader_ib, feed, timers, mode, **kw)
    assert sum(e[0] == 'timer' for e in ref) > 0
    assert_same_events(ref, new)
    return new


def session_start(bt):
    return bt.timer.SESSION_START


def session_end(bt):
    return bt.timer.SESSION_END


DAILY = {
    'time': [dict(when=T(10))],
    'session_end': [dict(when=session_end)],
    'session_start+offset': [dict(when=session_start, offset=TD(hours=9))],
    'weekdays-carry': [dict(when=T(10), weekdays=[3, 5], weekcarry=True)],
    'weekday-nocarry': [dict(when=T(10), weekdays=[5], weekcarry=False)],
    'monthday-carry': [dict(when=T(10), monthdays=[15], monthcarry=True)],
    'monthday1-carry': [dict(when=T(10), monthdays=[1])],
    'monthday-nocarry': [dict(when=T(10), monthdays=[15], monthcarry=False)],
    'month+week': [dict(when=T(10), monthdays=[12, 13, 14, 15, 16], weekdays=[5], weekcarry=True)],
    'allow': [dict(when=T(10), allow=lambda d: d.day % 3 == 0)],
    'tz-object': [dict(when=T(10), tzdata=pytz.timezone('US/Eastern'))],
    'two-timers+args': [dict(when=T(10), monthdays=[15]),
                        dict(when=session_end, weekdays=[5])],
}


@pytest.mark.parametrize('mode', ['runonce', 'preload-next', 'next'])
@pytest.mark.parametrize('case', DAILY)
def test_daily_timers_on_strategy(case, mode):
    same(daily, DAILY[case], MODES[mode])


@pytest.mark.parametrize('mode', ['runonce', 'next'])
@pytest.mark.parametrize('case', ['time', 'weekdays-carry', 'monthday-carry', 'two-timers+args'])
def test_daily_timers_on_cerebro(case, mode):
    ev = same(daily, DAILY[case], MODES[mode], on='cerebro')
    assert any(e[0] == 'cerebro' for e in ev)


INTRADAY = {
    'time': [dict(when=T(12, 2))],
    'session_start': [dict(when=session_start)],
    'session_end': [dict(when=session_end)],
    'offset+repeat': [dict(when=T(10), offset=TD(minutes=17), repeat=TD(minutes=45))],
    'repeat-to-session-end': [dict(when=session_start, repeat=TD(hours=2))],
    'weekdays': [dict(when=T(15), weekdays=[1, 3, 5])],
    'tzdata-data': [dict(when=T(6), tzdata='data')],
}


@pytest.mark.parametrize('mode', ['runonce', 'next'])
@pytest.mark.parametrize('case', INTRADAY)
def test_intraday_timers(case, mode):
    feedkw = dict(sessionstart=T(9, 30), sessionend=T(16, 0))
    if case == 'tzdata-data':
        feedkw['tz'] = 'US/Eastern'  # 09:05-17:30 UTC: the same dates in New York
    same(min5, INTRADAY[case], MODES[mode], feedkw=feedkw)


@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_intraday_timers_on_cerebro(mode):
    same(min5, INTRADAY['offset+repeat'] + INTRADAY['session_end'], MODES[mode],
         on='cerebro', feedkw=dict(sessionend=T(16, 0)))


@pytest.mark.parametrize('feed', [daily, min5], ids=['daily', 'intraday'])
@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_cheat_timer_with_cheat_on_open(feed, mode):
    """A cheat timer fires before the broker: its order fills at this bar's open."""
    timers = [dict(when=session_start, cheat=True)]
    ev = same(feed, timers, MODES[mode], cheat_on_open=True,
              feedkw=dict(sessionstart=T(9, 30)) if feed is min5 else None)
    fills = [e for e in ev if e[0] == 'order']
    assert fills


def test_timer_args_reach_notify_timer():
    got = []

    class S(backtrader_ib.Strategy):
        def __init__(self):
            self.add_timer(T(10), monthdays=[3], key='v')

        def notify_timer(self, timer, when, *args, **kwargs):
            got.append((when, args, kwargs))

    c = backtrader_ib.Cerebro()
    c.adddata(daily(backtrader_ib))
    c.addstrategy(S)
    c.run()
    assert got[0] == (datetime.datetime(2006, 1, 3, 10), (), {'key': 'v'})
    assert len(got) == 12
