"""The broker's deliberate differences from backtrader (docs/broker.md):
each test shows backtrader's behaviour next to ours."""
from __future__ import annotations

import datetime


import backtrader_ib
from conftest import shared_file
from difftools import reference


def run(bt, strat, setup=None, todate=datetime.datetime(2006, 3, 1)):
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'),
                                               todate=todate))
    cerebro.addstrategy(strat)
    if setup:
        setup(bt, cerebro)
    return cerebro, cerebro.run()[0]


def child_after_parent(bt):
    class Late(bt.Strategy):
        def next(self):
            if len(self) == 2:
                self.parent_order = self.buy(size=1, transmit=False)
                self.sell(size=1, exectype=bt.Order.Limit, price=9e9, parent=self.parent_order)
            elif len(self) == 5:  # the parent completed on bar 3
                self.late = self.sell(size=1, exectype=bt.Order.Stop, price=1.0,
                                      parent=self.parent_order)
    return Late


def test_child_of_a_completed_parent_is_rejected():
    _, s1 = run(reference(), child_after_parent(reference()))
    _, s2 = run(backtrader_ib, child_after_parent(backtrader_ib))
    assert s1.parent_order.status == s2.parent_order.status == s1.parent_order.Completed
    # backtrader: the late child is accepted but never activated
    assert s1.late.getstatusname() == 'Accepted' and not s1.late.active()
    assert s2.late.getstatusname() == 'Rejected'


def test_get_value_lever_is_the_levered_value():
    def make(bt):
        class S(bt.Strategy):
            def next(self):
                if len(self) == 2:
                    self.buy(size=3)
                if len(self) == 10:
                    b = self.broker
                    self.got = (b.get_value_lever(), b.get_value(lever=True), b.get_value())
        return S

    def setup(bt, cerebro):
        cerebro.broker.setcommission(commission=0.0, leverage=4.0)
    _, s1 = run(reference(), make(reference()), setup)
    _, s2 = run(backtrader_ib, make(backtrader_ib), setup)
    lever1, levered1, value1 = s1.got
    assert lever1 == value1 != levered1          # backtrader forgets the flag
    assert s2.got == (levered1, levered1, value1)


def test_sell_limit_slippage_stops_at_the_low():
    """A sell limit gapping through with slippage: backtrader 1.9.78 can sell
    below the bar's low; we stop at the low (backtrader's later fix)."""
    def make(bt):
        class S(bt.Strategy):
            def next(self):
                if len(self) == 2:
                    self.buy(size=1)
                elif len(self) == 3:
                    self.o = self.sell(size=1, exectype=bt.Order.Limit, price=1.0)
        return S

    def setup(bt, cerebro):
        cerebro.broker.set_slippage_perc(0.5)
    _, s1 = run(reference(), make(reference()), setup)
    _, s2 = run(backtrader_ib, make(backtrader_ib), setup)
    data = s2.data
    i = [j for j in range(-len(data) + 1, 1)
         if data.datetime[j] == s2.o.executed.dt][0]
    assert s1.o.executed.price < data.low[i]
    assert s2.o.executed.price == data.low[i]


def test_child_of_a_parent_without_other_children_is_rejected():
    def make(bt):
        class Late(bt.Strategy):
            def next(self):
                if len(self) == 2:
                    self.parent_order = self.buy(size=1)
                elif len(self) == 5:
                    self.late = self.sell(size=1, exectype=bt.Order.Stop, price=1.0,
                                          parent=self.parent_order)
        return Late
    _, s2 = run(backtrader_ib, make(backtrader_ib))
    assert s2.late.getstatusname() == 'Rejected'


def test_value_of_a_flat_position_before_its_data_starts_is_zero():
    """backtrader's answer depends on what the line holds before its first
    bar (in preload mode, the last bar of the series); a flat position is
    worth nothing."""
    bt = backtrader_ib
    seen = []

    class S(bt.Strategy):
        def prenext(self):
            seen.append((len(self.data1), self.broker.get_value([self.data1])))

    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'),
                                               fromdate=datetime.datetime(2006, 2, 1)))
    cerebro.addstrategy(S)
    cerebro.run()
    assert seen and seen[0][0] == 0
    assert all(v == 0.0 for _, v in seen)
