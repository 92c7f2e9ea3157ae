"""Tick feeds end to end, both client libraries (issue 20).

One strategy (an SMA cross on 1-minute bars) runs three ways on the ticks of
one stretch of ibsim's market:

* live: ``IBData(ticks='AllLast')`` resampled to 1 minute by Cerebro, the
  gateway's clock running 120 times real time, the connection dropped in
  the middle (the gateway restarts): the gap is filled from historical ticks;
* historical: ``IBData(ticks='AllLast', historical=True)`` over the same stretch;
* from a file: ``download_ticks`` written to CSV and read by ``IBTickCSVData``.

The minute bars must be the same on all three (nothing lost or counted twice
across the outage), and the live orders the backtest's orders of the live
period (the parity test's pattern: tests/ib/test_parity.py)."""
from __future__ import annotations

import datetime as dt
import threading

import backtrader_ib as bt
from backtrader_ib.feeds.ibticks import IBTickCSVData
from backtrader_ib.stores.ibticks import download_ticks, write_ticks

from .conftest import storekw

UTC = dt.timezone.utc
START = dt.datetime(2024, 3, 5, 15, 0, tzinfo=UTC)    # the gateway's clock at the start
FROM = dt.datetime(2024, 3, 5, 14, 40)                # backfill from here (UTC)
UNTIL = dt.datetime(2024, 3, 5, 15, 12)               # the live run stops at this bar


class Cross(bt.Strategy):
    params = (('live', False), ('until', UNTIL), ('onlive', None))

    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=2), bt.ind.SMA(period=5))
        self.bars, self.signals, self.placed = [], [], []
        self.islive = not self.p.live
        self.statuses = []

    def notify_data(self, data, status, *args, **kwargs):
        self.statuses.append(data._getstatusname(status))
        if status == data.CONNBROKEN:   # ticks got from history so far
            self.stream, self.before = data._stream, data._stream.backfilled
        if self.p.live:
            self.islive = status == data.LIVE
            if self.islive and self.p.onlive is not None:
                self.p.onlive()
                self.p.onlive = None

    def prenext(self):
        self.record()

    def record(self):
        d = self.data
        now = d.datetime.datetime(0)
        if now <= self.p.until:
            self.bars.append((now, d.open[0], d.high[0], d.low[0], d.close[0], d.volume[0]))
        else:
            self.env.runstop()
        return now

    def next(self):
        now = self.record()
        if now > self.p.until:
            return
        if self.cross[0]:
            self.signals.append((now, self.cross[0]))
            if self.islive:
                o = self.buy(size=10) if self.cross[0] > 0 else self.sell(size=10)
                self.placed.append((now, o.isbuy()))
        if now >= self.p.until:
            self.env.runstop()


def run(data, live=False, broker=None, onlive=None):
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=1)
    if broker is not None:
        cerebro.setbroker(broker)
    cerebro.addstrategy(Cross, live=live, onlive=onlive)
    return cerebro.run()[0]


def test_live_ticks_with_an_outage_equal_history_and_the_file(make_sim, client, tmp_path):
    # three trade prints a second, two of them alike: ticks share their second
    sim = make_sim(start=START, speed=120, trades_per_second=3)
    sim.set_pacing(False)
    kw = storekw(sim, client)

    # (a) live, with the gateway restarting 1.5 real s (3 simulated minutes)
    # after the feed went live; it stays away 0.25 s (30 simulated seconds of ticks)
    data = bt.feeds.IBData(dataname='AAPL', ticks='AllLast', fromdate=FROM, tz='UTC',
                           qcheck=0.1, **kw)
    outage = threading.Timer(1.5, sim.restart, kwargs={'down_for': 0.25})
    try:
        live = run(data, live=True, broker=bt.brokers.IBBroker(), onlive=outage.start)
    finally:
        outage.cancel()
    assert 'CONNBROKEN' in live.statuses and live.statuses.count('LIVE') == 2
    assert data.ib.connections == 2
    assert live.stream.backfilled - live.before >= 20      # the outage came from history

    # (b) the same stretch from historical ticks
    bt.stores.IBStore.reset()
    hist = run(bt.feeds.IBData(dataname='AAPL', ticks='AllLast', historical=True,
                               fromdate=FROM, todate=UNTIL + dt.timedelta(minutes=1),
                               tz='UTC', **storekw(sim, client)))
    assert len(hist.bars) == 33        # 14:40 (its first second only) .. 15:12
    assert live.bars == hist.bars                    # every minute, outage included

    # (c) downloaded to a file, backtested
    got = download_ticks('AAPL', FROM, UNTIL + dt.timedelta(minutes=1), timezone='UTC',
                         **storekw(sim, client))
    path = tmp_path / 'aapl_ticks.csv'
    write_ticks(got, str(path))
    back = run(IBTickCSVData(dataname=str(path)))
    assert back.bars == hist.bars and back.signals == live.signals
    went_live = min(t for t, _ in live.placed)
    expected = [(t, s > 0) for t, s in back.signals if t >= went_live]
    assert live.placed == expected and len(expected) >= 2


