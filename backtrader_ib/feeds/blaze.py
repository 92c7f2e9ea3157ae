"""Rows of any iterable as bars (backtrader's feed for Blaze ``Data`` objects)."""
from __future__ import annotations

import datetime

import numpy as np

from ..feed import DataBase, FeedDataError
from ..utils.date import date2num

__all__ = ('BlazeData',)


class BlazeData(DataBase):
    """``dataname`` is an iterable of rows (a Blaze ``Data`` object, a list of
    tuples, ``df.itertuples(index=False)`` ...), read again on every run.

    The params give each line's column index (-1: absent, left NaN); the
    datetime column holds ``datetime.datetime`` objects.
    """

    params = (('datetime', 0), ('open', 1), ('high', 2), ('low', 3), ('close', 4),
              ('volume', 5), ('openinterest', 6))

    datafields = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest']

    def _loadarrays(self) -> dict:
        rows = list(self.p.dataname)
        n = len(rows)
        self._srcrows = np.arange(n)
        out = {}
        for field in self.datafields:
            idx = getattr(self.p, field)
            if field == 'datetime':
                out[field] = np.array([self._dtnum(r[idx], i) for i, r in enumerate(rows)],
                                      dtype=float)
            elif idx < 0:
                out[field] = np.full(n, np.nan)
            else:
                out[field] = self._floats([r[idx] for r in rows], field)
        return out

    def _dtnum(self, value, i: int) -> float:
        if not isinstance(value, datetime.datetime):
            raise FeedDataError(f'{self._source_name()}: row {i}: datetime {value!r} is '
                                'not a datetime.datetime')
        return date2num(value)

    def _floats(self, values: list, field: str) -> np.ndarray:
        try:
            return np.array(values, dtype=float)
        except (TypeError, ValueError):
            for i, v in enumerate(values):
                try:
                    float(v)
                except (TypeError, ValueError):
                    raise FeedDataError(f'{self._source_name()}: row {i}: {field} value '
                                        f'{v!r} is not a number') from None
            raise
