"""A long-only moving average crossover."""
from __future__ import annotations

from ..indicators import CrossOver, MovAv
from ..strategy import Strategy

__all__ = ('MA_CrossOver', 'SMA_CrossOver')


class MA_CrossOver(Strategy):
    """Buys when the fast average crosses above the slow one; sells on the way down."""

    alias = ('SMA_CrossOver',)
    params = (('fast', 10), ('slow', 30), ('_movav', MovAv.SMA))

    def __init__(self) -> None:
        fast = self.p._movav(period=self.p.fast)
        slow = self.p._movav(period=self.p.slow)
        self.buysig = CrossOver(fast, slow)

    def next(self) -> None:
        if self.position.size:
            if self.buysig < 0:
                self.sell()
        elif self.buysig > 0:
            self.buy()
