"""IBBroker checks every order before sending it (issue 19, items 4 and 7): a bad
order is Rejected with its reason and nothing reaches the gateway; prices go to
the contract's tick grid; the user's limits (maxsize, maxnotional)."""
import math
import time

import pytest

import backtrader_ib as bt
from backtrader_ib.order import Order
from backtrader_ib.stores.ibchecks import OrderCheckError, check_order, on_tick

from .test_ibbroker import broker, feed, names, step  # noqa: F401  (fixtures)


def placed(sim):
    return sim.requests(3)                       # placeOrder messages the gateway got


def texts(store):
    return [str(m) for m, *_ in store.get_notifications()]


@pytest.mark.parametrize('kw, reason, raised', [
    ({'size': math.nan}, 'size nan is not a finite positive number', 'finite'),
    ({'size': math.inf}, 'size inf is not a finite positive number', 'finite'),
    ({'size': 5, 'price': math.inf, 'exectype': Order.Limit}, 'limit price inf', 'finite'),
    ({'size': 5, 'price': math.nan, 'exectype': Order.Stop}, 'stop price nan', 'finite'),
    ({'size': 5, 'exectype': 99}, 'exectype 99 is not an order type', 'exectype'),
])
def test_bad_numbers_never_reach_ib(sim, broker, feed, kw, reason, raised):  # noqa: F811
    # bt.Order itself may refuse them (ValueError at the call, as in a backtest);
    # if it lets them through, the broker's check rejects the order
    try:
        o = broker.buy(None, feed, **kw)
    except ValueError as e:
        assert raised in str(e)
    else:
        assert o.status == Order.Rejected and reason in o.info.reject_reason
    step(sim, broker, 1)
    assert placed(sim) == [] and broker.getposition(feed).size == 0


@pytest.mark.parametrize('kw, reason', [
    ({'size': 0}, 'size 0 is not a finite positive number'),
    ({'size': 5, 'price': -5.0, 'exectype': Order.Limit}, 'limit price -5.0'),
    ({'size': 5, 'price': 0.0, 'exectype': Order.Stop}, 'stop price 0.0'),
    ({'size': 5, 'price': 100.0, 'plimit': -1.0, 'exectype': Order.StopLimit}, 'limit price -1.0'),
])
def test_bad_orders_are_rejected_before_sending(sim, broker, feed, kw, reason):  # noqa: F811
    before = len(placed(sim))
    o = broker.buy(None, feed, **kw)
    assert o.status == Order.Rejected and reason in o.info.reject_reason
    assert names(step(sim, broker, 1)) == ['Rejected']          # no phantom Submitted
    assert len(placed(sim)) == before                             # nothing reached IB
    msgs = [m for m in texts(broker.ib) if 'rejected before sending' in m]
    assert msgs and reason in msgs[-1] and f'ref {o.ref}' in msgs[-1]
    assert broker.getposition(feed).size == 0


def test_user_limits(sim, client, feed):  # noqa: F811
    b = bt.brokers.IBBroker(maxsize=100, maxnotional=5_000)
    b.start()
    big = b.buy(None, feed, 101)
    rich = b.buy(None, feed, 50)                                   # ~170 x 50 = 8,500
    cheap = b.buy(None, feed, 50, price=90.0, exectype=Order.Limit)  # 4,500 at its limit
    assert 'maxsize=100' in big.info.reject_reason
    assert 'maxnotional=5000' in rich.info.reject_reason and 'size 50 x price' in rich.info.reject_reason
    assert names(step(sim, b, 1)) == ['Rejected', 'Rejected', 'Submitted', 'Accepted']
    assert len(placed(sim)) == 1 and cheap.alive()


def test_prices_go_to_the_tick_grid(sim, broker, feed):  # noqa: F811
    px = round(feed.close[0] * 0.5, 2)
    buy = broker.buy(None, feed, 5, price=px + 0.0071, exectype=Order.Limit)
    sell = broker.sell(None, feed, 5, price=px * 4 + 0.0021, exectype=Order.Limit)
    stop = broker.sell(None, feed, 5, price=px + 0.0049, exectype=Order.Stop)
    assert buy.iborder.lmtPrice == pytest.approx(px)               # a buy limit: down
    assert sell.iborder.lmtPrice == pytest.approx(round(px * 4, 2) + 0.01)  # a sell limit: up
    assert stop.iborder.auxPrice == pytest.approx(px)              # a stop: nearest
    notes = step(sim, broker, 1)
    assert sorted(names(notes)) == ['Accepted'] * 3 + ['Submitted'] * 3   # ibsim took them


