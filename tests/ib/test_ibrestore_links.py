"""Restored orders (issue 19, the journal's gaps): after a restart they can be
modified and cancelled like any order, their bracket and OCA links come back,
and a fill of a restored stop cancels its sibling, each notified once. Against
ibsim over the socket, both client libraries."""
import os
import subprocess
import sys

import pytest

from backtrader_ib.order import Order
from backtrader_ib.stores.ibchecks import OrderCheckError
from backtrader_ib.stores.ibjournal import OrderJournal

from .test_ibbroker import names, step, store_texts, wait_reconnected
from .test_ibjournal import AAPL, live_sim, restart, session  # noqa: F401  (fixture)


def bracket(b, data):
    px = data.close[0]
    parent = b.buy(None, data, 10, price=round(px * 1.01, 2), exectype=Order.Limit,
                   transmit=False)
    stop = b.sell(None, data, 10, price=round(px * 0.5, 2), exectype=Order.Stop,
                  parent=parent, transmit=False)
    take = b.sell(None, data, 10, price=round(px * 2, 2), exectype=Order.Limit,
                  parent=parent, transmit=True)
    return parent, stop, take


def until(sim, b, cond, steps=40):
    notes = []
    for _ in range(steps):
        notes += step(sim, b, 1)
        if cond():
            break
    return notes


def test_restored_bracket_is_linked_and_its_stop_fill_cancels_the_sibling(sim, client,
                                                                         tmp_path):
    journal = tmp_path / 'j.sqlite'
    data, b = session(sim, client, journal)
    parent, stop, take = bracket(b, data)
    until(sim, b, lambda: parent.status == Order.Completed)
    assert stop.alive() and take.alive()
    data, b = restart(sim, client, journal, data)
    notes = step(sim, b, 1)
    assert names(notes) == ['Accepted', 'Accepted']
    rstop, rtake = sorted(b.orderbyid.values(), key=lambda o: o.exectype == Order.Limit)
    assert (rstop.orderRef, rtake.orderRef) == (stop.orderRef, take.orderRef)
    # the bracket's links: both children of the parent of the first run (filled)
    assert rstop.parent is rtake.parent and rstop.parent.orderRef == parent.orderRef
    assert rstop.parent.status == Order.Completed and rstop.parent.restored
    assert 'child of order ref' in ' '.join(store_texts(b.ib))
    # modify the restored stop above the market: it triggers and fills; IB
    # cancels its sibling; each change notified once
    assert b.modify(rstop, price=round(data.close[0] * 1.5, 2))
    notes = until(sim, b, lambda: not rstop.alive() and not rtake.alive())
    assert names(notes, rstop.ref) == ['Accepted', 'Completed']
    assert names(notes, rtake.ref) == ['Canceled']
    assert rstop.info.modified and b.getposition(data).size == 0
    assert sim.positions() == {}
    notes += until(sim, b, lambda: False, steps=3)   # nothing more comes
    assert len(names(notes)) == 3
    j = b.ib.journal
    assert j.order(stop.orderRef)['status'] == 'Completed'
    assert j.order(take.orderRef)['status'] == 'Canceled'


def test_restored_oco_group_is_rebuilt_and_joinable(sim, client, tmp_path):
    journal = tmp_path / 'j.sqlite'
    data, b = session(sim, client, journal)
    px = data.close[0]
    a = b.sell(None, data, 5, price=round(px * 2, 2), exectype=Order.Limit)
    c = b.sell(None, data, 5, price=round(px * 3, 2), exectype=Order.Limit, oco=a)
    step(sim, b, 1)
    data, b = restart(sim, client, journal, data)
    step(sim, b, 1)
    ra, rc = sorted(b.orderbyid.values(), key=lambda o: o.orderRef.endswith(f':{c.ref}'))
    assert (ra.orderRef, rc.orderRef) == (a.orderRef, c.orderRef)
    assert rc.oco is ra and ra.oco is None
    # a new order joins the restored group with oco=
    n = b.sell(None, data, 5, price=round(px * 4, 2), exectype=Order.Limit, oco=ra)
    assert n.iborder.ocaGroup == a.iborder.ocaGroup
    b.cancel(ra)                                    # a cancel is no fill: the
    notes = until(sim, b, lambda: not ra.alive())   # rest of the group stays
    assert names(notes, ra.ref) == ['Canceled'] and rc.alive()


