"""The order journal (issue 19, items 1 and 5): a trading program killed with
SIGKILL at each point of an order's life, then started again, loses nothing and
places nothing twice; the journal, the broker and ibsim's ledger agree."""
import asyncio
import datetime as dt
import importlib
import os
import subprocess
import sys
import time

import pytest

import backtrader_ib as bt
from backtrader_ib.ibsim import IBSim
from backtrader_ib.order import Order
from backtrader_ib.stores import IBStore
from backtrader_ib.stores.ibevents import OpenOrderEvent, OrderStatusEvent
from backtrader_ib.stores.ibjournal import OrderJournal, order_ref, parse_ref

from .conftest import START, live_feed, pull_until
from .test_ibbroker import is_live, names, step, store_texts, wait_reconnected

CHILD = os.path.join(os.path.dirname(__file__), 'journal_child.py')
AAPL = 265598


def answered_orders_since(sim, t0):
    """ibsim has answered a client's question about completed orders (the end of
    the broker's snapshot of IB's orders) after ``t0`` (real time)."""
    return any(e.time >= t0 and e.direction == 'out' and e.fields[:1] == ['102']
               for e in sim.log)


def wait_for(cond, timeout, what):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f'timed out waiting for {what}')
        time.sleep(0.02)


def run_child(sim, client, journal, kill_at='', size=10, timeout=240, hold=False):
    """Run journal_child.py; ``hold``: the market stands still until its broker
    has IB's answer about the orders (so an order still filling when the first
    run died is still filling then). Waits on events, never on fixed sleeps:
    the machine may be loaded."""
    cmd = [sys.executable, CHILD, '--port', str(sim.port), '--client', client,
           '--journal', str(journal), '--size', str(size), '--kill-at', kill_at]
    speed = sim.clock.speed
    if hold:
        sim.clock.set_speed(None)
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         cwd=os.path.dirname(journal))
    try:
        if hold:
            wait_for(lambda: answered_orders_since(sim, t0) or p.poll() is not None, timeout,
                     "the restarted program's look at IB's orders")
    finally:
        if hold:
            sim.clock.set_speed(speed)
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


@pytest.fixture
def live_sim():
    sim = IBSim(start=START, seed=1, speed=30).start()
    sim.set_pacing(False)
    yield sim
    sim.stop()


def sim_orders(sim):
    return [o for o in sim.gateway.engine.orders.values() if o.order_ref.startswith('btib:')]


@pytest.mark.parametrize('kill_at, size', [
    ('before_send', 10), ('sent', 10), ('partial', 30000), ('filled', 10)])
def test_kill_9_then_restart_loses_and_duplicates_nothing(live_sim, client, tmp_path,
                                                         kill_at, size):
    sim = live_sim
    journal = tmp_path / 'journal.sqlite'
    rc, out, err = run_child(sim, client, journal, kill_at, size)
    assert rc == -9, (out, err)                       # killed where asked
    rc, out2, err2 = run_child(sim, client, journal, '', size, hold=kill_at == 'partial')
    assert rc == 0 and 'STEADY' in out2, (out2, err2[-3000:])
    # ibsim's ledger: one buy, one stop, the position exactly the size
    orders = sim_orders(sim)
    buys = [o for o in orders if o.action == 'BUY']
    stops = [o for o in orders if o.action == 'SELL']
    assert len(buys) == 1, [o.order_ref for o in orders]
    assert len(stops) == 1 and stops[0].working
    assert sim.positions() == {AAPL: size}
    bought = sum(e.shares for e in sim.gateway.engine.executions if e.side == 'BOT')
    assert bought == size                             # nothing bought twice
    # the journal: every order and every execution, each once
    j = OrderJournal(journal)
    rows = {r['orderRef']: r for r in j.orders()}
    for o in orders:
        assert o.order_ref in rows
    buy_rows = [r for r in rows.values() if r['action'] == 'BUY']
    if kill_at == 'before_send':
        assert sorted(r['status'] for r in buy_rows) == ['Completed', 'NotSent']
    else:
        assert [r['status'] for r in buy_rows] == ['Completed']
    assert [r['status'] for r in rows.values() if r['action'] == 'SELL'] == ['Accepted']
    execs = j.executions()
    assert sum(e['shares'] for e in execs if e['side'] == 'BOT') == size
    assert {e['execId'] for e in execs} == {e.exec_id for e in sim.gateway.engine.executions}
    j.close()
    # the broker of the second run: the same position and open orders as IB and the journal
    (line,) = [x for x in out2.splitlines() if x.startswith('BROKER')]
    _, pos, alive, owned = line.split(' ')
    assert float(pos) == size and alive.split(',') == [stops[0].order_ref] and owned == 'True'
    # the second run saw the first run's order (restored or ended), never a second buy
    if kill_at != 'before_send':
        assert 'PLACE BUY' not in out2
    if kill_at == 'partial':                          # still filling: it came back
        assert 'Partial btib:Trader:1:1 restored' in out2
        assert 'Completed btib:Trader:1:1 restored 30000' in out2


def test_order_ref_names_strategy_and_run():
    ref = order_ref('My Strategy!', 3, 12)
    assert ref == 'btib:MyStrategy:3:12' and parse_ref(ref) == ('MyStrategy', 3, 12)
    assert parse_ref('manual order') is None


