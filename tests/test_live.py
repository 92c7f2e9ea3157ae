"""The live loop with the in-process QueueData feed: data that arrives while
Cerebro runs, bars closed by the clock, late data, status notifications."""
from __future__ import annotations

import datetime
import threading
import time

import pytest

import backtrader_ib as bt
from backtrader_ib.utils.date import TIME_MAX
from conftest import shared_file

T0 = datetime.datetime(2026, 3, 2, 14, 30, 0)


class Clock:
    """A clock the test moves by hand (naive UTC)."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now


class Recorder(bt.Strategy):
    params = (('seen', None), ('onbar', None))

    def __init__(self):
        self.bars = []
        self.statuses = []

    def notify_data(self, data, status, *args, **kwargs):
        self.statuses.append(data._getstatusname(status))

    def next(self):
        d = self.data
        self.bars.append((d.datetime.datetime(0), d.open[0], d.high[0], d.low[0],
                          d.close[0], d.volume[0], time.monotonic()))
        if self.p.onbar is not None:
            self.p.onbar.set()

    prenext = next  # a silent second feed keeps the strategy in prenext


def run_live(producer, resample=None, **feedkw):
    """Run Cerebro on a QueueData fed by ``producer(feed, clock, onbar)`` in a thread."""
    clock = Clock(T0)
    feed = bt.feeds.QueueData(clock=clock, **{'timeframe': bt.TimeFrame.Ticks,
                                              'qcheck': 0.02, **feedkw})
    onbar = threading.Event()
    cerebro = bt.Cerebro(stdstats=False)
    if resample:
        cerebro.resampledata(feed, **resample)
    else:
        cerebro.adddata(feed)
    cerebro.addstrategy(Recorder, onbar=onbar)
    errors = []

    def produce():
        try:
            producer(feed, clock, onbar)
        except BaseException as e:  # surfaced by the test
            errors.append(e)
        finally:
            feed.end()
    th = threading.Thread(target=produce, daemon=True)
    th.start()
    strat = cerebro.run()[0]
    th.join(5)
    if errors:
        raise errors[0]
    return strat


def test_bar_closed_by_the_clock_when_no_tick_comes():
    """5-second bars from ticks: with no later tick, the bar still comes
    once the clock passes its end (within qcheck)."""
    delivered = {}

    def producer(feed, clock, onbar):
        for s, px in ((1, 100.0), (2, 101.0), (3, 99.5), (4, 100.5)):
            clock.now = T0 + datetime.timedelta(seconds=s)
            feed.put_tick(clock.now, px, 1)
        time.sleep(0.1)  # the feed has taken the ticks; the bar is still open
        assert not onbar.is_set()
        clock.now = T0 + datetime.timedelta(seconds=5, milliseconds=100)
        t = time.monotonic()
        assert onbar.wait(2.0), 'the 5-second bar was not delivered by the clock'
        delivered['after'] = time.monotonic() - t

    strat = run_live(producer, resample=dict(timeframe=bt.TimeFrame.Seconds, compression=5))
    assert strat.bars[0][:6] == (T0 + datetime.timedelta(seconds=5), 100.0, 101.0, 99.5,
                                 100.5, 4.0)
    assert delivered['after'] < 0.5  # qcheck is 0.02 s; generous for a busy machine


def test_late_ticks_dropped_unless_latethrough():
    times = [1, 2, 4, 3, 5]  # the tick at second 3 comes late

    def producer(feed, clock, onbar):
        for s in times:
            feed.put_tick(T0 + datetime.timedelta(seconds=s), 100.0 + s, 1)

    kept = [b[0].second for b in run_live(producer).bars]
    assert kept == [1, 2, 4, 5]
    kept = [b[0].second for b in run_live(producer, latethrough=True).bars]
    assert kept == [1, 2, 4, 3, 5]


def test_backfill_then_live_statuses_and_no_duplicates():
    src = bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'),
                                     todate=datetime.date(2006, 1, 31))

    def producer(feed, clock, onbar):
        # live bars overlap the end of the backfill: the overlap is dropped
        for day, px in ((30, 1.0), (31, 2.0), (1, 3.0), (2, 4.0)):
            month = 1 if day > 2 else 2
            feed.put_bar(datetime.datetime.combine(datetime.date(2006, month, day), TIME_MAX),
                         px, px, px, px, 10)

    strat = run_live(producer, backfill_from=src, timeframe=bt.TimeFrame.Days)
    assert strat.statuses == ['DELAYED', 'LIVE', 'DISCONNECTED']
    days = [b[0].date() for b in strat.bars]
    assert days == sorted(set(days))
    assert days[-2:] == [datetime.date(2006, 2, 1), datetime.date(2006, 2, 2)]
    assert strat.bars[-3][0].date() == datetime.date(2006, 1, 31)
    assert strat.bars[-3][4] != 2.0  # the file's bar, not the pushed duplicate


def test_a_silent_feed_does_not_block_another():
    clock = Clock(T0)
    busy = bt.feeds.QueueData(timeframe=bt.TimeFrame.Ticks, clock=clock, qcheck=0.02,
                              name='busy')
    silent = bt.feeds.QueueData(timeframe=bt.TimeFrame.Ticks, clock=clock, qcheck=0.02,
                                name='silent')
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(busy)
    cerebro.adddata(silent)
    cerebro.addstrategy(Recorder)

    def produce():
        for s in range(1, 6):
            busy.put_tick(T0 + datetime.timedelta(seconds=s), 100.0 + s, 1)
            time.sleep(0.03)
        busy.end()
        silent.end()
    th = threading.Thread(target=produce, daemon=True)
    t = time.monotonic()
    th.start()
    strat = cerebro.run()[0]
    assert [b[4] for b in strat.bars] == [101.0, 102.0, 103.0, 104.0, 105.0]
    assert time.monotonic() - t < 3


def test_nan_price_is_refused_naming_the_feed():
    feed = bt.feeds.QueueData(name='ES')
    with pytest.raises(ValueError, match='ES.*close is NaN'):
        feed.put_bar(T0, 1.0, 1.0, 1.0, float('nan'))


def test_status_notifications_reach_cerebro_callbacks_and_strategy():
    got = []

    class C(bt.Cerebro):
        def notify_data(self, data, status, *args, **kwargs):
            got.append(('cerebro', data._getstatusname(status)))

    feed = bt.feeds.QueueData(timeframe=bt.TimeFrame.Ticks, qcheck=0.01)
    cerebro = C(stdstats=False)
    cerebro.adddata(feed)
    cerebro.adddatacb(lambda data, status, *a, **k: got.append(('cb', data._getstatusname(status))))
    cerebro.addstrategy(Recorder)
    feed.put_tick(T0, 1.0)
    feed.end()
    strat = cerebro.run()[0]
    assert got == [('cerebro', 'LIVE'), ('cb', 'LIVE'),
                   ('cerebro', 'DISCONNECTED'), ('cb', 'DISCONNECTED')]
    assert strat.statuses == ['LIVE', 'DISCONNECTED']
    assert len(strat.bars) == 1


def test_timers_fire_while_another_feed_is_silent():
    fired = []

    class C(bt.Cerebro):
        def notify_timer(self, timer, when, *args, **kwargs):
            fired.append(when)

    clock = Clock(T0)
    busy = bt.feeds.QueueData(timeframe=bt.TimeFrame.Ticks, clock=clock, qcheck=0.02)
    silent = bt.feeds.QueueData(timeframe=bt.TimeFrame.Ticks, clock=clock, qcheck=0.02)
    cerebro = C(stdstats=False)
    cerebro.adddata(busy)
    cerebro.adddata(silent)
    cerebro.addstrategy(Recorder)
    cerebro.add_timer(when=datetime.time(14, 30, 2))
    for s in range(1, 5):
        busy.put_tick(T0 + datetime.timedelta(seconds=s), 100.0 + s, 1)
    busy.end()
    threading.Timer(0.3, silent.end).start()
    cerebro.run()
    assert len(fired) == 1 and fired[0].time() == datetime.time(14, 30, 2)
