"""NumPy kernels shared by the indicators' vectorised ``once`` paths.

Every kernel reproduces, bit for bit, what the bar-by-bar Python code of the
same indicator computes (Python's ``max``/``min`` NaN rules, ``math.fsum``
rounding, the order of floating-point operations of a recurrence).
"""
from __future__ import annotations


import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..mathsupport import rows_fsum, window_fsum

__all__ = ('src_array', 'windows', 'py_max', 'py_min', 'window_max',
           'window_min', 'window_sum', 'rows_fsum', 'smooth', 'smooth_dynamic',
           'first_index_reversed', 'first_index', 'pypow', 'put')

_LFILTER: list = []  # [lfilter or None], filled on first use


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


def window_sum(src: np.ndarray, start: int, end: int, period: int) -> np.ndarray:
    """``math.fsum`` of the ``period`` values ending at each bar of [start, end)."""
    if end <= start:
        return np.empty(0)
    return window_fsum(src[max(start - period + 1, 0):end], period)


def pypow(x: np.ndarray, e: float) -> np.ndarray:
    """``pow(v, e)`` for every value, with the C library's ``pow``.

    Exact like the scalar path; NumPy's own power is not (see LinePow).
    Domain errors give inf/NaN instead of raising.
    """
    from ._lines import _pow
    return np.array([_pow(v, e) for v in x.tolist()], dtype=float)


def smooth(prev: float, x: np.ndarray, alpha: float, alpha1: float) -> np.ndarray:
    """The recurrence ``y = y_prev * alpha1 + x * alpha`` seeded with ``prev``.

    SciPy's ``lfilter`` evaluates exactly these two products and one sum per
    step (IEEE multiplication and addition commute), so its output is
    bit-identical to the Python loop; the loop is the fallback.
    """
    n = len(x)
    if n == 0:
        return np.empty(0)
    lfilter = _get_lfilter() if n > 64 else None  # short runs: the loop is cheaper
    if lfilter is not None and np.isfinite(prev) and np.isfinite(x).all():
        y, _ = lfilter([alpha], [1.0, -alpha1], x, zi=[prev * alpha1])
        return y
    out = []
    append = out.append
    p = float(prev)
    for v in x.tolist():
        p = p * alpha1 + v * alpha
        append(p)
    return np.array(out)


def smooth_dynamic(prev: float, x: np.ndarray, alpha: np.ndarray,
                   alpha1: np.ndarray) -> np.ndarray:
    """``y = y_prev * alpha1[i] + x[i] * alpha[i]`` with per-bar factors."""
    out = []
    append = out.append
    p = float(prev)
    for v, a, a1 in zip(x.tolist(), alpha.tolist(), alpha1.tolist()):
        p = p * a1 + v * a
        append(p)
    return np.array(out)


def first_index_reversed(w: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per row: how many places from the end the last value equal to m[row] is."""
    eq = w[:, ::-1] == m[:, None]
    return eq.argmax(axis=1).astype(float)


def first_index(w: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per row: the position of the first value equal to m[row]."""
    return (w == m[:, None]).argmax(axis=1).astype(float)
