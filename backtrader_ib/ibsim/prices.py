"""Per-second price paths: seeded synthetic, or interpolated from user bars.

A path answers "what was the mid price and traded volume in each second
of UTC day d". Everything else (ticks, bars, fills) is derived from it,
so history, live data and the matching engine always agree.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .catalog import Instrument
from .hours import DAY

REF_DAY = int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp() // DAY)
FIRST_DAY = int(datetime(1980, 1, 1, tzinfo=timezone.utc).timestamp() // DAY)
LAST_DAY = int(datetime(2040, 1, 1, tzinfo=timezone.utc).timestamp() // DAY)


@dataclass
class DayData:
    """Mid price and volume for each of the 86400 seconds of one UTC day.
    Seconds without data hold NaN mid and 0 volume."""
    mid: np.ndarray
    volume: np.ndarray


def _seed(*parts: object) -> int:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class PricePath:
    """Interface: ``day(d)`` for UTC day number d (days since 1970)."""
    first: float = FIRST_DAY * DAY        # epoch of the first second with data
    last: float = LAST_DAY * DAY

    def __init__(self) -> None:
        self._cache: OrderedDict[int, DayData] = OrderedDict()

    def day(self, d: int) -> DayData:
        hit = self._cache.get(d)
        if hit is None:
            hit = self._cache[d] = self._make_day(d)
            if len(self._cache) > 48:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(d)
        return hit

    def _make_day(self, d: int) -> DayData:
        raise NotImplementedError

    def span(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """Mid and volume for epoch seconds [start, end)."""
        mids, vols = [], []
        t = start
        while t < end:
            d = t // DAY
            a, b = t - d * DAY, min(end - d * DAY, DAY)
            data = self.day(d)
            mids.append(data.mid[a:b])
            vols.append(data.volume[a:b])
            t = d * DAY + b
        if not mids:
            return np.empty(0), np.empty(0)
        return np.concatenate(mids), np.concatenate(vols)

    def mid_at(self, t: float) -> float:
        s = int(t)
        return float(self.day(s // DAY).mid[s % DAY])


class SyntheticPath(PricePath):
    """Seeded geometric random walk: a daily anchor walk joined by
    per-second Brownian bridges, so any day is computed on its own."""

    def __init__(self, inst: Instrument, seed: int = 0):
        super().__init__()
        self.inst = inst
        self.seed = seed
        self.first = max(FIRST_DAY * DAY, datetime.strptime(inst.listed, "%Y%m%d")
                         .replace(tzinfo=timezone.utc).timestamp())
        n = LAST_DAY - FIRST_DAY + 1
        rng = np.random.default_rng(_seed(seed, inst.conId, "anchors"))
        steps = rng.standard_normal(n) * inst.vol / np.sqrt(365.0)
        walk = np.concatenate([[0.0], np.cumsum(steps)])
        self._anchors = np.log(inst.price) + walk - walk[REF_DAY - FIRST_DAY]
        # traded shares per second; FX and indexes have no volume
        self._rate = {"STK": 40.0, "FUT": 3.0, "CFD": 2.0, "CRYPTO": 0.5, "OPT": 0.2,
                      "FOP": 0.2}.get(inst.secType, 0.0)

    def _make_day(self, d: int) -> DayData:
        i = min(max(d, FIRST_DAY), LAST_DAY - 1) - FIRST_DAY
        a, b = self._anchors[i], self._anchors[i + 1]
        rng = np.random.default_rng(_seed(self.seed, self.inst.conId, d))
        sigma = self.inst.vol / np.sqrt(365.0 * DAY)
        w = np.cumsum(rng.standard_normal(DAY)) * sigma
        frac = np.arange(DAY) / DAY
        mid = np.exp(a + (b - a) * frac + w - frac * w[-1])
        if self._rate:
            vol = rng.poisson(self._rate, DAY).astype(float)
            if self.inst.secType == "STK":
                vol = np.round(vol * 2.5) * 1.0
        else:
            vol = np.zeros(DAY)
        if d * DAY < self.first:
            mid[:] = np.nan
            vol[:] = 0
        return DayData(mid, vol)


class BarsPath(PricePath):
    """A path through user bars: open, high/low, close visited in order
    inside each bar, volume spread evenly over the bar's seconds."""

    def __init__(self, frame):
        super().__init__()
        df = frame.sort_index()
        t = np.array([_epoch(x) for x in df.index], dtype=np.int64)
        cols = {c.lower(): c for c in df.columns}
        o, h, lo, c = (df[cols[k]].to_numpy(float) for k in ("open", "high", "low", "close"))
        v = df[cols["volume"]].to_numpy(float) if "volume" in cols else np.zeros(len(df))
        step = int(np.median(np.diff(t))) if len(t) > 1 else 60
        self._t, self._step = t, max(1, min(step, DAY))
        self._o, self._h, self._l, self._c, self._v = o, h, lo, c, v
        self.first = float(t[0]) if len(t) else 0.0
        self.last = float(t[-1] + self._step) if len(t) else 0.0

    def _make_day(self, d: int) -> DayData:
        mid = np.full(DAY, np.nan)
        vol = np.zeros(DAY)
        lo_t, hi_t = d * DAY, (d + 1) * DAY
        i0 = max(0, np.searchsorted(self._t, lo_t - self._step))
        i1 = np.searchsorted(self._t, hi_t)
        step = self._step
        for i in range(i0, i1):
            start = int(self._t[i])
            n = step if i + 1 >= len(self._t) else int(min(step, self._t[i + 1] - start))
            up = self._c[i] >= self._o[i]
            first, second = (self._l[i], self._h[i]) if up else (self._h[i], self._l[i])
            secs = np.arange(n)
            xs = [0, n / 3, 2 * n / 3, max(n - 1, 1)]
            ys = [self._o[i], first, second, self._c[i]]
            path = np.interp(secs, xs, ys)
            per = np.full(n, self._v[i] // n)
            per[-1] += self._v[i] - per.sum()
            a, b = max(start, lo_t), min(start + n, hi_t)
            if a < b:
                mid[a - lo_t:b - lo_t] = path[a - start:b - start]
                vol[a - lo_t:b - lo_t] = per[a - start:b - start]
        return DayData(mid, vol)


def _epoch(x) -> float:
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x)
    ts = x if hasattr(x, "tzinfo") else datetime.fromisoformat(str(x))
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=timezone.utc)
    return ts.timestamp()


