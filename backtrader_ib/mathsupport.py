"""Exact numeric kernels the indicators share.

Indicators must give the same numbers vectorised (runonce) as bar by bar, and
the same as backtrader, whose averages use ``math.fsum`` (a correctly rounded
sum). :func:`window_fsum` and :func:`window_dot_fsum` reproduce ``math.fsum``
over every sliding window with NumPy, bit for bit.

How (the fast path): every value is split, without error, into a part on a
coarse power-of-two grid and a remainder on a fine one (Rump's extraction:
``hi = (x + sigma) - sigma``). The grids are chosen from the data's largest
and smallest magnitudes so that any sum of the parts of a chunk is exact in
double precision, whatever the order; a window's exact sum is then two exact
doubles (coarse + fine), and adding them rounds once, correctly, as fsum
does. Data whose magnitudes span too many binary orders for two grids, or
near overflow, takes an exact slower path; windows holding inf or NaN get
fsum's own answer.
"""
from __future__ import annotations

import math
import operator

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ('window_fsum', 'window_dot_fsum', 'rows_fsum', 'average', 'variance',
           'standarddev')

_CHUNK = 1 << 14   # windows per chunk: the temporaries stay in the CPU cache
_MAXEXP = 1020     # grids up to 2**_MAXEXP: no overflow anywhere


def _exp(v: float) -> int:
    """The exponent e with ``|v| < 2**e`` (and ``|v| >= 2**(e-1)``), v != 0."""
    return math.frexp(v)[1]


def _grids(top: int, bottom: int, nterms: int):
    """Split sigma for sums of ``nterms`` values below ``2**top`` that are all
    multiples of ``2**bottom``, or None when two grids cannot hold them.

    With ``b`` bits of headroom (``nterms <= 2**(b-1)``), the coarse parts are
    multiples of ``q = 2**(top+b-53)`` of magnitude at most ``2**top``, so
    their partial sums stay within ``2**(top+b-1) = 2**52 * q``: exact. The
    remainders are at most ``q`` and multiples of ``2**bottom`` (or of q), so
    their partial sums are exact while ``2**(top+2b-54) <= 2**(bottom+53)``;
    the test keeps one bit to spare.
    """
    b = _headroom(nterms)
    if top + b > _MAXEXP or bottom < top + 2 * b - 106:
        return None
    return math.ldexp(1.0, top + b)


def _headroom(nterms: int) -> int:
    """b with ``nterms <= 2**(b-1)``."""
    return (nterms - 1).bit_length() + 1


def _ulp_floor(smallest: float) -> int:
    """Exponent of a grid every double of magnitude >= ``smallest`` is on."""
    return max(_exp(smallest) - 54, -1074)


def _split(x: np.ndarray, sigma: float):
    """``x = hi + lo`` exactly, hi on the coarse grid of ``sigma``."""
    hi = x + sigma
    hi -= sigma
    return hi, x - hi


def _sliding_sum(v: np.ndarray, n: int) -> np.ndarray:
    """Sums of every n consecutive values; exact when v's partial sums are."""
    c = np.empty(len(v) + 1)
    c[0] = 0.0
    np.cumsum(v, out=c[1:])
    return c[n:] - c[:-n]


def _window_counts(mask: np.ndarray, n: int) -> np.ndarray:
    c = np.zeros(len(mask) + 1, dtype=np.int64)
    np.cumsum(mask, out=c[1:])
    return c[n:] - c[:-n]


def _out(out, nwin: int) -> np.ndarray:
    """``out`` (checked) or a new array for nwin results.

    Writing into the caller's array spares a large temporary: at a million
    bars, the first touch of fresh memory costs as much as a NumPy pass.
    """
    if out is None:
        return np.empty(max(nwin, 0))
    if out.shape != (max(nwin, 0),):
        raise ValueError(f'out has shape {out.shape}, the windows are {max(nwin, 0)}')
    return out


def window_fsum(x: np.ndarray, n: int, out: np.ndarray | None = None) -> np.ndarray:
    """``out[k] = math.fsum(x[k:k+n])`` for every full window of ``x``."""
    if n < 1:
        raise ValueError(f'window_fsum: the window must hold at least one value, got n={n}')
    x = np.ascontiguousarray(x, dtype=np.float64)
    nwin = len(x) - n + 1
    out = _out(out, nwin)
    if nwin <= 0:
        return out
    for k in range(0, nwin, _CHUNK):
        m = min(_CHUNK, nwin - k)
        out[k:k + m] = _chunk_fsum(x[k:k + m + n - 1], n)
    return out


def _chunk_fsum(seg: np.ndarray, n: int) -> np.ndarray:
    fin = np.isfinite(seg)
    allfin = bool(fin.all())
    xs = seg if allfin else np.where(fin, seg, 0.0)
    a = np.abs(xs)
    big = float(a.max())
    if big == 0.0:
        r = np.zeros(len(seg) - n + 1)
        sigma = 1.0
    else:
        small = float(np.min(a, where=a > 0.0, initial=np.inf))
        sigma = _grids(_exp(big), _ulp_floor(small), len(seg))
        if sigma is None and _exp(big) + _headroom(len(seg)) > _MAXEXP:
            # sums may overflow: fsum decides (and raises) as it would
            return np.array([math.fsum(seg[i:i + n].tolist())
                             for i in range(len(seg) - n + 1)])
        if sigma is None:
            r = rows_fsum(sliding_window_view(xs, n))
        else:
            hi, lo = _split(xs, sigma)
            r = _sliding_sum(hi, n)
            r += _sliding_sum(lo, n)  # exact + exact, rounded once
    if not allfin:
        _nonfinite_windows(r, seg, n, fin, safe=sigma is not None)
    return r


