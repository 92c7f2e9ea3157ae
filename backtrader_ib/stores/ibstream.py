"""One feed's traffic with the gateway: a historical download or a live stream.

Both live on the store's loop thread and hand their output to the feed
through a thread-safe queue as frozen items (``ibevents``):

* ``BarItem(dt, open, high, low, close, volume, openinterest)``
* ``TickItem(dt, price, size)``
* ``StatusItem(name, (code, text))`` with name DELAYED, LIVE, CONNBROKEN,
  NOTSUBSCRIBED, DISCONNECTED, NOTSUPPORTED or UNKNOWN (another error on the
  stream's request)
* ``EndItem(ok)``: a historical download is over

``dt`` is a day number (UTC). Everything sent is in time order and never
repeats: an item older than the last one sent (or a bar at the same time) is
dropped, unless ``latethrough``. So chunk boundaries, gap backfills and live
data arriving during a backfill never duplicate a bar.
"""
from __future__ import annotations

import asyncio
import datetime as _dt
from typing import Callable

from ..utils.date import date2num, num2date
from .ibevents import BarItem, EndItem, StatusItem, TickItem
from .ibhistory import bar_seconds

__all__ = ('Emitter', 'LiveStream', 'run_historical')

UTC = _dt.timezone.utc
FIVE_SECONDS = _dt.timedelta(seconds=5)
TICK_FIELDS = {'BID': (1, 66), 'ASK': (2, 67), 'LAST': (4, 68)}
STAMP_WAIT = 1.0        # seconds a last price waits for its time stamp (tick 45/88)
FIRST_STAMP_WAIT = 2.0  # seconds a stamped stream waits for its first one before a backfill


def _num(dt: _dt.datetime) -> float:
    return date2num(dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt)


def _dt_of(num: float) -> _dt.datetime:
    return num2date(num).replace(tzinfo=UTC)


class Emitter:
    """Passes items on in time order, dropping stale and repeated ones."""

    def __init__(self, put: Callable, latethrough: bool = False):
        self.put = put
        self.latethrough = latethrough
        self.last: float | None = None

    def __call__(self, msg: BarItem | TickItem) -> None:
        dt = msg.dt
        last = self.last
        if last is not None and (dt < last or (dt == last and isinstance(msg, BarItem))):
            if not self.latethrough:
                return
        if last is None or dt > last:
            self.last = dt
        self.put(msg)


async def run_historical(store, contract, timeframe, compression, begin, end, what, useRTH,
                         stamp, put) -> None:
    """historical=True: DELAYED, every bar of [begin, end], then ``EndItem(ok)``."""
    emit = Emitter(put)
    put(StatusItem('DELAYED'))

    def status(name, *args):
        put(StatusItem(name.upper(), args))
    if end is None:
        end = await store.server_time()
    ok = await store.download(contract, timeframe, compression, begin, end, what, useRTH,
                              emit, stamp, status=status)
    put(EndItem(ok))


