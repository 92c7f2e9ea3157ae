"""Request handlers: what the gateway answers to each client message."""
from __future__ import annotations

import logging
from datetime import datetime

from . import messages as m
from .catalog import MARKET_RULES, Instrument, Query
from .history import (HMDS, WHAT_TO_SHOW, BarSpec, bar_seconds, format_bar_date, format_time,
                      make_bars, max_span, parse_duration, parse_end, range_start, tick_rows)
from .hours import zone
from .market import BarUpdates, MktData, RealTimeBars, TickByTick
from .faults import SYSTEM_MESSAGES
from .orders import Order
from .protocol import UNSET_DOUBLE, BadRequest, Fields
from .session import Connection

log = logging.getLogger("ibsim")

NO_SECURITY = "No security definition has been found for the request"
UNSUPPORTED = {10: "market depth", 22: "scanner subscriptions", 24: "scanner parameters",
               52: "fundamental data", 54: "option computations", 55: "option computations",
               88: "histogram data", 92: "PnL", 94: "PnL", 84: "news", 85: "news", 86: "news",
               21: "option exercise", 18: "FA configuration", 19: "FA configuration"}
IGNORED = {12, 13, 14, 11, 23, 53, 56, 57, 65, 66, 67, 68, 69, 70, 72, 73, 79, 80, 82, 83, 89,
           93, 95, 100, 101, 102, 103, 104}
HANDLERS: dict = {}


def handles(msg_id: int):
    def register(fn):
        HANDLERS[msg_id] = fn
        return fn
    return register