def test_modify_a_restored_order_size_and_price(sim, client, tmp_path):
    journal = tmp_path / 'j.sqlite'
    data, b = session(sim, client, journal)
    o = b.buy(None, data, 5, price=round(data.close[0] * 0.5, 2), exectype=Order.Limit)
    step(sim, b, 1)
    data, b = restart(sim, client, journal, data)
    step(sim, b, 1)
    (r,) = b.orderbyid.values()
    newpx = round(data.close[0] * 0.6, 2)
    assert b.modify(r, size=8, price=newpx)
    assert r.size == 8 and r.price == newpx and r.iborder.totalQuantity == 8
    assert names(step(sim, b, 1)) == ['Accepted']   # IB confirmed it: notified once
    (x,) = [x for x in sim.gateway.engine.orders.values() if x.working]
    assert (x.quantity, x.lmt_price, x.order_id) == (8, newpx, r.orderId)
    row = b.ib.journal.order(o.orderRef)
    assert (row['size'], row['lmtPrice']) == (8, newpx)
    b.cancel(r)
    assert names(step(sim, b, 1)) == ['Canceled']


def test_modify_refused_by_ib_keeps_the_order(sim, client, tmp_path):
    data, b = session(sim, client, tmp_path / 'j.sqlite')
    o = b.buy(None, data, 5, price=round(data.close[0] * 0.5, 2), exectype=Order.Limit)
    step(sim, b, 1)
    old = o.iborder.lmtPrice
    sim.set_order_limits(size=6)                     # TWS's precautionary size limit
    assert b.modify(o, size=7)
    notes = step(sim, b, 1)
    assert notes == [] and o.alive() and o.status == Order.Accepted
    assert o.size == 5 and o.iborder.totalQuantity == 5 and o.iborder.lmtPrice == old
    msgs = [m for m in store_texts(b.ib) if 'refused the modification' in m]
    assert len(msgs) == 1 and f'order ref {o.ref}' in msgs[0] and 'IB error 383' in msgs[0]
    assert 'IB error 383' in o.info.modify_refused
    (x,) = [x for x in sim.gateway.engine.orders.values() if x.working]
    assert x.quantity == 5
    assert b.modify(o, size=6)                       # and it can be modified again
    assert names(step(sim, b, 1)) == ['Accepted'] and o.size == 6


def test_modify_is_checked_like_a_new_order(sim, client, tmp_path):
    data, b = session(sim, client, tmp_path / 'j.sqlite')
    o = b.buy(None, data, 5, price=round(data.close[0] * 0.5, 2), exectype=Order.Limit)
    if o.orderId is None:                           # queued to the store's loop
        with pytest.raises(ValueError, match='still being sent'):
            b.modify(o, size=6)
    m = b.buy(None, data, 5)
    until(sim, b, lambda: not m.alive())
    with pytest.raises(OrderCheckError, match=f'order ref {o.ref}: limit price -1.0'):
        b.modify(o, price=-1.0)
    with pytest.raises(ValueError, match='only a working order'):
        b.modify(m, size=3)
    with pytest.raises(ValueError, match='plimit applies to StopLimit'):
        b.modify(o, plimit=3.0)
    assert b.modify(o, price=round(data.close[0] * 0.5, 2) + 0.004)  # onto the grid
    assert o.iborder.lmtPrice == round(data.close[0] * 0.5, 2)
    assert names(step(sim, b, 1)) == ['Accepted']


# -- end to end: a Cerebro program killed with its bracket working, started again ----------

BRACKET_CHILD = os.path.join(os.path.dirname(__file__), 'bracket_child.py')


