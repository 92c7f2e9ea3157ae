"""ibsim's tick data over the real protocol: tick-by-tick streams agree with
historical ticks, 1,000-tick pages, pacing, the subscription limit (10190),
and faults in the middle of a tick stream."""
from __future__ import annotations

import datetime as dt

import pytest

from .conftest import START, errors_of, pump


def _aapl(ib, lib):
    c = lib.Stock("AAPL", "SMART", "USD")
    ib.qualifyContracts(c)
    return c


def _key(t, kind):
    ts = int(t.time.timestamp())
    if kind == "TRADES":
        return ts, t.price, t.size
    if kind == "BID_ASK":
        return ts, t.priceBid, t.priceAsk, t.sizeBid, t.sizeAsk
    return ts, t.price


def record_ticks(ib) -> list:
    """Every tick-by-tick message as (time, values...) with IB's own time:
    both client libraries stamp ``ticker.tickByTicks`` with the time they
    read the message, not the time TWS sent (wrapper.tickByTick*)."""
    out: list = []
    w = ib.wrapper
    for name, pick in (("tickByTickAllLast", lambda a: (a[1], a[2], a[3])),
                       ("tickByTickBidAsk", lambda a: a[0:5]),
                       ("tickByTickMidPoint", lambda a: a[0:2])):
        def tap(req_id, *args, _orig=getattr(w, name), _pick=pick):
            out.append(tuple(_pick(args)))
            return _orig(req_id, *args)
        setattr(w, name, tap)
    return out


@pytest.mark.parametrize("kind,tbt", [("TRADES", "AllLast"), ("BID_ASK", "BidAsk"),
                                      ("MIDPOINT", "MidPoint")])
def test_live_ticks_equal_historical_ticks(ib, sim, lib, kind, tbt):
    c = _aapl(ib, lib)
    live = record_ticks(ib)
    ib.reqTickByTickData(c, tbt)
    for _ in range(6):
        pump(ib, sim, 20)
    ib.cancelTickByTickData(c, tbt)
    got = live
    assert len(got) > 20
    hist = ib.reqHistoricalTicks(c, START + dt.timedelta(seconds=1), "", 1000, kind, True)
    want = [_key(t, kind) for t in hist if int(t.time.timestamp()) <= got[-1][0]]
    # the first live quote is the one in force when subscribing: history has it earlier
    assert got[1:] == want[1:] if kind != "TRADES" else got == want


def test_pages_of_1000_tile_the_range(make_sim, connect, lib):
    sim = make_sim(pacing=False)
    ib = connect(sim)
    c = _aapl(ib, lib)
    day = "20240304 09:30:00 US/Eastern"
    first = ib.reqHistoricalTicks(c, day, "", 5000, "BID_ASK", True)
    assert len(first) == 1000                      # capped at IB's page size
    nxt = first[-1].time + dt.timedelta(seconds=1)
    second = ib.reqHistoricalTicks(c, nxt, "", 1000, "BID_ASK", True)
    both = ib.reqHistoricalTicks(c, day, "", 1000, "BID_ASK", True)
    # a page that starts in the middle repeats nothing and skips nothing
    whole = [_key(t, "BID_ASK") for t in first] + [_key(t, "BID_ASK") for t in second]
    assert len(set(k[0] for k in whole)) == 2000
    assert [_key(t, "BID_ASK") for t in both] == whole[:1000]
    # an end-anchored page ends where the forward ones say
    end = second[-1].time + dt.timedelta(seconds=1)
    back = ib.reqHistoricalTicks(c, "", end, 1000, "BID_ASK", True)
    assert [_key(t, "BID_ASK") for t in back] == whole[1000:]


def test_historical_ticks_pacing(ib, sim, lib):
    c = _aapl(ib, lib)
    errors = errors_of(ib)
    at = START - dt.timedelta(hours=1)
    got = [len(ib.reqHistoricalTicks(c, at + dt.timedelta(minutes=i), "", 10, "TRADES", True))
           for i in range(6)]
    assert got == [10] * 5 + [0] and errors[-1][1] == 162
    assert len(ib.reqHistoricalTicks(c, at, "", 10, "MIDPOINT", True)) == 10   # other whatToShow
    pump(ib, sim, 3)
    assert len(ib.reqHistoricalTicks(c, at + dt.timedelta(minutes=9), "", 10, "TRADES", True)) == 10
    # an identical request within 15 s
    assert ib.reqHistoricalTicks(c, at + dt.timedelta(minutes=9), "", 10, "TRADES", True) == []
    sim.set_pacing(False)
    assert len(ib.reqHistoricalTicks(c, at + dt.timedelta(minutes=9), "", 10, "TRADES", True)) == 10


def test_tick_by_tick_limit_10190(make_sim, connect, lib):
    sim = make_sim(max_tick_by_tick=2)
    ib, other = connect(sim), connect(sim, client_id=2)
    c = _aapl(ib, lib)
    errors = errors_of(other)
    ib.reqTickByTickData(c, "Last")
    ib.reqTickByTickData(c, "BidAsk")
    spy = lib.Stock("SPY", "SMART", "USD")
    other.qualifyContracts(spy)
    other.reqTickByTickData(spy, "MidPoint")                # the limit is per user
    pump(other, sim, 5)
    assert errors == [(errors[0][0], 10190)]
    ib.cancelTickByTickData(c, "BidAsk")
    pump(ib)
    other.cancelTickByTickData(spy, "MidPoint")
    seen = record_ticks(other)
    other.reqTickByTickData(spy, "MidPoint")
    pump(other, sim, 5)
    assert seen and len(errors) == 1


def test_connectivity_lost_mid_stream_is_recovered_from_history(ib, sim, lib):
    c = _aapl(ib, lib)
    live = record_ticks(ib)
    ib.reqTickByTickData(c, "AllLast")
    pump(ib, sim, 30)
    sim.connectivity_lost()
    pump(ib, sim, 60)
    n = len(live)
    sim.connectivity_restored(data_lost=True)
    pump(ib, sim, 10)
    assert len(live) == n                          # subscription gone: data lost
    before = list(live)
    gap = ib.reqHistoricalTicks(c, dt.datetime.fromtimestamp(before[-1][0] + 1, dt.timezone.utc), "", 1000, "TRADES", True)
    ib.reqTickByTickData(c, "AllLast")            # resubscribe, as after 1101
    pump(ib, sim, 10)
    after = live[len(before):]
    resumed = after[0][0]
    ticks = before + [_key(t, "TRADES") for t in gap if _key(t, "TRADES")[0] < resumed] + after
    full = ib.reqHistoricalTicks(c, START + dt.timedelta(seconds=1), "", 1000, "TRADES", True)
    want = [_key(t, "TRADES") for t in full if _key(t, "TRADES")[0] <= after[-1][0]]
    assert ticks == want                            # nothing lost, nothing twice


def test_drop_mid_stream(ib, sim, lib):
    c = _aapl(ib, lib)
    ib.reqTickByTickData(c, "Last")
    pump(ib, sim, 5)
    sim.drop_clients()
    with pytest.raises(ConnectionError):
        ib.sleep(1)
        ib.reqCurrentTime()
