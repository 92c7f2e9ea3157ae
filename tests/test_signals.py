"""Signal strategies (cerebro.add_signal) against backtrader."""
from __future__ import annotations

import pytest

from conftest import shared_file
from difftools import MODES, reference


def run(bt, mode, sigtype, accumulate=False):
    class SmaSig(bt.Indicator):
        lines = ('signal',)

        def __init__(self):
            self.lines.signal = self.data - bt.ind.SMA(period=20)

    class ExitSig(bt.Indicator):
        lines = ('signal',)

        def __init__(self):
            self.lines.signal = self.data - bt.ind.SMA(period=5)

    cerebro = bt.Cerebro(**mode)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    cerebro.add_signal(getattr(bt, sigtype), SmaSig)
    cerebro.add_signal(bt.SIGNAL_LONGEXIT, ExitSig)
    cerebro.signal_accumulate(accumulate)
    orders = []
    cerebro.addanalyzer(_recorder(bt, orders))
    cerebro.run()
    return cerebro.broker.getvalue(), orders


def _recorder(bt, out):
    class Rec(bt.Analyzer):
        def notify_order(self, order):
            out.append((order.getstatusname(), order.executed.dt, order.executed.price,
                        order.executed.size))
    return Rec


@pytest.mark.parametrize('mode', ['runonce', 'next'])
@pytest.mark.parametrize('sigtype', ['SIGNAL_LONGSHORT', 'SIGNAL_LONG', 'SIGNAL_SHORT'])
def test_signal_strategy_matches_backtrader(mode, sigtype):
    import backtrader_ib
    v1, o1 = run(reference(), MODES[mode], sigtype)
    v2, o2 = run(backtrader_ib, MODES[mode], sigtype)
    assert len(o1) > 5
    assert o1 == o2
    assert v1 == v2


def test_signal_strategy_with_user_next_runs_both():
    import backtrader_ib as bt
    calls = []

    class Mine(bt.SignalStrategy):
        def next(self):
            calls.append(len(self))

    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    cerebro.signal_strategy(Mine)
    cerebro.add_signal(bt.SIGNAL_LONG, bt.Signal)
    cerebro.run()
    assert calls and calls[-1] == 255
