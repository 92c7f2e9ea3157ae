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
