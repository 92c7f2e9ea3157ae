"""Vendor file formats (VisualChart, SierraChart, MetaTrader 4, Quandl, Blaze rows)
load exactly the bars backtrader 1.9.78.123 loads from the same file.

The files in tests/data/formats/ are rows of the shared market data written
in each vendor's layout by tests/data/formats/make_formats.py.
"""
from __future__ import annotations

import datetime
import importlib
import io
import os
import struct

import pytest

import backtrader_ib as btib
from backtrader_ib.errors import UnsupportedError
from backtrader_ib.feed import FeedDataError
from conftest import SHARED_DATA
from test_feeds_csv import bars, check, same

bt = pytest.importorskip('backtrader', reason='backtrader 1.9.78.123 (test-only reference) '
                         'is not installed')

FORMATS = SHARED_DATA / 'formats'
dt = datetime.datetime


def fmt(name: str) -> str:
    p = FORMATS / name
    if not p.exists():
        pytest.skip(f'format file {name} not found in {FORMATS} (run make_formats.py)')
    return str(p)


def feedcls(module: str, name: str):
    """The class ``name`` of feeds module ``module`` in either package."""
    return lambda pkg: getattr(importlib.import_module(f'{pkg.__name__}.feeds.{module}'), name)


# -- VisualChart CSV ------------------------------------------------------------------

@pytest.mark.parametrize('name, kw', [
    ('vchart-day.csv', {}),
    ('vchart-day.csv', dict(sessionend=datetime.time(17, 30))),
    ('vchart-day.csv', dict(fromdate=dt(2006, 3, 1), todate=dt(2006, 6, 30))),
    ('vchart-volume-day.csv', {}),
    ('vchart-min.csv', dict(timeframe=bt.TimeFrame.Minutes, compression=5)),
    ('vchart-min.csv', dict(tz='Europe/Berlin', tzinput='UTC')),
])
def test_vchartcsv(name, kw):
    got = check('VChartCSVData', dataname=fmt(name), **kw)
    assert len(got) > 10


def test_vchartcsv_period_sets_timeframe():
    seen = []
    for pkg in (bt, btib):
        data = pkg.feeds.VChartCSVData(dataname=fmt('vchart-min.csv'))
        cerebro = pkg.Cerebro(stdstats=False)
        cerebro.adddata(data)
        cerebro.addstrategy(pkg.Strategy)
        cerebro.run()
        seen.append(data._timeframe)
    assert seen == [bt.TimeFrame.Minutes] * 2


def test_vchartcsv_file_object_named_by_its_ticker():
    # backtrader cannot take a file object here (it names CSV feeds by
    # os.path.basename(dataname) and raises TypeError)
    with open(fmt('vchart-min.csv')) as f:
        data = btib.feeds.VChartCSVData(dataname=io.StringIO(f.read()))
    cerebro = btib.Cerebro(stdstats=False)
    cerebro.adddata(data)
    cerebro.addstrategy(btib.Strategy)
    cerebro.run()
    assert (data._name, len(data)) == ('ESTX50', 300)


def test_vchartcsv_named_by_its_file_like_backtrader():
    names = [pkg.feeds.VChartCSVData(dataname=fmt('vchart-day.csv'))._name for pkg in (bt, btib)]
    assert names[0] == names[1]


def test_vchartcsv_resampled_weekly():
    def make(pkg):
        return pkg.feeds.VChartCSVData

    out = []
    for pkg in (bt, btib):
        got = []

        class Rec(pkg.Strategy):
            def next(self):
                got.append((self.data.datetime[0], self.data.close[0], self.data.volume[0]))

        cerebro = pkg.Cerebro(stdstats=False)
        cerebro.resampledata(make(pkg)(dataname=fmt('vchart-volume-day.csv')),
                             timeframe=pkg.TimeFrame.Weeks)
        cerebro.addstrategy(Rec)
        cerebro.run()
        out.append(got)
    assert len(out[0]) > 40 and same(out[0], out[1])


