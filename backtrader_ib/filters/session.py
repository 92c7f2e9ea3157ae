"""Session filters: drop bars outside the session, fill missing bars in it.

A session runs from the feed's ``sessionstart`` to ``sessionend`` (local
times). A session ending before it starts (futures: 18:00 to 17:00) runs
over midnight: the filters keep the bars of both parts; the fillers, which
work day by day, refuse it with an error naming both times.
"""
from __future__ import annotations

import datetime
from ..metabase import ParamsBase
from .bars import bar_unit, flat_bar

__all__ = ('SessionFilter', 'SessionFilterSimple', 'SessionFiller', 'in_session',
           'session_gaps', 'same_day_session')


def in_session(tm: datetime.time, start: datetime.time, end: datetime.time) -> bool:
    """True if the time of day ``tm`` is in the session (both ends included)."""
    if start <= end:
        return start <= tm <= end
    return tm >= start or tm <= end  # over midnight


def same_day_session(data, who: str) -> tuple:
    """(sessionstart, sessionend) of ``data``; an error for an overnight session."""
    start, end = data.p.sessionstart, data.p.sessionend
    if end < start:
        raise ValueError(f'{who}: sessionend {end} is before sessionstart {start} on '
                         f'{data!r}; filling works within one day\'s session')
    return start, end


def session_gaps(prev: datetime.datetime, cur: datetime.datetime, start: datetime.time,
                 end: datetime.time, unit: datetime.timedelta) -> list:
    """Times of the bars missing between the bars at ``prev`` and ``cur``.

    Within a session: every ``unit`` after ``prev`` and before ``cur``. When
    ``cur`` is past the end of ``prev``'s session: the rest of that session
    (its end included), then, if ``cur`` is in its own day's session, the
    new session from its start up to ``cur``.
    """
    out = []
    sessend = datetime.datetime.combine(prev.date(), end)
    if cur <= sessend:
        t = prev + unit
        while t < cur:
            out.append(t)
            t += unit
        return out
    t = prev + unit
    while t <= sessend:
        out.append(t)
        t += unit
    t = datetime.datetime.combine(cur.date(), start)
    if t <= cur <= datetime.datetime.combine(cur.date(), end):
        while t < cur:
            out.append(t)
            t += unit
    return out


class SessionFilterSimple:
    """For ``data.addfilter_simple``: True (drop the bar) outside the session."""

    def __init__(self, data):
        pass

    def __call__(self, data) -> bool:
        return not in_session(data.datetime.time(0), data.p.sessionstart, data.p.sessionend)


class SessionFilter:
    """Takes bars outside the session (pre/post market) out of the stream."""

    def __init__(self, data):
        pass

    def __call__(self, data) -> bool:
        if in_session(data.datetime.time(0), data.p.sessionstart, data.p.sessionend):
            return False
        data.backwards()
        return True


class SessionFiller(ParamsBase):
    """Adds the bars missing inside the session, with the previous close
    (or ``fill_price``) as OHLC and ``fill_vol``/``fill_oi``. The first bar
    seen is not back-filled to the session start unless ``skip_first_fill``
    is False."""

    params = (('fill_price', None),
              ('fill_vol', float('nan')),
              ('fill_oi', float('nan')),
              ('skip_first_fill', True))

    def __init__(self, data):
        self._unit = bar_unit(data, 'SessionFiller')
        self._start, self._end = same_day_session(data, 'SessionFiller')
        self._prev = None  # local time of the last bar seen

    def __call__(self, data) -> bool:
        cur = data.datetime.datetime(0)
        prev, self._prev = self._prev, cur
        if prev is not None:
            gaps = session_gaps(prev, cur, self._start, self._end, self._unit)
        elif not self.p.skip_first_fill and in_session(cur.time(), self._start, self._end):
            t, gaps = datetime.datetime.combine(cur.date(), self._start), []
            while t < cur:
                gaps.append(t)
                t += self._unit
        else:
            gaps = []
        if not gaps:
            return False
        p = self.p
        price = p.fill_price or data.close[-1]  # 0 or None: the last close (NaN is kept)
        for t in gaps:
            data._add2stack(flat_bar(data, data.date2num(t), price, p.fill_vol, p.fill_oi))
        data._save2stack(erase=True)  # the bar itself comes after the fill
        return True
