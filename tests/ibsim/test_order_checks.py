"""ibsim refuses what TWS refuses: NaN/infinite/absurd sizes, bad and off-tick prices,
orders above the precautionary limits; nothing of them fills."""
import math

import pytest

from .conftest import errors_of, pump


@pytest.fixture
def aapl(ib, lib):
    c = lib.Stock("AAPL", "SMART", "USD")
    ib.qualifyContracts(c)
    return c


@pytest.mark.parametrize("qty, price, code", [
    (math.nan, None, 320),          # "nan" is no number for TWS
    (math.inf, None, 383),          # above the Size Limit
    (1e12, None, 383),
    (0, None, 201),
    (10, math.nan, 320),
    (10, math.inf, 201),
    (10, -5.0, 201),
    (10, 170.004, 110),             # AAPL's tick is 0.01
])
def test_bad_orders_are_refused(ib, sim, lib, aapl, qty, price, code):
    errors = errors_of(ib)
    order = lib.MarketOrder("BUY", qty) if price is None else lib.LimitOrder("BUY", qty, price)
    trade = ib.placeOrder(aapl, order)
    pump(ib, sim, 2)
    assert (trade.order.orderId, code) in errors
    assert not trade.fills and sim.positions() == {}


def test_off_tick_stop_and_future_tick(ib, sim, lib):
    errors = errors_of(ib)
    es = lib.Future("ES", "202403", "CME")
    ib.qualifyContracts(es)
    ok = ib.placeOrder(es, lib.LimitOrder("BUY", 1, 4000.25))       # tick 0.25
    bad = ib.placeOrder(es, lib.StopOrder("SELL", 1, 4000.1))
    pump(ib, sim, 1)
    assert (bad.order.orderId, 110) in errors
    assert ok.orderStatus.status == "Submitted" and not [e for e in errors if e[0] == ok.order.orderId]


def test_precautionary_limits(ib, sim, lib, aapl):
    sim.set_order_limits(size=500, value=50_000)
    errors = errors_of(ib)
    big = ib.placeOrder(aapl, lib.LimitOrder("BUY", 501, 1.0))
    rich = ib.placeOrder(aapl, lib.MarketOrder("BUY", 400))          # ~170 x 400 = 68,000
    fine = ib.placeOrder(aapl, lib.MarketOrder("BUY", 100))
    pump(ib, sim, 2)
    assert (big.order.orderId, 383) in errors and (rich.order.orderId, 451) in errors
    assert fine.orderStatus.status == "Filled" and sim.positions() == {aapl.conId: 100}


def test_modification_is_checked_too(ib, sim, lib, aapl):
    errors = errors_of(ib)
    trade = ib.placeOrder(aapl, lib.LimitOrder("BUY", 10, 1.0))
    pump(ib)
    trade.order.lmtPrice = 1.005
    ib.placeOrder(aapl, trade.order)
    pump(ib)
    assert (trade.order.orderId, 110) in errors
    (o,) = sim.gateway.engine.orders.values()             # still working, unchanged
    assert (o.status, o.lmt_price) == ("Submitted", 1.0)


# -- market rules: increments that vary with the price ----------------------------------


@pytest.fixture
def option(ib, lib):
    c = lib.Option("AAPL", "20240419", 170, "C", "SMART")
    (cd,) = ib.reqContractDetails(c)
    return cd


def test_market_rules_are_served(ib, lib, option, aapl):
    # one rule id per valid exchange, in validExchanges' order, as TWS sends them
    assert option.validExchanges == "SMART,CBOE" and option.marketRuleIds == "60,60"
    (stock,) = ib.reqContractDetails(aapl)
    assert set(stock.marketRuleIds.split(",")) == {"26"}
    rule = ib.reqMarketRule(60)
    assert [(p.lowEdge, p.increment) for p in rule] == [(0.0, 0.01), (3.0, 0.05)]
    assert [(p.lowEdge, p.increment) for p in ib.reqMarketRule(26)] == [(0.0, 0.01)]


def test_unknown_market_rule_is_an_error(ib):
    errors = errors_of(ib)
    ib.client.reqMarketRule(99999)
    pump(ib)
    assert (-1, 321) in errors


def test_price_dependent_increments(ib, sim, lib, option):
    # the penny program: 0.01 below 3.00, 0.05 from 3.00 (minTick says 0.01)
    errors = errors_of(ib)
    c = option.contract
    assert option.minTick == 0.01
    cheap = ib.placeOrder(c, lib.LimitOrder("BUY", 1, 2.97))
    off = ib.placeOrder(c, lib.LimitOrder("BUY", 1, 3.12))
    on = ib.placeOrder(c, lib.LimitOrder("BUY", 1, 3.10))
    pump(ib)
    assert [e for e in errors if e[1] == 110] == [(off.order.orderId, 110)]
    assert cheap.orderStatus.status == on.orderStatus.status == "Submitted"
    on.order.lmtPrice = 3.13                          # a modification is checked too
    ib.placeOrder(c, on.order)
    pump(ib)
    assert (on.order.orderId, 110) in errors
    o = sim.gateway.engine.orders[(ib.client.clientId, on.order.orderId)]
    assert (o.status, o.lmt_price) == ("Submitted", 3.10)  # still working, unchanged
