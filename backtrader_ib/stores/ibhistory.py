"""IB historical requests: bar sizes, durations, and the walk from fromdate to todate.

Everything here is pure (no connection): ``plan_requests`` turns a time range
into the list of requests to send, oldest first; ``format_end`` writes an end
date the way current TWS versions want it (UTC, ``yyyymmdd-hh:mm:ss``).

IB limits how long a request may be for each bar size (table a.1 of the
notes). A range longer than that is walked forward in maximal steps, each
request ending where the previous one ended plus one step, so consecutive
requests touch but never leave a hole; the feed drops the boundary bar that
two requests both return.

Intraday requests use ``86400 S`` where backtrader asks for ``1 D``/``2 D``:
IB counts ``D`` in trading sessions, so "1 D" ending at midnight can start
at the last session's open and miss the hours before it.
"""
from __future__ import annotations

import calendar
import datetime as _dt
from typing import NamedTuple

from ..dataseries import TimeFrame

__all__ = ('HistRequest', 'bar_size', 'bar_seconds', 'max_duration', 'durations_for',
           'add_duration', 'sub_duration', 'plan_requests', 'format_end', 'add_months')

UTC = _dt.timezone.utc

Duration = tuple  # (count, unit) with unit in 'SDWMY'

_S_DURATIONS = (60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 28800)
_LONG = ((1, 'D'), (2, 'D'), (1, 'W'), (2, 'W')) + tuple((m, 'M') for m in range(1, 12)) + \
    ((1, 'Y'),)
ALL_DURATIONS: tuple = tuple((s, 'S') for s in _S_DURATIONS) + _LONG

# (timeframe, compression) -> (IB bar size, longest duration per request)
_TABLE: dict = {
    (TimeFrame.Seconds, 1): ('1 secs', (1800, 'S')),
    (TimeFrame.Seconds, 5): ('5 secs', (7200, 'S')),
    (TimeFrame.Seconds, 10): ('10 secs', (10800, 'S')),
    (TimeFrame.Seconds, 15): ('15 secs', (14400, 'S')),
    (TimeFrame.Seconds, 30): ('30 secs', (28800, 'S')),
    (TimeFrame.Minutes, 1): ('1 min', (86400, 'S')),
    (TimeFrame.Minutes, 2): ('2 mins', (86400, 'S')),
    (TimeFrame.Minutes, 3): ('3 mins', (1, 'W')),
    (TimeFrame.Minutes, 5): ('5 mins', (1, 'W')),
    (TimeFrame.Minutes, 10): ('10 mins', (1, 'W')),
    (TimeFrame.Minutes, 15): ('15 mins', (2, 'W')),
    (TimeFrame.Minutes, 20): ('20 mins', (2, 'W')),
    (TimeFrame.Minutes, 30): ('30 mins', (1, 'M')),
    (TimeFrame.Minutes, 60): ('1 hour', (1, 'M')),
    (TimeFrame.Minutes, 120): ('2 hours', (1, 'M')),
    (TimeFrame.Minutes, 180): ('3 hours', (1, 'M')),
    (TimeFrame.Minutes, 240): ('4 hours', (1, 'M')),
    (TimeFrame.Minutes, 480): ('8 hours', (1, 'M')),
    (TimeFrame.Days, 1): ('1 day', (1, 'Y')),
    (TimeFrame.Weeks, 1): ('1 W', (1, 'Y')),
    (TimeFrame.Months, 1): ('1 M', (1, 'Y')),
}


class HistRequest(NamedTuple):
    """One reqHistoricalData: it ends at ``end`` (aware UTC) and spans ``duration``."""
    end: _dt.datetime
    duration: str
    barsize: str


def _key(timeframe: int, compression: int) -> tuple:
    key = (timeframe, compression)
    if key not in _TABLE:
        names = ', '.join(f'{TimeFrame.getname(t, c)}/{c}' for t, c in _TABLE)
        raise ValueError(f'IB has no historical bar size for timeframe '
                         f'{TimeFrame.getname(timeframe, compression)} compression {compression};'
                         f' supported: {names}')
    return key


