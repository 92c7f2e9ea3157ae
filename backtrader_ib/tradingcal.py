"""Trading calendars: which days a market trades and its session times.

Feeds use a calendar (``data.p.calendar`` or ``cerebro.addcalendar``) to find
the end of the current session (``schedule``) and, when resampling to weeks,
months or years, whether a day is the last trading day of the period, so the
bar is delivered on that day instead of waiting for the next period's first.
"""
from __future__ import annotations

import bisect
import datetime
from typing import Any

from .metabase import ParamsBase
from .utils.date import TIME_MAX, UTC

__all__ = ('TradingCalendarBase', 'TradingCalendar', 'PandasMarketCalendar',
           'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY',
           'ISONODAY', 'ISOMONDAY', 'ISOTUESDAY', 'ISOWEDNESDAY', 'ISOTHURSDAY',
           'ISOFRIDAY', 'ISOSATURDAY', 'ISOSUNDAY', 'WEEKEND', 'ISOWEEKEND', 'ONEDAY')

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
(ISONODAY, ISOMONDAY, ISOTUESDAY, ISOWEDNESDAY, ISOTHURSDAY, ISOFRIDAY,
 ISOSATURDAY, ISOSUNDAY) = range(8)
WEEKEND = [SATURDAY, SUNDAY]
ISOWEEKEND = [ISOSATURDAY, ISOSUNDAY]
ONEDAY = datetime.timedelta(days=1)


def _as_date(value: Any, what: str) -> datetime.date:
    """A date from a date, datetime or pandas Timestamp; anything else is an error."""
    if isinstance(value, datetime.datetime) or hasattr(value, 'to_pydatetime'):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raise ValueError(f'{what}: {value!r} is not a date')


def _day(day: Any) -> datetime.date:
    return day.date() if isinstance(day, datetime.datetime) else day


class TradingCalendarBase(ParamsBase):
    """What a calendar answers; subclasses give ``_nextday`` and ``schedule``."""

    def _nextday(self, day):
        """(the next trading day after ``day``, its ISO calendar tuple)."""
        raise NotImplementedError

    def schedule(self, day: datetime.datetime, tz: Any = None) -> tuple:
        """(open, close) as naive UTC datetimes of the first session whose
        close is not before ``day`` (a naive UTC datetime)."""
        raise NotImplementedError

    def nextday(self, day):
        return self._nextday(day)[0]

    def nextday_week(self, day) -> int:
        """The ISO week number of the next trading day."""
        return self._nextday(day)[1][1]

    def last_weekday(self, day) -> bool:
        """True if ``day`` is the last trading day of its week."""
        return day.isocalendar()[1] != self._nextday(day)[1][1]

    def last_monthday(self, day) -> bool:
        """True if ``day`` is the last trading day of its month."""
        return day.month != self._nextday(day)[0].month

    def last_yearday(self, day) -> bool:
        """True if ``day`` is the last trading day of its year."""
        return day.year != self._nextday(day)[0].year


class TradingCalendar(TradingCalendarBase):
    """A calendar from rules: regular ``open``/``close`` times (local to the
    feed's ``tz``), ``holidays`` (dates), ``earlydays`` ((date, open, close)
    tuples) and ``offdays`` (ISO weekdays without trading, Saturday and
    Sunday by default)."""

    params = (
        ('open', datetime.time.min),
        ('close', TIME_MAX),
        ('holidays', []),
        ('earlydays', []),
        ('offdays', ISOWEEKEND),
    )

    def __init__(self):
        p = self.p
        for name in ('open', 'close'):
            if not isinstance(getattr(p, name), datetime.time):
                raise ValueError(f'TradingCalendar: {name}={getattr(p, name)!r} is not a '
                                 'datetime.time')
        bad = [d for d in p.offdays if not isinstance(d, int) or not 1 <= d <= 7]
        if bad or len(set(p.offdays)) == 7:
            raise ValueError(f'TradingCalendar: offdays={list(p.offdays)!r} must be ISO '
                             'weekdays 1 (Monday) .. 7 (Sunday), leaving at least one trading day')
        self._holidays = {_as_date(d, 'TradingCalendar holidays') for d in p.holidays}
        self._early = {}
        for entry in p.earlydays:
            try:
                day, opening, closing = entry
            except (TypeError, ValueError):
                raise ValueError(f'TradingCalendar earlydays: {entry!r} is not a '
                                 '(date, open time, close time) tuple') from None
            self._early[_as_date(day, 'TradingCalendar earlydays')] = (opening, closing)

    def _nextday(self, day):
        while True:
            day += ONEDAY
            if self._trades(_day(day)):
                return day, day.isocalendar()

    def _trades(self, date: datetime.date) -> bool:
        return date.isoweekday() not in self.p.offdays and date not in self._holidays

    def schedule(self, day: datetime.datetime, tz: Any = None) -> tuple:
        while not self._trades(day.date()):
            day += ONEDAY
        while True:
            date = day.date()
            opening, closing = self._early.get(date, (self.p.open, self.p.close))
            close = self._utc(datetime.datetime.combine(date, closing), tz)
            if day <= close:
                return self._utc(datetime.datetime.combine(date, opening), tz), close
            # past this session's close: the next trading day's session (from
            # its start: backtrader keeps the time and loops forever when the
            # time is past every day's close)
            day = datetime.datetime.combine(self._nextday(date)[0], datetime.time.min)

    @staticmethod
    def _utc(local: datetime.datetime, tz: Any) -> datetime.datetime:
        if tz is None:
            return local
        return tz.localize(local).astimezone(UTC).replace(tzinfo=None)


