"""RollOver: a continuous futures series from consecutive contracts."""
from __future__ import annotations

import datetime

from ..feed import DataBase

__all__ = ('RollOver',)


class RollOver(DataBase):
    """Deliver the front contract's bars, switching to the next contract when
    ``checkdate(dt, d)`` and then ``checkcondition(d0, d1)`` say so (or when
    the front contract ends). Without ``checkdate`` a contract is used to its
    end."""

    params = (
        ('checkdate', None),       # callable(dt, data) -> may we roll now?
        ('checkcondition', None),  # callable(d0, d1) -> roll to d1? (default yes)
    )

    def __init__(self, *args) -> None:
        self._rolls = args

    def start(self) -> None:
        super().start()
        for d in self._rolls:
            d.setenvironment(self._env)
            d._start()
        self._ds = list(self._rolls)
        self._d = self._ds.pop(0) if self._ds else None
        self._dts = [datetime.datetime.min for _ in self._ds]

    def stop(self) -> None:
        super().stop()
        for d in self._rolls:
            d.stop()

    def _gettz(self):
        return self._rolls[0]._gettz() if self._rolls else super()._gettz()

    def _checkdate(self, dt: datetime.datetime, d) -> bool:
        return self.p.checkdate(dt, d) if self.p.checkdate is not None else False

    def _checkcondition(self, d0, d1) -> bool:
        return self.p.checkcondition(d0, d1) if self.p.checkcondition is not None else True

    def _load(self) -> bool | None:
        while self._d is not None:
            ret = self._d.next()
            if ret is None:  # a live contract with nothing yet
                continue
            if ret is False:  # this contract has ended: the next one takes over
                if self._ds:
                    self._d = self._ds.pop(0)
                    self._dts.pop(0)
                else:
                    self._d = None
                continue
            dt0 = self._d.datetime.datetime()
            # the later contracts catch up to the front one's time
            for i, d in enumerate(self._ds):
                while self._dts[i] < dt0:
                    nxt = d.next()
                    if nxt is None:
                        continue
                    if not nxt:
                        break  # (backtrader would loop forever on an ended feed)
                    self._dts[i] = d.datetime.datetime()
            # (backtrader also runs the contract rolled out of to its end on
            # the next bar; nothing reads it, so it is simply left)
            if self._checkdate(dt0, self._d):
                if self._ds and self._checkcondition(self._d, self._ds[0]):
                    self._d = self._ds.pop(0)
                    self._dts.pop(0)
            for name in ('datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'):
                getattr(self.lines, name)[0] = getattr(self._d.lines, name)[0]
            return True
        return False

# backtrader's name for this feed's metaclass (one metaclass builds every object)
MetaRollOver = type(DataBase)
