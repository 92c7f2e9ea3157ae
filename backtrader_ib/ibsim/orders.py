"""Orders and the matching engine that fills them against simulated prices."""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import numpy as np

from .account import Account, commission_for
from .catalog import Catalog, Instrument
from .history import parse_end
from .hours import zone
from .prices import Quotes
from .protocol import BadRequest

ORDER_TYPES = ("MKT", "LMT", "STP", "STP LMT", "TRAIL", "TRAIL LIMIT", "MOC", "LOC", "MIT", "LIT")
TIFS = ("DAY", "GTC", "GTD", "IOC")
DONE = ("Filled", "Cancelled", "ApiCancelled", "Inactive")
PRECAUTION = " Restriction is specified in Precautionary Settings of Global Configuration/Presets."


def _off_tick(price: float, tick: float) -> bool:
    n = price / tick
    return abs(n - round(n)) > 1e-6 * max(1.0, abs(n)) ** 0.5


def _increment_at(price: float, increments: tuple) -> float:
    inc = increments[0][1]
    for edge, step in increments:
        if price + 1e-12 >= edge:
            inc = step
    return inc


@dataclass
class Order:
    """One order as the gateway tracks it."""
    order_id: int
    client_id: int
    inst: Instrument
    exchange: str
    action: str
    quantity: float
    order_type: str
    lmt_price: float | None = None
    aux_price: float | None = None
    tif: str = "DAY"
    oca_group: str = ""
    oca_type: int = 0
    account: str = ""
    order_ref: str = ""
    transmit: bool = True
    parent_id: int = 0
    outside_rth: bool = False
    good_till_date: str = ""
    trail_stop_price: float | None = None
    trailing_percent: float | None = None
    lmt_price_offset: float | None = None
    perm_id: int = 0
    status: str = "PendingSubmit"
    filled: float = 0.0
    avg_price: float = 0.0
    last_fill_price: float = 0.0
    triggered: bool = False
    placed_at: float = 0.0
    expires_at: float | None = None
    completed_time: str = ""
    completed_status: str = ""

    @property
    def remaining(self) -> float:
        return round(self.quantity - self.filled, 10)

    @property
    def sign(self) -> int:
        return 1 if self.action == "BUY" else -1

    @property
    def working(self) -> bool:
        return self.status in ("PreSubmitted", "Submitted")

    @property
    def key(self) -> tuple[int, int]:
        return (self.client_id, self.order_id)


@dataclass
class Execution:
    exec_id: str
    order_id: int
    client_id: int
    perm_id: int
    inst: Instrument
    exchange: str
    account: str
    side: str                  # BOT / SLD
    shares: float
    price: float
    time: float
    time_text: str
    cum_qty: float
    avg_price: float
    order_ref: str
    commission: float
    commission_currency: str
    realized_pnl: float | None
    maker: bool = False


