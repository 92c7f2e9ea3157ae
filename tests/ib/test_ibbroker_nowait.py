"""buy()/sell()/cancel() never wait on the store's loop (issue 18 part 4), against
ibsim over the real socket on both client libraries: the order is queued to the
loop, which writes the journal, gives it its id and sends it; the id, a failure
to send and every status still reach the broker, in order, once."""
import sqlite3
import time

from backtrader_ib.order import Order
from backtrader_ib.stores.ibjournal import OrderJournal

from .test_ibbroker import broker, feed, names, step  # noqa: F401  (fixtures)

AAPL = 265598


def busy(store, seconds):
    """Keep the store's loop busy (as streaming ticks would)."""
    store._loop.call_soon_threadsafe(time.sleep, seconds)


def warm(sim, broker, feed):  # noqa: F811
    """A first order (a first order of a contract may look things up on the loop)."""
    broker.buy(None, feed, 1)
    assert names(step(sim, broker, 2))[-1] == 'Completed'


def test_buy_returns_while_the_loop_is_busy(sim, broker, feed):  # noqa: F811
    warm(sim, broker, feed)
    busy(broker.ib, 0.5)
    times, orders = [], []
    for i in range(10):
        t0 = time.perf_counter()
        orders.append(broker.buy(None, feed, 1) if i % 2 else broker.sell(None, feed, 1))
        times.append(time.perf_counter() - t0)
    assert max(times) < 0.05                       # the loop sleeps 0.5 s
    assert all(o.status == Order.Submitted and o.orderId is None for o in orders)
    time.sleep(0.6)
    notes = step(sim, broker, 2)
    for o in orders:                               # each once, in order, nothing lost
        assert names(notes, o.ref) == ['Submitted', 'Accepted', 'Completed']
    ids = [o.orderId for o in orders]
    assert ids == sorted(ids) and len(set(ids)) == 10
    sent = [o for o in sim.gateway.engine.orders.values() if o.order_ref.startswith('btib:')]
    assert len(sent) == 11                         # the warm-up and the ten, once each
    assert broker.getposition(feed).size == 1 == sim.positions()[AAPL]
    j = broker._journal                            # written before each was sent
    assert [j.order(o.orderRef)['status'] for o in orders] == ['Completed'] * 10


def test_cancel_before_the_id_is_known(sim, broker, feed):  # noqa: F811
    warm(sim, broker, feed)
    busy(broker.ib, 0.3)
    o = broker.buy(None, feed, 5, price=round(feed.close[0] * 0.5, 2), exectype=Order.Limit)
    broker.cancel(o)                               # queued after its placement
    time.sleep(0.4)
    notes = step(sim, broker, 1)
    assert names(notes, o.ref)[0] == 'Submitted' and names(notes, o.ref)[-1] == 'Canceled'
    assert o.status == Order.Canceled and o.orderId is not None


def test_bracket_queued_together_gets_its_parent_id(sim, broker, feed):  # noqa: F811
    warm(sim, broker, feed)
    busy(broker.ib, 0.3)
    px = feed.close[0]
    parent = broker.buy(None, feed, 10, price=round(px * 1.01, 2), exectype=Order.Limit,
                        transmit=False)
    stop = broker.sell(None, feed, 10, price=round(px * 0.5, 2), exectype=Order.Stop,
                       parent=parent, transmit=False)
    take = broker.sell(None, feed, 10, price=round(px * 2, 2), exectype=Order.Limit,
                       parent=parent, transmit=True)
    assert parent.orderId is None                  # still queued: the children were taken
    time.sleep(0.4)
    step(sim, broker, 1)
    assert stop.iborder.parentId == take.iborder.parentId == parent.orderId
    assert parent.status == Order.Completed
    assert stop.status == take.status == Order.Accepted


def test_an_order_the_journal_cannot_record_is_not_sent(sim, broker, feed):  # noqa: F811
    warm(sim, broker, feed)
    good = broker._journal
    bad = OrderJournal(good.path)
    bad.db.close()                                 # its disk write fails (sqlite3 error)
    broker._journal = bad                          # for this order's write before sending
    o = broker.buy(None, feed, 3)
    broker._journal = good
    notes = step(sim, broker, 1)
    assert names(notes, o.ref) == ['Submitted', 'Rejected']
    assert 'Cannot operate on a closed database' in o.info['reject_reason']
    sent = [x for x in sim.gateway.engine.orders.values() if x.order_ref == o.orderRef]
    assert sent == [] and broker.getposition(feed).size == 1


def test_journal_row_before_the_order_reaches_ib(sim, broker, feed):  # noqa: F811
    warm(sim, broker, feed)
    path = broker._journal.path
    seen = {}
    transmit = type(broker.ib)._transmit

    def spy(self, contract, order, ref, brk):
        db = sqlite3.connect(path)                 # a second connection, as a restart
        seen[ref] = db.execute('SELECT status FROM orders WHERE orderRef=?',
                               (order.orderRef,)).fetchone()
        db.close()
        return transmit(self, contract, order, ref, brk)
    broker.ib._transmit = spy.__get__(broker.ib)
    o = broker.buy(None, feed, 2)
    step(sim, broker, 1)
    assert seen[o.ref] == ('Submitted',)           # on disk before it was sent
    assert o.status == Order.Completed
