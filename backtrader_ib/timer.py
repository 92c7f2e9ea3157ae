"""Timers (``add_timer``): call ``notify_timer`` at a time of day.

A timer fires at most once a day at ``when`` (plus ``offset``), then every
``repeat`` until the session ends. ``weekdays``/``monthdays`` restrict the
days; with ``weekcarry``/``monthcarry`` a listed day that had no bar (a
holiday) fires on the next day that has one. ``allow(date)`` can veto a day.

Times are wall-clock times of ``tzdata``: a data feed (its ``tz``), a time
zone (name or object) or None (UTC, as the bars' day numbers). The day a bar
belongs to is its date in that zone.
"""
from __future__ import annotations

import bisect
import datetime
from .feed import AbstractDataBase
from .metabase import ParamsBase
from .utils.date import TIME_MAX, UTC, date2num, num2date, tzparse

__all__ = ('SESSION_TIME', 'SESSION_START', 'SESSION_END', 'Timer')

SESSION_TIME, SESSION_START, SESSION_END = range(3)


class _DayMask:
    """The listed days (of a week or a month) still to come in the current
    period; answers whether a day fires (listed, or carrying a missed one)."""

    def __init__(self, days, carry: bool):
        self.days = sorted(days)
        self.carry = carry
        self.period = None
        self.pending: list = []

    def hit(self, period, day: int) -> bool:
        if not self.days:
            return True
        carried = False
        if period != self.period:
            # days of the previous period never reached (no bar) carry over
            carried = self.carry and bool(self.pending)
            self.period = period
            self.pending = list(self.days)
        pending = self.pending
        missed = bisect.bisect_left(pending, day)      # listed days already gone
        listed = missed < len(pending) and pending[missed] == day
        del pending[:missed + listed]
        return listed or (self.carry and (carried or missed > 0))


class Timer(ParamsBase):
    """One timer; built by ``Cerebro.add_timer`` / ``Strategy.add_timer``."""

    params = (
        ('tid', None),
        ('owner', None),
        ('strats', False),
        ('when', None),
        ('offset', datetime.timedelta()),
        ('repeat', datetime.timedelta()),
        ('weekdays', []),
        ('weekcarry', False),
        ('monthdays', []),
        ('monthcarry', True),
        ('allow', None),
        ('tzdata', None),
        ('cheat', False),
    )

    SESSION_TIME, SESSION_START, SESSION_END = SESSION_TIME, SESSION_START, SESSION_END

    def __init__(self, *args, **kwargs):
        self.args = args
        self.kwargs = kwargs
        self.lastwhen = None
        when = self.p.when
        if isinstance(when, datetime.datetime):
            self.p.when = when.time()
        elif not isinstance(when, datetime.time) and when not in (SESSION_START, SESSION_END):
            raise ValueError(f'add_timer: when={when!r} is neither a datetime.time nor '
                             'SESSION_START / SESSION_END')
        for name in ('offset', 'repeat'):
            if not isinstance(getattr(self.p, name), datetime.timedelta):
                raise ValueError(f'add_timer: {name}={getattr(self.p, name)!r} is not a '
                                 'datetime.timedelta')
        for name, lo, hi in (('weekdays', 1, 7), ('monthdays', 1, 31)):
            bad = [d for d in getattr(self.p, name) if not isinstance(d, int) or not lo <= d <= hi]
            if bad:
                raise ValueError(f'add_timer: {name} must be whole numbers {lo}..{hi}; got {bad}')

    # -- life cycle --------------------------------------------------------
    def start(self, data) -> None:
        """Reset for a run; ``data`` is the system's first data feed."""
        p = self.p
        tzdata = p.tzdata
        if isinstance(p.when, datetime.time):
            self._when = p.when
        else:
            tzdata = data if tzdata is None else tzdata
            if not isinstance(tzdata, AbstractDataBase):
                raise ValueError('add_timer: SESSION_START/SESSION_END need a data feed as '
                                 f'tzdata (its session times), got {tzdata!r}')
            self._when = tzdata.p.sessionstart if p.when == SESSION_START else tzdata.p.sessionend
        self._data = tzdata if isinstance(tzdata, AbstractDataBase) else None
        self._tz = None if self._data is not None else tzparse(tzdata)
        self._weeks = _DayMask(p.weekdays, p.weekcarry)
        self._months = _DayMask(p.monthdays, p.monthcarry)
        self._eos = datetime.datetime.min   # UTC end of the current session
        self._day = datetime.date.min       # last day seen
        self._done = None                   # the day with no more calls to make
        self._next = None                   # (local datetime, day number) of the next call

    # -- conversions between day numbers and the timer's wall clock ---------
    def _local(self, dt: float) -> datetime.datetime:
        if self._data is not None:
            return self._data.num2date(dt)
        return num2date(dt, self._tz)

    def _num(self, local: datetime.datetime) -> float:
        if self._data is not None:
            return self._data.date2num(local)
        return date2num(local, tz=self._tz)

    def _utc(self, local: datetime.datetime) -> datetime.datetime:
        tz = self._data._tz if self._data is not None else self._tz
        if tz is None:
            return local
        return tz.localize(local).astimezone(UTC).replace(tzinfo=None)

    def _session_end(self, day: datetime.date) -> datetime.datetime:
        """UTC end of the session the current bar is in."""
        if self._data is not None:
            return self._data._getnexteos()[0]
        return self._utc(datetime.datetime.combine(day, TIME_MAX))

    # -- the check made on every bar ----------------------------------------
    def check(self, dt: float) -> bool:
        """True if the timer fires on the bar at day number ``dt``."""
        utc = num2date(dt)
        day = self._local(dt).date()
        if day == self._done:
            return False
        if utc > self._eos:  # a new session: start from ``when`` again
            self._eos = self._session_end(day)
            self._next = None
            self._done = None
        if day > self._day:
            self._day = day
            p = self.p
            year, week, wkday = day.isocalendar()
            ok = (self._months.hit((day.year, day.month), day.day)
                  and self._weeks.hit((year, week), wkday)
                  and (p.allow is None or p.allow(day)))
            if not ok:
                self._done, self._next = day, None
                return False
        if self._next is None:
            local = datetime.datetime.combine(day, self._when) + self.p.offset
            self._next = (local, self._num(local))
        local, num = self._next
        if dt < num:
            return False
        self.lastwhen = local
        self._schedule_repeat(day, utc, local)
        return True

    def _schedule_repeat(self, day: datetime.date, utc: datetime.datetime,
                         local: datetime.datetime) -> None:
        repeat = self.p.repeat
        if not repeat:
            self._done, self._next = day, None
            return
        if utc > self._eos:
            self._eos = self._session_end(day)
        while True:
            local += repeat
            if self._utc(local) > self._eos:  # past the session: done today
                self._done, self._next = day, None
                return
            if self._utc(local) > utc:
                num = self._num(local)
                # the local time read back from its day number, as the bars'
                self._next = (self._local(num), num)
                return