class Session(Connection):
    """A connected client: its subscriptions and request handling."""

    def __init__(self, *args):
        super().__init__(*args)
        self.streams: dict[int, object] = {}      # reqId -> live stream
        self.hist_ids: set[int] = set()
        self.account_sub: str | None = None
        self.positions_sub = False
        self.multi_subs: dict[int, str] = {}
        self.data_type = 1

    # -- dispatch ------------------------------------------------------------

    def dispatch(self, fields: list[str]) -> None:
        try:
            f = Fields(fields)
        except BadRequest as e:
            return self.send(m.error(self.sv, -1, e.code, e.text))
        if not self.ready:
            if f.msg_id == 71:
                self._start_api(f)
            return                                  # TWS ignores anything before startApi
        rule = self.gw.faults.take_failure(f.msg_id)
        if rule:
            req_id = _peek_req_id(fields)
            return self.send(m.error(self.sv, req_id, rule.code, rule.text))
        handler = HANDLERS.get(f.msg_id)
        try:
            if handler:
                handler(self, f)
            elif f.msg_id in UNSUPPORTED:
                req_id = _peek_req_id(fields)
                self.send(m.error(self.sv, req_id, 321,
                                  f"Error validating request.-'{f.msg_id}' : cause - "
                                  f"ibsim does not simulate {UNSUPPORTED[f.msg_id]}"))
            elif f.msg_id not in IGNORED:
                self.send(m.error(self.sv, -1, 505, f"Fatal Error: Unknown message id. {f.msg_id}"))
        except BadRequest as e:
            self.send(m.error(self.sv, e.req_id, e.code, e.text))
        except Exception as e:                       # a bug of ours must not drop the client
            log.exception("handling %s", fields[:3])
            self.send(m.error(self.sv, f.req_id, 320, f"Error reading request. Message id {f.msg_id}. {e!r}"))

    def _start_api(self, f: Fields) -> None:
        f.skip()
        client_id = f.int()
        if any(s is not self and s.ready and s.client_id == client_id for s in self.gw.sessions):
            self.send(m.error(self.sv, -1, 326, "Unable to connect as the client id is already in use. "
                                                "Retry with a unique client id."))
            self.close()
            return
        self.client_id, self.ready = client_id, True
        self.send(m.managed_accounts(list(self.gw.accounts)))
        self.send(m.next_valid_id(self.gw.engine.next_id(client_id)))
        if self.gw.config.farm_messages:
            for code in (2104, 2106, 2158):
                self.send(m.error(self.sv, -1, code, SYSTEM_MESSAGES[code]))

    def on_close(self) -> None:
        self.streams.clear()

    # -- helpers ---------------------------------------------------------------

    @property
    def now(self) -> float:
        return self.gw.clock.now()

    @property
    def today(self):
        return datetime.fromtimestamp(self.now, zone(self.gw.config.timezone)).date()

    def resolve(self, q: Query, req_id: int) -> Instrument:
        """Exactly one instrument for a request, or error 200 as TWS sends it."""
        found = self.gw.catalog.find(q, self.today)
        if not found:
            raise BadRequest(req_id, 200, NO_SECURITY)
        if len(found) > 1:
            raise BadRequest(req_id, 200, f"The contract description specified for {q.describe()} is ambiguous.")
        return found[0]

    def _exchange(self, q: Query, inst: Instrument) -> str:
        return q.exchange.upper() if q.exchange else inst.exchange

    # -- live data and order events (called by the gateway) ------------------------

    def stream(self, t0: int, t1: int) -> None:
        for stream in list(self.streams.values()):
            for msg in stream.emit(t0, t1):
                self.send(msg)

    def order_event(self, kind: str, order: Order, execution, code: int, text: str) -> None:
        faults = self.gw.faults
        msgs = []
        if kind == "order":
            msgs = [m.open_order(self.sv, order), m.order_status(order)]
        elif kind == "status":
            msgs = [m.order_status(order)]
            if order.status in ("Filled", "Cancelled"):
                msgs.insert(0, m.open_order(self.sv, order))
        elif kind == "fill":
            msgs = [m.exec_details(-1, execution)]
            if order.status == "Filled":
                msgs.append(m.open_order(self.sv, order))
            msgs += [m.order_status(order), m.commission_report(execution)]
        elif kind == "error":
            msgs = [m.error(self.sv, order.order_id, code, text)]
        for msg in msgs * (2 if faults.duplicate_order_events else 1):
            self.send(msg, delay=faults.order_event_delay)

    def position_changed(self, account: str, inst: Instrument) -> None:
        acct = self.gw.accounts.get(account)
        if acct is None:
            return
        pos = acct.positions.get(inst.conId)
        if self.positions_sub and pos is not None:
            self.send(m.position(account, inst, pos.qty, pos.avg_cost))
        if self.account_sub == account:
            self.push_account(only=inst)

    def push_account(self, only: Instrument | None = None) -> None:
        name = self.account_sub
        acct = self.gw.accounts.get(name) if name else None
        if acct is None:
            return
        gw = self.gw
        for key, value, ccy in acct.values(gw.catalog.get, gw.mark, gw.fx):
            self.send(m.update_account_value(key, value, ccy, name))
        for row in acct.portfolio(gw.catalog.get, gw.mark):
            if only is None or row[0].conId == only.conId:
                self.send(m.update_portfolio(*row, name))
        self.send(m.update_account_time(self.now))


# requests that carry no version field: their request id comes first
UNVERSIONED = {3, 20, 78, 79, 81, 83, 84, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 100, 101, 103, 104}


def _peek_req_id(fields: list[str]) -> int:
    """The request id of a raw request, for error replies (-1 if none)."""
    try:
        index = 1 if int(fields[0]) in UNVERSIONED else 2
        return int(fields[index])
    except (ValueError, IndexError):
        return -1


# -- contracts --------------------------------------------------------------------

@handles(49)
def current_time(s: Session, f: Fields) -> None:
    s.send(m.current_time(s.now))


@handles(9)
def contract_details(s: Session, f: Fields) -> None:
    f.skip()
    f.req_id = req_id = f.int()
    q = Query.read(f)
    q.includeExpired, q.secIdType, q.secId = f.bool(), f.str(), f.str()
    found = s.gw.catalog.find(q, s.today)
    if not found:
        raise BadRequest(req_id, 200, NO_SECURITY)
    for inst in found:
        hours = inst.hours
        s.send(m.contract_details(s.sv, req_id, inst, s._exchange(q, inst),
                                  hours.describe(s.now, False), hours.describe(s.now, True)))
    s.send(m.contract_details_end(req_id))


