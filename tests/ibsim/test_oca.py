"""OCA types through the real clients: 1 cancels the others on a fill, 2 and
3 reduce them by the filled quantity (cancelled once nothing is left)."""
import pytest

from .conftest import pump


@pytest.fixture
def aapl(ib, lib):
    c = lib.Stock("AAPL", "SMART", "USD")
    ib.qualifyContracts(c)
    return c


@pytest.mark.parametrize("oca_type", [1, 2, 3])
def test_oca_types(ib, sim, lib, aapl, oca_type):
    (t,) = ib.reqTickers(aapl)
    group = f"g{oca_type}"
    rest = ib.placeOrder(aapl, lib.LimitOrder("SELL", 100, round(t.ask * 2, 2),
                                              ocaGroup=group, ocaType=oca_type))
    hit = ib.placeOrder(aapl, lib.LimitOrder("SELL", 40, round(t.bid * 0.9, 2),
                                             ocaGroup=group, ocaType=oca_type))
    pump(ib, sim, 1)
    assert hit.orderStatus.status == "Filled" and hit.orderStatus.filled == 40
    if oca_type == 1:
        assert rest.orderStatus.status == "Cancelled"
        return
    # reduced by the 40 filled, still working
    assert rest.orderStatus.status == "Submitted"
    open_orders = {tr.order.orderId: tr.order for tr in ib.reqAllOpenOrders()}
    assert open_orders[rest.order.orderId].totalQuantity == 60
    assert open_orders[rest.order.orderId].ocaType == oca_type
    last = ib.placeOrder(aapl, lib.LimitOrder("SELL", 60, round(t.bid * 0.9, 2),
                                              ocaGroup=group, ocaType=oca_type))
    pump(ib, sim, 1)
    assert last.orderStatus.status == "Filled"
    assert rest.orderStatus.status == "Cancelled"      # reduced to zero
