"""VisualChart's binary data files (``.fd`` daily, ``.min`` intraday).

A file is a run of fixed-size little-endian records: the date as
``year * 500 + month * 32 + day`` (uint32), for intraday records the time as
seconds of the day (uint32), then open, high, low, close (float32), volume
and open interest (uint32).
"""
from __future__ import annotations

import datetime
import os
from typing import Any

import numpy as np

from ..dataseries import TimeFrame
from ..feed import DataBase, FeedBase, FeedDataError
from ..utils.date import dates2num

__all__ = ('VChartData', 'VChartFeed', 'read_vchart')

_PRICES = ('open', 'high', 'low', 'close')
_DAILY = np.dtype([('date', '<u4'), ('open', '<f4'), ('high', '<f4'), ('low', '<f4'),
                   ('close', '<f4'), ('volume', '<u4'), ('openinterest', '<u4')])
_INTRADAY = np.dtype([('date', '<u4'), ('time', '<u4'), ('open', '<f4'), ('high', '<f4'),
                      ('low', '<f4'), ('close', '<f4'), ('volume', '<u4'),
                      ('openinterest', '<u4')])


def read_vchart(source: Any, intraday: bool, name: str,
                sessionend: datetime.time | None = None) -> dict:
    """Every record of a VisualChart file (path or binary file object) as line arrays.

    Daily records are stamped at ``sessionend`` (midnight when None). A
    record with an impossible date or time, or a file cut inside a record,
    raises FeedDataError naming ``name`` and the record.
    """
    if hasattr(source, 'read'):
        raw = source.read()
    else:
        try:
            with open(source, 'rb') as f:
                raw = f.read()
        except OSError as e:
            raise FileNotFoundError(f'{source}: cannot open VisualChart file: '
                                    f'{e.strerror}') from None
    dtype = _INTRADAY if intraday else _DAILY
    if len(raw) % dtype.itemsize:
        raise FeedDataError(f'{name}: {len(raw)} bytes is not a whole number of '
                            f'{dtype.itemsize}-byte {"intraday" if intraday else "daily"} '
                            f'records (record {len(raw) // dtype.itemsize + 1} is cut short)')
    rec = np.frombuffer(raw, dtype=dtype)
    year, md = np.divmod(rec['date'].astype(np.int64), 500)
    month, day = np.divmod(md, 32)
    days = _days(year, month, day, name)
    stamps = days.astype('datetime64[us]')
    if intraday:
        secs = rec['time'].astype(np.int64)
        bad = np.flatnonzero(secs >= 86400)
        if len(bad):
            raise FeedDataError(f'{name}: record {bad[0] + 1}: time {secs[bad[0]]} is not '
                                'seconds of a day')
        stamps = stamps + (secs * 1000000).astype('timedelta64[us]')
    elif sessionend is not None:
        end = ((sessionend.hour * 60 + sessionend.minute) * 60 + sessionend.second) * 1000000
        stamps = stamps + np.timedelta64(end + sessionend.microsecond, 'us')
    out = {'datetime': dates2num(stamps)}
    for line in _PRICES + ('volume', 'openinterest'):
        out[line] = rec[line].astype(np.float64)
    return out


def _days(year: np.ndarray, month: np.ndarray, day: np.ndarray, name: str) -> np.ndarray:
    ok = (year >= 1) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1)
    first = ((np.clip(year, 1, 9999) - 1970).astype('datetime64[Y]')
             + (np.clip(month, 1, 12) - 1).astype('timedelta64[M]'))
    mdays = ((first + np.timedelta64(1, 'M')).astype('datetime64[D]')
             - first.astype('datetime64[D]')).astype(np.int64)
    ok &= day <= mdays
    bad = np.flatnonzero(~ok)
    if len(bad):
        i = int(bad[0])
        raise FeedDataError(f'{name}: record {i + 1}: date {year[i]}-{month[i]}-{day[i]} '
                            'is not a calendar date')
    return first.astype('datetime64[D]') + (day - 1).astype('timedelta64[D]')


class VChartData(DataBase):
    """A VisualChart ``.fd``/``.min`` file (a path, or a binary file object).

    The extension gives the timeframe (``.fd`` days, ``.min`` minutes); a
    path without one gets the extension of the ``timeframe`` param, and a
    file object is read as that timeframe. As in backtrader, daily bars are
    stamped at midnight (``VChartFile`` stamps them at ``sessionend``).
    """

    def start(self) -> None:
        super().start()
        name = self.p.dataname
        if not hasattr(name, 'read'):
            name = os.fspath(name)
            if name.endswith('.fd'):
                self.p.timeframe = self._timeframe = TimeFrame.Days
            elif name.endswith('.min'):
                self.p.timeframe = self._timeframe = TimeFrame.Minutes
            else:
                name += '.fd' if self.p.timeframe == TimeFrame.Days else '.min'
        self._vcpath = name

    def _loadarrays(self) -> dict:
        out = read_vchart(self._vcpath, self.p.timeframe < TimeFrame.Days,
                          self._source_name())
        self._srcrows = np.arange(1, len(out['datetime']) + 1)  # record numbers
        return out


class VChartFeed(FeedBase):
    """Makes VChartData feeds from market codes under ``basepath``:
    ``basepath/RealServer/Data/<code[0:2]>/<code[2:6]>/<code>``."""

    DataCls = VChartData
    params = (('basepath', ''),) + FeedBase.params

    def __init__(self, basepath: str = '', **kwargs) -> None:
        super().__init__(**kwargs)
        self.basepath = basepath

    def getdata(self, dataname, name='', **kwargs):
        path = os.path.join(self.basepath, 'RealServer', 'Data',
                            dataname[0:2], dataname[2:6], dataname)
        return super().getdata(path, name=name, **kwargs)
