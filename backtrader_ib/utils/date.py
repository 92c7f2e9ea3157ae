"""Float day numbers (days since 0001-01-01, plus one) and time zone helpers.

The number format is backtrader's (and old matplotlib's): the integer part is the
proleptic Gregorian ordinal, the fraction the time of day, always in UTC when a
zone is involved. ``date2num`` rounds exactly like a correctly rounded sum of
the day and its four time parts, so numbers are bit-identical to backtrader's.
"""
from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np

__all__ = ('num2date', 'num2dt', 'num2time', 'date2num', 'time2num',
           'dates2num', 'nums2dates', 'localize_nums', 'UTC', 'TZLocal', 'Localizer', 'tzparse',
           'TIME_MAX', 'TIME_MIN')

# Session end of a daily bar: a hair before midnight, so float rounding can
# never push the number into the next day.
TIME_MAX = _dt.time(23, 59, 59, 999990)
TIME_MIN = _dt.time.min

_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()
_CHUNK = 1 << 17


class _UTC(_dt.tzinfo):
    """A fixed UTC zone that also answers ``localize`` like pytz zones do."""

    def utcoffset(self, dt):
        return _dt.timedelta(0)

    def dst(self, dt):
        return _dt.timedelta(0)

    def tzname(self, dt):
        return 'UTC'

    def localize(self, dt):
        return dt.replace(tzinfo=self)

    def __repr__(self):
        return 'UTC'


UTC = _UTC()


class _LocalTimezone(_dt.tzinfo):
    """The machine's local zone (used when a feed asks for it explicitly)."""

    def _local(self, dt):
        stamp = (dt.replace(tzinfo=None) - _dt.datetime(1970, 1, 1)).total_seconds()
        return _dt.datetime.fromtimestamp(stamp).astimezone()

    def utcoffset(self, dt):
        return self._local(dt).utcoffset()

    def dst(self, dt):
        return self._local(dt).dst() or _dt.timedelta(0)

    def tzname(self, dt):
        return self._local(dt).tzname()

    def localize(self, dt):
        return dt.replace(tzinfo=self)


TZLocal = _LocalTimezone()


def Localizer(tz: Any) -> Any:
    """Give ``tz`` a ``localize`` method if it lacks one (zoneinfo, fixed zones)."""
    if tz is not None and not hasattr(tz, 'localize'):
        try:
            tz.localize = lambda dt, _tz=tz: dt.replace(tzinfo=_tz)
        except (AttributeError, TypeError):
            # zoneinfo objects refuse new attributes: wrap them instead
            return _ZoneWrapper(tz)
    return tz


class _ZoneWrapper(_dt.tzinfo):
    """A tzinfo proxy adding ``localize`` to zones that reject attributes."""

    def __init__(self, tz):
        self.zone = tz

    def utcoffset(self, dt):
        return self.zone.utcoffset(dt.replace(tzinfo=None))

    def dst(self, dt):
        return self.zone.dst(dt.replace(tzinfo=None))

    def tzname(self, dt):
        return self.zone.tzname(dt.replace(tzinfo=None))

    def localize(self, dt):
        return dt.replace(tzinfo=self.zone)

    def fromutc(self, dt):
        # the zone's own conversion (exact in the repeated hour of autumn)
        return self.zone.fromutc(dt.replace(tzinfo=self.zone))

    def __repr__(self):
        return repr(self.zone)


# Abbreviations people write for a market's zone, and the zone they mean.
# pytz knows 'EST' and 'MST' as fixed offsets without daylight saving (an hour
# wrong half the year in New York or Denver): those are refused, not guessed.
_ABBREVIATIONS = {
    'EST': 'America/New_York', 'EDT': 'America/New_York',
    'CDT': 'America/Chicago', 'MST': 'America/Denver (or America/Phoenix)',
    'MDT': 'America/Denver', 'PST': 'America/Los_Angeles', 'PDT': 'America/Los_Angeles',
    'BST': 'Europe/London', 'CEST': 'Europe/Berlin', 'EEST': 'Europe/Athens',
    'JST': 'Asia/Tokyo', 'HKT': 'Asia/Hong_Kong', 'SGT': 'Asia/Singapore',
    'AEST': 'Australia/Sydney', 'AEDT': 'Australia/Sydney', 'IST': 'Asia/Kolkata',
}
_FIXED_ABBREVIATIONS = {'EST', 'MST'}


