"""Bad input gets a clear error, never a silent wrong number."""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

import backtrader_ib as bt


def frame(n=40, **cols):
    idx = pd.date_range('2021-01-04', periods=n, freq='D')
    base = np.linspace(10, 20, n)
    df = pd.DataFrame({'open': base, 'high': base + 1, 'low': base - 1, 'close': base + 0.5,
                       'volume': 100.0}, index=idx)
    for k, v in cols.items():
        df[k] = v
    return df


def run(strat, df=None, **data_kw):
    cerebro = bt.Cerebro()
    cerebro.adddata(bt.feeds.PandasData(dataname=frame() if df is None else df, **data_kw))
    cerebro.addstrategy(strat)
    return cerebro.run()


@pytest.mark.parametrize('kwargs,match', [
    (dict(size=0.0, exectype=None), None),
    (dict(size=-1), 'must not be negative'),
    (dict(size=1, exectype=bt.Order.Limit), 'needs a price'),
    (dict(size=1, exectype=bt.Order.Stop), 'needs a price'),
    (dict(size=1, exectype=bt.Order.StopTrail), 'trailamount or trailpercent'),
    (dict(size=1, exectype=bt.Order.Limit, price=10.0, valid='tomorrow'), 'valid='),
])
def test_order_arguments(kwargs, match):
    results = []

    class S(bt.Strategy):
        def next(self):
            if len(self) == 3:
                results.append(self.buy(**kwargs))

    if match is None:
        run(S)
        assert results == [None]  # size 0: no order, as in backtrader
    else:
        with pytest.raises(ValueError, match=match):
            run(S)


def test_fromdate_after_todate():
    with pytest.raises(ValueError, match='fromdate .* is after todate'):
        bt.feeds.PandasData(dataname=frame(), fromdate=datetime.datetime(2022, 1, 1),
                            todate=datetime.datetime(2021, 1, 1))


def test_unsorted_timestamps_name_the_row():
    df = frame()
    df = df.iloc[[0, 1, 3, 2] + list(range(4, len(df)))]

    class S(bt.Strategy):
        pass
    with pytest.raises(ValueError, match=r'row 2021-01-06.*earlier than the previous row'):
        run(S, df=df)


def test_duplicate_timestamps_name_the_row():
    df = frame()
    df.index = df.index.where(df.index != df.index[5], df.index[4])

    class S(bt.Strategy):
        pass
    with pytest.raises(ValueError, match='duplicate timestamp'):
        run(S, df=df)


def test_partial_nan_prices_error_full_nan_rows_skipped():
    df = frame()
    df.loc[df.index[7], 'high'] = np.nan

    class S(bt.Strategy):
        pass
    with pytest.raises(ValueError, match=r'row 2021-01-11.*high is missing'):
        run(S, df=df)

    df = frame()
    df.loc[df.index[7], ['open', 'high', 'low', 'close']] = np.nan
    seen = []

    class T(bt.Strategy):
        def next(self):
            seen.append(self.data.close[0])
    with pytest.warns(UserWarning, match='skipped 1 row'):
        run(T, df=df)
    assert len(seen) == 39 and not any(v != v for v in seen)


def test_missing_named_column():
    class S(bt.Strategy):
        pass
    with pytest.raises(ValueError, match="close='Last': no such column"):
        run(S, close='Last')


def test_csv_malformed_rows(tmp_path):
    p = tmp_path / 'bad.csv'
    p.write_text('Date,Open,High,Low,Close,Volume,OpenInterest\n'
                 '2020-01-02,1,2,0.5,1.5,10,0\n'
                 '2020-01-03,1,2,x,1.5,10,0\n')
    data = bt.feeds.BacktraderCSVData(dataname=str(p))
    with pytest.raises(ValueError, match=r'bad.csv: row 3: low value .x. is not a number'):
        data._start()
    p.write_text('Date,Open,High,Low,Close,Volume,OpenInterest\n2020-01-02,1,2,0.5\n')
    data = bt.feeds.BacktraderCSVData(dataname=str(p))
    with pytest.raises(ValueError, match=r'bad.csv: row 2: expected 7 or 8 fields'):
        data._start()
    p.write_text('Date,Open,High,Low,Close,Volume,OpenInterest\n2020-13-02,1,2,0.5,1.5,10,0\n')
    data = bt.feeds.BacktraderCSVData(dataname=str(p))
    with pytest.raises(ValueError, match=r"row 2: date '2020-13-02' is not YYYY-MM-DD"):
        data._start()


def test_missing_file_names_it(tmp_path):
    data = bt.feeds.BacktraderCSVData(dataname=str(tmp_path / 'nope.csv'))
    with pytest.raises(FileNotFoundError, match='nope.csv'):
        data._start()


def test_csv_error_row_with_mixed_date_and_datetime_rows(tmp_path):
    p = tmp_path / 'mixed.csv'
    p.write_text('H\n2020-01-02,1,2,0.5,1.5,10,0\n2020-01-03,09:00:00,1,2,0.5,1.5,10,0\n'
                 '2020-01-06,1,2,0.5,1.5,10,0\n2020-01-07,1,2,x,1.5,10,0\n')
    with pytest.raises(ValueError, match=r"mixed.csv: row 5: low value 'x' is not a number"):
        bt.feeds.BacktraderCSVData(dataname=str(p))._start()
