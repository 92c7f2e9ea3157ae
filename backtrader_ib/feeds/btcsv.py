"""backtrader's own CSV layout: Date[,Time],Open,High,Low,Close,Volume,OpenInterest."""
from __future__ import annotations

import datetime

import numpy as np

from ..feed import FeedDataError
from ..utils.date import date2num, dates2num
from .csvbase import CSVDataBase, CSVFeedBase

__all__ = ('BacktraderCSVData', 'BacktraderCSV')


class BacktraderCSVData(CSVDataBase):
    """Dates as YYYY-MM-DD, optional HH:MM:SS column; daily bars end at sessionend."""

    def _loadline(self, linetokens: list) -> bool:
        """One row into the lines (used only by subclasses overriding this)."""
        tokens = iter(linetokens)
        day = datetime.date.fromisoformat(next(tokens)[:10])
        if len(linetokens) == 8:
            hh, mm, ss = next(tokens).split(':')[:3]
            tm = datetime.time(int(hh), int(mm), int(float(ss)))
        else:
            tm = self.p.sessionend
        self.lines.datetime[0] = date2num(datetime.datetime.combine(day, tm))
        for name in ('open', 'high', 'low', 'close', 'volume', 'openinterest'):
            getattr(self.lines, name)[0] = float(next(tokens))
        return True

    def _loadcolumns(self) -> dict:
        rows = self._read_rows()
        src = self._source_name()
        if not rows:
            return {'datetime': np.empty(0)}
        ntok = np.array([len(r) for r in rows])
        bad = np.flatnonzero((ntok != 7) & (ntok != 8))
        if len(bad):
            i = int(bad[0])
            raise FeedDataError(f'{src}: row {self._srcrows[i]}: expected 7 or 8 fields '
                                f'(Date[,Time],Open,High,Low,Close,Volume,OpenInterest), '
                                f'found {ntok[i]}')
        dates = self._dates(rows)
        hastime = ntok == 8
        if hastime.any():
            secs = self._times(rows, hastime)
        else:
            secs = np.zeros(len(rows), dtype=np.int64)
        end = self.p.sessionend
        endus = ((end.hour * 60 + end.minute) * 60 + end.second) * 1000000 + end.microsecond
        tod_us = np.where(hastime, secs * 1000000, endus)
        stamps = dates.astype('datetime64[us]') + tod_us.astype('timedelta64[us]')
        out = {'datetime': dates2num(stamps)}
        first = np.where(hastime, 2, 1)
        names = ('open', 'high', 'low', 'close', 'volume', 'openinterest')
        for k, name in enumerate(names):
            if hastime.all() or not hastime.any():
                out[name] = self._floats(rows, int(first[0]) + k, name)
            else:
                a = np.empty(len(rows))
                for sel, idx in ((np.flatnonzero(hastime), 2 + k),
                                 (np.flatnonzero(~hastime), 1 + k)):
                    a[sel] = self._tofloats([rows[i][idx] for i in sel], name,
                                            rownums=self._srcrows[sel])
                out[name] = a
        return out

    def _dates(self, rows: list) -> np.ndarray:
        col = [r[0].strip() for r in rows]
        try:
            return np.array(col, dtype='datetime64[D]')
        except ValueError:
            for i, v in enumerate(col):
                try:
                    datetime.date(int(v[0:4]), int(v[5:7]), int(v[8:10]))
                except ValueError:
                    raise FeedDataError(f'{self._source_name()}: row {self._srcrows[i]}: '
                                        f'date {v!r} is not YYYY-MM-DD') from None
            raise

    def _times(self, rows: list, hastime: np.ndarray) -> np.ndarray:
        secs = np.zeros(len(rows), dtype=np.int64)
        for i in np.flatnonzero(hastime):
            v = rows[i][1].strip()
            try:
                t = datetime.time(int(v[0:2]), int(v[3:5]), int(v[6:8]))
            except ValueError:
                raise FeedDataError(f'{self._source_name()}: row {self._srcrows[i]}: '
                                    f'time {v!r} is not HH:MM:SS') from None
            secs[i] = (t.hour * 60 + t.minute) * 60 + t.second
        return secs


class BacktraderCSV(CSVFeedBase):
    DataCls = BacktraderCSVData
