"""Sizers decide the stake when an order gives no size."""
from __future__ import annotations

from typing import Any

from .metabase import ParamsBase

__all__ = ('Sizer', 'SizerBase')


class Sizer(ParamsBase):
    """Base of sizers: implement ``_getsizing(comminfo, cash, data, isbuy)``."""

    strategy: Any = None  # set by the strategy (set())
    broker: Any = None

    def getsizing(self, data, isbuy: bool):
        comminfo = self.broker.getcommissioninfo(data)
        return self._getsizing(comminfo, self.broker.getcash(), data, isbuy)

    def _getsizing(self, comminfo, cash, data, isbuy):
        raise NotImplementedError

    def set(self, strategy, broker) -> None:
        self.strategy = strategy
        self.broker = broker


SizerBase = Sizer

# backtrader's name for the metaclass of this family (one metaclass builds every object)
MetaParams = type(Sizer)
