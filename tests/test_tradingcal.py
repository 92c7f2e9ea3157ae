"""Trading calendars: TradingCalendar against backtrader 1.9.78.123 when
resampling (weeks and months end on the last trading day, days on the
session close); PandasMarketCalendar (backtrader's fails with current
pandas) against the equivalent TradingCalendar on backtrader."""
from __future__ import annotations

import datetime

import pytest

import backtrader_ib
from conftest import shared_file
from difftools import MODES, assert_same_events, num, reference

T = datetime.time
D = datetime.date


def bars(bt, setup, mode):
    ev = []

    class Log(bt.Strategy):
        def next(self):
            rec = [len(self), num(self.datetime[0])]
            for d in self.datas:
                rec += [len(d)] + [num(getattr(d.lines, n)[0]) for n in
                                   ('datetime', 'open', 'high', 'low', 'close', 'volume')]
            ev.append(tuple(rec))

    c = bt.Cerebro(stdstats=False, **mode)
    setup(bt, c)
    c.addstrategy(Log)
    c.run()
    return ev


def daily_dates():
    with open(shared_file('2006-day-001.txt')) as f:
        next(f)
        return {D.fromisoformat(line.split(',')[0]) for line in f if line.strip()}


def missing_weekdays():
    """The weekdays of 2006 without a bar: this market's holidays."""
    have = daily_dates()
    day, out = D(2006, 1, 1), []
    while day.year == 2006:
        if day.isoweekday() < 6 and day not in have:
            out.append(day)
        day += datetime.timedelta(days=1)
    return out


def daily(bt, **kw):
    return bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'), **kw)


def min5(bt, **kw):
    return bt.feeds.BacktraderCSVData(dataname=shared_file('2006-min-005.txt'),
                                      timeframe=bt.TimeFrame.Minutes, compression=5, **kw)


@pytest.mark.parametrize('mode', ['runonce', 'next'])
@pytest.mark.parametrize('how', ['addcalendar', 'param'])
@pytest.mark.parametrize('tf', ['Weeks', 'Months', 'Years'])
def test_resampling_ends_periods_on_the_last_trading_day(tf, how, mode):
    holidays = missing_weekdays()
    assert D(2006, 4, 14) in holidays  # Good Friday: that week ends on Thursday

    def setup(bt, c):
        cal = bt.TradingCalendar(holidays=holidays)
        d = daily(bt, calendar=cal) if how == 'param' else daily(bt)
        if how == 'addcalendar':
            c.addcalendar(cal)
        c.adddata(d)
        c.resampledata(d, timeframe=getattr(bt.TimeFrame, tf))
    ref = bars(reference(), setup, MODES[mode])
    assert_same_events(ref, bars(backtrader_ib, setup, MODES[mode]))
    if tf == 'Weeks':  # the week of Good Friday is delivered with Thursday's bar
        thursday = [r for r in ref if backtrader_ib.num2date(r[3]).date() == D(2006, 4, 13)]
        assert thursday and backtrader_ib.num2date(thursday[0][10]).date() == D(2006, 4, 13)


@pytest.mark.parametrize('mode', ['runonce', 'next'])
def test_intraday_to_daily_on_session_close_and_early_close(mode, tz=None):
    def setup(bt, c):
        import pytz
        cal = bt.TradingCalendar(open=T(9, 0), close=T(17, 30),
                                 earlydays=[(D(2006, 1, 5), T(9, 0), T(12, 0)),
                                            (D(2006, 1, 12), T(9, 0), T(16, 0))])
        kw = dict(tz=pytz.timezone(tz)) if tz else {}
        d = min5(bt, calendar=cal, **kw)
        c.adddata(d)
        c.resampledata(d, timeframe=bt.TimeFrame.Days)
        c.resampledata(d, timeframe=bt.TimeFrame.Weeks)
    ref = bars(reference(), setup, MODES[mode])
    assert_same_events(ref, bars(backtrader_ib, setup, MODES[mode]))


