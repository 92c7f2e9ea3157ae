"""CSV feeds load exactly the bars backtrader 1.9.78.123 loads (differential tests).

Each case runs a strategy recording every bar's datetime number, OHLCV,
open interest and extra lines on backtrader and on backtrader_ib, and the
two lists must be equal to the last bit.
"""
from __future__ import annotations

import datetime
import warnings
from pathlib import Path

import numpy as np
import pytest

import backtrader_ib as btib
from backtrader_ib.feed import CSVDataBase
from backtrader_ib.feeds.yahoo import pyround
from conftest import SHARED_DATA, shared_file

bt = pytest.importorskip('backtrader', reason='backtrader 1.9.78.123 (test-only reference) '
                         'is not installed')

DATA = SHARED_DATA

OHLCV = ('open', 'high', 'low', 'close', 'volume', 'openinterest')
YAHOO = OHLCV + ('adjclose',)
MIN5 = dict(dtformat='%Y-%m-%d', time=1, open=2, high=3, low=4, close=5, volume=6,
            openinterest=7, timeframe=bt.TimeFrame.Minutes)
dt = datetime.datetime


data = shared_file


def bars(pkg, feed, lines=OHLCV, cerebro_kw=None, **kw) -> list:
    """Every bar the strategy sees: (datetime number, *lines)."""
    out = []

    class Record(pkg.Strategy):
        def next(self):
            d = self.data
            out.append((d.datetime[0],) + tuple(getattr(d.lines, x)[0] for x in lines))

    cerebro = pkg.Cerebro(stdstats=False, **(cerebro_kw or {}))
    cls = getattr(pkg.feeds, feed) if isinstance(feed, str) else feed(pkg)
    cerebro.adddata(cls(**kw))
    cerebro.addstrategy(Record)
    cerebro.run()
    return out


def same(a: list, b: list) -> bool:
    """Equal bar lists (NaN equals NaN)."""
    return len(a) == len(b) and all(
        len(x) == len(y) and all(u == v or (u != u and v != v) for u, v in zip(x, y))
        for x, y in zip(a, b))


