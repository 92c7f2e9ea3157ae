"""Axis formatters of backtrader's plot package: volume with K/M/G suffixes,
bar positions as dates, and date locators made to work on bar positions."""
from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.ticker import Formatter

from ..utils.date import num2date
from .locator import AutoDateFormatter, AutoDateLocator, _BarDates, _mpl

__all__ = ('MyVolFormatter', 'MyDateFormatter', 'getlocator', 'patch_locator',
           'patch_formatter')


class MyVolFormatter(Formatter):
    """Volume ticks as whole thousands, millions ... (``'12M'``); blank above
    1.2 times the largest volume ``volmax`` (the volume pane's headroom)."""

    Suffixes = ['', 'K', 'M', 'G', 'T', 'P']

    def __init__(self, volmax: float) -> None:
        self.volmax = volmax
        magnitude = 0
        self.divisor = 1.0
        while abs(volmax / self.divisor) >= 1000 and magnitude < len(self.Suffixes) - 1:
            magnitude += 1
            self.divisor *= 1000.0
        self.suffix = self.Suffixes[magnitude]

    def __call__(self, y, pos=0) -> str:
        if y > self.volmax * 1.20:
            return ''
        return '%d%s' % (int(y / self.divisor), self.suffix)


class MyDateFormatter(Formatter):
    """Bar position ``x`` as the date of that bar (clamped to the first/last)."""

    def __init__(self, dates, fmt: str = '%Y-%m-%d') -> None:
        self.dates = dates
        self.lendates = len(dates)
        self.fmt = fmt

    def __call__(self, x, pos=0) -> str:
        i = min(max(int(round(x)), 0), self.lendates - 1)
        return num2date(self.dates[i]).strftime(self.fmt)


def _rebase(obj: Any, mixin: type) -> None:
    """Give ``obj`` the ``mixin``'s methods (special methods included)."""
    obj.__class__ = type(type(obj).__name__, (mixin, type(obj)), {})


class _BarFormatter:
    def __call__(self, x, pos=None):
        i = int(min(max(round(x), 0), len(self._bardates) - 1))
        return super().__call__(_mpl(self._bardates[i]), pos)


def patch_locator(locator: Any, xdates) -> None:
    """Make a matplotlib date locator tick bar positions: its ticks are
    computed on the dates ``xdates[i]`` and put on the bars."""
    _rebase(locator, _BarDates)
    locator._setdates(xdates)


def patch_formatter(formatter: Any, xdates) -> None:
    """Make a matplotlib date formatter write bar ``x`` as ``xdates[x]``."""
    _rebase(formatter, _BarFormatter)
    formatter._bardates = np.asarray(xdates, dtype=float)


def getlocator(xdates, numticks: int = 5, tz: Any = None) -> tuple:
    """(locator, formatter) for an axis of bars with day numbers ``xdates``."""
    locator = AutoDateLocator(xdates, tz=tz, minticks=max(numticks // 2, 1),
                              maxticks=numticks + 2)
    return locator, AutoDateFormatter(xdates, locator, tz=tz)
