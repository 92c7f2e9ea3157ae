"""NumPy kernels shared by the indicators' vectorised ``once`` paths.

Every kernel reproduces, bit for bit, what the bar-by-bar Python code of the
same indicator computes (Python's ``max``/``min`` NaN rules, ``math.fsum``
rounding, the order of floating-point operations of a recurrence).
"""
from __future__ import annotations

import math
import os
from itertools import repeat

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..mathsupport import rows_fsum, window_dot_fsum, window_fsum

__all__ = ('src_array', 'windows', 'py_max', 'py_min', 'window_max',
           'window_min', 'sliding_max', 'sliding_min', 'window_sum', 'put_window_sum', 'window_dot_fsum', 'rows_fsum', 'smooth', 'smooth_dynamic',
           'first_index_reversed', 'first_index', 'pypow', 'put')

_LFILTER: list = []  # [lfilter or None], filled on first use
_CHUNK = 1 << 15     # values per chunk of the chunked kernels: cache-sized


def _get_lfilter():
    """SciPy's lfilter (an exact C loop for first-order recurrences) if installed.

    Imported on first use, not with the package: SciPy is optional and
    importing it costs tens of MB.
    """
    if not _LFILTER:
        try:
            from scipy.signal import lfilter
        except ImportError:  # pragma: no cover - SciPy is optional
            lfilter = None
        _LFILTER.append(lfilter)
    return _LFILTER[0]


def src_array(obj) -> np.ndarray:
    """The storage array of a line, or of the first line of a line series."""
    arr = getattr(obj, '_arr', None)
    if arr is None:
        arr = obj.lines[0]._arr
    return arr


def windows(src: np.ndarray, start: int, end: int, period: int) -> np.ndarray:
    """Rows = the ``period`` values ending at each bar of [start, end).

    Fewer rows (maybe none) when ``src`` ends before ``end`` (data shorter
    than the period); write results with :func:`put`.
    """
    seg = src[max(start - period + 1, 0):end]
    if len(seg) < period:
        return np.empty((0, period))
    return sliding_window_view(seg, period)


def put(arr: np.ndarray, start: int, values) -> None:
    """Write ``values`` into ``arr`` from ``start`` (as many as there are)."""
    values = np.asarray(values, dtype=float)
    arr[start:start + len(values)] = values


def py_max(*arrays):
    """Element-wise ``max(a, b, ...)`` with Python's rules.

    Python keeps the running maximum unless a later value is strictly greater,
    so a NaN first argument wins and later NaNs are ignored.
    """
    out = arrays[0]
    for a in arrays[1:]:
        out = np.where(a > out, a, out)
    return out


def py_min(*arrays):
    """Element-wise ``min(a, b, ...)`` with Python's rules (see py_max)."""
    out = arrays[0]
    for a in arrays[1:]:
        out = np.where(a < out, a, out)
    return out


def _window_extreme(w: np.ndarray, reducer, pyfunc) -> np.ndarray:
    out = reducer(w, axis=1)
    # NumPy propagates any NaN, Python only a NaN in first place: redo rows
    # with a NaN the Python way (rare in market data).
    for i in np.flatnonzero(np.isnan(out)).tolist():
        out[i] = pyfunc(w[i].tolist())
    return out


def window_max(w: np.ndarray) -> np.ndarray:
    """``max(row)`` for every row of ``w``."""
    return _window_extreme(w, np.max, max)


def window_min(w: np.ndarray) -> np.ndarray:
    """``min(row)`` for every row of ``w``."""
    return _window_extreme(w, np.min, min)


