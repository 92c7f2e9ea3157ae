"""The x axis of a chart: bar positions labelled with their dates.

Bars are drawn at positions 0, 1, 2 ... (no gaps for nights and weekends, as
in backtrader); the locator puts ticks where the calendar turns (a new year,
month, day, hour ...) and the formatter writes the date of the bar there.
"""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import Formatter, Locator

from ..dataseries import TimeFrame

__all__ = ('num2datetime64', 'BarDateFormatter', 'BarDateLocator', 'data_format')

_EPOCH = 719163.0  # day number of 1970-01-01


def num2datetime64(nums) -> np.ndarray:
    """Day numbers to ``datetime64[us]`` (vectorised ``num2date``)."""
    us = np.round((np.asarray(nums, dtype=float) - _EPOCH) * 86400e6)
    return np.datetime64('1970-01-01', 'us') + us.astype('timedelta64[us]')


# calendar units, coarse to fine: (numpy unit, multiple, strftime of a tick)
_UNITS = (('Y', 10, '%Y'), ('Y', 5, '%Y'), ('Y', 2, '%Y'), ('Y', 1, '%Y'),
          ('M', 6, '%Y-%m'), ('M', 3, '%Y-%m'), ('M', 1, '%Y-%m'),
          ('W', 1, '%Y-%m-%d'), ('D', 1, '%Y-%m-%d'),
          ('h', 6, '%m-%d %H:%M'), ('h', 1, '%m-%d %H:%M'),
          ('m', 15, '%H:%M'), ('m', 5, '%H:%M'), ('m', 1, '%H:%M'),
          ('s', 10, '%H:%M:%S'), ('s', 1, '%H:%M:%S'))


# the next finer unit: the first bar is a tick only if it opens its period in it
_FINER = {'Y': 'M', 'M': 'D', 'W': 'D', 'D': 'h', 'h': 'm', 'm': 's', 's': 'ms'}


def _boundaries(dts: np.ndarray, unit: str, mult: int) -> np.ndarray:
    """Indices of the bars that start a new ``mult``-``unit`` period.

    The first bar counts only when its period starts there (2005-01-03 opens
    2005, not 2004-2005): else a first tick at 2005 before 2006, 2008 ... would
    make the steps uneven.
    """
    if not len(dts):
        return np.empty(0, dtype=int)
    units = dts.astype(f'datetime64[{unit}]')
    periods = units.astype(np.int64) // mult
    ticks = np.flatnonzero(np.diff(periods))
    finer = _FINER[unit]
    start = (periods[0] * mult).astype(f'datetime64[{unit}]') if unit != 'W' else units[0]
    if mult == 1 or units[0] == start:
        if dts[0].astype(f'datetime64[{finer}]') == units[0].astype(f'datetime64[{finer}]'):
            return np.concatenate(([0], ticks + 1))
    return ticks + 1


class BarDateLocator(Locator):
    """Ticks at calendar boundaries, about ``nticks`` of them in view."""

    def __init__(self, dts: np.ndarray, nticks: int = 8) -> None:
        self.dts = dts
        self.nticks = nticks
        self.fmt = '%Y-%m-%d'

    def __call__(self):
        lo, hi = self.axis.get_view_interval() if self.axis else (0, len(self.dts))
        return self.tick_values(lo, hi)

    def tick_values(self, vmin, vmax):
        lo = max(int(np.ceil(vmin)), 0)
        hi = min(int(np.floor(vmax)), len(self.dts) - 1)
        if hi < lo:
            return []
        view = self.dts[lo:hi + 1]
        best = None
        for unit, mult, fmt in _UNITS:  # coarse first: take the first dense enough
            ticks = _boundaries(view, unit, mult)
            if len(ticks) >= self.nticks // 2:
                best = (ticks, fmt)
                break
            best = best if best is not None and len(best[0]) >= len(ticks) else (ticks, fmt)
        ticks, self.fmt = best
        if len(ticks) > 2 * self.nticks:  # finer than seconds: thin evenly
            ticks = ticks[::len(ticks) // self.nticks]
        return (ticks + lo).tolist()


class BarDateFormatter(Formatter):
    """Writes the date of bar ``x`` with ``fmt`` (or the locator's choice)."""

    def __init__(self, dts: np.ndarray, fmt: str | None = None,
                 locator: BarDateLocator | None = None) -> None:
        self.dts = dts
        self.fmt = fmt
        self.locator = locator

    def __call__(self, x, pos=None) -> str:
        i = int(round(x))
        if not 0 <= i < len(self.dts):
            return ''
        fmt = self.fmt or (self.locator.fmt if self.locator else '%Y-%m-%d')
        return self.dts[i].astype('datetime64[us]').item().strftime(fmt)


def data_format(timeframe: int | None) -> str:
    """strftime that shows a bar of ``timeframe`` completely (cursor read-out)."""
    if timeframe in (TimeFrame.Years,):
        return '%Y'
    if timeframe == TimeFrame.Months:
        return '%Y-%m'
    if timeframe in (TimeFrame.Weeks, TimeFrame.Days, None):
        return '%Y-%m-%d'
    if timeframe == TimeFrame.Minutes:
        return '%Y-%m-%d %H:%M'
    if timeframe == TimeFrame.Seconds:
        return '%Y-%m-%d %H:%M:%S'
    return '%Y-%m-%d %H:%M:%S.%f'
