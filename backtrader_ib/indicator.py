"""Indicators: line iterators computed from data feeds or other indicators."""
from __future__ import annotations

import functools
import re
from typing import Any

from .lineiterator import IndicatorBase, LineIterator
from .utils.numeric import is_real

# Params holding a number of bars: a name with "period" in it, or one of these.
_PERIOD_NAMES = re.compile(r'.*period.*|fast|slow|lookback|pchange|p[1-3]|rp[1-4]|rma[1-4]'
                           r'|rsignal|tenkan|kijun|senkou')

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

    def _preinit(self, args, kwargs):
        args, kwargs = super()._preinit(args, kwargs)
        for name in _period_params(type(self)):
            value = getattr(self.p, name)
            if not (type(value) is int and value >= 1):
                setattr(self.p, name, _as_period(type(self).__name__, name, value))
        return args, kwargs


def _period_params(cls) -> tuple:
    """The bar-count params of ``cls``: period-like names with a positive int default.

    (A user indicator whose ``period`` defaults to None or 0 keeps its own meaning.)
    """
    names = cls.__dict__.get('_period_param_names')
    if names is None:
        names = tuple(name for name, default in cls.params._getitems()
                      if _PERIOD_NAMES.fullmatch(name) and type(default) is int and default >= 1)
        cls._period_param_names = names
    return names


def _as_period(clsname: str, name: str, value: Any) -> int:
    """``value`` as a bar count, or a ValueError naming the indicator and param.

    numpy integers and integral floats (5.0, e.g. from an optimisation grid)
    are taken as ints.
    """
    if is_real(value):
        number = float(value)  # exact for any realistic bar count
        if number.is_integer() and number >= 1:
            return int(number)
    raise ValueError(f'{clsname}: param {name} must be a positive integer, got {value!r}')


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

# backtrader's name for the metaclass of this family (one metaclass builds every object)
MetaIndicator = MtLinePlotterIndicator = type(Indicator)
