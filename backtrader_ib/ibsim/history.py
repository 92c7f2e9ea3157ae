"""Historical bars and ticks, IB's request syntax, and HMDS pacing."""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import numpy as np

from .catalog import Instrument
from .hours import Hours, Session, zone
from .prices import Quotes
from .protocol import BadRequest

BAR_SIZES = {
    "1 secs": 1, "5 secs": 5, "10 secs": 10, "15 secs": 15, "30 secs": 30,
    "1 min": 60, "2 mins": 120, "3 mins": 180, "5 mins": 300, "10 mins": 600,
    "15 mins": 900, "20 mins": 1200, "30 mins": 1800, "1 hour": 3600,
    "2 hours": 7200, "3 hours": 10800, "4 hours": 14400, "8 hours": 28800,
    "1 day": 86400, "1 week": 7 * 86400, "1 month": 30 * 86400,
}
WHAT_TO_SHOW = ("TRADES", "MIDPOINT", "BID", "ASK", "BID_ASK", "ADJUSTED_LAST")
HMDS = "Historical Market Data Service error message:"
INVALID_END = ("End Date/Time: The date, time, or time-zone entered is invalid. The correct "
               "format is yyyymmdd hh:mm:ss xx/xxxx where yyyymmdd and xx/xxxx are optional. "
               "E.g.: 20031126 15:59:00 US/Eastern  Note that there is a space between the date "
               "and time, and between the time and time-zone.  If no date is specified, current "
               "date is assumed. If no time-zone is specified, local time-zone is assumed"
               "(deprecated).  You can also provide yyyymmddd-hh:mm:ss time is in UTC. Note that "
               "there is a dash between the date and time in UTC notation.")
_ABBREV = {"EST": "US/Eastern", "EDT": "US/Eastern", "CST": "US/Central", "CDT": "US/Central",
           "PST": "US/Pacific", "PDT": "US/Pacific", "GMT": "UTC", "UTC": "UTC", "MET": "MET",
           "CET": "CET", "JST": "Asia/Tokyo", "HKT": "Asia/Hong_Kong"}


def parse_end(text: str, now: float, tz: str, req_id: int) -> float:
    """endDateTime as IB accepts it; '' means now. Error 10314 otherwise."""
    text = text.strip()
    if not text:
        return now
    m = re.fullmatch(r"(\d{8})-(\d\d):(\d\d):(\d\d)", text)
    if m:
        return _at(m.group(1), m.group(2, 3, 4), "UTC", req_id)
    m = re.fullmatch(r"(\d{8})?\s*(?:(\d\d):(\d\d):(\d\d))?(?:\s+(\S+))?", text)
    if not m or not (m.group(1) or m.group(2)):
        raise BadRequest(req_id, 10314, INVALID_END)
    day = m.group(1) or datetime.fromtimestamp(now, zone(tz)).strftime("%Y%m%d")
    hms = m.group(2, 3, 4) if m.group(2) else ("23", "59", "59")
    return _at(day, hms, m.group(5) or tz, req_id)


def _at(day: str, hms, tzname: str, req_id: int) -> float:
    try:
        tz = zone(_ABBREV.get(tzname, tzname))
        d = datetime.strptime(day + "".join(hms), "%Y%m%d%H%M%S")
    except Exception:
        raise BadRequest(req_id, 10314, INVALID_END) from None
    return d.replace(tzinfo=tz).timestamp()


def parse_duration(text: str, req_id: int) -> tuple[int, str]:
    m = re.fullmatch(r"\s*(\d+)\s+([SDWMY])\s*", text.upper())
    if not m or int(m.group(1)) <= 0:
        raise BadRequest(req_id, 321, "Error validating request.-'bX' : cause - Historical data "
                         f"query duration is invalid: {text!r}")
    return int(m.group(1)), m.group(2)


def bar_seconds(text: str, req_id: int) -> int:
    size = BAR_SIZES.get(" ".join(text.split()).lower().replace("sec ", "secs ").replace("min ", "mins "))
    size = size or BAR_SIZES.get(" ".join(text.split()).lower())
    if size is None:
        raise BadRequest(req_id, 321, "Error validating request.-'bP' : cause - Historical data "
                         f"bar size setting is invalid: {text!r}")
    return size


@dataclass
class Bar:
    start: int                 # epoch seconds, or a session date's epoch for daily bars
    open: float
    high: float
    low: float
    close: float
    volume: float
    wap: float
    count: int
    day: date | None = None    # set for daily and longer bars


@dataclass
class BarSpec:
    """What a bar request asks for, once parsed."""
    inst: Instrument
    seconds: int
    what: str
    rth: bool
    format_date: int = 1

    @property
    def daily(self) -> bool:
        return self.seconds >= 86400