class Record(bt.Strategy):
    """Every next of a replayed feed: the bar as it grows, and the quote lines."""
    params = (('until', dt.datetime(2024, 3, 5, 15, 3)),)

    def __init__(self):
        self.seen = []

    def next(self):
        d = self.data
        now = d.datetime.datetime(0)
        if now > self.p.until:
            return self.env.runstop()
        self.seen.append((now, d.open[0], d.high[0], d.low[0], d.close[0], d.volume[0]))


def test_replayed_bidask_ticks_live_equal_history(make_sim, client):
    sim = make_sim(start=START, speed=120)
    sim.set_pacing(False)
    frm = dt.datetime(2024, 3, 5, 14, 57)

    def replay(**kw):
        cerebro = bt.Cerebro(stdstats=False)
        data = bt.feeds.IBData(dataname='AAPL', ticks='BidAsk', fromdate=frm, tz='UTC',
                               qcheck=0.1, **kw, **storekw(sim, client))
        cerebro.replaydata(data, timeframe=bt.TimeFrame.Minutes, compression=1)
        cerebro.addstrategy(Record)
        out = cerebro.run()[0].seen
        bt.stores.IBStore.reset()
        return out
    live = replay()
    hist = replay(historical=True, todate=dt.datetime(2024, 3, 5, 15, 4))
    assert len(hist) > 100 and live == hist
    mids = [c for *_, c, _ in hist]
    assert len(set(mids)) > 5 and all(v == 0 for *_, v in hist)   # quotes have no size


def test_the_clock_closes_a_resampled_tick_bar(make_sim, client):
    """No tick after 15:00:03: the 2-second bar ending 15:00:04 is closed by the
    clock (the gateway's time, checked every qcheck), not by a later tick."""
    sim = make_sim(start=START)                       # a stepped clock: no tick unless told
    sim.set_pacing(False)
    cerebro = bt.Cerebro(stdstats=False)
    data = bt.feeds.IBData(dataname='AAPL', ticks='AllLast', backfill_start=False, tz='UTC',
                           qcheck=0.1, **storekw(sim, client))
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Seconds, compression=2)
    got = []

    class Stop(bt.Strategy):
        def notify_data(self, data, status, *args, **kwargs):
            if status == data.LIVE:
                threading.Timer(0.3, sim.advance, (3,)).start()   # ticks of 15:00:01-03

        def next(self):
            got.append((self.data.datetime.datetime(0), self.data.close[0],
                        self.data.volume[0]))
            if self.data.datetime.datetime(0) >= dt.datetime(2024, 3, 5, 15, 0, 4):
                self.env.runstop()
    cerebro.addstrategy(Stop)
    guard = threading.Timer(15, cerebro.runstop)
    guard.start()
    try:
        cerebro.run()
    finally:
        guard.cancel()
    t0 = int(START.timestamp())
    from backtrader_ib.ibsim.history import tick_rows
    inst = next(i for i in sim.gateway.catalog if i.symbol == 'AAPL' and i.secType == 'STK')
    ticks = tick_rows(sim.gateway.quotes(inst), 'TRADES', t0 + 1, t0 + 4, False, 99, False)
    assert got[-1] == (dt.datetime(2024, 3, 5, 15, 0, 4), ticks[-1][1], ticks[-1][2])