def test_order_on_a_data_that_is_not_ib(sim, broker, feed):  # noqa: F811
    csv = bt.feeds.BacktraderCSVData(dataname=bt.__path__[0] + '/datas/orcl-1995-2014.csv')
    csv._start()
    csv.next()
    o = broker.buy(None, csv, 1)
    assert o.status == Order.Rejected and 'is not an IB feed' in o.info.reject_reason
    step(sim, broker, 1)
    assert placed(sim) == []


def test_bracket_child_of_a_rejected_parent_is_rejected(sim, broker, feed):  # noqa: F811
    parent = broker.buy(None, feed, 0, price=100.0, exectype=Order.Limit, transmit=False)
    child = broker.sell(None, feed, 5, price=90.0, exectype=Order.Stop, parent=parent)
    assert parent.status == child.status == Order.Rejected
    assert f'parent order ref {parent.ref}' in child.info.reject_reason
    step(sim, broker, 1)
    assert placed(sim) == []


def test_check_order_pure():
    base = {'action': 'BUY', 'totalQuantity': 10, 'orderType': 'LMT', 'lmtPrice': 1.08503}
    assert check_order(base, 0.00005)['lmtPrice'] == 1.085
    assert check_order(dict(base, action='SELL'), 0.00005)['lmtPrice'] == 1.08505
    assert check_order(dict(base, lmtPrice=5110.3), 0.25)['lmtPrice'] == 5110.25
    trail = {'action': 'SELL', 'totalQuantity': 1, 'orderType': 'TRAIL', 'auxPrice': 0.01}
    assert check_order(trail, 0.25)['auxPrice'] == 0.25            # at least one tick
    with pytest.raises(OrderCheckError, match='trailing percent'):
        check_order({'action': 'SELL', 'totalQuantity': 1, 'orderType': 'TRAIL',
                     'trailingPercent': 150.0})
    with pytest.raises(OrderCheckError, match='multiplier 50'):
        check_order({'action': 'BUY', 'totalQuantity': 2, 'orderType': 'MKT'},
                    maxnotional=100_000, refprice=5000.0, multiplier=50)
    assert on_tick(0.30000000000000004, 0.1) == 0.3 and on_tick(170.005, 0.01, 'up') == 170.01


def test_unknown_order_code_does_not_reject(sim, broker, feed):  # noqa: F811
    # issue 19 item 7: TWS may keep working an order it sends e.g. 10349 about
    o = broker.buy(None, feed, 5)
    sim.send_error(10349, 'Order TIF was set to DAY based on order preset.', req_id=o.orderId)
    notes = step(sim, broker, 2)
    assert 'Rejected' not in names(notes) and names(notes)[-1] == 'Completed'
    assert not o.alive() and broker.getposition(feed).size == 5


def test_unknown_code_on_a_working_order_is_notified(sim, broker, feed):  # noqa: F811
    o = broker.buy(None, feed, 5, price=round(feed.close[0] * 0.5, 2), exectype=Order.Limit)
    step(sim, broker, 1)
    broker.ib.get_notifications()
    sim.send_error(10349, 'Order TIF was set to DAY based on order preset.', req_id=o.orderId)
    assert step(sim, broker, 1) == [] and o.status == Order.Accepted
    msgs = [m for m in texts(broker.ib) if 'IB message 10349' in m]
    assert msgs and f'order ref {o.ref}' in msgs[0] and 'stays Accepted' in msgs[0]


def test_a_slow_store_never_raises_out_of_buy(sim, client, feed):  # noqa: F811
    # issue 19 item 7: a timeout in place_order propagated out of next()
    b = bt.brokers.IBBroker(placetimeout=0.1)
    b.start()
    b.buy(None, feed, 1)                          # (a first order may look things up)
    step(sim, b, 2)
    b.ib._loop.call_soon_threadsafe(time.sleep, 0.6)  # the store's loop is busy
    o = b.buy(None, feed, 5)
    assert o.status == Order.Submitted and o.orderId is None
    time.sleep(0.15)
    b.next()                                      # past placetimeout: said once
    assert sum('is being sent' in m for m in texts(b.ib)) == 1
    time.sleep(0.55)
    notes = step(sim, b, 2)
    assert names(notes)[-2:] == ['Accepted', 'Completed']        # the id came as an event
    assert o.orderId is not None and b.orderbyid[o.orderId] is o
    assert b.getposition(feed).size == 6
