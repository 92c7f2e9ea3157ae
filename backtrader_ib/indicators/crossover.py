"""Crossings of two lines."""
from __future__ import annotations

import numpy as np

from ..indicator import Indicator

__all__ = ('NonZeroDifference', 'NZD', 'CrossUp', 'CrossDown', 'CrossOver')


def _nzd(d: np.ndarray) -> np.ndarray:
    """Carry the last non-zero value of ``d`` forward (``d[0]`` seeds as is)."""
    keep = d != 0  # NaN counts as non-zero, as in ``d if d else prev``
    keep[0] = True
    pos = np.where(keep, np.arange(len(d)), 0)
    np.maximum.accumulate(pos, out=pos)
    return d[pos]


class NonZeroDifference(Indicator):
    """data0 - data1, repeating the previous value where it is zero."""

    _mindatas = 2
    alias = ('NZD',)
    lines = ('nzd',)

    def nextstart(self) -> None:
        self.line[0] = self.data0[0] - self.data1[0]

    def next(self) -> None:
        d = self.data0[0] - self.data1[0]
        self.line[0] = d if d else self.line[-1]

    def oncestart(self, start: int, end: int) -> None:
        self.line._arr[start] = self.data0.lines[0]._arr[start] - self.data1.lines[0]._arr[start]

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        a0 = self.data0.lines[0]._arr
        a1 = self.data1.lines[0]._arr
        d = a0[start - 1:end] - a1[start - 1:end]
        d[0] = self.line._arr[start - 1]
        self.line._arr[start:end] = _nzd(d)[1:]


class _CrossBase(Indicator):
    """1.0 on the bar where data0 crosses data1 in the class's direction."""

    _mindatas = 2
    plotinfo = dict(plotymargin=0.05, plotyhlines=[0.0, 1.0])
    _up = (1, 0)  # (weight of an up-cross, weight of a down-cross)

    def __init__(self) -> None:
        self.addminperiod(2)  # the crossing compares with the bar before
        self._state = (-1, 0.0, 0.0)   # (bar count, nzd now, nzd before)
        self._in0 = self.data0.lines[0]
        self._in1 = self.data1.lines[0]

    def _nzd_step(self) -> tuple:
        """(nzd of the previous bar, data0 - data1 now), idempotent per bar."""
        count = self._tl.count
        a, b = self._in0, self._in1
        d = a[0] - b[0]
        last, cur, prev = self._state
        if count != last:
            if last == count - 1:
                prev = cur
            else:  # first call: seed from the previous bar
                prev = a[-1] - b[-1]
        cur = d if d else prev
        self._state = (count, cur, prev)
        return prev, d

    def _cross_value(self, prev: float, now0: float, now1: float) -> float:
        up = prev < 0.0 and now0 > now1
        down = prev > 0.0 and now0 < now1
        wu, wd = self._up
        return float(wu * up - wd * down)

    def next(self) -> None:
        prev, _ = self._nzd_step()
        self.line[0] = self._cross_value(prev, self._in0[0], self._in1[0])

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        a0 = self.data0.lines[0]._arr
        a1 = self.data1.lines[0]._arr
        s0 = self._minperiod - 2  # first bar with both inputs: seeds the nzd
        nz = _nzd(a0[s0:end] - a1[s0:end])
        prev = nz[start - 1 - s0:end - 1 - s0]
        x0 = a0[start:end]
        x1 = a1[start:end]
        up = (prev < 0.0) & (x0 > x1)
        down = (prev > 0.0) & (x0 < x1)
        wu, wd = self._up
        self.line._arr[start:end] = wu * up.astype(float) - wd * down.astype(float)

    def oncestart(self, start: int, end: int) -> None:
        self.once(start, end)


class CrossUp(_CrossBase):
    """1.0 when data0 crosses data1 upwards."""

    lines = ('cross',)
    _up = (1, 0)


class CrossDown(_CrossBase):
    """1.0 when data0 crosses data1 downwards."""

    lines = ('cross',)
    _up = (0, -1)


class CrossOver(_CrossBase):
    """+1.0 on an upward cross, -1.0 on a downward cross, else 0.0."""

    lines = ('crossover',)
    plotinfo = dict(plotymargin=0.05, plotyhlines=[-1.0, 1.0])
    _up = (1, 1)

