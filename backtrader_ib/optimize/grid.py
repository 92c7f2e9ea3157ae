"""The parameter grid of an optimisation: every combination, numbered."""
from __future__ import annotations

import math
from typing import Any, Iterator

from ..metabase import _init_accepts

__all__ = ('Grid',)


class Grid:
    """Cerebro's strategy slots (one list per ``addstrategy``/``optstrategy``).

    Run ``i`` is the ``i``-th element of ``itertools.product(*slots)``; workers
    hold the grid, so a task needs only that number.
    """

    def __init__(self, slots: list) -> None:
        self.slots = [list(slot) for slot in slots]
        self.sizes = [len(slot) for slot in self.slots]

    def __len__(self) -> int:
        return math.prod(self.sizes)

    def __getitem__(self, index: int) -> tuple:
        if not 0 <= index < len(self):
            raise IndexError(f'run {index} is outside the grid of {len(self)} runs')
        picks = []
        for slot, size in zip(reversed(self.slots), reversed(self.sizes)):
            index, pos = divmod(index, size)
            picks.append(slot[pos])
        return tuple(reversed(picks))

    def __iter__(self) -> Iterator[tuple]:
        return (self[i] for i in range(len(self)))

    def describe(self, index: int) -> str:
        """``SmaCross(fast=5, slow=20)``: the run's strategies and their grid values."""
        parts = []
        for stratcls, args, kwargs in self[index]:
            inner = [repr(a) for a in args] + [f'{k}={v!r}' for k, v in kwargs.items()]
            parts.append(f'{stratcls.__name__}({", ".join(inner)})')
        return ' + '.join(parts)

    def check(self) -> None:
        """Fail, before any run starts, on an empty grid or an unknown parameter."""
        for number, slot in enumerate(self.slots, 1):
            if not slot:
                raise ValueError(
                    f'optstrategy: strategy slot #{number} has no parameter sets: one of '
                    'the value lists given to optstrategy is empty (e.g. period=[]), '
                    'so there is nothing to run')
        seen = set()
        for slot in self.slots:
            for stratcls, _, kwargs in slot:
                key = (stratcls, tuple(kwargs))
                if key not in seen:
                    seen.add(key)
                    _check_names(stratcls, kwargs)


def _is_factory(stratcls: Any) -> bool:
    """A strategy factory: a class whose own ``__new__`` builds and returns one of
    several strategies (backtrader's strategy-selection pattern). Its params are
    not its own, so they are checked only when the chosen strategy is built."""
    params = getattr(stratcls, 'params', None)
    if not hasattr(params, '_getkeys'):
        return True
    return any('__new__' in vars(k) for k in stratcls.__mro__
               if k.__module__.split('.')[0] != 'backtrader_ib' and k is not object)


def _check_names(stratcls: Any, kwargs: dict) -> None:
    if _is_factory(stratcls):
        return
    known = set(stratcls.params._getkeys())
    unknown = [k for k in kwargs if k not in known]
    if not unknown:
        return
    accepts = _init_accepts(stratcls.__init__)
    if accepts is not True:
        unknown = [k for k in unknown if k not in accepts]
        if unknown:
            valid = ', '.join(stratcls.params._getkeys()) or '(none)'
            raise TypeError(
                f'optstrategy: {stratcls.__name__} has no parameter '
                f'{", ".join(map(repr, unknown))}; its valid params are: {valid}')
