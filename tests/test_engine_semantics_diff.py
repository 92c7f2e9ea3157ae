"""Engine semantics real programs see, against backtrader 1.9.78.123: names
of resampled/replayed copies, DataTrades with datas of equal closes,
indicators created in Strategy.start(); in every mode, with and without the
general path (BTIB_GENERAL_PATH=1)."""
from __future__ import annotations

import importlib

import pytest

from conftest import shared_file
from difftools import MODES, assert_same_events, run_both
from engine_difftools import general_path, vals  # noqa: F401  (fixture)

# every test here runs with the fast paths and with BTIB_GENERAL_PATH=1
pytestmark = pytest.mark.usefixtures('general_path')


def _feed(bt, fname='2006-day-001.txt', **kw):
    return bt.feeds.BacktraderCSVData(dataname=shared_file(fname), **kw)


# -- names of resampled / replayed copies ------------------------------------
def _names(pkg: str, how: str, copyname):
    bt = importlib.import_module(pkg)
    cerebro = bt.Cerebro()
    src = _feed(bt)
    cerebro.adddata(src, name='src')
    kwargs = {} if copyname is None else {'name': copyname}
    add = cerebro.resampledata if how == 'resample' else cerebro.replaydata
    copy = add(src, timeframe=bt.TimeFrame.Weeks, **kwargs)
    return dict(names=[d._name for d in cerebro.datas], byname=list(cerebro.datasbyname),
                src_found=cerebro.datasbyname['src'] is src, copy_is_new=copy is not src)


@pytest.mark.parametrize('how', ['resample', 'replay'])
@pytest.mark.parametrize('copyname', [None, 'weekly'])
def test_copy_of_a_named_data_is_named_as_backtrader(how, copyname):
    pytest.importorskip('backtrader')
    ref, new = _names('backtrader', how, copyname), _names('backtrader_ib', how, copyname)
    assert new == ref
    assert new['src_found']  # getdatabyname('src') is the source, not the copy


def test_getdatabyname_finds_the_source_in_a_run():
    import backtrader_ib as bt
    found = {}

    class S(bt.Strategy):
        def start(self):
            found['src'] = self.getdatabyname('src')

    cerebro = bt.Cerebro()
    src = cerebro.adddata(_feed(bt), name='src')
    cerebro.resampledata(src, timeframe=bt.TimeFrame.Weeks)
    cerebro.addstrategy(S)
    cerebro.run()
    assert found['src'] is src
    assert cerebro.datas[1]._name == ''


# -- DataTrades: gross pnl, on the line of the trade's own data ---------------
def _twin_trader(bt):
    class TwinTrader(bt.Strategy):
        """Trades only data1, whose closes equal data0's (the same file)."""

        def __init__(self):
            self.sma = bt.ind.SMA(self.data1, period=10)

        def next(self):
            dt = self.stats.datatrades
            self.events.append(('datatrades', *vals(dt)))
            if not self.getposition(self.data1):
                if self.data1.close[0] > self.sma[0]:
                    self.buy(self.data1, size=1)
            elif self.data1.close[0] < self.sma[0]:
                self.close(self.data1)

    return TwinTrader


def _twins(bt):
    return [_feed(bt, name='d0'), _feed(bt, name='d1')]


def _with_commission(bt, cerebro):
    cerebro.broker.setcommission(commission=0.001)  # so pnl and pnlcomm differ


@pytest.mark.parametrize('mode', ['runonce', 'preload-next', 'next', 'exactbars1'])
def test_datatrades_with_twin_datas_matches_backtrader(mode):
    (_, s1), (_, s2) = run_both(_twin_trader, _twins, MODES[mode],
                                cerebro_setup=_with_commission)
    assert sum(e[0] == 'trade' and e[2] == 2 for e in s1.events) > 3  # closed trades
    assert_same_events(s1.events, s2.events)
    if mode in ('runonce', 'preload-next'):
        dt = s2.stats.datatrades
        d0 = dt.lines.d0.array[:len(dt)]
        d1 = dt.lines.d1.array[:len(dt)]
        assert all(v != v for v in d0)  # nothing traded data0
        assert sum(v == v for v in d1) > 3


