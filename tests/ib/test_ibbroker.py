"""IBBroker against ibsim (notes f.1-f.3), on both client libraries, plus the pure order mapping."""
import datetime as dt
import importlib
import os
import asyncio
import time

import pytest

import backtrader_ib as bt
from backtrader_ib.brokers.ibbroker import ReadOnlyError
from backtrader_ib.order import Order
from backtrader_ib.stores.iborders import order_fields, time_in_force

from .conftest import live_feed, pull_until

AAPL = 265598


def is_live(seen):
    return seen and seen[-1] == 'LIVE'


@pytest.fixture
def feed(sim, client):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes,
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    pull_until(data, is_live)
    return data


@pytest.fixture
def broker(feed):
    b = bt.brokers.IBBroker()
    b.start()
    return b


def sync(store):
    """A round trip: every message the gateway sent before it has been handled."""
    store.call(store.server_time(), timeout=10)


def step(sim, broker, seconds=0.0):
    store = broker.ib
    sync(store)
    if seconds:
        sim.advance(seconds)
        sync(store)
    broker.next()
    out = []
    while (n := broker.get_notification()) is not None:
        out.append((n.ref, n.getstatusname(), n.executed.size))
    return out


def names(notes, ref=None):
    return [s for r, s, _ in notes if ref is None or r == ref]


def test_market_order_fills_from_executions(sim, broker, feed):
    cash0 = broker.getcash()
    o = broker.buy(None, feed, 10)
    notes = step(sim, broker, 2)
    assert names(notes) == ['Submitted', 'Accepted', 'Completed']
    assert notes[-1][2] == 10
    pos = broker.getposition(feed)
    assert pos.size == 10 and pos.price == pytest.approx(o.executed.price)
    assert o.executed.comm > 0                       # IB's commission report
    step(sim, broker, 1)
    assert broker.getcash() == pytest.approx(cash0 - 10 * o.executed.price - o.executed.comm,
                                             abs=0.01)
    assert broker.getvalue() > 0
    assert broker.getvalue([feed]) == pytest.approx(10 * feed.close[0])


def test_limit_order_cancel(sim, broker, feed):
    o = broker.buy(None, feed, 5, price=feed.close[0] * 0.5, exectype=Order.Limit)
    assert names(step(sim, broker, 1)) == ['Submitted', 'Accepted']
    broker.cancel(o)
    assert names(step(sim, broker, 1)) == ['Canceled']
    assert not o.alive() and o.status == Order.Canceled


def test_partial_fills(sim, broker, feed):
    o = broker.buy(None, feed, 20000, price=feed.close[0] * 1.01, exectype=Order.Limit)
    notes = []
    for _ in range(60):
        notes += step(sim, broker, 1)
        if not o.alive():
            break
    states = names(notes)
    assert states[:2] == ['Submitted', 'Accepted']
    assert 'Partial' in states and states[-1] == 'Completed'
    sizes = [s for _, st, s in notes if st in ('Partial', 'Completed')]
    assert sizes == sorted(sizes) and sizes[-1] == 20000
    assert broker.getposition(feed).size == 20000


def test_bracket(sim, broker, feed):
    px = feed.close[0]
    parent = broker.buy(None, feed, 10, price=px * 1.01, exectype=Order.Limit, transmit=False)
    stop = broker.sell(None, feed, 10, price=px * 0.5, exectype=Order.Stop, parent=parent,
                       transmit=False)
    take = broker.sell(None, feed, 10, price=px * 1.0001, exectype=Order.Limit, parent=parent,
                       transmit=True)
    assert [parent.iborder.transmit, stop.iborder.transmit, take.iborder.transmit] == \
        [False, False, True]
    notes = step(sim, broker)   # buy()/sell() queue the orders; the loop gives the ids
    assert [stop.iborder.parentId, take.iborder.parentId] == [parent.orderId] * 2
    for _ in range(30):
        notes += step(sim, broker, 2)
        if not take.alive() and not stop.alive():
            break
    assert names(notes, parent.ref)[-1] == 'Completed'
    assert names(notes, take.ref)[-1] == 'Completed'
    assert names(notes, stop.ref)[-1] == 'Canceled'      # one-cancels-all at the gateway
    assert broker.getposition(feed).size == 0


