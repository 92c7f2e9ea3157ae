"""Data filters against backtrader 1.9.78.123: identical bars (time, OHLCV,
open interest) at every ``next`` and identical orders, in every run mode;
and the right behaviour where backtrader's filters are broken."""
from __future__ import annotations

import datetime
import math

import pytest

import backtrader_ib
from conftest import shared_file
from difftools import MODES, assert_same_events, num, reference

T = datetime.time
LINES = ('datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest')
RUNMODES = ['runonce', 'preload-next', 'next']


def log(bt, setup, mode, hilo_sorted=False):
    """Run ``setup(bt, cerebro)``; every bar of every data at each ``next``,
    and the fills of a buy/close every 7 bars."""
    ev = []

    class Log(bt.Strategy):
        def notify_order(self, order):
            if order.status == order.Completed:
                ev.append(('order', order.isbuy(), num(order.executed.dt),
                           num(order.executed.price)))

        def next(self):
            rec = [len(self)]
            for d in self.datas:
                vals = [num(getattr(d.lines, n)[0]) for n in LINES]
                if hilo_sorted:  # high/low as max/min (see Renko)
                    hl = sorted((d.high[0], d.low[0]))
                    vals[2:4] = [num(hl[1]), num(hl[0])]
                rec += [len(d)] + vals
            ev.append(tuple(rec))
            if len(self) % 7 == 0:
                self.close() if self.position else self.buy()

    c = bt.Cerebro(stdstats=False, **mode)
    setup(bt, c)
    c.addstrategy(Log)
    c.run()
    return ev


def same(setup, mode='runonce', **kw):
    ref = log(reference(), setup, MODES[mode], **kw)
    new = log(backtrader_ib, setup, MODES[mode], **kw)
    assert len(ref) > 10
    assert_same_events(ref, new)
    return new


def daily(bt, **kw):
    return bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'), **kw)


def min5(bt, path=None, **kw):
    return bt.feeds.BacktraderCSVData(dataname=path or shared_file('2006-min-005.txt'),
                                      timeframe=bt.TimeFrame.Minutes, compression=5, **kw)


def gappy_min5(tmp_path, drop=(0, 3, 4, 5, 40, 101, 102), days=3):
    """5-minute bars 09:05-17:30 on ``days`` days, the bars at the positions
    in ``drop`` (counted per day) left out: the first bar, runs inside, the last."""
    rows = ['Date,Time,Open,High,Low,Close,Volume,OpenInterest']
    px = 100.0
    for d in range(days):
        day = datetime.date(2024, 1, 8) + datetime.timedelta(days=d)
        t = datetime.datetime.combine(day, T(9, 5))
        k = 0
        while t.time() <= T(17, 30):
            px += 0.5 if (k * 7 + d) % 5 < 3 else -0.75
            if k not in drop and not (d == 1 and k > 95):
                rows.append(f'{t:%Y-%m-%d},{t:%H:%M:%S},{px:.2f},{px + 1:.2f},{px - 1:.2f},'
                            f'{px + 0.25:.2f},{1000 + k},{k}')
            t += datetime.timedelta(minutes=5)
            k += 1
    path = tmp_path / 'gappy.txt'
    path.write_text('\n'.join(rows) + '\n')
    return str(path)


# -- sessions -----------------------------------------------------------------
SESSION = dict(sessionstart=T(10, 0), sessionend=T(16, 0))


@pytest.mark.parametrize('mode', RUNMODES)
def test_session_filter(mode):
    def setup(bt, c):
        d = min5(bt, **SESSION)
        d.addfilter(bt.filters.SessionFilter)
        c.adddata(d)
    ev = same(setup, mode)
    times = {backtrader_ib.num2date(e[2]).time() for e in ev if e[0] != 'order'}
    assert min(times) == T(10) and max(times) == T(16)


@pytest.mark.parametrize('mode', RUNMODES)
def test_session_filter_simple(mode):
    def setup(bt, c):
        d = min5(bt, **SESSION)
        d.addfilter_simple(bt.filters.SessionFilterSimple(d))
        c.adddata(d)
    same(setup, mode)


@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_session_filter_then_resample(mode):
    def setup(bt, c):
        d = min5(bt, **SESSION)
        d.addfilter(bt.filters.SessionFilter)
        c.adddata(d)
        c.resampledata(d, timeframe=bt.TimeFrame.Minutes, compression=60)
    same(setup, mode)


@pytest.mark.parametrize('mode', RUNMODES)
@pytest.mark.parametrize('kw', [{}, dict(fill_price=99.5, fill_vol=0.0, fill_oi=7.0),
                                dict(skip_first_fill=False, fill_price=99.5)],
                         ids=['default', 'values', 'first-fill'])