def test_vchartcsv_bad_rows_are_named(tmp_path):
    head = 'Ticker,Per,Date,Time,Open,High,Low,Close,Vol,OI\n'
    good = 'X,D,20060102,000000,1,2,0.5,1.5,10,0\n'
    cases = {
        'X,D,20060103,000000,1,2,0.5,1.5,10,0\nX,I,20060104,100000,1,2,0.5,1.5,10,0\n':
            r"row 4: period 'I' differs",
        'X,Q,20060103,000000,1,2,0.5,1.5,10,0\n': r"row 3: period 'Q' is not one of",
        'X,D,20061303,000000,1,2,0.5,1.5,10,0\n': r"row 3: date '20061303' is not YYYYMMDD",
        'X,D,20060103,000000,1,x,0.5,1.5,10,0\n': r"row 3: high value 'x' is not a number",
    }
    for k, (rest, msg) in enumerate(cases.items()):
        p = tmp_path / f'bad{k}.csv'
        p.write_text(head + good + rest)
        with pytest.raises(FeedDataError, match=msg):
            bars(btib, 'VChartCSVData', dataname=str(p))
    p = tmp_path / 'badtime.csv'
    p.write_text(head + 'X,I,20060102,250000,1,2,0.5,1.5,10,0\n')
    with pytest.raises(FeedDataError, match=r"row 2: time '250000' is not HHMMSS"):
        bars(btib, 'VChartCSVData', dataname=str(p))


def test_vchartcsv_subclass_with_own_loadline_reads_bar_by_bar():
    def make(pkg):
        class Doubled(pkg.feeds.VChartCSVData):
            def _loadline(self, linetokens):
                ok = super()._loadline(linetokens)
                self.lines.volume[0] = self.lines.close[0] * 2
                return ok
        return Doubled

    check(make, dataname=fmt('vchart-min.csv'))


# -- SierraChart and MetaTrader 4 (GenericCSVData layouts) ----------------------------

@pytest.mark.parametrize('kw', [{}, dict(fromdate=dt(2006, 5, 1))])
def test_sierrachart(kw):
    check('SierraChartCSVData', dataname=fmt('sierrachart-day.csv'), **kw)


@pytest.mark.parametrize('name, kw', [
    ('mt4-min.csv', dict(timeframe=bt.TimeFrame.Minutes, compression=5)),
    ('mt4-min-noheader.csv', dict(headers=False, timeframe=bt.TimeFrame.Minutes)),
])
def test_mt4(name, kw):
    got = check('MT4CSVData', dataname=fmt(name), **kw)
    assert len(got) == 300  # the header line (or, headers=False, nothing) skipped


def test_mt4_without_headers_false_skips_the_first_bar_like_backtrader():
    got = check('MT4CSVData', dataname=fmt('mt4-min-noheader.csv'),
                timeframe=bt.TimeFrame.Minutes)
    assert len(got) == 299


def test_formats_run_every_mode():
    for mode in (dict(preload=False, runonce=False), dict(preload=True, runonce=False),
                 dict(exactbars=1)):
        check('MT4CSVData', cerebro_kw=mode, dataname=fmt('mt4-min.csv'),
              timeframe=bt.TimeFrame.Minutes)
        check('VChartCSVData', cerebro_kw=mode, dataname=fmt('vchart-day.csv'))


# -- Quandl CSV ---------------------------------------------------------------------------

@pytest.mark.parametrize('kw', [{}, dict(adjclose=False), dict(round=True),
                                dict(round=True, decimals=1, adjclose=False),
                                dict(todate=dt(2006, 2, 1))])
def test_quandlcsv(kw):
    check('QuandlCSV', dataname=fmt('quandl-day.csv'), **kw)


def test_quandlcsv_reverse(tmp_path):
    lines = open(fmt('quandl-day.csv')).read().splitlines()
    p = tmp_path / 'rev.csv'
    p.write_text('\n'.join(lines[:1] + lines[:0:-1]) + '\n')
    got = check('QuandlCSV', dataname=str(p), reverse=True)
    assert same(got, bars(btib, 'QuandlCSV', dataname=fmt('quandl-day.csv')))


def test_quandlcsv_subclass_with_own_loadline_reads_bar_by_bar():
    def make(pkg):
        class Marked(pkg.feeds.QuandlCSV):
            def _loadline(self, linetokens):
                ok = super()._loadline(linetokens)
                self.lines.openinterest[0] = 7.0
                return ok
        return Marked

    for kw in ({}, dict(adjclose=False, round=True, decimals=1)):
        got = check(make, dataname=fmt('quandl-day.csv'), **kw)
        assert got[0][6] == 7.0


