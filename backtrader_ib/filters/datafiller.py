"""DataFiller: a data feed with another feed's bars plus the missing ones."""
from __future__ import annotations

import collections

from .bars import bar_unit
from .datafilter import DerivedFeed
from .session import same_day_session, session_gaps

__all__ = ('DataFiller',)


class DataFiller(DerivedFeed):
    """The bars of the intraday feed ``dataname``, with a bar for every
    missing time of its timeframe/compression inside the session (see
    ``SessionFiller``): OHLC the last close (or ``fill_price``), volume
    ``fill_vol``, open interest ``fill_oi``."""

    params = (
        ('fill_price', None),
        ('fill_vol', float('nan')),
        ('fill_oi', float('nan')),
    )

    def start(self) -> None:
        super().start()
        self._unit = bar_unit(self.src, 'DataFiller')
        self._session = same_day_session(self.src, 'DataFiller')
        self._fills = collections.deque()
        self._pending = False  # a source bar waits behind the fills
        self._prev = None
        self._close = float('nan')

    def _load(self) -> bool:
        if not self._fills:
            if not self._pending:
                if not self.src.next():
                    return False
                cur = self.src.datetime.datetime(0)
                if self._prev is not None:
                    self._fills.extend(session_gaps(self._prev, cur, *self._session, self._unit))
                self._prev = cur
            if not self._fills:
                self._pending = False
                self._copy()
                self._close = self.lines.close[0]
                return True
            self._pending = True
        p = self.p
        price = p.fill_price or self._close
        lines = self.lines
        lines.datetime[0] = self.src.date2num(self._fills.popleft())
        lines.open[0] = lines.high[0] = lines.low[0] = lines.close[0] = price
        lines.volume[0], lines.openinterest[0] = p.fill_vol, p.fill_oi
        return True