def _filter_extreme(x: np.ndarray, n: int, use_max: bool) -> np.ndarray:
    """Max (min) of every n consecutive values of x, no NaN in x."""
    try:
        from scipy.ndimage import maximum_filter1d, minimum_filter1d
    except ImportError:  # pragma: no cover - SciPy is optional
        # van Herk / Gil-Werman: per block of n, prefix and suffix extremes
        acc = np.maximum.accumulate if use_max else np.minimum.accumulate
        nb = -(-len(x) // n)
        pad = np.full(nb * n - len(x), -np.inf if use_max else np.inf)
        b = np.concatenate((x, pad)).reshape(nb, n)
        pre = acc(b, axis=1).ravel()
        suf = acc(b[:, ::-1], axis=1)[:, ::-1].ravel()
        pick = np.maximum if use_max else np.minimum
        return pick(suf[:len(x) - n + 1], pre[n - 1:len(x)])
    filt = maximum_filter1d if use_max else minimum_filter1d
    # origin (n-1)//2: each output looks at its own value and the n-1 before
    return filt(x, n, origin=(n - 1) // 2)[n - 1:]


def _sliding_extreme(seg: np.ndarray, n: int, use_max: bool, out=None) -> np.ndarray:
    seg = np.ascontiguousarray(seg, dtype=np.float64)
    nwin = max(len(seg) - n + 1, 0)
    if out is None:
        out = np.empty(nwin)
    for k in range(0, nwin, _CHUNK):  # small temporaries: cache-warm
        m = min(_CHUNK, nwin - k)
        out[k:k + m] = _chunk_extreme(seg[k:k + m + n - 1], n, use_max)
    return out


def _chunk_extreme(seg: np.ndarray, n: int, use_max: bool) -> np.ndarray:
    nan = np.isnan(seg)
    anynan = bool(nan.any())
    # NaN windows follow Python's rules (see py_max): filter NaN-free values,
    # then redo those windows one by one
    out = _filter_extreme(np.where(nan, -np.inf if use_max else np.inf, seg)
                          if anynan else seg, n, use_max)
    redo = np.zeros(len(out), dtype=bool)
    if anynan:
        cnt = np.concatenate(([0], np.cumsum(nan)))
        redo |= (cnt[n:] - cnt[:-n]) > 0
    if (np.signbit(seg) & (seg == 0.0)).any():
        redo |= out == 0.0  # Python keeps the first of 0.0 and -0.0: its sign
    func = max if use_max else min
    for i in np.flatnonzero(redo).tolist():
        out[i] = func(seg[i:i + n].tolist())
    return out


def sliding_max(seg: np.ndarray, n: int, out: np.ndarray | None = None) -> np.ndarray:
    """``max(seg[k:k+n])`` for every full window, with Python's NaN rules."""
    return _sliding_extreme(seg, n, True, out)


def sliding_min(seg: np.ndarray, n: int, out: np.ndarray | None = None) -> np.ndarray:
    """``min(seg[k:k+n])`` for every full window, with Python's NaN rules."""
    return _sliding_extreme(seg, n, False, out)


def window_sum(src: np.ndarray, start: int, end: int, period: int) -> np.ndarray:
    """``math.fsum`` of the ``period`` values ending at each bar of [start, end)."""
    if end <= start:
        return np.empty(0)
    return window_fsum(src[max(start - period + 1, 0):end], period)


def put_window_sum(arr: np.ndarray, src: np.ndarray, start: int, end: int,
                   period: int) -> np.ndarray:
    """:func:`window_sum` written into ``arr`` from ``start``; returns that view.

    Fewer values (maybe none) when ``src`` ends before ``end``.
    """
    seg = src[max(start - period + 1, 0):end]
    nwin = max(len(seg) - period + 1, 0) if end > start else 0
    view = arr[start:start + nwin]
    if nwin:
        window_fsum(seg, period, out=view)
    return view


def _pow(x: float, e: float) -> float:
    """``pow(x, e)`` as a float: inf/NaN where Python would raise or go complex."""
    try:
        out = pow(x, e)
    except ZeroDivisionError:  # 0.0 ** negative: NumPy's answer, not a crash
        return float('inf')
    except (OverflowError, ValueError):
        return float('nan')
    # a negative number to a fractional power: Python gives a complex
    return float('nan') if isinstance(out, complex) else out


def _libm_pow_within_054ulp() -> bool:
    """Whether Python's ``pow`` is glibc's (2.28 and later): error <= 0.54 ULP.

    glibc documents that bound for its ``pow``; :func:`pypow` relies on it to
    know ``pow(x, 2)`` and ``pow(x, 0.5)`` from the correctly rounded square
    and square root in all but near-tie cases.
    """
    try:
        name, version = os.confstr('CS_GNU_LIBC_VERSION').split()
        return name == 'glibc' and tuple(int(v) for v in version.split('.')[:2]) >= (2, 28)
    except (AttributeError, ValueError, OSError):  # not glibc
        return False


_POW_BOUNDED: list = []  # [bool], filled on first use
_SPLIT = 134217729.0     # 2**27 + 1: Veltkamp's splitter
_POW_CHUNK = 1 << 14


def _split27(x: np.ndarray):
    """``x = hi + lo`` with both halves of at most 26 bits (exact products)."""
    c = x * _SPLIT
    hi = c - (c - x)
    return hi, x - hi


def _square_or_root(x: np.ndarray, e: float):
    """(``x*x`` or ``sqrt(x)``, masks of the values to ask ``pow`` about).

    ``near``: finite values whose ``pow`` might round the other way;
    ``special``: values where ``pow`` may overflow, underflow or be undefined.

    The exact residual of the correctly rounded result tells how far the
    true value lies from it, in ULPs: under 0.46 ULP, a ``pow`` within
    0.54 ULP of the true value can only return that same double (0.45 is
    used, to spare the estimate's own rounding).
    """
    with np.errstate(all='ignore'):
        a = np.abs(x)
        if e == 2:
            r = x * x
            hi, lo = _split27(a)
            resid = ((hi * hi - r) + 2.0 * hi * lo) + lo * lo   # a*a - r, exact
            ulps = np.abs(resid) / np.spacing(r)
            inrange = (a > 2.0 ** -450) & (a < 2.0 ** 480)
        else:
            r = np.sqrt(x)
            hi, lo = _split27(r)
            resid = ((x - hi * hi) - 2.0 * hi * lo) - lo * lo   # x - r*r
            ulps = np.abs(resid) / (2.0 * r * np.spacing(r))
            inrange = (x > 2.0 ** -900) & (x < 2.0 ** 900)
        near = inrange & ((ulps >= 0.45) | (np.frexp(r)[0] == 0.5))
    special = ~inrange & (x != 0.0)   # 0 * 0 is pow's +0.0
    if e != 2:
        r[x == 0.0] = 0.0             # pow(-0.0, 0.5) is +0.0, sqrt keeps the sign
    return r, near, special


def pypow(x: np.ndarray, e: float, out: np.ndarray | None = None) -> np.ndarray:
    """``pow(v, e)`` for every value, with the C library's ``pow``.

    Exact like the scalar path; NumPy's own power is not (see LinePow).
    Domain errors give inf/NaN instead of raising. Squares and square roots
    are vectorised on glibc (see :func:`_square_or_root`); the few values
    near a tie, and every other exponent, call ``pow`` itself.
    """
    if e in (2, 0.5):
        if not _POW_BOUNDED:
            _POW_BOUNDED.append(_libm_pow_within_054ulp())
        if _POW_BOUNDED[0]:
            x = np.asarray(x, dtype=float)
            if out is None:
                out = np.empty(len(x))
            for k in range(0, len(x), _POW_CHUNK):  # chunks stay in cache
                xk = x[k:k + _POW_CHUNK]
                rk, near, special = _square_or_root(xk, e)
                if near.any():  # no exception possible here: the builtin, fast
                    rk[near] = list(map(pow, xk[near].tolist(), repeat(float(e))))
                if special.any():
                    rk[special] = [_pow(v, e) for v in xk[special].tolist()]
                out[k:k + _POW_CHUNK] = rk
            return out
    vals = np.array([_pow(v, e) for v in x.tolist()], dtype=float)
    if out is None:
        return vals
    out[:] = vals
    return out


def smooth(prev: float, x: np.ndarray, alpha: float, alpha1: float,
           out: np.ndarray | None = None) -> np.ndarray:
    """The recurrence ``y = y_prev * alpha1 + x * alpha`` seeded with ``prev``.

    SciPy's ``lfilter`` evaluates exactly these two products and one sum per
    step (IEEE multiplication and addition commute), so its output is
    bit-identical to the Python loop; the loop is the fallback (for inf/NaN
    and short runs). Chunked: each chunk is seeded with the last value.
    """
    n = len(x)
    if out is None:
        out = np.empty(n)
    lfilter = _get_lfilter() if n > 64 else None  # short runs: the loop is cheaper
    p = float(prev)
    for k in range(0, n, _CHUNK):
        xk = x[k:k + _CHUNK]
        if lfilter is not None and math.isfinite(p) and np.isfinite(xk).all():
            out[k:k + len(xk)] = lfilter([alpha], [1.0, -alpha1], xk, zi=[p * alpha1])[0]
        else:
            vals = []
            append = vals.append
            for v in xk.tolist():
                p = p * alpha1 + v * alpha
                append(p)
            out[k:k + len(xk)] = vals
        p = float(out[k + len(xk) - 1])
    return out


def _recurrence_loop(prev: float, a1: list, b: list) -> np.ndarray:
    out = []
    append = out.append
    p = float(prev)
    for c, v in zip(a1, b):
        p = p * c + v
        append(p)
    return np.array(out)


def _recurrence_sparse(prev: float, a1: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``y[i] = y[i-1] * a1[i] + b[i]`` by SciPy's sparse triangular solve.

    The system is unit lower bidiagonal (``y[i] - a1[i] * y[i-1] = b[i]``):
    forward substitution does one product and one sum per step, in order.
    """
    from scipy.sparse import csc_array
    from scipy.sparse.linalg import spsolve_triangular
    n = len(b)
    rhs = b.copy()
    rhs[0] = prev * a1[0] + b[0]
    data = np.empty(2 * n - 1)
    data[0::2] = 1.0
    data[1::2] = -a1[1:]
    rows = np.empty(2 * n - 1, dtype=np.intc)
    rows[0::2] = np.arange(n)
    rows[1::2] = np.arange(1, n)
    indptr = np.append(np.arange(0, 2 * n - 1, 2, dtype=np.intc), np.intc(2 * n - 1))
    mat = csc_array((data, rows, indptr), shape=(n, n))
    return spsolve_triangular(mat, rhs, lower=True, unit_diagonal=True,
                              overwrite_A=True, overwrite_b=True)


_REC_CHUNK = 1 << 16
_SPARSE_OK: list = []  # [bool]: the sparse solve matches the loop here


def _sparse_recurrence_ok() -> bool:
    """Checked once: whether the sparse solve rounds exactly as the loop.

    A build that fused the product and the sum (FMA) would differ in a good
    share of 4096 random steps; then the loop is used.
    """
    if not _SPARSE_OK:
        try:
            rng = np.random.default_rng(12345)
            a1 = rng.uniform(0.0, 1.0, 4096)
            b = rng.uniform(-3.0, 3.0, 4096) * rng.uniform(0.0, 1.0, 4096)
            ok = np.array_equal(_recurrence_sparse(0.3, a1, b),
                                _recurrence_loop(0.3, a1.tolist(), b.tolist()))
        except Exception:  # noqa: BLE001 - no SciPy, or an old one: the loop
            ok = False
        _SPARSE_OK.append(ok)
    return _SPARSE_OK[0]


def smooth_dynamic(prev: float, x: np.ndarray, alpha: np.ndarray,
                   alpha1: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``y = y_prev * alpha1[i] + x[i] * alpha[i]`` with per-bar factors."""
    n = len(x)
    if out is None:
        out = np.empty(n)
    sparse_ok = n > 256 and _sparse_recurrence_ok()
    p = float(prev)
    for k in range(0, n, _REC_CHUNK):
        a1 = np.asarray(alpha1[k:k + _REC_CHUNK], dtype=float)
        with np.errstate(all='ignore'):
            b = x[k:k + _REC_CHUNK] * alpha[k:k + _REC_CHUNK]  # as the scalar ``v * a``
        # the solver skips zero terms and is not IEEE-checked on inf/NaN:
        # finite values and no -0.0 (whose sign a skipped ``+ 0.0`` keeps) only
        if (sparse_ok and math.isfinite(p) and np.isfinite(b).all()
                and np.isfinite(a1).all() and not (np.signbit(b) & (b == 0.0)).any()):
            out[k:k + len(b)] = _recurrence_sparse(p, a1, b)
        else:
            out[k:k + len(b)] = _recurrence_loop(p, a1.tolist(), b.tolist())
        p = float(out[k + len(b) - 1])
    return out


def first_index_reversed(w: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per row: how many places from the end the last value equal to m[row] is."""
    eq = w[:, ::-1] == m[:, None]
    return eq.argmax(axis=1).astype(float)


def first_index(w: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per row: the position of the first value equal to m[row]."""
    return (w == m[:, None]).argmax(axis=1).astype(float)
