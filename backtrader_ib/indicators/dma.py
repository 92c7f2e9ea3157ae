"""Dickson moving average."""
from __future__ import annotations

from .mabase import MovAv, MovingAverageBase
from .zlind import ZeroLagIndicator

__all__ = ('DicksonMovingAverage', 'DMA', 'DicksonMA')


class DicksonMovingAverage(MovingAverageBase):
    """(zero-lag indicator + hull moving average(hperiod)) / 2."""

    alias = ('DMA', 'DicksonMA')
    lines = ('dma',)
    params = (('gainlimit', 50), ('hperiod', 7), ('_movav', MovAv.EMA),
              ('_hma', MovAv.HMA))

    def _plotlabel_values(self) -> list:
        labels = [self.p.period, self.p.gainlimit, self.p.hperiod]
        labels += [self.p._movav] * self.p.notdefault('_movav')
        return labels + [self.p._hma] * self.p.notdefault('_hma')

    def __init__(self) -> None:
        ec = ZeroLagIndicator(period=self.p.period, gainlimit=self.p.gainlimit,
                              _movav=self.p._movav)
        hull = self.p._hma(period=self.p.hperiod)
        self.lines.dma = (ec + hull) / 2.0
        super().__init__()
