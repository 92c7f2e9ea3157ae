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


def test_optstrategy_with_two_datas_runs_every_combination():
    """Preloaded once for all runs (optdatas): each run starts at the first bar."""
    import datetime
    import backtrader_ib
    from backtrader_ib import datas
    values = []
    for pkg in (reference(), backtrader_ib):
        class S(pkg.Strategy):
            params = (('fast', 5), ('slow', 30))

            def __init__(self):
                self.cross = pkg.ind.CrossOver(pkg.ind.SMA(period=self.p.fast),
                                               pkg.ind.SMA(period=self.p.slow))

            def next(self):
                if not self.position and self.cross > 0:
                    self.buy(size=10)
                elif self.position and self.cross < 0:
                    self.close()

            def stop(self):
                self.final = (len(self), self.broker.getvalue())
        cerebro = pkg.Cerebro(maxcpus=1, optreturn=False)
        for n in ('orcl-1995-2014.csv', 'nvda-1999-2014.csv'):
            cerebro.adddata(pkg.feeds.YahooFinanceCSVData(
                dataname=datas.path(n), fromdate=datetime.datetime(2005, 1, 1),
                todate=datetime.datetime(2007, 12, 31)))
        cerebro.optstrategy(S, fast=[5, 10], slow=[20, 30])
        values.append([run[0].final for run in cerebro.run()])
    assert values[0] == values[1]
    assert len({v for _, v in values[1]}) > 1 and all(n > 700 for n, _ in values[1])