class PandasMarketCalendar(TradingCalendarBase):
    """A calendar of the ``pandas_market_calendars`` package: ``calendar`` is
    an exchange name (``'NYSE'``) or a calendar object; ``cachesize`` days of
    it are fetched at a time."""

    params = (
        ('calendar', None),
        ('cachesize', 365),
    )

    def __init__(self):
        cal = self.p.calendar
        if cal is None or isinstance(cal, str):
            try:
                import pandas_market_calendars as mcal
            except ImportError:
                raise ImportError('PandasMarketCalendar needs the pandas_market_calendars '
                                  'package (pip install pandas_market_calendars)') from None
            if cal is None:
                raise ValueError('PandasMarketCalendar: give calendar= an exchange name '
                                 "(e.g. 'NYSE') or a pandas_market_calendars calendar")
            try:
                cal = mcal.get_calendar(cal)
            except RuntimeError:
                raise ValueError(f'PandasMarketCalendar: unknown calendar {self.p.calendar!r} '
                                 '(pandas_market_calendars.get_calendar_names() lists them)'
                                 ) from None
        self._calendar = cal
        self._span = datetime.timedelta(days=max(int(self.p.cachesize), 7))
        # the cached sessions: dates, UTC opens and closes (naive), sorted
        self._dates: list = []
        self._opens: list = []
        self._closes: list = []
        self._upto = None  # last date the cache covers

    def _fill(self, start: datetime.date) -> None:
        """Cache the sessions from ``start`` for ``cachesize`` days (or longer
        until one is found)."""
        span = self._span
        for _ in range(10):
            end = start + span
            sched = self._calendar.schedule(start_date=start.isoformat(),
                                            end_date=end.isoformat())
            if len(sched):
                break
            span *= 2
        else:
            raise ValueError(f'PandasMarketCalendar {self._calendar.name!r}: no trading day '
                             f'from {start} to {end}')

        def naive(col):
            values = sched[col]
            if values.dt.tz is not None:
                values = values.dt.tz_convert('UTC').dt.tz_localize(None)
            return [v.to_pydatetime() for v in values]
        self._dates = [d.date() for d in sched.index]
        self._opens = naive('market_open')
        self._closes = naive('market_close')
        self._upto = end

    def _index(self, date: datetime.date) -> int:
        """Position in the cache of the first session on or after ``date``."""
        if self._upto is None or not self._dates or not (self._dates[0] <= date <= self._upto):
            self._fill(date)
        i = bisect.bisect_left(self._dates, date)
        if i == len(self._dates):  # no session between date and the cache end
            self._fill(self._upto + ONEDAY)
            return 0
        return i

    def _nextday(self, day):
        date = _day(day) + ONEDAY
        i = self._index(date)  # may refill the cache: index it afterwards
        out = datetime.datetime.combine(self._dates[i], datetime.time.min)
        return out, out.isocalendar()

    def schedule(self, day: datetime.datetime, tz: Any = None) -> tuple:
        date = day.date()
        while True:
            i = self._index(date)
            if day <= self._closes[i]:
                return self._opens[i], self._closes[i]
            date = self._dates[i] + ONEDAY
