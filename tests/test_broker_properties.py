"""Property tests: random order streams against the simulated broker.

Whatever the strategy does, money is conserved (value = starting cash +
realized pnl - commissions + unrealized pnl), no order executes more than
its size or is notified Completed twice, every order ends either in a
terminal status or still live in the broker, and bracket children end when
their parent or sibling does.
"""
from __future__ import annotations

import datetime

import pytest

hypothesis = pytest.importorskip('hypothesis')
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

import backtrader_ib as bt  # noqa: E402
from conftest import shared_file  # noqa: E402

NBARS = 60
KINDS = ('market', 'limit', 'stop', 'stoplimit', 'trail', 'close', 'bracket', 'oco', 'cancel',
         'target')

action = st.tuples(st.integers(1, NBARS), st.sampled_from(KINDS), st.booleans(),
                   st.integers(1, 30), st.floats(-0.02, 0.02))
TERMINAL = (bt.Order.Completed, bt.Order.Canceled, bt.Order.Expired, bt.Order.Margin,
            bt.Order.Rejected)


def run_stream(actions, futures, filler, mode):
    plan: dict = {}
    for bar, kind, isbuy, size, off in actions:
        plan.setdefault(bar, []).append((kind, isbuy, size, off))

    class Random(bt.Strategy):
        def __init__(self):
            self.made = []
            self.brackets = []
            self.completed = []

        def notify_order(self, order):
            if order.status == order.Completed:
                self.completed.append(order.ref)

        def next(self):
            c = self.data.close[0]
            for kind, isbuy, size, off in plan.get(len(self), ()):
                side = self.buy if isbuy else self.sell
                p = c * (1 + off)
                valid = datetime.timedelta(days=size % 5) if size % 3 else None
                if kind == 'market':
                    self.made.append(side(size=size))
                elif kind == 'limit':
                    self.made.append(side(size=size, exectype=bt.Order.Limit, price=p,
                                          valid=valid))
                elif kind == 'stop':
                    self.made.append(side(size=size, exectype=bt.Order.Stop, price=p))
                elif kind == 'stoplimit':
                    self.made.append(side(size=size, exectype=bt.Order.StopLimit, price=p,
                                          plimit=p * (1 + off / 2), valid=valid))
                elif kind == 'trail':
                    self.made.append(side(size=size, exectype=bt.Order.StopTrail,
                                          trailpercent=abs(off) + 0.001))
                elif kind == 'close':
                    self.made.append(self.close())
                elif kind == 'target':
                    self.made.append(self.order_target_size(target=size if isbuy else -size))
                elif kind == 'bracket':
                    maker = self.buy_bracket if isbuy else self.sell_bracket
                    sign = 1 if isbuy else -1
                    os = maker(size=size, price=p, stopprice=c * (1 - sign * 0.02),
                               limitprice=c * (1 + sign * 0.02), valid=valid)
                    self.made.extend(os)
                    self.brackets.append(os)
                elif kind == 'oco':
                    o1 = side(size=size, exectype=bt.Order.Limit, price=c * (1 - abs(off)))
                    o2 = side(size=size, exectype=bt.Order.Stop, price=c * (1 + abs(off)),
                              oco=o1)
                    self.made.extend([o1, o2])
                elif kind == 'cancel':
                    live = self.broker.get_orders_open()
                    if live:
                        self.cancel(live[size % len(live)])

    cerebro = bt.Cerebro(**mode)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-volume-day-001.txt'),
                                               todate=datetime.datetime(2006, 4, 10)))
    cerebro.addstrategy(Random)
    cerebro.broker.setcash(1e6)
    if futures:
        cerebro.broker.setcommission(commission=2.0, margin=2000.0, mult=5.0)
    else:
        cerebro.broker.setcommission(commission=0.001)
    if filler:
        cerebro.broker.set_filler(bt.fillers.FixedSize(size=7))
    return cerebro, cerebro.run()[0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=st.lists(action, max_size=40), futures=st.booleans(), filler=st.booleans(),
       runonce=st.booleans())
def test_random_order_streams(actions, futures, filler, runonce):
    cerebro, s = run_stream(actions, futures, filler,
                            dict(runonce=runonce, preload=True))
    broker = cerebro.broker
    orders = [o for o in s.made if o is not None]

    # money: value = start + realized pnl - commissions + unrealized pnl
    pnl = sum(o.executed.pnl for o in orders)
    comm = sum(o.executed.comm for o in orders)
    pos = broker.getposition(s.data)
    ci = broker.getcommissioninfo(s.data)
    unrealized = ci.profitandloss(pos.size, pos.price, s.data.close[0])
    assert broker.getvalue() == pytest.approx(1e6 + pnl - comm + unrealized, rel=1e-9, abs=1e-6)
    # the position is the sum of the executions
    assert sum(o.executed.size for o in orders) == pytest.approx(pos.size)

    # no order fills twice or beyond its size; none is orphaned
    assert len(s.completed) == len(set(s.completed))
    live = {o.ref for o in broker.get_orders_open()}
    for o in orders:
        assert abs(o.executed.size) <= abs(o.size) + 1e-9
        assert o.status in TERMINAL or (o.alive() and o.ref in live), o

    # bracket children end with their parent or sibling
    for parent, stop, limit in s.brackets:
        if parent.status in TERMINAL and parent.status != bt.Order.Completed:
            assert stop.status in TERMINAL and limit.status in TERMINAL
            assert stop.status != bt.Order.Completed != limit.status
        for a, b in ((stop, limit), (limit, stop)):
            if a.status in TERMINAL:
                assert b.status in TERMINAL, (a, b)
            if a.status == bt.Order.Completed:
                assert b.status != bt.Order.Completed
