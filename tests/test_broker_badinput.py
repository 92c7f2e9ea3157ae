"""Broker bad input: every case gets a clear error when it happens."""
from __future__ import annotations

import datetime

import pytest

import backtrader_ib as bt
from conftest import shared_file


def run(act, datas=1, **cerebro_kw):
    """Run ``act(strategy, n)`` on every bar of the daily file (``datas`` copies)."""
    class S(bt.Strategy):
        def next(self):
            act(self, len(self))

    cerebro = bt.Cerebro(**cerebro_kw)
    for i in range(datas):
        cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'),
                                                   todate=datetime.datetime(2006, 3, 1)))
    cerebro.addstrategy(S)
    return cerebro.run()[0]


@pytest.mark.parametrize('kwargs,match', [
    (dict(size=-1), 'must not be negative'),
    (dict(size='3'), 'must be a number'),
    (dict(size=1, exectype=bt.Order.Limit), 'Limit order needs a price'),
    (dict(size=1, exectype=bt.Order.Stop), 'Stop order needs a price'),
    (dict(size=1, exectype=bt.Order.StopLimit, plimit=3.0), 'StopLimit order needs a price'),
    (dict(size=1, exectype=bt.Order.StopLimit, price=3.0), r'limit price \(plimit\)'),
    (dict(size=1, exectype=bt.Order.StopTrail), 'trailamount or trailpercent'),
    (dict(size=1, exectype=bt.Order.StopTrailLimit, plimit=3.0), 'trailamount or trailpercent'),
    (dict(size=1, valid='tomorrow'), 'valid='),
    (dict(size=1, valid=[1]), 'valid='),
])
@pytest.mark.parametrize('side', ['buy', 'sell'])
def test_order_arguments(side, kwargs, match):
    def act(s, n):
        getattr(s, side)(**kwargs)
    with pytest.raises(ValueError, match=match):
        run(act)


@pytest.mark.parametrize('size,match', [
    (-1, r'order size must not be negative, got -1 \(use sell\(\) to go short\)'),
    (float('nan'), 'order size must be a finite number, got nan'),
    (float('inf'), 'order size must be a finite number, got inf'),
    ('3', "order size must be a number, got '3'"),
])
@pytest.mark.parametrize('side', ['buy', 'sell'])
def test_order_size_straight_to_the_broker(side, size, match):
    """The order checks its own size (a broker called without a strategy's checks)."""
    def act(s, n):
        if n == 5:
            getattr(s.broker, side)(s, s.data, size=size)

    with pytest.raises(ValueError, match=f'^{side}: {match}'):
        run(act)


def test_zero_size_makes_no_order():
    made = []
    run(lambda s, n: made.append(s.buy(size=0)) if n == 2 else None)
    assert made == [None]


@pytest.mark.parametrize('relation', ['oco', 'parent'])
def test_relation_to_another_data(relation):
    def act(s, n):
        if n == 2:
            o = s.buy(data=s.data0, size=1, exectype=bt.Order.Limit, price=1.0,
                      transmit=relation != 'parent')
            s.sell(data=s.data1, size=1, exectype=bt.Order.Limit, price=9e9, **{relation: o})
    with pytest.raises(ValueError, match=f'{relation} order .* belongs to another data'):
        run(act, datas=2)


def test_cancel_twice():
    def act(s, n):
        if n == 2:
            s.o = s.buy(size=1, exectype=bt.Order.Limit, price=1.0)
        elif n == 3:  # accepted by now (a cancel on the bar of creation is ignored)
            s.cancel(s.o)
        elif n == 5:
            s.cancel(s.o)
    with pytest.raises(ValueError, match='already cancelled'):
        run(act)


def test_cancel_after_fill_or_cascade_is_silent():
    def act(s, n):
        if n == 2:
            s.filled = s.buy(size=1)
            s.bracket = s.buy_bracket(size=1, price=1.0, stopprice=0.5, limitprice=2.0)
            o = s.buy(size=1, exectype=bt.Order.Limit, price=1.0)
            s.oco = s.buy(size=1, exectype=bt.Order.Limit, price=1.0, oco=o)
            s.cancel(o)
        elif n == 3:
            s.cancel(s.bracket[0])
        elif n == 5:
            s.cancel(s.filled)       # completed: nothing to do, as in backtrader
            s.cancel(s.bracket[1])   # cancelled by its parent
            s.cancel(s.oco)          # cancelled by its OCO group
    s = run(act)
    assert s.filled.status == bt.Order.Completed
    assert [o.status for o in s.bracket] == [bt.Order.Canceled] * 3


def test_stock_scheme_with_margin():
    with pytest.raises(ValueError, match='no effect on a stock-like scheme'):
        bt.CommInfoBase(commtype=bt.CommInfoBase.COMM_PERC, stocklike=True, margin=1000.0)
    with pytest.raises(ValueError, match='no effect on a stock-like scheme'):
        bt.commissions.CommInfo_Stocks_Perc(margin=50.0)
    # legacy rule: a margin without commtype makes the scheme futures-like
    assert not bt.CommInfoBase(margin=1000.0).stocklike


def test_empty_fund_history():
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    cerebro.addstrategy(bt.Strategy)
    cerebro.set_fund_history([])
    with pytest.raises(ValueError, match='fund history is empty'):
        cerebro.run()


def test_bad_history_time():
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    cerebro.addstrategy(bt.Strategy)
    cerebro.add_order_history([(20060105, 1, 3600.0)])
    with pytest.raises(ValueError, match='history row time 20060105'):
        cerebro.run()
