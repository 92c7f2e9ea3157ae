"""VisualChart CSV exports: Ticker,Period,YYYYMMDD,HHMMSS,Open,High,Low,Close,Volume,OI."""
from __future__ import annotations


import numpy as np

from ..dataseries import TimeFrame
from ..feed import FeedDataError
from ..utils.date import dates2num
from .csvbase import CSVDataBase, CSVFeedBase

__all__ = ('VChartCSVData', 'VChartCSV')

_PRICES = ('open', 'high', 'low', 'close', 'volume', 'openinterest')


class VChartCSVData(CSVDataBase):
    """A file exported by VisualChart (the first line is skipped as a header).

    The period column sets the feed's timeframe: ``I`` intraday (minutes, the
    time column HHMMSS is used), ``D``/``W``/``M`` days, weeks, months (the bar
    is stamped at ``sessionend``, whole seconds). The ticker names a feed that
    has no name.
    """

    vctframes = dict(I=TimeFrame.Minutes, D=TimeFrame.Days,
                     W=TimeFrame.Weeks, M=TimeFrame.Months)

    def _loadcolumns(self) -> dict:
        strcols = {'ticker': 0, 'period': 1, 'date': 2, 'time': 3}
        numcols = {name: 4 + k for k, name in enumerate(_PRICES)}
        table = self._read_table(strcols, numcols)
        n = len(self._srcrows)
        if not n:
            return {'datetime': np.empty(0)}
        periods = [str(v).strip() for v in table['period']]
        self._timeframe = self._period_timeframe(periods)
        if not self._name:
            self._name = str(table['ticker'][0])
        days = self._days(table['date'])
        if self._timeframe == TimeFrame.Minutes:
            secs = self._seconds(table['time'])
        else:
            end = self.p.sessionend  # whole seconds, as backtrader stamps them
            secs = np.full(n, (end.hour * 60 + end.minute) * 60 + end.second, dtype=np.int64)
        stamps = days.astype('datetime64[s]') + secs.astype('timedelta64[s]')
        out = {'datetime': dates2num(stamps.astype('datetime64[us]'))}
        for name in _PRICES:
            out[name] = table[name]
        return out

    def _loadline(self, linetokens: list) -> bool:
        """One row into the lines (bar by bar: subclasses overriding this call it)."""
        ticker, period, date, tm = (t.strip() for t in linetokens[:4])
        if not self._name:
            self._name = ticker
        self._timeframe = self.vctframes[period]
        day = np.datetime64(f'{date[0:4]}-{date[4:6]}-{date[6:8]}', 's')
        if period == 'I':
            hh, mmss = divmod(int(tm), 10000)
            secs = hh * 3600 + mmss // 100 * 60 + mmss % 100
        else:
            end = self.p.sessionend
            secs = (end.hour * 60 + end.minute) * 60 + end.second
        stamp = (day + np.timedelta64(secs, 's')).astype('datetime64[us]')
        self.lines.datetime[0] = float(dates2num(np.array([stamp]))[0])
        for k, name in enumerate(_PRICES):
            getattr(self.lines, name)[0] = float(linetokens[4 + k])
        return True

    def _period_timeframe(self, periods: list) -> int:
        first = periods[0]
        if first in self.vctframes and len(set(periods)) == 1:
            return self.vctframes[first]
        for i, p in enumerate(periods):  # find the bad row
            if p not in self.vctframes:
                raise FeedDataError(f'{self._source_name()}: row {self._srcrows[i]}: period '
                                    f'{p!r} is not one of I, D, W, M')
            if p != first:
                raise FeedDataError(f'{self._source_name()}: row {self._srcrows[i]}: period '
                                    f'{p!r} differs from the first row\'s {first!r}; one file '
                                    'holds one timeframe')
        return self.vctframes[first]

    def _days(self, col: np.ndarray) -> np.ndarray:
        text = [v.strip() for v in col]
        iso = [f'{v[0:4]}-{v[4:6]}-{v[6:8]}' if len(v) == 8 and v.isdigit() else '' for v in text]
        try:
            if all(iso):
                return np.array(iso, dtype='datetime64[D]')
        except ValueError:
            pass
        for i, v in enumerate(iso):  # find the bad row
            try:
                if not v:
                    raise ValueError
                np.datetime64(v, 'D')
            except ValueError:
                raise FeedDataError(f'{self._source_name()}: row {self._srcrows[i]}: date '
                                    f'{text[i]!r} is not YYYYMMDD') from None
        raise AssertionError('unreachable')

    def _seconds(self, col: np.ndarray) -> np.ndarray:
        out = np.empty(len(col), dtype=np.int64)
        for i, v in enumerate(col):
            try:
                hh, mmss = divmod(int(v), 10000)
                mm, ss = divmod(mmss, 100)
                if not (0 <= hh < 24 and 0 <= mm < 60 and 0 <= ss < 60):
                    raise ValueError
            except ValueError:
                raise FeedDataError(f'{self._source_name()}: row {self._srcrows[i]}: time '
                                    f'{v!r} is not HHMMSS') from None
            out[i] = (hh * 60 + mm) * 60 + ss
        return out


class VChartCSV(CSVFeedBase):
    DataCls = VChartCSVData
