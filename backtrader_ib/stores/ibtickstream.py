"""Tick-by-tick data for one feed (``IBData(ticks=...)``), gap-filled from historical ticks.

A live :class:`TickStream` subscribes with ``reqTickByTickData`` (Last,
AllLast, BidAsk or MidPoint) and hands each tick to the feed's queue, stamped
with IB's time (whole epoch seconds). After a disconnection (or a backfill
from ``fromdate``) it fetches the missing ticks with ``reqHistoricalTicks``
(``ibticks.fetch_ticks``: paginated, paced, cached) from the second of the last
tick delivered, while the new subscription's ticks wait in a stash.

Joining two sources (the history after delivered ticks, the stash after the
history) is the job of :class:`TickSeam`. Ticks are rows ``(epoch, values...)``
and both sources are views of one sequence of ticks, so at the seam second
the tail of what was delivered is matched against the head of what comes
(by time and values, position by position); the matched ticks are dropped,
the rest delivered. Earlier seconds are complete in what was delivered.
Live ticks of the history's last second may still arrive after the history
(the stream lags the request): they are held until a later tick comes (or
``JOIN_WAIT`` passes) and joined the same way.
"""
from __future__ import annotations

import asyncio
import datetime as _dt
from typing import Any, Callable

from ..utils.date import date2num
from .ibevents import EndItem, QuoteItem, StatusItem, TickItem
from .ibticks import TickCache, fetch_ticks

__all__ = ('TICK_KINDS', 'HISTORICAL_WHAT', 'tick_kind', 'TickSeam', 'TickStream',
           'run_historical_ticks', 'overlap', 'tick_item')

UTC = _dt.timezone.utc
#: IB's tick-by-tick types, by the lower-case names IBData(ticks=) accepts
TICK_KINDS = {'last': 'Last', 'alllast': 'AllLast', 'bidask': 'BidAsk', 'midpoint': 'MidPoint'}
#: the historical ticks (whatToShow) that fill gaps of each tick-by-tick type
HISTORICAL_WHAT = {'Last': 'TRADES', 'AllLast': 'TRADES', 'BidAsk': 'BID_ASK',
                   'MidPoint': 'MIDPOINT'}
QUOTES = ('BidAsk', 'MidPoint')
JOIN_WAIT = 1.0   # seconds live ticks of the seam second wait for a later one


def tick_kind(name: str) -> str:
    """IB's name of a tick-by-tick type, from any case ('bidask' -> 'BidAsk')."""
    kind = TICK_KINDS.get(str(name).replace('_', '').lower())
    if kind is None:
        raise ValueError(f"IBData ticks={name!r}: use 'Last', 'AllLast', 'BidAsk' or 'MidPoint'")
    return kind


def epoch_num(t: int) -> float:
    """The day number of whole epoch second ``t`` (as date2num of the UTC datetime)."""
    return date2num(_dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=t))


def tick_item(what: str, row: tuple, num: float) -> TickItem | QuoteItem:
    """The queue item of a tick row; ``num`` is its time as a day number."""
    if what == 'TRADES':
        return TickItem(num, row[1], row[2])
    if what == 'BID_ASK':
        return QuoteItem(num, row[1], row[2], row[3], row[4])
    return TickItem(num, row[1], 0.0)


def overlap(have: list, more: list) -> int:
    """The largest k with ``have[-k:] == more[:k]``: how many of ``more`` were had."""
    for k in range(min(len(have), len(more)), 0, -1):
        if have[-k:] == more[:k]:
            return k
    return 0


class TickSeam:
    """The latest second delivered and its ticks, to join sources without loss or repeats."""

    def __init__(self) -> None:
        self.second: int | None = None
        self.rows: list = []     # the ticks delivered at ``second``, in order

    def add(self, row: tuple) -> None:
        """A tick delivered as it came (a live stream: repeats are real ticks)."""
        if row[0] != self.second:
            self.second, self.rows = row[0], [row]
        else:
            self.rows.append(row)

    def take(self, rows: list) -> list:
        """The ticks of another view of the stream (oldest first) that are new;
        they count as delivered."""
        i, n, second = 0, len(rows), self.second
        out: list = []
        if second is not None:
            while i < n and rows[i][0] < second:
                i += 1  # seconds before the seam: delivered whole
            j = i
            while j < n and rows[j][0] == second:
                j += 1
            fresh = rows[i + overlap(self.rows, rows[i:j]):j]
            self.rows.extend(fresh)
            out.extend(fresh)
            i = j
        for row in rows[i:]:
            self.add(row)
            out.append(row)
        return out


