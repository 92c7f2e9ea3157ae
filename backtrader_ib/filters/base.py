"""``bt.Filter``: a filter class with ``nextstart``/``next`` hooks."""
from __future__ import annotations

from ..metabase import ParamsBase

__all__ = ('Filter',)


class Filter(ParamsBase):
    """Base of filters: ``nextstart(data)`` runs on the first bar, then
    ``next(data)`` on every bar; ``next`` returns True when it took the bar
    out of the stream (after ``data.backwards()``)."""

    _firsttime = True

    def __init__(self, data):
        pass

    def __call__(self, data) -> bool:
        if self._firsttime:
            self._firsttime = False
            self.nextstart(data)
        # backtrader drops this answer (its __call__ returns None)
        return bool(self.next(data))

    def nextstart(self, data) -> None:
        pass

    def next(self, data):
        pass