class LiveStream:
    """Live data for one feed: backfill, then ticks or 5-second bars.

    ``source`` is 'rtvolume' (tick 233, exchange time stamps), 'tickprice'
    (bid/ask/last quotes stamped with the gateway-corrected local clock) or
    'rtbar' (reqRealTimeBars, stamped at the bar's end like backfilled bars).
    ``stamped`` (delayed last prices): each price takes the time of the trade
    from the last-timestamp tick that follows it (45, or 88 when delayed), and
    a backfill ends at the first such time, where the delayed feed starts.
    """

    def __init__(self, store, contract, put: Callable, *, source: str, tickfield: str,
                 what: str, rtwhat: str, useRTH: bool, timeframe: int, compression: int,
                 begin: _dt.datetime | None, stamp: Callable, latethrough: bool = False,
                 backfill_start: bool = True, backfill: bool = True, stamped: bool = False):
        self.store = store
        self.contract = contract
        self.put = put
        self.emit = Emitter(put, latethrough)
        self.source = source
        self.tickfields = TICK_FIELDS[tickfield]
        self.what = what
        self.rtwhat = rtwhat
        self.useRTH = useRTH
        self.timeframe = timeframe
        self.compression = compression
        self.begin = begin
        self.stamp = stamp
        self.backfill_start = backfill_start
        self.backfill = backfill
        self.stale = False
        self.stashing = False
        self.stash: list = []
        self.task = None
        self.ticker = None
        self.reqid = None
        self.rtbars = None
        self.closed = False
        self.subscriptions = 0      # how many times it subscribed (tests)
        self.stamped = stamped
        self.pending = None         # (price, size) waiting for its time stamp
        self.pending_timer = None
        self.stamptime: _dt.datetime | None = None   # the latest trade time stamp
        self.stamp_evt: asyncio.Event | None = None

    @property
    def last(self) -> float | None:
        return self.emit.last

    @last.setter
    def last(self, value: float | None) -> None:
        self.emit.last = value

    # -- control (loop thread) ------------------------------------------------------
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

    def _report(self, task) -> None:
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            if isinstance(exc, ConnectionError) and not self.closed:
                # the client library's "not connected" (IB's 504): the
                # reconnection resubscribes this stream, the feed goes on
                self.store.put_notification(f'{self.contract.symbol}: request not sent, not '
                                            'connected (504); resubscribing on reconnection')
                return
            # never silent: the feed ends with a reason
            self.store.put_notification(f'{self.contract.symbol}: live stream failed: {exc!r}')
            self.put(StatusItem('DISCONNECTED'))

    def backfill_allowed(self) -> bool:
        return self.backfill or self.backfill_start

    async def _open(self, backfill: bool) -> None:
        self.stale = False
        self._unsubscribe()
        self.stashing = backfill
        self.stash = []
        self.stamp_evt = asyncio.Event()
        self._subscribe()
        if backfill:
            self.put(StatusItem('DELAYED'))
            now = await self.store.server_time()
            if self.stamped:
                now = await self._first_stamp() or now
            begin = _dt_of(self.last) if self.last is not None else self.begin
            await self.store.download(self.contract, self.timeframe, self.compression, begin,
                                      now, self.what, self.useRTH, self._gap_emitter(),
                                      self.stamp, limit=_num(now), status=self._hist_status)
            stash, self.stash, self.stashing = self.stash, [], False
            for msg in stash:
                self.emit(msg)
        self.put(StatusItem('LIVE'))

    def _gap_emitter(self) -> Callable:
        """The backfill's emit: a bar that starts before the last item delivered
        overlaps it (its trades would count twice) and is left out, with a
        notification naming the stretch whose trades are therefore missing."""
        secs = bar_seconds(self.timeframe, self.compression)
        last = self.last
        if last is None or not secs:
            return self.emit
        span = secs / 86400.0
        told = []

        def emit(msg: BarItem | TickItem) -> None:
            if isinstance(msg, BarItem) and msg.dt - span < last - 1e-9:
                if msg.dt > last + 1e-9 and not told:
                    told.append(msg)
                    self.store.put_notification(
                        f'{self.contract.symbol}: gap backfill: the bar ending '
                        f'{_dt_of(msg.dt):%Y-%m-%d %H:%M:%S} UTC overlaps data already '
                        f'delivered (up to {_dt_of(last):%H:%M:%S}) and is left out; trades '
                        f'of that stretch after {_dt_of(last):%H:%M:%S} are missing')
                return
            self.emit(msg)
        return emit

    async def _first_stamp(self) -> _dt.datetime | None:
        """The delayed feed's first trade time (None: it sent none in time)."""
        try:
            await asyncio.wait_for(self.stamp_evt.wait(), FIRST_STAMP_WAIT)
        except asyncio.TimeoutError:
            return None
        return self.stamptime

    def _hist_status(self, name: str, *args) -> None:
        if name == 'notsubscribed':
            self.notsubscribed(*args)

    def _subscribe(self) -> None:
        ib = self.store.ib
        self.subscriptions += 1
        if self.source == 'rtbar':
            self.rtbars = ib.reqRealTimeBars(self.contract, 5, self.rtwhat, self.useRTH)
            self.store._reqid_stream[self.rtbars.reqId] = self
            self.rtbars.updateEvent += self._on_rtbars
        else:
            generic = '233' if self.source == 'rtvolume' else ''
            self.ticker = ib.reqMktData(self.contract, generic, False, False)
            # the library shares one Ticker per contract: tell our request id apart
            reqids = self.store._reqid_stream
            self.reqid = max(r for r, t in ib.wrapper.reqId2Ticker.items()
                             if t is self.ticker and r not in reqids)
            reqids[self.reqid] = self

    def _unsubscribe(self) -> None:
        store = self.store
        connected = store.isconnected()
        if self.rtbars is not None:
            store._reqid_stream.pop(self.rtbars.reqId, None)
            self.rtbars.updateEvent -= self._on_rtbars
            if connected:
                store.ib.cancelRealTimeBars(self.rtbars)
            self.rtbars = None
        if self.ticker is not None:
            store._reqid_stream.pop(self.reqid, None)
            if connected:
                store.ib.client.cancelMktData(self.reqid)  # ours only, not the contract's
            self.ticker = None

    def _drop_pending(self) -> None:
        if self.pending_timer is not None:
            self.pending_timer.cancel()
        self.pending = None

    def _forget(self) -> None:
        # the socket is gone and the subscriptions with it
        self._drop_pending()
        if self.task is not None and not self.task.done():
            self.task.cancel()
        if self.rtbars is not None:
            self.store._reqid_stream.pop(self.rtbars.reqId, None)
            self.rtbars.updateEvent -= self._on_rtbars
            self.rtbars = None
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
        hint = (f'{code}: {text}. No market data subscription for this contract: subscribe, '
                "or use IBStore(marketdatatype='delayed') for delayed data")
        self.close()
        self.put(StatusItem('NOTSUBSCRIBED', (code, hint)))

    def close(self) -> None:
        self.closed = True
        self._drop_pending()
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self._unsubscribe()
        self.store.remove_stream(self)

    # -- data (loop thread) ---------------------------------------------------------------
    def _live(self, msg: BarItem | TickItem) -> None:
        if self.stashing:
            self.stash.append(msg)
        else:
            self.emit(msg)

    def on_rtvolume(self, value: str) -> None:
        if self.source != 'rtvolume':
            return
        fields = value.split(';')
        if len(fields) < 3 or not fields[0] or not fields[2]:
            return  # RTVolume without a trade (volume-only update)
        price, size = float(fields[0]), float(fields[1] or 0)
        when = _dt.datetime.fromtimestamp(int(fields[2]) / 1000, UTC)
        self._live(TickItem(_num(when), price, size))

    def on_price(self, tickType: int, price: float, size: float) -> None:
        if self.source != 'tickprice' or tickType not in self.tickfields or price <= 0:
            return  # -1: no quote (e.g. an FX halt)
        if not self.stamped:
            self._live(TickItem(_num(self.store.utcnow()), price, 0.0))
            return
        self._flush()  # a previous price that got no time stamp
        self.pending = (price, float(size or 0.0))
        self.pending_timer = asyncio.get_event_loop().call_later(STAMP_WAIT, self._flush)

    def on_timestamp(self, value: str) -> None:
        """Tick 45/88: the time of the last trade, in epoch seconds."""
        if not self.stamped:
            return
        try:
            when = _dt.datetime.fromtimestamp(int(value), UTC)
        except (TypeError, ValueError):
            return
        self.stamptime = when
        if self.stamp_evt is not None:
            self.stamp_evt.set()
        self._flush()  # the pending price takes this time

    def _flush(self) -> None:
        """Deliver the pending price at the latest trade time stamp; a feed
        that has sent none is stamped by the clock from then on."""
        if self.pending is None:
            return
        (price, size), self.pending = self.pending, None
        self.pending_timer.cancel()
        if self.stamptime is None:
            self.stamped = False  # this feed carries no time stamps: the clock from now on
            when = self.store.utcnow()
        else:
            when = self.stamptime
        self._live(TickItem(_num(when), price, size))

    def _on_rtbars(self, bars, has_new_bar: bool) -> None:
        if not has_new_bar or not bars:
            return
        b = bars[-1]
        self._live(BarItem(_num(b.time + FIVE_SECONDS), b.open_, b.high, b.low, b.close,
                           float(b.volume), 0.0))
