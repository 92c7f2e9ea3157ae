"""Prices on IB's market rules (issue 19): increments that vary with the price,
as contract details name them (``marketRuleIds``) and ``reqMarketRule`` gives
them; ibsim refuses off-increment prices with 110 as TWS does. Pure checks,
then IBBroker against ibsim over the socket with both client libraries."""
import datetime as dt

import pytest

import backtrader_ib as bt
from backtrader_ib.order import Order
from backtrader_ib.stores.ibchecks import OrderCheckError, check_order, increment_at, on_grid
from backtrader_ib.stores.ibrules import rule_id_for

from .conftest import live_feed, pull_until
from .test_ibbroker import is_live, names, step, store_texts

PENNY = ((0.0, 0.01), (3.0, 0.05))       # US equity options in the penny program
OPTION = 'AAPL-OPT-SMART-USD-20240419-170-C'


def test_increment_at_a_price():
    assert [increment_at(p, PENNY) for p in (0.5, 2.99, 3.0, 7.5)] == [0.01, 0.01, 0.05, 0.05]


@pytest.mark.parametrize('price, mode, want', [
    (3.12, 'down', 3.10), (3.12, 'up', 3.15), (3.12, 'nearest', 3.10),
    (2.996, 'up', 3.0), (2.996, 'down', 2.99), (3.01, 'down', 3.0),
    (2.999, 'nearest', 3.0), (3.024, 'nearest', 3.0), (3.026, 'nearest', 3.05),
    (1.234, 'nearest', 1.23),
])
def test_on_grid_with_price_dependent_increments(price, mode, want):
    assert on_grid(price, PENNY, mode) == want


def test_check_order_rounds_by_the_rule_never_to_a_worse_price():
    buy = check_order({'action': 'BUY', 'totalQuantity': 1, 'orderType': 'LMT',
                       'lmtPrice': 5.12}, 0.01, increments=PENNY)
    sell = check_order({'action': 'SELL', 'totalQuantity': 1, 'orderType': 'LMT',
                        'lmtPrice': 5.12}, 0.01, increments=PENNY)
    assert (buy['lmtPrice'], sell['lmtPrice']) == (5.10, 5.15)
    # minTick alone would leave 5.12 as it is (and TWS answer 110)
    assert check_order({'action': 'BUY', 'totalQuantity': 1, 'orderType': 'LMT',
                        'lmtPrice': 5.12}, 0.01)['lmtPrice'] == 5.12


def test_check_order_off_grid_error_names_the_increment():
    with pytest.raises(OrderCheckError, match=r'limit price 5.12 is not on the price grid: '
                       r'the increment at that price is 0.05 \(IB market rule 60\) '
                       r'\(nearest valid: 5.1\)'):
        check_order({'action': 'BUY', 'totalQuantity': 1, 'orderType': 'LMT', 'lmtPrice': 5.12},
                    0.01, increments=PENNY, roundprices=False, rule=' (IB market rule 60)')
    ok = check_order({'action': 'BUY', 'totalQuantity': 1, 'orderType': 'LMT', 'lmtPrice': 2.97},
                     0.01, increments=PENNY, roundprices=False)
    assert ok['lmtPrice'] == 2.97


def test_rule_id_for_the_order_exchange():
    class CD:
        marketRuleIds, validExchanges = '26,60,61', 'SMART,CBOE,ISE'

    class C:
        exchange = 'CBOE'
    assert rule_id_for(C, CD) == 60
    C.exchange = 'SMART'
    assert rule_id_for(C, CD) == 26
    C.exchange = 'OTHER'                        # not listed: the first
    assert rule_id_for(C, CD) == 26
    CD.marketRuleIds = ''
    assert rule_id_for(C, CD) == 0


@pytest.fixture
def option_feed(sim, client):
    data = live_feed(sim, client, dataname=OPTION, timeframe=bt.TimeFrame.Minutes,
                     fromdate=dt.datetime(2024, 3, 5, 9, 55))
    pull_until(data, is_live)
    return data


def option_broker(sim, **kw):
    b = bt.brokers.IBBroker(**kw)
    b.start()                                   # asks for the feeds' market rules
    step(sim, b)
    return b


