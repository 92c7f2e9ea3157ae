"""IBBroker orders that ibsim works and fills end to end (notes f.1/f.2): MOC,
trailing stops (TRAIL, TRAIL LIMIT), OCO groups, and TWS's Inactive status."""
import datetime as dt

import pytest

import backtrader_ib as bt
from backtrader_ib.order import Order

from .conftest import live_feed, pull_until
from .test_ibbroker import broker, feed, is_live, names, step  # noqa: F401  (fixtures)


def run_until_done(sim, broker, orders, seconds=1.0, steps=120):  # noqa: F811
    notes = []
    for _ in range(steps):
        notes += step(sim, broker, seconds)
        if not any(o.alive() for o in orders):
            break
    return notes


def test_inactive_is_rejected(sim, broker, feed):  # noqa: F811
    sim.inactivate_next()                      # TWS: orderStatus Inactive, nothing else
    o = broker.buy(None, feed, 5, price=feed.close[0] * 0.5, exectype=Order.Limit)
    assert names(step(sim, broker, 1)) == ['Submitted', 'Rejected']
    assert o.status == Order.Rejected and o.ibstatus == 'Inactive'
    o2 = broker.buy(None, feed, 5)             # the next order works again
    assert names(step(sim, broker, 2)) == ['Submitted', 'Accepted', 'Completed']
    assert broker.getposition(feed).size == 5 and not o2.alive()


@pytest.fixture
def near_close(make_sim, client):
    """ibsim two minutes before the regular close (15:58 New York)."""
    sim = make_sim(start=dt.datetime(2024, 3, 5, 20, 58, tzinfo=dt.timezone.utc))
    sim.set_pacing(False)
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, backfill_start=False)
    pull_until(data, is_live)
    b = bt.brokers.IBBroker()
    b.start()
    return sim, b, data


def test_market_on_close_fills_at_the_close(near_close):
    sim, broker, data = near_close  # noqa: F811
    o = broker.buy(None, data, 10, exectype=Order.Close)
    assert o.iborder.orderType == 'MOC'
    assert names(step(sim, broker, 1)) == ['Submitted', 'Accepted']
    assert names(step(sim, broker, 60)) == []        # 15:59: still waiting for the close
    notes = step(sim, broker, 90)                    # through 16:00
    assert names(notes) == ['Completed'] and notes[-1][2] == 10
    close = bt.num2date(o.executed.dt)
    assert close == dt.datetime(2024, 3, 5, 21, 0)  # stamped at the close (UTC)
    assert broker.getposition(data).size == 10
    assert broker.getposition(data).price == pytest.approx(o.executed.price)


def test_trailing_stop_fills(sim, broker, feed):  # noqa: F811
    buy = broker.buy(None, feed, 10)
    step(sim, broker, 2)
    assert not buy.alive()
    trail = broker.sell(None, feed, 10, exectype=Order.StopTrail, trailamount=0.02)
    assert (trail.iborder.orderType, trail.iborder.auxPrice) == ('TRAIL', 0.02)
    notes = run_until_done(sim, broker, [trail])
    assert names(notes) == ['Submitted', 'Accepted', 'Completed']
    assert trail.executed.size == -10 and broker.getposition(feed).size == 0


def test_trailing_percent_stop_fills(sim, broker, feed):  # noqa: F811
    trail = broker.buy(None, feed, 4, exectype=Order.StopTrail, trailpercent=0.0002)
    assert trail.iborder.trailingPercent == pytest.approx(0.02)
    notes = run_until_done(sim, broker, [trail])
    assert names(notes) == ['Submitted', 'Accepted', 'Completed']
    assert broker.getposition(feed).size == 4


def test_trailing_stop_limit_fills_within_its_limit(sim, broker, feed):  # noqa: F811
    px = feed.close[0]
    stop, limit = round(px - 0.02, 2), round(px - 0.06, 2)
    trail = broker.sell(None, feed, 10, exectype=Order.StopTrailLimit, price=stop,
                        plimit=limit, trailamount=0.02)
    ib = trail.iborder
    assert (ib.orderType, ib.trailStopPrice, ib.auxPrice) == ('TRAIL LIMIT', stop, 0.02)
    assert ib.lmtPriceOffset == pytest.approx(0.04)
    notes = run_until_done(sim, broker, [trail])
    assert names(notes)[:2] == ['Submitted', 'Accepted'] and names(notes)[-1] == 'Completed'
    assert set(names(notes)[2:-1]) <= {'Partial'}
    # filled at or above the limit the trailing stop set when it triggered
    assert trail.executed.price >= limit - 1e-9
    assert broker.getposition(feed).size == -10


def test_oco_fill_cancels_the_other(sim, broker, feed):  # noqa: F811
    buy = broker.buy(None, feed, 10)
    step(sim, broker, 2)
    px = buy.executed.price
    # a take-profit and a stop-loss, one cancels the other; DAY orders: the
    # sibling's cancel is Canceled, not Expired
    take = broker.sell(None, feed, 10, price=px * 1.0003, exectype=Order.Limit,
                       valid=Order.DAY)
    stop = broker.sell(None, feed, 10, price=px * 0.5, exectype=Order.Stop, valid=Order.DAY,
                       oco=take)
    assert stop.iborder.ocaGroup == take.iborder.ocaGroup and stop.iborder.ocaType == 1
    assert stop.oco is take
    notes = run_until_done(sim, broker, [take, stop])
    assert names(notes, take.ref) == ['Submitted', 'Accepted', 'Completed']
    assert names(notes, stop.ref) == ['Submitted', 'Accepted', 'Canceled']
    assert broker.getposition(feed).size == 0


def test_orders_without_oco_are_independent(sim, broker, feed):  # noqa: F811
    px = feed.close[0]
    rest = broker.buy(None, feed, 5, price=px * 0.5, exectype=Order.Limit)
    mkt = broker.buy(None, feed, 5)
    assert rest.iborder.ocaGroup != mkt.iborder.ocaGroup
    notes = step(sim, broker, 2)
    assert names(notes, mkt.ref)[-1] == 'Completed'
    assert rest.alive() and names(notes, rest.ref) == ['Submitted', 'Accepted']
