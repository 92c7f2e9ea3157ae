"""Relative momentum index."""
from __future__ import annotations

from .rsi import RelativeStrengthIndex

__all__ = ('RelativeMomentumIndex', 'RMI')


class RelativeMomentumIndex(RelativeStrengthIndex):
    """An RSI of the change over ``lookback`` bars instead of one bar."""

    alias = ('RMI',)
    linealias = (('rsi', 'rmi'),)
    plotlines = dict(rsi=dict(_name='rmi'))
    params = (('period', 20), ('lookback', 5))

    def _plotlabel_values(self) -> list:
        labels = [self.p.period, self.p.lookback]
        return labels + [self.p.movav] * self.p.notdefault('movav')
