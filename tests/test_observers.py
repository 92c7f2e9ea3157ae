"""Observers: multi observers, plotting every observer, bad input."""
from __future__ import annotations

import pytest

from analyzer_difftools import crossover_strategy, yahoo_datas
from conftest import shared_file
from difftools import MODES, num, run, run_both

ALL = ('Broker', 'Cash', 'Value', 'BuySell', 'Trades', 'DataTrades', 'DrawDown',
       'DrawDown_Old', 'DrawDownLength', 'TimeReturn', 'Benchmark', 'LogReturns',
       'LogReturns2', 'FundValue', 'FundShares')


def _user_multi_observer(bt):
    class Exposure(bt.Observer):
        """Position size and value of its data."""
        lines = ('size', 'value')

        def next(self):
            pos = self._owner.getposition(self.data)
            self.lines.size[0] = pos.size
            self.lines.value[0] = pos.size * self.data.close[0]
    return Exposure


@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_user_observer_added_per_data_matches_backtrader(mode):
    def setup(bt, cerebro):
        cerebro.addobservermulti(_user_multi_observer(bt), obsname='exposure')

    (_, s_ref), (_, s_new) = run_both(crossover_strategy, yahoo_datas(end=(2001, 12, 31)),
                                      MODES[mode], cerebro_setup=setup, record=False)
    groups = s_ref.observers.exposure, s_new.observers.exposure
    assert [len(g) for g in groups] == [2, 2]
    for o_ref, o_new in zip(*groups):
        assert o_ref.data._name == o_new.data._name
        assert len(o_ref) == len(o_new) > 400
        for line in ('size', 'value'):
            ref = _values(getattr(o_ref.lines, line), len(o_ref))
            new = _values(getattr(o_new.lines, line), len(o_new))
            assert new == ref and any(x not in (0.0, 'nan') for x in ref)


def _values(line, n):
    return [num(line[-i]) for i in range(n - 1, -1, -1)]


def test_every_observer_plots(tmp_path):
    pytest.importorskip('matplotlib')
    import matplotlib
    matplotlib.use('Agg')
    import backtrader_ib as bt

    def setup(bt_, cerebro):
        for name in ALL:
            if name not in ('Broker', 'BuySell', 'DataTrades'):  # stdstats has them
                cerebro.addobserver(getattr(bt_.observers, name))

    cerebro, strat = run(bt, crossover_strategy, yahoo_datas(end=(2000, 12, 31)),
                         MODES['runonce'], cerebro_setup=setup, record=False)
    figs = cerebro.plot(iplot=False)
    fig = figs[0][0]
    fig.savefig(tmp_path / 'observers.png', dpi=30)
    labels = '\n'.join(t.get_text() for ax in fig.axes for t in ax.texts + [
        *[leg_t for leg in [ax.get_legend()] if leg for leg_t in leg.get_texts()]])
    for name in ('DrawDown', 'TimeReturn', 'Benchmark', 'LogReturns2', 'FundValue'):
        assert name in labels, name
    assert (tmp_path / 'observers.png').stat().st_size > 10000


def _cerebro(bt, *observers):
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=shared_file('orcl-2014.txt')))
    cerebro.addstrategy(bt.Strategy)
    for obs, kwargs in observers:
        cerebro.addobserver(obs, **kwargs)
    return cerebro


def test_logreturns2_with_one_data_says_it_needs_two():
    import backtrader_ib as bt
    with pytest.raises(ValueError, match='LogReturns2 needs two datas'):
        _cerebro(bt, (bt.observers.LogReturns2, {})).run()


@pytest.mark.parametrize('name', ['TimeReturn', 'Benchmark', 'LogReturns'])
def test_observer_with_unknown_timeframe_is_a_clear_error(name):
    import backtrader_ib as bt
    with pytest.raises(ValueError, match="timeframe='weekly' is not a time frame"):
        _cerebro(bt, (getattr(bt.observers, name), dict(timeframe='weekly'))).run()
