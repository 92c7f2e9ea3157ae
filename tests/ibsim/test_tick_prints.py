"""ibsim's ``trades_per_second``: several trade prints in one second (two of
them alike), the same in tick-by-tick streams and historical ticks, pages of
1,000 cut inside a second."""
from __future__ import annotations

import datetime as dt

from .conftest import START, pump
from .test_ticks import _aapl, _key, record_ticks


def test_prints_split_the_second_and_agree_live_and_historical(make_sim, connect, lib):
    sim = make_sim(trades_per_second=3)
    ib = connect(sim)
    c = _aapl(ib, lib)
    live = record_ticks(ib)
    ib.reqTickByTickData(c, "AllLast")
    for _ in range(3):
        pump(ib, sim, 20)
    ib.cancelTickByTickData(c, "AllLast")
    hist = [_key(t, "TRADES") for t in
            ib.reqHistoricalTicks(c, START + dt.timedelta(seconds=1), "", 1000, "TRADES", True)]
    assert live == [k for k in hist if k[0] <= live[-1][0]] and len(live) > 100
    per_second: dict = {}
    for t, price, size in live:
        per_second.setdefault(t, []).append((price, size))
    assert max(len(v) for v in per_second.values()) == 3
    assert all(v[0] == v[1] for v in per_second.values() if len(v) == 3)   # two alike
    # each second's volume is kept: its prints add up to it
    inst = next(i for i in sim.gateway.catalog if i.symbol == "AAPL" and i.secType == "STK")
    x = sim.gateway.quotes(inst).arrays(live[0][0], live[-1][0] + 1)
    volume = {int(t): float(v) for t, v in zip(x["t"], x["volume"]) if v > 0}
    assert {t: sum(s for _, s in v) for t, v in per_second.items()} == volume

def test_a_page_ends_inside_a_second(make_sim, connect, lib):
    sim = make_sim(trades_per_second=3, pacing=False)
    ib = connect(sim)
    c = _aapl(ib, lib)
    day = "20240304 09:30:00 US/Eastern"
    first = ib.reqHistoricalTicks(c, day, "", 1000, "TRADES", True)
    assert len(first) == 1000
    last = first[-1].time
    at_last = sum(1 for t in first if t.time == last)
    again = ib.reqHistoricalTicks(c, last, "", 1000, "TRADES", True)
    assert at_last < sum(1 for t in again if t.time == last)       # cut inside the second
    # the next page starts with that second whole: the client skips what it had
    assert [_key(t, "TRADES") for t in again[:at_last]] == \
        [_key(t, "TRADES") for t in first[-at_last:]]