# -- indicators created in start() ---------------------------------------------
def _late_indicators(bt):
    class LateIndicators(bt.Strategy):
        def __init__(self):
            self.fast = bt.ind.SMA(period=5)

        def start(self):
            # (indicators without line operators: backtrader's own start()
            # runs in the run stage, where CrossOver or a - b fail; see below)
            self.slow = bt.ind.EMA(period=20)
            self.highs = bt.ind.SMA(self.data.high, period=7)

        def next(self):
            # (no ``self.slow > x`` here: backtrader leaves start()'s
            # indicators in the build stage, where that makes a line and fails)
            self.events.append(('late', *vals(self.slow), *vals(self.highs)))
            if self.fast[0] > self.slow[0] and not self.position:
                self.buy()
            elif self.fast[0] < self.slow[0] and self.position:
                self.close()

    return LateIndicators


@pytest.mark.parametrize('mode', ['runonce', 'preload-next', 'next', 'exactbars1',
                                  'exactbars-1', 'exactbars-2'])
def test_indicators_created_in_start_are_computed(mode):
    (_, s1), (_, s2) = run_both(_late_indicators, lambda bt: [_feed(bt)], MODES[mode])
    late = [e for e in s2.events if e[0] == 'late']
    assert late and all(e[2] == e[2] for e in late[30:])  # EMA values, not NaN
    assert_same_events(s1.events, s2.events)


@pytest.mark.parametrize('mode', ['runonce', 'next', 'exactbars1'])
def test_line_operations_in_start_work_as_in_init(mode):
    """backtrader fails building CrossOver (or a - b gives a number) in start();
    here they are built as in __init__ (docs/differences.md)."""
    import backtrader_ib as bt
    rows: dict = {'init': [], 'start': []}

    def make(where):
        class S(bt.Strategy):
            def build(self):
                fast, slow = bt.ind.SMA(period=5), bt.ind.EMA(period=20)
                self.cross = bt.ind.CrossOver(fast, slow)
                self.spread = self.data.close - slow

            def __init__(self):
                if where == 'init':
                    self.build()

            def start(self):
                if where == 'start':
                    self.build()

            def next(self):
                rows[where].append((len(self), *vals(self.cross), *vals(self.spread),
                                    self.spread > 0))
        return S

    for where in rows:
        cerebro = bt.Cerebro(**MODES[mode])
        cerebro.adddata(_feed(bt))
        cerebro.addstrategy(make(where))
        cerebro.run()
    assert len(rows['start']) > 200
    assert any(r[2][0] == 1.0 for r in rows['start'])  # it crossed
    # (init counts the indicators in the min period: next starts later there)
    first = rows['init'][0][0]
    assert rows['start'][first - 1:] == rows['init']


def test_general_path_switch(monkeypatch):
    """BTIB_GENERAL_PATH=1 turns the fast paths off (and only then)."""
    import backtrader_ib as bt
    seen = {}

    class S(bt.Strategy):
        def next(self):
            broker_obs = self.stats.broker
            seen[general] = (self._lean, self._single_tl is not None, self.broker._general,
                             broker_obs.next == broker_obs._next_direct, self._positions is not None)

    for general in (False, True):
        if general:
            monkeypatch.setenv('BTIB_GENERAL_PATH', '1')
        else:
            monkeypatch.delenv('BTIB_GENERAL_PATH', raising=False)
        cerebro = bt.Cerebro()
        cerebro.adddata(_feed(bt))
        cerebro.addstrategy(S)
        cerebro.run()
    assert seen[False] == (True, True, False, True, True)
    assert seen[True] == (False, False, True, False, False)