def test_journal_sessions_and_client_id(tmp_path):
    j = OrderJournal(tmp_path / 'j.sqlite')
    assert j.session == 1
    j.set('clientId', '4321')
    j.order_sending('btib:S:1:1', 'S', 1, 4321, 'DU1', AAPL, 'AAPL', {'action': 'BUY',
                    'totalQuantity': 5, 'orderType': 'LMT', 'lmtPrice': 1.0, 'tif': 'GTC'})
    assert j.execution('e1', 'btib:S:1:1', 1, 9, AAPL, 'BOT', 5, 1.0, None, 1.0)
    assert not j.execution('e1', 'btib:S:1:1', 1, 9, AAPL, 'BOT', 5, 1.0, None, 1.0)  # once
    j.close()
    assert OrderJournal.peek_client_id(tmp_path / 'j.sqlite') == 4321
    assert OrderJournal.peek_client_id(tmp_path / 'none.sqlite') is None
    assert not (tmp_path / 'none.sqlite').exists()
    j = OrderJournal(tmp_path / 'j.sqlite')
    assert j.session == 2 and j.orders(alive_only=True)[0]['status'] == 'Sending'
    j.close()


# -- in process: restored orders, orders from elsewhere, a cancel during an outage --------


def session(sim, client, journal):
    data = live_feed(sim, client, timeframe=bt.TimeFrame.Minutes, journal=str(journal),
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    pull_until(data, is_live, timeout=60)           # a bound for a loaded machine, not a wait
    b = bt.brokers.IBBroker()
    b.start()
    return data, b


def restart(sim, client, journal, data):
    data.ib.stop()
    IBStore.reset()
    return session(sim, client, journal)


def test_restored_order_is_notified_and_can_be_cancelled(sim, client, tmp_path):
    journal = tmp_path / 'j.sqlite'
    data, b = session(sim, client, journal)
    o = b.buy(None, data, 5, price=round(data.close[0] * 0.5, 2), exectype=Order.Limit)
    step(sim, b, 1)
    assert o.orderRef == f'btib:strategy:1:{o.ref}'       # no owner: 'strategy'
    data, b = restart(sim, client, journal, data)
    notes = step(sim, b, 1)
    restored = [n for n in b.orderbyid.values() if n.restored]
    assert len(restored) == 1 and names(notes) == ['Accepted']
    r = restored[0]
    assert (r.orderRef, r.size, r.price, r.exectype) == (o.orderRef, 5, o.iborder.lmtPrice,
                                                        Order.Limit)
    assert any('restored as order ref' in m for m in store_texts(b.ib))
    b.cancel(r)
    assert names(step(sim, b, 1)) == ['Canceled']
    assert [x.status for x in sim.gateway.engine.orders.values()] == ['Cancelled']
    j = b.ib.journal
    assert j.order(o.orderRef)['status'] == 'Canceled' and j.session == 2


def test_orders_from_elsewhere_are_reported(sim, client, tmp_path):
    lib = importlib.import_module(client)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    ib = lib.IB()
    ib.connect('127.0.0.1', sim.port, clientId=50)
    ib.placeOrder(ib.qualifyContracts(lib.Stock('AAPL', 'SMART', 'USD'))[0],
                  lib.LimitOrder('BUY', 3, 1.0))
    ib.reqCurrentTime()
    data, b = session(sim, client, tmp_path / 'j.sqlite')
    step(sim, b, 1)
    msgs = [m for m in store_texts(b.ib) if 'not placed by this program' in m]
    assert len(msgs) == 1 and 'client 50' in msgs[0] and 'BUY 3' in msgs[0]
    assert not b.orderbyid                                  # not taken over
    ib.disconnect()
    loop.close()
    asyncio.set_event_loop(None)


def test_order_cancelled_during_an_outage_ends(sim, client, tmp_path):
    data, b = session(sim, client, tmp_path / 'j.sqlite')
    o = b.buy(None, data, 5, price=round(data.close[0] * 0.5, 2), exectype=Order.Limit)
    step(sim, b, 1)

    def outage():
        sim.gateway.drop_clients()
        sim.gateway.engine.cancel(7, o.orderId)       # e.g. cancelled in TWS meanwhile
    sim._call(outage)
    wait_reconnected(b.ib)
    notes = step(sim, b, 1)
    assert names(notes) == ['Canceled'] and not o.alive()


def test_another_clients_order_with_the_same_id_is_not_ours(sim, client, tmp_path):
    # order ids are per client: reqAllOpenOrders answers carry other clients'
    # orders, whose ids may equal ours; their status must not touch our order
    data, b = session(sim, client, tmp_path / 'j.sqlite')
    o = b.buy(None, data, 5, price=round(data.close[0] * 0.5, 2), exectype=Order.Limit)
    step(sim, b, 1)
    perm = o.permId
    b.push_event(OpenOrderEvent(o.orderId, 999, 'Submitted', clientId=50))
    b.push_event(OrderStatusEvent(o.orderId, 'Cancelled', 0.0, 3.0, 0.0, 999, 50))
    assert step(sim, b, 1) == []
    assert o.alive() and o.permId == perm and 999 not in b._byperm
    b._recheck_orders()                             # a real reqAllOpenOrders round trip
    assert step(sim, b, 1) == [] and o.alive()


def test_no_answer_about_orders_is_never_taken_for_no_orders(sim, client, tmp_path):
    journal = tmp_path / 'j.sqlite'
    data, b = session(sim, client, journal)
    o = b.buy(None, data, 5, price=round(data.close[0] * 0.5, 2), exectype=Order.Limit)
    step(sim, b, 1)
    data, b = restart(sim, client, journal, data)
    b.ib.snapshot_timeout = 0.3
    sim.withhold(53)                                # openOrderEnd never comes
    assert step(sim, b, 1) == []
    assert any('asking for the open orders failed' in m for m in store_texts(b.ib))
    assert b.ib.journal.order(o.orderRef)['status'] == 'Accepted'   # not taken as ended
    sim.release(53)
    notes = step(sim, b, 1)                         # asked again: restored
    assert names(notes) == ['Accepted'] and [x.restored for x in b.orderbyid.values()] == [True]