def test_session_filler(tmp_path, kw, mode):
    path = gappy_min5(tmp_path)

    def setup(bt, c):
        d = min5(bt, path=path, sessionstart=T(9, 0), sessionend=T(17, 30))
        d.addfilter(bt.filters.SessionFiller, **kw)
        c.adddata(d)
    ev = same(setup, mode)
    bars = [e for e in ev if e[0] != 'order']
    # every 5 minutes from the first bar (09:10; with the first fill from
    # 09:00) to the session end, then from 09:00 on the next days; the last
    # day's missing 17:30 bar is not known to be missing (no bar follows)
    assert len(bars) == (101 if 'skip_first_fill' not in kw else 103) + 103 + 102


@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_session_filler_then_resample(tmp_path, mode):
    path = gappy_min5(tmp_path)

    def setup(bt, c):
        d = min5(bt, path=path, sessionstart=T(9, 0), sessionend=T(17, 30))
        d.addfilter(bt.filters.SessionFiller, fill_vol=0.0)
        c.adddata(d)
        c.resampledata(d, timeframe=bt.TimeFrame.Minutes, compression=30)
    same(setup, mode)


# -- bar shapes ---------------------------------------------------------------
@pytest.mark.parametrize('mode', RUNMODES)
def test_heikin_ashi(mode):
    def setup(bt, c):
        d = daily(bt)
        d.addfilter(bt.filters.HeikinAshi)
        c.adddata(d)
    same(setup, mode)


@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_heikin_ashi_then_resample_weekly(mode):
    def setup(bt, c):
        d = daily(bt)
        d.addfilter(bt.filters.HeikinAshi)
        c.resampledata(d, timeframe=bt.TimeFrame.Weeks)
    same(setup, mode)


RENKO = {
    'size': dict(size=25),
    'hilo': dict(size=20, hilo=True),
    'autosize': dict(autosize=200.0),
    'dynamic': dict(autosize=150.0, dynamic=True, align=5.0),
    'no-roundstart': dict(size=12.5, roundstart=False),
}


@pytest.mark.parametrize('mode', ['runonce', 'preload-next'])
@pytest.mark.parametrize('case', RENKO)
def test_renko(case, mode):
    """Same bricks (a falling brick's high/low compared as max/min: backtrader
    sets its high below its low)."""
    def setup(bt, c):
        d = daily(bt)
        d.addfilter(bt.filters.Renko, **RENKO[case])
        c.adddata(d)
    ev = same(setup, mode, hilo_sorted=True)
    bricks = [e for e in log(backtrader_ib, setup, MODES[mode]) if e[0] != 'order']
    assert all(e[4] >= e[5] for e in bricks)  # high >= low
    size = RENKO[case].get('size')
    if size:
        # (len, len(data), dt, open, high, low, close, ...): each brick spans
        # one size from its open to its close, which is its high or low
        assert all(abs(e[6] - e[4 if e[6] > e[3] else 5]) < 1e-9 for e in bricks)
        assert all(abs(abs(e[6] - e[3]) - size) < 1e-9 for e in bricks)
    assert len(ev) > 20


def test_renko_in_next_mode_drops_the_bars_between_bricks():
    """backtrader's ``Filter`` loses ``next``'s answer: without preloading its
    Renko hands a dropped bar to the strategy again; ours delivers bricks only."""
    def setup(bt, c):
        d = daily(bt)
        d.addfilter(bt.filters.Renko, size=25)
        c.adddata(d)
    ref = log(backtrader_ib, setup, MODES['runonce'], hilo_sorted=True)
    assert log(backtrader_ib, setup, MODES['next'], hilo_sorted=True) == ref


def test_custom_filter_class():
    def setup(bt, c):
        class Doubler(bt.Filter):
            def nextstart(self, data):
                self.first = data.close[0]

            def next(self, data):
                data.volume[0] = 2 * data.volume[0] + 1
                data.openinterest[0] = self.first

        d = daily(bt)
        d.addfilter(Doubler)
        c.adddata(d)
    same(setup, 'next')


# -- replaying a bar in steps -------------------------------------------------
@pytest.mark.parametrize('mode', RUNMODES)
@pytest.mark.parametrize('name', ['BarReplayer_Open', 'DayStepsFilter'])
def test_bar_replayer_open(name, mode):
    def setup(bt, c):
        d = daily(bt)
        d.addfilter(getattr(bt.filters, name))
        c.adddata(d)
    ev = same(setup, mode)
    assert len(ev) > 2 * 255  # each day seen twice (open, then complete)


