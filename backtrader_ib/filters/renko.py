"""Renko: turns the price stream into bricks of a fixed size."""
from __future__ import annotations

from .base import Filter

__all__ = ('Renko',)


class Renko(Filter):
    """Delivers a bar (a brick) only when the close (or with ``hilo`` the
    high/low) moves a brick ``size`` beyond the current brick; other bars are
    dropped. Without ``size`` the first open divided by ``autosize`` is the
    size (recomputed on each brick with ``dynamic``). ``align`` rounds brick
    edges to a multiple of it; ``roundstart`` truncates the first edge to an
    integer."""

    params = (
        ('hilo', False),
        ('size', None),
        ('autosize', 20.0),
        ('dynamic', False),
        ('align', 1.0),
        ('roundstart', True),
    )

    def nextstart(self, data) -> None:
        p = self.p
        o = round(data.open[0] / p.align, 0) * p.align
        self._size = p.size or float(o // p.autosize)
        if p.roundstart:
            o = int(o)
        self._top = o + self._size
        self._bot = o - self._size

    def _resize(self, edge: float, close: float, sign: int) -> float:
        """The far edge of a new brick starting at ``edge``."""
        p = self.p
        if p.size is None and p.dynamic:
            self._size = float(close // p.autosize)
            return round((edge + sign * self._size) / p.align, 0) * p.align
        return edge + sign * self._size

    def next(self, data) -> bool:
        close = data.close[0]
        hi, lo = (data.high[0], data.low[0]) if self.p.hilo else (close, close)
        if hi >= self._top:
            start = self._bot = self._top
            end = self._top = self._resize(start, close, +1)
        elif lo <= self._bot:
            start = self._top = self._bot
            end = self._bot = self._resize(start, close, -1)
        else:
            data.backwards()
            return True
        # a brick opens at its start and closes at its end; backtrader also
        # puts high/low there, so a falling brick has its high below its low
        data.open[0], data.close[0] = start, end
        data.high[0], data.low[0] = max(start, end), min(start, end)
        data.volume[0] = data.openinterest[0] = 0.0
        return False
