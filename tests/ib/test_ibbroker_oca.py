"""OCA types 2 and 3 (reduce on fill) from IBBroker: IB's own ``ocaType``
order field as a keyword of buy/sell, next to backtrader's ``oco=`` (type 1
unless told). ibsim reduces the other orders of the group by each fill."""
import pytest

from backtrader_ib.order import Order

from .test_ibbroker import broker, feed, names, step, store_texts  # noqa: F401  (fixtures)


def test_default_oco_is_type_1(sim, broker, feed):  # noqa: F811
    px = feed.close[0]
    a = broker.sell(None, feed, 10, price=px * 2, exectype=Order.Limit)
    b = broker.sell(None, feed, 10, price=px * 3, exectype=Order.Limit, oco=a)
    assert (a.iborder.ocaType, b.iborder.ocaType) == (1, 1)
    assert a.iborder.ocaGroup == b.iborder.ocaGroup


@pytest.mark.parametrize('oca_type', [2, 3])
def test_reduce_on_fill(sim, broker, feed, oca_type):  # noqa: F811
    buy = broker.buy(None, feed, 100)
    step(sim, broker, 2)
    px = buy.executed.price
    # scale out: a far take-profit for all 100 and a near one for 40 in one
    # reduce-on-fill group; the near fill leaves the far order at 60
    far = broker.sell(None, feed, 100, price=round(px * 2, 2), exectype=Order.Limit,
                      ocaType=oca_type)
    near = broker.sell(None, feed, 40, price=round(px * 0.9, 2), exectype=Order.Limit,
                       oco=far, ocaType=oca_type)
    assert near.iborder.ocaGroup == far.iborder.ocaGroup
    assert (near.iborder.ocaType, far.iborder.ocaType) == (oca_type, oca_type)
    notes = step(sim, broker, 2)
    assert names(notes, near.ref)[-1] == 'Completed'
    assert far.alive()                              # reduced, not cancelled
    store = broker.ib

    async def open_orders():
        return await store.ib.reqAllOpenOrdersAsync()
    opened = store.call(open_orders(), timeout=10)
    left = {t.order.orderId: t.order.totalQuantity for t in opened}
    assert left[far.orderId] == 60
    assert broker.getposition(feed).size == 60


def test_bad_oca_type_is_refused_by_ib_field_check(sim, broker, feed):  # noqa: F811
    with pytest.raises(ValueError, match="no field 'ocatype'"):
        broker.sell(None, feed, 10, price=feed.close[0] * 2, exectype=Order.Limit, ocatype=2)


@pytest.mark.parametrize('oca_type', [2, 3])
def test_reduced_order_fills_what_is_left(sim, broker, feed, oca_type):  # noqa: F811
    from .test_ibbroker_fills import run_until_done
    buy = broker.buy(None, feed, 100)
    step(sim, broker, 2)
    px = buy.executed.price
    far = broker.sell(None, feed, 100, price=round(px * 1.0003, 2), exectype=Order.Limit,
                      ocaType=oca_type)
    near = broker.sell(None, feed, 40, price=round(px * 0.9, 2), exectype=Order.Limit,
                       oco=far, ocaType=oca_type)
    notes = run_until_done(sim, broker, [far, near])
    assert names(notes, near.ref)[-1] == 'Completed'
    assert broker.getposition(feed).size == 0     # IB: 40 + 60 sold
    assert far.executed.size == -60
    assert names(notes, far.ref)[-1] == 'Completed' and not far.alive()
    # as TWS reports it: the far order still working at 60 after the near fill
    # (notified once with IB's size), then filled for those 60
    assert names(notes, far.ref) == ['Submitted', 'Accepted', 'Accepted', 'Completed']
    assert far.size == -60 and far.created.size == -100 and far.info.ibsize_was == 100
    texts = [m for m in store_texts(broker.ib) if 'changed the size' in m]
    assert len(texts) == 1 and f'order ref {far.ref}' in texts[0] and 'from 100 to 60' in texts[0]
    j = broker.ib.journal
    assert j.order(far.orderRef)['size'] == 60 and j.order(far.orderRef)['status'] == 'Completed'


def test_size_changed_in_tws_is_taken(sim, broker, feed):  # noqa: F811
    # someone changes the order's size in TWS: IB's openOrder carries it
    o = broker.buy(None, feed, 10, price=round(feed.close[0] * 0.5, 2), exectype=Order.Limit)
    step(sim, broker, 1)
    engine = sim.gateway.engine

    def change():
        x = engine.orders[(broker.ib.clientId, o.orderId)]
        x.quantity = 6
        engine.notify('order', x)
    sim._call(change)
    notes = step(sim, broker, 1)
    assert names(notes) == ['Accepted'] and o.size == 6 and o.executed.remsize == 6
    assert o.created.size == 10 and o.alive()
    broker.cancel(o)
    assert names(step(sim, broker, 1)) == ['Canceled']
