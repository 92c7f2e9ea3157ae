"""optstrategy with a strategy factory (backtrader's strategy-selection pattern):
a plain class whose ``__new__`` builds one of several strategies, chosen by a
keyword it takes for itself. Same results as backtrader, serially and on a pool.
"""
from __future__ import annotations

import pytest

import backtrader_ib
from conftest import shared_file
from difftools import reference


def make_factory(bt):
    """Two SMA strategies (with and against the trend) behind one factory class."""
    class WithTrend(bt.Strategy):
        params = (('period', 10),)

        def __init__(self):
            self.sma = bt.ind.SMA(period=self.p.period)

        def go_long(self):
            return self.data.close[0] > self.sma[0]

        def next(self):
            if not self.position and self.go_long():
                self.buy()
            elif self.position and not self.go_long():
                self.close()

        def stop(self):
            self.final = self.broker.getvalue()

    class AgainstTrend(WithTrend):
        def go_long(self):
            return self.data.close[0] < self.sma[0]

    class StFetcher(object):
        _STRATS = [WithTrend, AgainstTrend]

        def __new__(cls, *args, **kwargs):
            idx = kwargs.pop('idx')
            return cls._STRATS[idx](*args, **kwargs)

    return StFetcher


def run(bt, **cerebro_kw) -> list:
    cerebro = bt.Cerebro(optreturn=False, **cerebro_kw)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    cerebro.optstrategy(make_factory(bt), idx=[0, 1], period=[5, 10, 20])
    return [(type(r[0]).__name__, r[0].p.period, round(r[0].final, 6))
            for r in cerebro.run()]


@pytest.mark.parametrize('kw', [dict(maxcpus=1), dict(maxcpus=2)])
def test_strategy_factory_same_results_as_backtrader(kw):
    ref = run(reference(), maxcpus=1)
    got = run(backtrader_ib, **kw)
    assert got == ref
    assert {name for name, _, _ in ref} == {'WithTrend', 'AgainstTrend'}
    assert len({v for _, _, v in ref}) > 2  # the runs really differ


def test_factory_param_unknown_to_the_chosen_strategy_is_named():
    cerebro = backtrader_ib.Cerebro(maxcpus=1)
    cerebro.adddata(backtrader_ib.feeds.BacktraderCSVData(
        dataname=shared_file('2006-day-001.txt')))
    cerebro.optstrategy(make_factory(backtrader_ib), idx=[0], perod=[5])
    with pytest.raises(TypeError, match='perod'):
        cerebro.run()


def test_strategy_factory_with_optreturn_and_addstrategy():
    def results(bt, **kw):
        cerebro = bt.Cerebro(**kw)
        cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
        cerebro.optstrategy(make_factory(bt), idx=[0, 1], period=[5, 10])
        cerebro.addanalyzer(bt.analyzers.Returns)
        runs = [(r[0].p.period, round(r[0].analyzers.returns.get_analysis()['rtot'], 10))
                for r in cerebro.run()]
        single = bt.Cerebro()
        single.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
        single.addstrategy(make_factory(bt), idx=1, period=7)
        strat = single.run()[0]
        return runs, type(strat).__name__, round(strat.final, 6)

    ref = results(reference(), maxcpus=1)
    assert results(backtrader_ib, maxcpus=1) == ref
    assert results(backtrader_ib, maxcpus=2) == ref
