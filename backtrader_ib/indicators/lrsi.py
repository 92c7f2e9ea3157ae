"""Ehlers' Laguerre RSI and Laguerre filter."""
from __future__ import annotations

import numpy as np

from .basicops import PeriodN

__all__ = ['LaguerreRSI', 'LRSI', 'LaguerreFilter', 'LAGF']


class _Laguerre(PeriodN):
    """A four-stage Laguerre filter of the data, state kept between bars."""

    l0, l1, l2, l3 = 0.0, 0.0, 0.0, 0.0

    def _step(self, x: float) -> tuple:
        g = self.p.gamma
        l0_1, l1_1, l2_1 = self.l0, self.l1, self.l2
        self.l0 = l0 = (1.0 - g) * x + g * l0_1
        self.l1 = l1 = -g * l0 + l0_1 + g * l1_1
        self.l2 = l2 = -g * l1 + l1_1 + g * l2_1
        self.l3 = l3 = -g * l2 + l2_1 + g * self.l3
        return l0, l1, l2, l3

    def next(self) -> None:
        self.line[0] = self._value(*self._step(self.data[0]))

    def once(self, start: int, end: int) -> None:
        if end > start:
            step, value = self._step, self._value
            src = self.data.lines[0]._arr[start:end].tolist()
            self.line._arr[start:end] = np.array([value(*step(x)) for x in src])


class LaguerreRSI(_Laguerre):
    """RSI of the four Laguerre stages: ups / (ups + downs) (1.0 when flat)."""

    alias = ('LRSI',)
    lines = ('lrsi',)
    params = (('gamma', 0.5), ('period', 6))
    plotinfo = dict(plotymargin=0.15, plotyticks=[0.0, 0.2, 0.5, 0.8, 1.0])

    @staticmethod
    def _value(l0, l1, l2, l3) -> float:
        cu = 0.0
        cd = 0.0
        if l0 >= l1:
            cu = l0 - l1
        else:
            cd = l1 - l0
        if l1 >= l2:
            cu += l1 - l2
        else:
            cd += l2 - l1
        if l2 >= l3:
            cu += l2 - l3
        else:
            cd += l3 - l2
        den = cu + cd
        return 1.0 if not den else cu / den


class LaguerreFilter(_Laguerre):
    """(l0 + 2 * l1 + 2 * l2 + l3) / 6."""

    alias = ('LAGF',)
    lines = ('lfilter',)
    params = (('gamma', 0.5),)
    plotinfo = dict(subplot=False)

    @staticmethod
    def _value(l0, l1, l2, l3) -> float:
        return (l0 + 2 * l1 + 2 * l2 + l3) / 6
