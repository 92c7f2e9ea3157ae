"""The operator protocol shared by every line-like object.

Operators work in two stages, as in backtrader: while objects are being built
(``__init__``, stage 1) ``a + b`` or ``a > b`` returns a lazy line computed for
every bar; while running (``next``, stage 2) it returns the plain value of the
current bar.
"""
from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

__all__ = ('LineRoot', 'LineSingle', 'LineMultiple')

_NUMBERS = (int, float)


class LineRoot:
    """Base of lines and line series: operators, min periods, stage switching."""

    IndType, StratType, ObsType = 0, 1, 2
    _ltype: int | None = None
    _minperiod = 1
    _opstage = 1
    # What operators and ``line()`` build, set by the modules that define them
    # (they build on this one): linebuffer.py the operations made while an
    # object is being set up, lineiterator.py the coupler of ``line()``.
    _LinesOperation: Any = None
    _LineOwnOperation: Any = None
    _LinesCoupler: Any = None

    # -- stages -----------------------------------------------------------
    def _stage1(self) -> None:
        self._opstage = 1

    def _stage2(self) -> None:
        self._opstage = 2

    # -- min period -------------------------------------------------------
    def setminperiod(self, minperiod: int) -> None:
        self._minperiod = minperiod

    def updateminperiod(self, minperiod: int) -> None:
        if minperiod > self._minperiod:
            self._minperiod = minperiod

    def addminperiod(self, minperiod: int) -> None:
        raise NotImplementedError

    def incminperiod(self, minperiod: int) -> None:
        raise NotImplementedError

    # -- hooks (overridden by iterators) -----------------------------------
    def prenext(self):
        pass

    def nextstart(self):
        self.next()

    def next(self):
        pass

    def preonce(self, start, end):
        pass

    def oncestart(self, start, end):
        self.once(start, end)

    def once(self, start, end):
        pass

    # -- operators -------------------------------------------------------
    def _line0(self):
        """The line that stands for this object in an operation."""
        return self

    def _operation(self, other: Any, op, r: bool = False):
        if self._opstage == 1:
            return self._operation_stage1(other, op, r)
        if isinstance(other, LineRoot):
            other = other[0]
        return op(other, self[0]) if r else op(self[0], other)

    def _operationown(self, op):
        if self._opstage == 1:
            return self._operationown_stage1(op)
        return op(self[0])

    def _operation_stage1(self, other, op, r=False):
        return self._LinesOperation(self, other, op, r=r)

    def _operationown_stage1(self, op):
        return self._LineOwnOperation(self, op)

    def _makeoperation(self, other, operation, r=False, _ownerskip=None):
        return self._LinesOperation(self, other, operation, r=r)

    def _makeoperationown(self, operation, _ownerskip=None):
        return self._LineOwnOperation(self, operation)

    def __add__(self, other):
        return self._operation(other, operator.add)

    def __radd__(self, other):
        return self._operation(other, operator.add, r=True)

    def __sub__(self, other):
        return self._operation(other, operator.sub)

    def __rsub__(self, other):
        return self._operation(other, operator.sub, r=True)

    def __mul__(self, other):
        return self._operation(other, operator.mul)

    def __rmul__(self, other):
        return self._operation(other, operator.mul, r=True)

    def __truediv__(self, other):
        return self._operation(other, operator.truediv)

    def __rtruediv__(self, other):
        return self._operation(other, operator.truediv, r=True)

    def __floordiv__(self, other):
        return self._operation(other, operator.floordiv)

    def __rfloordiv__(self, other):
        return self._operation(other, operator.floordiv, r=True)

    def __mod__(self, other):
        return self._operation(other, operator.mod)

    def __rmod__(self, other):
        return self._operation(other, operator.mod, r=True)

    def __pow__(self, other):
        return self._operation(other, operator.pow)

    def __rpow__(self, other):
        return self._operation(other, operator.pow, r=True)

    def __abs__(self):
        return self._operationown(operator.abs)

    def __neg__(self):
        return self._operationown(operator.neg)

    def __pos__(self):
        return self._operationown(operator.pos)

    def __lt__(self, other):
        return self._operation(other, operator.lt)

    def __le__(self, other):
        return self._operation(other, operator.le)

    def __gt__(self, other):
        return self._operation(other, operator.gt)

    def __ge__(self, other):
        return self._operation(other, operator.ge)

    def __eq__(self, other):
        return self._operation(other, operator.eq)

    def __ne__(self, other):
        return self._operation(other, operator.ne)

    __hash__ = object.__hash__

    def __bool__(self):
        if self._opstage == 1:
            raise TypeError(
                'the truth value of a line is only known while running (in '
                'next); inside __init__ combine lines with bt.If/bt.And/bt.Or')
        return bool(self[0])

    def __float__(self):
        return float(self[0])

    def __int__(self):
        return int(self[0])


