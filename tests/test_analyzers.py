"""Analyzer API against backtrader (print, pprint, names, user hooks, child
analyzers), the pyfolio export, bad input, and runs where backtrader crashes."""
from __future__ import annotations

import contextlib
import datetime
import io
import math

import pytest

from analyzer_difftools import (ALL_ANALYZERS, assert_same_analysis, crossover_strategy,
                                yahoo_datas)
from conftest import shared_file
from difftools import MODES, num, reference, run, run_both


def _printed(analyzer, method: str) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        getattr(analyzer, method)()
    return buf.getvalue()


def test_print_and_pprint_match_backtrader_byte_for_byte():
    def setup(bt, cerebro):
        for name in ALL_ANALYZERS:
            cerebro.addanalyzer(getattr(bt.analyzers, name))

    datas = yahoo_datas(start=(2004, 1, 1), end=(2005, 12, 31))
    (_, s_ref), (_, s_new) = run_both(crossover_strategy, datas, MODES['runonce'],
                                      cerebro_setup=setup, record=False)
    for a_ref, a_new in zip(s_ref.analyzers, s_new.analyzers):
        for method in ('print', 'pprint'):
            out = _printed(a_ref, method)
            assert len(out) > 40
            assert _printed(a_new, method) == out, (type(a_ref).__name__, method)


def _hook_logger(bt, log: list):
    """A user analyzer overriding every hook, with a child analyzer."""

    class Child(bt.Analyzer):
        def notify_trade(self, trade):
            log.append(('child-trade', len(self), num(trade.pnlcomm)))

        def next(self):
            log.append(('child-next', len(self)))

        def stop(self):
            self.rets['seen'] = len(self)

    class Hooks(bt.Analyzer):
        def __init__(self):
            self.child = Child()

        def start(self):
            log.append(('start', self.strategy.broker.getvalue()))

        def prenext(self):
            log.append(('prenext', len(self)))

        def nextstart(self):
            log.append(('nextstart', len(self)))

        def next(self):
            log.append(('next', len(self), num(self.data.close[0])))

        def notify_order(self, order):
            log.append(('order', order.getstatusname(), num(order.executed.price)))

        def notify_trade(self, trade):
            log.append(('trade', trade.status, num(trade.pnlcomm)))

        def notify_cashvalue(self, cash, value):
            log.append(('cashvalue', num(cash), num(value)))

        def notify_fund(self, cash, value, fundvalue, shares):
            log.append(('fund', num(fundvalue), num(shares)))

        def stop(self):
            self.rets['child'] = self.child.get_analysis()
            log.append(('stop', len(self)))

    class Monthly(bt.TimeFrameAnalyzerBase):
        """backtrader lets a subclass name the period hook ``_on_dt_over``."""

        def _on_dt_over(self):
            log.append(('month', str(self.dtkey), str(self.dtkey1)))

    return Hooks, Monthly


@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_user_analyzer_hooks_and_children_match_backtrader(mode):
    logs = iter([[], []])
    used = []

    def setup(bt, cerebro):
        log = next(logs)
        used.append(log)
        hooks, monthly = _hook_logger(bt, log)
        cerebro.addanalyzer(hooks, _name='hooks')
        cerebro.addanalyzer(monthly, timeframe=bt.TimeFrame.Months)

    (_, s_ref), (_, s_new) = run_both(crossover_strategy, yahoo_datas(end=(2001, 12, 31)),
                                      MODES[mode], cerebro_setup=setup, record=False)
    log_ref, log_new = used
    kinds = {e[0] for e in log_ref}
    assert {'prenext', 'nextstart', 'next', 'order', 'trade', 'cashvalue', 'fund',
            'child-trade', 'child-next', 'month', 'stop'} <= kinds
    assert log_new == log_ref
    assert s_new.analyzers.hooks.get_analysis() == s_ref.analyzers.hooks.get_analysis()
    assert s_new.analyzers.getbyname('hooks') is s_new.analyzers.hooks