def test_orders_go_on_the_market_rule_grid(sim, option_feed):
    b = option_broker(sim)
    assert option_feed.tradedetails.marketRuleIds == '60,60'
    buy = b.buy(None, option_feed, 1, price=3.12, exectype=Order.Limit)
    sell = b.sell(None, option_feed, 1, price=9.12, exectype=Order.Limit)
    cheap = b.buy(None, option_feed, 1, price=2.97, exectype=Order.Limit)
    assert (buy.iborder.lmtPrice, sell.iborder.lmtPrice, cheap.iborder.lmtPrice) == \
        (3.10, 9.15, 2.97)
    notes = step(sim, b, 1)
    assert 'Rejected' not in names(notes)
    working = {x.order_id: x.lmt_price for x in sim.gateway.engine.orders.values()}
    assert working[buy.orderId] == 3.10 and working[cheap.orderId] == 2.97


def test_off_grid_price_refused_when_not_rounding(sim, option_feed):
    b = option_broker(sim, roundprices=False)
    n = len(sim.requests(3))
    o = b.buy(None, option_feed, 1, price=3.12, exectype=Order.Limit)
    assert o.status == Order.Rejected and len(sim.requests(3)) == n   # nothing sent
    reason = o.info.reject_reason
    assert 'increment at that price is 0.05 (IB market rule 60)' in reason
    msgs = [m for m in store_texts(b.ib) if 'rejected before sending' in m]
    assert len(msgs) == 1 and f'order ref {o.ref}' in msgs[0] and '0.05' in msgs[0]


def test_110_from_ib_names_the_order_and_the_increment(sim, client):
    # the rule is not known yet (IB never answered, not even at the feed's
    # start): minTick is all the broker has, TWS applies the rule and refuses;
    # the reason names both
    sim.withhold(93)
    option_feed = live_feed(sim, client, dataname=OPTION, timeframe=bt.TimeFrame.Minutes,
                            fromdate=dt.datetime(2024, 3, 5, 9, 55))
    pull_until(option_feed, is_live)
    b = option_broker(sim)
    o = b.buy(None, option_feed, 1, price=3.12, exectype=Order.Limit)
    assert o.iborder.lmtPrice == 3.12
    notes = step(sim, b, 1)
    assert names(notes) == ['Submitted', 'Rejected']
    reason = o.info.reject_reason
    assert reason.startswith('IB error 110') and f'order ref {o.ref}' in reason
    assert 'lmtPrice 3.12' in reason and 'IB market rule 60 was not known' in reason
    # the refusal as a modification of a working order: the order keeps working
    sim.release(93)
    b2 = option_broker(sim)
    w = b2.buy(None, option_feed, 1, price=3.10, exectype=Order.Limit)
    assert names(step(sim, b2, 1)) == ['Submitted', 'Accepted']
    b2._rules.rules.clear()                       # as if IB had not answered
    b2._rules.failed.add(60)
    assert b2.modify(w, price=3.12) and w.iborder.lmtPrice == 3.12
    assert step(sim, b2, 1) == [] and w.alive() and w.iborder.lmtPrice == 3.10
    assert 'error 110' in w.info.modify_refused


def test_first_order_after_start_is_checked_on_the_rule_with_no_wait(sim, option_feed):
    # the feed asked for its contract's market rule when it started: the broker
    # knows it before any step, and asks IB for nothing more
    asked = len(sim.requests(91))
    assert asked == 1 and option_feed.ib.market_rules[60] == ((0.0, 0.01), (3.0, 0.05))
    b = bt.brokers.IBBroker(roundprices=False)
    b.start()
    o = b.buy(None, option_feed, 1, price=3.12, exectype=Order.Limit)  # no step before it
    assert o.status == Order.Rejected
    assert 'increment at that price is 0.05 (IB market rule 60)' in o.info.reject_reason
    r = bt.brokers.IBBroker()
    r.start()
    ok = r.buy(None, option_feed, 1, price=3.12, exectype=Order.Limit)
    assert ok.iborder.lmtPrice == 3.10                       # rounded by the rule, not minTick
    assert names(step(sim, r, 1), ok.ref) == ['Submitted', 'Accepted']
    assert len(sim.requests(91)) == asked
