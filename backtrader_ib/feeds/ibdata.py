"""IBData: historical and live bars from Interactive Brokers through IBStore.

Life of a live feed: CONNECTED, contract check, DELAYED while the backfill
runs (from ``fromdate``, or the last bar after a drop, up to the gateway's
now), LIVE, then ticks or 5-second bars. A drop gives CONNBROKEN; after the
reconnection DELAYED, the gap, LIVE again. ``historical=True``: CONNECTED,
DELAYED, the bars of [fromdate, todate], DISCONNECTED.

``ticks='Last'|'AllLast'|'BidAsk'|'MidPoint'`` makes it a tick feed (IB's
tick-by-tick data, timeframe Ticks): each tick is a bar stamped with IB's
time, price in open/high/low/close, size in volume; BidAsk ticks are priced at
the midpoint and the feed (an :class:`IBBidAskData`) has ``bid``, ``ask``,
``bidsize`` and ``asksize`` lines. Backfills (``fromdate``, and the gap after
a drop) come from historical ticks; ``historical=True`` downloads the ticks of
[fromdate, todate].

Bars are stamped at their end (the right edge of their interval), the
convention of backtrader_ib's resampler, for downloaded, backfilled and
5-second real-time bars alike; daily and longer bars at ``sessionend`` in
the contract's time zone.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from ..dataseries import TimeFrame
from ..feed import DataBase
from ..stores.ibcontracts import parse_contract
from ..stores.ibevents import BarItem, EndItem, QuoteItem, StatusItem, TickItem
from ..stores.ibhistory import bar_seconds
from ..stores.ibrules import fetch_rule
from ..stores.ibstore import IBStore
from ..stores.ibstream import LiveStream, run_historical
from ..stores.ibtickstream import (HISTORICAL_WHAT, TickStream, epoch_num,
                                   run_historical_ticks, tick_kind)
from ..stores.ibtime import contract_timezone
from ..utils.date import date2num, num2date
from .livequeue import FeedState, LiveQueue, LiveQueueData

__all__ = ('IBData', 'IBBidAskData')

UTC = _dt.timezone.utc


class IBData(LiveQueueData):
    """Interactive Brokers data feed (see docs/ib.md for contract strings)."""

    params = (
        ('sectype', 'STK'),
        ('exchange', 'SMART'),
        ('currency', ''),
        ('rtbar', False),
        ('historical', False),
        ('what', None),
        ('useRTH', False),
        ('qcheck', 0.5),
        ('backfill_start', True),
        ('backfill', True),
        ('backfill_from', None),
        ('latethrough', False),
        ('tradename', None),
        # tick-by-tick: 'Last', 'AllLast', 'BidAsk' or 'MidPoint' (None: bars/RTVolume)
        ('ticks', None),
        # contract fields the string cannot carry
        ('conId', None),
        ('localSymbol', None),
        ('tradingClass', None),
        ('primaryExchange', None),
        ('includeExpired', False),
        ('expiry', None),
        ('strike', None),
        ('right', None),
        ('multiplier', None),
    )

    _store = IBStore
    _STATUS = {'DELAYED': 'DELAYED', 'LIVE': 'LIVE', 'CONNBROKEN': 'CONNBROKEN',
               'NOTSUBSCRIBED': 'NOTSUBSCRIBED', 'DISCONNECTED': 'DISCONNECTED',
               'NOTSUPPORTED': 'NOTSUPPORTED_TF', 'UNKNOWN': 'UNKNOWN'}

    def __new__(cls, *args: Any, **kwargs: Any):
        # a BidAsk tick feed carries the quote's lines: it is an IBBidAskData
        if cls is IBData and kwargs.get('ticks') is not None \
                and tick_kind(kwargs['ticks']) == 'BidAsk':
            cls = IBBidAskData
        return super().__new__(cls)

    def _preinit(self, args, kwargs):
        args, kwargs = super()._preinit(args, kwargs)
        p = self.p
        self._kind = None if p.ticks is None else tick_kind(p.ticks)
        if self._kind is not None:
            if p.timeframe not in (TimeFrame.Ticks, TimeFrame.Days) or p.compression != 1:
                raise ValueError(f'IBData ticks={p.ticks!r}: a tick feed has timeframe '
                                 'Ticks; resample or replay it to bars (timeframe='
                                 f'{TimeFrame.getname(p.timeframe, p.compression)} given)')
            if p.historical and p.fromdate is None:
                raise ValueError(f'IBData ticks={p.ticks!r}, historical=True: fromdate is '
                                 'needed (the first tick to download)')
            if p.rtbar:
                raise ValueError(f'IBData ticks={p.ticks!r} and rtbar=True: choose one')
            p.timeframe = self._timeframe = TimeFrame.Ticks
            p.compression = self._compression = 1
        return args, kwargs

    def __init__(self, **kwargs: Any) -> None:
        storekw = {k: v for k, v in kwargs.items() if k in IBStore.params._getkeys()}
        unknown = set(kwargs) - set(storekw)
        if unknown:
            raise TypeError(f'IBData: unknown parameter(s) {", ".join(sorted(unknown))}')
        self.ib = IBStore(**storekw)
        self.contract: Any = None  # the client library's Contract, once resolved
        self.tradecontract = self.contractdetails = self.tradedetails = None
        self._tzname = None
        super().__init__()
        self._stream: LiveStream | TickStream | None = None

    # -- backtrader API ---------------------------------------------------------
    def setenvironment(self, env) -> None:
        super().setenvironment(env)
        env.addstore(self.ib)  # so Cerebro delivers notify_store, as in backtrader

    def islive(self) -> bool:
        return not self.p.historical

    def _timeoffset(self) -> _dt.timedelta:
        return self.ib.tmoffset

    def _gettz(self):
        if self.p.tz is not None or self._tzname is None:
            return super()._gettz()
        return self._tzname

    def contract_fields(self, name: str | None = None) -> dict:
        p = self.p
        return parse_contract(
            name or p.dataname, sectype=p.sectype, exchange=p.exchange, currency=p.currency,
            conId=p.conId, localSymbol=p.localSymbol, tradingClass=p.tradingClass,
            primaryExchange=p.primaryExchange, includeExpired=p.includeExpired,
            expiry=p.expiry, strike=p.strike, right=p.right, multiplier=p.multiplier)

    # -- start / stop ---------------------------------------------------------------
    def start(self) -> None:
        super().start()
        self._laststatus = None  # so CONNECTED is delivered (backtrader swallows it)
        self._q = LiveQueue()  # a fresh one: nothing of an earlier run's stream
        self._state = FeedState.ENDED
        fields = self.contract_fields()  # bad strings fail before connecting
        tradefields = self.contract_fields(self.p.tradename) if self.p.tradename else None
        if not self.ib.start(data=self):
            self.put_notification(self.DISCONNECTED)
            return
        self.put_notification(self.CONNECTED)
        cd = self.ib.check_contract(self.p.dataname, fields)
        if cd is None:
            self.put_notification(self.DISCONNECTED)
            return
        self.contractdetails = self.tradedetails = cd
        self.contract = self.tradecontract = cd.contract
        if tradefields is not None:
            tcd = self.ib.check_contract(self.p.tradename, tradefields)
            if tcd is None:
                self.put_notification(self.DISCONNECTED)
                return
            self.tradecontract, self.tradedetails = tcd.contract, tcd
        if not self.ib.p.readonly:  # the first order is checked on it, with no wait
            fetch_rule(self.ib, self.tradecontract, self.tradedetails)
        if self.p.tz is None:
            self._tzname, problem = contract_timezone(getattr(cd, 'timeZoneId', ''))
            if problem:
                self.ib.put_notification(f'{self.p.dataname}: {problem}')
        self._start_finish()
        self._begin()

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None and self.ib._thread is not None:
            self.ib.submit(stream.close)
        super().stop()
        self.ib.release(self)

    # -- what to request ---------------------------------------------------------------
    def _what(self) -> str:
        if self.p.what:
            return self.p.what
        sectype = self.contract.secType
        return 'BID' if sectype in ('CASH', 'CFD') else 'TRADES'

    def _source(self) -> tuple:
        """(live source, quote field) for this contract and params."""
        sectype = self.contract.secType
        tf, comp = self.p.timeframe, self.p.compression
        if self.p.rtbar and (tf, comp) >= (TimeFrame.Seconds, 5):
            return 'rtbar', 'LAST'
        if sectype in ('CASH', 'CFD'):
            return 'tickprice', 'ASK' if (self.p.what or '').upper() == 'ASK' else 'BID'
        if self.ib.mdt in (3, 4):
            return 'tickprice', 'LAST'  # delayed data has no RTVolume: delayed last prices
        if sectype == 'IND' and self.ib.p.indcash:
            return 'tickprice', 'LAST'  # indices have no RTVolume: use the last price
        return 'rtvolume', 'LAST'

    def _stamp(self, bar) -> float:
        """Day number of a historical bar: its end (intraday) or sessionend (daily)."""
        d = bar.date
        if isinstance(d, _dt.datetime):
            start = d.astimezone(UTC).replace(tzinfo=None) if d.tzinfo else d
            secs = bar_seconds(self.p.timeframe, self.p.compression) or 0
            return date2num(start + _dt.timedelta(seconds=secs))
        # whole seconds: 23:59:59.99999 would round to the next day through UTC
        return self.date2num(_dt.datetime.combine(d, self.p.sessionend.replace(microsecond=0)))

    def _utc(self, num: float) -> _dt.datetime | None:
        if num in (float('inf'), float('-inf')):
            return None
        return num2date(num).replace(tzinfo=UTC)

    def _begin_utc(self) -> _dt.datetime | None:
        """Where the backfill starts (``fromdate``), in UTC."""
        if self.p.fromdate is None:
            return None
        return self._utc(self.fromdate)

    def _launch(self) -> FeedState:
        store = self.ib
        put = self._q.put
        tf, comp = self.p.timeframe, self.p.compression
        if self._kind is not None:
            return self._launch_ticks()
        if self.p.historical:
            end = None if self.p.todate is None else self._utc(self.todate)
            store.submit(run_historical(store, self.contract, tf, comp, self._begin_utc(), end,
                                        self._what(), self.p.useRTH, self._stamp, put))
            return FeedState.HISTORICAL
        source, field = self._source()
        what = self._what()
        # delayed last prices: stamp them with the trade times the feed carries
        stamped = (source, field) == ('tickprice', 'LAST') and store.mdt in (3, 4)
        stream = LiveStream(store, self.contract, put, source=source, tickfield=field,
                            what=what, rtwhat=what if source == 'rtbar' else 'TRADES',
                            useRTH=self.p.useRTH, timeframe=tf, compression=comp,
                            begin=self._begin_utc(), stamp=self._stamp,
                            latethrough=self.p.latethrough,
                            backfill_start=self.p.backfill_start, backfill=self.p.backfill,
                            stamped=stamped)
        if self._lastdt != float('-inf'):
            stream.last = self._lastdt  # backfill_from's last bar: fill after it
        self._stream = stream
        store.submit(stream.start)
        return FeedState.LIVE

    def _launch_ticks(self) -> FeedState:
        store, p = self.ib, self.p
        if p.historical:
            end = None if p.todate is None else self._utc(self.todate)
            begin = self._begin_utc()
            assert begin is not None  # _preinit: fromdate is required
            store.submit(run_historical_ticks(store, self.contract, HISTORICAL_WHAT[self._kind],
                                              begin, end, p.useRTH, self._q.put))
            return FeedState.HISTORICAL
        stream = TickStream(store, self.contract, self._q.put, kind=self._kind,
                            useRTH=p.useRTH, begin=self._begin_utc(),
                            backfill_start=p.backfill_start, backfill=p.backfill)
        if self._lastdt != float('-inf'):
            # backfill_from's last ticks: the gap backfill goes on after them
            stream.seam.second = round((self._lastdt - epoch_num(0)) * 86400)
            stream.seam.rows = self._rows_at_last(stream.seam.second)
        self._stream = stream
        store.submit(stream.start)
        return FeedState.LIVE

    def _rows_at_last(self, second: int) -> list:
        """The ticks delivered at the last time, as historical tick rows."""
        lines, rows = self.lines, []
        i = 0 if lines.datetime[0] == self._lastdt else 1   # [0]: the slot being loaded
        while i < len(lines.datetime) and lines.datetime[-i] == self._lastdt:
            rows.append(self._tick_row(second, -i))
            i += 1
        return rows[::-1]

    def _tick_row(self, second: int, ago: int) -> tuple:
        lines = self.lines
        if self._kind in ('Last', 'AllLast'):
            return (second, lines.close[ago], lines.volume[ago])
        return (second, lines.close[ago])

    # -- loading (the states are LiveQueueData's) ------------------------------------------
    def _histwait(self) -> float:
        return self.ib.p.histtimeout * 4

    def _silent(self, waited: float) -> bool:
        self.ib.put_notification(f'{self.p.dataname}: no historical data received '
                                 f'in {waited:g} s')
        return self._end(self.DISCONNECTED)

    def _handle(self, msg) -> bool | None:
        if isinstance(msg, BarItem):
            self._fill(msg.dt, msg.open, msg.high, msg.low, msg.close, msg.volume,
                       msg.openinterest)
            return True
        if isinstance(msg, TickItem):
            p = msg.price
            self._fill(msg.dt, p, p, p, p, msg.size, 0.0)
            return True
        if isinstance(msg, EndItem):
            return self._end(self.DISCONNECTED)
        if isinstance(msg, StatusItem):
            if msg.name == 'DISCONNECTED':
                self.ib.check_lost()  # reconnecting gave up: end the run loudly
            status = getattr(self, self._STATUS[msg.name])
            if status in (self.DISCONNECTED, self.NOTSUBSCRIBED, self.NOTSUPPORTED_TF):
                return self._end(status, *msg.args)
            self.put_notification(status, *msg.args)
        return None

class IBBidAskData(IBData):
    """IBData of BidAsk ticks (``IBData(ticks='BidAsk')`` makes one): the midpoint
    in open/high/low/close, the quote in ``bid``, ``ask``, ``bidsize``, ``asksize``."""

    lines = ('bid', 'ask', 'bidsize', 'asksize')
    params = (('ticks', 'BidAsk'),)

    def _handle(self, msg) -> bool | None:
        if isinstance(msg, QuoteItem):
            mid = (msg.bid + msg.ask) / 2
            self._fill(msg.dt, mid, mid, mid, mid, 0.0, 0.0)
            lines = self.lines
            lines.bid[0], lines.ask[0] = msg.bid, msg.ask
            lines.bidsize[0], lines.asksize[0] = msg.bidsize, msg.asksize
            return True
        return super()._handle(msg)

    def _load_backfill(self) -> bool:
        if not super()._load_backfill():
            return False
        src, lines = self.p.backfill_from.lines, self.lines
        for name in ('bid', 'ask', 'bidsize', 'asksize'):
            line = getattr(src, name, None)
            getattr(lines, name)[0] = line[0] if line is not None else float('nan')
        return True

    def _tick_row(self, second: int, ago: int) -> tuple:
        lines = self.lines
        return (second, lines.bid[ago], lines.ask[ago], lines.bidsize[ago], lines.asksize[ago])


IBStore.DataCls = IBData

# backtrader's name for this feed's metaclass (one metaclass builds every object)
MetaIBData = type(DataBase)
