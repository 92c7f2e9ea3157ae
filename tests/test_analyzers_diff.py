"""Every analyzer against backtrader 1.9.78.123 on real data, long and short trades."""
from __future__ import annotations

import pytest

from analyzer_difftools import (ALL_ANALYZERS, assert_same_analysis, crossover_strategy,
                                yahoo_datas)
from difftools import MODES, run_both


def _setup(bt, cerebro):
    for name in ALL_ANALYZERS:
        cerebro.addanalyzer(getattr(bt.analyzers, name))
    tf = bt.TimeFrame
    # the time-frame analyzers on other periods than the data's
    cerebro.addanalyzer(bt.analyzers.TimeReturn, timeframe=tf.Weeks, _name='tr_weeks')
    cerebro.addanalyzer(bt.analyzers.TimeReturn, timeframe=tf.Months, _name='tr_months')
    cerebro.addanalyzer(bt.analyzers.TimeReturn, timeframe=tf.Years, data=cerebro.datas[1],
                        _name='tr_data1')
    cerebro.addanalyzer(bt.analyzers.TimeReturn, timeframe=tf.NoTimeFrame, _name='tr_all')
    cerebro.addanalyzer(bt.analyzers.SharpeRatio, timeframe=tf.Months, _name='sharpe_m')
    cerebro.addanalyzer(bt.analyzers.SharpeRatio, timeframe=tf.Days, annualize=True,
                        stddev_sample=True, riskfreerate=0.02, _name='sharpe_d')
    cerebro.addanalyzer(bt.analyzers.SharpeRatio, timeframe=tf.Weeks, convertrate=False,
                        _name='sharpe_w')
    cerebro.addanalyzer(bt.analyzers.SharpeRatio, legacyannual=True, _name='sharpe_legacy')
    cerebro.addanalyzer(bt.analyzers.Returns, timeframe=tf.Years, _name='returns_y')
    cerebro.addanalyzer(bt.analyzers.VWR, timeframe=tf.Weeks, _name='vwr_w')
    cerebro.addanalyzer(bt.analyzers.Calmar, period=6, _name='calmar6')
    cerebro.addanalyzer(bt.analyzers.LogReturnsRolling, timeframe=tf.Days, compression=5,
                        _name='logrr5')
    cerebro.addanalyzer(bt.analyzers.PeriodStats, timeframe=tf.Months, zeroispos=True,
                        _name='pstats_m')
    cerebro.addanalyzer(bt.analyzers.TimeDrawDown, timeframe=tf.Weeks, _name='tdd_w')
    cerebro.addanalyzer(bt.analyzers.PositionsValue, headers=True, cash=True, _name='pv_h')
    cerebro.addanalyzer(bt.analyzers.Transactions, headers=True, _name='tx_h')


def _analyses(strat):
    return {name: an.get_analysis() for name, an in zip(strat.analyzers._names,
                                                        strat.analyzers._items)}


@pytest.mark.parametrize('mode', ['runonce', 'next', 'exactbars1'])
def test_every_analyzer_matches_backtrader(mode):
    datas = yahoo_datas()
    (_, s_ref), (_, s_new) = run_both(crossover_strategy, datas, MODES[mode],
                                      cerebro_setup=_setup, record=False)
    ref, new = _analyses(s_ref), _analyses(s_new)
    assert list(ref) == list(new)
    trades = ref['tradeanalyzer']
    assert trades['long']['total'] > 5 and trades['short']['total'] > 5
    for name in ref:
        assert_same_analysis(ref[name], new[name], name)


def test_fund_mode_analyzers_match_backtrader():
    def setup(bt, cerebro):
        cerebro.broker.set_fundmode(True, 100.0)
        for name in ('DrawDown', 'TimeReturn', 'Returns', 'GrossLeverage', 'VWR',
                     'AnnualReturn', 'SharpeRatio', 'TimeDrawDown', 'LogReturnsRolling'):
            cerebro.addanalyzer(getattr(bt.analyzers, name))
        cerebro.addanalyzer(bt.analyzers.DrawDown, fund=False, _name='dd_nav')

    class Flows:
        pass

    def make(bt):
        base = crossover_strategy(bt)

        class WithFlows(base):
            def next(self):
                super().next()
                if len(self) % 100 == 0:  # cash in and out moves value, not fund value
                    self.broker.add_cash(5000.0 if len(self) % 200 else -3000.0)
        return WithFlows

    (_, s_ref), (_, s_new) = run_both(make, yahoo_datas(names=('orcl-1995-2014.txt',)),
                                      MODES['runonce'], cerebro_setup=setup, record=False)
    ref, new = _analyses(s_ref), _analyses(s_new)
    for name in ref:
        assert_same_analysis(ref[name], new[name], name)
    assert ref['drawdown']['max']['drawdown'] != ref['dd_nav']['max']['drawdown']
