"""Differential tests: the same strategies on backtrader and backtrader_ib.

Every order notification (status, executed time, price, size, value,
commission, pnl), every trade, cash/value at every bar and the indicator
values at every bar must be identical, in every preload/runonce/exactbars mode.
"""
from __future__ import annotations

import datetime

import pytest

from conftest import shared_file
from difftools import MODES, assert_same_events, run_both
from backtrader_ib import datas as packaged

DAY_2006 = '2006-day-001.txt'


def btcsv(name, **kw):
    def make(bt):
        return [bt.feeds.BacktraderCSVData(dataname=shared_file(name), **kw)]
    return make


def yahoo_as_btcsv_pandas(name):
    """A shipped Yahoo file, fed through PandasData (no Yahoo feed needed)."""
    import pandas as pd
    df = pd.read_csv(packaged.path(name), parse_dates=['Date'], index_col='Date')
    df = df.rename(columns=str.lower)[['open', 'high', 'low', 'close', 'volume']]

    def make(bt):
        return [bt.feeds.PandasData(dataname=df)]
    return make


# -- strategies ----------------------------------------------------------
def sma_cross(bt):
    """backtrader's own test strategy: close crossing an SMA, futures commission."""

    class SmaCross(bt.Strategy):
        params = (('period', 15),)

        def __init__(self):
            self.sma = bt.indicators.SMA(self.data, period=self.p.period)
            self.cross = bt.indicators.CrossOver(self.data.close, self.sma)
            self.order = None

        def start(self):
            self.broker.setcommission(commission=2.0, mult=10.0, margin=1000.0)

        def notify_order(self, order):
            if order.status in (order.Submitted, order.Accepted):
                return
            self.order = None

        def next(self):
            if self.order:
                return
            if not self.position.size:
                if self.cross > 0.0:
                    self.order = self.buy()
            elif self.cross < 0.0:
                self.order = self.close()
    return SmaCross


def order_types(bt):
    """Limit, stop, close and market orders with validity, on a stock."""

    class Orders(bt.Strategy):
        def __init__(self):
            self.fast = bt.ind.EMA(period=8)
            self.slow = bt.ind.SMA(self.data.high, period=21)
            self.diff = self.fast - self.slow
            self.up = bt.And(self.diff > 0, self.data.close > self.data.close(-1))
            self.orders = []

        def start(self):
            self.broker.setcommission(commission=0.001)

        def next(self):
            n = len(self)
            close = self.data.close[0]
            if n % 7 == 0 and not self.position:
                self.buy(exectype=bt.Order.Limit, price=close * 0.99,
                         valid=datetime.timedelta(days=3), size=10)
            elif n % 11 == 0 and self.position.size > 0:
                self.sell(exectype=bt.Order.Stop, price=close * 0.98, size=self.position.size,
                          valid=self.data.datetime.date(0) + datetime.timedelta(days=5))
            elif n % 13 == 0:
                self.buy(exectype=bt.Order.Close, size=5)
            elif n % 17 == 0 and self.position.size > 0:
                self.close()
            elif self.up[0] and n % 5 == 0:
                self.buy(size=3)
    return Orders


def margin_and_shorts(bt):
    """Orders too big for the cash (Margin), shorts and reversals."""

    class Margin(bt.Strategy):
        def __init__(self):
            self.sma = bt.ind.SMA(period=5)

        def next(self):
            n = len(self)
            if n % 9 == 0:
                self.buy(size=100000)          # cannot be afforded: Margin
            elif n % 6 == 0:
                self.sell(size=20)             # short / reverse
            elif n % 4 == 0:
                self.buy(size=15)
            elif n % 25 == 0:
                self.close()
    return Margin


def sizer_strategy(bt):
    class Sized(bt.Strategy):
        def __init__(self):
            self.cross = bt.ind.CrossOver(bt.ind.SMA(period=5), bt.ind.SMA(period=20))

        def next(self):
            if self.cross > 0:
                self.buy()
            elif self.cross < 0 and self.position:
                self.close()
    return Sized


def custom_indicators(bt):
    """User indicators: next-only, once+next, and lines bound in __init__."""

    class Momo(bt.Indicator):
        lines = ('momo',)
        params = (('period', 4),)

        def __init__(self):
            self.addminperiod(self.p.period + 1)

        def next(self):
            self.lines.momo[0] = self.data[0] - self.data[-self.p.period]

    class Band(bt.Indicator):
        lines = ('mid', 'top', 'bot')
        params = (('period', 10), ('k', 0.05))

        def __init__(self):
            self.lines.mid = mid = bt.ind.SMA(self.data, period=self.p.period)
            self.lines.top = mid * (1 + self.p.k)
            self.lines.bot = mid * (1 - self.p.k)

    class Running(bt.Indicator):
        lines = ('acc',)

        def nextstart(self):
            self.lines.acc[0] = self.data[0]

        def next(self):
            self.lines.acc[0] = self.lines.acc[-1] * 0.9 + self.data[0] * 0.1

        def once(self, start, end):
            src, dst = self.data.array, self.lines.acc.array
            prev = src[start - 1] if start > 0 else src[start]
            for i in range(start, end):
                dst[i] = prev = prev * 0.9 + src[i] * 0.1

        def oncestart(self, start, end):
            self.lines.acc.array[start] = self.data.array[start]

    class Custom(bt.Strategy):
        def __init__(self):
            self.m = Momo(self.data.close)
            self.b = Band(self.data.close)
            self.r = Running(self.data.close)
            self.sig = bt.If(self.data.close > self.b.top, 1.0, bt.If(self.data.close < self.b.bot, -1.0, 0.0))

        def next(self):
            if self.sig[0] > 0 and not self.position:
                self.buy(size=2)
            elif self.sig[0] < 0 and self.position:
                self.close()
    return Custom


