"""Window operations and accumulations: sums, averages, extremes, smoothing.

Each class has a bar-by-bar ``next`` written like the formula, and a ``once``
that computes a whole range with NumPy (a tight loop only for recurrences).
"""
from __future__ import annotations

import functools
import math
import operator
from typing import Any, Callable

import numpy as np

from ..indicator import Indicator
from . import _kernels as K

__all__ = ('PeriodN', 'OperationN', 'BaseApplyN', 'ApplyN', 'Highest', 'MaxN',
           'Lowest', 'MinN', 'ReduceN', 'SumN', 'AnyN', 'AllN',
           'FindFirstIndex', 'FindFirstIndexHighest', 'FindFirstIndexLowest',
           'FindLastIndex', 'FindLastIndexHighest', 'FindLastIndexLowest',
           'Accum', 'CumSum', 'CumulativeSum', 'Average', 'ArithmeticMean',
           'Mean', 'ExponentialSmoothing', 'ExpSmoothing',
           'ExponentialSmoothingDynamic', 'ExpSmoothingDynamic',
           'WeightedAverage', 'AverageWeighted')


class PeriodN(Indicator):
    """Base of indicators over the last ``period`` bars (sets the min period)."""

    params = (('period', 1),)

    def __init__(self) -> None:
        super().__init__()
        self.addminperiod(self.p.period)


class OperationN(PeriodN):
    """``func(last period values)`` on every bar; subclasses set ``func``."""

    func: Callable | None = None

    def next(self) -> None:
        self.line[0] = self.func(self.data.get(size=self.p.period))

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        w = K.windows(K.src_array(self.data), start, end, self.p.period)
        K.put(self.line._arr, start, self._reduce(w))

    def _reduce(self, w: np.ndarray) -> Any:
        """Vectorised ``func`` over the rows of ``w`` (generic: row by row)."""
        func = self.func
        return [func(row) for row in w.tolist()]


class BaseApplyN(OperationN):
    """OperationN whose function is the ``func`` param."""

    params = (('func', None),)

    def __init__(self) -> None:
        self.func = self.p.func
        super().__init__()


class ApplyN(BaseApplyN):
    """``func(last period values)``: any function of a window."""

    lines = ('apply',)


class Highest(OperationN):
    """Highest value of the last ``period`` bars."""

    alias = ('MaxN',)
    lines = ('highest',)
    func = max

    def _reduce(self, w):
        return K.window_max(w)

    def once(self, start: int, end: int) -> None:
        if end > start:
            period = self.p.period
            seg = K.src_array(self.data)[max(start - period + 1, 0):end]
            K.sliding_max(seg, period, out=self.line._arr[start:start + max(len(seg) - period + 1, 0)])


class Lowest(OperationN):
    """Lowest value of the last ``period`` bars."""

    alias = ('MinN',)
    lines = ('lowest',)
    func = min

    def _reduce(self, w):
        return K.window_min(w)

    def once(self, start: int, end: int) -> None:
        if end > start:
            period = self.p.period
            seg = K.src_array(self.data)[max(start - period + 1, 0):end]
            K.sliding_min(seg, period, out=self.line._arr[start:start + max(len(seg) - period + 1, 0)])


class ReduceN(OperationN):
    """``functools.reduce(function, last period values[, initializer])``."""

    lines = ('reduced',)
    func = functools.reduce

    def __init__(self, function: Callable, **kwargs) -> None:
        if 'initializer' not in kwargs:
            self.func = functools.partial(functools.reduce, function)
        else:
            self.func = functools.partial(functools.reduce, function,
                                          initializer=kwargs['initializer'])
        super().__init__()


class SumN(OperationN):
    """Exactly rounded sum (``math.fsum``) of the last ``period`` values."""

    lines = ('sumn',)
    func = math.fsum

    def once(self, start: int, end: int) -> None:
        K.put_window_sum(self.line._arr, K.src_array(self.data), start, end, self.p.period)


class AnyN(OperationN):
    """1.0 if any of the last ``period`` values is true (non-zero)."""

    lines = ('anyn',)
    func = any

    def _reduce(self, w):
        return (w != 0).any(axis=1)  # NaN is true, as in Python


class AllN(OperationN):
    """1.0 if all of the last ``period`` values are true (non-zero)."""

    lines = ('alln',)
    func = all

    def _reduce(self, w):
        return (w != 0).all(axis=1)


class FindFirstIndex(OperationN):
    """Bars ago of the most recent value equal to ``_evalfunc(window)``."""

    lines = ('index',)
    params = (('_evalfunc', None),)

    def func(self, iterable) -> int:
        m = self.p._evalfunc(iterable)
        return next(i for i, v in enumerate(reversed(iterable)) if v == m)

    def _reduce(self, w):
        ev = self.p._evalfunc
        if ev is max:
            return K.first_index_reversed(w, K.window_max(w))
        if ev is min:
            return K.first_index_reversed(w, K.window_min(w))
        return super()._reduce(w)


