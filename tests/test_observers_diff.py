"""Every observer's lines against backtrader 1.9.78.123, bar by bar, on real data."""
from __future__ import annotations

import pytest

from analyzer_difftools import assert_same_analysis, crossover_strategy, yahoo_datas
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
                    row += [num(line[0]) for line in o.lines]
            log.append(row)
    return Recorder


def _setup(log, fund=False):
    def setup(bt, cerebro):
        if fund:
            cerebro.broker.set_fundmode(True)
        tf = bt.TimeFrame
        for name in ALL_OBSERVERS:
            if name in ('BuySell', 'Benchmark'):
                continue
            cerebro.addobserver(getattr(bt.observers, name))
        cerebro.addobservermulti(bt.observers.BuySell, barplot=True)
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


def _switching_setup(log_ref, log_new):
    # run_both runs backtrader first, then backtrader_ib
    logs = iter([log_ref, log_new])

    def setup(bt, cerebro):
        _setup(next(logs))(bt, cerebro)
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
