"""Orders, fills, commissions, account and positions through the real clients."""
import pytest

from .conftest import errors_of, pump


@pytest.fixture
def aapl(ib, lib):
    c = lib.Stock("AAPL", "SMART", "USD")
    ib.qualifyContracts(c)
    return c


def quote(ib, c):
    (t,) = ib.reqTickers(c)
    return t


def test_market_order_fills_with_commission(ib, sim, lib, aapl):
    trade = ib.placeOrder(aapl, lib.MarketOrder("BUY", 100))
    pump(ib)
    assert trade.orderStatus.status == "Filled" and trade.orderStatus.filled == 100
    (fill,) = trade.fills
    assert fill.commissionReport.commission == 1.0 and fill.execution.side == "BOT"
    assert [p.position for p in ib.positions()] == [100]
    pump(ib, sim, 1)
    port = ib.portfolio()
    assert port and port[0].position == 100 and port[0].contract.conId == aapl.conId
    cash = next(float(v.value) for v in ib.accountValues() if v.tag == "TotalCashValue" and v.currency == "USD")
    assert cash == pytest.approx(1_000_000 - 100 * fill.execution.price - 1.0)


def test_limit_order_cancel(ib, lib, aapl):
    errors = errors_of(ib)
    trade = ib.placeOrder(aapl, lib.LimitOrder("BUY", 10, 1.0))
    pump(ib)
    assert trade.orderStatus.status == "Submitted"
    assert [t.order.orderId for t in ib.reqOpenOrders()] == [trade.order.orderId]
    ib.cancelOrder(trade.order)
    pump(ib)
    assert trade.orderStatus.status == "Cancelled" and (trade.order.orderId, 202) in errors
    ib.cancelOrder(trade.order)
    pump(ib)
    assert (trade.order.orderId, 10148) in errors


def test_limit_fills_when_market_crosses(ib, sim, lib, aapl):
    t = quote(ib, aapl)
    trade = ib.placeOrder(aapl, lib.LimitOrder("SELL", 10, round(t.bid + 0.05, 2)))
    pump(ib)
    assert trade.orderStatus.status == "Submitted"
    for _ in range(40):
        pump(ib, sim, 60)
        if trade.isDone():
            break
    assert trade.orderStatus.status == "Filled"
    assert trade.fills[0].execution.price >= trade.order.lmtPrice


@pytest.mark.parametrize("kind", ["STP", "STP LMT", "TRAIL", "TRAIL LIMIT"])
def test_stop_orders_trigger(ib, sim, lib, aapl, kind):
    px = quote(ib, aapl).last
    if kind == "STP":
        order = lib.StopOrder("SELL", 10, round(px - 0.1, 2))
    elif kind == "STP LMT":
        order = lib.StopLimitOrder("SELL", 10, round(px - 0.5, 2), round(px - 0.1, 2))
    else:
        order = lib.Order(action="SELL", totalQuantity=10, orderType=kind, auxPrice=0.1)
        if kind == "TRAIL LIMIT":
            order.lmtPriceOffset = 0.3
    trade = ib.placeOrder(aapl, order)
    pump(ib)
    assert trade.orderStatus.status == "PreSubmitted"
    for _ in range(60):
        pump(ib, sim, 30)
        if trade.isDone():
            break
    assert trade.orderStatus.status == "Filled"


def test_partial_fills_for_large_orders(ib, lib, aapl):
    trade = ib.placeOrder(aapl, lib.MarketOrder("BUY", 5000))
    pump(ib)
    assert 0 < trade.orderStatus.filled < 5000 and trade.orderStatus.status == "Submitted"


def test_partial_fills_complete_over_time(ib, sim, lib, aapl):
    trade = ib.placeOrder(aapl, lib.MarketOrder("SELL", 3000))
    pump(ib, sim, 30)
    assert trade.orderStatus.status == "Filled" and len(trade.fills) > 1
    assert sum(f.execution.shares for f in trade.fills) == 3000
    assert [p.position for p in ib.positions()] == [-3000]