def tzparse(tz: Any) -> Any:
    """Turn a zone name into a zone object (``None`` and objects pass through).

    Names are IANA names (``'America/New_York'``); ``'CST'`` means US Central
    as in backtrader. ``'EST'``/``'MST'`` and other abbreviations raise
    ``ValueError`` naming the zone to use instead.
    """
    if tz is None or not isinstance(tz, str):
        return Localizer(tz)
    import pytz
    name = 'CST6CDT' if tz == 'CST' else tz
    hint = _ABBREVIATIONS.get(tz.strip().upper())
    if tz.strip().upper() in _FIXED_ABBREVIATIONS:
        raise ValueError(f'time zone {tz!r} is a fixed offset without daylight saving; '
                         f'use the market\'s zone, e.g. {hint!r} (or \'Etc/GMT+5\'-style '
                         'names if a fixed offset is really meant)')
    try:
        return pytz.timezone(name)
    except pytz.UnknownTimeZoneError:
        more = f'; did you mean {hint!r}?' if hint else ' (use an IANA name such as \'Europe/Berlin\')'
        raise ValueError(f'unknown time zone {tz!r}{more}') from None


def time2num(tm: _dt.time | _dt.datetime) -> float:
    """The fraction of a day of ``tm``'s time part."""
    return (tm.hour / 24.0 + tm.minute / 1440.0 + tm.second / 86400.0
            + tm.microsecond / 86400000000.0)


def date2num(dt: _dt.date | _dt.datetime, tz: Any = None) -> float:
    """Days since 0001-01-01 (+1) as a float; aware datetimes are taken to UTC."""
    if tz is not None:
        dt = tz.localize(dt)
    tzinfo = getattr(dt, 'tzinfo', None)
    if tzinfo is not None:
        delta = tzinfo.utcoffset(dt)
        if delta is not None:
            dt = dt - delta
    base = float(dt.toordinal())
    if not hasattr(dt, 'hour'):
        return base
    return math.fsum((base, dt.hour / 24.0, dt.minute / 1440.0,
                      dt.second / 86400.0, dt.microsecond / 86400000000.0))


def num2date(x: float, tz: Any = None, naive: bool = True) -> _dt.datetime:
    """The datetime of a day number; in ``tz`` (naive unless ``naive=False``)."""
    ix = int(x)
    day = _dt.datetime.fromordinal(ix)
    rem = float(x) - ix
    if not rem and tz is None:  # a whole day (daily bars): midnight
        return day
    hour, rem = divmod(24.0 * rem, 1)
    minute, rem = divmod(60.0 * rem, 1)
    second, rem = divmod(60.0 * rem, 1)
    micro = int(1e6 * rem)
    if micro < 10:
        micro = 0  # float noise just past a whole second
    out = _dt.datetime(day.year, day.month, day.day, int(hour), int(minute),
                       int(second), micro)
    if tz is not None:
        out = out.replace(tzinfo=UTC).astimezone(tz)
        if naive:
            out = out.replace(tzinfo=None)
    if micro > 999990:
        # float noise just short of a whole second
        out += _dt.timedelta(microseconds=1e6 - micro)
    return out


def num2dt(num: float, tz: Any = None, naive: bool = True) -> _dt.date:
    return num2date(num, tz=tz, naive=naive).date()


def num2time(num: float, tz: Any = None, naive: bool = True) -> _dt.time:
    return num2date(num, tz=tz, naive=naive).time()


