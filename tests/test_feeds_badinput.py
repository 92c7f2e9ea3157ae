"""Bad CSV input: an error naming the file and row (or param), or a warned skip."""
from __future__ import annotations

import datetime
import re
import warnings

import pytest

import backtrader_ib as bt
from backtrader_ib.feed import FeedDataError

HEAD = 'Date,Open,High,Low,Close,Volume,OpenInterest\n'
GOOD = '2020-01-02,1,2,0.5,1.5,10,0\n'
YHEAD = 'Date,Open,High,Low,Close,Adj Close,Volume\n'
YGOOD = '2014-01-02,40.37,40.49,39.31,39.59,39.59,21504200\n'


def load(path, cls=bt.feeds.GenericCSVData, **kw) -> list:
    """Run a strategy over the feed; the closes it saw."""
    seen = []

    class Record(bt.Strategy):
        def next(self):
            seen.append(self.data.close[0])

    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(cls(dataname=str(path), **kw))
    cerebro.addstrategy(Record)
    cerebro.run()
    return seen


def write(tmp_path, text, name='bad.csv'):
    path = tmp_path / name
    path.write_text(text)
    return path


def expect(exc, path, pattern):
    """pytest.raises for ``exc`` with a message naming ``path`` and matching ``pattern``."""
    return pytest.raises(exc, match=re.escape(str(path)) + ': ' + pattern)


# -- GenericCSVData -------------------------------------------------------------

@pytest.mark.parametrize('row,kw,exc,pattern', [
    ('2020-01-03,1,2,0.5\n', {}, FeedDataError,
     r'row 3: no close \(field 4\): expected at least 5 fields, found 4'),
    ('2020-01-03,1,2,0.5,abc,10,0\n', {}, FeedDataError,
     r"row 3: close value 'abc' is not a number"),
    ('2020-01-03,1,2,0.5,1.5,10 units,0\n', {}, FeedDataError,
     r"row 3: volume value '10 units' is not a number"),
    ('2020-13-03,1,2,0.5,1.5,10,0\n', {}, FeedDataError,
     r"row 3: datetime '2020-13-03' does not match dtformat '%Y-%m-%d'"),
    ('\n\n2020-01-03,1,2,0.5,1.5,10,0\n2020-01-06,1,2,0.5,1.5,10\n', {}, FeedDataError,
     r'row 6: no openinterest \(field 6\)'),  # blank lines still count in row numbers
    ('2020-01-03,1,2,,1.5,10,0\n', {}, FeedDataError,
     r'row 3: low is missing or NaN while other prices are present'),
    ('2020-01-03,1,2,0.5,nan,10,0\n', {}, FeedDataError,
     r'row 3: close is missing or NaN'),
    ('2020-01-01,1,2,0.5,1.5,10,0\n', {}, FeedDataError,
     r'row 3: timestamp 2020-01-01 .* is earlier than the previous row'),
    ('2020-01-02,1,2,0.5,1.5,10,0\n', {}, FeedDataError,
     r'row 3: duplicate timestamp 2020-01-02 .*\(also on row 2\)'),
    ('2020-01-03,1,2,0.5,1.5,10,0\n', dict(close=9), FeedDataError,
     r'row 2: no close \(field 9\): expected at least 10 fields, found 7'),
])
def test_generic_bad_rows(tmp_path, row, kw, exc, pattern):
    path = write(tmp_path, HEAD + GOOD + row)
    with expect(exc, path, pattern):
        load(path, dtformat='%Y-%m-%d', **kw)


@pytest.mark.parametrize('stamp,fmt,why', [
    ('2020-01-02 09:30:60', '%Y-%m-%d %H:%M:%S', 'second must be in 0..59'),
    ('2020-01-02T09:30:00.1234567', '%Y-%m-%dT%H:%M:%S.%f', 'unconverted data remains'),
    ('2020-01-02', '%Y-%m-%d %H:%M:%S', 'does not match format'),
    (' 2020-01-02', '%Y-%m-%d', 'does not match format'),
])
def test_generic_dates_are_as_strict_as_strptime(tmp_path, stamp, fmt, why):
    # pandas' parser would accept the first two (rolling over / truncating)
    path = write(tmp_path, HEAD + f'{stamp},1,2,0.5,1.5,10,0\n')
    with expect(FeedDataError, path, rf"row 2: datetime '{re.escape(stamp)}' does not match "
                rf".*{why}"):
        load(path, dtformat=fmt, timeframe=bt.TimeFrame.Minutes)


@pytest.mark.parametrize('fmt,pattern', [
    (1, r"row 1: datetime '1577923200.5' is not a Unix timestamp in whole seconds"),
    (2, r"row 2: datetime 'soon' is not a Unix timestamp \(dtformat=2\)"),
    (lambda s: datetime.datetime.fromtimestamp(int(s)),
     r"row 1: datetime '1577923200.5' rejected by dtformat: ValueError"),
])
def test_generic_bad_timestamps(tmp_path, fmt, pattern):
    # no header line: the first row is line 1
    second = '1577923201' if fmt == 1 else 'soon'
    path = write(tmp_path, f'1577923200.5,1,2,0.5,1.5,10,0\n{second},1,2,0.5,1.5,10,0\n')
    with expect(FeedDataError, path, pattern):
        load(path, headers=False, dtformat=fmt, timeframe=bt.TimeFrame.Seconds)


