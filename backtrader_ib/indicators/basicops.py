"""Window operations: sums, averages, highest, lowest."""
from __future__ import annotations

import math

import numpy as np

from ..indicator import Indicator
from ..mathsupport import window_fsum

__all__ = ('PeriodN', 'OperationN', 'SumN', 'Average', 'ArithmeticMean', 'Mean',
           'Highest', 'MaxN', 'Lowest', 'MinN', 'ExponentialSmoothing',
           'ExpSmoothing')


class PeriodN(Indicator):
    """An indicator over the last ``period`` bars."""

    params = (('period', 1),)
    plotinfo = dict(subplot=False)

    def __init__(self) -> None:
        super().__init__()
        self.addminperiod(self.p.period)


class OperationN(PeriodN):
    """Applies ``func`` to each window of ``period`` values."""

    func = None

    def next(self) -> None:
        self.line[0] = self.func(self.data.get(size=self.p.period))

    def once(self, start: int, end: int) -> None:
        src = self.data.array
        dst = self.line._arr
        period = self.p.period
        func = self.func
        for i in range(start, end):
            dst[i] = func(src[i - period + 1:i + 1])


class SumN(PeriodN):
    """``math.fsum`` of the last ``period`` values."""

    lines = ('sumn',)

    def next(self) -> None:
        self.line[0] = math.fsum(self.data.get(size=self.p.period))

    def once(self, start: int, end: int) -> None:
        _window_into(self, start, end, lambda w: w)


class Average(PeriodN):
    """Arithmetic mean of the last ``period`` values."""

    alias = ('ArithmeticMean', 'Mean')
    lines = ('av',)

    def next(self) -> None:
        from .sma import _window_mean
        self.line[0] = _window_mean(self.data.lines[0], self.p.period)

    def once(self, start: int, end: int) -> None:
        period = self.p.period
        _window_into(self, start, end, lambda w: w / period)


def _window_into(ind, start: int, end: int, finish) -> None:
    """Write ``finish(window sums)`` for bars [start, end) of ``ind``."""
    if end <= start:
        return
    period = ind.p.period
    src = ind.data.lines[0]._arr if hasattr(ind.data, 'lines') else ind.data._arr
    sums = window_fsum(src[start - period + 1:end], period)
    ind.line._arr[start:end] = finish(sums)


class Highest(OperationN):
    alias = ('MaxN',)
    lines = ('highest',)
    func = max

    def once(self, start: int, end: int) -> None:
        _extreme_into(self, start, end, np.max)


class Lowest(OperationN):
    alias = ('MinN',)
    lines = ('lowest',)
    func = min

    def once(self, start: int, end: int) -> None:
        _extreme_into(self, start, end, np.min)


def _extreme_into(ind, start: int, end: int, reducer) -> None:
    if end <= start:
        return
    from numpy.lib.stride_tricks import sliding_window_view
    period = ind.p.period
    src = ind.data.lines[0]._arr[start - period + 1:end]
    w = sliding_window_view(src, period)
    # Python's max/min propagate NaN only from the first element; numpy's
    # always do. Keep the exact Python semantics where NaN appears.
    out = reducer(w, axis=1)
    nan = np.isnan(out)
    for i in np.flatnonzero(nan).tolist():
        out[i] = (max if reducer is np.max else min)(w[i].tolist())
    ind.line._arr[start:end] = out


class ExponentialSmoothing(Average):
    """Exponential smoothing seeded with the simple average of the first period."""

    alias = ('ExpSmoothing',)
    params = (('alpha', None),)

    def __init__(self) -> None:
        self.alpha = self.p.alpha
        if self.alpha is None:
            self.alpha = 2.0 / (1.0 + self.p.period)
        self.alpha1 = 1.0 - self.alpha
        super().__init__()

    def nextstart(self) -> None:
        super().next()  # the seed: a simple average

    def next(self) -> None:
        self.line[0] = self.line[-1] * self.alpha1 + self.data[0] * self.alpha

    def oncestart(self, start: int, end: int) -> None:
        super().once(start, end)

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        src = self.data.lines[0]._arr[start:end].tolist()
        dst = self.line._arr
        alpha, alpha1 = self.alpha, self.alpha1
        prev = float(dst[start - 1])
        out = []
        append = out.append
        for x in src:
            prev = prev * alpha1 + x * alpha
            append(prev)
        dst[start:end] = out