def dates2num(values: Any, _memo: dict | None = None) -> np.ndarray:
    """Vectorised :func:`date2num` for naive (UTC or local wall-clock) datetimes.

    Accepts anything ``numpy.asarray(..., 'datetime64[us]')`` understands and
    returns numbers identical to calling :func:`date2num` element by element.
    """
    stamps = np.asarray(values, dtype='datetime64[us]')
    if stamps.ndim == 1 and len(stamps) > _CHUNK:
        # bound the temporaries on long series: convert in slices (sharing
        # the per-time-of-day offsets: every slice of ticks has most of them)
        out = np.empty(len(stamps))
        memo: dict = {}
        for k in range(0, len(stamps), _CHUNK):
            out[k:k + _CHUNK] = dates2num(stamps[k:k + _CHUNK], memo)
        return out
    us = stamps.astype(np.int64)
    days, tod = np.divmod(us, 86400000000)
    base = (days + (_EPOCH_ORDINAL)).astype(np.float64)
    if not tod.any():
        return base
    # A correctly rounded sum base + parts equals base + r where r depends only
    # on the time of day and the binary exponent of base (base is a whole
    # number, so its last mantissa bit is even). Compute r once per distinct
    # (time of day, exponent) pair with math.fsum.
    exps = np.frexp(base)[1]
    keys = tod * 64 + exps
    uniq, inverse = np.unique(keys, return_inverse=True)
    # the offsets known from earlier slices (sorted keys), the others computed
    memo = {} if _memo is None else _memo
    known = memo.get('keys', np.empty(0, dtype=np.int64))
    knownoffs = memo.get('offs', np.empty(0))
    pos = np.searchsorted(known, uniq)
    hit = pos < len(known)
    hit[hit] = known[pos[hit]] == uniq[hit]
    offsets = np.empty(len(uniq))
    offsets[hit] = knownoffs[pos[hit]]
    miss = np.flatnonzero(~hit)
    new = np.empty(len(miss))
    for i, key in enumerate(uniq[miss].tolist()):
        t, e = divmod(key, 64)
        b0 = math.ldexp(0.5, e)  # smallest number with this exponent
        h, rest = divmod(t, 3600000000)
        m, rest = divmod(rest, 60000000)
        s, u = divmod(rest, 1000000)
        new[i] = math.fsum((b0, h / 24.0, m / 1440.0, s / 86400.0,
                            u / 86400000000.0)) - b0
    offsets[miss] = new
    if _memo is not None and len(miss):
        keys = np.concatenate((known, uniq[miss]))
        order = np.argsort(keys, kind='stable')
        memo['keys'], memo['offs'] = keys[order], np.concatenate((knownoffs, new))[order]
    return base + offsets[inverse.reshape(-1)]


def nums2dates(nums: Any) -> np.ndarray:
    """Vectorised :func:`num2date` (naive): ``datetime64[us]``, same rounding."""
    x = np.asarray(nums, dtype=np.float64)
    ix = np.floor(x)
    rem = x - ix
    hour, rem = np.divmod(24.0 * rem, 1)
    minute, rem = np.divmod(60.0 * rem, 1)
    second, rem = np.divmod(60.0 * rem, 1)
    micro = (1e6 * rem).astype(np.int64)  # int() truncates, as astype does
    micro[micro < 10] = 0                 # float noise just past a second
    us = ((ix.astype(np.int64) - _EPOCH_ORDINAL) * 86400000000
          + ((hour.astype(np.int64) * 60 + minute.astype(np.int64)) * 60
             + second.astype(np.int64)) * 1000000 + micro)
    late = micro > 999990                  # float noise just short of a second
    us[late] += 1000000 - micro[late]
    return us.astype('datetime64[us]')


def localize_nums(nums: np.ndarray, tz: Any) -> np.ndarray:
    """Day numbers read as wall-clock time in ``tz``, returned as UTC day numbers.

    Equal to ``date2num(tz.localize(num2date(x)))`` for every value; the zone
    is asked once per distinct hour (and per value only in an hour where its
    offset changes, at a daylight-saving switch).
    """
    stamps = nums2dates(nums)
    hours = stamps.astype('datetime64[h]')
    uniq, inverse = np.unique(hours, return_inverse=True)
    offsets = np.empty(len(uniq), dtype=np.int64)
    mixed = np.zeros(len(uniq), dtype=bool)
    for k, h in enumerate(uniq.tolist()):
        first = tz.localize(h).utcoffset()
        last = tz.localize(h + _dt.timedelta(minutes=59, seconds=59)).utcoffset()
        offsets[k] = first // _dt.timedelta(microseconds=1)
        mixed[k] = first != last
    inverse = inverse.reshape(-1)
    utc = stamps.astype(np.int64) - offsets[inverse]
    for i in np.flatnonzero(mixed[inverse]).tolist():
        local = stamps[i].astype(_dt.datetime)
        utc[i] = (stamps[i].astype(np.int64)
                  - tz.localize(local).utcoffset() // _dt.timedelta(microseconds=1))
    return dates2num(utc.astype('datetime64[us]'))