def load_bars(path: str | Path):
    """Read a CSV of bars (a date/datetime column plus open/high/low/close[/volume])."""
    import pandas as pd
    df = pd.read_csv(path)
    tcol = next(c for c in df.columns if c.lower() in ("datetime", "date", "time", "timestamp"))
    idx = pd.to_datetime(df[tcol], utc=True)
    return df.drop(columns=[tcol]).set_index(idx)


class Quotes:
    """Bid/ask/last and sizes derived from a mid path and the tick size."""

    def __init__(self, inst: Instrument, path: PricePath, prints: int = 1):
        self.inst, self.path = inst, path
        self.tick = inst.minTick or 0.01
        self.prints = max(1, int(prints))   # trade prints per traded second (tick data)
        self.cache: dict = {}            # finished session bars, see history
        self.lot = {"STK": 100.0, "CASH": 100000.0, "CRYPTO": 1.0, "FUT": 25.0}.get(inst.secType, 10.0)

    def round(self, p):
        return np.round(np.round(np.asarray(p) / self.tick) * self.tick, 10)

    def arrays(self, start: int, end: int) -> dict[str, np.ndarray]:
        """Every per-second series for epoch seconds [start, end).

        ``last`` is NaN in seconds without a trade; indexes "trade" every
        second with zero volume."""
        mid, vol = self.path.span(start, end)
        t = np.arange(start, start + len(mid), dtype=np.int64)
        # a 1- or 2-tick spread that varies from second to second
        spread = (1 + (t * 2654435761 + self.inst.conId) % 2) * self.tick
        bid = self.round(mid - spread / 2)
        ask = np.round(bid + spread, 10)
        h = (t * 40503 + self.inst.conId) % 97
        bid_size = self.lot * (1 + h % 9)
        ask_size = self.lot * (1 + h // 11 % 9)
        traded = vol > 0 if self.inst.secType != "IND" else ~np.isnan(mid)
        last = np.where(traded, self.round(mid), np.nan)
        if self.inst.secType == "CASH":
            last[:] = np.nan
        return dict(t=t, mid=mid, bid=bid, ask=ask, bid_size=bid_size, ask_size=ask_size,
                    last=last, volume=np.where(traded, vol, 0.0))

    def trade_prints(self, t: int, price: float, size: float) -> list[tuple]:
        """The tick-by-tick trades of second ``t`` as (t, price, size): its volume
        split into up to ``prints`` prints, the first two alike (same price and
        size, as real prints can be), the last one at the second's last price."""
        n = max(1, min(self.prints, int(size)))
        if n == 1:
            return [(t, price, size)]
        base = float(size // n)
        out = [(t, float(np.round(np.round((price + self.tick * ((t + j // 2) % 3 - 1))
                                           / self.tick) * self.tick, 10)), base)
               for j in range(n - 1)]
        out.append((t, price, size - base * (n - 1)))
        return out

    def at(self, t: float) -> dict[str, float]:
        """The series at one second, as plain floats."""
        a = self.arrays(int(t), int(t) + 1)
        return {k: float(v[0]) for k, v in a.items()}
