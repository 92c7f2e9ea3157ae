"""Indicators: line iterators computed from data feeds or other indicators."""
from __future__ import annotations

import functools

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
    """Wraps a line expression so it can be plotted: ``name`` names its line.

    ``LinePlotterIndicator(a - b, name='spread')`` has one line, ``spread``
    (``ind.spread``, ``ind.lines.spread``).
    """

    lines = ('lineplot',)
    plotinfo = dict(plot=True)

    def _preinit(self, args, kwargs):
        name = kwargs.pop('name', 'lineplot')
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f'LinePlotterIndicator: name must be an identifier '
                             f'(it names the line), got {name!r}')
        self._lname = name
        return super()._preinit(args, kwargs)

    def _linescls(self) -> type:
        return _named_lines(self._lname)

    def __init__(self, obj=None) -> None:
        self.lines[0] = obj if obj is not None else self.data


@functools.lru_cache(maxsize=None)
def _named_lines(name: str) -> type:
    """A Lines class with the single line ``name`` (one per name)."""
    return LinePlotterIndicator.lines._derive(name, (name,), linesoverride=True)
