"""Hurst exponent."""
from __future__ import annotations

import numpy as np

from . import _kernels as K
from .basicops import PeriodN

__all__ = ['HurstExponent', 'Hurst']


class HurstExponent(PeriodN):
    """2 * slope of log10(sqrt(std of lagged differences)) vs log10(lag),
    lags from ``lag_start`` (2) to ``lag_end`` (period // 2)."""

    alias = ('Hurst',)
    lines = ('hurst',)
    params = (('period', 40), ('lag_start', None), ('lag_end', None))

    def _plotlabel_values(self) -> list:
        return [self.p.period, self._lag_start, self._lag_end]

    def __init__(self) -> None:
        super().__init__()
        self._lag_start = lag_start = self.p.lag_start or 2
        self._lag_end = lag_end = self.p.lag_end or self.p.period // 2
        self.lags = np.asarray(range(lag_start, lag_end))
        self.log10lags = np.log10(self.lags)

    def _hurst(self, ts: np.ndarray) -> float:
        tau = [np.sqrt(np.std(np.subtract(ts[lag:], ts[:-lag]))) for lag in self.lags]
        poly = np.polyfit(self.log10lags, np.log10(tau), 1)
        return poly[0] * 2.0

    def next(self) -> None:
        self.lines.hurst[0] = self._hurst(np.asarray(self.data.get(size=self.p.period)))

    def _reduce(self, w):  # noqa: D102 - used by once below
        return [self._hurst(row) for row in w]

    def once(self, start: int, end: int) -> None:
        if end > start:
            w = K.windows(K.src_array(self.data), start, end, self.p.period)
            K.put(self.line._arr, start, self._reduce(w))
