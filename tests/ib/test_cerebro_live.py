"""End to end: Cerebro's live loop with IBData + IBBroker against ibsim (accelerated clock)."""
import datetime as dt

import pytest

import backtrader_ib as bt

from .conftest import START, storekw

PACING = ('Historical Market Data Service error message:Historical data request pacing '
          'violation')


class LiveTrader(bt.Strategy):
    params = (('lastbar', 8),)

    def __init__(self):
        self.statuses, self.orders, self.trades, self.live = [], [], [], 0
        self.storemsgs = []

    def notify_data(self, data, status, *args, **kwargs):
        self.statuses.append(data._getstatusname(status))

    def notify_store(self, msg, *args, **kwargs):
        self.storemsgs.append(msg)

    def notify_order(self, order):
        self.orders.append((order.ref, order.getstatusname()))

    def notify_trade(self, trade):
        if trade.isclosed:
            self.trades.append(trade)

    def next(self):
        if self.data._laststatus != self.data.LIVE:
            return
        self.live += 1
        if self.live == 2:
            self.buy(size=10)
        elif self.live == 6:
            self.close()
        elif self.live >= self.p.lastbar and not self.position:
            self.env.runstop()


def test_live_run_trades_and_notifies(make_sim, client):
    sim = make_sim(speed=60)
    cerebro = bt.Cerebro()
    kw = storekw(sim, client)
    data = bt.feeds.IBData(dataname='AAPL', timeframe=bt.TimeFrame.Seconds, compression=5,
                           rtbar=True, fromdate=START.replace(tzinfo=None) - dt.timedelta(minutes=1),
                           tz='UTC', **kw)
    cerebro.adddata(data)
    cerebro.setbroker(bt.brokers.IBBroker())
    cerebro.addstore(data.ib)
    cerebro.addstrategy(LiveTrader)
    strat = cerebro.run()[0]
    assert strat.statuses[:3] == ['CONNECTED', 'DELAYED', 'LIVE']
    assert len(strat) >= 12 + 8                       # the backfilled minute, then live bars
    refs = sorted({r for r, _ in strat.orders})
    assert [s for r, s in strat.orders if r == refs[0]] == ['Submitted', 'Accepted', 'Completed']
    assert [s for r, s in strat.orders if r == refs[1]][-1] == 'Completed'
    assert len(strat.trades) == 1 and strat.trades[0].commission > 0
    assert any('2104' in str(m) for m in strat.storemsgs)
    times = [data.datetime[-i] for i in range(len(data) - 1, -1, -1)]
    assert times == sorted(set(times))


@pytest.mark.parametrize('runonce', [True, False])
def test_historical_run_delivers_notifications(sim, client, runonce):
    # backtrader never delivers them in historical mode (preload + runonce)
    sim.fail_next(20, 162, PACING)                 # a store notification during the download
    cerebro = bt.Cerebro()
    data = bt.feeds.IBData(dataname='AAPL', historical=True, timeframe=bt.TimeFrame.Minutes,
                           fromdate=dt.datetime(2024, 3, 5, 9), **storekw(sim, client))
    cerebro.adddata(data)
    cerebro.addstrategy(LiveTrader)
    strat = cerebro.run(runonce=runonce)[0]
    assert len(strat) == 60
    assert strat.statuses == ['CONNECTED', 'DELAYED', 'DISCONNECTED']
    assert any(getattr(m, 'code', 0) == 2104 for m in strat.storemsgs)   # the store was added
    assert any(getattr(m, 'code', 0) == 162 for m in strat.storemsgs)
    assert any('Pacing violation (162), retrying' in str(m) for m in strat.storemsgs)


def test_historical_runonce_with_two_feeds_delivers_notifications(sim, client):
    # the general runonce loop (several datas), not only the one-data fast path
    cerebro = bt.Cerebro()
    kw = storekw(sim, client)
    for name in ('AAPL', 'MSFT'):
        cerebro.adddata(bt.feeds.IBData(dataname=name, historical=True,
                                        timeframe=bt.TimeFrame.Minutes,
                                        fromdate=dt.datetime(2024, 3, 5, 9), **kw))
    cerebro.addstrategy(LiveTrader)
    strat = cerebro.run()[0]
    assert len(strat) == 60
    assert sorted(strat.statuses) == sorted(['CONNECTED', 'DELAYED', 'DISCONNECTED'] * 2)
    assert any(getattr(m, 'code', 0) == 2104 for m in strat.storemsgs)