@handles(91)
def market_rule(s: Session, f: Fields) -> None:
    rule_id = f.int()
    increments = MARKET_RULES.get(rule_id)
    if increments is None:
        raise BadRequest(-1, 321, f"Error validating request.-'cq' : cause - Invalid market rule id: {rule_id}")
    s.send(m.market_rule(rule_id, increments))


@handles(81)
def matching_symbols(s: Session, f: Fields) -> None:
    f.req_id = req_id = f.int()
    found = s.gw.catalog.search(f.str())
    items = [(i, sorted({d.secType for d in s.gw.catalog.derivatives(i)})) for i in found]
    s.send(m.symbol_samples(s.sv, req_id, items))


@handles(78)
def sec_def_opt_params(s: Session, f: Fields) -> None:
    f.req_id = req_id = f.int()
    symbol, fut_exchange, _sec_type, con_id = f.str(), f.str(), f.str(), f.int()
    und = s.gw.catalog.get(con_id)
    if und is None or (symbol and und.symbol != symbol.upper()):
        raise BadRequest(req_id, 200, NO_SECURITY)
    chain = s.gw.catalog.derivatives(und)
    if fut_exchange:
        chain = [c for c in chain if fut_exchange.upper() in c.valid_exchanges]
    by_exchange: dict[str, list] = {}
    for c in chain:
        for ex in c.valid_exchanges:
            by_exchange.setdefault(ex, []).append(c)
    for ex, items in sorted(by_exchange.items()):
        s.send(m.sec_def_opt_params(req_id, ex, und.conId, items[0].tradingClass, items[0].multiplier,
                                    sorted({c.lastTradeDate for c in items}),
                                    sorted({c.strike for c in items})))
    s.send(m.sec_def_opt_params_end(req_id))


# -- historical data -----------------------------------------------------------------

def _read_bag_legs(f: Fields, q: Query, per_leg: int = 4) -> None:
    if q.secType.upper() == "BAG":
        for _ in range(f.int()):
            f.skip(per_leg)


def _check_what(s: Session, inst: Instrument, what: str, req_id: int) -> str:
    what = what.upper()
    if what not in WHAT_TO_SHOW:
        raise BadRequest(req_id, 321, f"Error validating request.-'bS' : cause - Invalid whatToShow: {what}")
    if what in ("TRADES", "ADJUSTED_LAST") and not inst.has_trades:
        raise BadRequest(req_id, 162, f"{HMDS}No historical market data for "
                                      f"{inst.symbol}/{inst.secType}@{inst.exchange} Last 0")
    return what


@handles(20)
def historical_data(s: Session, f: Fields) -> None:
    f.req_id = req_id = f.int()
    q = Query.read(f)
    q.includeExpired = f.bool()
    end_text, size_text, duration_text = f.str(), f.str(), f.str()
    rth, what, fmt = f.bool(), f.str(), f.int(1)
    _read_bag_legs(f, q)
    keep = f.bool()
    gw = s.gw
    inst = s.resolve(q, req_id)
    what = _check_what(s, inst, what, req_id)
    size = bar_seconds(size_text, req_id)
    n, unit = parse_duration(duration_text, req_id)
    if keep and end_text.strip():
        raise BadRequest(req_id, 321, "Error validating request.-'bX' : cause - "
                                      "End date not supported with live updates")
    now = s.now
    end = min(parse_end(end_text, now, gw.config.timezone, req_id), now)
    start = range_start(inst.hours, end, n, unit, rth)
    nominal = n * {"S": 1, "D": 86400, "W": 7 * 86400, "M": 30 * 86400, "Y": 365 * 86400}[unit]
    if nominal > max_span(size):
        raise BadRequest(req_id, 162, f"{HMDS}Time length exceed max.")
    exch = s._exchange(q, inst)
    violation = s.gw.pacing.check(now, (inst.conId, exch, what),
                                  (inst.conId, exch, what, end_text, size, duration_text, rth, fmt, keep),
                                  2 if what == "BID_ASK" else 1, small=size <= 30)
    if violation:
        raise BadRequest(req_id, 162, f"{HMDS}Historical data request pacing violation")
    quotes = gw.quotes(inst)
    spec = BarSpec(inst, size, what, rth, fmt)
    bars = make_bars(quotes, spec, start, end, gw.config.timezone)
    if not bars:
        raise BadRequest(req_id, 162, f"{HMDS}HMDS query returned no data: "
                                      f"{inst.localSymbol or inst.symbol}@{exch} {what.title()}")
    tz = gw.config.timezone
    rows = [(format_bar_date(b, fmt, tz), b) for b in bars]
    s.hist_ids.add(req_id)
    s.send(m.historical_data(req_id, format_time(start, 1, tz), format_time(end, 1, tz), rows))
    if keep:
        s.streams[req_id] = BarUpdates(req_id, inst, quotes, spec=spec, tz=tz,
                                       bar_start=bars[-1].start, sent=())