class TickStream:
    """Live tick-by-tick ticks of one feed, with historical-tick backfills.

    ``begin`` (aware datetime or None): the first backfill starts there
    (``backfill_start``); after a drop the gap is filled from the last tick
    (``backfill``). The store calls ``resubscribe``, ``broken``, ``dead``,
    ``notsubscribed`` and ``on_tick`` (rows with IB's time) on the loop thread.
    """

    def __init__(self, store, contract, put: Callable, *, kind: str, useRTH: bool,
                 begin: _dt.datetime | None, backfill_start: bool = True,
                 backfill: bool = True):
        self.store = store
        self.contract = contract
        self.put = put
        self.kind = kind
        self.what = HISTORICAL_WHAT[kind]
        self.useRTH = useRTH
        self.begin = begin
        self.backfill_start = backfill_start
        self.backfill = backfill
        self.seam = TickSeam()
        self.stale = False
        self.stashing = False
        self.stash: list = []
        self.first = False          # the next live tick is the first of a subscription
        self.joining: int | None = None   # the seam second live ticks are held at
        self.held: list = []
        self.join_timer: Any = None
        self.task: Any = None
        self.ticker: Any = None
        self.reqid = None
        self.closed = False
        self.subscriptions = 0      # how many times it subscribed (tests)
        self.backfilled = 0         # ticks delivered from history (tests, diagnostics)
        self._num = (None, 0.0)     # (epoch second, day number): ticks share seconds

    @property
    def last(self) -> float | None:
        """The time (day number) of the last tick delivered."""
        s = self.seam.second
        return None if s is None else epoch_num(s)

    # -- control (loop thread) ---------------------------------------------------------
    def start(self) -> None:
        self.store.add_stream(self)
        self.resubscribe(self.backfill_start)

    def resubscribe(self, backfill: bool) -> None:
        if self.closed:
            return
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.task = asyncio.ensure_future(self._open(backfill and self.backfill_allowed()))
        self.task.add_done_callback(self._report)

    def backfill_allowed(self) -> bool:
        return self.backfill or self.backfill_start

    def _report(self, task) -> None:
        if task.cancelled() or task.exception() is None:
            return
        exc = task.exception()
        if isinstance(exc, ConnectionError) and not self.closed:
            self.store.put_notification(f'{self.contract.symbol}: tick-by-tick request not '
                                        'sent, not connected (504); resubscribing on reconnection')
            return
        self.store.put_notification(f'{self.contract.symbol}: tick stream failed: {exc!r}')
        self.put(StatusItem('DISCONNECTED'))

    def _start_second(self) -> int | None:
        """Where a backfill starts: the last tick's second, else ``begin``."""
        if self.seam.second is not None:
            return self.seam.second
        if self.begin is None:
            return None
        return int(self.begin.timestamp())

    async def _open(self, backfill: bool) -> None:
        self.stale = False
        self._stop_joining()
        self._unsubscribe()
        start = self._start_second() if backfill else None
        self.stashing = start is not None
        self.stash = []
        self.first = True
        self._subscribe()
        if start is not None:
            self.put(StatusItem('DELAYED'))
            now = await self.store.server_time()
            rows: list = []
            cache = TickCache(self.store.p.cache) if self.store.p.cache else None
            ok = await fetch_ticks(self.store, self.contract, self.what, start,
                                   int(now.timestamp()) + 1, self.useRTH, rows.append,
                                   cache=cache)
            if not ok:
                self.store.put_notification(
                    f'{self.contract.symbol}: tick backfill from '
                    f'{_dt.datetime.fromtimestamp(start, UTC):%Y-%m-%d %H:%M:%S} UTC is '
                    f'incomplete ({len(rows)} ticks got); ticks after them are missing')
            fresh = self.seam.take(rows)
            self.backfilled += len(fresh)
            for row in fresh:
                self._put(row)
            stash, self.stash, self.stashing = self.stash, [], False
            self.joining = self.seam.second
            for row in stash:
                self.on_tick(row)
        self.put(StatusItem('LIVE'))

    def _join(self) -> None:
        """The live stream went past the seam second: deliver what it held there
        that the history did not have."""
        held, self.held, self.joining = self.held, [], None
        if self.join_timer is not None:
            self.join_timer.cancel()
            self.join_timer = None
        for row in self.seam.take(self._skip_repeated_quote(held)):
            self._put(row)

    def _stop_joining(self) -> None:
        if self.join_timer is not None:
            self.join_timer.cancel()
        self.join_timer, self.joining, self.held = None, None, []

    def _skip_repeated_quote(self, rows: list) -> list:
        """A new subscription's first quote is the one in force: not a new tick
        when it repeats the last quote delivered (history has it earlier)."""
        if not self.first or not rows:
            return rows
        self.first = False
        last = self.seam.rows[-1] if self.seam.rows else None
        if self.kind in QUOTES and last is not None and rows[0][1:] == last[1:]:
            return rows[1:]
        return rows

    def _subscribe(self) -> None:
        ib = self.store.ib
        self.subscriptions += 1
        self.ticker = ib.reqTickByTickData(self.contract, self.kind)
        # the library shares one Ticker per contract: its request id for this kind is ours
        self.reqid = ib.wrapper.ticker2ReqId[self.kind][self.ticker]
        self.store._reqid_stream[self.reqid] = self

    def _unsubscribe(self) -> None:
        if self.ticker is None:
            return
        self.store._reqid_stream.pop(self.reqid, None)
        if self.store.isconnected():
            self.store.ib.client.cancelTickByTickData(self.reqid)   # ours only
        self.ticker = None

    def _forget(self) -> None:
        # the socket is gone and the subscription with it
        self._stop_joining()
        if self.task is not None and not self.task.done():
            self.task.cancel()
        if self.ticker is not None:
            self.store._reqid_stream.pop(self.reqid, None)
            self.ticker = None

    def broken(self) -> None:
        """The connection dropped."""
        self._forget()
        self.put(StatusItem('CONNBROKEN'))

    def dead(self) -> None:
        """Reconnecting gave up."""
        self.close()
        self.put(StatusItem('DISCONNECTED'))

    def notsubscribed(self, code: int, text: str) -> None:
        """IB refused the subscription: no permission (354, 10089, ...), too many
        tick-by-tick subscriptions (10190) or a tick type the contract lacks (10189)."""
        if code == 10190:
            hint = (f'{code}: {text}. IB limits simultaneous tick-by-tick subscriptions '
                    '(all clients of the user together; the limit grows with the '
                    'account\'s market data lines): cancel another tick feed, or use '
                    'IBData without ticks= (RTVolume) for this one')
        elif code == 10189:
            hint = (f'{code}: {text}. This contract has no {self.kind} tick-by-tick data '
                    "(no trades for Last/AllLast: use ticks='BidAsk' or 'MidPoint')")
        else:
            hint = (f'{code}: {text}. No market data subscription for this contract: '
                    'subscribe, or use IBData without ticks= and delayed data')
        self.store.put_notification(f'{self.contract.symbol}: tick-by-tick {self.kind} '
                                    f'refused: {hint}')
        self.close()
        self.put(StatusItem('NOTSUBSCRIBED', (code, hint)))

    def close(self) -> None:
        self.closed = True
        self._stop_joining()
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self._unsubscribe()
        self.store.remove_stream(self)

    # -- data (loop thread) ------------------------------------------------------------
    def on_tick(self, row: tuple) -> None:
        """A tick-by-tick message as ``(epoch, values...)`` with IB's time."""
        if self.stashing:
            self.stash.append(row)
            return
        if self.joining is not None:
            if row[0] <= self.joining:
                self.held.append(row)
                if self.join_timer is None:
                    self.join_timer = asyncio.get_event_loop().call_later(JOIN_WAIT, self._join)
                return
            self._join()
        if self.first:
            if not self._skip_repeated_quote([row]):
                return
        second = self.seam.second
        if second is not None and row[0] < second:
            return  # never out of order
        self.seam.add(row)
        self._put(row)

    def _put(self, row: tuple) -> None:
        t = row[0]
        second, num = self._num
        if t != second:
            num = epoch_num(t)
            self._num = (t, num)
        self.put(tick_item(self.what, row, num))


async def run_historical_ticks(store, contract, what: str, begin: _dt.datetime,
                               end: _dt.datetime | None, useRTH: bool, put: Callable) -> None:
    """``IBData(historical=True, ticks=...)``: DELAYED, every tick of
    [begin, end) (end None: the gateway's now), then ``EndItem(ok)``."""
    put(StatusItem('DELAYED'))
    if end is None:
        end = await store.server_time()
    cache = TickCache(store.p.cache) if store.p.cache else None
    last: list = [None, 0.0]   # (epoch second, its day number): ticks share seconds

    def emit(row: tuple) -> None:
        if row[0] != last[0]:
            last[0], last[1] = row[0], epoch_num(row[0])
        put(tick_item(what, row, last[1]))
    ok = await fetch_ticks(store, contract, what, int(begin.timestamp()),
                           int(end.timestamp()), useRTH, emit, cache=cache)
    put(EndItem(ok))
