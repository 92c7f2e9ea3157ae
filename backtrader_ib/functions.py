"""Line functions for ``__init__`` expressions: And, Or, If, Max, Min, ...

Each builds a line computed on every bar (and vectorised in runonce mode).
"""
from __future__ import annotations

import functools
import math

import numpy as np

from .linebuffer import LineActions, _operand_array
from .lineroot import LineRoot

__all__ = ('And', 'Or', 'If', 'Max', 'Min', 'Sum', 'Any', 'All', 'Cmp', 'CmpEx',
           'DivByZero', 'DivZeroByZero', 'Reduce', 'List', 'MultiLogic',
           'MultiLogicReduce', 'Logic', 'SingleLogic', 'Log', 'Ceiling', 'Floor', 'Abs')


class Logic(LineActions):
    """Base of the line functions: operands are lines or numbers."""

    def __init__(self, *args) -> None:
        self.args = list(self._setup(*args))

    def _values(self):
        return [a[0] if isinstance(a, LineRoot) else a for a in self.args]

    def _arrays(self, start, end):
        return [_operand_array(a, start, end) for a in self.args]

    def oncestart(self, start, end):
        self.once(start, end)


class DivByZero(Logic):
    """a / b, or ``zero`` when b is 0."""

    def __init__(self, a, b, zero=0.0) -> None:
        super().__init__(a, b)
        self.zero = zero

    def next(self) -> None:
        a, b = self._values()
        self[0] = a / b if b else self.zero

    def once(self, start, end) -> None:
        if end > start:
            a, b = self._arrays(start, end)
            with np.errstate(all='ignore'):
                self._arr[start:end] = np.where(b != 0, np.divide(a, np.where(b != 0, b, 1.0)), self.zero)


class DivZeroByZero(Logic):
    """a / b, ``single`` for x/0, ``dual`` for 0/0."""

    def __init__(self, a, b, single=float('inf'), dual=0.0) -> None:
        super().__init__(a, b)
        self.single, self.dual = single, dual

    def next(self) -> None:
        a, b = self._values()
        if b == 0.0:
            self[0] = self.dual if a == 0.0 else self.single
        else:
            self[0] = a / b

    def once(self, start, end) -> None:
        for i in range(start, end):
            a, b = (float(x[i - start]) if isinstance(x, np.ndarray) else x
                    for x in self._arrays(start, end))
            self._arr[i] = (self.dual if a == 0.0 else self.single) if b == 0.0 else a / b


class Cmp(Logic):
    """cmp(a, b): -1, 0 or 1."""

    def next(self) -> None:
        a, b = self._values()
        self[0] = (a > b) - (a < b)

    def once(self, start, end) -> None:
        if end > start:
            a, b = self._arrays(start, end)
            self._arr[start:end] = (np.greater(a, b).astype(float) - np.less(a, b).astype(float))


class CmpEx(Logic):
    """r1 if a < b, r2 if a == b, r3 if a > b."""

    def __init__(self, a, b, r1, r2, r3) -> None:
        super().__init__(a, b, r1, r2, r3)

    def next(self) -> None:
        a, b, r1, r2, r3 = self._values()
        self[0] = r1 if a < b else (r3 if a > b else r2)

    def once(self, start, end) -> None:
        if end > start:
            a, b, r1, r2, r3 = self._arrays(start, end)
            self._arr[start:end] = np.where(np.less(a, b), r1, np.where(np.greater(a, b), r3, r2))


class If(Logic):
    """b1 where cond is true, else b2."""

    def __init__(self, cond, a, b) -> None:
        super().__init__(cond, a, b)

    def next(self) -> None:
        c, a, b = self._values()
        self[0] = a if c else b

    def once(self, start, end) -> None:
        if end > start:
            c, a, b = self._arrays(start, end)
            cond = np.where(np.isnan(c), True, c != 0) if isinstance(c, np.ndarray) else bool(c)
            self._arr[start:end] = np.where(cond, a, b)


class MultiLogic(Logic):
    """Applies ``flogic`` to the current values of all operands."""

    flogic = None

    def next(self) -> None:
        self[0] = self.flogic(self._values())

    def once(self, start, end) -> None:
        arrs = self._arrays(start, end)
        cols = [a.tolist() if isinstance(a, np.ndarray) else [a] * (end - start) for a in arrs]
        flogic = self.flogic
        self._arr[start:end] = [flogic(vals) for vals in zip(*cols)] if end > start else []


class MultiLogicReduce(MultiLogic):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args)
        if 'initializer' not in kwargs:
            self.flogic = functools.partial(functools.reduce, self.flogic)
        else:
            self.flogic = functools.partial(functools.reduce, self.flogic,
                                            initializer=kwargs['initializer'])


class Reduce(MultiLogicReduce):
    def __init__(self, flogic, *args, **kwargs) -> None:
        self.flogic = flogic
        super().__init__(*args, **kwargs)


def _and(x, y):
    return x and y


def _or(x, y):
    return x or y


class And(MultiLogicReduce):
    flogic = staticmethod(_and)


class Or(MultiLogicReduce):
    flogic = staticmethod(_or)


class Max(MultiLogic):
    flogic = staticmethod(max)


class Min(MultiLogic):
    flogic = staticmethod(min)


class Sum(MultiLogic):
    flogic = staticmethod(math.fsum)


class Any(MultiLogic):
    flogic = staticmethod(any)


class All(MultiLogic):
    flogic = staticmethod(all)


class SingleLogic(Logic):
    """Applies ``flogic`` to one line, bar by bar (``bt.Log``, ``bt.Floor``, ...)."""

    flogic = None

    def __init__(self, a) -> None:
        super().__init__(a)

    def next(self) -> None:
        self[0] = self.flogic(self._values()[0])

    def once(self, start, end) -> None:
        if end > start:
            (a,) = self._arrays(start, end)
            f = self.flogic
            self._arr[start:end] = [f(x) for x in a.tolist()]


def _math(fn, npfn):
    """``fn`` for one float, answering like NumPy where math would raise."""
    def apply(x):
        try:
            return float(fn(x))
        except (ValueError, OverflowError):
            with np.errstate(all='ignore'):
                return float(npfn(x))
    return staticmethod(apply)


class Log(SingleLogic):
    """Base-10 logarithm of a line."""
    flogic = _math(math.log10, np.log10)


class Ceiling(SingleLogic):
    flogic = _math(math.ceil, np.ceil)


class Floor(SingleLogic):
    flogic = _math(math.floor, np.floor)


class Abs(SingleLogic):
    flogic = _math(math.fabs, np.fabs)


class List(list):
    """A list whose ``in`` and ``index`` compare lines by identity."""

    def __contains__(self, other):
        return any(x.__hash__() == other.__hash__() for x in self)

    def append(self, other):
        if other not in self:
            super().append(other)

    def index(self, other):
        for i, x in enumerate(self):
            if x.__hash__() == other.__hash__():
                return i
        raise ValueError(other)
