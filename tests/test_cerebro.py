"""Cerebro: optimisation in one process, run parameters, built-in strategy."""
from __future__ import annotations

import pytest

from conftest import shared_file
from difftools import reference


def feed(bt):
    return bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'))


def optimise(bt, **kw):
    results = []
    cerebro = bt.Cerebro(maxcpus=1, **kw)
    cerebro.adddata(feed(bt))
    cerebro.optstrategy(bt.strategies.SMA_CrossOver, fast=[5, 10], slow=range(20, 40, 10))
    cerebro.addanalyzer(bt.analyzers.SQN)
    cerebro.optcallback(lambda strats: results.append(strats))
    runs = cerebro.run()
    return runs, results


@pytest.mark.parametrize('optreturn', [True, False])
def test_optstrategy_matches_backtrader(optreturn):
    import backtrader_ib
    ref, ref_cb = optimise(reference(), optreturn=optreturn)
    new, new_cb = optimise(backtrader_ib, optreturn=optreturn)
    assert len(new) == len(ref) == 4 and len(new_cb) == 4
    for r, n in zip(ref, new):
        assert (r[0].p.fast, r[0].p.slow) == (n[0].p.fast, n[0].p.slow)
        assert dict(r[0].analyzers.sqn.get_analysis()) == dict(n[0].analyzers.sqn.get_analysis())


def test_run_parameter_overrides_and_builtin_strategy():
    import backtrader_ib as bt
    values = []
    for pkg in (reference(), bt):
        cerebro = pkg.Cerebro()
        cerebro.adddata(feed(pkg))
        cerebro.addstrategy(pkg.strategies.SMA_CrossOver, fast=5)
        strats = cerebro.run(runonce=False, stdstats=False)
        assert len(strats) == 1 and not strats[0].observers._items if pkg is bt else True
        values.append(cerebro.broker.getvalue())
    assert values[0] == values[1]


def test_unimplemented_parts_say_so():
    import backtrader_ib as bt
    for name in ('chaindata', 'rolloverdata'):
        with pytest.raises(NotImplementedError, match=name):
            getattr(bt.Cerebro(), name)(feed(bt))
