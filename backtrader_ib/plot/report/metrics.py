"""Key figures of a run, computed from its broker values and executed orders.

Everything here works on plain arrays: the equity curve (``value`` of the
Broker/Value observer at each bar of the strategy's clock) and the list of
executed orders, from which round-trip trades are rebuilt per data.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
import numpy as np

__all__ = ('Fill', 'RoundTrip', 'Summary', 'fills_of', 'round_trips', 'daily_values',
           'drawdown', 'monthly_returns', 'summarize', 'exposure')

TRADING_DAYS = 252
_EPOCH = 719163.0  # day number of 1970-01-01


@dataclass
class Fill:
    """One executed order."""

    ref: int
    data: str
    dt: float           # day number of the execution
    size: float         # signed: positive buys
    price: float
    comm: float
    pnl: float
    kind: str           # Market, Limit ...
    tradeid: int = 0


@dataclass
class RoundTrip:
    """A trade from flat to flat (or to a reversal) on one data."""

    data: str
    long: bool
    dtopen: float
    dtclose: float = math.nan
    size: float = 0.0       # largest absolute position held
    entry: float = 0.0      # average entry price
    exit: float = math.nan  # average exit price
    pnl: float = 0.0        # gross
    comm: float = 0.0
    pos: float = 0.0        # position now (0 once closed)
    fills: list = field(default_factory=list)

    @property
    def pnlcomm(self) -> float:
        return self.pnl - self.comm

    @property
    def isclosed(self) -> bool:
        return not math.isnan(self.dtclose)


@dataclass
class Summary:
    start: float
    end: float
    start_value: float
    end_value: float
    total_return: float
    annual_return: float
    sharpe: float
    sortino: float
    max_drawdown: float
    max_drawdown_days: float
    trades: int
    win_rate: float
    profit_factor: float
    exposure: float
    open_trades: int = 0    # still open at the end (not in ``trades``, win rate ...)

    @property
    def trades_label(self) -> str:
        """The trade count as the page shows it everywhere: '97 closed + 1 open'."""
        if self.open_trades:
            return f'{self.trades} closed + {self.open_trades} open'
        return f'{self.trades} closed'

    def rows(self) -> list[tuple[str, str]]:
        """(name, formatted value) pairs for display."""
        def pct(v):
            return 'n/a' if v is None or math.isnan(v) else f'{v * 100:.2f}%'

        def num(v):
            return 'n/a' if v is None or math.isnan(v) else f'{v:.2f}'
        return [('Start value', f'{self.start_value:,.2f}'),
                ('End value', f'{self.end_value:,.2f}'),
                ('Total return', pct(self.total_return)),
                ('Annual return', pct(self.annual_return)),
                ('Sharpe ratio', num(self.sharpe)),
                ('Sortino ratio', num(self.sortino)),
                ('Max drawdown', pct(self.max_drawdown)),
                ('Max drawdown length (days)', f'{self.max_drawdown_days:.0f}'),
                ('Trades', self.trades_label),
                ('Win rate', pct(self.win_rate)),
                ('Profit factor', num(self.profit_factor)),
                ('Exposure', pct(self.exposure))]


def fills_of(orders: list) -> list[Fill]:
    """The executed orders (completed or partially filled), oldest first."""
    fills = []
    for order in orders:
        ex = order.executed
        if not ex.size:
            continue
        data = order.data
        fills.append(Fill(ref=order.ref, data=getattr(data, '_name', '') or 'data',
                          dt=float(ex.dt), size=float(ex.size), price=float(ex.price),
                          comm=float(ex.comm), pnl=float(ex.pnl),
                          kind=order.getordername(), tradeid=getattr(order, 'tradeid', 0)))
    fills.sort(key=lambda f: (f.dt, f.ref))
    return fills


def round_trips(fills: list[Fill]) -> list[RoundTrip]:
    """Rebuild trades per (data, tradeid): open at flat, close back at flat."""
    open_: dict = {}
    done: list[RoundTrip] = []
    for f in fills:
        key = (f.data, f.tradeid)
        size = f.size
        trip = open_.get(key)
        while size:
            if trip is None:
                trip = RoundTrip(data=f.data, long=size > 0, dtopen=f.dt)
                open_[key] = trip
            sign = 1 if trip.long else -1
            if size * sign > 0:  # adds to the position
                new = trip.pos + size
                trip.entry = (trip.entry * abs(trip.pos) + f.price * abs(size)) / abs(new)
                trip.pos = new
                trip.size = max(trip.size, abs(new))
                trip.comm += f.comm
                trip.fills.append(f)
                size = 0.0
                continue
            # reduces, closes, or reverses: split the fill at flat
            closing = -trip.pos if abs(size) >= abs(trip.pos) else size
            share = closing / size
            closed_before = trip.size - abs(trip.pos)
            trip.exit = f.price if math.isnan(trip.exit) else (
                (trip.exit * closed_before + f.price * abs(closing))
                / (closed_before + abs(closing)))
            trip.pnl += f.pnl  # an execution's pnl is all from what it closed
            trip.comm += f.comm * share
            trip.pos += closing
            trip.fills.append(f)
            size -= closing
            if not trip.pos:
                trip.dtclose = f.dt
                done.append(trip)
                open_.pop(key)
                trip = None
                # the rest of a reversing fill opens the next trade; its
                # profit was all made by the closing part
                f = Fill(**{**f.__dict__, 'comm': f.comm * (1 - share), 'pnl': 0.0})
    done.extend(open_.values())  # still open at the end
    done.sort(key=lambda t: t.dtopen)
    return done


def daily_values(dts: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The last value of each calendar day (day numbers, values)."""
    days = np.floor(dts)
    last = np.flatnonzero(np.diff(days, append=np.inf))
    return days[last], values[last]


