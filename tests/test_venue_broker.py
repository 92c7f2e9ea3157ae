"""tests/venue_broker.py, a broker written against BrokerBase alone, runs
under Cerebro: the same fills, cash, positions, trades and notifications as
BackBroker gives for market orders, and its own refusal (Margin)."""
from __future__ import annotations

import pytest

import backtrader_ib as bt
from conftest import shared_file
from venue_broker import NextOpenBroker

FEE = 0.01


class Trader(bt.Strategy):
    """Buy 10 on bar 3, 5 more on bar 5, sell 15 on bar 9; ``big`` on bar 12."""

    params = (('big', 0),)

    def __init__(self):
        self.notes = []
        self.trades = []
        self.cash = []
        self.opens = []

    def notify_order(self, order):
        self.notes.append((len(self), order.getstatusname(),
                           order.executed.size, round(order.executed.price, 6),
                           round(order.executed.comm, 6)))

    def notify_trade(self, trade):
        if trade.isclosed:
            self.trades.append((round(trade.pnl, 6), round(trade.pnlcomm, 6)))

    def next(self):
        n = len(self)
        self.opens.append(self.data.open[0])
        if n == 3:
            self.buy(size=10)
        elif n == 5:
            self.buy(size=5)
        elif n == 9:
            self.sell(size=15)
        elif n == 12 and self.p.big:
            self.buy(size=self.p.big)
        self.cash.append((round(self.broker.getcash(), 6), round(self.broker.getvalue(), 6),
                          self.position.size))


def _run(broker, big=0):
    cerebro = bt.Cerebro()  # observers and their broker readings included
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    if broker is not None:
        cerebro.setbroker(broker)
    else:
        cerebro.broker.setcash(100000.0)
        cerebro.broker.setcommission(commission=FEE, commtype=bt.CommInfoBase.COMM_FIXED,
                                     stocklike=True)
    cerebro.addstrategy(Trader, big=big)
    cerebro.addanalyzer(bt.analyzers.TradeAnalyzer, _name='ta')
    return cerebro, cerebro.run()[0]


def test_venue_broker_matches_backbroker_on_market_orders():
    _, mine = _run(NextOpenBroker(cash=100000.0, fee=FEE))
    _, ref = _run(None)
    assert mine.notes == ref.notes
    assert [n[1] for n in mine.notes] == ['Submitted', 'Accepted', 'Completed'] * 3
    assert mine.notes[2][2:4] == (10, round(mine.opens[3], 6))  # the open of bar 4
    assert mine.trades == ref.trades and len(mine.trades) == 1
    assert mine.cash == ref.cash
    assert mine.analyzers.ta.get_analysis().total.closed == 1


def test_venue_broker_cash_and_positions_by_hand():
    cerebro, strat = _run(NextOpenBroker(cash=100000.0, fee=FEE))
    fills = [n for n in strat.notes if n[1] == 'Completed']
    spent = sum(size * price for _, _, size, price, _ in fills)
    fees = sum(abs(size) * FEE for _, _, size, _, _ in fills)
    broker = cerebro.broker
    assert broker.getcash() == pytest.approx(100000.0 - spent - fees)
    assert broker.getposition(strat.data).size == 0
    assert strat.trades[0][0] - strat.trades[0][1] == pytest.approx(fees)


def test_venue_refusal_is_notified_and_changes_nothing():
    cerebro, strat = _run(NextOpenBroker(cash=100000.0, fee=FEE), big=100)
    last = strat.notes[-3:]
    assert [n[1] for n in last] == ['Submitted', 'Accepted', 'Margin']
    assert last[-1][2] == 0  # nothing executed
    assert cerebro.broker.getposition(strat.data).size == 0


def test_venue_takes_market_orders_only():
    class LimitBuyer(bt.Strategy):
        def next(self):
            self.buy(size=1, exectype=bt.Order.Limit, price=1.0)

    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    cerebro.setbroker(NextOpenBroker())
    cerebro.addstrategy(LimitBuyer)
    with pytest.raises(ValueError, match='NextOpenBroker: the venue takes market orders only'):
        cerebro.run()