def _series(q: Quotes, what: str, start: int, end: int):
    """(price-open, high, low, close, weight) series for a whatToShow."""
    a = q.arrays(start, end)
    if what in ("TRADES", "ADJUSTED_LAST"):
        p = a["last"]
        return a["t"], p, p, p, p, a["volume"]
    if what == "MIDPOINT":
        p = np.round((a["bid"] + a["ask"]) / 2, 10)
        return a["t"], p, p, p, p, None
    if what in ("BID", "ASK"):
        p = a[what.lower()]
        return a["t"], p, p, p, p, None
    # BID_ASK: time-average bid, max ask, min bid, time-average ask
    return a["t"], a["bid"], a["ask"], a["bid"], a["ask"], None


def make_bars(q: Quotes, spec: BarSpec, start: float, end: float, tz: str) -> list[Bar]:
    """Bars whose start lies in [start, end), built from the per-second path,
    inside the instrument's sessions; the bar holding ``end`` stops at ``end``."""
    hours: Hours = spec.inst.hours
    sessions = [s for s in hours.sessions(start, end, spec.rth)]
    if spec.daily:
        groups: list[tuple[int, int, date]] = []
        for s in sessions:
            if s.start >= end:
                continue
            key = _period_key(s.day, spec.seconds)
            if groups and _period_key(groups[-1][2], spec.seconds) == key:
                groups[-1] = (groups[-1][0], min(s.end, int(end)), groups[-1][2])
            else:
                groups.append((s.start, min(s.end, int(end)), s.day))
        groups = [g for g in groups if g[1] > start or g[2] >= datetime.fromtimestamp(start, zone(hours.tz)).date()]
        out = []
        for a, b, d in groups:
            # a week/month bar spans several sessions; aggregate each session
            parts = [_session_bar(q, spec.what, s, end) for s in sessions if a <= s.start < b]
            parts = [p for p in parts if p is not None]
            if parts:
                out.append(_merge(parts, a, d, spec.what))
        return out
    bars = []
    local = zone(tz)
    for s in sessions:
        lo, hi = max(s.start, int(start)), min(s.end, int(np.ceil(end)))
        if lo >= hi:
            continue
        # bars are aligned to multiples of their size from local midnight
        midnight = datetime.fromtimestamp(lo, local).replace(hour=0, minute=0, second=0)
        m0 = int(midnight.timestamp())
        b = m0 + (lo - m0) // spec.seconds * spec.seconds
        while b < hi:
            a_, z = max(b, s.start), min(b + spec.seconds, s.end, hi)
            if a_ >= int(start) or b >= start:
                bar = _aggregate(q, spec.what, a_, z)
                if bar:
                    bar.start = a_
                    bars.append(bar)
            b += spec.seconds
    return bars


def _session_bar(q: Quotes, what: str, s: Session, end: float) -> Bar | None:
    """One session's bar; complete sessions are cached on the Quotes object."""
    if s.end > end:
        return _aggregate(q, what, s.start, int(end))
    key = (what, s.start, s.end)
    if key not in q.cache:
        q.cache[key] = _aggregate(q, what, s.start, s.end)
    return q.cache[key]


def _period_key(d: date, seconds: int):
    if seconds >= 28 * 86400:
        return (d.year, d.month)
    if seconds >= 7 * 86400:
        return d.isocalendar()[:2]
    return d


def _aggregate(q: Quotes, what: str, a: int, b: int) -> Bar | None:
    if b <= a:
        return None
    t, po, ph, pl, pc, w = _series(q, what, a, b)
    ok = ~np.isnan(po) & ~np.isnan(pc)
    if not ok.any():
        return None
    po, ph, pl, pc = po[ok], ph[ok], pl[ok], pc[ok]
    if what == "BID_ASK":
        o, c = float(np.round(po.mean(), 10)), float(np.round(pc.mean(), 10))
    else:
        o, c = float(po[0]), float(pc[-1])
    if w is None:
        return Bar(a, o, float(ph.max()), float(pl.min()), c, -1.0, -1.0, -1)
    w = w[ok]
    vol = float(w.sum())
    wap = float(np.round((po * w).sum() / vol, 6)) if vol > 0 else float(po.mean())
    return Bar(a, o, float(ph.max()), float(pl.min()), c, vol, wap, int((w > 0).sum()))


def _merge(parts: list[Bar], start: int, day: date, what: str) -> Bar:
    vol = sum(p.volume for p in parts) if parts[0].volume >= 0 else -1.0
    if vol > 0:
        wap = round(sum(p.wap * p.volume for p in parts) / vol, 6)
    else:
        wap = -1.0 if vol < 0 else parts[-1].close
    count = sum(p.count for p in parts) if parts[0].count >= 0 else -1
    return Bar(start, parts[0].open, max(p.high for p in parts), min(p.low for p in parts),
               parts[-1].close, vol, wap, count, day)


