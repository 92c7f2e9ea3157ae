"""Every message ibsim sends, decoded by each client's real Decoder.

A message with a missing or extra middle field either raises inside the
decoder (exact-count messages) or shifts the fields after it, so each case
checks the values that come last, and the field count per server version.
"""
import importlib
import logging
from datetime import timezone

import pytest

from backtrader_ib.ibsim import messages as m
from backtrader_ib.ibsim.catalog import default_catalog
from backtrader_ib.ibsim.history import Bar
from backtrader_ib.ibsim.orders import Execution, Order
from backtrader_ib.ibsim.protocol import encode_field

from .conftest import LIBS

SV = [157, 159, 162, 163, 164, 166, 170, 176]
CAT = default_catalog()
AAPL = CAT.get(265598)


class Recorder:
    """Stands in for the client's Wrapper and records each call."""

    defaultTimezone = timezone.utc          # read by ib_async's execDetails

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *args: self.calls.append((name, args))


class Fail(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def decode(lib_name, sv, msg):
    lib = importlib.import_module(lib_name)
    rec = Recorder()
    dec = lib.decoder.Decoder(rec, sv)
    fail = Fail()
    dec.logger.addHandler(fail)
    dec.logger.setLevel(logging.ERROR)      # the suite silences client logs elsewhere
    try:
        dec.interpret([encode_field(f) for f in msg])
    finally:
        dec.logger.removeHandler(fail)
    assert not fail.records, fail.records[0].getMessage()
    assert rec.calls, "decoder ignored the message"
    return rec.calls


def order(**kw):
    base = dict(order_id=42, client_id=7, inst=AAPL, exchange="SMART", action="BUY", quantity=300.0,
                order_type="TRAIL LIMIT", lmt_price=170.5, aux_price=1.25, tif="GTC", oca_group="grp",
                oca_type=2, account="DU123456", order_ref="ref-1", parent_id=41, trail_stop_price=169.0,
                trailing_percent=None, lmt_price_offset=0.1, perm_id=1900000005, status="Submitted",
                filled=100.0, completed_time="20240305 10:00:00 US/Eastern", completed_status="Filled Size: 300")
    base.update(kw)
    return Order(**base)


def execution():
    return Execution("0001.65e7.01.01", 42, 7, 1900000005, AAPL, "NASDAQ", "DU123456", "BOT", 100.0,
                     170.25, 1709650800.0, "20240305 10:00:00 US/Eastern", 100.0, 170.25, "ref-1",
                     1.0, "USD", 12.5)


OPEN_ORDER_LEN = {157: 120, 159: 121, 162: 123, 163: 123, 164: 123, 166: 123, 170: 128, 176: 128}


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("sv", SV)
def test_open_order(lib, sv):
    msg = m.open_order(sv, order())
    assert len(msg) == OPEN_ORDER_LEN[sv]
    ((name, (oid, c, o, st)),) = decode(lib, sv, msg)
    assert (name, oid, c.conId, c.exchange, c.tradingClass) == ("openOrder", 42, 265598, "SMART", "AAPL")
    assert (o.action, o.totalQuantity, o.orderType, o.lmtPrice, o.auxPrice, o.tif) == \
        ("BUY", 300.0, "TRAIL LIMIT", 170.5, 1.25, "GTC")
    assert (o.ocaGroup, o.ocaType, o.parentId, o.permId, o.clientId, o.orderRef) == \
        ("grp", 2, 41, 1900000005, 7, "ref-1")
    assert (o.trailStopPrice, o.lmtPriceOffset, st.status) == (169.0, 0.1, "Submitted")


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("sv", SV)
def test_completed_order(lib, sv):
    msg = m.completed_order(sv, order(status="Filled", filled=300.0))
    assert len(msg) == (92 if sv < 170 else 97)
    ((name, (c, o, st)),) = decode(lib, sv, msg)
    assert (name, c.conId, o.permId, o.filledQuantity, st.status) == ("completedOrder", 265598, 1900000005, 300.0, "Filled")
    assert (st.completedTime, st.completedStatus) == ("20240305 10:00:00 US/Eastern", "Filled Size: 300")


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("sv", SV)
def test_contract_details(lib, sv):
    inst = CAT.get(265598)
    msg = m.contract_details(sv, 9, inst, "SMART", "20240305:0400-20240305:2000", "20240305:0930-20240305:1600")
    expected = 39 if sv < 163 else 40
    assert len(msg) == expected + 2 * len(inst.secIds)
    ((name, (req_id, cd)),) = decode(lib, sv, msg)
    c = cd.contract
    assert (name, req_id, c.conId, c.symbol, c.exchange, c.primaryExchange) == ("contractDetails", 9, 265598, "AAPL", "SMART", "NASDAQ")
    assert (cd.minTick, cd.longName, cd.timeZoneId, cd.stockType) == (0.01, "APPLE INC", "US/Eastern", "COMMON")
    assert cd.liquidHours == "20240305:0930-20240305:1600"
    assert [(t.tag, t.value) for t in cd.secIdList] == [("ISIN", "US0378331005")]
    if sv >= 164:
        assert cd.minSize == 1.0 and cd.suggestedSizeIncrement == 1.0


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("sv", [157, 176])
def test_future_option_details(lib, sv):
    fop = next(i for i in CAT if i.secType == "FOP")
    ((_, (_, cd)),) = decode(lib, sv, m.contract_details(sv, 1, fop, "CME", "", ""))
    c = cd.contract
    assert (c.secType, c.strike, c.right, c.multiplier, c.lastTradeDateOrContractMonth) == \
        ("FOP", fop.strike, fop.right, "50", fop.lastTradeDate)
    assert cd.underConId == fop.underConId


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("sv", [157, 166, 176])
def test_error(lib, sv):
    msg = m.error(sv, 12, 200, "No security definition has been found for the request")
    assert len(msg) == (5 if sv < 166 else 6)
    ((name, args),) = decode(lib, sv, msg)
    assert (name, args[:3]) == ("error", (12, 200, "No security definition has been found for the request"))


def test_exec_details_is_31_fields():
    assert len(m.exec_details(-1, execution())) == 31


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("sv", [157, 176])
def test_exec_and_commission(lib, sv):
    ((name, (req_id, c, ex)),) = decode(lib, sv, m.exec_details(-1, execution()))
    assert (name, req_id, c.conId, ex.execId, ex.side, ex.shares, ex.price, ex.cumQty, ex.lastLiquidity) == \
        ("execDetails", -1, 265598, "0001.65e7.01.01", "BOT", 100.0, 170.25, 100.0, 2)
    assert ex.time.timestamp() == 1709650800.0
    msg = m.commission_report(execution())
    assert len(msg) == 8
    ((name, (rep,)),) = decode(lib, sv, msg)
    assert (rep.execId, rep.commission, rep.currency, rep.realizedPNL) == ("0001.65e7.01.01", 1.0, "USD", 12.5)


BAR = Bar(1709650800, 170.0, 171.0, 169.5, 170.5, 1200.0, 170.2, 12)

# (message, wrapper method, expected arguments after decoding)
SIMPLE = [
    (m.next_valid_id(5), "nextValidId", (5,)),
    (m.managed_accounts(["DU1", "DU2"]), "managedAccounts", ("DU1,DU2",)),
    (m.current_time(1709650800), "currentTime", (1709650800,)),
    (m.contract_details_end(3), "contractDetailsEnd", (3,)),
    (m.tick_price(4, 1, 170.01, 300.0), "priceSizeTick", (4, 1, 170.01, 300.0)),
    (m.tick_size(4, 8, 12345.0), "tickSize", (4, 8, 12345.0)),
    (m.tick_string(4, 48, "170.0;100;1709650800000;5000;170.0;true"), "tickString",
     (4, 48, "170.0;100;1709650800000;5000;170.0;true")),
    (m.tick_generic(4, 49, 0.0), "tickGeneric", (4, 49, 0.0)),
    (m.tick_snapshot_end(4), "tickSnapshotEnd", (4,)),
    (m.market_data_type(4, 3), "marketDataType", (4, 3)),
    (m.tick_req_params(4, 0.01, "9c0001", 3), "tickReqParams", (4, 0.01, "9c0001", 3)),
    (m.realtime_bar(6, 1709650800, 1.0, 2.0, 0.5, 1.5, 100.0, 1.2, 7), "realtimeBar",
     (6, 1709650800, 1.0, 2.0, 0.5, 1.5, 100.0, 1.2, 7)),
    (m.head_timestamp(8, "20000103-09:30:00"), "headTimestamp", (8, "20000103-09:30:00")),
    (m.order_status(order()), "orderStatus", (42, "Submitted", 100.0, 200.0, 0.0, 1900000005, 41, 0.0, 7, "", 0.0)),
    (m.open_order_end(), "openOrderEnd", ()),
    (m.completed_orders_end(), "completedOrdersEnd", ()),
    (m.exec_details_end(9), "execDetailsEnd", (9,)),
    (m.update_account_value("NetLiquidation", "100.00", "USD", "DU1"), "updateAccountValue",
     ("NetLiquidation", "100.00", "USD", "DU1")),
    (m.update_account_time(1709650800), "updateAccountTime", ("15:00",)),
    (m.account_download_end("DU1"), "accountDownloadEnd", ("DU1",)),
    (m.position_end(), "positionEnd", ()),
    (m.account_summary(3, "DU1", "NetLiquidation", "1.00", "USD"), "accountSummary",
     (3, "DU1", "NetLiquidation", "1.00", "USD")),
    (m.account_summary_end(3), "accountSummaryEnd", (3,)),
    (m.account_update_multi(3, "DU1", "", "NetLiquidation", "1.00", "USD"), "accountUpdateMulti",
     (3, "DU1", "", "NetLiquidation", "1.00", "USD")),
    (m.account_update_multi_end(3), "accountUpdateMultiEnd", (3,)),
    (m.position_multi_end(3), "positionMultiEnd", (3,)),
    (m.sec_def_opt_params_end(3), "securityDefinitionOptionParameterEnd", (3,)),
    (m.sec_def_opt_params(3, "CBOE", 265598, "AAPL", "100", ["20240315", "20240419"], [150.0, 160.0]),
     "securityDefinitionOptionParameter", (3, "CBOE", "265598", "AAPL", "100", ["20240315", "20240419"], [150.0, 160.0])),
    (m.historical_data_update(5, "20240305 10:00:00 US/Eastern", BAR), "historicalDataUpdate", None),
]


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("msg,method,args", SIMPLE, ids=[c[1] for c in SIMPLE])
def test_simple_messages(lib, msg, method, args):
    calls = decode(lib, 176, msg)
    assert calls[0][0] == method
    if args is not None:
        assert tuple(calls[0][1]) == args


@pytest.mark.parametrize("lib", LIBS)
def test_bar_messages(lib):
    calls = decode(lib, 176, m.historical_data(5, "a", "b", [("20240305", BAR), ("20240306", BAR)]))
    assert [c[0] for c in calls] == ["historicalData", "historicalData", "historicalDataEnd"]
    bar = calls[1][1][1]
    assert (bar.date, bar.open, bar.high, bar.low, bar.close, bar.volume, bar.average, bar.barCount) == \
        ("20240306", 170.0, 171.0, 169.5, 170.5, 1200.0, 170.2, 12)
    ((_, (_, upd)),) = decode(lib, 176, m.historical_data_update(5, "x", BAR))
    assert (upd.open, upd.high, upd.low, upd.close, upd.volume, upd.average, upd.barCount) == \
        (170.0, 171.0, 169.5, 170.5, 1200.0, 170.2, 12)


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("sv", [157, 176])
def test_portfolio_and_position(lib, sv):
    msg = m.update_portfolio(AAPL, 10.0, 171.0, 1710.0, 170.1, 9.0, 0.0, "DU1")
    assert len(msg) == 20
    ((_, (c, pos, price, value, avg, unreal, real, acct)),) = decode(lib, sv, msg)
    assert (c.conId, c.primaryExchange, pos, price, value, avg, unreal, acct) == \
        (265598, "NASDAQ", 10.0, 171.0, 1710.0, 170.1, 9.0, "DU1")
    msg = m.position("DU1", AAPL, -5.0, 170.0)
    assert len(msg) == 16
    ((_, (acct, c, pos, avg)),) = decode(lib, sv, msg)
    assert (acct, c.conId, pos, avg) == ("DU1", 265598, -5.0, 170.0)
    ((_, args),) = decode(lib, sv, m.position_multi(3, "DU1", AAPL, 2.0, 1.0, "M"))
    assert (args[0], args[1], args[2], args[4], args[5]) == (3, "DU1", "M", 2.0, 1.0)


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("sv", [157, 176])
def test_symbol_samples(lib, sv):
    ((_, (req_id, descs)),) = decode(lib, sv, m.symbol_samples(sv, 2, [(AAPL, ["OPT"]), (CAT.get(8314), [])]))
    assert req_id == 2 and [d.contract.symbol for d in descs] == ["AAPL", "IBM"]
    assert descs[0].derivativeSecTypes == ["OPT"]


@pytest.mark.parametrize("lib", LIBS)
def test_ticks(lib):
    calls = decode(lib, 176, m.historical_ticks_last(3, [(1709650800, 170.0, 100.0), (1709650801, 170.01, 5.0)], "NASDAQ"))
    assert calls[0][0] == "historicalTicksLast" and [t.price for t in calls[0][1][1]] == [170.0, 170.01]
    calls = decode(lib, 176, m.historical_ticks_bid_ask(3, [(1709650800, 1.0, 1.1, 5.0, 6.0)]))
    assert calls[0][1][1][0].priceAsk == 1.1
    calls = decode(lib, 176, m.historical_ticks(3, [(1709650800, 1.05)]))
    assert calls[0][1][1][0].price == 1.05
    for msg, name in ((m.tick_by_tick_last(3, 1, 1709650800, 1.0, 2.0, "X"), "tickByTickAllLast"),
                      (m.tick_by_tick_bid_ask(3, 1709650800, 1.0, 1.1, 2.0, 3.0), "tickByTickBidAsk"),
                      (m.tick_by_tick_mid(3, 1709650800, 1.05), "tickByTickMidPoint")):
        assert decode(lib, 176, msg)[0][0] == name
