"""Connection-level errors against ibsim: 1300 (TWS moved its API port) and
504 / the client library's "not connected" (notes g), on both client libraries."""
import datetime as dt
import threading
import time

import pytest

import backtrader_ib as bt
from backtrader_ib.order import Order
from backtrader_ib.stores.ibstore import new_port

from .conftest import drain, live_feed, pull_until
from .test_ibbroker import names, step
from .test_ibdata_live import NOW, S5, is_live, steps_of


def store_msgs(store) -> list:
    return [m for m, *_ in store.get_notifications()]


def codes(msgs) -> list:
    return [getattr(m, 'code', None) for m in msgs]


def rtbar_feed(sim, client):
    return live_feed(sim, client, timeframe=bt.TimeFrame.Seconds, compression=5, rtbar=True,
                     fromdate=dt.datetime(2024, 3, 5, 9, 59))


def test_new_port_from_the_1300_text():
    assert new_port('TWS socket port has been reset and this connection is being dropped. '
                    'Please reconnect on the new port - 7497') == 7497
    assert new_port('TWS socket port has been reset and this connection is being dropped.') \
        is None


def test_port_reset_reconnects_on_the_new_port(sim, client):
    data = rtbar_feed(sim, client)
    seen = []
    times = pull_until(data, is_live, seen=seen)
    sim.advance(10)
    times += drain(data, seen=seen, until=NOW + 10 / 86400)
    old = sim.port
    new = sim.reset_port()                      # 1300 naming the new port, then the drop
    assert new != old
    sim.advance(20)
    times += pull_until(data, lambda s: s.count('LIVE') == 2, seen=seen, timeout=10)
    sim.advance(10)
    times += drain(data, seen=seen, until=NOW + 40 / 86400)
    assert seen == ['CONNECTED', 'DELAYED', 'LIVE', 'CONNBROKEN', 'DELAYED', 'LIVE']
    assert steps_of(times, S5) == {1.0}         # the gap filled, nothing repeated
    store = data.ib
    assert store.port == new and store.connections == 2
    msgs = store_msgs(store)
    assert 1300 in codes(msgs)
    assert any(f'reconnecting on 127.0.0.1:{new}' in str(m) for m in msgs)


def test_port_reset_without_a_port_reconnects_on_the_same_one(sim, client):
    data = rtbar_feed(sim, client)
    seen = []
    pull_until(data, is_live, seen=seen)
    # the gateway keeps the socket open here: the store drops it itself, as 1300 says
    sim.send_error(1300, 'TWS socket port has been reset and this connection is being '
                   'dropped.')
    pull_until(data, lambda s: s.count('LIVE') == 2, seen=seen, timeout=10)
    assert seen == ['CONNECTED', 'DELAYED', 'LIVE', 'CONNBROKEN', 'DELAYED', 'LIVE']
    assert data.ib.port == sim.port and data.ib.connections == 2


def test_504_is_notified_and_the_feed_goes_on(sim, client):
    data = rtbar_feed(sim, client)
    seen = []
    times = pull_until(data, is_live, seen=seen)
    stream = data._stream
    reqid = stream.rtbars.reqId
    sim.send_error(504, 'Not connected')
    sim.send_error(504, 'Not connected', req_id=reqid)
    sim.advance(20)
    times += drain(data, seen=seen, until=NOW + 20 / 86400)
    assert seen == ['CONNECTED', 'DELAYED', 'LIVE']       # no UNKNOWN, no end
    assert steps_of(times, S5) == {1.0} and times[-1] == pytest.approx(NOW + 20 / 86400)
    # the request may be lost: when IB says it is back, the stream resubscribes
    assert stream.stale
    sim.send_error(2104, 'Market data farm connection is OK:usfarm')
    pull_until(data, lambda s: s.count('LIVE') == 2, seen=seen)
    assert stream.subscriptions == 2
    assert codes(store_msgs(data.ib)).count(504) == 2
    assert data.ib.connections == 1 and data.ib.isconnected()


def test_requests_while_not_connected(sim, client):
    """The client library refuses requests while disconnected (ibapi's 504):
    an order is Rejected, a cancel is not sent, a resubscription waits for the
    reconnection; each with a store notification, and nothing crashes."""
    data = rtbar_feed(sim, client)
    seen = []
    pull_until(data, is_live, seen=seen)
    broker = bt.brokers.IBBroker()
    broker.start()
    store = broker.ib
    resting = broker.buy(None, data, 5, price=data.close[0] * 0.5, exectype=Order.Limit)
    assert names(step(sim, broker, 1)) == ['Submitted', 'Accepted']
    store.get_notifications()
    down = threading.Thread(target=sim.restart, kwargs={'down_for': 1.5})
    down.start()
    deadline = time.monotonic() + 5
    while store.isconnected() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not store.isconnected()
    o = broker.buy(None, data, 3)
    broker.cancel(resting)
    store.call(lambda: data._stream.resubscribe(True))
    time.sleep(0.1)
    broker.next()
    notes = []
    while (n := broker.get_notification()) is not None:
        notes.append((n.ref, n.getstatusname()))
    assert notes == [(o.ref, 'Submitted'), (o.ref, 'Rejected')]
    down.join()
    pull_until(data, lambda s: s.count('LIVE') == 2, seen=seen, timeout=10)
    assert seen == ['CONNECTED', 'DELAYED', 'LIVE', 'CONNBROKEN', 'DELAYED', 'LIVE']
    msgs = [str(m) for m in store_msgs(store)]
    assert any('order not sent' in m for m in msgs)
    assert any(f'cancel of order {resting.orderId} not sent' in m for m in msgs)
    assert any('not connected (504); resubscribing' in m for m in msgs)
    assert resting.alive()                      # still working at IB: cancel it now
    broker.cancel(resting)
    assert names(step(sim, broker, 1)) == ['Canceled']