def run_bracket(sim, client, journal, phase, timeout=240):
    cmd = [sys.executable, BRACKET_CHILD, '--port', str(sim.port), '--client', client,
           '--journal', str(journal), '--phase', phase]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                       cwd=os.path.dirname(journal))
    return p.returncode, p.stdout, p.stderr


def lines(out, kind):
    return [x.split(' ')[1:] for x in out.splitlines() if x.startswith(kind + ' ')]


def test_kill_9_with_a_bracket_then_the_restored_stop_fills_once(live_sim, client,  # noqa: F811
                                                                tmp_path):
    sim = live_sim
    journal = tmp_path / 'journal.sqlite'
    rc, out, err = run_bracket(sim, client, journal, 'place')
    assert rc == -9 and 'READY' in out, (out, err[-3000:])
    assert sim.positions() == {AAPL: 10}
    rc, out2, err2 = run_bracket(sim, client, journal, 'restart')
    assert rc == 0 and 'DONE 0.0 0.0' in out2, (out2, err2[-3000:])
    orders = lines(out2, 'ORDER')
    (modify,) = lines(out2, 'MODIFY')
    stopref = modify[0]
    byref = {}
    for ref, status, origin, *_ in orders:
        assert origin == 'restored'                 # nothing new in the second run
        byref.setdefault(ref, []).append(status)
    (takeref,) = set(byref) - {stopref}
    # restored (Accepted), the modification confirmed (Accepted), the fill; the
    # take-profit cancelled by IB: each once
    assert byref[stopref] == ['Accepted', 'Accepted', 'Completed']
    assert byref[takeref] == ['Accepted', 'Canceled']
    # both children name the first run's parent, which had filled
    parents = {(o[5], o[6]) for o in orders}
    assert len(parents) == 1 and parents.pop()[1] == 'Completed'
    # one trade, closed: the position bought by the first run, sold by the stop
    (trade,) = lines(out2, 'TRADE')
    status, size, pnl, pnlcomm = trade[0], float(trade[1]), float(trade[2]), float(trade[3])
    engine = sim.gateway.engine
    (bot,) = [e for e in engine.executions if e.side == 'BOT']
    sold = [e for e in engine.executions if e.side == 'SLD']
    assert sum(e.shares for e in sold) == 10
    exit_px = sum(e.shares * e.price for e in sold) / 10
    assert status == 'Closed' and size == 0
    assert pnl == pytest.approx((exit_px - bot.price) * 10, abs=1e-6)
    # as in a run never killed: the entry's commission too (from the journal's fills)
    comms = bot.commission + sum(e.commission for e in sold)
    assert pnlcomm == pytest.approx(pnl - comms, abs=1e-6) and comms > 0
    # IB: three orders in all, nothing working, flat
    mine = [o for o in engine.orders.values() if o.order_ref.startswith('btib:')]
    assert len(mine) == 3 and not any(o.working for o in mine) and sim.positions() == {}
    j = OrderJournal(journal)
    rows = {r['orderRef']: r['status'] for r in j.orders()}
    assert rows[stopref] == 'Completed' and rows[takeref] == 'Canceled'
    assert {e['execId'] for e in j.executions()} == {e.exec_id for e in engine.executions}
    j.close()


def test_modify_unconfirmed_when_the_connection_drops_is_settled_after(sim, client, tmp_path):
    data, b = session(sim, client, tmp_path / 'j.sqlite')
    o = b.buy(None, data, 5, price=round(data.close[0] * 0.5, 2), exectype=Order.Limit)
    step(sim, b, 1)
    sim.withhold(5)                                 # IB's openOrder never comes
    assert b.modify(o, size=7)
    step(sim, b, 1)
    assert o.orderId in b._modifying                # not confirmed yet
    sim.release(5)
    sim.drop_clients()
    wait_reconnected(b.ib)
    notes = until(sim, b, lambda: o.orderId not in b._modifying, steps=20)
    assert names(notes) == ['Accepted'] and o.size == 7 and o.info.modified
