"""Chainer: several feeds of one instrument, one after the other."""
from __future__ import annotations

import datetime

from ..feed import DataBase

__all__ = ('Chainer',)


class Chainer(DataBase):
    """Deliver the bars of each feed in turn, skipping bars not later than
    the last delivered (where the files overlap)."""

    def __init__(self, *args) -> None:
        self._args = args

    def start(self) -> None:
        super().start()
        for d in self._args:
            d.setenvironment(self._env)
            d._start()
        self._ds = list(self._args)
        self._d = self._ds.pop(0) if self._ds else None
        self._lastdt = datetime.datetime.min

    def stop(self) -> None:
        super().stop()
        for d in self._args:
            d.stop()

    def get_notifications(self) -> list:
        return [] if self._d is None else self._d.get_notifications()

    def _gettz(self):
        return self._args[0]._gettz() if self._args else super()._gettz()

    def _load(self) -> bool:
        while self._d is not None:
            if not self._d.next():
                self._d = self._ds.pop(0) if self._ds else None
                continue
            dt = self._d.datetime.datetime()
            if dt <= self._lastdt:
                continue
            self._lastdt = dt
            for mine, theirs in zip(self.lines, self._d.lines):
                mine[0] = theirs[0]
            return True
        return False

# backtrader's name for this feed's metaclass (one metaclass builds every object)
MetaChainer = type(DataBase)
