"""Standard deviation and mean deviation over a moving window."""
from __future__ import annotations

from ._lines import lpow
from .mabase import MovAv
from ..indicator import Indicator

__all__ = ('StandardDeviation', 'StdDev', 'MeanDeviation', 'MeanDev')


class StandardDeviation(Indicator):
    """sqrt(mean(data ** 2) - mean(data) ** 2) over ``period`` bars.

    A second data, if given, is used as the mean. ``safepow`` takes the
    absolute value first, so rounding can never make the root negative.
    """

    alias = ('StdDev',)
    lines = ('stddev',)
    params = (('period', 20), ('movav', MovAv.Simple), ('safepow', True))

    def _plotlabel_values(self) -> list:
        return [self.p.period] + [self.p.movav] * self.p.notdefault('movav')

    def __init__(self) -> None:
        if len(self.datas) > 1:
            mean = self.data1
        else:
            mean = self.p.movav(self.data, period=self.p.period)
        meansq = self.p.movav(lpow(self.data, 2), period=self.p.period)
        sqmean = lpow(mean, 2)
        if self.p.safepow:
            self.lines.stddev = lpow(abs(meansq - sqmean), 0.5)
        else:
            self.lines.stddev = lpow(meansq - sqmean, 0.5)


class MeanDeviation(Indicator):
    """Moving average of |data - moving average| (a second data: the mean)."""

    alias = ('MeanDev',)
    lines = ('meandev',)
    params = (('period', 20), ('movav', MovAv.Simple))

    def _plotlabel_values(self) -> list:
        return [self.p.period] + [self.p.movav] * self.p.notdefault('movav')

    def __init__(self) -> None:
        if len(self.datas) > 1:
            mean = self.data1
        else:
            mean = self.p.movav(self.data, period=self.p.period)
        absdev = abs(self.data - mean)
        self.lines.meandev = self.p.movav(absdev, period=self.p.period)
