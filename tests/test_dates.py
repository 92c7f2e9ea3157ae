"""Day numbers: vectorised and scalar conversions match backtrader bit for bit."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytz
from hypothesis import given, settings, strategies as st

from backtrader_ib.utils.date import date2num, dates2num, num2date

datetimes = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30))


@settings(max_examples=300, deadline=None)
@given(st.lists(datetimes, min_size=1, max_size=50))
def test_vectorised_equals_scalar(values):
    vec = dates2num(np.array(values, dtype='datetime64[us]'))
    assert vec.tolist() == [date2num(v) for v in values]


@settings(max_examples=300, deadline=None)
@given(datetimes)
def test_roundtrip_to_the_microsecond_or_close(value):
    back = num2date(date2num(value))
    assert abs((back - value).total_seconds()) < 1e-4


def test_matches_backtrader_on_session_end_times():
    from difftools import reference
    bt = reference()
    for day in (dt.date(2006, 1, 2), dt.date(1995, 7, 31), dt.date(2024, 2, 29)):
        for tm in (dt.time(23, 59, 59, 999990), dt.time(9, 30), dt.time(16, 0, 0, 123456)):
            d = dt.datetime.combine(day, tm)
            assert date2num(d) == bt.date2num(d)
            assert num2date(date2num(d)) == bt.num2date(bt.date2num(d))


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=2, max_value=dt.date(9999, 12, 29).toordinal()),
       st.sampled_from([0.0, 1e-12, -1e-12, 0.5, 1 / 86400, 1 - 1e-11]))
def test_whole_days_and_their_neighbours_match_backtrader(day, offset):
    """A whole day number takes num2date's shortcut; those just beside it do not."""
    from difftools import reference
    bt = reference()
    x = day + offset
    got = num2date(x)
    assert got == bt.num2date(x)
    assert type(got) is dt.datetime and got.tzinfo is None
    ny = pytz.timezone('America/New_York')
    assert num2date(x, tz=ny) == bt.num2date(x, tz=ny)


def test_aware_datetimes_are_taken_to_utc():
    ny = pytz.timezone('America/New_York')
    local = ny.localize(dt.datetime(2020, 7, 1, 9, 30))
    assert date2num(local) == date2num(dt.datetime(2020, 7, 1, 13, 30))
    assert num2date(date2num(local), tz=ny) == dt.datetime(2020, 7, 1, 9, 30)


def test_vectorised_num2date_and_localisation_match_scalar():
    import random
    from backtrader_ib.utils.date import localize_nums, nums2dates
    rng = random.Random(5)
    vals = [datetime_base + dt.timedelta(seconds=rng.randint(0, 20 * 365 * 86400),
                                         microseconds=rng.choice([0, rng.randint(0, 999999)]))
            for datetime_base in [dt.datetime(2000, 1, 1)] for _ in range(5000)]
    for y in range(2005, 2012):  # around every daylight-saving switch
        for m, d in ((3, 8), (3, 13), (3, 27), (10, 30), (11, 6)):
            vals += [dt.datetime(y, m, d) + dt.timedelta(minutes=k) for k in range(0, 240, 7)]
    nums = dates2num(np.array(vals, dtype='datetime64[us]'))
    assert nums2dates(nums).astype(dt.datetime).tolist() == [num2date(x) for x in nums.tolist()]
    for name in ('US/Eastern', 'Europe/Berlin', 'Australia/Lord_Howe'):
        tz = pytz.timezone(name)
        want = [date2num(tz.localize(num2date(x))) for x in nums.tolist()]
        assert localize_nums(nums, tz).tolist() == want