def drawdown(values: np.ndarray) -> np.ndarray:
    """Fraction below the running peak at each point (0 at a new high)."""
    peak = np.maximum.accumulate(values)
    with np.errstate(divide='ignore', invalid='ignore'):
        dd = 1.0 - values / peak
    return np.where(peak > 0, dd, 0.0)


def _longest_under_water(dts: np.ndarray, dd: np.ndarray) -> float:
    """Longest time (in days) from a peak until it was regained (or the end)."""
    under = dd > 0
    if not under.any():
        return 0.0
    edges = np.diff(np.concatenate([[0], under.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    # the run starts at the peak bar before ``start`` and ends at the recovery
    # bar (or the last bar when never recovered)
    t0 = dts[np.maximum(starts - 1, 0)]
    t1 = dts[np.minimum(ends, len(dts) - 1)]
    return float(np.max(t1 - t0))


def monthly_returns(dts: np.ndarray, values: np.ndarray,
                    start_value: float) -> list[tuple[int, int, float]]:
    """(year, month, return) per calendar month, the first from ``start_value``."""
    if not len(dts):
        return []
    months = (np.datetime64('1970-01-01', 'D')
              + np.floor(dts - _EPOCH).astype('timedelta64[D]')).astype('datetime64[M]')
    last = np.flatnonzero(np.diff(months.astype(np.int64), append=np.iinfo(np.int64).max))
    ends = values[last]
    prev = np.concatenate([[start_value], ends[:-1]])
    out = []
    for m, e, p in zip(months[last], ends, prev):
        y, mo = int(str(m)[:4]), int(str(m)[5:7])
        out.append((y, mo, e / p - 1.0 if p else math.nan))
    return out


def summarize(dts: np.ndarray, values: np.ndarray, trips: list[RoundTrip],
              exposure: float, start_value: float | None = None) -> Summary:
    """The key figures of an equity curve and its trades."""
    if not len(values):
        raise ValueError('the run has no bars: nothing to summarise')
    v0 = float(start_value if start_value is not None else values[0])
    v1 = float(values[-1])
    days = float(dts[-1] - dts[0])
    total = v1 / v0 - 1.0 if v0 else math.nan
    years = days / 365.25
    annual = (v1 / v0) ** (1.0 / years) - 1.0 if years > 0 and v0 > 0 and v1 > 0 else math.nan
    _, dvals = daily_values(dts, values)
    rets = np.diff(np.concatenate([[v0], dvals])) / np.concatenate([[v0], dvals[:-1]])
    rets = rets[np.isfinite(rets)]
    sharpe = sortino = math.nan
    if len(rets) > 1:
        sd = rets.std(ddof=1)
        if sd > 0:
            sharpe = rets.mean() / sd * math.sqrt(TRADING_DAYS)
        downside = math.sqrt(np.mean(np.minimum(rets, 0.0) ** 2))
        if downside > 0:
            sortino = rets.mean() / downside * math.sqrt(TRADING_DAYS)
    dd = drawdown(values)
    closed = [t for t in trips if t.isclosed]
    wins = [t.pnlcomm for t in closed if t.pnlcomm > 0]
    losses = [-t.pnlcomm for t in closed if t.pnlcomm <= 0]
    win_rate = len(wins) / len(closed) if closed else math.nan
    gross_loss = math.fsum(losses)
    profit_factor = (math.fsum(wins) / gross_loss if gross_loss
                     else (math.inf if wins else math.nan))
    return Summary(start=float(dts[0]), end=float(dts[-1]), start_value=v0, end_value=v1,
                   total_return=total, annual_return=annual, sharpe=sharpe, sortino=sortino,
                   max_drawdown=float(dd.max()), max_drawdown_days=_longest_under_water(dts, dd),
                   trades=len(closed), win_rate=win_rate, profit_factor=profit_factor,
                   exposure=exposure, open_trades=len(trips) - len(closed))


def exposure(clock: np.ndarray, fills: list[Fill]) -> float:
    """Share of the clock's bars ending with an open position on some data."""
    if not len(clock):
        return math.nan
    open_any = np.zeros(len(clock), dtype=bool)
    by_data: dict = {}
    for f in fills:
        by_data.setdefault(f.data, []).append(f)
    for fl in by_data.values():
        pos = np.zeros(len(clock))
        idx = np.searchsorted(clock, [f.dt for f in fl], side='left')
        np.add.at(pos, np.minimum(idx, len(clock) - 1), [f.size for f in fl])
        open_any |= np.abs(np.cumsum(pos)) > 1e-12
    return float(open_any.mean())
