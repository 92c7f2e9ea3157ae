"""QueueData: a live feed that other code pushes bars or ticks into.

A thread, an asyncio task or a test calls ``put_bar``/``put_tick`` while
Cerebro runs; Cerebro's live loop takes what has arrived, waiting at most
``qcheck`` seconds, so resamplers can close bars by the clock when nothing
comes. ``end()`` finishes the feed. An optional ``backfill_from`` feed is
delivered first (status DELAYED), then the pushed data (status LIVE).

``clock`` replaces the wall clock (a callable returning the current UTC time
as a naive datetime): tests drive time with it, deterministically.
"""
from __future__ import annotations

import datetime
import queue

from ..feed import DataBase
from ..utils.date import date2num, num2date

__all__ = ('QueueData',)

_END = object()


class QueueData(DataBase):
    """A live feed fed through ``put_bar``/``put_tick``; ``end()`` ends it."""

    params = (
        ('qcheck', 0.5),           # longest wait for data before the loop looks around
        ('latethrough', False),    # deliver bars older than the last one delivered
        ('backfill_from', None),   # a feed whose bars come first
        ('clock', None),           # callable -> naive UTC datetime (default: wall clock)
    )

    _loc = None  # the tzinput localizer, applied as bars are taken

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue()

    # -- producer side (any thread) ---------------------------------------
    def put_bar(self, dt: datetime.datetime, open: float, high: float, low: float,
                close: float, volume: float = 0.0, openinterest: float = 0.0) -> None:
        """Push one bar; ``dt`` naive (in ``tzinput``, else UTC) or aware."""
        if dt.tzinfo is not None:
            dt = dt.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        for name, v in (('open', open), ('high', high), ('low', low), ('close', close)):
            if v != v:
                raise ValueError(f'{self._name or "QueueData"}: bar at {dt}: {name} is NaN')
        self._queue.put((date2num(dt), open, high, low, close, volume, openinterest))

    def put_tick(self, dt: datetime.datetime, price: float, size: float = 0.0) -> None:
        """Push one trade: a bar with open = high = low = close = ``price``."""
        self.put_bar(dt, price, price, price, price, size)

    def end(self) -> None:
        """No more data: the feed ends once what was pushed is delivered."""
        self._queue.put(_END)

    # -- feed side (Cerebro's thread) -------------------------------------
    def islive(self) -> bool:
        return True

    def haslivedata(self) -> bool:
        return self._state == 'live' and not self._queue.empty()

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
        self._state = 'backfill' if self.p.backfill_from is not None else 'live'
        self._lastdt = -float('inf')
        self._backfilled = -float('inf')  # live bars up to here are duplicates
        src = self.p.backfill_from
        if src is not None:
            src.setenvironment(self._env)
            src._start()
            self.put_notification(self.DELAYED)
        else:
            self.put_notification(self.LIVE)

    def stop(self) -> None:
        super().stop()
        if self.p.backfill_from is not None:
            self.p.backfill_from.stop()

    def _load(self) -> bool | None:
        if self._state == 'backfill':
            if self._load_backfill():
                return True
            self._state = 'live'
            self._backfilled = self._lastdt
            self.put_notification(self.LIVE)
        if self._state == 'ended':
            return False
        while True:
            try:
                item = self._queue.get(timeout=self._qcheck) if self._qcheck else \
                    self._queue.get_nowait()
            except queue.Empty:
                return None
            if item is _END:
                self._state = 'ended'
                self.put_notification(self.DISCONNECTED)
                return False
            dt = item[0]
            if self._loc is not None:
                dt = date2num(self._loc.localize(num2date(dt)))
            if dt <= self._backfilled:
                continue  # already delivered by the backfill
            if dt < self._lastdt and not self.p.latethrough:
                continue  # late: dropped
            self._fill(dt, *item[1:])
            return True

    def _load_backfill(self) -> bool:
        src = self.p.backfill_from
        if not src.next():
            return False
        lines = src.lines
        self._fill(lines.datetime[0], lines.open[0], lines.high[0], lines.low[0],
                   lines.close[0], lines.volume[0], lines.openinterest[0])
        return True

    def _fill(self, dt: float, o: float, h: float, lo: float, c: float, v: float,
              oi: float) -> None:
        lines = self.lines
        lines.datetime[0] = dt
        lines.open[0] = o
        lines.high[0] = h
        lines.low[0] = lo
        lines.close[0] = c
        lines.volume[0] = v
        lines.openinterest[0] = oi
        self._lastdt = max(self._lastdt, dt)
