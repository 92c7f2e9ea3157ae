"""Trading sessions: when an instrument trades, in its exchange's time zone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY = 86400


@lru_cache(maxsize=None)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _hhmm(text: str) -> time | None:
    h, m = int(text[:2]), int(text[2:])
    return None if h == 24 else time(h, m)


@dataclass(frozen=True)
class Session:
    """One trading session: [start, end) in epoch seconds, and its trade date."""
    start: int
    end: int
    day: date


@dataclass(frozen=True)
class Hours:
    """Daily schedule like ``0930-1600``; an open after the close means the
    session starts the evening before (futures, FX)."""
    tz: str = "US/Eastern"
    trading: str = "0400-2000"
    liquid: str = "0930-1600"
    weekdays: str = "01234"          # trade dates (Mon=0) that have a session

    def session_on(self, day: date, rth: bool) -> Session | None:
        if str(day.weekday()) not in self.weekdays:
            return None
        spec = self.liquid if rth else self.trading
        lo, hi = spec.split("-")
        tz = zone(self.tz)
        t_open, t_close = _hhmm(lo), _hhmm(hi)
        close_day = day + timedelta(days=1) if t_close is None else day
        t_close = t_close or time(0, 0)
        open_day = day - timedelta(days=1) if t_open >= t_close and t_close != time(0, 0) else day
        start = datetime.combine(open_day, t_open, tz)
        end = datetime.combine(close_day, t_close, tz)
        return Session(int(start.timestamp()), int(end.timestamp()), day)

    def sessions(self, start: float, end: float, rth: bool) -> list[Session]:
        """Sessions overlapping [start, end), oldest first."""
        tz = zone(self.tz)
        first = datetime.fromtimestamp(start, tz).date() - timedelta(days=1)
        last = datetime.fromtimestamp(end, tz).date() + timedelta(days=1)
        out = []
        d = first
        while d <= last:
            s = self.session_on(d, rth)
            if s and s.end > start and s.start < end:
                out.append(s)
            d += timedelta(days=1)
        return out

    def session_at(self, t: float, rth: bool = False) -> Session | None:
        found = self.sessions(t, t + 1, rth)
        return found[0] if found and found[0].start <= t < found[0].end else None

    def describe(self, t: float, rth: bool, days: int = 7) -> str:
        """IB's tradingHours/liquidHours text for the days from ``t`` on."""
        tz = zone(self.tz)
        d0 = datetime.fromtimestamp(t, tz).date()
        parts = []
        for i in range(days):
            d = d0 + timedelta(days=i)
            s = self.session_on(d, rth)
            if s is None:
                parts.append(f"{d:%Y%m%d}:CLOSED")
            else:
                a = datetime.fromtimestamp(s.start, tz)
                b = datetime.fromtimestamp(s.end, tz)
                parts.append(f"{a:%Y%m%d:%H%M}-{b:%Y%m%d:%H%M}")
        return ";".join(parts)


ALWAYS = Hours("UTC", "0000-2400", "0000-2400", "0123456")


def utc_day(t: float) -> int:
    return int(t // DAY)


def fmt_utc(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y%m%d %H:%M:%S")