def test_quandl_download_is_unsupported():
    with pytest.raises(UnsupportedError, match=r'Quandl: downloads .*bt\.feeds\.QuandlCSV'):
        btib.feeds.Quandl(dataname='YHOO')


# -- VisualChart binary files -------------------------------------------------------

@pytest.mark.parametrize('kw', [
    dict(dataname='vchart-day.fd'),
    dict(dataname='vchart-min.min'),
    dict(dataname='vchart-day', timeframe=bt.TimeFrame.Days),  # extension from timeframe
    dict(dataname='vchart-min', timeframe=bt.TimeFrame.Minutes, compression=5),
])
def test_vchartdata(kw):
    kw = dict(kw, dataname=os.path.join(FORMATS, kw['dataname']))
    fmt('vchart-day.fd')
    got = check(feedcls('vchart', 'VChartData'), **kw)
    assert len(got) in (255, 300)


def test_vchartdata_file_object():
    raw = open(fmt('vchart-min.min'), 'rb').read()
    got = [bars(pkg, feedcls('vchart', 'VChartData'), dataname=io.BytesIO(raw),
                timeframe=bt.TimeFrame.Minutes) for pkg in (bt, btib)]
    assert len(got[0]) == 300 and same(got[0], got[1])


def test_vchartfeed_paths(tmp_path):
    code = '0100AB'
    folder = tmp_path / 'RealServer' / 'Data' / '01' / '00AB'
    folder.mkdir(parents=True)
    (folder / (code + '.fd')).write_bytes(open(fmt('vchart-day.fd'), 'rb').read())
    got = []
    for pkg in (bt, btib):
        feed = pkg.feeds.VChartFeed(basepath=str(tmp_path), fromdate=dt(2006, 7, 1))
        data = feed.getdata(code + '.fd')
        assert data.p.dataname == str(folder / (code + '.fd'))
        cerebro = pkg.Cerebro(stdstats=False)
        cerebro.adddata(data)
        cerebro.addstrategy(pkg.Strategy)
        cerebro.run()
        got.append(len(data))
    assert got[0] == got[1] == 128  # the feed's fromdate reaches the data


@pytest.fixture
def vchartfile_stores():
    """Both packages' VChartFile store singletons, forgotten before and after."""
    def forget():
        bt.stores.VChartFile._singleton = None
        btib.stores.VChartFile.reset()
    forget()
    yield
    forget()


@pytest.mark.parametrize('kw', [{}, dict(sessionend=datetime.time(17, 40)),
                                dict(fromdate=dt(2006, 6, 1))])
def test_vchartfile_with_store_path(vchartfile_stores, kw):
    out = []
    for pkg in (bt, btib):
        pkg.stores.VChartFile(path=str(FORMATS))
        out.append(bars(pkg, feedcls('vchartfile', 'VChartFile'), dataname='015ES', **kw))
        pkg.stores.VChartFile.reset() if pkg is btib else setattr(
            bt.stores.VChartFile, '_singleton', None)
    assert len(out[0]) > 100 and same(out[0], out[1])
    if not kw:
        assert out[1][0][5:7] == (164794.0, 1511674.0)  # volume, open interest


def test_vchartfile_errors(vchartfile_stores, tmp_path):
    with pytest.raises(ValueError, match='VChartFile: give path='):
        bars(btib, feedcls('vchartfile', 'VChartFile'), dataname='015ES')
    btib.stores.VChartFile.reset()
    btib.stores.VChartFile(path=str(tmp_path))
    # backtrader loads nothing, silently, when the file is missing
    with pytest.raises(FileNotFoundError, match='010015ES.fd: cannot open VisualChart file'):
        bars(btib, feedcls('vchartfile', 'VChartFile'), dataname='015ES')
    with pytest.raises(ValueError, match='tick files'):
        bars(btib, feedcls('vchartfile', 'VChartFile'), dataname='015ES',
             timeframe=btib.TimeFrame.Ticks)


