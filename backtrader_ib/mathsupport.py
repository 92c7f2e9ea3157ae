"""Exact numeric kernels the indicators share.

Indicators must give the same numbers vectorised (runonce) as bar by bar, and
the same as backtrader, whose averages use ``math.fsum`` (a correctly rounded
sum). :func:`window_fsum` reproduces ``math.fsum`` over every sliding window
with NumPy, bit for bit.
"""
from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ('window_fsum', 'rows_fsum', 'average', 'variance', 'standarddev')

_CHUNK = 1 << 16


def window_fsum(x: np.ndarray, n: int) -> np.ndarray:
    """``out[k] = math.fsum(x[k:k+n])`` for every full window of ``x``.

    Sums each window in double-double precision (TwoSum), rounds once, and
    falls back to ``math.fsum`` for the rare windows whose rounding the
    double-double result cannot decide.
    """
    x = np.ascontiguousarray(x, dtype=np.float64)
    if len(x) < n:
        return np.empty(0)
    nwin = len(x) - n + 1
    if nwin > _CHUNK:  # bound the temporaries on long series
        out = np.empty(nwin)
        for k in range(0, nwin, _CHUNK):
            m = min(_CHUNK, nwin - k)
            out[k:k + m] = window_fsum(x[k:k + m + n - 1], n)
        return out
    return rows_fsum(sliding_window_view(x, n))


def rows_fsum(m: np.ndarray) -> np.ndarray:
    """``math.fsum(row)`` for every row of a 2-D array, bit for bit.

    Sums each row in double-double precision (TwoSum), rounds once, and falls
    back to ``math.fsum`` for the rare rows whose rounding the double-double
    result cannot decide.
    """
    m = np.asarray(m, dtype=np.float64)
    nrow, n = m.shape
    if nrow == 0:
        return np.empty(0)
    if n == 0:
        return np.zeros(nrow)
    with np.errstate(all='ignore'):  # inf/nan rows are redone by fsum
        s = m[:, 0].copy()
        c = np.zeros(nrow)
        cabs = np.zeros(nrow)
        for k in range(1, n):
            v = m[:, k]
            t = s + v
            bp = t - s
            err = (s - (t - bp)) + (v - bp)
            c += err
            cabs += np.abs(err)
            s = t
        r = s + c
        e = (s - r) + c                         # what r misses of the sum
        half = np.spacing(np.abs(r)) * 0.5      # rounding boundary distance
        slack = cabs * (4 * n * 2.0 ** -53) + np.abs(r) * 2.0 ** -104
        mant = np.frexp(r)[0]
        risky = ((np.abs(np.abs(e) - half) <= slack) | (np.abs(mant) == 0.5)
                 | ~np.isfinite(r) | (np.abs(e) > half))
    for i in np.flatnonzero(risky).tolist():
        r[i] = math.fsum(m[i].tolist())
    return r


def average(x, bessel: bool = False) -> float:
    return math.fsum(x) / (len(x) - bessel)


def variance(x, avgx=None) -> list:
    if avgx is None:
        avgx = [average(x)] * len(x)
    return [pow(y - avgy, 2.0) for y, avgy in zip(x, avgx)]


def standarddev(x, avgx=None, bessel: bool = False) -> float:
    return math.sqrt(average(variance(x, avgx), bessel=bessel))