def test_bars_after_a_friday_early_close_join_mondays_session():
    """backtrader moves them to a session on Saturday (its ``schedule`` does
    not skip off days): a daily bar stamped on a Saturday."""
    bt = backtrader_ib
    got = []

    class S(bt.Strategy):
        def next(self):
            if len(self.data1) and (not got or got[-1][0] != len(self.data1)):
                got.append((len(self.data1), self.data1.datetime.datetime(0),
                            self.data1.volume[0]))

    c = bt.Cerebro(stdstats=False)
    # earlydays given as datetimes (as backtrader documents them, which it then ignores)
    cal = bt.TradingCalendar(open=T(9, 0), close=T(17, 30),
                             earlydays=[(datetime.datetime(2006, 1, 6), T(9, 0), T(12, 0))])
    d = min5(bt, calendar=cal)
    c.adddata(d)
    c.resampledata(d, timeframe=bt.TimeFrame.Days)
    c.addstrategy(S)
    c.run()
    stamps = [dt for _, dt, _ in got]
    assert datetime.datetime(2006, 1, 6, 12) in stamps
    assert all(dt.isoweekday() < 6 for dt in stamps)
    assert datetime.datetime(2006, 1, 9, 17, 30) in stamps


def test_bars_after_the_close_in_a_time_zone_go_to_the_next_session():
    """Berlin close 17:30 is 16:30 UTC; the file has bars to 17:30 UTC. On
    backtrader the first bar after the close loops until OverflowError."""
    import pytz
    bt = backtrader_ib
    got = {}

    class S(bt.Strategy):
        def next(self):
            if len(self.data1):
                got[len(self.data1)] = (self.data1.datetime.datetime(0), self.data1.close[0])

    c = bt.Cerebro(stdstats=False)
    d = min5(bt, calendar=bt.TradingCalendar(open=T(9), close=T(17, 30)),
             tz=pytz.timezone('Europe/Berlin'))
    c.adddata(d)
    c.resampledata(d, timeframe=bt.TimeFrame.Days)
    c.addstrategy(S)
    c.run()
    # every session's bar at its close, the last one too (the bars after the
    # final close form a partial bar of the next session, docs/differences.md)
    stamps = [dt for dt, _ in got.values()]
    assert len(stamps) == 22 and all(dt.time() == T(17, 30) for dt in stamps)
    assert len({dt.date() for dt in stamps}) == len(stamps)
    assert stamps[-1] == datetime.datetime(2006, 1, 31, 17, 30)


def nyse():
    mcal = pytest.importorskip('pandas_market_calendars',
                               reason='pandas_market_calendars is not installed '
                                      '(pip install backtrader_ib[test])')
    return mcal.get_calendar('NYSE')


def nyse_as_rules(year: int):
    """NYSE's holidays and early closes of ``year`` as a rule calendar's args."""
    import pytz
    cal = nyse()
    sched = cal.schedule(f'{year}-01-01', f'{year}-12-31')
    days = {ts.date() for ts in sched.index}
    ny = pytz.timezone('America/New_York')
    holidays, early = [], []
    day = D(year, 1, 1)
    while day.year == year:
        if day.isoweekday() < 6 and day not in days:
            holidays.append(day)
        day += datetime.timedelta(days=1)
    for ts, row in sched.iterrows():
        close = row['market_close'].tz_convert(ny).time()
        if close != T(16):
            early.append((ts.to_pydatetime(), T(9, 30), close))
    return dict(holidays=holidays, earlydays=early, open=T(9, 30), close=T(16))


@pytest.mark.parametrize('mode', ['runonce', 'next'])
@pytest.mark.parametrize('tf', ['Weeks', 'Months'])
def test_pandas_market_calendar_matches_the_same_rules(tf, mode):
    rules = nyse_as_rules(2006)
    assert D(2006, 1, 16) in rules['holidays'] and D(2006, 4, 14) in rules['holidays']

    def ref_setup(bt, c):
        d = daily(bt, tz='US/Eastern', tzinput='US/Eastern', calendar=bt.TradingCalendar(**rules))
        c.resampledata(d, timeframe=getattr(bt.TimeFrame, tf))

    def new_setup(bt, c):
        c.addcalendar('NYSE')
        d = daily(bt, tz='US/Eastern', tzinput='US/Eastern')
        c.resampledata(d, timeframe=getattr(bt.TimeFrame, tf))
    ref = bars(reference(), ref_setup, MODES[mode])
    assert len(ref) > 10
    assert_same_events(ref, bars(backtrader_ib, new_setup, MODES[mode]))


