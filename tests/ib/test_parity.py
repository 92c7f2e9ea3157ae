"""Backtest/live parity: one strategy on a data file, and live against ibsim replaying that file.

The live run backfills 5-second bars, then streams real-time bars, and
Cerebro resamples both to the file's 1-minute bars. The crossover signals
must be identical bar for bar, and the live orders must be the backtest's
orders of the live period (same bars, same sides). Fill prices differ by
design: the backtest fills a market order at the next bar's open, the
gateway at the market when the order arrives (docs/ib.md)."""
import datetime as dt

import numpy as np
import pandas as pd

import backtrader_ib as bt

from .conftest import storekw

UTC = dt.timezone.utc
FIRST = pd.Timestamp('2024-03-05 14:30', tz='UTC')
LIVE_FROM = dt.datetime(2024, 3, 5, 15, 10)      # the gateway's clock when the live run starts


def file_bars() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    idx = pd.date_range(FIRST, periods=80, freq='1min')
    c = (170 + np.cumsum(rng.normal(0, 0.12, len(idx)))).round(2)
    o = np.r_[170.0, c[:-1]]
    return pd.DataFrame({'open': o, 'high': (np.maximum(o, c) + 0.05).round(2),
                         'low': (np.minimum(o, c) - 0.05).round(2), 'close': c,
                         'volume': 1200.0}, index=idx)


class Cross(bt.Strategy):
    params = (('live', False), ('until', None))

    def __init__(self):
        self.cross = bt.ind.CrossOver(bt.ind.SMA(period=3), bt.ind.SMA(period=8))
        self.signals, self.placed, self.islive = [], [], not self.p.live

    def notify_data(self, data, status, *args, **kwargs):
        if self.p.live:
            self.islive = status == data.LIVE

    def next(self):
        now = self.data.datetime.datetime(0)
        if self.cross[0]:
            self.signals.append((now, self.cross[0]))
            if self.islive:
                o = self.buy(size=10) if self.cross[0] > 0 else self.sell(size=10)
                self.placed.append((now, o.isbuy()))
        if self.p.until is not None and now >= self.p.until:
            self.env.runstop()


def test_backtest_and_live_agree(make_sim, client):
    df = file_bars()
    last = (df.index[-1] + pd.Timedelta(minutes=1)).to_pydatetime().replace(tzinfo=None)

    # (a) backtest on the file (bars stamped at their end, like IBData's)
    bars = df.copy()
    bars.index = (bars.index + pd.Timedelta(minutes=1)).tz_localize(None)
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.PandasData(dataname=bars, timeframe=bt.TimeFrame.Minutes))
    cerebro.addstrategy(Cross)
    back = cerebro.run()[0]

    # (b) live against ibsim replaying the same bars
    sim = make_sim(start=LIVE_FROM.replace(tzinfo=UTC), data={'AAPL': df}, speed=1200)
    cerebro = bt.Cerebro()
    data = bt.feeds.IBData(dataname='AAPL', timeframe=bt.TimeFrame.Seconds, compression=5,
                           rtbar=True, fromdate=FIRST.to_pydatetime().replace(tzinfo=None),
                           tz='UTC', **storekw(sim, client))
    cerebro.resampledata(data, timeframe=bt.TimeFrame.Minutes, compression=1)
    cerebro.setbroker(bt.brokers.IBBroker())
    cerebro.addstore(data.ib)
    cerebro.addstrategy(Cross, live=True, until=last)
    live = cerebro.run()[0]

    assert live.signals == back.signals and len(back.signals) >= 6
    went_live = min(t for t, _ in live.placed)
    assert went_live >= LIVE_FROM
    expected = [(t, s > 0) for t, s in back.signals if t >= went_live]
    assert live.placed == expected and len(expected) >= 2