def bar_size(timeframe: int, compression: int) -> str:
    """IB's barSizeSetting for a (timeframe, compression)."""
    return _TABLE[_key(timeframe, compression)][0]


def bar_seconds(timeframe: int, compression: int) -> int | None:
    """Length of an intraday bar in seconds; None for daily and longer bars."""
    if timeframe == TimeFrame.Seconds:
        return compression
    if timeframe == TimeFrame.Minutes:
        return 60 * compression
    return None


def max_duration(timeframe: int, compression: int) -> Duration:
    return _TABLE[_key(timeframe, compression)][1]


def durations_for(timeframe: int, compression: int) -> list:
    """The durations a request may use, shortest first."""
    longest = max_duration(timeframe, compression)
    secs = bar_seconds(timeframe, compression)
    if secs is not None:
        out = [(s, 'S') for s in _S_DURATIONS if s >= secs]
        if longest[1] == 'S':
            out = [d for d in out if d[0] < longest[0]] + [longest]
        else:
            out += [(86400, 'S')] + [d for d in _LONG if d[1] in 'WMY']
    else:
        shortest = {TimeFrame.Days: (1, 'D'), TimeFrame.Weeks: (1, 'W'),
                    TimeFrame.Months: (1, 'M')}[timeframe]
        out = list(_LONG[_LONG.index(shortest):])
    return out[:out.index(longest) + 1]


def add_months(dt: _dt.datetime, months: int) -> _dt.datetime:
    """``dt`` moved by whole months; the day is clamped (Jan 31 + 1 M = Feb 28/29)."""
    y, m = divmod(dt.month - 1 + months, 12)
    year, month = dt.year + y, m + 1
    day = min(dt.day, calendar.monthrange(year, month)[1])
    return dt.replace(year=year, month=month, day=day)


def add_duration(dt: _dt.datetime, duration: Duration, sign: int = 1) -> _dt.datetime:
    n, unit = duration
    n *= sign
    if unit == 'S':
        return dt + _dt.timedelta(seconds=n)
    if unit == 'D':
        return dt + _dt.timedelta(days=n)
    if unit == 'W':
        return dt + _dt.timedelta(weeks=n)
    if unit == 'M':
        return add_months(dt, n)
    if unit == 'Y':
        return add_months(dt, 12 * n)
    raise ValueError(f'unknown IB duration unit {unit!r}')


def sub_duration(dt: _dt.datetime, duration: Duration) -> _dt.datetime:
    return add_duration(dt, duration, -1)


def _utc(dt: _dt.datetime) -> _dt.datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def plan_requests(timeframe: int, compression: int, begin: _dt.datetime | None,
                  end: _dt.datetime) -> list:
    """The requests that fetch [begin, end], oldest first (naive times are UTC).

    No ``begin``: one request of the longest duration ending at ``end``.
    Otherwise the shortest duration that reaches back to ``begin`` if one
    does, else longest-duration steps forward from ``begin``.
    """
    barsize = bar_size(timeframe, compression)
    choices = durations_for(timeframe, compression)
    longest = choices[-1]
    end = _utc(end)
    if begin is None:
        return [HistRequest(end, fmt_duration(longest), barsize)]
    begin = _utc(begin)
    out = []
    while begin < end:
        for d in choices:
            if add_duration(begin, d) >= end:
                out.append(HistRequest(end, fmt_duration(d), barsize))
                return out
        step = add_duration(begin, longest)
        out.append(HistRequest(step, fmt_duration(longest), barsize))
        begin = step
    return out


def fmt_duration(duration: Duration) -> str:
    return f'{duration[0]} {duration[1]}'


def parse_duration(text: str) -> Duration:
    n, unit = text.split()
    return int(n), unit


def format_end(dt: _dt.datetime) -> str:
    """An end date as TWS wants it: UTC, ``yyyymmdd-hh:mm:ss`` (naive = UTC)."""
    return _utc(dt).strftime('%Y%m%d-%H:%M:%S')
