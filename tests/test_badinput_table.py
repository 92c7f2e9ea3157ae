"""Bad input, table-driven: each row is an input, the error (or warning) it must
raise, and a piece of the message naming the culprit (issue 15, part 2).

Cases already covered elsewhere (negative size, missing prices, malformed CSV
rows, unsorted timestamps...) live in test_badinput.py, test_feeds_badinput.py
and test_broker_badinput.py.
"""
from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import backtrader_ib as bt
from backtrader_ib.feed import FeedDataError
from conftest import shared_file

HEAD = 'Date,Open,High,Low,Close,Volume,OpenInterest\n'
YHEAD = 'Date,Open,High,Low,Close,Adj Close,Volume\n'


def frame(n=20, tz=None) -> pd.DataFrame:
    idx = pd.date_range('2021-01-04', periods=n, freq='D', tz=tz)
    base = np.linspace(10, 20, n)
    return pd.DataFrame({'open': base, 'high': base + 1, 'low': base - 1, 'close': base + 0.5,
                         'volume': 100.0}, index=idx)


def edited(**cells) -> pd.DataFrame:
    """frame() with ``column=(row, value)`` cells changed."""
    df = frame()
    for col, (row, value) in cells.items():
        df.iloc[row, df.columns.get_loc(col)] = value
    return df


def run_cerebro(*datas, strat=bt.Strategy, setup=None):
    cerebro = bt.Cerebro()
    for d in datas:
        cerebro.adddata(d)
    cerebro.addstrategy(strat)
    if setup is not None:
        setup(cerebro)
    return cerebro.run()[0]


def pandas(df, **kw):
    return lambda: run_cerebro(bt.feeds.PandasData(dataname=df, **kw))


def csv(text, cls=bt.feeds.GenericCSVData, **kw):
    def go(tmp_path):
        path = tmp_path / 'bad.csv'
        path.write_text(text)
        return run_cerebro(cls(dataname=str(path), **kw))
    return go


def on_bar(act, n=3):
    """Run ``act(strategy)`` in next() on bar ``n`` of the daily file."""
    class Act(bt.Strategy):
        def next(self):
            if len(self) == n:
                act(self)
    return lambda: run_cerebro(bt.feeds.BacktraderCSVData(dataname=shared_file(
        '2006-day-001.txt')), strat=Act)


def with_broker(setup):
    return lambda: run_cerebro(bt.feeds.PandasData(dataname=frame()), setup=setup)


def indicator(cls, **params):
    class Build(bt.Strategy):
        def __init__(self):
            cls(**params)
    return lambda: run_cerebro(bt.feeds.PandasData(dataname=frame()), strat=Build)


def _foreign_data_order(s):
    other = bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt'), name='other')
    s.buy(data=other, size=1)


NAN, INF = math.nan, math.inf
L, ST, STL, SL = bt.Order.Limit, bt.Order.StopTrail, bt.Order.StopTrailLimit, bt.Order.StopLimit

