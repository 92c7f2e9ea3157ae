"""Indicators: line iterators computed from data feeds or other indicators."""
from __future__ import annotations

from .lineiterator import IndicatorBase, LineIterator

__all__ = ('Indicator', 'LinePlotterIndicator')


class Indicator(IndicatorBase):
    """Base of every indicator.

    Define outputs with ``lines``, inputs arrive as ``self.data`` /
    ``self.datas``. Either build the outputs in ``__init__`` from line
    expressions (``self.lines.x = a - b``), or write ``next`` (one bar) and
    optionally ``once(start, end)`` (vectorised over a range of bars).
    """

    _ltype = LineIterator.IndType
    csv = False


class LinePlotterIndicator(Indicator):
    """Wraps a line expression so it can be plotted under a name."""

    lines = ('lineplot',)
    plotinfo = dict(plot=True)

    def __init__(self, obj=None, name: str = 'lineplot', **kwargs) -> None:
        self.lines.lineplot = obj if obj is not None else self.data
