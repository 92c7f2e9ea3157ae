"""Builders for every message the gateway sends, as field lists.

Each function returns ``[msg_id, ...]`` laid out exactly as the clients'
decoders read it for the negotiated server version ``sv``. Version
fields carry the value TWS customarily sends; the clients skip them.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Sequence

from .catalog import Instrument
from .history import Bar

if TYPE_CHECKING:                     # only for type hints
    from .orders import Execution, Order

U = ""                                # an unset value on the wire


def handshake(sv: int, conn_time: str) -> list:
    return [sv, conn_time]


def next_valid_id(order_id: int) -> list:
    return [9, 1, order_id]


def managed_accounts(accounts: Sequence[str]) -> list:
    return [15, 1, ",".join(accounts)]


def error(sv: int, req_id: int, code: int, text: str) -> list:
    msg = [4, 2, req_id, code, text]
    if sv >= 166:
        msg.append(U)                 # advancedOrderRejectJson
    return msg


def current_time(t: float) -> list:
    return [49, 1, int(t)]


# -- contracts ---------------------------------------------------------------

def contract11(inst: Instrument, exchange: str) -> list:
    """The contract block of orders, executions and positions."""
    return [inst.conId, inst.symbol, inst.secType, inst.lastTradeDate, inst.strike,
            inst.right, inst.multiplier, exchange, inst.currency, inst.localSymbol,
            inst.tradingClass]


def contract_details(sv: int, req_id: int, inst: Instrument, exchange: str,
                     trading_hours: str, liquid_hours: str) -> list:
    msg = [10]
    if sv < 164:
        msg.append(8)                 # version
    msg += [req_id, inst.symbol, inst.secType, inst.lastTradeDate, inst.strike, inst.right,
            exchange, inst.currency, inst.localSymbol, inst.localSymbol or inst.symbol,
            inst.tradingClass, inst.conId, inst.minTick]
    if sv < 164:
        msg.append(1)                 # obsolete mdSizeMultiplier
    order_types = "ACTIVETIM,ADJUST,ALERT,ALGO,AVGCOST,DAY,GTC,GTD,IOC,LIT,LMT,LOC,MIT,MKT,MOC,OCA,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,WHATIF"
    msg += [inst.multiplier, order_types, ",".join(inst.valid_exchanges), 1,
            inst.underConId, inst.longName, inst.primaryExchange,
            inst.lastTradeDate[:6] if inst.lastTradeDate else U,
            inst.industry, inst.category, inst.subcategory, inst.hours.tz,
            trading_hours, liquid_hours, U, U, len(inst.secIds)]
    for tag, value in inst.secIds:
        msg += [tag, value]
    msg += [1, inst.underSymbol, inst.underSecType,
            ",".join([str(inst.market_rule)] * len(inst.valid_exchanges)), inst.lastTradeDate,
            inst.stockType]
    if sv == 163:
        msg.append(inst.sizeIncrement)
    if sv >= 164:
        msg += [inst.sizeIncrement, inst.sizeIncrement, inst.sizeIncrement]
    return msg


def market_rule(rule_id: int, increments: Sequence[tuple[float, float]]) -> list:
    msg = [93, rule_id, len(increments)]
    for low_edge, increment in increments:
        msg += [low_edge, increment]
    return msg


def contract_details_end(req_id: int) -> list:
    return [52, 1, req_id]


def symbol_samples(sv: int, req_id: int, items: Sequence[tuple[Instrument, list[str]]]) -> list:
    msg = [79, req_id, len(items)]
    for inst, derivatives in items:
        msg += [inst.conId, inst.symbol, inst.secType, inst.primaryExchange or inst.exchange,
                inst.currency, len(derivatives), *derivatives]
        if sv >= 176:
            msg += [inst.longName, U]  # description, issuerId
    return msg


def sec_def_opt_params(req_id: int, exchange: str, under_con_id: int, trading_class: str,
                       multiplier: str, expirations: Sequence[str], strikes: Sequence[float]) -> list:
    return [75, req_id, exchange, under_con_id, trading_class, multiplier,
            len(expirations), *expirations, len(strikes), *strikes]


def sec_def_opt_params_end(req_id: int) -> list:
    return [76, req_id]


# -- historical data -----------------------------------------------------------

def historical_data(req_id: int, start: str, end: str, bars: Sequence[tuple[str, Bar]]) -> list:
    msg = [17, req_id, start, end, len(bars)]
    for date, b in bars:
        msg += [date, b.open, b.high, b.low, b.close, b.volume, b.wap, b.count]
    return msg


def historical_data_update(req_id: int, date: str, b: Bar) -> list:
    # note the order: open, close, high, low (unlike historicalData)
    return [90, req_id, b.count, date, b.open, b.close, b.high, b.low, b.wap, b.volume]


def head_timestamp(req_id: int, stamp: str) -> list:
    return [88, req_id, stamp]


def historical_ticks(req_id: int, rows: Sequence[tuple], done: bool = True) -> list:
    msg = [96, req_id, len(rows)]
    for t, price in rows:
        msg += [t, U, price, 0]
    return msg + [done]


def historical_ticks_bid_ask(req_id: int, rows: Sequence[tuple], done: bool = True) -> list:
    msg = [97, req_id, len(rows)]
    for t, bid, ask, bid_size, ask_size in rows:
        msg += [t, 0, bid, ask, bid_size, ask_size]
    return msg + [done]


def historical_ticks_last(req_id: int, rows: Sequence[tuple], exchange: str, done: bool = True) -> list:
    msg = [98, req_id, len(rows)]
    for t, price, size in rows:
        msg += [t, 0, price, size, exchange, U]
    return msg + [done]


# -- live data ------------------------------------------------------------------

def tick_price(req_id: int, tick_type: int, price: float, size: float, attrib: int = 0) -> list:
    return [1, 6, req_id, tick_type, price, size, attrib]


def tick_size(req_id: int, tick_type: int, size: float) -> list:
    return [2, 6, req_id, tick_type, size]


def tick_string(req_id: int, tick_type: int, value: str) -> list:
    return [46, 6, req_id, tick_type, value]


def tick_generic(req_id: int, tick_type: int, value: float) -> list:
    return [45, 6, req_id, tick_type, value]


def tick_snapshot_end(req_id: int) -> list:
    return [57, 1, req_id]


def market_data_type(req_id: int, data_type: int) -> list:
    return [58, 1, req_id, data_type]


def tick_req_params(req_id: int, min_tick: float, bbo_exchange: str, permissions: int) -> list:
    return [81, req_id, min_tick, bbo_exchange, permissions]


def realtime_bar(req_id: int, t: int, o: float, h: float, lo: float, c: float,
                 volume: float, wap: float, count: int) -> list:
    return [50, 3, req_id, t, o, h, lo, c, volume, wap, count]


def tick_by_tick_last(req_id: int, kind: int, t: int, price: float, size: float, exchange: str) -> list:
    return [99, req_id, kind, t, price, size, 0, exchange, U]


def tick_by_tick_bid_ask(req_id: int, t: int, bid: float, ask: float, bid_size: float, ask_size: float) -> list:
    return [99, req_id, 3, t, bid, ask, bid_size, ask_size, 0]


def tick_by_tick_mid(req_id: int, t: int, mid: float) -> list:
    return [99, req_id, 4, t, mid]


# -- orders ------------------------------------------------------------------------

def _price(p: float | None):
    return U if p is None else p


def order_status(o: "Order") -> list:
    return [3, o.order_id, o.status, o.filled, o.remaining, o.avg_price, o.perm_id,
            o.parent_id, o.last_fill_price, o.client_id, U, U]


def open_order(sv: int, o: "Order") -> list:
    msg = [5, o.order_id, *contract11(o.inst, o.exchange)]
    msg += [o.action, o.quantity, o.order_type, _price(o.lmt_price), _price(o.aux_price),
            o.tif, o.oca_group, o.account, "O", 0, o.order_ref, o.client_id, o.perm_id,
            o.outside_rth, False, 0, U,
            U,                                        # deprecated sharesAllocation
            U, U, U, U, U,                            # faGroup, faMethod, faPercentage, faProfile, modelCode
            o.good_till_date, U, U, U, 0, U, U,       # ..., rule80A, percentOffset, settlingFirm, shortSaleSlot, designatedLocation, exemptCode
            0, U, U, U, U, U, U,                      # auctionStrategy, startingPrice, stockRefPrice, delta, stockRange x2, displaySize
            False, False, False, U, o.oca_type,       # blockOrder, sweepToFill, allOrNone, minQty, ocaType
            False, False, U, o.parent_id, 0,          # eTradeOnly, firmQuoteOnly, nbboPriceCap, parentId, triggerMethod
            U, 0, U, U]                               # volatility, volatilityType, deltaNeutralOrderType (empty: no block), auxPrice
    msg += [0, 0, _price(o.trail_stop_price), _price(o.trailing_percent), U, U, U,
            0, 0, 0,                                  # combo legs, order combo legs, smart routing params
            U, U, U,                                  # scaleInit/SubsLevelSize, scalePriceIncrement (empty: no block)
            U,                                        # hedgeType (empty: no param)
            False, U, U, False, False,                # optOutSmartRouting, clearing x2, notHeld, no delta-neutral contract
            U,                                        # algoStrategy (empty: no params)
            False, False, o.status]                   # solicited, whatIf, OrderState.status
    msg += [U] * 9 + [U, U, U, U, U]                  # margins before/change/after, commissions, currency, warning
    msg += [False, False, 0]                          # randomizeSize, randomizePrice, conditions
    msg += [U, U, _price(o.trail_stop_price), _price(o.lmt_price_offset), U, U, U, 0,
            U, U, U, U, False, False, U, False]       # adjusted*, softDollarTier x3, cashQty, ..., usePriceMgmtAlgo
    if sv >= 159:
        msg.append(U)                                 # duration
    if sv >= 160:
        msg.append(False)                             # postToAts
    if sv >= 162:
        msg.append(False)                             # autoCancelParent
    if sv >= 170:
        msg += [U, U, U, U, U]                        # minTradeQty .. midOffsetAtHalf
    return msg


def open_order_end() -> list:
    return [53, 1]


def completed_order(sv: int, o: "Order") -> list:
    msg = [101, *contract11(o.inst, o.exchange)]
    msg += [o.action, o.quantity, o.order_type, _price(o.lmt_price), _price(o.aux_price),
            o.tif, o.oca_group, o.account, "O", 0, o.order_ref, o.perm_id,
            o.outside_rth, False, 0, U,
            U, U, U, U, U,                            # faGroup .. modelCode
            o.good_till_date, U, U, U, 0, U, U,
            U, U, U, U, U, U,                         # startingPrice .. displaySize
            False, False, U, o.oca_type, 0,           # sweepToFill, allOrNone, minQty, ocaType, triggerMethod
            U, 0, U, U,                               # volatility, volatilityType, deltaNeutralOrderType, auxPrice
            0, 0, _price(o.trail_stop_price), _price(o.trailing_percent), U,
            0, 0, 0,
            U, U, U,
            U,
            U, U, False, False,                       # clearingAccount, clearingIntent, notHeld, no dnc
            U,
            False, o.status, False, False, 0,         # solicited, status, randomize x2, conditions
            _price(o.trail_stop_price), _price(o.lmt_price_offset), U, False, False,
            U, o.filled, 0, False, U, False, False, 0,  # autoCancelDate, filledQuantity, refFuturesConId, ...
            o.completed_time, o.completed_status]
    if sv >= 170:
        msg += [U, U, U, U, U]
    return msg


def completed_orders_end() -> list:
    return [102]


def exec_details(req_id: int, e: "Execution") -> list:
    return [11, req_id, e.order_id, *contract11(e.inst, e.exchange), e.exec_id, e.time_text,
            e.account, e.exchange, e.side, e.shares, e.price, e.perm_id, e.client_id, 0,
            e.cum_qty, e.avg_price, e.order_ref, U, U, U, 1 if e.maker else 2]


def exec_details_end(req_id: int) -> list:
    return [55, 1, req_id]


def commission_report(e: "Execution") -> list:
    pnl = e.realized_pnl if e.realized_pnl is not None else 1.7976931348623157e308
    return [59, 1, e.exec_id, e.commission, e.commission_currency, pnl, 1.7976931348623157e308, U]


# -- account -------------------------------------------------------------------------

def update_account_value(key: str, value: str, currency: str, account: str) -> list:
    return [6, 2, key, value, currency, account]


def update_portfolio(inst: Instrument, position: float, price: float, value: float,
                     avg_cost: float, unrealized: float, realized: float, account: str) -> list:
    c = contract11(inst, inst.primaryExchange or inst.exchange)
    return [7, 8, *c, position, price, value, avg_cost, unrealized, realized, account]


def update_account_time(t: float) -> list:
    return [8, 1, datetime.fromtimestamp(t, timezone.utc).strftime("%H:%M")]


def account_download_end(account: str) -> list:
    return [54, 1, account]


def position(account: str, inst: Instrument, qty: float, avg_cost: float) -> list:
    return [61, 3, account, *contract11(inst, inst.exchange if inst.secType != "STK" else U),
            qty, avg_cost]


def position_end() -> list:
    return [62, 1]


def position_multi(req_id: int, account: str, inst: Instrument, qty: float, avg_cost: float,
                   model: str = "") -> list:
    return [71, 1, req_id, account, *contract11(inst, inst.exchange), qty, avg_cost, model]


def position_multi_end(req_id: int) -> list:
    return [72, 1, req_id]


def account_summary(req_id: int, account: str, tag: str, value: str, currency: str) -> list:
    return [63, 1, req_id, account, tag, value, currency]


def account_summary_end(req_id: int) -> list:
    return [64, 1, req_id]


def account_update_multi(req_id: int, account: str, model: str, key: str, value: str,
                         currency: str) -> list:
    return [73, 1, req_id, account, model, key, value, currency]


def account_update_multi_end(req_id: int) -> list:
    return [74, 1, req_id]