class OrderEngine:
    """Accepts, modifies, cancels and fills orders.

    ``notify(kind, order, execution=None, code=0, text='')`` reports
    each change; the gateway turns it into messages for the owner."""

    def __init__(self, catalog: Catalog, quotes: Callable[[Instrument], Quotes],
                 accounts: dict[str, Account], fx: Callable[[str], float], tz: str,
                 notify: Callable[..., None]):
        self.catalog, self.quotes, self.accounts, self.fx, self.tz = catalog, quotes, accounts, fx, tz
        self.notify = notify
        self.orders: dict[tuple[int, int], Order] = {}
        self.executions: list[Execution] = []
        self.max_ids: dict[int, int] = {}        # highest order id per client
        self._perm = itertools.count(1_900_000_001)
        self._exec = itertools.count(1)
        # TWS's precautionary settings: larger orders are refused (383 / 451)
        self.size_limit: float | None = 1_000_000.0
        self.value_limit: float | None = None

    # -- requests -----------------------------------------------------------

    def next_id(self, client_id: int) -> int:
        return self.max_ids.get(client_id, 0) + 1

    def place(self, o: Order, now: float) -> None:
        old = self.orders.get(o.key)
        if old is not None:
            if not (old.working or old.status == "PendingSubmit" and not old.transmit):
                raise BadRequest(o.order_id, 103, "Duplicate order id")
            return self._modify(old, o, now)
        if o.order_id <= self.max_ids.get(o.client_id, 0):
            raise BadRequest(o.order_id, 103, "Duplicate order id")
        self._validate(o, now)
        self.max_ids[o.client_id] = o.order_id
        o.perm_id = next(self._perm)
        o.placed_at = now
        o.expires_at = self._expiry(o, now)
        self.orders[o.key] = o
        if not o.transmit:
            return                              # held in TWS until a later order transmits it
        self._transmit(self._held_family(o) + [o], now)

    def place_inactive(self, o: Order, now: float) -> None:
        """Accept ``o`` as TWS does, then mark it Inactive (never works, never fills)."""
        if o.key in self.orders or o.order_id <= self.max_ids.get(o.client_id, 0):
            raise BadRequest(o.order_id, 103, "Duplicate order id")
        self._validate(o, now)
        self.max_ids[o.client_id] = o.order_id
        o.perm_id = next(self._perm)
        o.placed_at = now
        o.status = "Inactive"
        o.completed_status = "Inactive"
        o.completed_time = self._stamp(now)
        self.orders[o.key] = o
        self.notify("order", o)

    def _transmit(self, orders: list[Order], now: float) -> None:
        # submit the whole family first, so a fill can cancel its siblings
        for x in orders:
            self._submit(x, now)
        for x in orders:
            if x.working and not self._waits(x):
                self._try_fill(x, now, first=True)

    def _validate(self, o: Order, now: float) -> None:
        if o.action not in ("BUY", "SELL"):
            raise BadRequest(o.order_id, 321, f"Error validating request.-'bO' : cause - Invalid side: {o.action}")
        if o.order_type not in ORDER_TYPES:
            raise BadRequest(o.order_id, 387, "Unsupported order type for this exchange and security type.")
        if not o.inst.is_tradable:
            raise BadRequest(o.order_id, 201, f"Order rejected - reason:{o.inst.secType} contracts are not tradable.")
        self._check_numbers(o, now)
        if o.tif not in TIFS:
            raise BadRequest(o.order_id, 201, f"Order rejected - reason:Invalid time in force: {o.tif}")
        if o.order_type in ("LMT", "STP LMT", "LOC", "LIT") and o.lmt_price is None:
            raise BadRequest(o.order_id, 201, "Order rejected - reason:The limit price is not valid.")
        if o.order_type in ("STP", "STP LMT", "MIT", "LIT") and o.aux_price is None:
            raise BadRequest(o.order_id, 201, "Order rejected - reason:The stop price is not valid.")
        if o.order_type.startswith("TRAIL") and o.aux_price is None and o.trailing_percent is None:
            raise BadRequest(o.order_id, 201, "Order rejected - reason:Trailing amount or percent required.")
        if o.tif == "GTD":
            if not o.good_till_date:
                raise BadRequest(o.order_id, 201, "Order rejected - reason:GTD orders need a goodTillDate.")
            parse_end(o.good_till_date, now, self.tz, o.order_id)
        if o.account and o.account not in self.accounts:
            raise BadRequest(o.order_id, 321, f"Error validating request.-'bN' : cause - Invalid account: {o.account}")
        if o.parent_id and (o.client_id, o.parent_id) not in self.orders:
            raise BadRequest(o.order_id, 201, "Order rejected - reason:Parent order is not found.")

    def _check_numbers(self, o: Order, now: float) -> None:
        """NaN, infinite, non-positive or off-tick sizes and prices; the precautionary limits."""
        prices = {"limit price": o.lmt_price, "stop price": o.aux_price,
                  "trailing stop price": o.trail_stop_price}
        for value in [o.quantity, *prices.values(), o.lmt_price_offset, o.trailing_percent]:
            if value is not None and math.isnan(value):
                # what TWS (Java) answers to the text "nan" in a number field
                raise BadRequest(o.order_id, 320, "Error reading request. Message id 3. Unable to "
                                                  'parse data. java.lang.NumberFormatException: For '
                                                  'input string: "nan"')
        if o.quantity <= 0:
            raise BadRequest(o.order_id, 201, "Order rejected - reason:The order size must be positive.")
        ident = f'"ID:{o.order_id}"'
        if self.size_limit is not None and o.quantity > self.size_limit:
            raise BadRequest(o.order_id, 383, f"The following order {ident} size exceeds the Size Limit "
                                              f"of {self.size_limit:g}.{PRECAUTION}")
        tick = o.inst.minTick or 0.01
        for what, px in prices.items():
            if px is None:
                continue
            distance = what == "stop price" and o.order_type.startswith("TRAIL")
            if distance:
                what = "trailing amount"
            if not math.isfinite(px) or px <= 0:
                raise BadRequest(o.order_id, 201, f"Order rejected - reason:The {what} is not valid.")
            # prices by the market rule (increments that vary with the price); a
            # trailing amount is a distance: the smallest increment
            if _off_tick(px, tick if distance else _increment_at(px, o.inst.price_increments)):
                raise BadRequest(o.order_id, 110, "The price does not conform to the minimum price "
                                                  "variation for this contract.")
        if self.value_limit is not None:
            px = o.lmt_price or (o.aux_price if not o.order_type.startswith("TRAIL") else None)
            if px is None:
                px = self._ref_price(self.quotes(o.inst).at(now))
            if px == px:
                value = o.quantity * px * o.inst.mult
                if value > self.value_limit:
                    raise BadRequest(o.order_id, 451, f"The following order {ident} value estimate of "
                                                      f"{value:,.0f} {o.inst.currency} exceeds the Total "
                                                      f"Value Limit of {self.value_limit:,.0f} "
                                                      f"{o.inst.currency}.{PRECAUTION}")

    def _expiry(self, o: Order, now: float) -> float | None:
        if o.tif == "GTD":
            return parse_end(o.good_till_date, now, self.tz, o.order_id)
        if o.tif == "DAY" or o.order_type in ("MOC", "LOC"):
            # day orders end, and on-close orders fill, at the regular session's close
            rth = not o.outside_rth or o.order_type in ("MOC", "LOC")
            hours = o.inst.hours
            s = hours.session_at(now, rth) or next(iter(hours.sessions(now, now + 7 * 86400, rth)), None)
            return float(s.end) if s else None
        return None

    def _held_family(self, o: Order) -> list[Order]:
        """Untransmitted parent and siblings that this transmit releases."""
        if not o.parent_id:
            return []
        parent = self.orders.get((o.client_id, o.parent_id))
        family = [parent] if parent else []
        family += [x for x in self.orders.values() if x.client_id == o.client_id
                   and x.parent_id == o.parent_id and x is not o]
        return [x for x in family if x and not x.transmit and x.status == "PendingSubmit"]

    def _waits(self, o: Order) -> bool:
        parent = self.orders.get((o.client_id, o.parent_id)) if o.parent_id else None
        return parent is not None and parent.status != "Filled"

    def _submit(self, o: Order, now: float) -> None:
        o.transmit = True
        waits = self._waits(o)
        simulated = o.order_type in ("STP", "STP LMT", "TRAIL", "TRAIL LIMIT", "MIT", "LIT", "MOC", "LOC")
        o.status = "PreSubmitted" if waits or simulated else "Submitted"
        if o.order_type.startswith("TRAIL"):
            self._init_trail(o, now)
        self.notify("order", o)

    def _modify(self, old: Order, new: Order, now: float) -> None:
        self._check_numbers(new, now)
        if new.quantity < old.filled:
            raise BadRequest(new.order_id, 201, "Order rejected - reason:Quantity below filled quantity.")
        for name in ("quantity", "lmt_price", "aux_price", "tif", "good_till_date", "trail_stop_price",
                     "trailing_percent", "lmt_price_offset", "outside_rth", "order_ref"):
            setattr(old, name, getattr(new, name))
        if not old.transmit and new.transmit:
            return self._transmit([old], now)
        self.notify("order", old)
        if old.working:
            self._try_fill(old, now)

    def cancel(self, client_id: int, order_id: int) -> None:
        o = self.orders.get((client_id, order_id))
        if o is None:
            raise BadRequest(order_id, 10147, f"OrderId {order_id} that needs to be cancelled is not found.")
        if not (o.working or o.status == "PendingSubmit"):
            raise BadRequest(order_id, 10148, f"OrderId {order_id} that needs to be cancelled cannot be cancelled, state: {o.status}.")
        self._cancel(o, "Order Canceled - reason:")

    def cancel_all(self) -> None:
        for o in list(self.orders.values()):
            if o.working or o.status == "PendingSubmit":
                self._cancel(o, "Order Canceled - reason:Global cancel")

    def _cancel(self, o: Order, text: str, code: int = 202) -> None:
        o.status = "Cancelled"
        o.completed_status = text or "Cancelled"
        o.completed_time = self._stamp(o.placed_at)
        self.notify("status", o)
        self.notify("error", o, code=code, text=text)
        for child in self._children(o):
            if child.working or child.status == "PendingSubmit":
                self._cancel(child, "Order Canceled - reason:Parent order canceled")

    def _children(self, o: Order) -> list[Order]:
        return [x for x in self.orders.values() if x.client_id == o.client_id and x.parent_id == o.order_id]

    # -- matching -------------------------------------------------------------

    def step(self, t0: float, t1: float) -> None:
        """Run every working order through the seconds in (t0, t1]."""
        working = [o for o in self.orders.values() if o.working]
        if not working or t1 <= t0:
            return
        a, b = int(t0) + 1, int(t1) + 1
        series = {}
        for o in working:
            if o.inst.conId not in series:
                series[o.inst.conId] = self.quotes(o.inst).arrays(a, b)
        for i, t in enumerate(range(a, b)):
            for o in list(working):
                if not o.working:
                    continue
                if o.expires_at is not None and t >= o.expires_at:
                    if o.order_type in ("MOC", "LOC"):
                        self._fill_at_close(o, series[o.inst.conId], i, t)
                    if o.working:
                        self._cancel(o, "Order Canceled - reason:Order expired")
                    continue
                parent = self.orders.get((o.client_id, o.parent_id)) if o.parent_id else None
                if parent is not None and parent.status != "Filled":
                    continue
                self._match(o, {k: v[i] for k, v in series[o.inst.conId].items()}, t)
            working = [o for o in self.orders.values() if o.working]
            if not working:
                break

    def _try_fill(self, o: Order, now: float, first: bool = False) -> None:
        q = self.quotes(o.inst).at(now)
        self._match(o, q, now)
        if first and o.tif == "IOC" and o.working:
            self._cancel(o, "Order Canceled - reason:IOC order not fully filled")

    def _init_trail(self, o: Order, now: float) -> None:
        if o.trail_stop_price is None:
            ref = self._ref_price(self.quotes(o.inst).at(now))
            if ref == ref:
                o.trail_stop_price = self._trail_level(o, ref)

    def _trail_level(self, o: Order, ref: float) -> float:
        amount = o.aux_price if o.aux_price is not None else ref * (o.trailing_percent or 0) / 100
        return round(ref + o.sign * amount, 10)       # a sell's stop trails below the market

    @staticmethod
    def _ref_price(q: dict) -> float:
        last = q["last"]
        return last if last == last else q["mid"]

    def _match(self, o: Order, q: dict, t: float) -> None:
        if q["mid"] != q["mid"]:
            return                               # no market at this second
        ref = self._ref_price(q)
        typ = o.order_type
        if typ in ("MOC", "LOC"):
            return
        if typ.startswith("TRAIL"):
            level = self._trail_level(o, ref)
            if o.trail_stop_price is None or (level - o.trail_stop_price) * o.sign < 0:
                o.trail_stop_price = level
        if typ in ("STP", "STP LMT", "TRAIL", "TRAIL LIMIT", "MIT", "LIT") and not o.triggered:
            stop = o.trail_stop_price if typ.startswith("TRAIL") else o.aux_price
            # stops trigger when the price moves through them against the order,
            # if-touched orders when it moves in the order's favour
            up = ref >= stop if o.sign > 0 else ref <= stop
            down = ref <= stop if o.sign > 0 else ref >= stop
            if not (down if typ in ("MIT", "LIT") else up):
                return
            o.triggered = True
            if typ == "TRAIL LIMIT" and o.lmt_price_offset is not None:
                o.lmt_price = round(stop + o.sign * o.lmt_price_offset, 10)
            if o.status != "Submitted":
                o.status = "Submitted"
                self.notify("status", o)
        limit = o.lmt_price if typ in ("LMT", "STP LMT", "TRAIL LIMIT", "LIT") else None
        price, size = (q["ask"], q["ask_size"]) if o.sign > 0 else (q["bid"], q["bid_size"])
        if o.inst.secType == "IND" or price != price:
            return
        if limit is not None and (price - limit) * o.sign > 1e-9:
            return
        qty = min(o.remaining, size)
        incr = o.inst.sizeIncrement or 1.0
        qty = float(max(incr, np.floor(qty / incr) * incr)) if qty >= incr else o.remaining
        self._fill(o, min(qty, o.remaining), float(price), t, maker=limit is not None and o.placed_at < t)

    def _fill_at_close(self, o: Order, s: dict, i: int, t: float) -> None:
        q = {k: v[max(0, i - 1)] for k, v in s.items()}
        price = self._ref_price(q)
        if price != price:
            return
        if o.order_type == "LOC" and (price - o.lmt_price) * o.sign > 1e-9:
            return
        self._fill(o, o.remaining, self.quotes(o.inst).round(price).item(), t, maker=False)

    def _fill(self, o: Order, qty: float, price: float, t: float, maker: bool) -> None:
        account = self.accounts[o.account] if o.account in self.accounts else next(iter(self.accounts.values()))
        o.account = account.name
        commission = commission_for(o.inst, qty, price)
        realized = account.fill(o.inst, o.sign * qty, price, commission, self.fx)
        o.avg_price = round((o.avg_price * o.filled + price * qty) / (o.filled + qty), 10)
        o.filled = round(o.filled + qty, 10)
        o.last_fill_price = price
        if o.remaining <= 0:
            o.status = "Filled"
            o.completed_status = "Filled Size: %g" % o.filled
            o.completed_time = self._stamp(t)
        else:
            o.status = "Submitted"
        e = Execution(
            exec_id=f"{next(self._exec):08x}.{int(t):08x}.01.01", order_id=o.order_id,
            client_id=o.client_id, perm_id=o.perm_id, inst=o.inst, exchange=o.inst.primaryExchange or o.inst.exchange,
            account=account.name, side="BOT" if o.sign > 0 else "SLD", shares=qty, price=price,
            time=t, time_text=self._stamp(t), cum_qty=o.filled, avg_price=o.avg_price,
            order_ref=o.order_ref, commission=commission, commission_currency=o.inst.currency,
            realized_pnl=None if realized is None else round(realized, 2), maker=maker)
        self.executions.append(e)
        self.notify("fill", o, e)
        self._after_fill(o, qty, t)

    def _after_fill(self, o: Order, qty: float, t: float) -> None:
        if o.status == "Filled":
            for child in self._children(o):
                if child.working and child.status == "PreSubmitted" and child.order_type in ("MKT", "LMT"):
                    child.status = "Submitted"
                    self.notify("status", child)
        # bracket children are one-cancels-all, and so is an explicit OCA group
        peers = []
        if o.parent_id:
            peers += [x for x in self._children_of(o.client_id, o.parent_id) if x is not o]
        if o.oca_group:
            peers += [x for x in self.orders.values() if x.oca_group == o.oca_group and x is not o
                      and x.client_id == o.client_id]
        for peer in {id(p): p for p in peers}.values():
            if not peer.working:
                continue
            if o.oca_group and peer.oca_group == o.oca_group and o.oca_type in (2, 3):
                peer.quantity = round(peer.quantity - qty, 10)
                if peer.remaining <= 0:
                    self._cancel(peer, "Order Canceled - reason:OCA group reduced to zero")
                else:
                    self.notify("order", peer)
            else:
                self._cancel(peer, "Order Canceled - reason:OCA group execution")

    def _children_of(self, client_id: int, parent_id: int) -> list[Order]:
        return [x for x in self.orders.values() if x.client_id == client_id and x.parent_id == parent_id]

    def _stamp(self, t: float) -> str:
        return datetime.fromtimestamp(t, zone(self.tz)).strftime("%Y%m%d %H:%M:%S ") + self.tz

    # -- persistence ------------------------------------------------------------

    def to_dict(self) -> dict:
        def od(o: Order) -> dict:
            d = dict(vars(o))
            d["inst"] = o.inst.conId
            return d
        def ed(e: Execution) -> dict:
            d = dict(vars(e))
            d["inst"] = e.inst.conId
            return d
        return {"orders": [od(o) for o in self.orders.values()],
                "executions": [ed(e) for e in self.executions],
                "max_ids": {str(k): v for k, v in self.max_ids.items()},
                "perm": next(self._perm), "exec": next(self._exec)}

    def load(self, d: dict) -> None:
        for x in d.get("orders", []):
            inst = self.catalog.get(x.pop("inst"))
            if inst:
                o = Order(inst=inst, **x)
                self.orders[o.key] = o
        for x in d.get("executions", []):
            inst = self.catalog.get(x.pop("inst"))
            if inst:
                self.executions.append(Execution(inst=inst, **x))
        self.max_ids = {int(k): v for k, v in d.get("max_ids", {}).items()}
        self._perm = itertools.count(d.get("perm", 1_900_000_001))
        self._exec = itertools.count(d.get("exec", 1))