@handles(25)
def cancel_historical_data(s: Session, f: Fields) -> None:
    f.skip()
    req_id = f.int()
    if s.streams.pop(req_id, None) is None and req_id not in s.hist_ids:
        raise BadRequest(req_id, 366, f"No historical data query found for ticker id:{req_id}")
    s.hist_ids.discard(req_id)


@handles(87)
def head_timestamp(s: Session, f: Fields) -> None:
    f.req_id = req_id = f.int()
    q = Query.read(f)
    q.includeExpired = f.bool()
    rth, what, fmt = f.bool(), f.str(), f.int(1)
    inst = s.resolve(q, req_id)
    what = _check_what(s, inst, what, req_id)
    path = s.gw.quotes(inst).path
    first = path.first
    sessions = inst.hours.sessions(first, first + 10 * 86400, rth)
    if sessions:
        first = max(first, sessions[0].start)
    s.send(m.head_timestamp(req_id, format_time(first, fmt, s.gw.config.timezone).replace(" ", "-", 1)
                            if fmt == 1 else str(int(first))))


@handles(96)
def historical_ticks(s: Session, f: Fields) -> None:
    f.req_id = req_id = f.int()
    q = Query.read(f)
    q.includeExpired = f.bool()
    start_text, end_text, count, what, rth = f.str(), f.str(), f.int(), f.str().upper(), f.bool()
    inst = s.resolve(q, req_id)
    if bool(start_text.strip()) == bool(end_text.strip()):
        raise BadRequest(req_id, 10187, "Failed to request historical ticks:Exactly one of start "
                                        "and end date/time must be specified")
    if what not in ("TRADES", "BID_ASK", "MIDPOINT"):
        raise BadRequest(req_id, 10187, f"Failed to request historical ticks:invalid whatToShow {what}")
    if what == "TRADES":
        _check_what(s, inst, what, req_id)
    tz, now = s.gw.config.timezone, s.now
    count = max(1, min(count or 1000, 1000))          # IB's page: at most 1,000 ticks
    exch = s._exchange(q, inst)
    # historical ticks share the HMDS pacing of small bars
    if s.gw.pacing.check(now, (inst.conId, exch, what),
                         (inst.conId, exch, what, "ticks", start_text, end_text, count, rth),
                         2 if what == "BID_ASK" else 1, small=True):
        raise BadRequest(req_id, 162, f"{HMDS}Historical data request pacing violation")
    quotes = s.gw.quotes(inst)
    if start_text.strip():
        a = int(parse_end(start_text, now, tz, req_id))
        # up to and including the current second, which live streams have sent already
        rows = tick_rows(quotes, what, a, int(now) + 1, rth, count, from_end=False)
    else:
        b = int(min(parse_end(end_text, now, tz, req_id), now + 1))
        rows = tick_rows(quotes, what, max(b - 7 * 86400, 0), b, rth, count, from_end=True)
    if what == "TRADES":
        s.send(m.historical_ticks_last(req_id, rows, inst.primaryExchange or inst.exchange))
    elif what == "BID_ASK":
        s.send(m.historical_ticks_bid_ask(req_id, rows))
    else:
        s.send(m.historical_ticks(req_id, rows))


