"""The reconnection policy (issue 19, item 3): by default the store keeps trying
through a gateway restart, bounded by ``maxoutage``, notifying every attempt; if
it gives up the run ends with IBConnectionLost naming the open position and
orders, never as if it had finished normally."""
import threading
import time

import pytest

import backtrader_ib as bt
from backtrader_ib.stores import IBConnectionLost, IBStore

from .conftest import drain, live_feed, pull_until, storekw
from .test_ibbroker import is_live, store_texts
from .test_ibdata_live import NOW, S5, steps_of


def test_defaults_keep_trying_for_15_minutes():
    p = dict(IBStore.params._getitems())
    assert (p['reconnect'], p['maxoutage']) == (-1, 900.0)


def test_a_ten_minute_outage_is_ridden_out_and_backfilled(sim, client):
    # the gateway is down: 1.5 s of real time (the retry pace is scaled down), ten
    # minutes of market time; every attempt notified, the gap backfilled
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Seconds, compression=5, rtbar=True,
                     backfill_start=False, reconnect=-1, maxoutage=5.0, maxbackoff=0.3)
    seen = []
    times = pull_until(data, is_live, seen=seen)
    sim.advance(20)
    times += drain(data, seen=seen, until=NOW + 20 / 86400)
    store = data.ib
    store.get_notifications()
    sim.restart(down_for=1.5)
    sim.advance(600)                                # ten minutes of market while it was down
    times += pull_until(data, lambda s: s[-1:] == ['LIVE'] and 'CONNBROKEN' in s, seen=seen,
                        timeout=10)
    assert seen[-3:] == ['CONNBROKEN', 'DELAYED', 'LIVE']
    assert steps_of(times, S5) == {1.0}             # the ten minutes backfilled, no gap
    assert times[-1] == pytest.approx(NOW + 620 / 86400)
    msgs = store_texts(store)
    assert any('lost; reconnecting for up to 5 s' in m for m in msgs)
    failed = [m for m in msgs if 'failed (attempt' in m]
    assert len(failed) >= 3 and 'giving up after 5 s' in failed[0]
    assert any(m.startswith('IBStore: reconnected to') for m in msgs)
    assert store.lost is None and store.isconnected()


class Holder(bt.Strategy):
    """Buys 10, rests a limit order, then just holds."""

    def __init__(self):
        self.live, self.storemsgs = 0, []

    def notify_store(self, msg, *args, **kwargs):
        self.storemsgs.append(str(msg))

    def next(self):
        if self.data._laststatus != self.data.LIVE:
            return
        self.live += 1
        if self.live == 1:
            self.buy(size=10)
            self.buy(size=5, price=round(self.data.close[0] * 0.5, 2), exectype=bt.Order.Limit)


def test_giving_up_ends_the_run_with_an_error_and_a_summary(make_sim, client):
    sim = make_sim(speed=60)
    cerebro = bt.Cerebro()
    kw = storekw(sim, client, reconnect=-1, maxoutage=1.0)
    data = bt.feeds.IBData(dataname='AAPL', timeframe=bt.TimeFrame.Seconds, compression=5,
                           rtbar=True, backfill_start=False, tz='UTC', **kw)
    cerebro.adddata(data)
    cerebro.setbroker(bt.brokers.IBBroker())
    cerebro.addstrategy(Holder)

    def kill_gateway_once_filled():
        end = time.monotonic() + 20
        while time.monotonic() < end:
            working = sim._call(lambda: [o for o in sim.gateway.engine.orders.values()
                                         if o.working])
            if sim.positions().get(265598) == 10 and working:   # filled, and the limit rests
                sim.stop()                         # the gateway never comes back
                return
            time.sleep(0.05)
    threading.Thread(target=kill_gateway_once_filled, daemon=True).start()
    t0 = time.monotonic()
    with pytest.raises(IBConnectionLost) as err:
        cerebro.run()
    assert time.monotonic() - t0 < 30
    msg = str(err.value)
    assert msg.startswith('IBStore: gave up reconnecting to 127.0.0.1:')
    assert 'Open positions: AAPL STK' in msg and ': 10 @ ' in msg
    assert 'BUY 5 LMT lmtPrice=' in msg and 'GTC Accepted' in msg
    assert 'Orders stay at IB' in msg


def test_gateway_down_at_start_is_not_silent(client, caplog):
    data = bt.feeds.IBData(dataname='AAPL', port=1, client=client, reconnect=-1, maxoutage=0.5,
                           timeout=0.05, maxbackoff=0.1)
    t0 = time.monotonic()
    with caplog.at_level('WARNING', logger='backtrader_ib.ibstore'):
        data._start()
    assert 0.4 < time.monotonic() - t0 < 5             # bounded by maxoutage, not forever
    assert data.load() is False
    texts = [str(m) for m, *_ in data.ib.get_notifications()]
    assert sum('failed (attempt' in m for m in texts) >= 2
    assert any('cannot connect to 127.0.0.1:1 after' in m for m in texts)
    assert any('failed (attempt 1' in r.getMessage() for r in caplog.records)
