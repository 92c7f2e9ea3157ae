"""The order lane (stores/iblane.py): buy() hands its order to a thread that writes
the journal (on disk before the send) and then to the loop; the strategy thread
writes nothing to disk and makes no hand-off to the loop itself. Against ibsim
over the real socket on both client libraries, plus the lane alone."""
import subprocess
import sys
import threading
import time

import pytest

from backtrader_ib.order import Order
from backtrader_ib.stores.iblane import OrderLane

from .test_ibbroker import broker, feed, names, step  # noqa: F401  (fixtures)


def test_lane_runs_jobs_in_order_from_any_thread():
    lane = OrderLane(name='test-lane')
    try:
        seen, threads = [], []
        for t in range(4):
            def poster(t=t):
                for i in range(200):
                    lane.post(lambda t=t, i=i: seen.append((t, i)))
            threads.append(threading.Thread(target=poster))
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert lane.flush(10)
        assert len(seen) == 800
        for t in range(4):                       # each poster's jobs in its order
            assert [i for tt, i in seen if tt == t] == list(range(200))
    finally:
        lane.close()
    assert not lane.alive()


def test_flush_waits_for_a_slow_job_and_a_failing_job_does_not_stop_the_lane():
    lane = OrderLane(name='test-lane')
    try:
        out = []
        lane.post(lambda: time.sleep(0.2))
        lane.post(lambda: 1 / 0)                # logged; the next job still runs
        lane.post(lambda: out.append(threading.current_thread().name))
        t0 = time.perf_counter()
        assert lane.flush(5)
        assert time.perf_counter() - t0 > 0.1 and out == ['test-lane']
    finally:
        lane.close()


def test_jobs_posted_before_exit_run_at_exit(tmp_path):
    out = tmp_path / 'done'
    code = ('import time\n'
            'from backtrader_ib.stores.iblane import OrderLane\n'
            'lane = OrderLane()\n'
            'lane.post(lambda: time.sleep(0.3))\n'
            f'lane.post(lambda: open({str(out)!r}, "w").write("ran"))\n')
    subprocess.run([sys.executable, '-c', code], check=True, timeout=60)
    assert out.read_text() == 'ran'                # not lost with the daemon thread


def test_buy_writes_no_journal_row_and_makes_no_loop_call_on_its_thread(sim, broker, feed,  # noqa: F811
                                                                         monkeypatch):
    broker.buy(None, feed, 1)
    assert names(step(sim, broker, 2))[-1] == 'Completed'
    journal = broker._journal
    writers, handoffs = [], []
    exec_ = journal._exec

    def spy_exec(sql, args=()):
        writers.append(threading.current_thread().name)
        return exec_(sql, args)
    monkeypatch.setattr(journal, '_exec', spy_exec)
    loop = broker.ib._loop
    cst = loop.call_soon_threadsafe

    def spy_cst(*a, **k):
        handoffs.append(threading.current_thread().name)
        return cst(*a, **k)
    monkeypatch.setattr(loop, 'call_soon_threadsafe', spy_cst)
    orders = [broker.buy(None, feed, 1) if i % 2 else broker.sell(None, feed, 1)
              for i in range(6)]
    broker.cancel(orders[0])
    broker.ib.lane.flush()
    main = threading.current_thread().name
    assert len(handoffs) == 7 and main not in handoffs   # six placements, one cancel
    notes = step(sim, broker, 2)                 # statuses and fills: journal writes
    broker.ib.lane.flush()
    assert writers and main not in writers and set(writers) == {'ibstore-orders'}
    for o in orders:
        assert names(notes, o.ref)[-1] in ('Completed', 'Canceled')
    assert [journal.order(o.orderRef)['status'] for o in orders[1:]] == ['Completed'] * 5


def test_orders_wait_for_a_slow_journal_not_the_strategy(sim, broker, feed):  # noqa: F811
    broker.buy(None, feed, 1)
    step(sim, broker, 2)
    gate = threading.Event()
    broker.ib.lane.post(gate.wait)               # the lane is stuck (a slow disk)
    t0 = time.perf_counter()
    o = broker.buy(None, feed, 2)
    broker.cancel(o)                             # queued behind the placement
    assert time.perf_counter() - t0 < 0.05
    time.sleep(0.2)
    sent = [x for x in sim.gateway.engine.orders.values() if x.order_ref == o.orderRef]
    assert sent == [] and o.orderId is None      # not sent before its journal row
    gate.set()
    notes = step(sim, broker, 2)
    assert names(notes, o.ref)[0] == 'Submitted'
    assert o.orderId is not None and o.status in (Order.Completed, Order.Canceled)
    assert broker._journal.order(o.orderRef)['status'] == o.getstatusname()


def test_a_status_write_that_fails_on_the_lane_stops_the_run(sim, broker, feed):  # noqa: F811
    broker.buy(None, feed, 1)
    step(sim, broker, 2)
    journal = broker._journal
    o = broker.buy(None, feed, 1)
    broker.ib.lane.flush()                       # sent, its row on disk

    def broken(*a, **k):
        raise OSError('disk full')
    journal._order_update = broken               # the status writes that follow fail
    step(sim, broker, 2)
    broker.ib.lane.flush()
    assert isinstance(journal.error, OSError)
    with pytest.raises(RuntimeError, match='order journal .* failed.*disk full'):
        broker.next()
    assert o.orderId is not None


def test_store_call_comes_after_the_order_work_before_it(sim, broker, feed):  # noqa: F811
    gate = threading.Event()
    broker.ib.lane.post(lambda: gate.wait(0.3))  # the lane is slow
    o = broker.buy(None, feed, 1)
    assert o.orderId is None
    # the loop runs the call after the placement: the order has its id there
    assert broker.ib.call(lambda: o.iborder.orderId) > 0
    step(sim, broker, 1)
    assert o.orderId == o.iborder.orderId