# (id, action, exception, message pattern); an action taking ``tmp_path`` gets one
ERRORS = [
    # -- PandasData columns and content
    ('pandas-misnamed-columns',
     pandas(pd.DataFrame({'Price': [1.0, 2.0], 'Vol': [5.0, 6.0]},
                         index=pd.date_range('2021-01-04', periods=2))),
     ValueError, r"PandasData: no column for open, high, low, close .*columns \['Price', 'Vol'\]"),
    ('pandas-no-open-column', pandas(frame().drop(columns=['open'])),
     ValueError, r"no column for open \(looked for 'open'.*pass open=None"),
    ('pandas-empty', pandas(frame().iloc[:0]), FeedDataError,
     'PandasData: the DataFrame has no data rows'),
    ('pandas-empty-named', pandas(frame().iloc[:0], name='spy'), FeedDataError,
     "PandasData: the DataFrame 'spy' has no data rows"),
    ('pandas-no-columns-at-all', pandas(pd.DataFrame()), FeedDataError,
     'the DataFrame has no data rows'),
    ('pandas-not-a-frame', pandas('prices.csv'), TypeError,
     'PandasData: dataname must be a pandas DataFrame, got str'),
    ('pandas-tzinput-with-aware-index', pandas(frame(tz='UTC'), tzinput='America/New_York'),
     ValueError, r"tzinput='America/New_York' with a time-zone-aware datetime index.*drop tzinput"),
    ('pandas-inf-close', pandas(edited(close=(1, INF))), FeedDataError,
     r'DataFrame: row 2021-01-05 00:00:00: close is inf'),
    ('pandas-minus-inf-low', pandas(edited(low=(2, -INF))), FeedDataError,
     r'row 2021-01-06 00:00:00: low is -inf'),
    ('pandas-negative-volume', pandas(edited(volume=(3, -2.0))), FeedDataError,
     r'row 2021-01-07 00:00:00: volume is -2.0; a volume must be >= 0'),
    ('pandas-inf-volume', pandas(edited(volume=(3, INF))), FeedDataError,
     r'row 2021-01-07 00:00:00: volume is inf'),
    ('pandas-high-low-swapped',
     pandas(frame().rename(columns={'high': 'low', 'low': 'high'})), FeedDataError,
     r'high is below low on every row .*first: row 2021-01-04.*columns swapped'),
    ('feed-fromdate-str', pandas(frame(), fromdate='2021-01-05'), TypeError,
     r"DataFrame: param fromdate must be a datetime or date, got '2021-01-05'"),
    ('feed-todate-int', pandas(frame(), todate=20210105), TypeError,
     'DataFrame: param todate must be a datetime or date, got 20210105'),
    ('feed-timeframe-str', pandas(frame(), timeframe='days'), ValueError,
     r"DataFrame: param timeframe must be a TimeFrame value .*got 'days'"),
    ('feed-compression-0', pandas(frame(), compression=0), ValueError,
     'DataFrame: param compression must be a positive integer, got 0'),
    # -- CSV files: no data rows, impossible values
    ('csv-empty', csv(''), FeedDataError, r'GenericCSVData: .*bad\.csv has no data rows'),
    ('csv-header-only', csv(HEAD), FeedDataError, r'GenericCSVData: .*bad\.csv has no data rows'),
    ('btcsv-header-only', csv(HEAD, bt.feeds.BacktraderCSVData), FeedDataError,
     r'BacktraderCSVData: .*bad\.csv has no data rows'),
    ('yahoo-empty', csv('', bt.feeds.YahooFinanceCSVData), FeedDataError,
     r'YahooFinanceCSVData: .*bad\.csv has no data rows'),
    ('yahoo-header-only', csv(YHEAD, bt.feeds.YahooFinanceCSVData), FeedDataError,
     r'YahooFinanceCSVData: .*bad\.csv has no data rows'),
    ('csv-inf-high', csv(HEAD + '2020-01-02,1,2,0.5,1.5,10,0\n2020-01-03,1,inf,0.5,1.5,10,0\n',
                         dtformat='%Y-%m-%d'),
     FeedDataError, r'bad\.csv: row 3: high is inf'),
    ('csv-negative-volume', csv(HEAD + '2020-01-02,1,2,0.5,1.5,-10,0\n', dtformat='%Y-%m-%d'),
     FeedDataError, r'bad\.csv: row 2: volume is -10.0'),
    ('btcsv-negative-openinterest',
     csv(HEAD + '2020-01-02,1,2,0.5,1.5,10,-3\n', bt.feeds.BacktraderCSVData),
     FeedDataError, r'bad\.csv: row 2: openinterest is -3.0'),
    # -- orders: raised at the buy()/sell() call, naming the argument
    ('order-size-nan', on_bar(lambda s: s.buy(size=NAN)), ValueError,
     'buy: size must be a finite number, got nan'),
    ('order-size-inf', on_bar(lambda s: s.sell(size=INF)), ValueError,
     'sell: size must be a finite number, got inf'),
    ('order-market-price-nan', on_bar(lambda s: s.buy(size=1, price=NAN)), ValueError,
     'buy: order price must be a finite number, got nan'),
    ('order-limit-price-inf', on_bar(lambda s: s.sell(size=1, exectype=L, price=INF)),
     ValueError, 'sell: order price must be a finite number, got inf'),
    ('order-plimit-nan', on_bar(lambda s: s.buy(size=1, exectype=SL, price=3000.0, plimit=NAN)),
     ValueError, 'buy: order plimit must be a finite number, got nan'),
    ('order-price-str', on_bar(lambda s: s.buy(size=1, exectype=L, price='3000')), ValueError,
     "buy: order price must be a finite number, got '3000'"),
    ('order-trailamount-negative', on_bar(lambda s: s.sell(size=1, exectype=ST, trailamount=-1)),
     ValueError, 'sell: order trailamount must not be negative, got -1'),
    ('order-trailpercent-negative',
     on_bar(lambda s: s.sell(size=1, exectype=STL, trailpercent=-0.02, plimit=3000.0)),
     ValueError, 'sell: order trailpercent must not be negative'),
    ('order-trailpercent-nan', on_bar(lambda s: s.buy(size=1, exectype=ST, trailpercent=NAN)),
     ValueError, 'buy: order trailpercent must be a finite number, got nan'),
    # a market order carries no trail, but a bad value is still refused (not dropped)
    ('order-market-trailamount-nan', on_bar(lambda s: s.buy(size=1, trailamount=NAN)),
     ValueError, 'buy: order trailamount must be a finite number, got nan'),
    ('order-size-negative', on_bar(lambda s: s.sell(size=-1)), ValueError,
     r'sell: size must not be negative, got -1 \(use buy\(\) for the other side\)'),
    ('order-data-not-in-cerebro', on_bar(_foreign_data_order), ValueError,
     "buy: data 'other' is not a data feed of this run"),
    ('order-exectype-unknown', on_bar(lambda s: s.buy(size=1, exectype=99)), ValueError,
     r'buy: order exectype must be one of Order.Market, Order.Close, .*, got 99'),
    ('order-exectype-str', on_bar(lambda s: s.sell(size=1, exectype='Limit', price=1.0)),
     ValueError, r"sell: order exectype must be one of .*, got 'Limit'"),
    ('order-data-unknown-name', on_bar(lambda s: s.buy(data='spy', size=1)), KeyError,
     r"no data named 'spy'; the names are \['2006-day-001'\]"),
    ('bracket-stopprice-nan',
     on_bar(lambda s: s.buy_bracket(size=1, price=3000.0, stopprice=NAN, limitprice=4000.0)),
     ValueError, 'buy_bracket: stopprice must be a finite number, got nan'),
    ('bracket-limitprice-inf',
     on_bar(lambda s: s.sell_bracket(size=1, price=4000.0, stopprice=4100.0, limitprice=INF)),
     ValueError, 'sell_bracket: limitprice must be a finite number, got inf'),
    ('target-percent-nan', on_bar(lambda s: s.order_target_percent(target=NAN)), ValueError,
     'order_target_percent: target must be a finite number, got nan'),
    ('target-size-nan', on_bar(lambda s: s.order_target_size(target=NAN)), ValueError,
     'order_target_size: target must be a finite number, got nan'),
    ('target-value-inf', on_bar(lambda s: s.order_target_value(target=INF)), ValueError,
     'order_target_value: target must be a finite number, got inf'),
    ('target-value-str', on_bar(lambda s: s.order_target_value(target='1000')), ValueError,
     "order_target_value: target must be a finite number, got '1000'"),
    ('target-value-price-nan',
     on_bar(lambda s: s.order_target_value(target=5000.0, price=NAN)), ValueError,
     'order_target_value: price must be a finite number, got nan'),
    ('target-percent-price-inf',
     on_bar(lambda s: s.order_target_percent(target=0.5, price=INF)), ValueError,
     'order_target_percent: price must be a finite number, got inf'),
    # -- broker and commission settings
    ('setcash-negative', with_broker(lambda c: c.broker.setcash(-1000)), ValueError,
     'set_cash: cash must be a finite number > 0, got -1000'),
    ('setcash-nan', with_broker(lambda c: c.broker.setcash(NAN)), ValueError,
     'set_cash: cash must be a finite number > 0, got nan'),
    ('broker-cash-param', with_broker(lambda c: c.setbroker(bt.brokers.BackBroker(cash=-5.0))),
     ValueError, 'BackBroker: param cash: cash must be a finite number > 0, got -5.0'),
    ('setcash-zero', with_broker(lambda c: c.broker.setcash(0)), ValueError,
     'set_cash: cash must be a finite number > 0, got 0'),  # backtrader: ZeroDivisionError
    ('slippage-perc-nan', with_broker(lambda c: c.broker.set_slippage_perc(NAN)), ValueError,
     'set_slippage_perc: slippage must be a finite number >= 0, got nan'),
    ('slippage-fixed-negative', with_broker(lambda c: c.broker.set_slippage_fixed(-0.5)),
     ValueError, 'set_slippage_fixed: slippage must be a finite number >= 0, got -0.5'),
    ('broker-slip-param', with_broker(lambda c: c.setbroker(bt.brokers.BackBroker(
        slip_perc=INF))), ValueError, 'BackBroker: param slip_perc: slippage must be a finite'),
    ('add-cash-inf', with_broker(lambda c: c.broker.add_cash(INF)), ValueError,
     'add_cash: cash must be a finite number, got inf'),
    ('commission-nan', with_broker(lambda c: c.broker.setcommission(commission=NAN)),
     ValueError, 'CommInfoBase: param commission must be a finite number, got nan'),
    ('commission-mult-zero', with_broker(lambda c: c.broker.setcommission(mult=0)),
     ValueError, 'CommInfoBase: param mult must be > 0, got 0'),
    ('commission-margin-negative', with_broker(lambda c: c.broker.setcommission(margin=-5.0)),
     ValueError, 'CommInfoBase: param margin must not be negative, got -5.0'),
    ('commission-leverage-inf', with_broker(lambda c: c.broker.setcommission(leverage=INF)),
     ValueError, 'CommInfoBase: param leverage must be a finite number, got inf'),
    ('comminfo-subclass-mult-negative', lambda: bt.commissions.CommInfo_Futures_Fixed(mult=-1),
     ValueError, 'CommInfo_Futures_Fixed: param mult must be > 0, got -1'),
    # -- indicator periods: at construction, naming the indicator and the param
    ('sma-period-0', indicator(bt.ind.SMA, period=0), ValueError,
     'SMA: param period must be a positive integer, got 0'),
    ('sma-period-negative', indicator(bt.ind.SMA, period=-3), ValueError,
     'SMA: param period must be a positive integer, got -3'),
    ('sma-period-fraction', indicator(bt.ind.SMA, period=2.5), ValueError,
     'SMA: param period must be a positive integer, got 2.5'),
    ('sma-period-str', indicator(bt.ind.SMA, period='5'), ValueError,
     "SMA: param period must be a positive integer, got '5'"),
    ('sma-period-none', indicator(bt.ind.SMA, period=None), ValueError,
     'SMA: param period must be a positive integer, got None'),
    ('sma-period-bool', indicator(bt.ind.SMA, period=True), ValueError,
     'SMA: param period must be a positive integer, got True'),
    ('ema-period-nan', indicator(bt.ind.EMA, period=NAN), ValueError,
     'EMA: param period must be a positive integer, got nan'),
    ('macd-period-me2', indicator(bt.ind.MACD, period_me2=0), ValueError,
     'MACD: param period_me2 must be a positive integer, got 0'),
    ('stochastic-dfast', indicator(bt.ind.Stochastic, period_dfast=-1), ValueError,
     'Stochastic: param period_dfast must be a positive integer, got -1'),
    ('awesome-oscillator-fast', indicator(bt.ind.AwesomeOscillator, fast=0), ValueError,
     'AwesomeOscillator: param fast must be a positive integer, got 0'),
    ('ichimoku-tenkan', indicator(bt.ind.Ichimoku, tenkan=1.5), ValueError,
     'Ichimoku: param tenkan must be a positive integer, got 1.5'),
    ('rmi-lookback', indicator(bt.ind.RMI, lookback=0), ValueError,
     'RMI: param lookback must be a positive integer, got 0'),
]


