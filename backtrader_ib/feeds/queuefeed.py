"""QueueData: a live feed that other code pushes bars or ticks into.

A thread, an asyncio task or a test calls ``put_bar``/``put_tick`` while
Cerebro runs; Cerebro's live loop takes what has arrived, waiting at most
``qcheck`` seconds, so resamplers can close bars by the clock when nothing
comes. ``end()`` finishes the feed. An optional ``backfill_from`` feed is
delivered first (status DELAYED), then the pushed data (status LIVE).
The states are LiveQueueData's (feeds/livequeue.py).

``clock`` replaces the wall clock (a callable returning the current UTC time
as a naive datetime): tests drive time with it, deterministically.
"""
from __future__ import annotations

import datetime

from ..utils.date import date2num, num2date
from .livequeue import FeedState, LiveQueueData

__all__ = ('QueueData',)

_END = object()


class QueueData(LiveQueueData):
    """A live feed fed through ``put_bar``/``put_tick``; ``end()`` ends it."""

    params = (
        ('clock', None),           # callable -> naive UTC datetime (default: wall clock)
    )

    _loc = None  # the tzinput localizer, applied as bars are taken

    def __init__(self) -> None:
        super().__init__()
        self._backfilled = float('-inf')  # live bars up to here are duplicates

    # -- producer side (any thread) ---------------------------------------
    def put_bar(self, dt: datetime.datetime, open: float, high: float, low: float,
                close: float, volume: float = 0.0, openinterest: float = 0.0) -> None:
        """Push one bar; ``dt`` naive (in ``tzinput``, else UTC) or aware."""
        if dt.tzinfo is not None:
            dt = dt.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        for name, v in (('open', open), ('high', high), ('low', low), ('close', close)):
            if v != v:
                raise ValueError(f'{self._name or "QueueData"}: bar at {dt}: {name} is NaN')
        self._q.put((date2num(dt), open, high, low, close, volume, openinterest))

    def put_tick(self, dt: datetime.datetime, price: float, size: float = 0.0) -> None:
        """Push one trade: a bar with open = high = low = close = ``price``."""
        self.put_bar(dt, price, price, price, price, size)

    def end(self) -> None:
        """No more data: the feed ends once what was pushed is delivered."""
        self._q.put(_END)

    # -- feed side (Cerebro's thread) -------------------------------------
    def _utcnow(self) -> datetime.datetime:
        clock = self.p.clock
        return clock() if clock is not None else super()._utcnow()

    def _start(self) -> None:
        super()._start()
        # pushed times are localised here, as they are taken from the queue
        if self._tzinput is not None:
            self._loc, self._tzinput = self._tzinput, None

    def start(self) -> None:
        super().start()
        self._begin()
        self._backfilled = float('-inf')
        self.put_notification(self.DELAYED if self._state == FeedState.BACKFILL else self.LIVE)

    def _launch(self) -> FeedState:
        self._backfilled = self._lastdt
        self.put_notification(self.LIVE)  # after a backfill (a repeat is dropped)
        return FeedState.LIVE

    def _handle(self, item) -> bool | None:
        if item is _END:
            return self._end(self.DISCONNECTED)
        dt, o, h, lo, c, v, oi = item
        if self._loc is not None:
            dt = date2num(self._loc.localize(num2date(dt)))
        if dt <= self._backfilled:
            return None  # already delivered by the backfill
        if dt < self._lastdt and not self.p.latethrough:
            return None  # late: dropped
        self._fill(dt, o, h, lo, c, v, oi)
        return True