def test_gtd_expires_and_day_is_day(sim, broker, feed):
    # valid as a naive datetime in the data's zone (New York): 10:01 = 15:01 UTC
    o = broker.buy(None, feed, 5, price=feed.close[0] * 0.5, exectype=Order.Limit,
                   valid=dt.datetime(2024, 3, 5, 10, 1))
    assert (o.iborder.tif, o.iborder.goodTillDate) == ('GTD', '20240305-15:01:00')
    assert names(step(sim, broker, 1)) == ['Submitted', 'Accepted']
    assert names(step(sim, broker, 90)) == ['Expired']
    d = broker.buy(None, feed, 5, price=feed.close[0] * 0.5, exectype=Order.Limit,
                   valid=Order.DAY)
    assert d.iborder.tif == 'DAY'
    broker.cancel(d)
    assert names(step(sim, broker, 1))[-1] == 'Canceled'   # ours: Canceled, not Expired


def test_informational_codes_do_not_reject(sim, broker, feed):
    o = broker.buy(None, feed, 5, price=feed.close[0] * 0.5, exectype=Order.Limit)
    step(sim, broker, 1)
    sim.send_error(399, 'Order Message: Warning: your order will not be placed at the exchange '
                   'until 2024-03-05 09:30:00 US/Eastern', req_id=o.orderId)
    sim.send_error(404, 'Shares for this order are not immediately available', req_id=o.orderId)
    assert step(sim, broker, 1) == []
    assert o.status == Order.Accepted


def test_rejection(sim, broker, feed):
    sim.fail_next(3, 201, 'Order rejected - reason:Your account has insufficient funds.')
    o = broker.buy(None, feed, 5)
    notes = step(sim, broker, 1)
    assert names(notes) == ['Submitted', 'Rejected']
    assert o.status == Order.Rejected


def test_fill_while_disconnected_is_notified_after_reconnection(sim, broker, feed):
    o = broker.buy(None, feed, 7, price=feed.close[0] * 0.5, exectype=Order.Limit)
    step(sim, broker, 1)
    sim.withhold(11, 59)               # the fill happens but its reports are never delivered
    o2 = broker.buy(None, feed, 3)     # a market order filled now, reports withheld
    sync(broker.ib)
    sim.advance(2)
    sim.restart(down_for=0.2)
    sim.release(11, 59)
    notes = []
    end = time.monotonic() + 10
    while time.monotonic() < end and o2.alive():
        time.sleep(0.05)
        if broker.ib.isconnected():
            notes += step(sim, broker)
    assert names(notes, o2.ref)[-1] == 'Completed'
    assert broker.getposition(feed).size == 3
    assert o.alive()                   # the resting order is still ours after reconnecting
    assert broker.ib.connections == 2
    # the replayed fill explains IB's position: no mismatch notified
    assert not any('position mismatch' in str(m) for m, *_ in broker.ib.get_notifications())


def test_readonly_refuses_orders(sim, client, feed):
    feed.ib.p.readonly = True
    b = bt.brokers.IBBroker()
    b.start()
    with pytest.raises(ReadOnlyError, match='readonly=True'):
        b.buy(None, feed, 1)


def test_positions_from_ib_at_start(sim, client, feed):
    lib = importlib.import_module(client)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    ib = lib.IB()
    ib.connect('127.0.0.1', sim.port, clientId=50)
    ib.placeOrder(ib.qualifyContracts(lib.Stock('AAPL', 'SMART', 'USD'))[0],
                  lib.MarketOrder('BUY', 12))
    ib.reqCurrentTime()
    sim.advance(2)
    ib.reqCurrentTime()
    ib.disconnect()
    loop.close()
    asyncio.set_event_loop(None)
    store = feed.ib
    store.stop()                      # reconnect: the position is downloaded at start
    b = bt.brokers.IBBroker()
    feed2 = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes,
                      fromdate=dt.datetime(2024, 3, 5, 9, 55))
    b.start()
    assert b.getposition(feed2).size == 12


