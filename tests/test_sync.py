"""Feeds of different lengths and timeframes advancing together, against
backtrader 1.9.78.123: the default sync, ``oldsync``, clones and ``line()``
coupling of a slower line onto a faster clock."""
from __future__ import annotations

import pytest

import backtrader_ib
from conftest import shared_file
from difftools import assert_same_events, reference
from engine_difftools import general_path  # noqa: F401  (fixture)
from test_resample import _bars, daily

# every test here runs with the fast paths (the merged timeline of preloaded
# feeds, runloop.runonce_merged) and with BTIB_GENERAL_PATH=1
pytestmark = pytest.mark.usefixtures('general_path')


def weekly(bt, **kw):
    return bt.feeds.BacktraderCSVData(dataname=shared_file('2006-week-001.txt'),
                                      timeframe=bt.TimeFrame.Weeks, **kw)


def yahoo(bt, name, **kw):
    return bt.feeds.YahooFinanceCSVData(dataname=shared_file(name), **kw)


def two_feeds(bt, c):
    import datetime
    c.adddata(yahoo(bt, 'orcl-1995-2014.txt', fromdate=datetime.datetime(2003, 1, 1),
                    todate=datetime.datetime(2004, 6, 30)))
    c.adddata(yahoo(bt, 'yhoo-1996-2014.txt', fromdate=datetime.datetime(2003, 6, 1),
                    todate=datetime.datetime(2005, 3, 31)))


def daily_and_weekly(bt, c):
    c.adddata(daily(bt))
    c.adddata(weekly(bt))


def trader(bt):
    """Buys data0 above its 10-bar mean, data1 above its 3-bar mean."""
    class Strat(bt.Strategy):
        def __init__(self):
            self.m0 = bt.ind.SMA(self.data0, period=10)
            self.m1 = bt.ind.SMA(self.data1, period=3)

        def next(self):
            for d, m in ((self.data0, self.m0), (self.data1, self.m1)):
                pos = self.getposition(d).size
                if not pos and d.close[0] > m[0]:
                    self.buy(data=d)
                elif pos and d.close[0] < m[0]:
                    self.close(data=d)
    return Strat


MODES = {'runonce': dict(), 'next': dict(runonce=False), 'nopreload': dict(preload=False)}


@pytest.mark.parametrize('mode', MODES)
@pytest.mark.parametrize('setup', [two_feeds, daily_and_weekly])
@pytest.mark.parametrize('oldsync', [False, True])
def test_sync(setup, mode, oldsync):
    kw = dict(MODES[mode], oldsync=oldsync)
    ref = _bars(reference(), setup, trader, **kw)
    new = _bars(backtrader_ib, setup, trader, **kw)
    assert len(ref) > 50
    assert_same_events(ref, new)


def test_clone_follows_its_source():
    def setup(bt, c):
        d = daily(bt)
        c.adddata(d)
        c.adddata(d.clone())
    for mode in MODES.values():
        ref = _bars(reference(), setup, trader, **mode)
        assert_same_events(ref, _bars(backtrader_ib, setup, trader, **mode))


def coupled(bt):
    """Daily trading on a weekly mean coupled onto the daily clock with ``()``."""
    class Strat(bt.Strategy):
        def __init__(self):
            wmean = bt.ind.SMA(self.data1, period=3)
            self.above = self.data0.close > wmean()
            self.wbar = self.data1()  # every line of the weekly feed

        def next(self):
            self.ev.append(('coupled', float(self.above[0]), self.wbar.close[0],
                            self.wbar.volume[0]))
            if not self.position and self.above[0]:
                self.buy()
            elif self.position and not self.above[0]:
                self.close()
    return Strat


def test_coupling_matches_backtrader_bar_by_bar():
    def setup(bt, c):
        d = daily(bt)
        c.adddata(d)
        c.resampledata(d, timeframe=bt.TimeFrame.Weeks)
    ref = _bars(reference(), setup, coupled, runonce=False)
    assert any(e[0] == 'order' for e in ref)
    assert_same_events(ref, _bars(backtrader_ib, setup, coupled, runonce=False))
    # backtrader leaves coupled lines NaN in runonce mode; ours runs such a
    # strategy bar by bar, so runonce gives the same as runonce=False
    assert_same_events(ref, _bars(backtrader_ib, setup, coupled))


# -- chaindata / rolloverdata -----------------------------------------------------
def test_chaindata_matches_backtrader():
    def setup(bt, c):
        import datetime
        first = bt.feeds.BacktraderCSVData(dataname=shared_file('2005-2006-day-001.txt'),
                                           todate=datetime.datetime(2006, 3, 31))
        second = daily(bt)  # overlaps the first from January 2006
        c.chaindata(first, second, name='chained')
    ref = _bars(reference(), setup, trader_one, runonce=False)
    for mode in MODES.values():
        assert_same_events(ref, _bars(backtrader_ib, setup, trader_one, **mode))


def trader_one(bt):
    class Strat(bt.Strategy):
        def __init__(self):
            self.m = bt.ind.SMA(period=10)

        def next(self):
            if not self.position and self.data.close[0] > self.m[0]:
                self.buy()
            elif self.position and self.data.close[0] < self.m[0]:
                self.close()
    return Strat


def test_rolloverdata_matches_backtrader():
    import datetime

    def checkdate(dt, d):  # roll in the second half of the month
        return dt.day >= 15

    def checkcondition(d0, d1):  # once the next contract trades more
        return d1.volume[0] > d0.volume[0]

    def setup(bt, c):
        kw = dict(fromdate=datetime.datetime(2003, 1, 1), todate=datetime.datetime(2004, 12, 31))
        contracts = [yahoo(bt, name, **kw) for name in
                     ('orcl-2003-2005.txt', 'yhoo-2003-2005.txt', 'nvda-1999-2014.txt')]
        c.rolloverdata(*contracts, checkdate=checkdate, checkcondition=checkcondition,
                       name='cont')
    ref = _bars(reference(), setup, trader_one, runonce=False)
    closes = {e[1]: e[7] for e in _bars(reference(), lambda bt, c: c.adddata(yahoo(
        bt, 'orcl-2003-2005.txt', fromdate=datetime.datetime(2003, 1, 1),
        todate=datetime.datetime(2004, 12, 31))), runonce=False) if e[0] != 'order'}
    assert any(e[7] != closes.get(e[1]) for e in ref if e[0] != 'order')  # it rolled
    for mode in MODES.values():
        assert_same_events(ref, _bars(backtrader_ib, setup, trader_one, **mode))