def check(feed, lines=OHLCV, cerebro_kw=None, **kw) -> list:
    ref = bars(bt, feed, lines, cerebro_kw, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # valid files load without warnings
        got = bars(btib, feed, lines, cerebro_kw, **kw)
    assert ref, 'the reference loaded no bars: the case tests nothing'
    assert len(got) == len(ref)
    for i, (x, y) in enumerate(zip(ref, got)):
        assert same([x], [y]), f'bar {i}: backtrader {x} != backtrader_ib {y}'
    return got


# -- GenericCSVData on the shared files --------------------------------------

@pytest.mark.parametrize('kw', [
    dict(dtformat='%Y-%m-%d'),
    dict(dtformat='%Y-%m-%d', fromdate=dt(2006, 3, 1), todate=dt(2006, 6, 30)),
    dict(dtformat='%Y-%m-%d', fromdate=datetime.date(2006, 3, 1),
         todate=datetime.date(2006, 6, 30)),
    dict(dtformat='%Y-%m-%d', sessionend=datetime.time(17, 30), tz='Europe/Berlin',
         tzinput='US/Eastern'),
    dict(dtformat='%Y-%m-%d', tz='US/Eastern'),
    dict(dtformat=lambda s: dt.strptime(s, '%Y-%m-%d')),
    dict(dtformat='%Y-%m-%d', timeframe=bt.TimeFrame.Weeks, volume=-1, openinterest=None),
], ids=['plain', 'from-to', 'from-to-dates', 'tz-tzinput', 'tz', 'callable', 'absent-cols'])
def test_generic_daily(kw):
    check('GenericCSVData', dataname=data('2006-day-001.txt'), **kw)


@pytest.mark.parametrize('kw', [
    dict(),
    dict(fromdate=dt(2006, 1, 10, 12, 0), todate=dt(2006, 1, 20, 10, 0)),
    dict(tzinput='Europe/Berlin'),
], ids=['plain', 'from-to', 'tzinput'])
def test_generic_minutes_with_time_column(kw):
    got = check('GenericCSVData', dataname=data('2006-min-005.txt'), **MIN5, **kw)
    assert len(got) > 100


def test_generic_ticks_with_milliseconds():
    got = check('GenericCSVData', dataname=data('ticksample.csv'),
                dtformat='%Y-%m-%dT%H:%M:%S.%f', timeframe=bt.TimeFrame.Ticks)
    first = btib.num2date(got[0][0])
    assert first == dt(2015, 9, 23, 20, 57, 42, 146000)


def test_generic_runs_in_every_mode():
    for mode in (dict(preload=False), dict(runonce=False), dict(exactbars=1)):
        check('GenericCSVData', cerebro_kw=mode, dataname=data('2006-min-005.txt'), **MIN5)


def test_genericcsv_feedbase(tmp_path):
    # backtrader's CSV FeedBase.getdata raises TypeError (it passes dataname
    # twice), so the feed it should give is compared with a direct one
    path = str(_daily_with_times(tmp_path / 'd.csv'))
    d = btib.feeds.GenericCSV(timeframe=bt.TimeFrame.Weeks).getdata(path)
    assert isinstance(d, btib.feeds.GenericCSVData) and d.p.timeframe == bt.TimeFrame.Weeks
    got = bars(btib, lambda pkg: lambda **kw: d)
    assert len(got) == 120
    assert same(got, bars(bt, 'GenericCSVData', dataname=path, timeframe=bt.TimeFrame.Weeks))


# -- GenericCSVData on files written here -------------------------------------

def _custom_file(path: Path) -> Path:
    """';'-separated, columns shuffled, dd/mm/YYYY + HH.MM, blank volumes, an extra column."""
    rng = np.random.default_rng(7)
    stamp = dt(2020, 1, 6, 9, 0)
    rows = ['c;t;d;o;h;l;pe;v']
    for i in range(300):
        stamp += datetime.timedelta(minutes=int(rng.choice([1, 5, 30, 600])))
        o = round(float(rng.uniform(10, 20)), 3)
        vol = '' if i % 7 == 0 else str(int(rng.integers(0, 1000)))
        rows.append(f'{o + 0.125};{stamp:%H.%M};{stamp:%d/%m/%Y};{o};{o + 1.25};{o - 0.5};'
                    f'{float(rng.random()):.17g};{vol}')
    path.write_text('\n'.join(rows) + '\n')
    return path


def _pe_feed(pkg):
    class PEData(pkg.feeds.GenericCSVData):
        lines = ('pe',)
        params = (('pe', 6),)
    return PEData


CUSTOM = dict(separator=';', dtformat='%d/%m/%Y', tmformat='%H.%M', datetime=2, time=1,
              open=3, high=4, low=5, close=0, volume=7, openinterest=-1)


def test_generic_custom_layout_extra_line_and_nullvalue(tmp_path):
    path = str(_custom_file(tmp_path / 'custom.csv'))
    got = check(_pe_feed, OHLCV + ('pe',), dataname=path, nullvalue=0.0,
                timeframe=bt.TimeFrame.Minutes, **CUSTOM)
    assert got[0][5] == 0.0  # blank volume took nullvalue
    assert {x[6] for x in got} == {0.0}  # so did the absent openinterest
    assert 0 < got[0][7] < 1  # the extra 'pe' column


def test_generic_custom_layout_nan_nullvalue(tmp_path):
    path = str(_custom_file(tmp_path / 'custom.csv'))
    got = check(_pe_feed, OHLCV + ('pe',), dataname=path, timeframe=bt.TimeFrame.Minutes,
                fromdate=dt(2020, 1, 10), todate=dt(2020, 1, 20, 12), **CUSTOM)
    assert any(v[5] != v[5] for v in got)  # blank volumes are NaN
    assert all(v[6] != v[6] for v in got)  # so is the absent openinterest


def _daily_with_times(path: Path) -> Path:
    rng = np.random.default_rng(4)
    day = datetime.date(2021, 1, 4)
    rows = ['Datetime,O,H,L,C,V,OI']
    for i in range(120):
        day += datetime.timedelta(days=1)
        hour, quarter = int(rng.integers(0, 24)), int(rng.integers(0, 4))
        stamp = dt.combine(day, datetime.time(hour, 15 * quarter))
        rows.append(f'{stamp:%Y-%m-%d %H:%M:%S},{i + 1},{i + 2},{i},{i + 1.5},{i * 3},{i}')
    path.write_text('\n'.join(rows) + '\n')
    return path


@pytest.mark.parametrize('kw', [
    dict(),
    dict(sessionend=datetime.time(14, 0)),
    dict(sessionend=datetime.time(14, 0), tz='US/Eastern'),
    dict(sessionend=datetime.time(14, 0), tzinput='US/Eastern'),
    dict(sessionend=datetime.time(14, 0), tzinput='Asia/Tokyo', tz='US/Eastern',
         timeframe=bt.TimeFrame.Weeks),
])
def test_generic_daily_bars_end_at_sessionend_unless_later(tmp_path, kw):
    got = check('GenericCSVData', dataname=str(_daily_with_times(tmp_path / 'd.csv')), **kw)
    if kw.get('sessionend') and len(kw) == 1:
        times = {btib.num2date(x[0]).time() for x in got}
        assert datetime.time(14, 0) in times and max(times) > datetime.time(14, 0)


def _unix_files(tmp_path: Path) -> tuple[str, str]:
    rng = np.random.default_rng(3)
    secs = 1443041862 + 7 * np.arange(200)
    body = [f'{1 + i},{2 + i},{i},{1.5 + i},{i * 10},0' for i in range(200)]
    ints = '\n'.join(f'{s},{b}' for s, b in zip(secs, body)) + '\n'
    frac = rng.integers(0, 1000000, 200)
    floats = '\n'.join(f'{s}.{f:06d},{b}' for s, f, b in zip(secs, frac, body)) + '\n'
    (tmp_path / 'unix1.csv').write_text(ints)
    (tmp_path / 'unix2.csv').write_text(floats)
    return str(tmp_path / 'unix1.csv'), str(tmp_path / 'unix2.csv')


def test_generic_unix_seconds(tmp_path):
    ints, floats = _unix_files(tmp_path)
    check('GenericCSVData', dataname=ints, headers=False, dtformat=1,
          timeframe=bt.TimeFrame.Seconds)
    check('GenericCSVData', dataname=floats, headers=False, dtformat=2,
          timeframe=bt.TimeFrame.Ticks)
    check('GenericCSVData', dataname=floats, headers=False, dtformat=2,
          timeframe=bt.TimeFrame.Ticks, tz='Asia/Tokyo', tzinput='US/Eastern')


def test_generic_time_column_ignored_without_string_dtformat(tmp_path):
    ints, _ = _unix_files(tmp_path)
    # backtrader only joins the time column to a strptime format
    check('GenericCSVData', dataname=ints, headers=False, dtformat=1, time=5,
          timeframe=bt.TimeFrame.Seconds)


def test_generic_file_object_and_crlf(tmp_path):
    import io
    text = Path(data('2006-day-001.txt')).read_text().replace('\n', '\r\n')
    (tmp_path / 'crlf.txt').write_bytes(text.encode())
    check('GenericCSVData', dataname=str(tmp_path / 'crlf.txt'), dtformat='%Y-%m-%d')
    # backtrader needs a name for file objects (it takes the file's basename)
    ref = bars(bt, 'GenericCSVData', dataname=io.StringIO(text), dtformat='%Y-%m-%d', name='x')
    got = bars(btib, 'GenericCSVData', dataname=io.StringIO(text), dtformat='%Y-%m-%d')
    assert same(ref, got) and len(got) == 255


def test_generic_irregular_rows_take_the_row_reader(tmp_path):
    # a longer row makes the file irregular: the row-by-row reader loads it
    lines = Path(data('2006-day-001.txt')).read_text().splitlines()
    lines[5] += ',extra,fields'
    (tmp_path / 'ragged.txt').write_text('\n'.join(lines) + '\n')
    check('GenericCSVData', dataname=str(tmp_path / 'ragged.txt'), dtformat='%Y-%m-%d')


def test_generic_lenient_text_parsed_like_strptime(tmp_path):
    # unpadded fields and '1_000' are read by strptime/float; pandas' parser
    # rejects or re-formats them, so these rows take the exact fallbacks
    (tmp_path / 'loose.csv').write_text(
        'd,o,h,l,c,v,oi\n'
        '2020-1-2 9:05:00,1,2,0.5,1.5,1_000,0\n'
        '2020-01-03 09:05:00,1,2,0.5,1.5,10,0\n'
        '2020-01-06  09:05:00,1,2,0.5,1.5,10,0\n')
    got = check('GenericCSVData', dataname=str(tmp_path / 'loose.csv'),
                timeframe=bt.TimeFrame.Minutes)
    assert got[0][5] == 1000.0


# -- Yahoo ---------------------------------------------------------------------

@pytest.mark.parametrize('name,kw', [
    ('yhoo-2014.txt', dict()),
    ('orcl-1995-2014.txt', dict()),
    ('orcl-1995-2014.txt', dict(adjclose=False)),
    ('nvda-1999-2014.txt', dict(round=False)),
    ('nvda-1999-2014.txt', dict(decimals=3, roundvolume=2)),
    ('yhoo-1996-2015.txt', dict(adjvolume=False, swapcloses=True)),
    ('orcl-2003-2005.txt', dict(adjclose=False, round=False)),
    ('yhoo-1996-2014.txt', dict(fromdate=dt(2004, 1, 1), todate=dt(2004, 12, 31))),
    ('nvda-2014.txt', dict(sessionend=datetime.time(16, 0), tzinput='US/Eastern')),
])
def test_yahoo(name, kw):
    check('YahooFinanceCSVData', YAHOO, dataname=data(name), **kw)


def test_yahoo_reverse(tmp_path):
    lines = Path(data('orcl-2014.txt')).read_text().splitlines()
    path = tmp_path / 'orcl-newest-first.txt'
    path.write_text('\n'.join(lines[:1] + lines[:0:-1]) + '\n')
    got = check('YahooFinanceCSVData', YAHOO, dataname=str(path), reverse=True)
    ordered = check('YahooFinanceCSVData', YAHOO, dataname=data('orcl-2014.txt'))
    assert got == ordered
    # without a final newline backtrader glues the last two rows; we do not
    path.write_text('\n'.join(lines[:1] + lines[:0:-1]))
    assert bars(btib, 'YahooFinanceCSVData', YAHOO, dataname=str(path), reverse=True) == ordered


def test_yahoo_null_rows_are_skipped(tmp_path):
    lines = Path(data('yhoo-2014.txt')).read_text().splitlines()
    lines[3] = lines[3].split(',')[0] + ',null,null,null,null,null,null'
    lines[7] = ','.join(lines[7].split(',')[:6]) + ',null'
    path = tmp_path / 'nulls.txt'
    path.write_text('\n'.join(lines) + '\n')
    ref = bars(bt, 'YahooFinanceCSVData', YAHOO, dataname=str(path))
    with pytest.warns(UserWarning, match=r'nulls.txt: skipped 2 row\(s\) with null fields '
                      r'\(first: row 4\)'):
        got = bars(btib, 'YahooFinanceCSVData', YAHOO, dataname=str(path))
    assert len(got) == len(lines) - 3 and same(ref, got)


def test_yahoo_without_volume_column(tmp_path):
    lines = Path(data('yhoo-2014.txt')).read_text().splitlines()
    path = tmp_path / 'novol.txt'
    path.write_text('\n'.join(','.join(x.split(',')[:6]) for x in lines) + '\n')
    got = check('YahooFinanceCSVData', YAHOO, dataname=str(path))
    assert {x[5] for x in got} == {0.0}


def test_yahoo_legacy_and_feedbase():
    check('YahooLegacyCSV', YAHOO, dataname=data('yhoo-2003-2005.txt'), version='v1')
    d = btib.feeds.YahooFinanceCSV(sessionend=datetime.time(16)).getdata(data('yhoo-2014.txt'))
    assert isinstance(d, btib.feeds.YahooFinanceCSVData)
    got = bars(btib, lambda pkg: lambda **kw: d, YAHOO)
    assert len(got) == 252 and btib.num2date(got[0][0]).time() == datetime.time(16)
    assert same(got, bars(bt, 'YahooFinanceCSVData', YAHOO, dataname=data('yhoo-2014.txt'),
                          sessionend=datetime.time(16)))


def test_pyround_is_python_round():
    rng = np.random.default_rng(5)
    for nd in (0, 1, 2, 3, 6):
        values = np.concatenate([
            rng.random(20000) * 1000,
            (np.arange(-20000, 20000) + 0.5) / 10 ** nd,  # exact and near halves
            np.round(rng.random(20000) * 200 - 100, nd + 1),
            [2.675, 1.005, 0.125, -0.125, 1e17 + 0.5, np.nan, np.inf, -0.0]])
        want = [round(x, nd) for x in values.tolist()]
        got = pyround(values, nd).tolist()
        assert all(a == b or (a != a and b != b) for a, b in zip(got, want)), nd


# -- the fast reader and the row reader agree ----------------------------------

@pytest.mark.parametrize('feed,name,kw', [
    ('GenericCSVData', '2006-min-005.txt', MIN5),
    ('GenericCSVData', 'ticksample.csv', dict(dtformat='%Y-%m-%dT%H:%M:%S.%f',
                                              timeframe=bt.TimeFrame.Ticks)),
    ('YahooFinanceCSVData', 'nvda-1999-2014.txt', {}),
])
def test_fast_and_row_readers_agree(monkeypatch, feed, name, kw):
    lines = YAHOO if feed.startswith('Yahoo') else OHLCV
    fast = bars(btib, feed, lines, dataname=data(name), **kw)
    used = []
    orig = CSVDataBase._fast_table

    def spy(self, *a):
        out = orig(self, *a)
        used.append(out is not None)
        return out
    monkeypatch.setattr(CSVDataBase, '_fast_table', spy)
    assert same(bars(btib, feed, lines, dataname=data(name), **kw), fast)
    assert used == [True]  # regular files do take the fast path
    monkeypatch.setattr(CSVDataBase, '_fast_table', lambda self, *a: None)
    slow = bars(btib, feed, lines, dataname=data(name), **kw)
    assert len(fast) > 100 and same(fast, slow)


# -- subclasses parsing rows themselves (backtrader's _loadline protocol) -------

def _rowwise(base):
    def make(pkg):
        class Rowwise(getattr(pkg.feeds, base)):
            def _loadline(self, linetokens):
                return super()._loadline(linetokens)
        return Rowwise
    return make


@pytest.mark.parametrize('name,kw', [
    ('2006-day-001.txt', dict(dtformat='%Y-%m-%d', sessionend=datetime.time(17, 30),
                              tz='Europe/Berlin', tzinput='US/Eastern')),
    ('2006-min-005.txt', dict(MIN5, fromdate=dt(2006, 1, 10, 12), tzinput='Europe/Berlin')),
])
def test_generic_subclass_overriding_loadline(name, kw):
    assert not hasattr(_rowwise('GenericCSVData')(btib)(dataname='x'), '_loadarrays')
    check(_rowwise('GenericCSVData'), dataname=data(name), **kw)


def test_generic_subclass_overriding_loadline_unix(tmp_path):
    _, floats = _unix_files(tmp_path)
    check(_rowwise('GenericCSVData'), dataname=floats, headers=False, dtformat=2,
          timeframe=bt.TimeFrame.Ticks)


def test_yahoo_subclass_overriding_loadline(tmp_path):
    lines = Path(data('orcl-2014.txt')).read_text().splitlines()
    lines[4] = ','.join(lines[4].split(',')[:6]) + ',null'
    path = tmp_path / 'orcl-newest-first.txt'
    path.write_text('\n'.join(lines[:1] + lines[:0:-1]) + '\n')
    check(_rowwise('YahooFinanceCSVData'), YAHOO, dataname=str(path), reverse=True)
    check(_rowwise('YahooFinanceCSVData'), YAHOO, dataname=data('nvda-1999-2014.txt'),
          adjclose=False, decimals=3)


def test_csvdatabase_subclass_with_own_loadline():
    def make(pkg):
        class MyCSV(pkg.CSVDataBase):
            def start(self):
                super().start()
                self.rows_seen = 0

            def _loadline(self, linetokens):
                self.rows_seen += 1
                day = dt.strptime(linetokens[0], '%Y-%m-%d')
                self.lines.datetime[0] = pkg.date2num(day)
                for i, name in enumerate(OHLCV, start=1):
                    getattr(self.lines, name)[0] = float(linetokens[i])
                return True
        return MyCSV
    got = check(make, dataname=data('2006-day-001.txt'))
    assert len(got) == 255


def test_lines_never_share_storage(tmp_path):
    # a line's array is its storage: two lines read from one column, or
    # Yahoo's close and adjclose, must still be separate arrays
    path = tmp_path / 'shared.csv'
    path.write_text('\n'.join(f'{1443041862 + i},{i},{i + 1},0' for i in range(20)) + '\n')
    feeds = [btib.feeds.GenericCSVData(dataname=str(path), headers=False, dtformat=1, open=1,
                                       high=1, low=1, close=2, volume=-1, openinterest=-1,
                                       timeframe=bt.TimeFrame.Seconds)]
    ypath = tmp_path / 'y.csv'
    ypath.write_text('Date,Open,High,Low,Close,Adj Close,Volume\n' + ''.join(
        f'2014-01-{d:02d},1,2,0.5,1.5,1.25,100\n' for d in range(2, 20)))
    feeds.append(btib.feeds.YahooFinanceCSVData(dataname=str(ypath), round=False))
    cerebro = btib.Cerebro(stdstats=False)
    for d in feeds:
        cerebro.adddata(d)
    cerebro.addstrategy(btib.Strategy)
    cerebro.run()
    g, y = feeds
    assert list(g.high.array) == list(g.low.array) == list(g.open.array) == list(range(20))
    assert not np.shares_memory(g.high.array, g.low.array)
    assert not np.shares_memory(g.open.array, g.low.array)
    assert list(y.close.array) == list(y.adjclose.array) == [1.25] * 18
    assert not np.shares_memory(y.close.array, y.adjclose.array)
