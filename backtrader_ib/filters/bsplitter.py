"""DaySplitter_Close: a daily bar as two ticks, for replaying."""
from __future__ import annotations

import datetime

from ..metabase import ParamsBase

__all__ = ('DaySplitter_Close',)


class DaySplitter_Close(ParamsBase):
    """Splits each daily bar into an ``OHLX`` tick at the session start (its
    close the average of open, high and low) and a ``CCCC`` tick at the
    session end; ``closevol`` is the share of the volume given to the close
    tick. Meant to be followed by ``cerebro.replaydata``."""

    params = (('closevol', 0.5),)

    def __init__(self, data):
        if not 0.0 <= self.p.closevol <= 1.0:
            raise ValueError(f'DaySplitter_Close: closevol={self.p.closevol!r} is not '
                             'between 0 and 1')
        self._lastday = None

    def __call__(self, data) -> bool:
        day = data.datetime.date()
        if day == self._lastday:
            return False  # the close tick coming back from the stash
        self._lastday = day
        ohl = [line[0] for line in data.lines]
        close = ohl[:]
        vol = ohl[data.Volume]
        ohl[data.Close] = (ohl[data.Open] + ohl[data.High] + ohl[data.Low]) / 3.0
        ohl[data.Volume] = ohlvol = int(vol * (1.0 - self.p.closevol))
        ohl[data.DateTime] = data.date2num(datetime.datetime.combine(day, data.p.sessionstart))
        for i in (data.Open, data.High, data.Low):
            close[i] = close[data.Close]
        close[data.Volume] = vol - ohlvol
        close[data.DateTime] = data.date2num(datetime.datetime.combine(day, data.p.sessionend))
        # the OHL tick replaces the bar now (backtrader queues it, which only
        # works with another filter after this one); the close tick waits
        # for the next load
        data._updatebar(ohl)
        data._add2stack(close, stash=True)
        return False