def test_analyzer_names_match_backtrader():
    def setup(bt, cerebro):
        cerebro.addanalyzer(bt.analyzers.SQN)
        cerebro.addanalyzer(bt.analyzers.DrawDown, _name='dd')
        cerebro.addanalyzer(bt.analyzers.SharpeRatio_A)

    (_, s_ref), (_, s_new) = run_both(crossover_strategy, yahoo_datas(end=(2000, 6, 30)),
                                      MODES['runonce'], cerebro_setup=setup, record=False)
    assert s_new.analyzers.getnames() == s_ref.analyzers.getnames()
    assert s_new.analyzers.dd.get_analysis() == s_ref.analyzers.dd.get_analysis()


def test_pyfolio_export_round_trips_into_pandas():
    import backtrader_ib as bt
    pd = pytest.importorskip('pandas')

    def setup(bt_, cerebro):
        cerebro.addanalyzer(bt_.analyzers.PyFolio, _name='pyfolio')

    cerebro, strat = run(bt, crossover_strategy, yahoo_datas(start=(2003, 1, 1)),
                         MODES['runonce'], cerebro_setup=setup, record=False)
    returns, positions, transactions, gross_lev = strat.analyzers.pyfolio.get_pf_items()
    names = [d._name for d in cerebro.datas]

    for obj in (returns, positions, transactions, gross_lev):
        assert isinstance(obj.index, pd.DatetimeIndex)
        assert str(obj.index.tz) == 'UTC'
    assert isinstance(returns, pd.Series) and returns.name == 'return'
    assert isinstance(gross_lev, pd.Series) and gross_lev.name == 'gross_lev'
    assert list(positions.columns) == names + ['cash'] and positions.index.name == 'Datetime'
    assert list(transactions.columns) == ['amount', 'price', 'sid', 'symbol', 'value']
    assert transactions.index.name == 'date'
    assert len(returns) == len(positions) == len(gross_lev) == len(strat)

    # the daily returns compound to the run's return
    value = strat.observers.broker.lines.value
    total = (1.0 + returns).prod() - 1.0
    assert total == pytest.approx(cerebro.broker.getvalue() / 10000.0 - 1.0, rel=1e-9)
    # every row of positions adds up to the portfolio value of that bar
    assert positions.sum(axis=1).to_numpy() == pytest.approx(
        [value[-i] for i in range(len(strat) - 1, -1, -1)], rel=1e-12)
    # transactions: one row per data and bar with fills, value = -amount * price
    assert len(transactions) > 40
    assert set(transactions['symbol']) == set(names)
    assert (transactions['value'] == -transactions['amount'] * transactions['price']).all()
    assert set(transactions['sid']) == {0, 1}
    # leverage is the invested share of the value
    lev = (positions[names].sum(axis=1) / positions.sum(axis=1))
    assert gross_lev.to_numpy() == pytest.approx(lev.to_numpy(), abs=1e-12)


def test_pyfolio_export_of_a_run_without_trades():
    import backtrader_ib as bt

    def setup(bt_, cerebro):
        cerebro.addanalyzer(bt_.analyzers.PyFolio)

    _, strat = run(bt, lambda b: b.Strategy, yahoo_datas(end=(2000, 3, 31)),
                   MODES['runonce'], cerebro_setup=setup, record=False)
    returns, positions, transactions, gross_lev = strat.analyzers[0].get_pf_items()
    assert (returns == 0.0).all() and (gross_lev == 0.0).all()
    assert transactions.empty and list(transactions.columns)[0] == 'amount'


@pytest.mark.parametrize('timeframe', [99, 'days', True, -1])
@pytest.mark.parametrize('name', ['TimeReturn', 'Returns', 'SharpeRatio', 'Calmar',
                                  'PeriodStats', 'VWR'])
def test_unknown_timeframe_is_a_clear_error(name, timeframe):
    import backtrader_ib as bt
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=shared_file('orcl-2014.txt')))
    cerebro.addstrategy(bt.Strategy)
    cerebro.addanalyzer(getattr(bt.analyzers, name), timeframe=timeframe)
    with pytest.raises(ValueError, match=rf'timeframe={timeframe!r} is not a time frame'):
        cerebro.run()


def _orcl(bt, start, end):
    return bt.feeds.YahooFinanceCSVData(dataname=shared_file('orcl-1995-2014.txt'),
                                        fromdate=datetime.datetime(*start),
                                        todate=datetime.datetime(*end))