def _nonfinite_windows(r: np.ndarray, seg: np.ndarray, n: int, fin: np.ndarray,
                       safe: bool) -> None:
    """Give the windows holding inf/NaN fsum's answer.

    A NaN (without inf) makes fsum return NaN when the finite values cannot
    overflow (``safe``); windows with inf, or near overflow, ask fsum itself
    (which may raise, as backtrader would).
    """
    bad = _window_counts(~fin, n) > 0
    if safe:
        withinf = _window_counts(np.isinf(seg), n) > 0
        r[bad & ~withinf] = np.nan
        bad &= withinf
    for i in np.flatnonzero(bad).tolist():
        r[i] = math.fsum(seg[i:i + n].tolist())


def window_dot_fsum(x: np.ndarray, weights, out: np.ndarray | None = None) -> np.ndarray:
    """``out[k] = math.fsum(x[k+j] * weights[j] for j)`` for every full window.

    The products are rounded one by one, as Python rounds them; the window
    length is ``len(weights)``.
    """
    w = np.asarray(weights, dtype=np.float64)
    n = len(w)
    if n < 1:
        raise ValueError('window_dot_fsum: needs at least one weight')
    x = np.ascontiguousarray(x, dtype=np.float64)
    nwin = len(x) - n + 1
    out = _out(out, nwin)
    for k in range(0, nwin, _CHUNK):
        m = min(_CHUNK, nwin - k)
        out[k:k + m] = _chunk_dot_fsum(x[k:k + m + n - 1], w)
    return out


def _chunk_dot_fsum(seg: np.ndarray, w: np.ndarray) -> np.ndarray:
    n = len(w)
    m = len(seg) - n + 1
    sigma = None
    if np.isfinite(seg).all() and np.isfinite(w).all():
        a, aw = np.abs(seg), np.abs(w)
        big = float(a.max()) * float(aw.max())  # >= every rounded product
        if big == 0.0:
            return np.zeros(m)
        # a nonzero product is >= 2**(ex-1) * 2**(ew-1) unless it underflows
        ex = _exp(float(np.min(a, where=a > 0.0, initial=np.inf)))
        ew = _exp(float(np.min(aw, where=aw > 0.0, initial=np.inf)))
        if not math.isfinite(big) or _exp(big) + _headroom(n) > _MAXEXP:
            # sums may overflow: fsum decides (and raises) as it would
            wl = w.tolist()
            return np.array([math.fsum(map(operator.mul, seg[i:i + n].tolist(), wl))
                             for i in range(m)])
        sigma = _grids(_exp(big), max(ex + ew - 56, -1074), n)
    if sigma is None:  # inf/NaN or a huge span of magnitudes
        with np.errstate(all='ignore'):  # Python's products: inf/nan, no warning
            prods = sliding_window_view(seg, n) * w
        return rows_fsum(prods)
    hisum = np.zeros(m)
    losum = np.zeros(m)
    v = np.empty(m)
    hi = np.empty(m)
    for j, wj in enumerate(w.tolist()):
        np.multiply(seg[j:j + m], wj, out=v)
        np.add(v, sigma, out=hi)
        hi -= sigma
        v -= hi
        hisum += hi
        losum += v
    hisum += losum
    return hisum


def rows_fsum(m: np.ndarray) -> np.ndarray:
    """``math.fsum(row)`` for every row of a 2-D array, bit for bit.

    Sums each row in double-double precision (TwoSum), rounds once, and falls
    back to ``math.fsum`` for the rare rows whose rounding the double-double
    result cannot decide (and for rows with inf or NaN).
    """
    m = np.asarray(m, dtype=np.float64)
    nrow, n = m.shape
    if nrow == 0:
        return np.empty(0)
    if n == 0:
        return np.zeros(nrow)
    with np.errstate(all='ignore'):  # inf/nan rows are redone by fsum
        s = m[:, 0] + 0.0  # fsum never returns -0.0
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
    """Squared deviations of x from avgx: a number (default: the mean of x)
    or, as an extension, one mean per element."""
    if avgx is None:
        avgx = average(x)
    if isinstance(avgx, (int, float)):
        return [pow(y - avgx, 2.0) for y in x]
    avgx = list(avgx)
    if len(avgx) != len(x):
        raise ValueError(f'variance: avgx has {len(avgx)} means for {len(x)} values')
    return [pow(y - avgy, 2.0) for y, avgy in zip(x, avgx)]


def standarddev(x, avgx=None, bessel: bool = False) -> float:
    return math.sqrt(average(variance(x, avgx), bessel=bessel))
