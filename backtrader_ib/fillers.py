"""Fillers: how much of an order a bar's volume can absorb (``bt.broker.fillers``).

A filler is a callable ``filler(order, price, ago) -> size`` given to the
broker (``BackBroker(filler=...)`` or ``broker.set_filler(...)``). It returns
the unsigned size to execute now; whatever remains stays pending and is
tried again on the next bar, giving ``Partial`` then ``Completed``
notifications.
"""
from __future__ import annotations

from .metabase import ParamsBase
from .utils.py3 import MAXINT

__all__ = ('FixedSize', 'FixedBarPerc', 'BarPointPerc')


class FixedSize(ParamsBase):
    """At most ``size`` per bar (None/0: no cap), and never more than the bar's volume."""

    params = (('size', None),)

    def __call__(self, order, price: float, ago: int) -> float:
        cap = self.p.size or MAXINT
        return min(order.data.volume[ago], abs(order.executed.remsize), cap)


class FixedBarPerc(ParamsBase):
    """At most ``perc`` percent (0-100) of the bar's volume, rounded down."""

    params = (('perc', 100.0),)

    def __call__(self, order, price: float, ago: int) -> float:
        maxsize = (order.data.volume[ago] * self.p.perc) // 100
        return min(maxsize, abs(order.executed.remsize))


class BarPointPerc(ParamsBase):
    """The bar's volume spread evenly over its price range in steps of
    ``minmov``; at most ``perc`` percent of one step's share is filled."""

    params = (('minmov', None), ('perc', 100.0))

    def __call__(self, order, price: float, ago: int) -> float:
        data = order.data
        minmov = self.p.minmov
        parts = 1
        if minmov:
            # high == low still counts as one price step
            parts = (data.high[ago] - data.low[ago] + minmov) // minmov
        share = ((data.volume[ago] / parts) * self.p.perc) // 100.0
        return min(share, abs(order.executed.remsize))
