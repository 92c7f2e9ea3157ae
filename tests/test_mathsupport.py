"""window_fsum must equal math.fsum over every window, bit for bit."""
from __future__ import annotations

import math

import pytest

import numpy as np
from hypothesis import given, settings, strategies as st

from backtrader_ib.mathsupport import window_fsum


def reference(x, n):
    return [math.fsum(x[i:i + n]) for i in range(len(x) - n + 1)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=80),
       st.integers(min_value=1, max_value=40))
def test_random_windows(values, n):
    x = np.array(values)
    assert window_fsum(x, n).tolist() == reference(values, n)


def test_prices_like_data_and_ties():
    rng = np.random.default_rng(7)
    prices = np.round(rng.uniform(1, 5000, 20000), 2)
    for n in (2, 10, 30, 200):
        assert window_fsum(prices, n).tolist() == reference(prices.tolist(), n)
    # exact ties: values that sum to midpoints between doubles
    tie = np.array([1.0, 2.0 ** -53, 2.0 ** -53, 1.0, 2.0 ** -53] * 20)
    assert window_fsum(tie, 3).tolist() == reference(tie.tolist(), 3)
    # cancellation
    canc = np.array([1e16, 1.0, -1e16, 3.0, 1e-3, -2.0] * 50)
    assert window_fsum(canc, 4).tolist() == reference(canc.tolist(), 4)


def test_nan_and_inf_propagate_like_fsum():
    x = np.array([1.0, np.nan, 2.0, 3.0, np.inf, 4.0, 5.0])
    got = window_fsum(x, 2).tolist()
    want = reference(x.tolist(), 2)
    assert [str(a) for a in got] == [str(b) for b in want]


def test_short_input():
    assert window_fsum(np.array([1.0, 2.0]), 3).tolist() == []


def test_variance_accepts_a_number_as_mean_like_backtrader():
    import backtrader.mathsupport as btm
    from backtrader_ib import mathsupport as ms
    x = [1.0, 2.5, 4.0, 7.25]
    assert ms.variance(x, 3.0) == btm.variance(x, 3.0)
    assert ms.variance(x) == btm.variance(x)
    assert ms.standarddev(x, 3.0, bessel=True) == btm.standarddev(x, 3.0, bessel=True)
    assert ms.variance(x, [1.0, 2.0, 3.0, 4.0]) == [0.0, 0.25, 1.0, 10.5625]
    with pytest.raises(ValueError, match='avgx has 2 means for 4 values'):
        ms.variance(x, [1.0, 2.0])