def _call(action, tmp_path):
    if 'tmp_path' in action.__code__.co_varnames[:action.__code__.co_argcount]:
        return action(tmp_path)
    return action()


@pytest.mark.parametrize('action,exc,pattern', [r[1:] for r in ERRORS],
                         ids=[r[0] for r in ERRORS])
def test_bad_input_raises(tmp_path, action, exc, pattern):
    with pytest.raises(exc, match=pattern):
        _call(action, tmp_path)


# Accepted by backtrader and used on real data: run, with a warning naming the place.
WARNINGS = [
    ('pandas-negative-price', pandas(edited(low=(3, -2.0))),
     r'DataFrame: 1 row\(s\) with a negative price \(first: row 2021-01-07 00:00:00, .*low=-2.0'),
    ('pandas-some-high-below-low', pandas(edited(high=(5, 0.0))),
     r'1 row\(s\) with high below low \(first: row 2021-01-09 00:00:00, high=0.0'),
    ('csv-negative-prices',
     csv(HEAD + '2020-04-17,18.3,18.4,17.3,18.3,10,0\n2020-04-20,17.7,17.9,-40.3,-37.6,10,0\n',
         dtformat='%Y-%m-%d'),
     r'bad\.csv: 1 row\(s\) with a negative price \(first: row 3, '),
    ('volume-minus-one-ib-unknown', pandas(edited(volume=(2, -1.0))),
     r'DataFrame: volume is -1 on 1 row\(s\) \(first: row 2021-01-06 00:00:00\); kept as is'),
    ('commission-negative', with_broker(lambda c: c.broker.setcommission(commission=-0.001)),
     r'CommInfoBase: commission=-0.001 is negative: every trade earns it as a rebate'),
]