def test_moc_loc_ioc_gtd(ib, sim, lib, aapl):
    moc = ib.placeOrder(aapl, lib.Order(action="BUY", totalQuantity=5, orderType="MOC"))
    loc = ib.placeOrder(aapl, lib.Order(action="BUY", totalQuantity=5, orderType="LOC", lmtPrice=1.0))
    ioc = ib.placeOrder(aapl, lib.LimitOrder("BUY", 5, 1.0, tif="IOC"))
    gtd = ib.placeOrder(aapl, lib.LimitOrder("BUY", 5, 1.0, tif="GTD", goodTillDate="20240305 11:00:00 US/Eastern"))
    pump(ib)
    assert ioc.orderStatus.status == "Cancelled" and moc.orderStatus.status == "PreSubmitted"
    pump(ib, sim, 3700)
    assert gtd.orderStatus.status == "Cancelled"
    pump(ib, sim, 6 * 3600)                          # past the 20:00 close of the trading day
    assert moc.orderStatus.status == "Filled" and loc.orderStatus.status == "Cancelled"


def test_oca_group(ib, sim, lib, aapl):
    px = quote(ib, aapl).ask
    a = lib.LimitOrder("BUY", 10, round(px + 1, 2), ocaGroup="g1", ocaType=1)
    b = lib.LimitOrder("BUY", 10, 1.0, ocaGroup="g1", ocaType=1)
    tb = ib.placeOrder(aapl, b)
    ta = ib.placeOrder(aapl, a)
    pump(ib)
    assert ta.orderStatus.status == "Filled" and tb.orderStatus.status == "Cancelled"


def test_bracket(ib, sim, lib, aapl):
    px = quote(ib, aapl).ask
    bracket = ib.bracketOrder("BUY", 10, round(px + 0.5, 2), round(px - 0.3, 2), round(px - 50, 2))
    trades = [ib.placeOrder(aapl, o) for o in bracket]
    pump(ib)
    parent, profit, stop = trades
    assert parent.orderStatus.status == "Filled"
    for _ in range(60):
        pump(ib, sim, 30)
        if profit.isDone():
            break
    assert profit.orderStatus.status == "Filled" and stop.orderStatus.status == "Cancelled"
    assert sum(p.position for p in ib.positions()) == 0


def test_global_cancel_and_duplicate_id(ib, lib, aapl):
    errors = errors_of(ib)
    t1 = ib.placeOrder(aapl, lib.LimitOrder("BUY", 1, 1.0))
    t2 = ib.placeOrder(aapl, lib.LimitOrder("BUY", 1, 1.0))
    pump(ib)
    ib.reqGlobalCancel()
    pump(ib)
    assert t1.orderStatus.status == t2.orderStatus.status == "Cancelled"
    dup = lib.LimitOrder("BUY", 1, 1.0)
    dup.orderId = t1.order.orderId
    ib.client.placeOrder(dup.orderId, aapl, dup)
    pump(ib)
    assert (t1.order.orderId, 103) in errors


def test_modify_order(ib, lib, aapl):
    trade = ib.placeOrder(aapl, lib.LimitOrder("BUY", 10, 1.0))
    pump(ib)
    trade.order.lmtPrice = 2.0
    ib.placeOrder(aapl, trade.order)
    pump(ib)
    (o,) = ib.reqOpenOrders()
    assert o.order.lmtPrice == 2.0


def test_executions_and_completed_orders_survive_reconnect(sim, connect, lib):
    ib = connect(sim, client_id=3)
    c = lib.Stock("IBM", "SMART", "USD")
    ib.qualifyContracts(c)
    trade = ib.placeOrder(c, lib.MarketOrder("BUY", 20))
    pump(ib)
    ib.disconnect()
    sim.restart()
    ib2 = connect(sim, client_id=3)
    fills = ib2.reqExecutions()
    assert [f.execution.orderId for f in ib2.fills()] == [trade.order.orderId]
    assert fills and ib2.fills()[0].commissionReport.commission > 0
    assert [p.position for p in ib2.positions()] == [20]
    assert ib2.client.getReqId() > trade.order.orderId
    done = ib2.reqCompletedOrders(False)
    assert [t.orderStatus.status for t in done] == ["Filled"]


def test_rejections(ib, lib, aapl):
    errors = errors_of(ib)
    spx = lib.Index("SPX", "CBOE")
    ib.qualifyContracts(spx)
    bad = [ib.placeOrder(spx, lib.MarketOrder("BUY", 1)),
           ib.placeOrder(aapl, lib.Order(action="BUY", totalQuantity=1, orderType="REL")),
           ib.placeOrder(lib.Stock("NOPE", "SMART", "USD"), lib.MarketOrder("BUY", 1))]
    pump(ib)
    assert [e[1] for e in errors] == [201, 387, 200]
    assert all(t.orderStatus.status == "Cancelled" for t in bad)
