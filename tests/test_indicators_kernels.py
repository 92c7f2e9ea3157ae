"""The indicators' NumPy kernels against the Python code they replace, on
random data (long series, NaN, ties, all the awkward cases)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from backtrader_ib.indicators import _kernels as K
from backtrader_ib.indicators._lines import _and, _pow, _vand


@pytest.fixture
def rng():
    return np.random.default_rng(20061229)


def _same(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and bool(((a == b) | (np.isnan(a) & np.isnan(b))).all())


def test_rows_fsum_is_math_fsum(rng):
    m = rng.normal(0, 1, (3000, 17)) * 10.0 ** rng.integers(-8, 9, (3000, 17))
    m[5] = [1e16, 1.0, -1e16] + [0.0] * 14  # cancellation
    assert _same(K.rows_fsum(m), [math.fsum(r) for r in m.tolist()])


def test_window_sum_is_math_fsum(rng):
    x = 4000 + np.cumsum(rng.normal(0, 10, 20000)).round(2)
    for period in (1, 2, 14, 30):
        got = K.window_sum(x, period - 1, len(x), period)
        want = [math.fsum(x[i - period + 1:i + 1].tolist()) for i in range(period - 1, len(x))]
        assert _same(got, want)


@pytest.mark.parametrize('alpha', [2.0 / 31.0, 1.0 / 14.0, 0.3])
def test_smooth_is_the_loop(rng, alpha):
    x = 4000 + np.cumsum(rng.normal(0, 10, 50000))
    alpha1 = 1.0 - alpha
    want, p = [], 4000.123
    for v in x.tolist():
        p = p * alpha1 + v * alpha
        want.append(p)
    assert _same(K.smooth(4000.123, x, alpha, alpha1), want)
    x[100] = np.nan  # the loop fallback
    want, p = [], 4000.123
    for v in x.tolist():
        p = p * alpha1 + v * alpha
        want.append(p)
    assert _same(K.smooth(4000.123, x, alpha, alpha1), want)


def test_max_min_python_rules(rng):
    a, b, c = (rng.integers(0, 4, 5000).astype(float) for _ in range(3))
    for arr in (a, b, c):
        arr[rng.integers(0, 5000, 300)] = np.nan
    assert _same(K.py_max(a, b, c), [max(x, y, z) for x, y, z in zip(a, b, c)])
    assert _same(K.py_min(a, b, c), [min(x, y, z) for x, y, z in zip(a, b, c)])
    assert _same(_vand(a, b), [_and(x, y) for x, y in zip(a, b)])


def test_window_extremes_and_indexes(rng):
    x = rng.integers(0, 6, 3000).astype(float)  # many ties
    x[rng.integers(0, 3000, 100)] = np.nan
    w = K.windows(x, 9, len(x), 10)
    rows = w.tolist()
    assert _same(K.window_max(w), [max(r) for r in rows])
    assert _same(K.window_min(w), [min(r) for r in rows])
    clean = [i for i, r in enumerate(rows) if not any(v != v for v in r)]
    wc = w[clean]
    m = K.window_max(wc)
    want = [next(i for i, v in enumerate(reversed(r)) if v == mx) for r, mx in zip(wc.tolist(), m)]
    assert _same(K.first_index_reversed(wc, m), want)
    want = [r.index(mx) for r, mx in zip(wc.tolist(), m)]
    assert _same(K.first_index(wc, m), want)


@pytest.mark.parametrize('e', [2, 0.5, 3.7])
def test_pypow_is_c_pow(rng, e):
    x = rng.random(20000) * 5000
    assert _same(K.pypow(x, e), [pow(v, e) for v in x.tolist()])
    assert math.isnan(_pow(-2.0, 0.5)) and _pow(0.0, -1.0) == math.inf


@pytest.mark.parametrize('runonce', [True, False])
def test_data_shorter_than_the_period(runonce):
    """backtrader raises IndexError in runonce; here the lines are all NaN."""
    import backtrader_ib as bt
    from conftest import shared_file
    cerebro = bt.Cerebro(stdstats=False, runonce=runonce)
    cerebro.adddata(bt.feeds.BacktraderCSVData(dataname=shared_file('2006-week-002.txt')))

    class Probe(bt.Strategy):
        def __init__(self):
            self.inds = [cls(self.data, period=40) for cls in (
                bt.ind.SMA, bt.ind.EMA, bt.ind.WMA, bt.ind.Highest, bt.ind.SumN,
                bt.ind.BBands, bt.ind.PercentRank, bt.ind.Hurst)]
            self.inds.append(bt.studies.Fractal(self.data, period=40))

    cerebro.addstrategy(Probe)
    strat = cerebro.run()[0]
    for ind in strat.inds:
        for line in ind.lines:
            assert np.isnan(line.array).all()