class FindFirstIndexHighest(FindFirstIndex):
    """Bars ago of the most recent highest value."""

    params = (('_evalfunc', max),)


class FindFirstIndexLowest(FindFirstIndex):
    """Bars ago of the most recent lowest value."""

    params = (('_evalfunc', min),)


class FindLastIndex(OperationN):
    """Bars ago of the oldest value equal to ``_evalfunc(window)``."""

    lines = ('index',)
    params = (('_evalfunc', None),)

    def func(self, iterable) -> int:
        m = self.p._evalfunc(iterable)
        index = next(i for i, v in enumerate(iterable) if v == m)
        return self.p.period - index - 1

    def _reduce(self, w):
        ev = self.p._evalfunc
        if ev is max:
            return self.p.period - 1 - K.first_index(w, K.window_max(w))
        if ev is min:
            return self.p.period - 1 - K.first_index(w, K.window_min(w))
        return super()._reduce(w)


class FindLastIndexHighest(FindLastIndex):
    """Bars ago of the oldest highest value."""

    params = (('_evalfunc', max),)


class FindLastIndexLowest(FindLastIndex):
    """Bars ago of the oldest lowest value."""

    params = (('_evalfunc', min),)


class Accum(Indicator):
    """Running sum of the data, starting from ``seed``."""

    alias = ('CumSum', 'CumulativeSum')
    lines = ('accum',)
    params = (('seed', 0.0),)

    def nextstart(self) -> None:
        self.line[0] = self.p.seed + self.data[0]

    def next(self) -> None:
        self.line[0] = self.line[-1] + self.data[0]

    def oncestart(self, start: int, end: int) -> None:
        self._accumulate(start, end, self.p.seed)

    def once(self, start: int, end: int) -> None:
        if end > start:
            self._accumulate(start, end, self.line._arr[start - 1])

    def _accumulate(self, start: int, end: int, prev: float) -> None:
        # np.add.accumulate adds left to right, one value at a time
        src = K.src_array(self.data)[start:end]
        acc = np.add.accumulate(np.concatenate(([prev], src)))
        self.line._arr[start:end] = acc[1:]


class Average(PeriodN):
    """Arithmetic mean of the last ``period`` values (exact sum / period)."""

    alias = ('ArithmeticMean', 'Mean')
    lines = ('av',)

    def next(self) -> None:
        self.line[0] = math.fsum(self.data.get(size=self.p.period)) / self.p.period

    def once(self, start: int, end: int) -> None:
        if end > start:
            period = self.p.period
            sums = K.put_window_sum(self.line._arr, K.src_array(self.data), start, end, period)
            sums /= period


class ExponentialSmoothing(Average):
    """``prev * (1 - alpha) + data * alpha``, seeded with the first average.

    ``alpha`` defaults to 2 / (1 + period).
    """

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
        if end > start:
            arr = self.line._arr
            K.smooth(arr[start - 1], K.src_array(self.data)[start:end],
                     self.alpha, self.alpha1, out=arr[start:end])


class ExponentialSmoothingDynamic(ExponentialSmoothing):
    """Exponential smoothing whose ``alpha`` is a line (changes every bar)."""

    alias = ('ExpSmoothingDynamic',)

    def __init__(self) -> None:
        super().__init__()
        # alpha is a line here; 1 - alpha is one too
        minperioddiff = max(0, self.alpha._minperiod - self.p.period)
        self.lines[0].incminperiod(minperioddiff)
        self._minperiod = self.lines[0]._minperiod

    def next(self) -> None:
        self.line[0] = self.line[-1] * self.alpha1[0] + self.data[0] * self.alpha[0]

    def once(self, start: int, end: int) -> None:
        if end > start:
            arr = self.line._arr
            K.smooth_dynamic(
                arr[start - 1], K.src_array(self.data)[start:end],
                K.src_array(self.alpha)[start:end], K.src_array(self.alpha1)[start:end],
                out=arr[start:end])


class WeightedAverage(PeriodN):
    """``coef * fsum(value * weight)`` over the last ``period`` values."""

    alias = ('AverageWeighted',)
    lines = ('av',)
    params = (('coef', 1.0), ('weights', tuple()))

    def next(self) -> None:
        data = self.data.get(size=self.p.period)
        self.line[0] = self.p.coef * math.fsum(map(operator.mul, data, self.p.weights))

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        period = self.p.period
        n = min(len(self.p.weights), period)  # map() stops at the shorter
        seg = K.src_array(self.data)[max(start - period + 1, 0):end]
        if len(seg) < period:
            return
        sums = self.line._arr[start:start + len(seg) - period + 1]
        if n == 0:
            sums[:] = 0.0
        else:  # each window's oldest n values meet the weights
            K.window_dot_fsum(seg[:len(seg) - (period - n)], self.p.weights[:n], out=sums)
        sums *= self.p.coef