@pytest.mark.parametrize('bars', [0, 1])
def test_runs_too_short_for_a_statistic_give_nan_not_a_crash(bars):
    """backtrader divides by zero in these analyzers' stop() (whole run lost)."""
    import backtrader_ib as bt
    cerebro = bt.Cerebro()
    cerebro.adddata(_orcl(bt, (2005, 1, 3), (2005, 1, 3 + bars)))
    cerebro.addstrategy(bt.Strategy)
    for name in ALL_ANALYZERS:
        cerebro.addanalyzer(getattr(bt.analyzers, name))
    strat = cerebro.run()[0]
    assert len(strat) == bars
    a = strat.analyzers
    assert math.isnan(a.vwr.get_analysis()['vwr'])
    if bars == 0:
        assert a.annualreturn.get_analysis() == {}
        assert math.isnan(a.returns.get_analysis()['ravg'])
        assert math.isnan(a.periodstats.get_analysis()['average'])
        assert a.periodstats.get_analysis()['positive'] == 0
    else:
        assert a.returns.get_analysis()['ravg'] == 0.0
        assert a.annualreturn.get_analysis() == {2005: 0.0}


@pytest.mark.parametrize('mode, ref_crashes', [(dict(stdstats=False), True),
                                               (MODES['exactbars1'], True),
                                               (MODES['exactbars-2'], False)])
def test_annualreturn_without_broker_observer_or_full_memory(mode, ref_crashes):
    """backtrader's AnnualReturn rereads the Broker observer: it crashes
    without stdstats and with exactbars; here it follows the value itself."""
    import backtrader_ib
    ref = reference()

    def annual(bt, **kw):
        cerebro = bt.Cerebro(**kw)
        cerebro.adddata(_orcl(bt, (1998, 1, 1), (2004, 12, 31)))
        cerebro.addstrategy(crossover_strategy(bt))
        cerebro.addanalyzer(bt.analyzers.AnnualReturn)
        return cerebro.run()[0].analyzers[0].get_analysis()

    expected = annual(ref)
    assert len(expected) == 7
    assert_same_analysis(expected, annual(backtrader_ib, **mode))
    if ref_crashes:
        with pytest.raises((AttributeError, IndexError)):
            annual(ref, **mode)


def test_sharpe_legacyannual_with_one_year_is_none():
    """backtrader divides by a zero deviation of a single annual return."""
    import backtrader_ib as bt
    cerebro = bt.Cerebro()
    cerebro.adddata(_orcl(bt, (2004, 1, 1), (2004, 12, 31)))
    cerebro.addstrategy(crossover_strategy(bt))
    cerebro.addanalyzer(bt.analyzers.SharpeRatio, legacyannual=True)
    assert cerebro.run()[0].analyzers[0].get_analysis() == {'sharperatio': None}


def test_repeated_analyzer_names_match_backtrader():
    def setup(bt, cerebro):
        for kw in ({}, {}, dict(_name='x'), dict(_name='x')):
            cerebro.addanalyzer(bt.analyzers.SQN, **kw)

    (_, s_ref), (_, s_new) = run_both(crossover_strategy, yahoo_datas(end=(2000, 6, 30)),
                                      MODES['runonce'], cerebro_setup=setup, record=False)
    assert s_ref.analyzers.getnames() == ['sqn', 'sqn1', 'x', 'x1']
    assert s_new.analyzers.getnames() == s_ref.analyzers.getnames()


def test_analyses_pickle_for_optimisation_results():
    """Optimisation ships analyses between processes: they must round-trip."""
    import pickle

    import backtrader_ib as bt

    def setup(bt_, cerebro):
        for name in ALL_ANALYZERS:
            cerebro.addanalyzer(getattr(bt_.analyzers, name))

    _, strat = run(bt, crossover_strategy, yahoo_datas(end=(2001, 12, 31)),
                   MODES['runonce'], cerebro_setup=setup, record=False)
    for name, analyzer in zip(strat.analyzers.getnames(), strat.analyzers):
        analysis = analyzer.get_analysis()
        back = pickle.loads(pickle.dumps(analysis))
        assert type(back) is type(analysis)
        assert_same_analysis(analysis, back, name)
    trades = pickle.loads(pickle.dumps(strat.analyzers.tradeanalyzer.get_analysis()))
    assert trades.total.closed > 10
    with pytest.raises(KeyError):  # still closed: no key grows on access
        trades.nosuchkey
