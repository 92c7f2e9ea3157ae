"""Live data streams: reqMktData ticks, 5-second bars, tick-by-tick and
keepUpToDate bar updates, all replayed from the per-second price path."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import messages as m
from .catalog import Instrument
from .history import BarSpec, format_bar_date, make_bars
from .prices import Quotes

# tick types: bid size, bid, ask, ask size, last, last size, high, low, volume, close, open
BID_SIZE, BID, ASK, ASK_SIZE, LAST, LAST_SIZE, HIGH, LOW, VOLUME, CLOSE, OPEN = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 14
LAST_TIMESTAMP, RT_VOLUME = 45, 48
# IB's delayed tick types (TickType 66-76, 88); not a fixed offset from the live ones
DELAYED = {BID: 66, ASK: 67, LAST: 68, BID_SIZE: 69, ASK_SIZE: 70, LAST_SIZE: 71, HIGH: 72,
           LOW: 73, VOLUME: 74, CLOSE: 75, OPEN: 76, LAST_TIMESTAMP: 88}
DELAY = 15 * 60                # delayed data lags by 15 minutes
MAX_REPLAY = 3600              # a big clock jump replays at most this many seconds of ticks


def _delayed(tick_type: int) -> int:
    return DELAYED.get(tick_type, tick_type)


@dataclass
class Stream:
    """A live subscription of one client."""
    req_id: int
    inst: Instrument
    quotes: Quotes

    def emit(self, t0: int, t1: int) -> list[list]:
        """Messages for the seconds in (t0, t1]."""
        raise NotImplementedError


@dataclass
class MktData(Stream):
    generic: set = field(default_factory=set)
    data_type: int = 1          # 1 live, 2 frozen, 3 delayed, 4 delayed frozen
    last: dict = field(default_factory=dict)
    session_volume: float = 0.0
    high: float = float("nan")
    low: float = float("nan")

    @property
    def lag(self) -> int:
        return DELAY if self.data_type in (3, 4) else 0

    def tt(self, tick_type: int) -> int:
        return _delayed(tick_type) if self.lag else tick_type

    def initial(self, now: float, session_bar, prev_close: float | None) -> list[list]:
        """The first ticks after subscribing: quote, last, session stats."""
        t = int(now) - self.lag
        out = []
        if session_bar is not None:
            self.session_volume = max(0.0, session_bar.volume)
            self.high, self.low = session_bar.high, session_bar.low
        out += self._second(self.quotes.at(t), t, force=True)
        if session_bar is not None:
            out += [m.tick_price(self.req_id, self.tt(HIGH), session_bar.high, 0),
                    m.tick_price(self.req_id, self.tt(LOW), session_bar.low, 0),
                    m.tick_price(self.req_id, self.tt(OPEN), session_bar.open, 0)]
        if prev_close is not None:
            out.append(m.tick_price(self.req_id, self.tt(CLOSE), prev_close, 0))
        return out

    def emit(self, t0: int, t1: int) -> list[list]:
        t0, t1 = max(t0, t1 - MAX_REPLAY) - self.lag, t1 - self.lag
        if t1 <= t0:
            return []
        a = self.quotes.arrays(t0 + 1, t1 + 1)
        out = []
        for i in range(len(a["t"])):
            out += self._second({k: float(v[i]) for k, v in a.items()}, int(a["t"][i]))
        return out

    def _second(self, q: dict, t: int, force: bool = False) -> list[list]:
        if q["mid"] != q["mid"]:
            return []
        out, rid, inst = [], self.req_id, self.inst
        if inst.has_quotes:
            for price_type, size_type, p, s in ((BID, BID_SIZE, q["bid"], q["bid_size"]),
                                                 (ASK, ASK_SIZE, q["ask"], q["ask_size"])):
                if force or self.last.get(price_type) != p:
                    out.append(m.tick_price(rid, self.tt(price_type), p, s))
                    out.append(m.tick_size(rid, self.tt(size_type), s))
                elif self.last.get(size_type) != s:
                    out.append(m.tick_size(rid, self.tt(size_type), s))
                self.last[price_type], self.last[size_type] = p, s
        price, size = q["last"], q["volume"]
        if price == price and inst.has_trades and (size > 0 or inst.secType == "IND" or force):
            if not force:
                self.session_volume += size
            if inst.secType == "IND":
                if force or self.last.get(LAST) != price:
                    out.append(m.tick_price(rid, self.tt(LAST), price, 0))
            else:
                out.append(m.tick_price(rid, self.tt(LAST), price, size))
                out.append(m.tick_size(rid, self.tt(LAST_SIZE), size))
                out.append(m.tick_size(rid, self.tt(VOLUME), self.session_volume))
                out.append(m.tick_string(rid, self.tt(LAST_TIMESTAMP), str(t)))
                if "233" in self.generic and not self.lag and not force:
                    vwap = price
                    out.append(m.tick_string(rid, RT_VOLUME,
                                             f"{price};{size:g};{t * 1000};{self.session_volume:g};{vwap};true"))
            self.last[LAST] = price
            if not force:
                if not price <= self.high:
                    self.high = price
                    out.append(m.tick_price(rid, self.tt(HIGH), price, 0))
                if not price >= self.low:
                    self.low = price
                    out.append(m.tick_price(rid, self.tt(LOW), price, 0))
        return out


@dataclass
class RealTimeBars(Stream):
    what: str = "TRADES"

    def emit(self, t0: int, t1: int) -> list[list]:
        out = []
        first = (max(t0, t1 - MAX_REPLAY) // 5 + 1) * 5       # bar ends in (t0, t1]
        for end in range(first, t1 + 1, 5):
            bar = _window_bar(self.quotes, self.what, end - 5, end)
            if bar is not None:
                out.append(m.realtime_bar(self.req_id, end - 5, *bar))
        return out


def _window_bar(q: Quotes, what: str, a: int, b: int):
    x = q.arrays(a, b)
    p = {"TRADES": x["last"], "BID": x["bid"], "ASK": x["ask"]}.get(what, np.round((x["bid"] + x["ask"]) / 2, 10))
    ok = ~np.isnan(p)
    if not ok.any():
        return None
    p = p[ok]
    if what == "TRADES":
        v = x["volume"][ok]
        vol = float(v.sum())
        wap = float(np.round((p * v).sum() / vol, 6)) if vol else float(p[-1])
        return float(p[0]), float(p.max()), float(p.min()), float(p[-1]), vol, wap, int((v > 0).sum())
    return float(p[0]), float(p.max()), float(p.min()), float(p[-1]), -1.0, -1.0, -1


@dataclass
class TickByTick(Stream):
    kind: str = "Last"            # Last, AllLast, BidAsk, MidPoint
    prev: tuple = ()

    def emit(self, t0: int, t1: int) -> list[list]:
        t0 = max(t0, t1 - MAX_REPLAY)
        x = self.quotes.arrays(t0 + 1, t1 + 1)
        out, rid = [], self.req_id
        exch = self.inst.primaryExchange or self.inst.exchange
        for i in range(len(x["t"])):
            t = int(x["t"][i])
            if self.kind in ("Last", "AllLast"):
                if x["last"][i] == x["last"][i] and x["volume"][i] > 0:
                    for _, price, size in self.quotes.trade_prints(t, float(x["last"][i]),
                                                                   float(x["volume"][i])):
                        out.append(m.tick_by_tick_last(rid, 1 if self.kind == "Last" else 2, t,
                                                       price, size, exch))
            elif self.kind == "BidAsk":
                row = (float(x["bid"][i]), float(x["ask"][i]), float(x["bid_size"][i]), float(x["ask_size"][i]))
                if row[0] == row[0] and row != self.prev:
                    out.append(m.tick_by_tick_bid_ask(rid, t, *row))
                    self.prev = row
            else:
                mid = round((float(x["bid"][i]) + float(x["ask"][i])) / 2, 10)
                if mid == mid and (mid,) != self.prev:
                    out.append(m.tick_by_tick_mid(rid, t, mid))
                    self.prev = (mid,)
        return out


@dataclass
class BarUpdates(Stream):
    """keepUpToDate: the current bar, re-sent as it changes, and each new one."""
    spec: BarSpec = None
    tz: str = "US/Eastern"
    bar_start: float = 0.0        # start of the newest bar sent so far
    sent: tuple = ()

    def emit(self, t0: int, t1: int) -> list[list]:
        bars = make_bars(self.quotes, self.spec, self.bar_start, t1 + 1, self.tz)
        out = []
        for bar in bars:
            key = (bar.start, bar.open, bar.high, bar.low, bar.close, bar.volume)
            if bar.start < self.bar_start or key == self.sent:
                continue
            out.append(m.historical_data_update(self.req_id, format_bar_date(bar, self.spec.format_date, self.tz), bar))
            self.bar_start, self.sent = bar.start, key
        return out
