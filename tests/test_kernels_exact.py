"""Property tests: the fast exact kernels against the Python they stand for.

window_fsum / window_dot_fsum against ``math.fsum``, sliding max/min against
``max``/``min``, pypow against ``pow``, smooth_dynamic against its loop; on
nasty inputs (huge and tiny magnitudes, cancellation, ties, inf/NaN, period
1, windows longer than the data, long series that cross chunk boundaries).
"""
from __future__ import annotations

import math
import operator

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from backtrader_ib import mathsupport as M
from backtrader_ib.indicators import _kernels as K
from backtrader_ib.indicators._lines import _pow

# any double, inf and NaN included
ANY = st.floats(allow_nan=True, allow_infinity=True)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
# magnitudes from 1e-300 to 1e300 with either sign, and zeros
WIDE = st.builds(lambda m, e: m * 10.0 ** e, st.floats(-10, 10), st.integers(-300, 300))


def _outcome(f, *args):
    """f(*args), or the type of the exception it raises."""
    try:
        return f(*args)
    except (ValueError, OverflowError) as exc:
        return type(exc)


def _same(a, b) -> bool:
    if isinstance(a, type) or isinstance(b, type):
        return a is b
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and bool(((a == b) | (np.isnan(a) & np.isnan(b))).all())


def _fsums(x: list, n: int):
    return [math.fsum(x[i:i + n]) for i in range(len(x) - n + 1)]


def _dots(x: list, w: list):
    n = len(w)
    return [math.fsum(map(operator.mul, x[i:i + n], w)) for i in range(len(x) - n + 1)]


def _sums_agree(values, n) -> None:
    want = _outcome(_fsums, values, n)
    got = _outcome(M.window_fsum, np.array(values, dtype=float), n)
    assert _same(got, want)
    if not isinstance(got, type):
        assert not np.signbit(got[got == 0.0]).any()  # fsum never gives -0.0


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(FINITE, WIDE, ANY), max_size=60), st.integers(1, 70))
def test_window_fsum_any_doubles(values, n):
    _sums_agree(values, n)


@settings(max_examples=200, deadline=None)
@given(st.lists(WIDE, min_size=1, max_size=60), st.integers(1, 12))
def test_window_fsum_wide_magnitudes(values, n):
    _sums_agree(values, n)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([1.0, -1.0, 2.0 ** -53, -2.0 ** -53, 2.0 ** -54, 3.0 * 2.0 ** -53,
                                 1e16, -1e16, 0.1, 0.0, -0.0, 2.0 ** 52, 0.5]),
                min_size=1, max_size=40),
       st.integers(1, 8))
def test_window_fsum_ties_and_cancellation(values, n):
    _sums_agree(values, n)


def test_window_fsum_long_series_cross_chunks():
    rng = np.random.default_rng(42)
    x = 100 + np.cumsum(rng.normal(0, 1, 3 * M._CHUNK + 77))
    x[5000] = np.nan
    x[M._CHUNK - 3] = 1e-17                 # a tiny value in one chunk
    x[2 * M._CHUNK + 10] = np.inf
    x[2 * M._CHUNK + 50] = 3e-300          # spans too wide for two grids
    for n in (1, 7, 30):
        want = _fsums(x.tolist(), n)
        assert _same(M.window_fsum(x, n), want)


def test_window_fsum_rejects_empty_window():
    with pytest.raises(ValueError, match='n=0'):
        M.window_fsum(np.ones(3), 0)


WEIGHTS = st.lists(st.one_of(st.integers(-40, 40).map(float), FINITE, WIDE), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(FINITE, WIDE, ANY), max_size=40), WEIGHTS)
def test_window_dot_fsum_any(values, weights):
    want = _outcome(_dots, values, weights)
    got = _outcome(M.window_dot_fsum, np.array(values, dtype=float), weights)
    assert _same(got, want)


def test_window_dot_fsum_wma_weights_on_prices():
    rng = np.random.default_rng(3)
    x = np.round(50 + np.cumsum(rng.normal(0, 1, M._CHUNK + 500)), 2)
    for period in (1, 2, 15, 30):
        w = [float(i) for i in range(1, period + 1)]
        assert _same(M.window_dot_fsum(x, w), _dots(x.tolist(), w))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(-3, 3).map(float), FINITE,
                          st.sampled_from([float('nan'), 0.0, -0.0])),
                max_size=50),
       st.integers(1, 60))