def test_pandas_market_calendar_answers():
    cal = backtrader_ib.PandasMarketCalendar(calendar=nyse(), cachesize=30)
    assert cal.nextday(D(2024, 12, 24)).date() == D(2024, 12, 26)
    assert cal.nextday_week(D(2024, 12, 27)) == 1  # 30 Dec 2024 is in ISO week 1 of 2025
    assert cal.last_weekday(D(2024, 3, 28))        # Good Friday follows
    assert not cal.last_weekday(D(2024, 3, 27))
    assert cal.last_monthday(D(2024, 5, 31)) and not cal.last_monthday(D(2024, 5, 30))
    assert cal.last_yearday(D(2024, 12, 31))
    # early close at 13:00 New York (18:00 UTC); after it, the next session
    assert cal.schedule(datetime.datetime(2024, 12, 24, 15)) == (
        datetime.datetime(2024, 12, 24, 14, 30), datetime.datetime(2024, 12, 24, 18))
    assert cal.schedule(datetime.datetime(2024, 12, 24, 19))[1] == datetime.datetime(2024, 12, 26, 21)
    # far beyond the cache (30 days): refilled, still right
    assert cal.nextday(D(2025, 7, 3)).date() == D(2025, 7, 7)
    assert cal.schedule(datetime.datetime(2025, 7, 4, 12))[0] == datetime.datetime(2025, 7, 7, 13, 30)


def test_pandas_market_calendar_by_name_on_a_feed_and_errors():
    nyse()
    bt = backtrader_ib
    c = bt.Cerebro()
    d = c.adddata(daily(bt, calendar='NYSE'))
    c.addstrategy(bt.Strategy)
    c.run()
    assert isinstance(d._calendar, bt.PandasMarketCalendar)
    with pytest.raises(ValueError, match="unknown calendar 'NOPE'"):
        bt.PandasMarketCalendar(calendar='NOPE')
    with pytest.raises(ValueError, match='give calendar='):
        bt.PandasMarketCalendar()


def test_trading_calendar_answers():
    import pytz
    bt = backtrader_ib
    cal = bt.TradingCalendar(open=T(9, 30), close=T(16), holidays=[D(2024, 12, 25)],
                             earlydays=[(D(2024, 12, 24), T(9, 30), T(13))])
    ny = pytz.timezone('US/Eastern')
    assert cal.nextday(D(2024, 12, 24)) == D(2024, 12, 26)
    assert cal.nextday(datetime.datetime(2024, 12, 27, 10)) == datetime.datetime(2024, 12, 30, 10)
    assert cal.nextday_week(D(2024, 12, 20)) == 52  # backtrader returns None
    assert cal.last_weekday(D(2024, 12, 27)) and not cal.last_weekday(D(2024, 12, 26))
    assert cal.schedule(datetime.datetime(2024, 12, 24, 12), ny) == (
        datetime.datetime(2024, 12, 24, 14, 30), datetime.datetime(2024, 12, 24, 18))
    # after the early close the next session is the 26th: the holiday and
    # weekends are skipped (backtrader returns a session on the holiday)
    assert cal.schedule(datetime.datetime(2024, 12, 24, 19), ny)[1] == datetime.datetime(2024, 12, 26, 21)
    assert cal.schedule(datetime.datetime(2024, 12, 28, 12))[1] == datetime.datetime(2024, 12, 30, 16)
    # the ISO weekday constants
    assert bt.tradingcal.ISOWEEKEND == [6, 7]


@pytest.mark.parametrize('kw,msg', [
    (dict(offdays=[1, 2, 3, 4, 5, 6, 7]), 'leaving at least one trading day'),
    (dict(offdays=[0]), r'offdays=\[0\]'),
    (dict(holidays=['2024-12-25']), "holidays: '2024-12-25' is not a date"),
    (dict(earlydays=[D(2024, 12, 24)]), 'is not a \\(date, open time, close time\\) tuple'),
    (dict(close='16:00'), "close='16:00'"),
])
def test_trading_calendar_bad_input(kw, msg):
    with pytest.raises(ValueError, match=msg):
        backtrader_ib.TradingCalendar(**kw)
