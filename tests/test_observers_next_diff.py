"""Observers and analyzers read from inside the strategy, against backtrader
1.9.78.123: during next (and prenext, notify_*) an observer is one bar behind
the strategy (its len is one less, [0] is the previous bar's value); analyzers
have seen the bars before. Every observer, every mode, with and without the
general path (BTIB_GENERAL_PATH=1)."""
from __future__ import annotations

import pytest

from analyzer_difftools import (assert_same_analysis, crossover_strategy, package_datas,
                                yahoo_datas)
from difftools import MODES, num, run_both
from engine_difftools import general_path, vals  # noqa: F401  (fixture)

# every test here runs with the fast paths and with BTIB_GENERAL_PATH=1
pytestmark = pytest.mark.usefixtures('general_path')

OBSERVERS = ('Broker', 'Cash', 'Value', 'Trades', 'DataTrades', 'DrawDown', 'DrawDown_Old',
             'DrawDownLength', 'TimeReturn', 'Benchmark', 'LogReturns', 'LogReturns2',
             'FundValue', 'FundShares')
ANALYZERS = ('TimeReturn', 'DrawDown', 'TradeAnalyzer', 'SQN', 'Transactions', 'Returns',
             'PositionsValue')


def _reading_strategy(logs):
    """make(bt) for run_both; each package logs into ``logs[package name]``."""
    def make(bt):
        log = logs.setdefault(bt.__name__, [])

        class Reader(crossover_strategy(bt)):
            """The crossover strategy, reading observers and analyzers as it runs."""

            def _read(self, tag):
                row = [tag, len(self)]
                for obs in self.getobservers():
                    row += [type(obs).__name__] + vals(obs)
                broker = self.stats.getbyname('broker')
                row += ['getbyname', len(broker), num(broker.value[0]) if len(broker) else None]
                log.append(row)
                if len(self) % 50 == 0:
                    log.append([tag, 'analyzers', {name: a.get_analysis() for name, a in
                                                   self.analyzers.getitems()}])

            def prenext(self):
                self._read('prenext')

            def next(self):
                self._read('next')
                super().next()

            def notify_order(self, order):
                if order.status == order.Completed:
                    self._read('notify_order')

            def stop(self):
                self._read('stop')

        return Reader
    return make


def _setup(bt, cerebro):
    for name in OBSERVERS:
        cerebro.addobserver(getattr(bt.observers, name))
    cerebro.addobservermulti(bt.observers.BuySell)
    for name in ANALYZERS:
        cerebro.addanalyzer(getattr(bt.analyzers, name))


def _same_logs(logs) -> None:
    ref, new = logs['backtrader'], logs['backtrader_ib']
    for i, (a, b) in enumerate(zip(ref, new)):
        assert_same_analysis(a, b, f'row {i} ({a[:2]})')
    assert len(ref) == len(new)


@pytest.mark.parametrize('mode', ['runonce', 'preload-next', 'next', 'exactbars1',
                                  'exactbars-1', 'exactbars-2'])
def test_observers_read_in_next_match_backtrader(mode):
    logs: dict = {}
    run_both(_reading_strategy(logs), yahoo_datas(end=(2001, 12, 31)), MODES[mode],
             cerebro_setup=_setup, record=False)
    assert len(logs['backtrader']) > 400
    _same_logs(logs)


@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_observers_read_with_a_data_starting_later(mode):
    logs: dict = {}
    run_both(_reading_strategy(logs), package_datas(), MODES[mode], cerebro_setup=_late_setup,
             record=False)
    _same_logs(logs)


def _late_setup(bt, cerebro):
    # the observers of data1's returns read data1 before its first bar in
    # backtrader (see test_observers_diff.test_returns_of_a_data_starting_later)
    for name in OBSERVERS:
        if name not in ('Benchmark', 'LogReturns2'):
            cerebro.addobserver(getattr(bt.observers, name))
    cerebro.addobservermulti(bt.observers.BuySell)


def test_observer_is_one_bar_behind_in_next():
    import backtrader_ib as bt
    seen = []

    class S(crossover_strategy(bt)):
        def next(self):
            value = self.stats.broker.value
            seen.append((len(self), len(value), value[0], self.broker.getvalue()))
            super().next()

    cerebro = bt.Cerebro()
    for d in yahoo_datas(end=(2000, 12, 31))(bt):
        cerebro.adddata(d)
    cerebro.addstrategy(S)
    cerebro.run()
    for (n0, nv0, v0, bv0), (n1, nv1, v1, bv1) in zip(seen, seen[1:]):
        assert nv1 == n1 - 1
        assert v1 == bv0  # the value the broker had when the previous next ran


@pytest.mark.parametrize('mode', ['runonce', 'preload-next', 'next'])
@pytest.mark.parametrize('replay', [False, True])
def test_subclassed_observers_run_their_own_next(mode, replay):
    """A user's subclass of an observer that overrides ``next`` runs on every
    bar. Fast paths keyed on the base class skipped it: Trades and BuySell
    (acting only on news) on bars without news, and Broker, whose ``next``
    was replaced by a direct read of the broker; their lines stayed NaN."""
    from conftest import shared_file

    def setup(bt, cerebro):
        data = bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'))
        if replay:
            cerebro.replaydata(data, timeframe=bt.TimeFrame.Weeks)
        else:
            cerebro.adddata(data)
        for name in ('Trades', 'BuySell', 'Broker', 'Cash', 'Value', 'DrawDown'):
            base = getattr(bt.observers, name)

            def next(self, base=base):
                base.next(self)
                self.lines.count[0] = len(self)
            cerebro.addobserver(type(f'Counting{name}', (base,),
                                    {'lines': ('count',), 'next': next}))

    def make(bt):
        class Trader(bt.Strategy):
            def next(self):
                if len(self) % 10 == 1:
                    self.buy()
                elif len(self) % 10 == 5:
                    self.close()

            def stop(self):
                self.counts = [[num(v) for v in o.lines.count.get(size=len(o))]
                               for o in self.getobservers()]
        return Trader

    (_, ref), (_, ours) = run_both(make, lambda bt: [], dict(MODES[mode], stdstats=False),
                                   cerebro_setup=setup)
    assert ref.counts == ours.counts
    assert len(ours.counts) == 6
    assert all(len(c) > 40 and 'nan' not in c for c in ours.counts)  # every bar counted