# -- the pure order mapping (table f.1) ------------------------------------------------

@pytest.fixture(scope='module')
def csvdata():
    path = os.path.join(os.path.dirname(bt.__file__), 'datas', 'orcl-1995-2014.csv')
    d = bt.feeds.BacktraderCSVData(dataname=path)
    d._start()
    d.next()
    return d


@pytest.mark.parametrize('kw, expected', [
    ({}, {'orderType': 'MKT'}),
    ({'exectype': Order.Close}, {'orderType': 'MOC'}),
    ({'exectype': Order.Limit, 'price': 10.0}, {'orderType': 'LMT', 'lmtPrice': 10.0}),
    ({'exectype': Order.Stop, 'price': 10.0}, {'orderType': 'STP', 'auxPrice': 10.0}),
    ({'exectype': Order.StopLimit, 'price': 10.0, 'pricelimit': 9.5},
     {'orderType': 'STP LMT', 'auxPrice': 10.0, 'lmtPrice': 9.5}),
    ({'exectype': Order.StopTrail, 'trailamount': 0.5}, {'orderType': 'TRAIL', 'auxPrice': 0.5}),
    ({'exectype': Order.StopTrail, 'trailpercent': 0.02},
     {'orderType': 'TRAIL', 'trailingPercent': 2.0}),
    ({'exectype': Order.StopTrailLimit, 'price': 10.0, 'pricelimit': 9.8, 'trailamount': 0.5},
     {'orderType': 'TRAIL LIMIT', 'auxPrice': 0.5, 'trailStopPrice': 10.0,
      'lmtPriceOffset': pytest.approx(0.2)}),
])
def test_order_mapping(csvdata, kw, expected):
    o = bt.brokers.ibbroker.IBSellOrder(data=csvdata, size=3, **kw)
    f = order_fields(o)
    assert f['action'] == 'SELL' and f['totalQuantity'] == 3 and f['tif'] == 'GTC'
    for k, v in expected.items():
        assert f[k] == v


