"""The lean bar-by-bar strategy step (``Strategy._next_lean``: one data, no
analyzers, plain observers) against backtrader 1.9.78.123: every indicator and
observer value read in ``next``, orders and trades, bar by bar and replayed,
with what makes the step fall back per object (operators, an indicator with
children or its own ``_next``, indicators made in ``start()``, an observer
with children, no observers). Both paths (BTIB_GENERAL_PATH=1)."""
from __future__ import annotations

import datetime
import os

import pytest

from difftools import MODES, assert_same_events, num, order_event, run_both, trade_event
from engine_difftools import general_path, vals  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures('general_path')

DATA = os.path.join(os.path.dirname(__file__), 'data')


def _make(variant: str):
    def make(bt):
        class WithChild(bt.Indicator):
            """An indicator with a sub-indicator: stepped through _next."""
            lines = ('d',)

            def __init__(self):
                self.fast = bt.indicators.SMA(self.data, period=3)
                self.addminperiod(4)

            def next(self):
                self.lines.d[0] = self.fast[0] - self.data[-3]

        class OwnStep(bt.Indicator):
            """A next with state (a running count) and a nextstart of its own."""
            lines = ('n',)

            def __init__(self):
                self.addminperiod(5)
                self.seen = 0

            def nextstart(self):
                self.seen = 100
                self.next()

            def next(self):
                self.seen += 1
                self.lines.n[0] = self.seen + self.data[0]

        class Lean(bt.Strategy):
            def __init__(self):
                self.sma = bt.indicators.SMA(self.data.close, period=12)
                self.cross = bt.indicators.CrossOver(bt.indicators.SMA(self.data.close, period=4),
                                                     self.sma)
                self.spread = self.data.high - self.data.low  # an operator child
                self.child = WithChild(self.data.close)
                self.own = OwnStep(self.data.close)
                self.log = []

            def start(self):
                self.late = bt.indicators.SMA(self.data.close, period=20)

            def _read(self, tag):
                row = [tag, len(self), num(self.datetime[0])]
                for ind in (self.sma, self.cross, self.child, self.own, self.late):
                    row += vals(ind)
                row.append(num(self.spread[0]))
                for obs in self.getobservers():
                    row += [type(obs).__name__] + vals(obs)
                self.log.append(tuple(row))

            def prenext(self):
                self._read('prenext')

            def notify_order(self, order):
                self.log.append(order_event(order))

            def notify_trade(self, trade):
                self.log.append(trade_event(trade))

            def next(self):
                self._read('next')
                if not self.position and self.cross[0] > 0:
                    self.buy(size=2)
                elif self.position and self.cross[0] < 0:
                    self.close()

        return Lean
    return make


def _observers(variant):
    def setup(bt, cerebro):
        # (a parameter, not a mode key: run_both maps a memory-saving mode to
        # backtrader's full-memory reference by the mode dict)
        cerebro.p.stdstats = variant != 'no-observers'
        if variant == 'extra-observers':
            class Spread(bt.Observer):
                """An observer with a sub-indicator: run through _next."""
                lines = ('s',)

                def __init__(self):
                    self.avg = bt.indicators.SMA(self.data.close, period=2)

                def next(self):
                    self.lines.s[0] = self.avg[0]

            cerebro.addobserver(Spread)
            cerebro.addobserver(bt.observers.DataTrades)
    return setup


def _daily(bt):
    return [bt.feeds.BacktraderCSVData(dataname=os.path.join(DATA, '2006-day-001.txt'))]


def _run(variant, mode, replay):
    observers = _observers(variant)
    if replay:
        def setup(bt, cerebro):
            data = bt.feeds.BacktraderCSVData(
                dataname=os.path.join(DATA, '2006-min-005.txt'), timeframe=bt.TimeFrame.Minutes,
                compression=5, todate=datetime.datetime(2006, 1, 13))  # two weeks
            cerebro.replaydata(data, timeframe=bt.TimeFrame.Minutes, compression=30)
            observers(bt, cerebro)
        datas = lambda bt: []  # noqa: E731
    else:
        setup, datas = observers, _daily
    # (not run's recorder: its notify_cashvalue would take the lean step away)
    (_, s1), (c2, s2) = run_both(_make(variant), datas, MODES[mode], cerebro_setup=setup,
                                 record=False)
    assert_same_events(s1.log, s2.log)
    assert sum(row[0] == 'order' for row in s2.log) > 4
    return c2, s2


VARIANTS = ('default-observers', 'extra-observers', 'no-observers')


@pytest.mark.parametrize('variant', VARIANTS)
@pytest.mark.parametrize('mode', ['preload-next', 'next', 'exactbars1'])
def test_bar_by_bar_matches_backtrader(variant, mode, general_path):  # noqa: F811
    _, strat = _run(variant, mode, replay=False)
    # the lean step ran (a silent fallback to _next would not test it)
    assert (strat._lean_steps is not None) == (general_path == 'fast')


@pytest.mark.parametrize('variant', VARIANTS)
@pytest.mark.parametrize('mode', ['preload-next', 'runonce'])
def test_replayed_matches_backtrader(variant, mode, general_path):  # noqa: F811
    _, strat = _run(variant, mode, replay=True)
    assert (strat._lean_steps is not None) == (general_path == 'fast')
