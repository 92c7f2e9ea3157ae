"""CalendarDays: adds a bar for every calendar day missing between two bars."""
from __future__ import annotations

import datetime

from ..metabase import ParamsBase
from .bars import flat_bar

__all__ = ('CalendarDays',)


class CalendarDays(ParamsBase):
    """Fills weekends and holidays: each missing day gets a bar at the same
    time of day as the bar after the gap, priced ``fill_price`` if > 0, the
    last close if 0 or None (the default), or the last bar's high-low
    midpoint if -1; volume ``fill_vol``, open interest ``fill_oi``."""

    params = (('fill_price', None),
              ('fill_vol', float('nan')),
              ('fill_oi', float('nan')))

    ONEDAY = datetime.timedelta(days=1)

    def __init__(self, data):
        fp = self.p.fill_price
        if fp is not None and not (fp == -1 or fp >= 0):
            raise ValueError(f'CalendarDays: fill_price={fp!r}: use a price > 0, 0/None for '
                             'the last close or -1 for the last high-low midpoint')
        self._last = None  # date of the last bar

    def __call__(self, data) -> bool:
        dt = data.datetime.datetime(0)
        last, self._last = self._last, dt.date()
        if last is None or dt.date() - last <= self.ONEDAY:
            return False
        fp = self.p.fill_price
        if fp == -1:
            price = (data.high[-1] + data.low[-1]) / 2.0
        elif fp:
            price = fp
        else:
            price = data.close[-1]
        day = last + self.ONEDAY
        while day < dt.date():
            num = data.date2num(datetime.datetime.combine(day, dt.time()))
            data._add2stack(flat_bar(data, num, price, self.p.fill_vol, self.p.fill_oi))
            day += self.ONEDAY
        data._save2stack(erase=True)  # the bar after the gap comes last
        return True
