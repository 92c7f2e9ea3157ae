"""Every observer's lines against backtrader 1.9.78.123, bar by bar, on real data."""
from __future__ import annotations

import math

import pytest

from analyzer_difftools import (assert_same_analysis, crossover_strategy, package_datas,
                                yahoo_datas)
from difftools import MODES, num, run_both

ALL_OBSERVERS = ('Broker', 'Cash', 'Value', 'BuySell', 'Trades', 'DataTrades', 'DrawDown',
                 'DrawDown_Old', 'DrawDownLength', 'TimeReturn', 'Benchmark', 'LogReturns',
                 'LogReturns2', 'FundValue', 'FundShares')


def _recording_observer(bt, log):
    class Recorder(bt.Observer):
        """Added last: logs every other observer's lines as they are on each bar."""
        _stclock = True
        lines = ('bar',)

        def next(self):
            row = [len(self)]
            for o in self._owner._lineiterators[bt.LineIterator.ObsType]:
                if o is not self:  # (multi observers are not in .observers)
                    row += [_value(line) for line in o.lines]
            log.append(row)
    return Recorder


def _value(line):
    # An observer on a data that starts later has no bar before that data's
    # first one (backtrader: none in next mode, NaN bars in runonce mode).
    try:
        return num(line[0]) if len(line) else 'nan'
    except IndexError:
        return 'nan'


def _setup(log, fund=False, late=False):
    # late: data1 starts later, so leave out the observers of data1's
    # returns (backtrader reads data1 before its first bar: see
    # test_returns_of_a_data_starting_later)
    def setup(bt, cerebro):
        if fund:
            cerebro.broker.set_fundmode(True)
        tf = bt.TimeFrame
        for name in ALL_OBSERVERS:
            if name in ('BuySell', 'Benchmark') or (late and name == 'LogReturns2'):
                continue
            cerebro.addobserver(getattr(bt.observers, name))
        cerebro.addobservermulti(bt.observers.BuySell, barplot=True)
        if not late:
            cerebro.addobserver(bt.observers.Benchmark, data=cerebro.datas[1],
                                timeframe=tf.Weeks)
        cerebro.addobserver(bt.observers.Benchmark, _doprenext=True, firstopen=True)
        cerebro.addobserver(bt.observers.TimeReturn, timeframe=tf.Months)
        cerebro.addobserver(bt.observers.LogReturns, timeframe=tf.Days, compression=3)
        cerebro.addobserver(_recording_observer(bt, log))
    return setup


@pytest.mark.parametrize('mode', ['runonce', 'preload-next', 'next', 'exactbars1',
                                  'exactbars-2'])
def test_every_observer_matches_backtrader(mode):
    log_ref, log_new = [], []
    run_both(crossover_strategy, yahoo_datas(), MODES[mode],
                             cerebro_setup=_switching_setup(log_ref, log_new), record=False)
    assert len(log_ref) > 1000 and len(log_ref[0]) > 30
    assert_same_analysis(log_ref, log_new, 'observer lines')
    # every line (buys, sells, wins, losses per data...) was set on some bar
    for col in range(1, len(log_ref[0])):
        assert any(row[col] != 'nan' for row in log_ref), f'column {col} never set'


def _switching_setup(log_ref, log_new, **kw):
    # run_both runs backtrader first, then backtrader_ib
    logs = iter([log_ref, log_new])

    def setup(bt, cerebro):
        _setup(next(logs), **kw)(bt, cerebro)
    return setup


def test_fund_observers_match_backtrader():
    log_ref, log_new = [], []
    logs = iter([log_ref, log_new])

    def setup(bt, cerebro):
        _setup(next(logs), fund=True)(bt, cerebro)

    def make(bt):
        class WithFlows(crossover_strategy(bt)):
            def next(self):
                super().next()
                if len(self) % 150 == 0:
                    self.broker.add_cash(4000.0)
        return WithFlows

    run_both(make, yahoo_datas(), MODES['runonce'], cerebro_setup=setup, record=False)
    assert_same_analysis(log_ref, log_new, 'observer lines')


@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_observers_with_a_data_starting_later_match_backtrader(mode):
    log_ref, log_new = [], []
    run_both(crossover_strategy, package_datas(), MODES[mode],
             cerebro_setup=_switching_setup(log_ref, log_new, late=True), record=False)
    assert len(log_ref) > 800
    assert_same_analysis(log_ref, log_new, 'observer lines')


def test_returns_of_a_data_starting_later():
    """Before its data's first bar, a Benchmark/LogReturns line is NaN; from
    it on, the returns start at that bar (backtrader reads the data before
    its first bar: in preload mode, the last bar of its whole series)."""
    import backtrader_ib as bt
    cerebro = bt.Cerebro()
    for d in package_datas()(bt):
        cerebro.adddata(d)
    cerebro.addstrategy(crossover_strategy(bt))
    cerebro.addobserver(bt.observers.Benchmark, data=cerebro.datas[1], _doprenext=True)
    cerebro.addobserver(bt.observers.LogReturns2)
    strat = cerebro.run()[0]
    bench, logrets = strat.observers.benchmark, strat.observers.logreturns2
    data1 = strat.datas[1]
    n, late = len(strat), len(strat) - len(data1)
    assert late > 100

    def line(obj, i):
        return obj[-(n - 1 - i)]

    for i in range(late):
        assert math.isnan(line(bench.lines.benchmark, i))
        assert math.isnan(line(logrets.lines.logret2, i))
    first_open = data1.open[-(len(data1) - 1)]
    first_close = data1.close[-(len(data1) - 1)]
    # the first benchmark period (a day) starts from the close (firstopen=False)
    assert line(bench.lines.benchmark, late) == 0.0
    assert line(logrets.lines.logret2, late) == pytest.approx(
        math.log(first_close / first_open), rel=1e-12)
    second_close = data1.close[-(len(data1) - 2)]
    assert line(bench.lines.benchmark, late + 1) == pytest.approx(
        second_close / first_close - 1.0, rel=1e-12)