class BracketTrader(LiveTrader):
    def next(self):
        if self.data._laststatus != self.data.LIVE:
            return
        self.live += 1
        if self.live == 2:
            px = self.data.close[0]
            self.bracket = self.buy_bracket(size=5, price=px * 1.001, stopprice=px * 0.9995,
                                            limitprice=px * 1.0005)
        elif self.live > 2 and not any(o.alive() for o in self.bracket):
            self.env.runstop()
        elif self.live > 400:
            self.env.runstop()


def test_live_bracket_through_strategy(make_sim, client):
    sim = make_sim(speed=60)
    cerebro = bt.Cerebro()
    data = bt.feeds.IBData(dataname='AAPL', timeframe=bt.TimeFrame.Seconds, compression=5,
                           rtbar=True, backfill_start=False, **storekw(sim, client))
    cerebro.adddata(data)
    cerebro.setbroker(bt.brokers.IBBroker())
    cerebro.addstrategy(BracketTrader)
    strat = cerebro.run()[0]
    parent, stop, limit = strat.bracket
    final = {r: s for r, s in strat.orders}
    assert final[parent.ref] == 'Completed'
    assert sorted([final[stop.ref], final[limit.ref]]) == ['Canceled', 'Completed']
    assert len(strat.trades) == 1


class LateTick(bt.Strategy):
    """Once live, reports a trade 5 s into a bar already delivered; stops 3 bars later."""
    params = (('sim', None), ('price', 0.0))

    def __init__(self):
        self.bars, self.injected = [], None

    def next(self):
        d = self.data
        self.bars.append((d.datetime[0], d.high[0], d.volume[0]))
        if d._laststatus != d.LIVE:
            return
        n = len(self.bars)
        if self.injected is None and n >= 3:
            end = bt.num2date(d.datetime[0]).replace(tzinfo=dt.timezone.utc)
            self.p.sim.late_trade(265598, self.p.price, 777777, end - dt.timedelta(seconds=5))
            self.injected = n
        elif self.injected is not None and n >= self.injected + 3:
            self.env.runstop()


@pytest.mark.parametrize('latethrough', [False, True])
def test_late_tick_after_a_resampled_bar(make_sim, client, latethrough):
    sim = make_sim(speed=60)
    cerebro = bt.Cerebro()
    data = bt.feeds.IBData(dataname='AAPL', timeframe=bt.TimeFrame.Seconds, compression=10,
                           backfill_start=False, latethrough=latethrough,
                           **storekw(sim, client))
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Seconds, compression=10)
    price = 1000.0                                   # far above AAPL's ~170: easy to spot
    cerebro.addstrategy(LateTick, sim=sim, price=price)
    strat = cerebro.run()[0]
    bars = strat.bars
    assert strat.injected and len(bars) >= strat.injected + 3
    times = [b[0] for b in bars]
    assert times == sorted(set(times))               # time order kept either way
    late = [b for b in bars if b[2] >= 777777]
    if not latethrough:
        assert late == [] and max(b[1] for b in bars) < price       # dropped by the feed
    else:
        # let through: the resampler (takelate) puts it into the bar being built
        assert len(late) == 1 and late[0][1] == price
        assert bars.index(late[0]) >= strat.injected


class ClockClose(bt.Strategy):
    """Moves the (stepped) gateway one second once live, then waits for a bar."""
    params = (('sim', None),)

    def __init__(self):
        self.bars, self.moved = [], False

    def notify_data(self, data, status, *args, **kwargs):
        if status == data.LIVE and not self.moved:
            self.moved = True
            self.p.sim.advance(1)                  # one trade at START + 1 s, then nothing

    def next(self):
        self.bars.append((bt.num2date(self.data.datetime[0]), self.data.volume[0]))
        self.env.runstop()


def test_qcheck_wakeups_close_resampled_bars_by_the_clock(sim, client):
    # notes b.5: with no further tick, the live loop's qcheck wake-ups let the
    # resampler close the bar when the gateway-corrected clock passes its end
    cerebro = bt.Cerebro()
    data = bt.feeds.IBData(dataname='AAPL', timeframe=bt.TimeFrame.Seconds, compression=1,
                           backfill_start=False, qcheck=0.1, **storekw(sim, client))
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Seconds, compression=2)
    cerebro.addstrategy(ClockClose, sim=sim)
    strat = cerebro.run()[0]
    end = START.replace(tzinfo=None) + dt.timedelta(seconds=2)
    assert [b[0] for b in strat.bars] == [end] and strat.bars[0][1] > 0