# -- live data ------------------------------------------------------------------------

def _new_stream_id(s: Session, req_id: int) -> None:
    if req_id in s.streams:
        raise BadRequest(req_id, 322, "Error processing request:-'bd' : cause - Duplicate ticker id")
    if sum(isinstance(x, MktData) for x in s.streams.values()) >= s.gw.config.max_tickers:
        raise BadRequest(req_id, 101, "Max number of tickers has been reached")


@handles(59)
def market_data_type(s: Session, f: Fields) -> None:
    f.skip()
    s.data_type = f.int(1)
    if s.data_type not in (1, 2, 3, 4):
        raise BadRequest(-1, 321, f"Error validating request.-'bS' : cause - Invalid market data type {s.data_type}")


@handles(1)
def mkt_data(s: Session, f: Fields) -> None:
    f.skip()
    f.req_id = req_id = f.int()
    q = Query.read(f)
    _read_bag_legs(f, q)
    if f.bool():
        f.skip(3)                                  # delta-neutral contract
    generic, snapshot, regulatory = f.str(), f.bool(), f.bool()
    inst = s.resolve(q, req_id)
    _new_stream_id(s, req_id)
    gw = s.gw
    data_type = s.data_type
    if not inst.subscribed or inst.conId in gw.faults.unsubscribed:
        if data_type in (1, 2):
            raise BadRequest(req_id, 354, "Requested market data is not subscribed. "
                                          "Check API status by selecting the Account menu then under "
                                          "Management choose Market Data Subscription Manager and/or "
                                          "Delayed market data is available.")
        s.send(m.error(s.sv, req_id, 10167, "Requested market data is not subscribed. "
                                            "Displaying delayed market data."))
    elif data_type in (3, 4):
        data_type = 1 if data_type == 3 else 2       # subscribed users get real-time data
    stream = MktData(req_id, inst, gw.quotes(inst), generic=set(generic.replace(" ", "").split(",")) - {""},
                     data_type=data_type)
    s.send(m.tick_req_params(req_id, inst.minTick, "9c0001", 3))
    if data_type != 1:
        s.send(m.market_data_type(req_id, data_type))
    now = s.now - stream.lag
    session = inst.hours.session_at(now)
    bar = prev_close = None
    quotes = gw.quotes(inst)
    what = "TRADES" if inst.has_trades else "MIDPOINT"
    from .history import _aggregate, _session_bar
    if session is not None:
        bar = _aggregate(quotes, what, session.start, int(now) + 1)
    prev = [x for x in inst.hours.sessions(now - 7 * 86400, now, False) if x.end <= now]
    if prev:
        pb = _session_bar(quotes, what, prev[-1], now)
        prev_close = pb.close if pb else None
    for msg in stream.initial(s.now, bar, prev_close):
        s.send(msg)
    if snapshot or regulatory:
        s.send(m.tick_snapshot_end(req_id))
    else:
        s.streams[req_id] = stream


@handles(2)
def cancel_mkt_data(s: Session, f: Fields) -> None:
    f.skip()
    s.streams.pop(f.int(), None)


@handles(50)
def real_time_bars(s: Session, f: Fields) -> None:
    f.skip()
    f.req_id = req_id = f.int()
    q = Query.read(f)
    size, what, _rth = f.int(5), f.str().upper(), f.bool()  # (RTH: bars come around the clock)
    inst = s.resolve(q, req_id)
    if size != 5:
        raise BadRequest(req_id, 321, "Error validating request.-'bR' : cause - Invalid bar size: only 5 seconds")
    if what not in ("TRADES", "MIDPOINT", "BID", "ASK"):
        raise BadRequest(req_id, 321, f"Error validating request.-'bR' : cause - Invalid whatToShow: {what}")
    if what == "TRADES" and not inst.has_trades:
        raise BadRequest(req_id, 420, f"Invalid Real-time Query:No data of type TRADES for {inst.symbol}")
    if inst.conId in s.gw.faults.unsubscribed or not inst.subscribed:
        raise BadRequest(req_id, 354, "Requested market data is not subscribed.")
    _new_stream_id(s, req_id)
    s.streams[req_id] = RealTimeBars(req_id, inst, s.gw.quotes(inst), what=what)