def test_generic_all_nan_rows_are_skipped_with_a_warning(tmp_path):
    path = write(tmp_path, HEAD + GOOD + '2020-01-03,,,,,10,0\n2020-01-06,1,2,0.5,2.5,10,0\n')
    with pytest.warns(UserWarning, match=re.escape(str(path)) +
                      r': skipped 1 row\(s\) with no prices \(first: row 3\)'):
        closes = load(path, dtformat='%Y-%m-%d')
    assert closes == [1.5, 2.5]


def test_generic_nullvalue_fills_blank_prices_without_error(tmp_path):
    path = write(tmp_path, HEAD + GOOD + '2020-01-03,1,2,0.5,,10,0\n')
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert load(path, dtformat='%Y-%m-%d', nullvalue=0.0) == [1.5, 0.0]


@pytest.mark.parametrize('kw,exc,pattern', [
    (dict(fromdate=datetime.datetime(2021, 1, 1), todate=datetime.datetime(2020, 1, 1)),
     ValueError, 'fromdate 2021-01-01 00:00:00 is after todate 2020-01-01'),
    (dict(dtformat=3), ValueError, r'param dtformat=3: an int dtformat must be 1'),
    (dict(dtformat=None), ValueError, r'param dtformat=None must be a strptime format'),
    (dict(datetime=-1), ValueError, r'param datetime=-1 must be the index'),
    (dict(close='Close'), ValueError, r"param close='Close' must be a column index"),
])
def test_generic_bad_params(tmp_path, kw, exc, pattern):
    path = write(tmp_path, HEAD + GOOD)
    with expect(exc, path, pattern):
        load(path, **kw)


def test_unknown_param_names_class_and_param(tmp_path):
    with pytest.raises(TypeError, match=r"GenericCSVData: unknown parameter\(s\) 'dtfromat'; "
                       r'valid params are: .*dtformat'):
        bt.feeds.GenericCSVData(dataname='x.csv', dtfromat='%Y')
    with pytest.raises(TypeError, match=r"YahooFinanceCSVData: unknown parameter\(s\) 'adj'"):
        bt.feeds.YahooFinanceCSVData(dataname='x.csv', adj=True)


def test_extra_line_without_column_param(tmp_path):
    class PE(bt.feeds.GenericCSVData):
        lines = ('pe',)

    path = write(tmp_path, HEAD + GOOD)
    with pytest.raises(ValueError, match=r"PE: line 'pe' has no column param"):
        load(path, cls=PE, dtformat='%Y-%m-%d')


def test_missing_file_is_named(tmp_path):
    path = tmp_path / 'nope.csv'
    with expect(FileNotFoundError, path, 'cannot open data file'):
        load(path)


# -- Yahoo ------------------------------------------------------------------------

@pytest.mark.parametrize('rows,kw,pattern', [
    ('2014-01-03,40.16,,39.82,40.12,40.12,15755200\n', {}, r'row 3: high is empty'),
    ('2014-01-03,40.16,40.44,39.82,x,40.12,15755200\n', {}, r"row 3: close value 'x' is not"),
    ('2014-13-03,40.16,40.44,39.82,40.12,40.12,15755200\n', {},
     r"row 3: date '2014-13-03' is not YYYY-MM-DD"),
    ('2014-01-03,40.16,40.44,39.82,40.12\n', {}, r'row 3: no adjclose \(field 5\)'),
    ('2014-01-03,40.16,40.44,39.82,40.12,40.12,2e\n', {}, r"row 3: volume value '2e' is not"),
    ('2014-01-03,40.16,40.44,39.82,40.12,0,15755200\n', {},
     r'row 3: close or adjusted close is 0'),
    ('2014-01-02,40.16,40.44,39.82,40.12,40.12,15755200\n', {}, r'row 3: duplicate timestamp'),
    ('2014-01-03,40.16,40.44,39.82,40.12,40.12,15755200\n', dict(reverse=True),
     r'row 2: timestamp 2014-01-02 .* is earlier than the previous row \(2014-01-03'),
])
def test_yahoo_bad_rows(tmp_path, rows, kw, pattern):
    path = write(tmp_path, YHEAD + YGOOD + rows)
    with expect(FeedDataError, path, pattern):
        load(path, cls=bt.feeds.YahooFinanceCSVData, **kw)


def test_yahoo_newest_first_without_reverse(tmp_path):
    path = write(tmp_path, YHEAD + '2014-01-06,1,2,0.5,1.5,1.5,1\n'
                 '2014-01-03,1,2,0.5,1.5,1.5,1\n' + YGOOD)
    with expect(FeedDataError, path, r"rows are newest first \(row 2 is '2014-01-06'\); "
                'pass reverse=True'):
        load(path, cls=bt.feeds.YahooFinanceCSVData)
    assert len(load(path, cls=bt.feeds.YahooFinanceCSVData, reverse=True)) == 3


def test_yahoo_zero_adjclose_loads_unadjusted(tmp_path):
    path = write(tmp_path, YHEAD + YGOOD + '2014-01-03,40.16,40.44,39.82,40.12,0,1\n')
    assert load(path, cls=bt.feeds.YahooFinanceCSVData, adjclose=False) == [39.59, 40.12]


def test_yahoo_blank_volume_is_zero(tmp_path):
    # as in backtrader, which reads a volume it cannot parse as 0
    path = write(tmp_path, YHEAD + '2014-01-02,40.37,40.49,39.31,39.59,39.59,\n')
    data = bt.feeds.YahooFinanceCSVData(dataname=str(path))
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(data)
    cerebro.addstrategy(bt.Strategy)
    cerebro.run()
    assert data.volume.array[0] == 0.0 and data.close.array[0] == 39.59
