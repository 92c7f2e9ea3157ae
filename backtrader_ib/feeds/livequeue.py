"""LiveQueueData: the one state machine of live feeds that read a queue.

A producer (a thread, an asyncio task, a store's loop thread) puts items on
``self._q``; Cerebro's thread takes them in ``_load``. A live wait lasts at
most ``qcheck`` seconds, so that when nothing comes the loop can look around
and resamplers can close bars by the clock.

States, in the order a feed goes through them:

========== ===================================================== ===============
state      what ``_load`` does                                   backtrader name
========== ===================================================== ===============
BACKFILL   delivers the bars of ``backfill_from``                ``_ST_FROM``
START      starts the source (``_launch``), which picks the next ``_ST_START``
LIVE       takes items, waiting at most ``qcheck`` s (``None``)  ``_ST_LIVE``
HISTORICAL takes items of a finite download; long silence ends   ``_ST_HISTORBACK``
ENDED      returns False                                         ``_ST_OVER``
========== ===================================================== ===============

A subclass says how to start its source (``_launch``) and what one item
means (``_handle``); see QueueData and IBData.
"""
from __future__ import annotations

import collections
import enum
import queue
import threading
from typing import Any

from ..feed import DataBase

__all__ = ('FeedState', 'LiveQueue', 'LiveQueueData')

_NOTHING = object()  # the queue stayed empty


class LiveQueue:
    """A FIFO with one consumer (Cerebro's thread) and any number of producers,
    lighter than ``queue.Queue`` on the live path: ``put`` appends and takes
    the lock only while the consumer waits; ``get`` takes what is there
    without a lock, else waits at most ``timeout`` seconds (``queue.Empty``)."""

    def __init__(self) -> None:
        self._items: collections.deque = collections.deque()
        self._cond = threading.Condition(threading.Lock())
        self._waiting = False

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        self._items.append(item)
        if self._waiting:  # set before the consumer's last look: it is told
            with self._cond:
                self._cond.notify()

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        items = self._items
        if items:
            return items.popleft()
        if not block:
            raise queue.Empty
        with self._cond:
            self._waiting = True
            try:
                if not items:  # looked at after _waiting is set: a put now notifies
                    self._cond.wait(timeout)
                if not items:
                    raise queue.Empty
                return items.popleft()
            finally:
                self._waiting = False

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)


class FeedState(enum.IntEnum):
    """Where a queue-fed live feed is (values as backtrader's IBData ``_ST_*``)."""
    BACKFILL = 0
    START = 1
    LIVE = 2
    HISTORICAL = 3
    ENDED = 4


_BACKFILL, _START, _LIVE, _HISTORICAL, _ENDED = FeedState


class LiveQueueData(DataBase):
    """Base of live feeds fed through a queue: backfill, start, live, ended."""

    params = (
        ('qcheck', 0.5),           # longest live wait for data (seconds)
        ('latethrough', False),    # deliver bars older than the last one delivered
        ('backfill_from', None),   # a feed whose bars come first
    )

    State = FeedState
    # backtrader's IBData names for the states (code written for it reads them)
    _ST_FROM, _ST_START, _ST_LIVE, _ST_HISTORBACK, _ST_OVER = FeedState

    def __init__(self) -> None:
        self._q: Any = LiveQueue()
        self._state = _ENDED
        self._lastdt = float('-inf')  # the latest bar time delivered

    # -- what a subclass provides --------------------------------------------
    def _launch(self) -> FeedState:
        """Start the source (backfill_from, if any, is done); the next state."""
        return _LIVE

    def _handle(self, item: Any) -> bool | None:
        """Use one queued item: True a bar was filled, False the feed ended
        (``_end``), None nothing to deliver (the next item is taken)."""
        raise NotImplementedError

    def _histwait(self) -> float:
        """Seconds a HISTORICAL download may stay silent before the feed ends."""
        return 60.0

    def _silent(self, waited: float) -> bool:
        """A HISTORICAL download sent nothing for ``waited`` seconds: end."""
        return self._end(self.DISCONNECTED)

    # -- life cycle ------------------------------------------------------------
    def islive(self) -> bool:
        return True

    def haslivedata(self) -> bool:
        """Live data is queued (the loop then does not wait on other feeds)."""
        return self._state == _LIVE and not self._q.empty()

    def _begin(self) -> None:
        """Enter the first state: BACKFILL (``backfill_from`` started) or START."""
        self._lastdt = float('-inf')
        src = self.p.backfill_from
        if src is None:
            self._state = _START
            return
        src.setenvironment(self._env)
        src._start()
        self._state = _BACKFILL

    def _end(self, status: int | None = None, *args: Any) -> bool:
        """Go to ENDED, notifying ``status``; False, for ``_load`` to return."""
        if status is not None:
            self.put_notification(status, *args)
        self._state = _ENDED
        return False

    def stop(self) -> None:
        super().stop()
        self._state = _ENDED
        if self.p.backfill_from is not None:
            self.p.backfill_from.stop()

    # -- loading ---------------------------------------------------------------
    # None is a live feed's "nothing yet" (docs/live.md), which the base's type omits
    def _load(self) -> bool | None:  # type: ignore[override]
        """True: a new bar; False: the feed is over; None: nothing yet (live)."""
        while True:
            state = self._state
            if state == _LIVE or state == _HISTORICAL:
                wait = self._qcheck if state == _LIVE else self._histwait()
                try:
                    item = self._q.get(timeout=wait)  # 0: only what is there
                except queue.Empty:
                    return None if state == _LIVE else self._silent(wait)
                got = self._handle(item)
                if got is not None:
                    return got
            elif state == _BACKFILL:
                if self._load_backfill():
                    return True
                self._state = _START
            elif state == _START:
                self._state = self._launch()
            else:
                return False

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
        """Write one bar into the lines."""
        # straight into the line arrays (line order: close, low, high, open,
        # volume, openinterest, datetime): the live path does this every tick
        i = self._tl.idx
        b = self.lines._buffers
        try:
            b[0]._mv[i] = c
            b[1]._mv[i] = lo
            b[2]._mv[i] = h
            b[3]._mv[i] = o
            b[4]._mv[i] = v
            b[5]._mv[i] = oi
            b[6]._mv[i] = dt
        except TypeError:  # a read-only (adopted) array or an odd value: the lines decide
            lines = self.lines
            lines.close[0] = c
            lines.low[0] = lo
            lines.high[0] = h
            lines.open[0] = o
            lines.volume[0] = v
            lines.openinterest[0] = oi
            lines.datetime[0] = dt
        if dt > self._lastdt:
            self._lastdt = dt