def test_vchart_binary_bad_records(tmp_path):
    rec = struct.pack('<IffffII', 2006 * 500 + 1 * 32 + 2, 1, 2, 0.5, 1.5, 10, 0)
    cut = tmp_path / 'cut.fd'
    cut.write_bytes(rec + rec[:10])
    with pytest.raises(FeedDataError, match=r'38 bytes .*\(record 2 is cut short\)'):
        bars(btib, feedcls('vchart', 'VChartData'), dataname=str(cut))
    bad = tmp_path / 'bad.fd'
    bad.write_bytes(rec + struct.pack('<IffffII', 2006 * 500 + 2 * 32 + 30, 1, 2, 0.5, 1.5, 1, 0))
    with pytest.raises(FeedDataError, match=r'record 2: date 2006-2-30 is not a calendar date'):
        bars(btib, feedcls('vchart', 'VChartData'), dataname=str(bad))
    badt = tmp_path / 'bad.min'
    badt.write_bytes(struct.pack('<IIffffII', 2006 * 500 + 32 + 2, 90000, 1, 2, 0.5, 1.5, 1, 0))
    with pytest.raises(FeedDataError, match=r'record 1: time 90000 is not seconds of a day'):
        bars(btib, feedcls('vchart', 'VChartData'), dataname=str(badt))


# -- BlazeData: any iterable of rows ----------------------------------------------------

def _rows():
    out = []
    for line in open(SHARED_DATA / '2006-volume-day-001.txt').read().splitlines()[1:]:
        f = line.split(',')
        y, m, d = (int(x) for x in f[0].split('-'))
        out.append((dt(y, m, d, 17, 30), *(float(x) for x in f[1:7])))
    return out


@pytest.mark.parametrize('kw', [{}, dict(volume=-1, openinterest=-1)])
def test_blazedata_rows(kw):
    rows = _rows()
    got = check(feedcls('blaze', 'BlazeData'), dataname=rows, **kw)
    assert len(got) == len(rows)


def test_blazedata_bad_row():
    rows = _rows()[:5] + [('2006-02-01', 1.0, 2.0, 0.5, 1.0, 0.0, 0.0)]
    with pytest.raises(FeedDataError, match=r"row 5: datetime '2006-02-01' is not a datetime"):
        bars(btib, feedcls('blaze', 'BlazeData'), dataname=rows)


# -- names kept, features not supported ---------------------------------------------------

@pytest.mark.parametrize('make, why', [
    (lambda: btib.feeds.VCData(dataname='015ES'), "VisualChart's Windows COM server"),
    (lambda: btib.stores.VCStore(), "VisualChart's Windows COM server"),
    (lambda: btib.brokers.VCBroker(), "VisualChart's Windows COM server"),
    (lambda: btib.feeds.InfluxDB(database='x'), 'InfluxDB 1.x server'),
    (lambda: btib.feeds.YahooFinanceData(dataname='ORCL'), 'YahooFinanceCSVData'),
    (lambda: btib.feeds.YahooFinance().getdata('ORCL'), 'YahooFinanceCSVData'),
])
def test_unsupported_feeds_say_why(make, why):
    with pytest.raises(UnsupportedError, match=why):
        make()


def test_vccomminfo_values_size_times_price():
    ci = btib.brokers.vcbroker.VCCommInfo()
    ref = bt.brokers.vcbroker.VCCommInfo()
    for size, price in ((3, 10.5), (-2, 99.0)):
        assert ci.getvaluesize(size, price) == ref.getvaluesize(size, price) == abs(size) * price
        assert ci.getoperationcost(size, price) == ref.getoperationcost(size, price)


# -- the formats on the command line (backtrader's btrun --format names) ------------------

@pytest.mark.parametrize('fmtname, name', [('vchartcsv', 'vchart-volume-day.csv'),
                                           ('sierracsv', 'sierrachart-day.csv'),
                                           ('mt4csv', 'mt4-min.csv')])
def test_btrun_formats_same_as_backtrader(fmtname, name):
    import contextlib
    from backtrader.btrun import btrun as ref_btrun
    from backtrader_ib.btrun import btrun
    args = ['--data', fmt(name), '--format', fmtname, '--strategy', ':MA_CrossOver:fast=5,slow=20',
            '--analyzer', ':TradeAnalyzer', '--pranalyzer']
    if fmtname == 'mt4csv':
        args += ['--timeframe', 'minutes', '--compression', '5']
    outs = []
    for run in (ref_btrun, btrun):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            run(list(args))
        outs.append(out.getvalue().split('Final value')[0])
    assert 'total' in outs[0] and outs[1] == outs[0]
