"""Percent change over a period."""
from __future__ import annotations

from ..indicator import Indicator
from ._lines import delay

__all__ = ['PercentChange', 'PctChange']


class PercentChange(Indicator):
    """data / data ``period`` bars ago - 1."""

    alias = ('PctChange',)
    lines = ('pctchange',)
    plotlines = dict(pctchange=dict(_name='%change'))
    params = (('period', 30),)

    def __init__(self) -> None:
        self.lines.pctchange = self.data / delay(self.data, -self.p.period) - 1.0
        super().__init__()