@pytest.mark.parametrize('action,pattern', [r[1:] for r in WARNINGS],
                         ids=[r[0] for r in WARNINGS])
def test_odd_input_warns(tmp_path, action, pattern):
    with pytest.warns(UserWarning, match=pattern) as record:
        _call(action, tmp_path)
    # pointed at the user's code, not at the framework's
    assert not any('backtrader_ib' in w.filename for w in record
                   if re.search(pattern, str(w.message)))


# -- accepted values --------------------------------------------------------

@pytest.mark.parametrize('period', [5, np.int64(5), np.int32(5), 5.0, np.float64(5.0)])
def test_period_values_accepted(period):
    """numpy ints (backtrader too) and integral floats (backtrader: TypeError)."""
    out = {}

    class S(bt.Strategy):
        def __init__(self):
            self.sma = bt.ind.SMA(period=period)

        def stop(self):
            out['sma'] = list(self.sma.array)
            out['period'] = self.sma.p.period

    run_cerebro(bt.feeds.PandasData(dataname=frame()), strat=S)
    assert out['period'] == 5 and type(out['period']) is int
    closes = frame()['close'].to_numpy()
    assert out['sma'][4:] == pytest.approx([closes[i - 4:i + 1].mean() for i in range(4, 20)])


def test_user_indicator_with_optional_period_is_not_checked():
    """A period-like param whose default is not a bar count keeps its own meaning."""
    class Maybe(bt.Indicator):
        lines = ('x',)
        params = (('period', None),)

        def __init__(self):
            self.lines.x = self.data.close * (2 if self.p.period is None else 1)

    indicator(Maybe)()
    indicator(Maybe, period=0)()