@handles(51)
def cancel_real_time_bars(s: Session, f: Fields) -> None:
    f.skip()
    s.streams.pop(f.int(), None)


@handles(97)
def tick_by_tick(s: Session, f: Fields) -> None:
    f.req_id = req_id = f.int()
    q = Query.read(f)
    kind = f.str()
    inst = s.resolve(q, req_id)
    if kind not in ("Last", "AllLast", "BidAsk", "MidPoint"):
        raise BadRequest(req_id, 10189, f"Failed to request tick-by-tick data:invalid tick type {kind}")
    if kind in ("Last", "AllLast") and not inst.has_trades:
        raise BadRequest(req_id, 10189, "Failed to request tick-by-tick data:No trades for this contract")
    if inst.conId in s.gw.faults.unsubscribed or not inst.subscribed:
        raise BadRequest(req_id, 10089, "Requested market data requires additional subscription for API.")
    _new_stream_id(s, req_id)
    live = sum(isinstance(x, TickByTick) for c in s.gw.sessions for x in c.streams.values())
    if live >= s.gw.config.max_tick_by_tick:           # IB counts them per user, not per client
        raise BadRequest(req_id, 10190, "Max number of tick-by-tick requests has been reached.")
    s.streams[req_id] = TickByTick(req_id, inst, s.gw.quotes(inst), kind=kind)


@handles(98)
def cancel_tick_by_tick(s: Session, f: Fields) -> None:
    s.streams.pop(f.int(), None)


# -- orders ------------------------------------------------------------------------------

def _price(v: float):
    return None if v == UNSET_DOUBLE else v        # NaN stays: the engine refuses it (320)


@handles(3)
def place_order(s: Session, f: Fields) -> None:
    f.req_id = order_id = f.int()
    q = Query.read(f)
    q.secIdType, q.secId = f.str(), f.str()
    action, qty, typ = f.str().upper(), f.float(), f.str().upper()
    lmt, aux = f.float(UNSET_DOUBLE), f.float(UNSET_DOUBLE)
    tif, oca, account, _open_close, _origin, ref = f.str().upper(), f.str(), f.str(), f.str(), f.str(), f.str()
    transmit, parent = f.bool(), f.int()
    f.skip(4)                                      # blockOrder, sweepToFill, displaySize, triggerMethod
    outside_rth = f.bool()
    f.skip()                                       # hidden
    if q.secType.upper() == "BAG":
        raise BadRequest(order_id, 201, "Order rejected - reason:ibsim does not trade combos (BAG).")
    f.skip(3)                                      # sharesAllocation, discretionaryAmt, goodAfterTime
    gtd = f.str()
    f.skip(8)                                      # faGroup .. exemptCode
    oca_type = f.int()
    f.skip(17)                                     # rule80A .. volatilityType
    if f.str():                                    # deltaNeutralOrderType
        f.skip(9)
    else:
        f.skip()
    f.skip(2)                                      # continuousUpdate, referencePriceType
    trail_stop, trail_pct = f.float(UNSET_DOUBLE), f.float(UNSET_DOUBLE)
    f.skip(2)
    increment = f.float(UNSET_DOUBLE)
    if 0 < increment < UNSET_DOUBLE:
        f.skip(7)
    f.skip(3)                                      # scaleTable, activeStartTime, activeStopTime
    if f.str():                                    # hedgeType
        f.skip()
    f.skip(4)
    if f.bool():
        f.skip(3)
    if f.str():                                    # algoStrategy
        f.skip(2 * f.int())
    f.skip()                                       # algoId
    what_if = f.bool()
    f.skip(4)                                      # orderMiscOptions, solicited, randomize x2
    if typ == "PEG BENCH":
        f.skip(5)
    if f.int():
        raise BadRequest(order_id, 201, "Order rejected - reason:ibsim does not support order conditions.")
    f.skip(2)                                      # adjustedOrderType, triggerPrice
    lmt_offset = f.float(UNSET_DOUBLE)
    if what_if:
        raise BadRequest(order_id, 201, "Order rejected - reason:ibsim does not simulate what-if margin.")
    try:
        inst = s.resolve(q, order_id)
    except BadRequest as e:
        raise BadRequest(order_id, e.code, e.text) from None
    if q.secType.upper() == "CONTFUT":
        raise BadRequest(order_id, 201, "Order rejected - reason:CONTFUT contracts are not tradable.")
    order = Order(order_id, s.client_id, inst, s._exchange(q, inst), action, qty, typ,
                  _price(lmt), _price(aux), tif or "DAY", oca, oca_type, account or next(iter(s.gw.accounts)),
                  ref, transmit, parent, outside_rth, gtd, _price(trail_stop), _price(trail_pct),
                  _price(lmt_offset))
    if s.gw.faults.take_inactive():
        return s.gw.engine.place_inactive(order, s.now)
    s.gw.engine.place(order, s.now)


