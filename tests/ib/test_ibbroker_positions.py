"""IBBroker positions (issue 19, items 2 and 5): every execution is applied once,
also when a reconnection replays executions of an earlier run; a position that
changes at IB while connected (a trade typed into TWS) is noticed and taken."""
import asyncio
import datetime as dt
import importlib
import time

import pytest

import backtrader_ib as bt
from backtrader_ib.stores.ibevents import ExecutionEvent, OrderStatusEvent

from .conftest import live_feed, pull_until
from .test_ibbroker import AAPL, is_live, names, step, store_texts, wait_reconnected


def trade_as_client(sim, client, client_id, qty):
    """Another program (or an earlier run) with ``client_id`` buys ``qty`` AAPL."""
    lib = importlib.import_module(client)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    ib = lib.IB()
    ib.connect('127.0.0.1', sim.port, clientId=client_id)
    ib.placeOrder(ib.qualifyContracts(lib.Stock('AAPL', 'SMART', 'USD'))[0],
                  lib.MarketOrder('BUY', qty))
    ib.reqCurrentTime()
    sim.advance(2)
    ib.reqCurrentTime()
    ib.disconnect()
    loop.close()
    asyncio.set_event_loop(None)


def start_broker(sim, client, **kw):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes,
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    pull_until(data, is_live)
    b = bt.brokers.IBBroker(**kw)
    b.start()
    return data, b


def test_replayed_executions_of_an_earlier_run_are_not_counted(sim, client):
    trade_as_client(sim, client, 7, 125)       # an earlier run, same client id as the store
    trade_as_client(sim, client, 7, 5)
    data, b = start_broker(sim, client)
    assert b.getposition(data).size == 130
    o = b.buy(None, data, 10)
    assert names(step(sim, b, 2))[-1] == 'Completed'
    store = b.ib
    store.get_notifications()
    for n in (2, 3):                            # twice: each reconnection replays them all
        sim.restart(down_for=0.2)
        wait_reconnected(store, n)
        step(sim, b, 1)
        assert b.getposition(data).size == 140
    texts = store_texts(store)
    assert not [m for m in texts if 'position mismatch' in m or 'not placed by this' in m]
    assert o.executed.size == 10 and sim.positions() == {AAPL: 140}


def test_own_fill_replayed_after_reconnect_is_applied_once(sim, client):
    data, b = start_broker(sim, client)
    b.buy(None, data, 10)
    step(sim, b, 2)
    sim.restart(down_for=0.2)
    wait_reconnected(b.ib)
    step(sim, b, 1)
    assert b.getposition(data).size == 10


def test_outside_trade_while_connected_is_noticed(sim, client):
    data, b = start_broker(sim, client, poswait=0.3)
    b.buy(None, data, 10)
    step(sim, b, 2)
    store = b.ib
    store.get_notifications()
    sim.trade_elsewhere(AAPL, 7)               # typed into TWS: no execution for us
    step(sim, b)
    assert b.getposition(data).size == 10       # not yet: fills may be on their way
    time.sleep(0.35)
    step(sim, b)
    msgs = [m for m in store_texts(store) if 'position mismatch' in m]
    assert len(msgs) == 1 and 'while connected for AAPL STK' in msgs[0]
    assert 'IB reports 17, the broker had 10' in msgs[0]
    assert b.getposition(data).size == 17
    s = b.sell(None, data, 17)                  # sized from the right position
    step(sim, b, 2)
    assert not s.alive() and sim.positions() == {} and b.getposition(data).size == 0


def test_own_fills_give_no_false_mismatch(sim, client):
    data, b = start_broker(sim, client, poswait=0.1)
    for _ in range(3):
        b.buy(None, data, 5)
        step(sim, b, 2)
    time.sleep(0.15)
    step(sim, b, 1)
    assert b.getposition(data).size == 15
    assert not [m for m in store_texts(b.ib) if 'mismatch' in m]


def test_a_fill_reported_late_is_counted_in_flight(sim, client):
    # IB's position arrives before the execution that explains it: no mismatch
    data, b = start_broker(sim, client, poswait=0.2)
    sim.withhold(11, 59)                        # execDetails and commission held back
    o = b.buy(None, data, 6)
    step(sim, b, 2)
    assert b.getposition(data).size == 0 and o.alive()
    sim.release(11, 59)
    sim.restart(down_for=0.1)                   # the replay brings the execution
    wait_reconnected(b.ib)
    time.sleep(0.25)
    step(sim, b, 1)
    assert b.getposition(data).size == 6 and not o.alive()
    assert not [m for m in store_texts(b.ib) if 'mismatch' in m]


def test_events_are_frozen():
    ev = ExecutionEvent('e1', 1, 2, AAPL, 'SLD', 3.0, 170.0, None)
    assert ev.size == -3.0
    with pytest.raises(AttributeError):
        ev.shares = 5                           # frozen dataclasses.FrozenInstanceError
    assert OrderStatusEvent(1, 'Filled', 3.0, 0.0, 170.0) == OrderStatusEvent(1, 'Filled', 3.0, 0.0, 170.0)
