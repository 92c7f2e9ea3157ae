"""Historical bars, ticks, head timestamps and pacing through the real clients."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from .conftest import START, errors_of, pump


@pytest.fixture
def aapl(ib, lib):
    c = lib.Stock("AAPL", "SMART", "USD")
    ib.qualifyContracts(c)
    return c


def bars(ib, c, duration="2 D", size="1 hour", what="TRADES", rth=True, fmt=1, end="", keep=False):
    return ib.reqHistoricalData(c, end, duration, size, what, rth, fmt, keep)


def test_daily_bars_are_dates(ib, aapl):
    daily = bars(ib, aapl, "10 D", "1 day")
    assert len(daily) == 10
    assert all(type(b.date) is dt.date for b in daily)
    assert daily[-1].date == dt.date(2024, 3, 5) and daily[0].date.weekday() < 5
    assert all(b.low <= min(b.open, b.close) <= max(b.open, b.close) <= b.high for b in daily)
    assert all(b.volume > 0 and b.barCount > 0 for b in daily)


def test_intraday_format_1_and_2(ib, aapl):
    local = bars(ib, aapl, "2 D", "30 mins")
    assert len(local) == 13 + 1                       # Monday's session, then Tuesday 09:30-10:00
    assert local[0].date == dt.datetime(2024, 3, 4, 9, 30, tzinfo=local[0].date.tzinfo)
    assert str(local[0].date.tzinfo) == "US/Eastern"
    assert local[-1].date.timestamp() == START.timestamp() - 1800
    epoch = bars(ib, aapl, "2 D", "30 mins", fmt=2)
    assert epoch[0].date.tzinfo is not None
    assert [b.date.timestamp() for b in epoch] == [b.date.timestamp() for b in local]
    assert [b.close for b in epoch] == [b.close for b in local]


def test_rth_and_what_to_show(ib, aapl):
    rth = bars(ib, aapl, "1 D", "1 hour", end="20240304 23:00:00 US/Eastern")
    eth = bars(ib, aapl, "1 D", "1 hour", rth=False, end="20240304 23:00:00 US/Eastern")
    assert len(rth) == 7 and len(eth) == 16
    bid = bars(ib, aapl, "1800 S", "1 min", "BID")
    ask = bars(ib, aapl, "1800 S", "1 min", "ASK")
    mid = bars(ib, aapl, "1800 S", "1 min", "MIDPOINT")
    both = bars(ib, aapl, "1800 S", "1 min", "BID_ASK")
    assert len(bid) == len(ask) == len(mid) == len(both) == 30
    assert all(b.close < a.close for b, a in zip(bid, ask))
    assert all(b.close <= m.close <= a.close for b, m, a in zip(bid, mid, ask))
    assert all(x.high == a.high and x.low == b.low for x, a, b in zip(both, ask, bid))
    assert all(b.volume == -1 for b in mid)


def test_seconds_bars_and_size_limit(ib, aapl):
    errors = errors_of(ib)
    five = bars(ib, aapl, "600 S", "5 secs")
    assert len(five) == 120 and five[1].date - five[0].date == dt.timedelta(seconds=5)
    assert len(bars(ib, aapl, "1 D", "1 secs")) == 0
    assert errors[-1][1] == 162


def test_end_date_formats(ib, aapl):
    errors = errors_of(ib)
    a = bars(ib, aapl, "1 D", "1 hour", end="20240304 16:00:00 US/Eastern")
    b = bars(ib, aapl, "1 D", "1 hour", end="20240304-21:00:00")
    c = bars(ib, aapl, "1 D", "1 hour", end=dt.datetime(2024, 3, 4, 21, tzinfo=dt.timezone.utc))
    assert list(a) == list(b) == list(c) and len(a) == 7
    assert len(bars(ib, aapl, "1 D", "1 hour", end="March 4th")) == 0
    assert errors[-1][1] == 10314


def test_keep_up_to_date(ib, sim, aapl):
    live = bars(ib, aapl, "3600 S", "1 min", keep=True)
    n = len(live)
    assert live[-1].date.timestamp() == START.timestamp() - 60      # 09:59, complete
    pump(ib, sim, 30)
    assert len(live) == n + 1 and live[-1].date.timestamp() == START.timestamp()
    first = live[-1].close
    pump(ib, sim, 95)
    assert len(live) == n + 3
    assert live[-1].date.timestamp() == START.timestamp() + 120
    assert live[n].close != first or live[n].volume > 0
    ib.cancelHistoricalData(live)
    pump(ib, sim, 120)
    assert len(live) == n + 3


def test_head_timestamp_and_no_data(ib, aapl, lib):
    errors = errors_of(ib)
    head = ib.reqHeadTimeStamp(aapl, "TRADES", True, 1)
    assert head.date() == dt.date(1980, 12, 12)
    assert len(bars(ib, aapl, "5 D", "1 day", end="19801201 16:00:00 US/Eastern")) == 0
    assert errors[-1][1] == 162
    fx = lib.Forex("EURUSD")
    ib.qualifyContracts(fx)
    assert len(bars(ib, fx, "1 D", "1 hour", "TRADES")) == 0
    assert errors[-1][1] == 162
    fx_bars = bars(ib, fx, "1 D", "1 hour", "MIDPOINT", rth=False)
    assert len(fx_bars) == 17                       # the FX session opened 17:15 the day before
    assert (fx_bars[0].date.hour, fx_bars[0].date.minute, fx_bars[1].date.minute) == (17, 15, 0)


def test_pacing(ib, sim, aapl):
    errors = errors_of(ib)
    first = bars(ib, aapl, "1800 S", "30 secs")
    assert first and len(bars(ib, aapl, "1800 S", "30 secs")) == 0      # identical within 15 s
    assert errors[-1][1] == 162
    pump(ib, sim, 16)
    assert bars(ib, aapl, "1800 S", "30 secs")
    # IB documents the identical-request rule for bars of 30 s or less only
    assert bars(ib, aapl, "1800 S", "1 min") and bars(ib, aapl, "1800 S", "1 min")
    pump(ib, sim, 16)
    # BID_ASK counts twice: three of them make six within 2 s
    results = [bars(ib, aapl, f"{600 + 60 * i} S", "1 min", "BID_ASK") for i in range(3)]
    assert [bool(r) for r in results] == [True, True, False]
    sim.set_pacing(False)
    assert all(bars(ib, aapl, "1800 S", "1 min") for _ in range(3))


def test_historical_ticks(ib, aapl):
    end = START - dt.timedelta(minutes=10)
    trades = ib.reqHistoricalTicks(aapl, "", end, 50, "TRADES", True)
    assert len(trades) == 50 and trades[-1].time <= end
    assert all(a.time <= b.time for a, b in zip(trades, trades[1:]))
    quotes = ib.reqHistoricalTicks(aapl, end, "", 20, "BID_ASK", True)
    assert len(quotes) == 20 and all(q.priceBid < q.priceAsk for q in quotes)
    assert len(ib.reqHistoricalTicks(aapl, end, "", 10, "MIDPOINT", True)) == 10


def test_user_data_file(make_sim, connect, lib):
    idx = pd.date_range("2024-03-04 14:30", periods=390, freq="1min", tz="UTC")
    close = 100 + np.cumsum(np.where(np.arange(390) % 2, 0.1, -0.05))
    frame = pd.DataFrame({"open": close - 0.02, "high": close + 0.1, "low": close - 0.1,
                          "close": close, "volume": 1000}, index=idx)
    sim = make_sim(data={"IBM": frame})
    ib = connect(sim)
    c = lib.Stock("IBM", "SMART", "USD")
    ib.qualifyContracts(c)
    got = ib.reqHistoricalData(c, "20240304 16:00:00 US/Eastern", "1 D", "1 min", "TRADES", True, 2)
    assert len(got) == 390
    assert got[5].open == pytest.approx(frame.open.iloc[5], abs=0.011)
    assert got[5].close == pytest.approx(frame.close.iloc[5], abs=0.011)
    assert got[5].high == pytest.approx(frame.high.iloc[5], abs=0.011)
    assert sum(b.volume for b in got) == 390 * 1000
    assert ib.reqHeadTimeStamp(c, "TRADES", True, 2).timestamp() == idx[0].timestamp()
