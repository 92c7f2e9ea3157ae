"""Live data through the real clients: ticks, RTVolume, 5 s bars, tick-by-tick."""
from .conftest import START, errors_of, pump


def qualified(ib, contract):
    ib.qualifyContracts(contract)
    return contract


def test_mkt_data_and_rt_volume(ib, sim, lib):
    c = qualified(ib, lib.Stock("AAPL", "SMART", "USD"))
    t = ib.reqMktData(c, "233")
    pump(ib)
    assert t.bid < t.ask and t.bidSize > 0 and t.last > 0 and t.close > 0 and t.high >= t.low
    rt = []
    t.updateEvent += lambda tk: rt.extend(x for x in tk.ticks if x.tickType == 48)
    pump(ib, sim, 20)
    assert rt and all(x.size > 0 for x in rt)
    sent = [f for f in sim.sent(46) if f[3] == "48"]
    assert all(len(f[4].split(";")) == 6 for f in sent)
    assert int(sent[-1][4].split(";")[2]) == (START.timestamp() + 20) * 1000
    ib.cancelMktData(c)
    pump(ib)
    before = len(sim.sent(1))
    pump(ib, sim, 10)
    assert len(sim.sent(1)) == before


def test_fx_has_quotes_only_and_index_last_only(ib, sim, lib):
    fx = ib.reqMktData(qualified(ib, lib.Forex("EURUSD")))
    spx = ib.reqMktData(qualified(ib, lib.Index("SPX", "CBOE")))
    pump(ib, sim, 5)
    assert fx.bid > 1 and fx.ask > fx.bid and fx.last != fx.last      # NaN: no trades in FX
    assert spx.last > 1000 and spx.bid != spx.bid


def test_delayed_market_data_type(ib, sim, lib):
    c = qualified(ib, lib.Stock("MSFT", "SMART", "USD"))
    sim.unsubscribe(c.conId)
    errors = errors_of(ib)
    ib.reqMarketDataType(1)
    live = ib.reqMktData(c)
    pump(ib)
    assert (live.marketDataType, errors[-1][1]) == (1, 354)
    ib.reqMarketDataType(3)
    delayed = ib.reqMktData(qualified(ib, lib.Stock("MSFT", "SMART", "USD")), "", False, False)
    pump(ib, sim, 3)
    assert errors[-1][1] == 10167 and delayed.marketDataType == 3
    assert delayed.bid > 0 and 66 in {int(f[3]) for f in sim.sent(1)}


def test_snapshot(ib, lib):
    c = qualified(ib, lib.Stock("IBM", "SMART", "USD"))
    (t,) = ib.reqTickers(c)
    assert t.bid > 0 and t.ask > t.bid and t.last > 0


def test_real_time_bars(ib, sim, lib):
    c = qualified(ib, lib.Stock("AAPL", "SMART", "USD"))
    rtb = ib.reqRealTimeBars(c, 5, "TRADES", False)
    mid = ib.reqRealTimeBars(qualified(ib, lib.Forex("EURUSD")), 5, "MIDPOINT", False)
    pump(ib, sim, 30)
    assert len(rtb) == 6 and len(mid) == 6
    assert [b.time.timestamp() for b in rtb] == [START.timestamp() + 5 * i for i in range(6)]
    assert all(b.low <= b.open_ <= b.high and b.volume > 0 for b in rtb)
    hist = ib.reqHistoricalData(c, "", "30 S", "5 secs", "TRADES", False, 2)
    assert [(b.open, b.high, b.low, b.close) for b in hist] == [(b.open_, b.high, b.low, b.close) for b in rtb]
    ib.cancelRealTimeBars(rtb)
    pump(ib, sim, 10)
    assert len(rtb) == 6


def test_tick_by_tick(ib, sim, lib):
    c = qualified(ib, lib.Stock("AAPL", "SMART", "USD"))
    last = ib.reqTickByTickData(c, "AllLast")
    quotes = ib.reqTickByTickData(qualified(ib, lib.Stock("SPY", "SMART", "USD")), "BidAsk")
    trades, bidask = [], []
    last.updateEvent += lambda t: trades.extend(t.tickByTicks)
    quotes.updateEvent += lambda t: bidask.extend(t.tickByTicks)
    pump(ib, sim, 10)
    assert len(trades) > 3 and all(t.size > 0 and t.price > 0 for t in trades)
    assert bidask and all(t.bidPrice < t.askPrice for t in bidask)
    ib.cancelTickByTickData(c, "AllLast")
    n = len(trades)
    pump(ib, sim, 5)
    assert len(trades) == n