def range_start(hours: Hours, end: float, n: int, unit: str, rth: bool) -> float:
    """Start of a duration ending at ``end``; 'D' counts trading sessions."""
    if unit == "S":
        return end - n
    if unit == "D":
        sessions = [s for s in hours.sessions(end - (n + 10) * 1.6 * 86400, end, rth) if s.start < end]
        if not sessions:
            return end - n * 86400
        return sessions[-n].start if len(sessions) >= n else sessions[0].start
    if unit == "W":
        return end - n * 7 * 86400
    d = datetime.fromtimestamp(end, timezone.utc)
    months = n if unit == "M" else 12 * n
    y, m = divmod(d.month - 1 - months, 12)
    try:
        back = d.replace(year=d.year + y, month=m + 1)
    except ValueError:                  # e.g. 31 March minus one month
        back = d.replace(year=d.year + y, month=m + 1, day=28)
    return back.timestamp()


def max_span(bar: int) -> int:
    """Longest request for a small bar size ("Time length exceed max")."""
    return bar * 2000 if bar < 60 else 10**12


def format_bar_date(bar: Bar, format_date: int, tz: str) -> str:
    if bar.day is not None:
        return f"{bar.day:%Y%m%d}"
    return format_time(bar.start, format_date, tz)


def format_time(t: float, format_date: int, tz: str) -> str:
    if format_date == 2:
        return str(int(t))
    return datetime.fromtimestamp(t, zone(tz)).strftime("%Y%m%d %H:%M:%S ") + tz


@dataclass
class Pacing:
    """IB's historical data pacing rules, on the gateway clock.

    A violation is: six or more requests for one contract/exchange/whatToShow
    within 2 s; and for bars of 30 s or less (``small``) also an identical
    request within 15 s or more than 60 such requests within 10 minutes, as
    IB documents them. BID_ASK requests count twice."""
    enabled: bool = True
    _log: deque = field(default_factory=deque)     # (time, weight, contract key, full key, small)

    def check(self, now: float, contract_key: tuple, full_key: tuple, weight: int,
              small: bool = True) -> str | None:
        if not self.enabled:
            return None
        log = self._log
        while log and now - log[0][0] > 600:
            log.popleft()
        if small and any(k == full_key and now - t < 15 for t, _, _, k, _ in log):
            return "identical"
        recent = sum(w for t, w, ck, _, _ in log if ck == contract_key and now - t < 2)
        if recent + weight >= 6:
            return "same contract"
        if small and sum(e[1] for e in log if e[4]) + weight > 60:
            return "too many"
        log.append((now, weight, contract_key, full_key, small))
        return None

    def reset(self) -> None:
        self._log.clear()


def _tick_table(q: Quotes, what: str, a: int, b: int) -> list[tuple]:
    """Every tick of [a, b), as the live tick-by-tick stream sends them: a
    trade each second with volume, a quote or midpoint when it changed from
    the second before (so a page starting mid-stream repeats nothing)."""
    lo = max(a - 1, 0)
    x = q.arrays(lo, b)
    t = x["t"]
    if what == "TRADES":
        keep = ~np.isnan(x["last"]) & (x["volume"] > 0)
        cols = (x["last"], x["volume"])
    else:
        if what == "BID_ASK":
            cols = (x["bid"], x["ask"], x["bid_size"], x["ask_size"])
        else:
            cols = (np.round((x["bid"] + x["ask"]) / 2, 10),)
        vals = np.column_stack(cols)
        changed = np.ones(len(t), dtype=bool)
        changed[1:] = (vals[1:] != vals[:-1]).any(axis=1)
        keep = ~np.isnan(cols[0]) & changed
    keep &= t >= a
    idx = np.flatnonzero(keep)
    rows = list(zip(t[idx].tolist(), *(c[idx].tolist() for c in cols)))
    if what == "TRADES" and q.prints > 1:
        rows = [r for row in rows for r in q.trade_prints(*row)]
    return rows


def tick_rows(q: Quotes, what: str, start: int, end: int, rth: bool, limit: int,
              from_end: bool) -> list[tuple]:
    """Historical ticks between [start, end): TRADES (t, price, size), BID_ASK
    (t, bid, ask, bid size, ask size) or MIDPOINT (t, mid) rows, oldest first;
    at most ``limit``, the first ones after ``start`` or the last before ``end``."""
    sessions = q.inst.hours.sessions(start, end, rth)
    spans = [(max(s.start, start), min(s.end, end)) for s in sessions]
    rows: list[tuple] = []
    for a, b in (reversed(spans) if from_end else spans):
        if a >= b:
            continue
        # a day at a time, so a week-long search does not build a week of rows
        step = 86400
        cuts = list(range(a, b, step))
        for c in (reversed(cuts) if from_end else cuts):
            part = _tick_table(q, what, c, min(c + step, b))
            rows = part + rows if from_end else rows + part
            if len(rows) >= limit:
                return rows[-limit:] if from_end else rows[:limit]
    return rows
