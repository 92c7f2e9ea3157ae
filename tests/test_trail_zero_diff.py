"""StopTrail/StopTrailLimit with a zero distance (trailamount=0 or
trailpercent=0) run as in backtrader: a trail at the price (issue 16, item 13).

A negative distance stays an error (test_badinput_table.py), and so does a
trailing order with neither argument (a forgotten argument; backtrader trails
at 0 then).
"""
from __future__ import annotations

import pytest

from test_broker_diff import BAR_MODES, DAILY, INTRADAY, check


def act_zero_trails(self, bt, n):
    c = self.data.close[0]
    k = n % 10
    if k == 1:
        self.sell(exectype=bt.Order.StopTrail, trailamount=0, size=1)
    elif k == 3:
        self.buy(exectype=bt.Order.StopTrail, trailpercent=0.0, size=1)
    elif k == 5:
        self.sell(exectype=bt.Order.StopTrailLimit, trailamount=0.0, plimit=c * 0.995, size=1)
    elif k == 7:
        self.buy(exectype=bt.Order.StopTrailLimit, trailpercent=0, plimit=c * 1.002, size=2)
    elif k == 9:
        self.sell(exectype=bt.Order.StopTrail, trailamount=0, trailpercent=0, size=1)
    if n % 30 == 0:
        for o in self.broker.get_orders_open():
            self.cancel(o)
        self.close()


@pytest.mark.parametrize('data', [DAILY, INTRADAY])
@pytest.mark.parametrize('mode', BAR_MODES)
def test_zero_distance_trails_match_backtrader(mode, data):
    s1, s2 = check(act_zero_trails, data, mode, min_orders=20)
    done = [e for e in s2.events if e[0] == 'order' and e[2] == 'Completed']
    assert len(done) >= 10


def test_no_trail_argument_is_backtraders_zero_trail():
    """What docs/differences.md says: backtrader trails at distance 0 when a
    trailing order has neither argument; here that is an error, and
    trailamount=0 gives backtrader's result."""
    import backtrader_ib
    from difftools import MODES, assert_same_events, reference, run
    from test_broker_diff import feed, scripted

    def act(zero):
        def go(self, bt, n):
            if n % 6 == 1:
                self.sell(exectype=bt.Order.StopTrail, size=1, **zero)
            elif n % 6 == 4:
                self.close()
        return go

    _, ref = run(reference(), scripted(act({})), feed(DAILY), MODES['runonce'])
    _, new = run(backtrader_ib, scripted(act(dict(trailamount=0))), feed(DAILY),
                 MODES['runonce'])
    assert sum(e[0] == 'order' and e[2] == 'Completed' for e in ref.events) > 20
    assert_same_events(ref.events, new.events)
    with pytest.raises(ValueError, match='StopTrail order needs trailamount or trailpercent'):
        run(backtrader_ib, scripted(act({})), feed(DAILY), MODES['runonce'])
