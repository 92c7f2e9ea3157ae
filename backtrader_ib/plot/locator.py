"""matplotlib's date locators and formatter on a bar axis.

Charts draw bar ``i`` at x = ``i`` (no gaps for nights and weekends); these
classes take the bars' day numbers (``dates``), pick ticks with matplotlib's
calendar rules in date space and put them on the bars at or after each tick
date. (backtrader_ib's own charts use :mod:`.timeaxis`.)
"""
from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import numpy as np

from ..utils.date import num2date

__all__ = ('AutoDateLocator', 'AutoDateFormatter', 'RRuleLocator')


def _mpl(daynum: float, tz: Any = None) -> float:
    """A backtrader day number as a matplotlib date number."""
    return mdates.date2num(num2date(daynum, tz=tz, naive=False) if tz else num2date(daynum))


class _BarDates:
    """Mixin: the view limits (bar positions) as datetimes, and date ticks as bars."""

    def _setdates(self, dates) -> None:
        self.dates = np.asarray(dates, dtype=float)

    def _bar(self, x: float) -> int:
        return int(min(max(round(x), 0), len(self.dates) - 1))

    def _limits(self, vmin: float, vmax: float) -> tuple:
        return _mpl(self.dates[self._bar(vmin)]), _mpl(self.dates[self._bar(vmax)])

    def datalim_to_dt(self):
        lo, hi = self.axis.get_data_interval()
        return tuple(mdates.num2date(v, self.tz) for v in self._limits(lo, hi))

    def viewlim_to_dt(self):
        lo, hi = self.axis.get_view_interval()
        return tuple(mdates.num2date(v, self.tz) for v in self._limits(lo, hi))

    def _tobars(self, mplnums) -> list:
        """Bar positions of matplotlib date ticks: the first bar at or after each."""
        if not len(self.dates):
            return []
        mine = np.array([_mpl(d) for d in self.dates])
        idx = np.unique(np.searchsorted(mine, np.asarray(mplnums, dtype=float)))
        return idx[idx < len(self.dates)].astype(float).tolist()

    def __call__(self):
        if not len(self.dates):
            return []
        lo, hi = self.axis.get_view_interval()
        return self.tick_values(lo, hi)

    def tick_values(self, vmin, vmax):
        dmin, dmax = self._limits(vmin, vmax)
        return self._tobars(super().tick_values(mdates.num2date(dmin), mdates.num2date(dmax)))


class RRuleLocator(_BarDates, mdates.RRuleLocator):
    """Ticks at the dates of a ``dateutil`` rule wrapper ``o``, on bars."""

    def __init__(self, dates, o, tz=None) -> None:
        self._setdates(dates)
        super().__init__(o, tz)


class AutoDateLocator(_BarDates, mdates.AutoDateLocator):
    """matplotlib's AutoDateLocator (same arguments after ``dates``), on bars."""

    def __init__(self, dates, *args, **kwargs) -> None:
        self._setdates(dates)
        super().__init__(*args, **kwargs)

    def get_locator(self, dmin, dmax):
        # the rule matplotlib picks, used for its date ticks (mapped by tick_values)
        return mdates.AutoDateLocator.get_locator(self, dmin, dmax)

    def tick_values(self, vmin, vmax):
        dmin, dmax = self._limits(vmin, vmax)
        if dmax <= dmin:
            return self._tobars([dmin])
        rule = self.get_locator(mdates.num2date(dmin), mdates.num2date(dmax))
        return self._tobars(rule.tick_values(mdates.num2date(dmin), mdates.num2date(dmax)))


class AutoDateFormatter(mdates.AutoDateFormatter):
    """matplotlib's AutoDateFormatter for bar positions: bar ``x`` is written
    as its date, in the format fitting the locator's tick spacing."""

    def __init__(self, dates, locator, tz=None, defaultfmt='%Y-%m-%d') -> None:
        self.dates = np.asarray(dates, dtype=float)
        super().__init__(locator, tz=tz, defaultfmt=defaultfmt)

    def __call__(self, x, pos=None):
        if not len(self.dates):
            return ''
        i = int(min(max(round(x), 0), len(self.dates) - 1))
        return super().__call__(_mpl(self.dates[i]), pos)