@pytest.mark.parametrize('mode', RUNMODES)
@pytest.mark.parametrize('tf', ['Days', 'Weeks'])
def test_day_splitter_close_replayed(tf, mode):
    def setup(bt, c):
        d = daily(bt, sessionstart=T(9), sessionend=T(17, 30))
        d.addfilter(bt.filters.DaySplitter_Close, closevol=0.3)
        c.replaydata(d, timeframe=getattr(bt.TimeFrame, tf))
    same(setup, mode)


def test_day_splitter_close_alone_delivers_both_ticks():
    """Alone (no replay after it): as backtrader with preloading; without
    preloading backtrader fails with IndexError, ours gives the same ticks."""
    def setup(bt, c):
        d = daily(bt, sessionstart=T(9), sessionend=T(17, 30))
        d.addfilter(bt.filters.DaySplitter_Close)
        c.adddata(d)
    ev = same(setup, 'preload-next')
    assert log(backtrader_ib, setup, MODES['next']) == ev
    bars = [e for e in ev if e[0] != 'order']
    assert len(bars) == 2 * 255
    first, second = bars[:2]
    assert backtrader_ib.num2date(first[2]) == datetime.datetime(2006, 1, 2, 9)
    assert backtrader_ib.num2date(second[2]) == datetime.datetime(2006, 1, 2, 17, 30)
    assert second[3] == second[6] != first[6]  # the close tick: open == close


# -- calendar days ---------------------------------------------------------------
@pytest.mark.parametrize('mode', RUNMODES)
@pytest.mark.parametrize('fill_price', [None, 0, 3000.0, -1])
def test_calendar_days_one_bar_per_day(fill_price, mode):
    """backtrader's default (``fill_price=None``) raises TypeError; with a
    price it adds a second bar on the day after each gap (and without
    preloading repeats the bar before it). Ours: one bar per calendar day."""
    bt = backtrader_ib
    got, src = [], []

    class S(bt.Strategy):
        def next(self):
            got.append(tuple(num(getattr(self.data.lines, n)[0]) for n in LINES))

    class Src(bt.Strategy):
        def next(self):
            src.append(tuple(num(getattr(self.data.lines, n)[0]) for n in LINES))

    for strat, flt in ((S, True), (Src, False)):
        c = bt.Cerebro(**MODES[mode])
        d = daily(bt)
        if flt:
            d.addfilter(bt.filters.CalendarDays, fill_price=fill_price)
        c.adddata(d)
        c.addstrategy(strat)
        c.run()
    days = [bt.num2date(b[0]).date() for b in got]
    assert days == [days[0] + datetime.timedelta(days=i) for i in range(len(days))]
    assert days[-1] == datetime.date(2006, 12, 29)
    real = {b[0]: b for b in src}
    prev = None
    for b in got:
        if b[0] in real:
            assert b == real[b[0]]
        else:
            expect = {None: prev[4], 0: prev[4], 3000.0: 3000.0,
                      -1: (prev[2] + prev[3]) / 2}[fill_price]
            assert b[1:5] == (expect,) * 4 and b[5] == 'nan' and b[6] == 'nan'
        if b[0] in real:
            prev = b


def test_calendar_days_bad_fill_price():
    d = daily(backtrader_ib)
    with pytest.raises(ValueError, match='fill_price=-3'):
        d.addfilter(backtrader_ib.filters.CalendarDays, fill_price=-3)


# -- DataFilter / DataFiller (both crash on backtrader) ----------------------------
@pytest.mark.parametrize('mode', RUNMODES)
def test_data_filter(mode):
    bt = backtrader_ib
    keep = lambda d: d.close[0] > d.open[0]  # noqa: E731

    def setup(bt, c):
        c.adddata(bt.filters.DataFilter(dataname=min5(bt), funcfilter=keep))

    def reference_setup(bt, c):  # the same with a simple filter on the feed
        d = min5(bt)
        d.addfilter_simple(lambda data: not keep(data))
        c.adddata(d)
    got = log(bt, setup, MODES[mode])
    assert got == log(bt, reference_setup, MODES[mode])
    assert 500 < len([e for e in got if e[0] != 'order']) < 2142


@pytest.mark.parametrize('mode', RUNMODES)
def test_data_filler_gives_session_fillers_bars(tmp_path, mode):
    """DataFiller is a feed with the bars backtrader's SessionFiller adds."""
    path = gappy_min5(tmp_path)
    kw = dict(fill_vol=0.0, fill_oi=0.0)

    def ref_setup(bt, c):
        d = min5(bt, path=path, sessionstart=T(9, 0), sessionend=T(17, 30))
        d.addfilter(bt.filters.SessionFiller, **kw)
        c.adddata(d)

    def setup(bt, c):
        src = min5(bt, path=path, sessionstart=T(9, 0), sessionend=T(17, 30))
        c.adddata(bt.filters.DataFiller(dataname=src, **kw))
    ref = log(reference(), ref_setup, MODES[mode])
    assert_same_events(ref, log(backtrader_ib, setup, MODES[mode]))


