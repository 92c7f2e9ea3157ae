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


# -- every kind and combination against backtrader ------------------------------

def _signals(bt):
    """Named signal indicators: a level (close - SMA) and a pulse (crossover)."""

    class Level(bt.Indicator):
        lines = ('signal',)
        params = (('period', 20),)

        def __init__(self):
            self.lines.signal = self.data - bt.ind.SMA(period=self.p.period)

    class Pulse(bt.Indicator):
        lines = ('signal',)
        params = (('fast', 5), ('slow', 15))

        def __init__(self):
            self.lines.signal = bt.ind.CrossOver(bt.ind.SMA(period=self.p.fast),
                                                 bt.ind.SMA(period=self.p.slow))

    class Momentum(bt.Indicator):
        lines = ('signal',)

        def __init__(self):
            self.lines.signal = bt.ind.Momentum(period=7)

    return dict(level=Level, pulse=Pulse, momentum=Momentum)


KINDS = ['SIGNAL_LONGSHORT', 'SIGNAL_LONG', 'SIGNAL_LONG_INV', 'SIGNAL_LONG_ANY',
         'SIGNAL_SHORT', 'SIGNAL_SHORT_INV', 'SIGNAL_SHORT_ANY', 'SIGNAL_LONGEXIT',
         'SIGNAL_LONGEXIT_INV', 'SIGNAL_LONGEXIT_ANY', 'SIGNAL_SHORTEXIT',
         'SIGNAL_SHORTEXIT_INV', 'SIGNAL_SHORTEXIT_ANY', 'SIGNAL_NONE']

# (kind, indicator, kwargs) lists: every kind alone, entries with exits, mixed
COMBOS = [[(k, 'pulse' if k.endswith('_ANY') else 'level', {})] for k in KINDS] + [
    [('SIGNAL_LONGSHORT', 'level', {}), ('SIGNAL_LONGEXIT', 'pulse', {})],
    [('SIGNAL_LONGSHORT', 'level', {}), ('SIGNAL_SHORTEXIT_INV', 'momentum', {})],
    [('SIGNAL_LONG', 'level', {}), ('SIGNAL_SHORT', 'momentum', {})],
    [('SIGNAL_LONG', 'level', {}), ('SIGNAL_LONGEXIT', 'level', dict(period=5)),
     ('SIGNAL_SHORT', 'momentum', {}), ('SIGNAL_SHORTEXIT', 'pulse', {})],
    [('SIGNAL_LONG', 'level', {}), ('SIGNAL_LONG', 'momentum', {})],  # all must agree
    [('SIGNAL_LONG_INV', 'level', {}), ('SIGNAL_SHORT_INV', 'momentum', {}),
     ('SIGNAL_LONGEXIT_ANY', 'pulse', {}), ('SIGNAL_SHORTEXIT_ANY', 'pulse', dict(fast=3))],
    [('SIGNAL_LONG_ANY', 'pulse', {}), ('SIGNAL_SHORT_ANY', 'pulse', dict(slow=30)),
     ('SIGNAL_LONGEXIT_INV', 'momentum', {})],
]


def _combo_id(combo):
    return '+'.join(k.replace('SIGNAL_', '') + ':' + ind for k, ind, _ in combo)


def _run_combo(bt, mode, combo, accumulate=False, concurrent=False, target=None):
    sigs = _signals(bt)
    cerebro = bt.Cerebro(**mode)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')),
                    name='d0')
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-002.txt')),
                    name='d1')
    for kind, ind, kwargs in combo:
        cerebro.add_signal(getattr(bt, kind), sigs[ind], **kwargs)
    cerebro.signal_accumulate(accumulate)
    cerebro.signal_concurrent(concurrent)
    if target is not None:
        cerebro.signal_strategy(bt.SignalStrategy, _data=target)
    cerebro.broker.set_coc(concurrent)  # pending market orders need a second bar to fill
    orders = []
    cerebro.addanalyzer(_recorder(bt, orders))
    cerebro.run()
    return cerebro.broker.getvalue(), orders


@pytest.mark.parametrize('combo', COMBOS, ids=_combo_id)
def test_every_signal_kind_and_combination_matches_backtrader(combo):
    import backtrader_ib
    v1, o1 = _run_combo(reference(), MODES['runonce'], combo)
    v2, o2 = _run_combo(backtrader_ib, MODES['runonce'], combo)
    if combo[0][0] not in ('SIGNAL_NONE', ) and not combo[0][0].startswith(
            ('SIGNAL_LONGEXIT', 'SIGNAL_SHORTEXIT')):
        assert len(o1) > 4  # entries traded
    assert o2 == o1
    assert v2 == v1


@pytest.mark.parametrize('mode', ['runonce', 'next'])
@pytest.mark.parametrize('accumulate', [False, True])
@pytest.mark.parametrize('concurrent', [False, True])
@pytest.mark.parametrize('target', [None, 1, 'd1'])
def test_accumulate_concurrent_and_target_data_match_backtrader(mode, accumulate,
                                                                concurrent, target):
    import backtrader_ib
    combo = COMBOS[len(KINDS) + 3]  # long and short entries and exits
    v1, o1 = _run_combo(reference(), MODES[mode], combo, accumulate, concurrent, target)
    v2, o2 = _run_combo(backtrader_ib, MODES[mode], combo, accumulate, concurrent, target)
    assert len(o1) > 4
    assert o2 == o1
    assert v2 == v1


def _run_with_strategies(bt, setup):
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    cerebro.add_signal(bt.SIGNAL_LONGSHORT, _signals(bt)['level'])
    setup(bt, cerebro)
    orders = []
    cerebro.addanalyzer(_recorder(bt, orders))
    return [type(s).__name__ for s in cerebro.run()], orders, cerebro.broker.getvalue()


def test_signal_strategy_runs_after_the_other_strategies_as_in_backtrader():
    import backtrader_ib

    def setup(bt, cerebro):
        class Mine(bt.SignalStrategy):
            pass

        class Other(bt.Strategy):
            def next(self):
                if len(self) % 20 == 0:
                    self.buy(size=3)

        cerebro.addstrategy(Other)
        cerebro.signal_strategy(Mine)

    ref = _run_with_strategies(reference(), setup)
    assert ref[0] == ['Other', 'Mine']
    assert _run_with_strategies(backtrader_ib, setup) == ref


def test_signal_strategy_added_with_addstrategy_gets_the_signals():
    """backtrader means to use it but crashes (it unpacks a list of one)."""
    import backtrader_ib as bt

    class Mine(bt.SignalStrategy):
        pass

    names, orders, _ = _run_with_strategies(bt, lambda bt_, c: c.addstrategy(Mine))
    assert names == ['Mine']
    expected = _run_with_strategies(bt, lambda bt_, c: c.signal_strategy(Mine))
    assert len(orders) > 10 and orders == expected[1]
    with pytest.raises(ValueError):
        _run_with_strategies(reference(), lambda bt_, c: c.addstrategy(
            type('Mine', (bt_.SignalStrategy,), {})))