def test_time_in_force(csvdata):
    assert time_in_force(None) == {'tif': 'GTC'}
    assert time_in_force(0) == {'tif': 'DAY'}
    assert time_in_force(Order.DAY) == {'tif': 'DAY'}           # backtrader sends GTD here
    aware = dt.datetime(2024, 7, 1, 16, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert time_in_force(aware) == {'tif': 'GTD', 'goodTillDate': '20240701-14:00:00'}
    bar = csvdata.datetime.datetime(0)
    assert time_in_force(dt.timedelta(hours=2), csvdata)['goodTillDate'] == \
        (bar + dt.timedelta(hours=2)).strftime('%Y%m%d-%H:%M:%S')
    assert time_in_force(bt.date2num(dt.datetime(2024, 1, 2, 3, 4, 5)))['goodTillDate'] == \
        '20240102-03:04:05'
    with pytest.raises(ValueError, match='valid='):
        time_in_force('tomorrow')


def test_chosen_account_in_a_multi_account_setup(make_sim, client):
    sim = make_sim(accounts=('DU111', 'DU222'))
    sim.set_pacing(False)
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, account='DU222',
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    pull_until(data, is_live)
    b = bt.brokers.IBBroker()
    b.start()
    assert b.ib.account == 'DU222' and b.ib.managed_accounts == ['DU111', 'DU222']
    cash0 = b.getcash()
    o = b.buy(None, data, 10)
    assert o.iborder.account == 'DU222'
    step(sim, b, 2)
    step(sim, b, 1)
    assert b.getcash() < cash0
    assert sim.positions('DU222') == {AAPL: 10} and sim.positions('DU111') == {}


def test_live_account_warns(make_sim, client):
    sim = make_sim(accounts=('U7654321',))
    sim.set_pacing(False)
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes,
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    b = bt.brokers.IBBroker()
    with pytest.warns(UserWarning, match='LIVE .non-paper. account and live=True was not'):
        b.start()
    assert any('every order is refused' in str(m) for m, *_ in data.ib.get_notifications())
    pull_until(data, is_live)
    o = b.buy(None, data, 1)                  # refused without live=True: nothing sent
    assert o.status == Order.Rejected and 'live=True' in o.info.reject_reason
    sync(b.ib)
    assert sim.requests(3) == []


def test_live_account_trades_with_live_true(make_sim, client):
    sim = make_sim(accounts=('U7654321',))
    sim.set_pacing(False)
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, live=True,
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    pull_until(data, is_live)
    b = bt.brokers.IBBroker()
    with pytest.warns(UserWarning, match='orders trade real money .live=True.'):
        b.start()
    b.buy(None, data, 3)
    step(sim, b, 2)
    assert b.getposition(data).size == 3 and sim.positions('U7654321') == {AAPL: 3}


def test_readonly_store_streams_data(sim, client):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, readonly=True,
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    assert len(pull_until(data, is_live)) > 0        # data flows on a read-only connection
    assert data.ib.p.readonly and data.ib.isconnected()


def test_extra_kwargs_reach_the_ib_order(sim, broker, feed):
    o = broker.buy(None, feed, 5, price=feed.close[0] * 0.5, exectype=Order.Stop,
                   triggerMethod=2, outsideRth=True)
    assert (o.iborder.triggerMethod, o.iborder.outsideRth) == (2, True)
    with pytest.raises(ValueError, match="no field 'triggermethod'"):
        broker.buy(None, feed, 5, triggermethod=2)


def test_message_rate_stays_below_ibs_limit(sim, broker, feed):
    sim.limit_message_rate(50)        # the gateway drops clients above 50 messages/s
    orders = [broker.buy(None, feed, 1, price=feed.close[0] * 0.5, exectype=Order.Limit)
              for _ in range(30)]
    for o in orders:
        broker.cancel(o)
    notes = []
    end = time.monotonic() + 8
    while time.monotonic() < end and any(o.alive() for o in orders):
        notes += step(sim, broker)
        time.sleep(0.05)
    assert not any(o.alive() for o in orders)
    assert broker.ib.connections == 1 and broker.ib.isconnected()
    assert names(notes).count('Canceled') == 30


def test_tradename_trades_another_contract(sim, client):
    data = live_feed(sim, client, 'SPX-IND-CBOE', tradename='ES-202403-CME',
                     timeframe=bt.TimeFrame.Minutes, fromdate=dt.datetime(2024, 3, 5, 9, 55))
    pull_until(data, is_live)
    assert (data.contract.secType, data.tradecontract.secType) == ('IND', 'FUT')
    b = bt.brokers.IBBroker()
    b.start()
    b.buy(None, data, 1)
    step(sim, b, 2)
    pos = b.getposition(data)
    assert pos.size == 1 and 4000 < pos.price < 7000      # an ES price, not SPX's last
    assert sim.positions() == {data.tradecontract.conId: 1}
    assert b.getcommissioninfo(data).p.mult == 50


def test_missing_commission_report_is_not_silent(sim, feed):
    b = bt.brokers.IBBroker(commwait=0.3)
    b.start()
    sim.withhold(59)                  # commissionReport never comes
    o = b.buy(None, feed, 4)
    notes = step(sim, b, 2)
    assert names(notes) == ['Submitted', 'Accepted']
    time.sleep(0.4)
    notes = step(sim, b)
    assert names(notes) == ['Completed'] and o.executed.comm == 0
    assert any('no commission report' in str(m) for m, *_ in b.ib.get_notifications())


def store_texts(store):
    return [str(m) for m, *_ in store.get_notifications()]


def wait_reconnected(store, n=2, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end and not (store.connections >= n and store.isconnected()):
        time.sleep(0.02)
    assert store.connections >= n and store.isconnected()


def test_position_mismatch_after_reconnecting_is_notified(sim, broker, feed):
    broker.buy(None, feed, 10)
    step(sim, broker, 2)
    assert broker.getposition(feed).size == 10
    store = broker.ib
    store.get_notifications()
    sim.trade_elsewhere(AAPL, 5)      # e.g. typed into TWS: no execution for this client
    sim.restart(down_for=0.2)
    wait_reconnected(store)
    step(sim, broker)
    msgs = [m for m in store_texts(store) if 'position mismatch' in m]
    assert len(msgs) == 1
    assert msgs[0].startswith('IBBroker: position mismatch after reconnecting for AAPL STK')
    assert 'conId=265598' in msgs[0] and 'IB reports 15, the broker had 10' in msgs[0]
    pos = broker.getposition(feed)
    assert pos.size == 15 and pos.price > 0         # IB's size and average cost


def test_position_mismatch_at_start_is_notified(sim, broker, feed):
    broker.buy(None, feed, 10)
    step(sim, broker, 2)
    store = broker.ib
    sim.trade_elsewhere(AAPL, -4)
    sync(store)
    store.get_notifications()
    broker.start()                    # started again: what it had is compared with IB
    msgs = [m for m in store_texts(store) if 'position mismatch' in m]
    assert msgs == [msgs[0]] and 'at start for AAPL STK' in msgs[0]
    assert 'IB reports 6, the broker had 10' in msgs[0]
    assert broker.getposition(feed).size == 6
    broker.start()                    # nothing differs now: nothing said
    assert not [m for m in store_texts(store) if 'position mismatch' in m]


def test_futures_position_at_start_divides_ibs_average_cost(sim, client):
    data = live_feed(sim, client, 'ES-202403-CME', timeframe=bt.TimeFrame.Minutes,
                     backfill_start=False)
    pull_until(data, is_live)
    sim.trade_elsewhere(data.tradecontract.conId, 2)
    sync(data.ib)
    b = bt.brokers.IBBroker()
    b.start()
    pos = b.getposition(data)
    # IB's averageCost of a future includes the multiplier (50): the price does not
    assert pos.size == 2 and 4000 < pos.price < 7000


def test_account_values_api_of_backtraders_store(make_sim, client):
    # notes f.3: backtrader's get_acc_values() raised AttributeError
    sim = make_sim(accounts=('DU111', 'DU222'), cash=500_000.0)
    sim.set_pacing(False)
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, account='DU222',
                     backfill_start=False)
    pull_until(data, is_live)
    b = bt.brokers.IBBroker()
    b.start()
    store = b.ib
    one = store.get_acc_values('DU222')
    assert list(one['NetLiquidation'].values()) == [pytest.approx(500_000.0)]
    assert one['TotalCashBalance']['BASE'] == pytest.approx(b.getcash())
    assert store.get_acc_value('DU222') == pytest.approx(b.getvalue())
    assert store.get_acc_cash('DU222') == pytest.approx(b.getcash())
    # several accounts and no account named: per account, sums (as backtrader)
    assert set(store.get_acc_values()) >= {'DU222'}
    assert store.get_acc_value() >= store.get_acc_value('DU222')


@pytest.mark.parametrize('code, text', [
    (110, 'The price does not conform to the minimum price variation for this contract.'),
    (103, 'Duplicate order id'),
    (201, 'Order rejected - reason:Your account has insufficient funds.'),
])
def test_order_errors_reject(sim, broker, feed, code, text):
    sim.fail_next(3, code, text)
    o = broker.buy(None, feed, 5, price=feed.close[0] * 0.5, exectype=Order.Limit)
    assert names(step(sim, broker, 1)) == ['Submitted', 'Rejected']
    assert o.status == Order.Rejected
