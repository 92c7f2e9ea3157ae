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
    params = (('live', False), ('until', UNTIL))

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


def run(data, live=False, broker=None):
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=1)
    if broker is not None:
        cerebro.setbroker(broker)
    cerebro.addstrategy(Cross, live=live)
    return cerebro.run()[0]


def test_live_ticks_with_an_outage_equal_history_and_the_file(make_sim, client, tmp_path):
    sim = make_sim(start=START, speed=120)
    sim.set_pacing(False)
    kw = storekw(sim, client)

    # (a) live, with the gateway restarting 2.5 real s (5 simulated minutes) in
    # (15:05); it stays away 0.25 s (30 simulated seconds of ticks)
    data = bt.feeds.IBData(dataname='AAPL', ticks='AllLast', fromdate=FROM, tz='UTC',
                           qcheck=0.1, **kw)
    outage = threading.Timer(2.5, sim.restart, kwargs={'down_for': 0.25})
    outage.start()
    try:
        live = run(data, live=True, broker=bt.brokers.IBBroker())
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
