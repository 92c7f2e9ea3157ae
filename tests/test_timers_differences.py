"""Timers where backtrader 1.9.78.123 is wrong (see docs/differences.md):
days lost after a carried week/month day, days fired without carry, time
zones east or west of UTC; and bad timer arguments."""
from __future__ import annotations

import datetime

import pytest

import backtrader_ib as bt
from conftest import shared_file

T = datetime.time


def fired(timers, feedkw=None, path='2006-day-001.txt', **datakw):
    """Dates (and ``when``) of every notify_timer call."""
    calls, days = [], []

    class S(bt.Strategy):
        def __init__(self):
            for tk in timers:
                self.add_timer(**{k: (self.data if isinstance(v, str) and v == 'data' else v)
                                  for k, v in tk.items()})

        def next(self):
            days.append(self.data.datetime.date(0))

        def notify_timer(self, timer, when, *args, **kwargs):
            calls.append((self.data.datetime.datetime(0), when))

    c = bt.Cerebro(stdstats=False)
    c.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file(path), **(feedkw or {})))
    c.addstrategy(S)
    c.run(**datakw)
    return calls, days


def first_on_or_after(days, targets):
    """The trading day on or after each target date (the carried day)."""
    out = []
    for t in targets:
        later = [d for d in days if d >= t]
        if later:
            out.append(later[0])
    return out


def test_month_carry_keeps_the_later_days_of_the_month():
    calls, days = fired([dict(when=T(10), monthdays=[1, 15])])
    targets = [datetime.date(2006, m, d) for m in range(1, 13) for d in (1, 15)]
    expected = sorted(set(first_on_or_after(days, targets)))
    assert [c[0].date() for c in calls] == expected
    # 1 and 15 April 2006 are a Saturday and Easter Saturday: backtrader fires
    # on 3 April (carrying the 1st) and then drops the 15th; we fire on 18 April
    assert datetime.date(2006, 4, 18) in [c[0].date() for c in calls]


def test_month_days_without_carry_fire_only_on_those_days():
    calls, days = fired([dict(when=T(10), monthdays=[1, 15], monthcarry=False)])
    assert [c[0].date() for c in calls] == [d for d in days if d.day in (1, 15)]
    assert datetime.date(2006, 1, 2) not in [c[0].date() for c in calls]  # backtrader fires


def test_week_carry_after_a_holiday_keeps_the_next_weekday():
    calls, days = fired([dict(when=T(10), weekdays=[2, 4], weekcarry=True)])
    got = [c[0].date() for c in calls]
    # Tuesday 18 April 2006 follows Easter Monday (no bar): the Tuesday fires
    # as itself, then Thursday; in a week whose Tuesday is missing, the carry
    # fires on Wednesday and Thursday still fires (backtrader drops Thursday)
    weeks = {}
    for d in days:
        weeks.setdefault(d.isocalendar()[:2], []).append(d)
    expected = []
    for week_days in weeks.values():
        for wd in (2, 4):
            later = [d for d in week_days if d.isoweekday() >= wd and d not in expected]
            if later:
                expected.append(later[0])
    assert got == sorted(expected)


def sydney_hours(tmp_path):
    """Hourly bars 10:00-16:00 Sydney time (23:00/00:00-05:00/06:00 UTC: the
    session crosses midnight UTC) over two weeks."""
    rows = ['Date,Time,Open,High,Low,Close,Volume,OpenInterest']
    day = datetime.date(2024, 3, 25)  # DST ends in Sydney on 7 April
    for _ in range(21):
        if day.weekday() < 5:
            for h in range(10, 17):
                rows.append(f'{day},{h:02d}:00:00,10,11,9,10,100,0')
        day += datetime.timedelta(days=1)
    path = tmp_path / 'sydney.txt'
    path.write_text('\n'.join(rows) + '\n')
    return str(path)


def test_a_session_across_midnight_utc_fires_once_a_local_day(tmp_path):
    """backtrader takes each bar's UTC day: in Sydney the 10:00 bar is on the
    previous UTC day, so its timer fires twice on some local days."""
    calls, days = [], set()

    class S(bt.Strategy):
        def __init__(self):
            self.add_timer(when=T(10, 30), tzdata=self.data)

        def next(self):
            days.add(self.data.datetime.date(0))

        def notify_timer(self, timer, when, *args, **kwargs):
            calls.append((self.data.datetime.datetime(0), when))

    c = bt.Cerebro(stdstats=False)
    c.adddata(bt.feeds.BacktraderCSVData(dataname=sydney_hours(tmp_path), tz='Australia/Sydney',
                                         tzinput='Australia/Sydney',
                                         timeframe=bt.TimeFrame.Minutes, compression=60))
    c.addstrategy(S)
    c.run()
    assert [bar.date() for bar, _ in calls] == sorted(days)
    assert all(bar.time() == T(11) and when == datetime.datetime.combine(bar.date(), T(10, 30))
               for bar, when in calls)


def test_repeat_in_a_time_zone_keeps_local_times():
    """backtrader schedules the repeats as if the local times were UTC."""
    calls, _ = fired([dict(when=T(10), repeat=datetime.timedelta(hours=1), tzdata='data')],
                     feedkw=dict(timeframe=bt.TimeFrame.Minutes, compression=5,
                                 tz='Europe/Berlin', sessionend=T(18, 30)),
                     path='2006-min-005.txt')
    first_day = [c for c in calls if c[0].date() == calls[0][0].date()]
    assert [w.time() for _, w in first_day] == [T(h) for h in range(10, 19)]
    for bar, when in calls:
        assert bar >= when and bar - when <= datetime.timedelta(minutes=5)


@pytest.mark.parametrize('tz', ['US/Eastern', 'zoneinfo', 'pytz'])
def test_tzdata_as_a_name_or_a_zone(tz):
    import zoneinfo

    import pytz
    zone = {'US/Eastern': 'US/Eastern', 'zoneinfo': zoneinfo.ZoneInfo('America/New_York'),
            'pytz': pytz.timezone('America/New_York')}[tz]
    calls, _ = fired([dict(when=T(8), tzdata=zone)],
                     feedkw=dict(timeframe=bt.TimeFrame.Minutes, compression=5),
                     path='2006-min-005.txt')
    # 08:00 New York (winter, UTC-5) is 13:00 UTC: the first bar at or after it
    assert calls and all(b.time() == T(13, 0) for b, _ in calls)


@pytest.mark.parametrize('kw,msg', [
    (dict(when='10:00'), "when='10:00'"),
    (dict(when=7), 'when=7'),
    (dict(when=T(10), offset=60), 'offset=60'),
    (dict(when=T(10), weekdays=[0, 1]), r'weekdays must be whole numbers 1\.\.7; got \[0\]'),
    (dict(when=T(10), monthdays=[32]), r'got \[32\]'),
])
def test_bad_timer_arguments(kw, msg):
    c = bt.Cerebro()
    with pytest.raises(ValueError, match=msg):
        c.add_timer(**kw)


def test_session_timer_needs_a_data_for_its_session():
    import pytz

    class S(bt.Strategy):
        def __init__(self):
            self.add_timer(bt.timer.SESSION_START, tzdata=pytz.timezone('US/Eastern'))

    c = bt.Cerebro()
    c.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    c.addstrategy(S)
    with pytest.raises(ValueError, match='SESSION_START/SESSION_END need a data feed'):
        c.run()