STRATEGIES = {
    'sma_cross': (sma_cross, lambda: btcsv(DAY_2006, fromdate=datetime.datetime(2006, 1, 1),
                                           todate=datetime.datetime(2006, 12, 31))),
    'order_types': (order_types, lambda: yahoo_as_btcsv_pandas('orcl-1995-2014.csv')),
    'margin': (margin_and_shorts, lambda: btcsv(DAY_2006)),
    'custom_ind': (custom_indicators, lambda: btcsv('2006-min-005.txt')),
}


@pytest.mark.parametrize('mode', list(MODES))
@pytest.mark.parametrize('name', list(STRATEGIES))
def test_same_run(name, mode):
    make, datas = STRATEGIES[name]
    (c1, s1), (c2, s2) = run_both(make, datas(), MODES[mode])
    assert len(s1.events) > 10
    assert_same_events(s1.events, s2.events)
    assert c1.broker.getvalue() == c2.broker.getvalue()
    assert c1.broker.getcash() == c2.broker.getcash()


@pytest.mark.parametrize('sizer,kw', [('PercentSizer', dict(percents=10)),
                                      ('AllInSizerInt', {}), ('FixedReverser', dict(stake=3)),
                                      ('FixedSize', dict(stake=7))])
def test_sizers(sizer, kw):
    def setup(bt, cerebro):
        cerebro.addsizer(getattr(bt.sizers, sizer), **kw)
    (c1, s1), (c2, s2) = run_both(sizer_strategy, btcsv(DAY_2006), MODES['runonce'],
                                  cerebro_setup=setup)
    assert any(e[0] == 'order' for e in s1.events)
    assert_same_events(s1.events, s2.events)


def test_two_datas_different_calendars():
    """Two feeds whose dates differ: the clocks must advance the same way."""
    def datas(bt):
        return [bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')),
                bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-002.txt'))]

    def make(bt):
        class Two(bt.Strategy):
            def __init__(self):
                self.s0 = bt.ind.SMA(self.data0, period=5)
                self.s1 = bt.ind.SMA(self.data1, period=3)

            def next(self):
                if len(self) % 10 == 0:
                    self.buy(data=self.data1, size=1)
                if len(self) % 15 == 0:
                    self.close(data=self.data1)
        return Two

    for mode in ('runonce', 'preload-next', 'next'):
        (c1, s1), (c2, s2) = run_both(make, datas, MODES[mode])
        assert_same_events(s1.events, s2.events)


def test_analyzers_and_observers_match():
    def setup(bt, cerebro):
        cerebro.addanalyzer(bt.analyzers.SQN)
        cerebro.addanalyzer(bt.analyzers.TimeReturn)
        cerebro.addanalyzer(bt.analyzers.TimeReturn, timeframe=bt.TimeFrame.Months, _name='monthly')

    for mode in ('runonce', 'next'):
        (c1, s1), (c2, s2) = run_both(sma_cross, btcsv(DAY_2006), MODES[mode], cerebro_setup=setup)
        a1 = {k: dict(v.get_analysis()) for k, v in s1.analyzers.getitems()}
        a2 = {k: dict(v.get_analysis()) for k, v in s2.analyzers.getitems()}
        assert a1 == a2
        for o1, o2 in zip(s1.observers, s2.observers):
            for l1, l2 in zip(o1.lines, o2.lines):
                import numpy as np
                np.testing.assert_array_equal(np.asarray(l1.array, dtype=float)[:len(s1)],
                                              np.asarray(l2.array, dtype=float)[:len(s2)])


def test_writer_output_matches():
    def setup(bt, cerebro):
        cerebro.addwriter(bt.WriterStringIO, csv=True)
    outs = []
    (c1, s1), (c2, s2) = run_both(sma_cross, btcsv(DAY_2006), MODES['runonce'],
                                  cerebro_setup=setup, record=False)
    for c in (c1, c2):
        outs.append(c.runwriters[0].out.getvalue())
    assert outs[0].splitlines()[:300] == outs[1].splitlines()[:300]
    assert outs[0] == outs[1]
