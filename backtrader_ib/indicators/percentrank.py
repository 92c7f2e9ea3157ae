"""Percent rank of the current value within a window."""
from __future__ import annotations

from math import fsum


from .basicops import BaseApplyN

__all__ = ['PercentRank', 'PctRank']


def _pctrank(d) -> float:
    """Share of the window's values below the last one."""
    return fsum(x < d[-1] for x in d) / len(d)


class PercentRank(BaseApplyN):
    """Fraction of the last ``period`` values below the current value."""

    alias = ('PctRank',)
    lines = ('pctrank',)
    # staticmethod: a plain function as a param default would bind as a method
    params = (('period', 50), ('func', staticmethod(_pctrank)))

    def _reduce(self, w):
        if self.func is not _pctrank:
            return super()._reduce(w)
        # counting is exact: a sum of ones
        return (w < w[:, -1:]).sum(axis=1) / w.shape[1]
