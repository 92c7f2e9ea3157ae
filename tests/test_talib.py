"""bt.talib: TA-Lib functions as indicators, against backtrader's bridge."""
from __future__ import annotations

import importlib

import numpy as np
import pytest

from conftest import shared_file
from difftools import MODES, reference

talib = pytest.importorskip('talib', reason='TA-Lib is not installed (pip install TA-Lib)')

CASES = {
    'SMA': lambda t, d: t.SMA(d.close, timeperiod=15),
    'EMA': lambda t, d: t.EMA(d.close, timeperiod=10),
    'BBANDS': lambda t, d: t.BBANDS(d.close, timeperiod=20, nbdevup=2.0),
    'ATR': lambda t, d: t.ATR(d.high, d.low, d.close, timeperiod=14),
    'RSI': lambda t, d: t.RSI(d.close),
    'MACD': lambda t, d: t.MACD(d.close),
    'STOCH': lambda t, d: t.STOCH(d.high, d.low, d.close),
    'CDLDOJI': lambda t, d: t.CDLDOJI(d.open, d.high, d.low, d.close),
    'SAR': lambda t, d: t.SAR(d.high, d.low),
}


def collect(bt, tlib, name, mode):
    make = CASES[name]

    class S(bt.Strategy):
        def __init__(self):
            self.ind = make(tlib, self.data)

    c = bt.Cerebro(**MODES[mode])
    c.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-day-001.txt')))
    c.addstrategy(S)
    s = c.run()[0]
    n = len(s.data)
    return s.ind._minperiod, [np.asarray(line.array, dtype=float)[:n] for line in s.ind.lines]


@pytest.mark.parametrize('mode', ['runonce', 'next'])
@pytest.mark.parametrize('name', list(CASES))
def test_same_values_as_backtrader(name, mode):
    import backtrader_ib
    ref = reference()
    ref_talib = importlib.import_module('backtrader.talib')
    mp1, lines1 = collect(ref, ref_talib, name, mode)
    mp2, lines2 = collect(backtrader_ib, backtrader_ib.talib, name, mode)
    assert mp1 == mp2
    assert len(lines1) == len(lines2)
    for a, b in zip(lines1, lines2):
        np.testing.assert_array_equal(a, b)
        assert np.isfinite(b).any()


def test_every_function_is_an_indicator():
    import backtrader_ib as bt
    names = talib.get_functions()
    assert len(names) > 150
    for name in names:
        cls = getattr(bt.talib, name)
        assert issubclass(cls, bt.Indicator)
        assert cls.lines._getlines()
