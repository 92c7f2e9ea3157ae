"""The duration/bar-size table and the forward walk (notes, section a): pure functions."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backtrader_ib import TimeFrame
from backtrader_ib.stores.ibhistory import (add_months, bar_size, durations_for, format_end,
                                            max_duration, parse_duration, plan_requests,
                                            sub_duration, add_duration)

UTC = dt.timezone.utc
TF = TimeFrame


@pytest.mark.parametrize('tf, comp, size, longest', [
    (TF.Seconds, 1, '1 secs', (1800, 'S')), (TF.Seconds, 5, '5 secs', (7200, 'S')),
    (TF.Seconds, 10, '10 secs', (10800, 'S')), (TF.Seconds, 15, '15 secs', (14400, 'S')),
    (TF.Seconds, 30, '30 secs', (28800, 'S')),
    (TF.Minutes, 1, '1 min', (86400, 'S')), (TF.Minutes, 2, '2 mins', (86400, 'S')),
    (TF.Minutes, 3, '3 mins', (1, 'W')), (TF.Minutes, 5, '5 mins', (1, 'W')),
    (TF.Minutes, 10, '10 mins', (1, 'W')), (TF.Minutes, 15, '15 mins', (2, 'W')),
    (TF.Minutes, 20, '20 mins', (2, 'W')), (TF.Minutes, 30, '30 mins', (1, 'M')),
    (TF.Minutes, 60, '1 hour', (1, 'M')), (TF.Minutes, 120, '2 hours', (1, 'M')),
    (TF.Minutes, 240, '4 hours', (1, 'M')), (TF.Minutes, 480, '8 hours', (1, 'M')),
    (TF.Days, 1, '1 day', (1, 'Y')), (TF.Weeks, 1, '1 W', (1, 'Y')),
    (TF.Months, 1, '1 M', (1, 'Y')),
])
def test_table(tf, comp, size, longest):
    assert bar_size(tf, comp) == size
    assert max_duration(tf, comp) == longest
    ds = durations_for(tf, comp)
    assert ds[-1] == longest
    # every allowed duration holds at least one bar, shortest first, no 'D' for intraday
    assert all(add_duration(dt.datetime(2024, 1, 1), a) < add_duration(dt.datetime(2024, 1, 1), b)
               for a, b in zip(ds, ds[1:]))
    if tf in (TF.Seconds, TF.Minutes):
        assert all(u != 'D' for _, u in ds)


@pytest.mark.parametrize('tf, comp', [(TF.Minutes, 7), (TF.Minutes, 45), (TF.Seconds, 2),
                                      (TF.Days, 2), (TF.Ticks, 1), (TF.Years, 1)])
def test_unsupported_sizes_raise_clearly(tf, comp):
    with pytest.raises(ValueError, match='no historical bar size') as e:
        plan_requests(tf, comp, None, dt.datetime(2024, 1, 1))
    assert str(comp) in str(e.value)


def test_no_begin_is_one_longest_request():
    end = dt.datetime(2024, 3, 5, 15, tzinfo=UTC)
    assert plan_requests(TF.Days, 1, None, end) == [(end, '1 Y', '1 day')]
    assert plan_requests(TF.Minutes, 60, None, end) == [(end, '1 M', '1 hour')]


def test_short_range_uses_the_shortest_duration_that_reaches():
    end = dt.datetime(2024, 3, 5, 15)
    reqs = plan_requests(TF.Minutes, 1, end - dt.timedelta(minutes=4), end)
    assert [(r.duration, r.barsize) for r in reqs] == [('300 S', '1 min')]
    assert plan_requests(TF.Minutes, 1, end, end) == []


def test_walk_forward_matches_backtrader_example():
    # notes a.2: 1-min bars over 3.5 days from 2024-01-01 00:00 US/Eastern (05:00 UTC)
    begin = dt.datetime(2024, 1, 1, 5)
    end = begin + dt.timedelta(days=3, hours=12)
    reqs = plan_requests(TF.Minutes, 1, begin, end)
    assert [format_end(r.end) for r in reqs] == ['20240102-05:00:00', '20240103-05:00:00',
                                                 '20240104-05:00:00', '20240104-17:00:00']
    assert [r.duration for r in reqs] == ['86400 S'] * 4  # the last 12 h: 28800 S is too short
    # 5-second bars go in 7200 S steps
    reqs = plan_requests(TF.Seconds, 5, begin, begin + dt.timedelta(hours=5))
    assert [r.duration for r in reqs] == ['7200 S', '7200 S', '3600 S']


def test_end_dates_are_utc_dash_form():
    aware = dt.datetime(2024, 7, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert format_end(aware) == '20240701-13:30:00'
    assert format_end(dt.datetime(2024, 7, 1, 9, 30)) == '20240701-09:30:00'


@pytest.mark.parametrize('day', [28, 29, 30, 31])
def test_month_steps_never_crash_at_month_end(day):
    begin = dt.datetime(2024, 1, day)
    reqs = plan_requests(TF.Days, 1, begin, dt.datetime(2026, 3, 1))     # 1 Y steps
    assert reqs[-1].end == dt.datetime(2026, 3, 1, tzinfo=UTC)
    reqs = plan_requests(TF.Minutes, 30, begin, dt.datetime(2024, 6, 1))  # 1 M steps
    assert reqs[0].end.day == min(day, 29) and reqs[0].end.month == 2


def test_add_months_clamps():
    assert add_months(dt.datetime(2024, 1, 31), 1) == dt.datetime(2024, 2, 29)
    assert add_months(dt.datetime(2023, 1, 31), 1) == dt.datetime(2023, 2, 28)
    assert add_months(dt.datetime(2024, 2, 29), 12) == dt.datetime(2025, 2, 28)
    assert add_months(dt.datetime(2024, 12, 31), 2) == dt.datetime(2025, 2, 28)
    assert add_months(dt.datetime(2024, 3, 31), -1) == dt.datetime(2024, 2, 29)


KEYS = [(TF.Seconds, 5), (TF.Seconds, 30), (TF.Minutes, 1), (TF.Minutes, 2), (TF.Minutes, 5),
        (TF.Minutes, 15), (TF.Minutes, 30), (TF.Minutes, 60), (TF.Days, 1), (TF.Weeks, 1),
        (TF.Months, 1)]


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(KEYS),
       begin=st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)),
       span=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=900)))
def test_walk_covers_the_range_without_holes(key, begin, span):
    tf, comp = key
    longest = max_duration(tf, comp)
    # keep the number of requests reasonable for small bars
    if longest[1] == 'S':
        span = min(span, dt.timedelta(seconds=longest[0] * 50))
    end = begin + span
    reqs = plan_requests(tf, comp, begin, end)
    if span == dt.timedelta(0):
        assert reqs == []
        return
    ub = begin.replace(tzinfo=UTC)
    assert reqs[-1].end == end.replace(tzinfo=UTC)
    reach = ub
    for r in reqs:
        start = sub_duration(r.end, parse_duration(r.duration))
        assert start <= reach, 'a hole between two requests'
        assert r.end > reach
        reach = r.end
        assert parse_duration(r.duration) in durations_for(tf, comp)