@handles(4)
def cancel_order(s: Session, f: Fields) -> None:
    f.skip()
    s.gw.engine.cancel(s.client_id, f.int())


@handles(58)
def global_cancel(s: Session, f: Fields) -> None:
    s.gw.engine.cancel_all()


@handles(8)
def req_ids(s: Session, f: Fields) -> None:
    s.send(m.next_valid_id(s.gw.engine.next_id(s.client_id)))


def _send_open_orders(s: Session, all_clients: bool) -> None:
    for o in s.gw.engine.orders.values():
        if o.working and (all_clients or o.client_id == s.client_id):
            s.send(m.open_order(s.sv, o))
            s.send(m.order_status(o))
    s.send(m.open_order_end())


@handles(5)
def open_orders(s: Session, f: Fields) -> None:
    _send_open_orders(s, all_clients=s.client_id == 0)


@handles(16)
def all_open_orders(s: Session, f: Fields) -> None:
    _send_open_orders(s, all_clients=True)


@handles(15)
def auto_open_orders(s: Session, f: Fields) -> None:
    if s.client_id != 0:
        raise BadRequest(-1, 321, "Error validating request.-'bU' : cause - "
                                  "Auto-binding is only allowed for client id 0")


@handles(99)
def completed_orders(s: Session, f: Fields) -> None:
    for o in s.gw.engine.orders.values():
        if o.status in ("Filled", "Cancelled"):
            s.send(m.completed_order(s.sv, o))
    s.send(m.completed_orders_end())


@handles(7)
def executions(s: Session, f: Fields) -> None:
    f.skip()
    f.req_id = req_id = f.int()
    client, account, since, symbol, sec_type, exchange, side = (f.int(), f.str(), f.str(), f.str(),
                                                                f.str(), f.str(), f.str())
    t0 = parse_end(since, s.now, s.gw.config.timezone, req_id) if since.strip() else 0
    for e in s.gw.engine.executions:
        if ((client and e.client_id != client) or (account and e.account != account)
                or e.time < t0 or (symbol and e.inst.symbol != symbol.upper())
                or (sec_type and e.inst.secType != sec_type.upper())
                or (exchange and e.exchange != exchange.upper())
                or (side and e.side != {"BUY": "BOT", "SELL": "SLD"}.get(side.upper(), side.upper()))):
            continue
        s.send(m.exec_details(req_id, e))
        s.send(m.commission_report(e))
    s.send(m.exec_details_end(req_id))


# -- account ------------------------------------------------------------------------------

