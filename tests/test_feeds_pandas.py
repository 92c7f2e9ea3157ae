"""PandasData: column detection, extra lines, time zones — against backtrader."""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from difftools import reference


def frame(n=60, tz=None):
    idx = pd.date_range('2021-03-01 09:30', periods=n, freq='h', tz=tz)
    rng = np.random.default_rng(3)
    close = 100 + np.cumsum(rng.normal(0, 1, n)).round(2)
    return pd.DataFrame({'Open': close - 0.1, 'HIGH': close + 0.5, 'low': close - 0.5,
                         'Close': close, 'Volume': rng.integers(1, 100, n).astype(float),
                         'pe': np.linspace(10, 20, n)}, index=idx)


def collect(bt, df, **kw):
    class PE(bt.feeds.PandasData):
        lines = ('pe',)
        params = (('pe', -1),)

    rows = []

    class S(bt.Strategy):
        def next(self):
            d = self.data
            rows.append((d.datetime.datetime(0), d.open[0], d.high[0], d.low[0], d.close[0],
                         d.volume[0], d.pe[0], len(d)))

    cerebro = bt.Cerebro()
    cerebro.adddata(PE(dataname=df, timeframe=bt.TimeFrame.Minutes, **kw))
    cerebro.addstrategy(S)
    cerebro.run()
    return rows


@pytest.mark.parametrize('kw', [
    {},
    dict(fromdate=datetime.datetime(2021, 3, 2, 12), todate=datetime.datetime(2021, 3, 3, 6)),
    dict(tz='US/Eastern'),
    dict(nocase=True, open='Open'),
])
def test_pandasdata_matches_backtrader(kw):
    import backtrader_ib
    df = frame()
    ref = collect(reference(), df, **kw)
    new = collect(backtrader_ib, df, **kw)
    assert len(ref) > 10
    assert ref == new


def test_aware_index_is_converted_to_utc():
    import backtrader_ib as bt
    df = frame(tz='Europe/Berlin')
    rows = collect(bt, df)
    # 09:30 Berlin (CET, UTC+1 in March before the switch) is 08:30 UTC
    assert rows[0][0] == datetime.datetime(2021, 3, 1, 8, 30)