def test_numpy_int_order_size():
    made = []
    on_bar(lambda s: made.append(s.buy(size=np.int64(1))))()
    assert made[0].status == bt.Order.Completed and made[0].executed.size == 1


def test_missing_volume_and_openinterest_are_nan_as_in_backtrader():
    from difftools import reference
    df = frame().drop(columns=['volume'])
    seen = {}
    for pkg in (reference(), bt):
        data = pkg.feeds.PandasData(dataname=df)
        cerebro = pkg.Cerebro()
        cerebro.adddata(data)
        cerebro.addstrategy(pkg.Strategy)
        cerebro.run()
        seen[pkg.__name__] = (list(data.volume.array), list(data.openinterest.array),
                              list(data.close.array))
    ref, new = seen['backtrader'], seen['backtrader_ib']
    assert all(math.isnan(v) for v in new[0] + new[1])
    assert all(math.isnan(v) for v in ref[0] + ref[1])
    assert new[2] == ref[2]


def test_absent_price_line_by_choice_is_allowed():
    """open=None says the data has no open: no error (the line is NaN)."""
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        s = pandas(frame().drop(columns=['open']), open=None)()
    assert math.isnan(s.data.open[0]) and s.data.close[0] == frame()['close'].iloc[-1]


def test_bad_row_outside_the_fromdate_window_is_still_an_error():
    """Like the other checks, the whole source is checked (feeds.md, Bad input)."""
    import datetime
    with pytest.raises(FeedDataError, match='row 2021-01-04 00:00:00: close is inf'):
        pandas(edited(close=(0, INF)), fromdate=datetime.datetime(2021, 1, 6))()


def test_tzinput_with_naive_index_still_works():
    s = pandas(frame(), tzinput='America/New_York')()
    # midnight New York is 05:00 UTC
    assert s.data.datetime.datetime(-len(s.data) + 1).hour == 5


def test_backtrader_runs_misnamed_columns_as_nan():
    """The silent result docs/differences.md describes for backtrader."""
    from difftools import reference
    btr = reference()
    df = pd.DataFrame({'Price': [1.0, 2.0, 3.0], 'Vol': [5.0, 6.0, 7.0]},
                      index=pd.date_range('2021-01-04', periods=3))
    data = btr.feeds.PandasData(dataname=df)
    cerebro = btr.Cerebro()
    cerebro.adddata(data)
    cerebro.addstrategy(btr.Strategy)
    cerebro.run()
    assert len(data) == 3 and all(math.isnan(v) for v in data.close.array)