def test_sliding_max_min_python_rules(values, n):
    x = np.array(values, dtype=float)
    for func, kernel in ((max, K.sliding_max), (min, K.sliding_min)):
        want = [func(values[i:i + n]) for i in range(len(values) - n + 1)]
        got = kernel(x, n)
        assert _same(got, want)
        assert (np.signbit(got) == np.signbit(want)).all()  # 0.0 vs -0.0 too


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ANY, WIDE, st.floats(-1e6, 1e6)), min_size=1, max_size=50),
       st.sampled_from([2, 2.0, 0.5]))
def test_pypow_is_c_pow(values, e):
    got = K.pypow(np.array(values, dtype=float), e)
    want = np.array([_pow(v, e) for v in values])
    assert _same(got, want)
    assert (np.signbit(got) == np.signbit(want))[~np.isnan(want)].all()


def test_pypow_many_near_ties():
    # squares and roots whose true value lies near a rounding boundary
    rng = np.random.default_rng(9)
    x = np.concatenate([rng.uniform(1, 5000, 200_000), (2.0 ** 26 + np.arange(1, 2000)) * 2.0 ** -20,
                        rng.uniform(0, 1e-3, 50_000)])
    for e in (2, 0.5):
        assert _same(K.pypow(x, e), [pow(v, e) for v in x.tolist()])


def _loop(prev, x, alpha, alpha1):
    out, p = [], prev
    for v, a, a1 in zip(x, alpha, alpha1):
        p = p * a1 + v * a
        out.append(p)
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.floats(-1e3, 1e3), st.sampled_from([0.0, -0.0, float('nan')])),
                          st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1.0]))),
                min_size=1, max_size=400),
       st.floats(-1e3, 1e3))
def test_smooth_dynamic_is_the_loop(pairs, prev):
    x = np.array([p[0] for p in pairs])
    alpha = np.array([p[1] for p in pairs])
    alpha1 = 1.0 - alpha
    want = _loop(prev, x.tolist(), alpha.tolist(), alpha1.tolist())
    got = K.smooth_dynamic(prev, x, alpha, alpha1)
    assert _same(got, want)
    assert (np.signbit(got) == np.signbit(want))[~np.isnan(want)].all()


def test_smooth_dynamic_long_series_sparse_path():
    rng = np.random.default_rng(1)
    n = 3 * K._REC_CHUNK + 11
    x = 100 + np.cumsum(rng.normal(0, 1, n))
    alpha = rng.uniform(0.0, 0.5, n) ** 2
    alpha[::97] = 0.0
    want = _loop(99.5, x.tolist(), alpha.tolist(), (1.0 - alpha).tolist())
    assert _same(K.smooth_dynamic(99.5, x, alpha, 1.0 - alpha), want)


@pytest.mark.parametrize('runonce', [True, False])
@pytest.mark.parametrize('weights', [(1.0, 2.0, 3.0), (0.5, -1.0, 2.0, 4.0, 8.0, 3.0, 1.0), ()])
def test_weighted_average_weights_other_than_period(runonce, weights):
    """map() stops at the shorter of window and weights: the oldest values count."""
    import pandas as pd
    import backtrader_ib as bt
    rng = np.random.default_rng(5)
    close = np.round(100 + np.cumsum(rng.normal(0, 1, 300)), 2)
    df = pd.DataFrame({'open': close, 'high': close, 'low': close, 'close': close,
                       'volume': 1.0}, index=pd.date_range('2020-01-01', periods=300))
    cerebro = bt.Cerebro(stdstats=False, runonce=runonce)
    cerebro.adddata(bt.feeds.PandasData(dataname=df))

    class Probe(bt.Strategy):
        def __init__(self):
            self.wa = bt.ind.WeightedAverage(self.data, period=5, coef=0.25, weights=weights)

    cerebro.addstrategy(Probe)
    got = cerebro.run()[0].wa.lines[0].array
    xs = close.tolist()
    want = [math.nan] * 4 + [0.25 * math.fsum(map(operator.mul, xs[i - 4:i + 1], weights))
                             for i in range(4, len(xs))]
    assert _same(got, want)
