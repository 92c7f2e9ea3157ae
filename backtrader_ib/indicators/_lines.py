"""Small line helpers the indicators share (see docs/indicators.md)."""
from __future__ import annotations

from typing import Any

from ..linebuffer import LineActions, LineDelay
from ..lineroot import LineSingle

__all__ = ('line0', 'delay', 'LineForward')


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


class LineForward(LineActions):
    """``line(+n)``: each bar's value is written ``n`` bars back.

    The value shown at a bar is the source's value ``n`` bars later (known
    only once that later bar has been seen); the last ``n`` bars stay NaN.
    """

    def __init__(self, a: Any, ago: int) -> None:
        (self.a,) = self._setup(a)
        self.ago = ago
        if ago > self.a._minperiod:
            self._minperiod += ago - self.a._minperiod

    def next(self) -> None:
        self[-self.ago] = self.a[0]

    def oncestart(self, start: int, end: int) -> None:
        self.once(start, end)

    def once(self, start: int, end: int) -> None:
        if end > start:
            ago = self.ago
            lo = max(start - ago, 0)
            self._arr[lo:end - ago] = self.a._arr[lo + ago:end]


def _pow(x: float, e: float) -> float:
    try:
        return pow(x, e)
    except ZeroDivisionError:  # 0.0 ** negative: NumPy's answer, not a crash
        return float('inf')
    except (OverflowError, ValueError):
        return float('nan')


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
            from ._kernels import pypow
            self._arr[start:end] = pypow(self.a._arr[start:end], self.e)


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
    from ..lineseries import Lines
    lines = type(f'Lines_{cls.__name__}', (Lines,), {'_lines': tuple(names)})
    for klass in [cls] + cls.__subclasses__():
        klass.lines = lines
