"""Small line helpers the indicators share (see docs/indicators.md)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..linebuffer import LineActions, LineDelay, LineForward, _operand_array
from ..lineroot import LineRoot, LineSingle
from ..lineseries import Lines
from ._kernels import _pow, py_max, py_min, pypow

__all__ = ('line0', 'delay', 'LineForward', 'LinePow', 'lpow', 'order_lines',
           'PyMax', 'PyMin', 'PyAnd')


def line0(obj: Any):
    """The first line of a line series, or the line itself."""
    return obj if isinstance(obj, LineSingle) else obj.lines[0]


def delay(obj: Any, ago: int):
    """``obj(ago)``: the first line of ``obj`` shifted by ``ago`` bars.

    Negative ``ago`` reads the past; positive ``ago`` shifts future values
    back (:class:`LineForward`), as backtrader's ``line(ago)`` does.
    """
    line = line0(obj)
    if ago > 0:
        return LineForward(line, ago)
    return LineDelay(line, ago)


class LinePow(LineActions):
    """``pow(line, e)`` computed with the C library's ``pow`` on every path.

    NumPy's vectorised power (``x ** 2`` squares, ``x ** 0.5`` takes sqrt,
    other exponents may use SIMD code) rounds differently from ``pow`` in a
    few cases per thousand; backtrader calls ``pow``, so this does too.
    """

    def __init__(self, a: Any, e: float) -> None:
        (self.a,) = self._setup(a)
        self.e = e

    def next(self) -> None:
        self[0] = _pow(self.a[0], self.e)

    def oncestart(self, start: int, end: int) -> None:
        self.once(start, end)

    def once(self, start: int, end: int) -> None:
        if end > start:
            pypow(self.a._arr[start:end], self.e, out=self._arr[start:end])


def lpow(obj: Any, e: float) -> LinePow:
    """``pow(obj, e)`` for a line or line series, exact as backtrader's."""
    return LinePow(line0(obj), e)


def order_lines(cls: type, *names: str) -> None:
    """Declare ``cls``'s lines in backtrader's order for multiple bases.

    backtrader orders the lines of ``class C(A, B)`` as A's, then B's new
    ones, then C's; the engine collects them in reverse MRO order. Until it
    does the same, the indicators with two bases (and their alias classes,
    already made) get the order set here.
    """
    lines = type(f'Lines_{cls.__name__}', (Lines,), {'_lines': tuple(names)})
    for klass in [cls] + cls.__subclasses__():
        klass.lines = lines


class _Elementwise(LineActions):
    """A line computed bar by bar from the current values of its operands.

    ``scalar`` (Python, for ``next``) and ``vector`` (NumPy, for ``once``)
    must agree bit for bit; operands are lines or numbers.
    """

    scalar = None
    vector = None

    def __init__(self, *args: Any) -> None:
        self.args = list(self._setup(*args))

    def next(self) -> None:
        self[0] = self.scalar(*[a[0] if isinstance(a, LineRoot) else a for a in self.args])

    def oncestart(self, start: int, end: int) -> None:
        self.once(start, end)

    def once(self, start: int, end: int) -> None:
        if end > start:
            vals = [_operand_array(a, start, end) for a in self.args]
            self._arr[start:end] = self.vector(*vals)


def _and(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = out and x
    return out


def _vand(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = np.where(out != 0, x, out)  # ``a and b``: NaN counts as true
    return out


class PyMax(_Elementwise):
    """``max(a, b, ...)`` per bar with Python's rules (as ``bt.Max``), vectorised."""

    scalar = staticmethod(max)

    @staticmethod
    def vector(*xs):
        return py_max(*xs)


class PyMin(_Elementwise):
    """``min(a, b, ...)`` per bar with Python's rules (as ``bt.Min``), vectorised."""

    scalar = staticmethod(min)

    @staticmethod
    def vector(*xs):
        return py_min(*xs)


class PyAnd(_Elementwise):
    """``a and b and ...`` per bar (as ``bt.And``), vectorised."""

    scalar = staticmethod(_and)
    vector = staticmethod(_vand)