class LineSingle(LineRoot):
    """A single line."""

    if TYPE_CHECKING:  # what every kind of line (buffer, constant) provides
        def __len__(self) -> int: ...
        def __getitem__(self, ago: int) -> float: ...

    def addminperiod(self, minperiod: int) -> None:
        # periods overlap on their first bar
        self._minperiod += minperiod - 1

    def incminperiod(self, minperiod: int) -> None:
        self._minperiod += minperiod


class LineMultiple(LineRoot):
    """An object holding several lines; operations act on its first line."""

    lines: Any  # set by the subclasses (a Lines instance)

    def _line0(self):
        return self.lines[0]

    def _operation(self, other, op, r=False):
        if self._opstage == 1:
            return self.lines[0]._operation_stage1(other, op, r)
        if isinstance(other, LineRoot):
            other = other[0]
        v = self.line[0]
        return op(other, v) if r else op(v, other)

    # The comparisons are what ``next`` code runs on every bar
    # (``if self.crossover > 0``): give them a direct path.
    def __gt__(self, other):
        if self._opstage == 2 and other.__class__ in _NUMBERS:
            return self.line[0] > other
        return self._operation(other, operator.gt)

    def __lt__(self, other):
        if self._opstage == 2 and other.__class__ in _NUMBERS:
            return self.line[0] < other
        return self._operation(other, operator.lt)

    def __ge__(self, other):
        if self._opstage == 2 and other.__class__ in _NUMBERS:
            return self.line[0] >= other
        return self._operation(other, operator.ge)

    def __le__(self, other):
        if self._opstage == 2 and other.__class__ in _NUMBERS:
            return self.line[0] <= other
        return self._operation(other, operator.le)

    def _operationown(self, op):
        if self._opstage == 1:
            return self.lines[0]._operationown_stage1(op)
        return op(self.lines[0][0])

    def _makeoperation(self, other, operation, r=False, _ownerskip=None):
        return self.lines[0]._makeoperation(other, operation, r)

    def _makeoperationown(self, operation, _ownerskip=None):
        return self.lines[0]._makeoperationown(operation)

    def _stage1(self) -> None:
        self._opstage = 1
        for line in self.lines:
            line._stage1()

    def _stage2(self) -> None:
        self._opstage = 2
        for line in self.lines:
            line._stage2()

    def addminperiod(self, minperiod: int) -> None:
        for line in self.lines:
            line.addminperiod(minperiod)

    def incminperiod(self, minperiod: int) -> None:
        for line in self.lines:
            line.incminperiod(minperiod)

    def qbuffer(self, savemem: int = 0) -> None:
        for line in self.lines:
            line.qbuffer(savemem=1)

    def minbuffer(self, size: int) -> None:
        for line in self.lines:
            line.minbuffer(size)

# backtrader's name for the metaclass of this family (one metaclass builds every object)
from .metabase import MetaParams as MetaLineRoot  # noqa: E402,F401
