"""IBStore: the one connection to TWS / IB Gateway, on ib_insync or ib_async.

Threading design (see docs/ib.md): the client library is asyncio-based and
not thread-safe, so the store runs it on its own event loop in a daemon
thread ("ibstore") and nothing else ever touches the ``IB`` object. The
strategy thread talks to it in three ways only:

* short calls run on the loop and waited for (connect, contract look-up):
  they never wait on the market;
* work queued without waiting (placing, modifying and cancelling orders:
  ``buy()`` appends to the order lane, ``iblane.OrderLane``, and returns; the
  lane writes the journal, then hands the send to the loop);
* queues the loop fills (bars, ticks, statuses for each feed; order events
  for the broker) and the strategy thread drains at its own pace.

So a resting order or a silent market never blocks ``next``. The store
listens to the client's decoded messages (its wrapper's methods, wrapped per
instance) to see every tick, execution and commission report exactly once,
whatever the library conflates or forgets across a reconnection.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import datetime as _dt
import importlib
import logging
import random
import re
import threading
import time
from typing import Any, Callable

from ..metabase import MetaSingleton  # noqa: F401 (backtrader's stores export it)
from ..store import Store
from .ibcache import BarCache
from .ibcontracts import describe_contract, parse_contract
from .ibevents import (BarItem, CommissionEvent, StatusItem, ErrorEvent, ExecutionEvent, OpenOrderEvent,
                       OrderStatusEvent, PlaceFailedEvent, PlacedEvent, PositionEvent,
                       PositionsEvent)
from .ibhistory import bar_seconds, format_end, plan_requests
from .ibjournal import DEFAULT_JOURNAL, OrderJournal
from .iblane import OrderLane
from .ibpacing import HistoricalPacer

__all__ = ('IBStore', 'IBError', 'IBMessage', 'IBConnectionLost', 'load_client')

UTC = _dt.timezone.utc
log = logging.getLogger('backtrader_ib.ibstore')

MARKET_DATA_TYPES = {'realtime': 1, 'real-time': 1, 'live': 1, 'frozen': 2, 'delayed': 3,
                     'delayed-frozen': 4, 'delayedfrozen': 4}

# error codes that are informational for an order (never a rejection)
ORDER_INFO_CODES = frozenset({161, 399, 404, 434, 10147, 10148, 10149, 10167, 10197})
# connection-level codes with their meaning for streams
LOST_CODES = frozenset({1100, 2103, 2105, 2157})          # data may stop: mark streams stale
RESTORED_LOST = frozenset({1101, 10225})                   # data lost: resubscribe everything
RESTORED_KEPT = frozenset({1102, 2104, 2106, 2158})        # restored: resubscribe stale streams
NOT_SUBSCRIBED = frozenset({354, 420, 10089, 10090, 10168})
TICK_REFUSED = frozenset({10189, 10190})  # tick-by-tick: type not available, too many
NOT_CONNECTED = 504            # a request TWS did not take: it is not connected
PORT_RESET = 1300              # TWS moved its API port and drops this connection


def new_port(text: str) -> int | None:
    """The port a 1300 message asks to reconnect on (its last number after 'port')."""
    found = re.findall(r'port\D{0,12}?(\d{2,5})', text or '')
    return int(found[-1]) if found else None


class IBConnectionLost(ConnectionError):
    """Reconnecting to TWS/Gateway gave up (``maxoutage``, ``reconnect``): the run ends."""


class IBError:
    """An error/system message from TWS, as delivered to ``notify_store``."""

    __slots__ = ('reqId', 'code', 'text', 'errorCode', 'errorMsg', 'id')

    def __init__(self, reqId: int, code: int, text: str):
        self.reqId = self.id = reqId
        self.code = self.errorCode = code
        self.text = self.errorMsg = text

    def __repr__(self) -> str:
        return f'<IBError reqId={self.reqId} code={self.code} {self.text!r}>'

    def __str__(self) -> str:
        return f'IB error {self.code} (reqId {self.reqId}): {self.text}'


class IBMessage:
    """Any TWS message as received (``notifyall=True``): its id and raw fields."""

    __slots__ = ('msgId', 'fields')

    def __init__(self, fields: list):
        self.msgId = int(fields[0]) if fields and fields[0].isdigit() else -1
        self.fields = list(fields)

    def __repr__(self) -> str:
        return f'<IBMessage {self.msgId} {self.fields[1:]!r}>'

    __str__ = __repr__


def load_client(name: str | None = None):
    """The client library module: ``name`` if given, else ib_insync, else ib_async."""
    names = [name] if name else ['ib_insync', 'ib_async']
    for n in names:
        if n not in ('ib_insync', 'ib_async'):
            raise ValueError(f"IBStore client={n!r}: use 'ib_insync' or 'ib_async'")
        try:
            return importlib.import_module(n)
        except ImportError:
            continue
    raise ImportError('IBStore needs ib_insync or ib_async: pip install backtrader_ib[ib] '
                      '(or [ib_async])')


class IBStore(Store):
    """Singleton connection to TWS / IB Gateway; hands out IBData feeds and the IBBroker."""

    params = (
        ('host', '127.0.0.1'),
        ('port', 7497),             # TWS paper (backtrader: 7496, TWS live)
        ('clientId', None),         # None: a random id (a new one if it is in use)
        ('notifyall', False),
        ('_debug', False),
        ('reconnect', -1),          # attempts after a drop; -1: no count (maxoutage bounds)
        ('maxoutage', 900.0),       # give up after this many seconds without a connection
        ('timeout', 3.0),           # first pause between attempts (doubles, with jitter)
        ('timeoffset', True),
        ('timerefresh', 60.0),
        ('indcash', True),
        ('readonly', False),
        ('live', False),            # True: the broker may trade a non-paper (real money) account
        ('account', ''),
        ('marketdatatype', 1),      # 1/'realtime', 2/'frozen', 3/'delayed', 4/'delayed-frozen'
        ('connect_timeout', 10.0),
        ('histtimeout', 60.0),      # seconds without an answer to a historical request
        ('pacingbackoff', 2.0),     # first pause after a 162 pacing violation (doubles)
        ('maxbackoff', 60.0),
        ('pacing', True),           # space historical requests by IB's pacing rules
        ('cache', None),            # a directory: keep downloaded bars there (Parquet/CSV)
        ('client', None),           # 'ib_insync' or 'ib_async'; None: whichever is installed
        # the order journal (SQLite) the broker keeps; None: none. A relative path is
        # taken from the current directory. With clientId=None the client id it
        # recorded is used again, so orders of the last run can be cancelled
        ('journal', DEFAULT_JOURNAL),
    )

    def __init__(self) -> None:
        super().__init__()
        self.lib = load_client(self.p.client)
        mdt = self.p.marketdatatype
        self.mdt = MARKET_DATA_TYPES.get(str(mdt).lower(), mdt)
        if self.mdt not in (1, 2, 3, 4):
            raise ValueError(f'IBStore marketdatatype={mdt!r}: use 1-4 or '
                             "'realtime', 'frozen', 'delayed', 'delayed-frozen'")
        self.ib: Any = None  # the client library's IB, made on the loop thread
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._conn_evt: asyncio.Event | None = None
        self._connected = False
        self._gaveup = False
        self.lost: str | None = None     # why reconnecting gave up, once it did
        self._stopping = False
        self._reconnecting: asyncio.Future | None = None
        self._cid_in_use = False
        self._connecting: asyncio.Future | None = None
        self._time_task: asyncio.Future | None = None
        self.clientId = self.p.clientId
        self.port = self.p.port          # TWS may move it (1300)
        self.managed_accounts: list = []
        self.account = self.p.account
        self.tmoffset = _dt.timedelta()
        self.pacer = HistoricalPacer()
        self.cache = BarCache(self.p.cache) if self.p.cache else None
        self.streams: list = []
        self._reqid_stream: dict = {}    # request id -> LiveStream
        self.brokers: list = []
        self.account_values: dict = {}   # (account, tag, currency) -> str
        self.ib_positions: dict = {}     # (account, conId) -> (size, avgCost, contract)
        self.exec_ids: set = set()       # every execId seen (all of them are in ib_positions)
        self.connections = 0             # successful connects (tests, diagnostics)
        self.journal: OrderJournal | None = None
        self.lane: OrderLane | None = None  # order work, in order (journal, then the loop)
        self.market_rules: dict = {}     # rule id -> ((lowEdge, increment), ...) (ibrules)

    # -- the loop thread ---------------------------------------------------------
    def _ensure_loop(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        loop = asyncio.new_event_loop()

        def run():
            asyncio.set_event_loop(loop)
            loop.run_forever()
        self._loop = loop
        self._thread = threading.Thread(target=run, name='ibstore', daemon=True)
        self._thread.start()
        if self.lane is None or not self.lane.alive():
            self.lane = OrderLane()
            self._journal_on_lane()
        self.ib = self.call(self._make_ib)

    def _make_ib(self):
        ib = self.lib.IB()
        ib.RaiseRequestErrors = True
        # IB disconnects clients above 50 messages/s: let the client queue the excess
        ib.client.MaxRequests, ib.client.RequestsInterval = 45, 1.0
        self._conn_evt = asyncio.Event()
        w = ib.wrapper
        for name in ('error', 'tickString', 'priceSizeTick', 'orderStatus', 'openOrder',
                     'execDetails', 'commissionReport', 'updateAccountValue', 'position',
                     'updatePortfolio', 'tickByTickAllLast', 'tickByTickBidAsk',
                     'tickByTickMidPoint'):
            self._tap(w, name, getattr(self, '_on_' + name))
        ib.disconnectedEvent += self._on_disconnected
        if self.p.notifyall:
            self._tap(ib.client.decoder, 'interpret', self._on_message)
        return ib

    def _on_message(self, fields) -> None:
        msg = IBMessage(fields)
        if msg.msgId != 4:  # errors are queued once, as IBError
            if self.p._debug:
                print(msg)
            self.put_notification(msg)

    @staticmethod
    def _tap(wrapper, name: str, handler: Callable) -> None:
        orig = getattr(wrapper, name)

        def tapped(*args):
            result = orig(*args)
            try:
                handler(*args)
            except Exception:  # a bug here must not kill the reader
                log.exception('IBStore: handling %s', name)
            return result
        setattr(wrapper, name, tapped)

    def on_loop(self) -> bool:
        return threading.current_thread() is self._thread

    def call(self, what, timeout: float | None = 30.0):
        """Run a coroutine or function on the loop and wait for its result (after the
        order work asked for before it: what the caller sent, the loop sent first)."""
        if self.on_loop():
            raise RuntimeError('IBStore.call from the loop thread would deadlock')
        if self.lane is not None:
            self.lane.flush()
        return self.submit(what).result(timeout)

    def submit(self, what) -> concurrent.futures.Future:
        """Schedule a coroutine or function on the loop; don't wait."""
        if asyncio.iscoroutine(what):
            return asyncio.run_coroutine_threadsafe(what, self._loop)

        async def run():
            return what()
        return asyncio.run_coroutine_threadsafe(run(), self._loop)

    # -- life cycle ----------------------------------------------------------------
    def start(self, data=None, broker=None) -> bool:  # type: ignore[override]  # connected?
        super().start(data=data, broker=broker)
        if broker is not None and not any(b is broker for b in self.brokers):
            self.brokers.append(broker)
        self._stopping = False
        self._ensure_loop()
        if not self._connected and self._reconnecting is None:
            self._gaveup = False
            self.lost = None
            if self.p.clientId is None and self.p.journal and self.connections == 0:
                # the journal's client id: orders can only be cancelled by their client
                self.clientId = OrderJournal.peek_client_id(self.p.journal) or self.clientId
            self.call(self._connect_retrying(initial=True), timeout=None)
        return self._connected

    def stop(self) -> None:
        super().stop()
        if self._thread is None:
            return
        self._stopping = True
        if self.lane is not None:
            self.lane.flush()  # orders and journal writes asked for before the stop
        try:
            self.call(self._astop, timeout=10)
        except Exception:
            log.exception('IBStore: stopping')
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._thread = None
        self._loop.close()
        self._connected = False
        self.streams = []
        self.brokers = []
        self.datas = []
        if self.lane is not None:
            self.lane.close()
            self.lane = None
        if self.journal is not None:
            self.journal.close()
            self.journal = None

    def release(self, user) -> None:
        """A feed or the broker is done; the last one out disconnects."""
        # identity: feeds compare with == into line operations
        self.datas = [d for d in self.datas if d is not user]
        self.brokers = [b for b in self.brokers if b is not user]
        if not self.datas and not self.brokers:
            self.stop()

    def _astop(self) -> None:
        for s in self.streams:
            s.close()
        if self._reconnecting is not None:
            self._reconnecting.cancel()
            self._reconnecting = None
        self.ib.disconnect()

    def isconnected(self) -> bool:
        return self._connected

    # -- connection ------------------------------------------------------------------
    async def _connect_retrying(self, initial: bool, since: float | None = None) -> bool:
        """Connect, retrying with back-off and jitter until ``reconnect`` attempts
        (-1: no count) or ``maxoutage`` seconds since ``since`` (the drop) have
        passed; every failed attempt is notified and logged."""
        tries = self.p.reconnect
        if initial and tries >= 0:
            tries += 1  # the first connection plus the retries, as backtrader
        since = time.monotonic() if since is None else since
        maxout = self.p.maxoutage
        attempt = 0
        while tries < 0 or attempt < max(tries, 1):
            if attempt:
                down = time.monotonic() - since
                if maxout is not None and down >= maxout:
                    break
                pause = min(self.p.timeout * 2 ** (attempt - 1), self.p.maxbackoff)
                pause *= random.uniform(1.0, 1.25)
                if maxout is not None:
                    pause = min(pause, maxout - down)  # one last try at the limit
                await asyncio.sleep(pause)
            attempt += 1
            if self._stopping:
                return False
            if await self._connect_once():
                return True
            self._attempt_failed(attempt, tries, since)
        self._gaveup = True
        down = time.monotonic() - since
        self.put_notification(f'IBStore: cannot connect to {self.p.host}:{self.port} '
                              f'after {attempt} attempt(s) ({down:.0f} s without a connection)')
        log.error('IBStore: cannot connect to %s:%s after %d attempt(s); giving up',
                  self.p.host, self.port, attempt)
        return False

    def _attempt_failed(self, attempt: int, tries: int, since: float) -> None:
        down = time.monotonic() - since
        limits = []
        if tries >= 0:
            limits.append(f'{tries} attempts')
        if self.p.maxoutage is not None:
            limits.append(f'{self.p.maxoutage:g} s')
        until = ' or '.join(limits) or 'never (reconnect=-1, maxoutage=None)'
        msg = (f'IBStore: connecting to {self.p.host}:{self.port} failed (attempt {attempt}, '
               f'{down:.0f} s without a connection); retrying, giving up after {until}')
        self.put_notification(msg)
        log.warning(msg)

    async def _connect_once(self) -> bool:
        if self.clientId is None or (self._cid_in_use and self.p.clientId is None):
            self.clientId = random.randint(1, 65535)
        self._cid_in_use = False
        ib = self.ib
        self._connecting = asyncio.ensure_future(ib.connectAsync(
            self.p.host, self.port, clientId=self.clientId, timeout=self.p.connect_timeout,
            readonly=self.p.readonly, account=self.p.account))
        try:
            await self._connecting
        except (Exception, asyncio.CancelledError) as e:  # refused, timed out, 326, dropped
            if isinstance(e, asyncio.CancelledError) and not self._cid_in_use:
                raise
            log.info('IBStore: connect failed: %r', e)
            try:
                ib.disconnect()
            except ConnectionError:
                pass
            if self._cid_in_use:
                self.put_notification(f'IBStore: client id {self.clientId} is in use'
                                      + ('; trying another' if self.p.clientId is None else ''))
            return False
        finally:
            self._connecting = None
        self.managed_accounts = list(ib.managedAccounts())
        self.account = self.p.account or (self.managed_accounts[0] if self.managed_accounts else '')
        if self.mdt != 1:
            ib.reqMarketDataType(self.mdt)
        self._connected = True
        self._gaveup = False
        self.connections += 1
        self._conn_evt.set()
        if self.connections > 1:
            # after the executions the gateway replayed: compare positions
            snapshot = self.positions_of(self.account)
            self._push(PositionsEvent(snapshot))
        if self.p.timeoffset:
            await self._refresh_offset()
        return True

    async def _refresh_offset(self) -> None:
        server = await self.server_time(fallback=False)
        if server is not None:
            self.tmoffset = server - _dt.datetime.now(UTC)
        if self.p.timerefresh and not self._stopping:
            # a loop timer in a daemon thread: never keeps the process alive
            self._loop.call_later(self.p.timerefresh,
                                  lambda: self._connected and asyncio.ensure_future(
                                      self._refresh_offset()))

    async def server_time(self, fallback: bool = True) -> _dt.datetime | None:
        """The gateway's clock (reqCurrentTime), else the local one with the offset.

        Concurrent callers share one request: the client library keeps a single
        pending reqCurrentTime, so a second one would orphan the first."""
        task = self._time_task
        if task is None or task.done():
            task = self._time_task = asyncio.ensure_future(self._ask_time())
        server = await asyncio.shield(task)
        if server is None and fallback:
            return self.utcnow()
        return server

    async def _ask_time(self) -> _dt.datetime | None:
        try:
            return await asyncio.wait_for(self.ib.reqCurrentTimeAsync(), 5)
        except Exception:
            return None

    def utcnow(self) -> _dt.datetime:
        """Aware UTC now, corrected by the offset to the gateway's clock."""
        return _dt.datetime.now(UTC) + self.tmoffset

    def _on_disconnected(self) -> None:
        was = self._connected
        self._connected = False
        self.ib_positions.clear()  # the next connection downloads them afresh
        if self._conn_evt is not None:
            self._conn_evt.clear()
        if self._stopping or not was:
            return
        self.put_notification(f'IBStore: connection to {self.p.host}:{self.port} lost; '
                              'reconnecting' + (f' for up to {self.p.maxoutage:g} s'
                                                if self.p.maxoutage is not None else ''))
        for s in list(self.streams):
            s.broken()
        if self._reconnecting is None:
            self._reconnecting = asyncio.ensure_future(self._reconnect())

    async def _reconnect(self) -> None:
        since = time.monotonic()
        try:
            await asyncio.sleep(self.p.timeout * random.uniform(0.5, 1.0))
            ok = await self._connect_retrying(initial=False, since=since)
        finally:
            self._reconnecting = None
        if ok:
            self.put_notification(f'IBStore: reconnected to {self.p.host}:{self.port} after '
                                  f'{time.monotonic() - since:.0f} s')
        else:
            self._give_up()
        for s in list(self.streams):
            if ok:
                s.resubscribe(backfill=True)
            else:
                s.dead()

    def _give_up(self) -> None:
        """Reconnecting gave up: say what is left at IB unattended; the run ends
        with IBConnectionLost (raised by the feeds and the broker)."""
        parts = [b.summary() for b in self.brokers]
        msg = (f'IBStore: gave up reconnecting to {self.p.host}:{self.port}; the run ends. '
               + (' '.join(parts) if parts else 'No broker was attached.')
               + ' Orders stay at IB as they are: check TWS.')
        self.lost = msg
        self.put_notification(msg)
        log.error(msg)

    def check_lost(self) -> None:
        """Raise IBConnectionLost if reconnecting gave up."""
        if self.lost is not None:
            raise IBConnectionLost(self.lost)

    async def wait_connected(self) -> bool:
        """Wait for a (re)connection; False once reconnecting gave up or we stop."""
        while not self._connected:
            if self._gaveup or self._stopping or (self._reconnecting is None and not self._connected):
                return False
            try:
                await asyncio.wait_for(self._conn_evt.wait(), 0.5)
            except asyncio.TimeoutError:
                pass
        return True

    # -- contracts --------------------------------------------------------------------
    def make_contract(self, fields: dict):
        return self.lib.Contract(**fields)

    def contract_details(self, fields: dict, timeout: float = 30.0) -> list:
        """Every contract matching ``fields`` (a list of the library's ContractDetails)."""
        async def look():
            try:
                return await asyncio.wait_for(
                    self.ib.reqContractDetailsAsync(self.make_contract(fields)), timeout)
            except self.lib.RequestError:
                return []  # 200: no security definition
        return self.call(look(), timeout=timeout + 5)

    def check_contract(self, name: str, fields: dict):
        """The one ContractDetails for ``fields``, else None after a notification."""
        cds = self.contract_details(fields)
        if len(cds) == 1:
            return cds[0]
        found = '; '.join(describe_contract(cd.contract) for cd in cds[:10]) or 'nothing'
        what = 'no contract matches' if not cds else f'{len(cds)} contracts match'
        self.put_notification(f'Ambiguous contract: {name!r}: {what} ({found}); '
                              'add exchange/currency/expiry or use conId')
        return None

    parse_contract = staticmethod(parse_contract)

    # -- historical download --------------------------------------------------------------
    async def download(self, contract, timeframe: int, compression: int, begin, end,
                       what: str, useRTH: bool, emit: Callable, stamp: Callable,
                       limit: float | None = None, status: Callable | None = None) -> bool:
        """Fetch [begin, end] chunk by chunk, oldest first; ``emit`` each bar tuple.

        ``stamp(bar)`` gives the bar's day number; bars after ``limit`` (still
        forming) are left out. False if it gave up (a notification says why).
        """
        try:
            reqs = plan_requests(timeframe, compression, begin, end)
        except ValueError as e:
            self.put_notification(f'{describe_contract(contract)}: {e}')
            if status is not None:
                status('notsupported')
            return False
        secs = bar_seconds(timeframe, compression)
        small = secs is not None and secs <= 30
        for req in reqs:
            bars = await self._request_bars(contract, req, what, useRTH, small, status)
            if bars is None:
                return False
            for b in bars:
                dt = stamp(b)
                if limit is not None and dt > limit:
                    continue
                emit(BarItem(dt, b.open, b.high, b.low, b.close, float(b.volume), 0.0))
        return True

    async def _request_bars(self, contract, req, what: str, useRTH: bool, small: bool,
                            status: Callable | None):
        """One request with pacing, 162 back-off, reconnection waits; None: give up."""
        ckey = (contract.conId, contract.exchange, what)
        fkey = ckey + (req.end, req.duration, req.barsize, useRTH)
        weight = 2 if what == 'BID_ASK' else 1
        backoff = self.p.pacingbackoff
        desc = f'{describe_contract(contract)} {req.barsize} {req.duration} to {format_end(req.end)}'
        cached = None
        if self.cache is not None and self.cache.cacheable(req.end, self.utcnow()):
            cached = self.cache.path(contract.conId, req, what, useRTH)
            bars = self.cache.get(cached)
            if bars is not None:
                return bars
        while True:
            if not await self.wait_connected():
                return None
            if self.p.pacing:
                wait = self.pacer.delay(ckey, fkey, weight, small)
                if wait:
                    await asyncio.sleep(wait)
                self.pacer.record(ckey, fkey, weight, small)
            try:
                bars = await asyncio.wait_for(
                    self.ib.reqHistoricalDataAsync(contract, format_end(req.end), req.duration,
                                                   req.barsize, what, useRTH, formatDate=2,
                                                   timeout=0),
                    self.p.histtimeout)
                bars = list(bars)
                if cached is not None:
                    self.cache.put(cached, bars)
                return bars
            except asyncio.TimeoutError:
                self.put_notification(f'Historical request timed out after '
                                      f'{self.p.histtimeout} s: {desc}')
                return None
            except ConnectionError:
                continue  # dropped: wait for the reconnection and ask again
            except self.lib.RequestError as e:
                text = e.message if hasattr(e, 'message') else str(e)
                if e.code == 162 and 'pacing' in text.lower():
                    self.put_notification(f'Pacing violation (162), retrying in {backoff:g} s: '
                                          f'{desc}')
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, self.p.maxbackoff)
                    continue
                if e.code == 162 or e.code == 166:
                    if cached is not None:
                        self.cache.put(cached, [])
                    return []  # "HMDS query returned no data": an empty answer
                if e.code in NOT_SUBSCRIBED and status is not None:
                    status('notsubscribed', e.code, text)
                self.put_notification(f'Historical request failed ({e.code}: {text}): {desc}')
                return None

    # -- live streams --------------------------------------------------------------------
    def add_stream(self, stream) -> None:
        self.streams.append(stream)

    def remove_stream(self, stream) -> None:
        if stream in self.streams:
            self.streams.remove(stream)

    def stream_of(self, reqId: int):
        return self._reqid_stream.get(reqId)

    # -- message taps (loop thread) ---------------------------------------------------------
    def _on_error(self, reqId, code, text, *rest) -> None:
        err = IBError(reqId, code, text)
        if self.p._debug:
            print(err)
        if code == 326:
            # the gateway refuses this client id: stop waiting for the handshake
            self._cid_in_use = True
            if self._connecting is not None:
                self._connecting.cancel()
        if code == PORT_RESET:
            self._port_reset(text)
        stream = self.stream_of(reqId) if reqId is not None and reqId >= 0 else None
        if code == NOT_CONNECTED:
            # the request did not reach IB: its answer may never come; a later
            # restored message (1102, 2104, ...) or a reconnection resubscribes
            for s in ([stream] if stream is not None else self.streams):
                s.stale = True
        elif stream is not None:
            if code in NOT_SUBSCRIBED or code in TICK_REFUSED:
                stream.notsubscribed(code, text)
            elif code == 10225:
                stream.resubscribe(backfill=True)
            elif code < 2100 or (code >= 10000 and code != 10167):  # 10167: delayed shown
                # e.g. 101 too many tickers, 10197 no data during a competing session:
                # the data may have stopped; a later "restored" message resubscribes
                if code >= 10000:
                    stream.stale = True
                stream.put(StatusItem('UNKNOWN', (code, text)))
        elif code in LOST_CODES:
            for s in self.streams:
                s.stale = True
        elif code in RESTORED_LOST:
            for s in self.streams:
                s.resubscribe(backfill=True)
        elif code in RESTORED_KEPT:
            for s in self.streams:
                if s.stale:
                    s.resubscribe(backfill=True)
        self._push(ErrorEvent(reqId, code, text))
        self.put_notification(err)

    def _port_reset(self, text: str) -> None:
        port = new_port(text)
        if port:
            self.port = port
        self.put_notification(f'IBStore: TWS reset its API port (1300); reconnecting on '
                              f'{self.p.host}:{self.port}')
        # TWS drops the connection itself; don't wait for it
        self._loop.call_soon(lambda: self._connected and self.ib.disconnect())

    def _on_tickString(self, reqId, tickType, value) -> None:
        if tickType in (48, 77, 45, 88):
            s = self.stream_of(reqId)
            if s is not None:
                if tickType in (45, 88):  # (delayed) last timestamp
                    s.on_timestamp(value)
                else:
                    s.on_rtvolume(value)

    def _on_priceSizeTick(self, reqId, tickType, price, size) -> None:
        s = self.stream_of(reqId)
        if s is not None:
            s.on_price(tickType, price, size)

    # tick-by-tick: rows (epoch, values...) with IB's time (the library stamps its own)
    def _on_tickByTickAllLast(self, reqId, tickType, when, price, size, *rest) -> None:
        s = self.stream_of(reqId)
        if s is not None:
            s.on_tick((int(when), float(price), float(size)))

    def _on_tickByTickBidAsk(self, reqId, when, bid, ask, bidSize, askSize, *rest) -> None:
        s = self.stream_of(reqId)
        if s is not None:
            s.on_tick((int(when), float(bid), float(ask), float(bidSize), float(askSize)))

    def _on_tickByTickMidPoint(self, reqId, when, mid) -> None:
        s = self.stream_of(reqId)
        if s is not None:
            s.on_tick((int(when), float(mid)))

    def _push(self, event) -> None:
        for b in self.brokers:
            b.push_event(event)

    def _on_orderStatus(self, orderId, status, filled, remaining, avgFillPrice, permId,
                        parentId, lastFillPrice, clientId, whyHeld, *rest) -> None:
        self._push(OrderStatusEvent(orderId, status, float(filled), float(remaining),
                                    avgFillPrice, permId or 0, clientId or 0))

    def _on_openOrder(self, orderId, contract, order, orderState) -> None:
        def price(x):
            return None if x is None or abs(x) > 1e300 else x
        self._push(OpenOrderEvent(
            orderId, order.permId, orderState.status, order.clientId, order.orderRef or '',
            contract.conId, order.action, float(order.totalQuantity), order.orderType,
            price(order.lmtPrice), price(order.auxPrice), order.tif, order.parentId or 0,
            order.ocaGroup or '', order.account or '', copy.copy(contract)))

    def _on_execDetails(self, reqId, contract, execution) -> None:
        self.exec_ids.add(execution.execId)
        self._push(ExecutionEvent(execution.execId, execution.orderId, execution.permId,
                                  contract.conId, execution.side, float(execution.shares),
                                  execution.price, execution.time,
                                  execution.orderRef or '', execution.clientId or 0))

    def _on_commissionReport(self, report) -> None:
        realized = report.realizedPNL
        if realized is None or abs(realized) > 1e300:
            realized = 0.0
        self._push(CommissionEvent(report.execId, report.commission, realized))

    def _on_updateAccountValue(self, tag, val, currency, account) -> None:
        self.account_values[(account, tag, currency)] = val

    def _on_position(self, account, contract, pos, avgCost) -> None:
        self._set_position(account, contract, float(pos), avgCost)

    def _on_updatePortfolio(self, contract, pos, marketPrice, marketValue, averageCost,
                            unrealizedPNL, realizedPNL, account) -> None:
        self._set_position(account, contract, float(pos), averageCost)

    def _set_position(self, account, contract, size: float, cost: float) -> None:
        key = (account, contract.conId)
        old = self.ib_positions.get(key)
        self.ib_positions[key] = (size, cost, contract)
        if self._connected and (old is None or old[0] != size):
            # while connected: the broker compares it with its own (fills in flight counted)
            self._push(PositionEvent(account, contract.conId, size, cost, copy.copy(contract)))

    # -- account ------------------------------------------------------------------------------
    def get_acc_values(self, account: str | None = None) -> dict:
        """Account values as TWS sends them, ``{tag: {currency: value}}`` (numbers as
        floats). ``account=None``: the only managed account, or with several of them
        ``{account: {tag: {currency: value}}}`` (backtrader's store API)."""
        out: dict = {}
        for (a, tag, ccy), v in list(self.account_values.items()):
            try:
                v = float(v)
            except ValueError:
                pass
            out.setdefault(a, {}).setdefault(tag, {})[ccy] = v
        if account is None and len(self.managed_accounts) == 1:
            account = self.managed_accounts[0]
        return out if account is None else out.get(account, {})

    def _acc_sum(self, tag: str, account: str | None) -> float:
        total = 0.0
        for a in [account] if account else (self.managed_accounts or [self.account]):
            total += self.base_value(tag, a) or 0.0
        return total

    def get_acc_value(self, account: str | None = None) -> float:
        """NetLiquidation of ``account``; None: summed over the managed accounts."""
        return self._acc_sum('NetLiquidation', account)

    def get_acc_cash(self, account: str | None = None) -> float:
        """TotalCashBalance (BASE) of ``account``; None: summed over the managed accounts."""
        return self._acc_sum('TotalCashBalance', account)

    def positions_of(self, account: str) -> dict:
        """IB's positions of ``account``: conId -> (size, averageCost, contract)."""
        return {con: v for (a, con), v in list(self.ib_positions.items()) if a == account}

    def base_value(self, tag: str, account: str | None = None) -> float | None:
        """A value in the base currency: as BASE, else in the currency TWS sent
        it in (NetLiquidation comes in the account's own currency only)."""
        v = self.account_value(tag, 'BASE', account)
        return v if v is not None else self.account_value(tag, None, account)

    def account_value(self, tag: str, currency: str | None = 'BASE',
                      account: str | None = None) -> float | None:
        """A value of ``account`` (default: the store's); ``currency=None``: in
        whatever currency it came."""
        acct = account or self.account
        if currency is None:
            v = next((val for (a, t, _), val in list(self.account_values.items())
                      if a == acct and t == tag), None)
        else:
            v = self.account_values.get((acct, tag, currency))
        if v is None:
            return None
        try:
            return float(v)
        except ValueError:
            return None

    def send_later(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the loop after the order work asked for before it (the
        lane's); returns at once, with no system call on the caller's thread."""
        loop = self._loop

        def hand_over() -> None:
            try:
                loop.call_soon_threadsafe(fn)
            except RuntimeError:  # the loop was closed (stopped meanwhile)
                log.warning('IBStore: the loop is closed; %r not run', fn)
        self._on_lane(hand_over)

    def _on_lane(self, job: Callable[[], None]) -> None:
        """Run ``job`` after the order work asked for before it: on the lane, or
        now when there is none."""
        if self.lane is None:
            job()
        else:
            self.lane.post(job)

    def place_order(self, contract, order, ref: int | None = None, broker=None,
                    parent=None, before: Callable[[], None] | None = None) -> None:
        """Queue ``order`` to be sent; returns at once (never waits on the lane or the loop).

        On the order lane, in the order of the calls: ``before()`` runs (the
        broker's journal write: on disk before anything is sent); then, on the
        loop, ``parent`` (the parent's IB order, queued earlier) gives its id as
        ``parentId``, and the order gets the next id and is sent (``_transmit``).
        ``broker`` gets a PlacedEvent before any status of the order, or a
        PlaceFailedEvent if it was not sent.
        """
        def failed(e: Exception) -> None:  # not sent: the broker rejects it, saying why
            if broker is not None:
                broker.push_event(PlaceFailedEvent(ref, str(e) or repr(e)))
            if not isinstance(e, ConnectionError):
                log.exception('IBStore: placing order ref %s', ref)

        def place():
            try:
                if parent is not None:
                    if not parent.orderId:
                        raise ConnectionError('its parent order was not sent')
                    order.parentId = parent.orderId
                self._transmit(contract, order, ref, broker)
            except Exception as e:
                failed(e)

        def record():
            try:
                if before is not None:
                    before()
            except Exception as e:
                failed(e)
                return
            try:
                self._loop.call_soon_threadsafe(place)
            except RuntimeError as e:  # the loop was closed (the store stopped)
                failed(ConnectionError(f'IBStore: stopped; order not sent ({e})'))
        self._on_lane(record)

    def _transmit(self, contract, order, ref: int | None, broker) -> None:
        """Give ``order`` the next id and send it (loop thread)."""
        if not self._connected:
            raise ConnectionError('IBStore: not connected to TWS/Gateway; order not sent')
        order.orderId = self.ib.client.getReqId()
        if broker is not None:
            broker.push_event(PlacedEvent(ref, order.orderId))
        self.ib.placeOrder(contract, order)

    snapshot_timeout = 10.0   # seconds for each answer of order_snapshot

    def open_journal(self) -> OrderJournal | None:
        """The order journal (opened once per store), or None (journal=None)."""
        if self.journal is None and self.p.journal:
            self.journal = OrderJournal(self.p.journal)
            self._journal_on_lane()
        return self.journal

    def _journal_on_lane(self) -> None:
        """The journal writes on the order lane (whichever of the two came second)."""
        if self.journal is not None and self.lane is not None:
            self.journal.attach(self.lane)

    async def order_snapshot(self) -> dict | None:
        """What IB knows about orders now: every client's open orders, the
        completed orders and the day's fills, as plain copies; None if IB did
        not answer (never an empty answer taken for "no orders")."""
        ib = self.ib
        out: dict = {'open': [], 'completed': [], 'fills': []}
        if not self._connected or self.p.readonly:
            return None
        for key, req in (('open', ib.reqAllOpenOrdersAsync),
                         ('completed', lambda: ib.reqCompletedOrdersAsync(False))):
            try:
                trades = await asyncio.wait_for(req(), self.snapshot_timeout)
            except (asyncio.TimeoutError, ConnectionError) as e:
                self.put_notification(f'IBStore: asking for the {key} orders failed ({e!r})')
                return None
            for t in trades or []:
                o, st = t.order, t.orderStatus
                out[key].append({
                    'orderRef': o.orderRef or '', 'orderId': o.orderId, 'clientId': o.clientId,
                    'permId': o.permId, 'status': st.status, 'filled': float(st.filled or 0),
                    'conId': t.contract.conId, 'action': o.action,
                    'totalQuantity': float(o.totalQuantity), 'orderType': o.orderType,
                    'lmtPrice': o.lmtPrice if abs(o.lmtPrice or 0) < 1e300 else None,
                    'auxPrice': o.auxPrice if abs(o.auxPrice or 0) < 1e300 else None,
                    'tif': o.tif, 'account': o.account,
                    'contract': copy.copy(t.contract), 'order': copy.copy(o)})
        for f in ib.fills():
            ex, cr = f.execution, f.commissionReport
            out['fills'].append({
                'execId': ex.execId, 'orderRef': ex.orderRef or '', 'orderId': ex.orderId,
                'permId': ex.permId, 'clientId': ex.clientId, 'conId': f.contract.conId,
                'side': ex.side, 'shares': float(ex.shares), 'price': ex.price, 'time': ex.time,
                'commission': cr.commission if cr and cr.execId else 0.0})
        return out

    def cancel_order(self, order) -> None:
        def cancel():
            if not order.orderId:
                return  # never sent (its placement failed): nothing to cancel at IB
            if self._connected:
                self.ib.cancelOrder(order)
            else:
                self.put_notification(f'IBStore: not connected to TWS/Gateway; cancel of order '
                                      f'{order.orderId} not sent (the order stays as it is)')
        self.send_later(cancel)  # after its placement, which gives it its id