def test_data_filter_errors():
    bt = backtrader_ib
    with pytest.raises(ValueError, match='funcfilter must be a function'):
        bt.filters.DataFilter(dataname=min5(bt))
    with pytest.raises(ValueError, match='dataname must be a data feed'):
        bt.filters.DataFilter(dataname='x.csv', funcfilter=bool)
    c = bt.Cerebro()
    src = min5(bt)
    c.adddata(src)
    c.adddata(bt.filters.DataFiller(dataname=src))
    c.addstrategy(bt.Strategy)
    with pytest.raises(ValueError, match='is added to Cerebro too'):
        c.run()
    c = bt.Cerebro()
    c.adddata(bt.filters.DataFiller(dataname=daily(bt)))
    c.addstrategy(bt.Strategy)
    with pytest.raises(ValueError, match='DataFiller fills intraday bars.*timeframe Day'):
        c.run()


# -- sessions over midnight ----------------------------------------------------------
def test_overnight_session_filter_keeps_both_parts():
    """sessionstart 17:00, sessionend 10:00 (a session over midnight): the
    filters keep 17:00-24:00 and 00:00-10:00 (backtrader drops every bar)."""
    bt = backtrader_ib
    times = []

    class S(bt.Strategy):
        def next(self):
            times.append(self.data.datetime.time(0))

    for simple in (False, True):
        times.clear()
        c = bt.Cerebro()
        d = min5(bt, sessionstart=T(17), sessionend=T(10))
        if simple:
            d.addfilter_simple(bt.filters.SessionFilterSimple(d))
        else:
            d.addfilter(bt.filters.SessionFilter)
        c.adddata(d)
        c.addstrategy(S)
        c.run()
        assert times and all(t <= T(10) or t >= T(17) for t in times)
        assert {T(9, 5), T(10), T(17), T(17, 30)} <= set(times)


@pytest.mark.parametrize('make', ['SessionFiller', 'DataFiller'])
def test_fillers_refuse_overnight_sessions(make):
    bt = backtrader_ib
    c = bt.Cerebro()
    if make == 'SessionFiller':
        d = min5(bt, sessionstart=T(18), sessionend=T(17))
        with pytest.raises(ValueError, match='sessionend 17:00:00 is before sessionstart 18:00:00'):
            d.addfilter(bt.filters.SessionFiller)
        return
    c.adddata(bt.filters.DataFiller(dataname=min5(bt, sessionstart=T(18), sessionend=T(17))))
    c.addstrategy(bt.Strategy)
    with pytest.raises(ValueError, match='sessionend 17:00:00 is before sessionstart 18:00:00'):
        c.run()


def test_session_filler_needs_intraday_data():
    d = daily(backtrader_ib)
    with pytest.raises(ValueError, match='SessionFiller fills intraday bars'):
        d.addfilter(backtrader_ib.filters.SessionFiller)


def test_first_fill_without_a_previous_close_is_nan(tmp_path):
    """backtrader reads the close before the first bar, which in its buffers
    is the first bar's own close (a price from the future for 09:00)."""
    bt = backtrader_ib
    bars = []

    class S(bt.Strategy):
        def next(self):
            bars.append((self.data.datetime.time(0), self.data.close[0]))

    c = bt.Cerebro()
    d = min5(bt, path=gappy_min5(tmp_path), sessionstart=T(9), sessionend=T(17, 30))
    d.addfilter(bt.filters.SessionFiller, skip_first_fill=False)
    c.adddata(d)
    c.addstrategy(S)
    c.run()
    assert [t for t, _ in bars[:3]] == [T(9), T(9, 5), T(9, 10)]
    assert math.isnan(bars[0][1]) and math.isnan(bars[1][1]) and not math.isnan(bars[2][1])


def test_nan_fill_price_is_kept(tmp_path):
    bt = backtrader_ib
    closes = []

    class S(bt.Strategy):
        def next(self):
            closes.append(self.data.close[0])

    c = bt.Cerebro()
    d = min5(bt, path=gappy_min5(tmp_path), sessionstart=T(9), sessionend=T(17, 30))
    d.addfilter(bt.filters.SessionFiller, fill_price=float('nan'))
    c.adddata(d)
    c.addstrategy(S)
    c.run()
    real = 96 + 91 + 96  # the bars in the file
    assert len(closes) == 101 + 103 + 102
    assert sum(math.isnan(x) for x in closes) == len(closes) - real
