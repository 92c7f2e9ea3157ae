"""Fewer points for long series, keeping what the eye needs.

Prices: consecutive bars merge into one OHLC bar per bucket (first open,
highest high, lowest low, last close, summed volume), so no extreme is lost.
Lines: each bucket keeps its first, lowest, highest and last point (M4), so a
line drawn at that width looks the same as the full line.
"""
from __future__ import annotations

import numpy as np

__all__ = ('bucket_starts', 'ohlc_buckets', 'minmax_indices')


def bucket_starts(n: int, buckets: int) -> np.ndarray:
    """Start index of each of (at most) ``buckets`` equal runs of ``n`` points."""
    if n <= buckets:
        return np.arange(n)
    return np.unique(np.linspace(0, n, buckets, endpoint=False).astype(np.int64))


def _reduce(func, values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return func.reduceat(values, starts) if len(values) else values


def ohlc_buckets(starts: np.ndarray, o, h, lo, c, v) -> tuple:
    """Merge bars into the buckets beginning at ``starts``."""
    o, h, lo, c, v = (np.asarray(a, dtype=float) for a in (o, h, lo, c, v))
    if len(starts) == len(o):
        return o, h, lo, c, v
    ends = np.append(starts[1:], len(o)) - 1
    # NaN (no bar yet) must not win a max/min: fmax/fmin skip it
    return (o[starts], _reduce(np.fmax, h, starts), _reduce(np.fmin, lo, starts), c[ends],
            _reduce(np.add, np.nan_to_num(v), starts))


def minmax_indices(y: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Indices of the first, min, max and last point of each bucket, in order."""
    y = np.asarray(y, dtype=float)
    n = len(y)
    if len(starts) == n:
        return np.arange(n)
    ends = np.append(starts[1:], n)
    width = int((ends - starts).max())
    # lay the buckets out as rows of a padded matrix, then argmin/argmax per row
    pos = starts[:, None] + np.arange(width)[None, :]
    valid = pos < ends[:, None]
    pos = np.minimum(pos, n - 1)
    vals = y[pos]
    lo = np.where(valid & np.isfinite(vals), vals, np.inf).argmin(axis=1)
    hi = np.where(valid & np.isfinite(vals), vals, -np.inf).argmax(axis=1)
    idx = np.concatenate([starts, ends - 1, starts + lo, starts + hi])
    return np.unique(idx)