def _account(s: Session, name: str, req_id: int = -1) -> str:
    if not name:
        return next(iter(s.gw.accounts))
    if name not in s.gw.accounts:
        raise BadRequest(req_id, 321, f"Error validating request.-'bA' : cause - Invalid account code {name}")
    return name


@handles(17)
def managed_accounts(s: Session, f: Fields) -> None:
    s.send(m.managed_accounts(list(s.gw.accounts)))


@handles(6)
def account_updates(s: Session, f: Fields) -> None:
    f.skip()
    subscribe, name = f.bool(), f.str()
    if not subscribe:
        s.account_sub = None
        return
    s.account_sub = _account(s, name)
    s.push_account()
    s.send(m.account_download_end(s.account_sub))


@handles(61)
def positions(s: Session, f: Fields) -> None:
    s.positions_sub = True
    for acct in s.gw.accounts.values():
        for con_id, pos in acct.positions.items():
            inst = s.gw.catalog.get(con_id)
            if inst is not None:
                s.send(m.position(acct.name, inst, pos.qty, pos.avg_cost))
    s.send(m.position_end())


@handles(64)
def cancel_positions(s: Session, f: Fields) -> None:
    s.positions_sub = False


@handles(74)
def positions_multi(s: Session, f: Fields) -> None:
    f.skip()
    f.req_id = req_id = f.int()
    name, model = f.str(), f.str()
    for acct in s.gw.accounts.values():
        if name and name != acct.name:
            continue
        for con_id, pos in acct.positions.items():
            inst = s.gw.catalog.get(con_id)
            if inst is not None:
                s.send(m.position_multi(req_id, acct.name, inst, pos.qty, pos.avg_cost, model))
    s.send(m.position_multi_end(req_id))


@handles(75)
def cancel_positions_multi(s: Session, f: Fields) -> None:
    pass


SUMMARY_TAGS = ("AccountType", "NetLiquidation", "TotalCashValue", "SettledCash", "AccruedCash",
                "BuyingPower", "EquityWithLoanValue", "GrossPositionValue", "InitMarginReq",
                "MaintMarginReq", "AvailableFunds", "ExcessLiquidity", "Cushion",
                "FullInitMarginReq", "FullMaintMarginReq", "FullAvailableFunds", "FullExcessLiquidity")


@handles(62)
def account_summary(s: Session, f: Fields) -> None:
    f.skip()
    f.req_id = req_id = f.int()
    _group, tags = f.str(), f.str()
    wanted = {t.strip() for t in tags.split(",") if t.strip()}
    if not wanted or "All" in wanted:
        wanted = set(SUMMARY_TAGS)
    gw = s.gw
    for acct in gw.accounts.values():
        for key, value, ccy in acct.values(gw.catalog.get, gw.mark, gw.fx):
            ledger = "$LEDGER" in wanted or "$LEDGER:ALL" in wanted
            if (key in wanted and ccy != "BASE" and (ccy == gw.config.base_currency or not ccy)) or \
                    (ledger and key in ("CashBalance", "NetLiquidationByCurrency") and ccy == "BASE"):
                s.send(m.account_summary(req_id, acct.name, key, value, ccy))
    s.send(m.account_summary_end(req_id))


@handles(63)
def cancel_account_summary(s: Session, f: Fields) -> None:
    pass


@handles(76)
def account_updates_multi(s: Session, f: Fields) -> None:
    f.skip()
    f.req_id = req_id = f.int()
    name, model = f.str(), f.str()
    gw = s.gw
    for acct in gw.accounts.values():
        if name and name not in (acct.name, "All"):
            continue
        for key, value, ccy in acct.values(gw.catalog.get, gw.mark, gw.fx):
            s.send(m.account_update_multi(req_id, acct.name, model, key, value, ccy))
    s.send(m.account_update_multi_end(req_id))


@handles(77)
def cancel_account_updates_multi(s: Session, f: Fields) -> None:
    pass


@handles(71)
def start_api_again(s: Session, f: Fields) -> None:
    pass                                            # already started: TWS ignores a repeat
