"""CSV files of any column layout, described by params (backtrader's GenericCSVData)."""
from __future__ import annotations

import datetime
import numbers
import re
from typing import Any, Callable

import numpy as np

from ..dataseries import TimeFrame
from ..feed import FeedDataError
from ..utils.date import date2num, dates2num
from .csvbase import CSVDataBase, CSVFeedBase

__all__ = ('GenericCSVData', 'GenericCSV')

# strptime directives that pandas.to_datetime parses the same way; formats
# using anything else are parsed by datetime.strptime alone
_PANDAS_DIRECTIVES = set('YmdHMSf%')

# datetime.utcfromtimestamp's range (years 1 to 9999)
_MIN_SECS = -62135596800
_MAX_SECS = 253402300799


class GenericCSVData(CSVDataBase):
    """A CSV file whose columns are given by index params (-1 or None: absent).

    ``dtformat`` is a strptime format, a callable taking the datetime field and
    returning a ``datetime``, or the int 1 (Unix seconds, integer text) or 2
    (Unix seconds, float text). With a ``time`` column (and a string
    ``dtformat``) the two fields are joined with ``'T'`` and parsed with
    ``dtformat + 'T' + tmformat``. Blank cells take ``nullvalue``. Daily and
    longer bars are stamped at ``sessionend`` unless their time is later.
    Extra lines come from subclasses: ``lines = ('pe',)`` plus a ``pe`` param
    holding its column index.
    """

    params = (
        ('nullvalue', float('NaN')),
        ('dtformat', '%Y-%m-%d %H:%M:%S'),
        ('tmformat', '%H:%M:%S'),
        ('datetime', 0),
        ('time', -1),
        ('open', 1),
        ('high', 2),
        ('low', 3),
        ('close', 4),
        ('volume', 5),
        ('openinterest', 6),
    )

    # -- columns ---------------------------------------------------------
    def _colindex(self, name: str) -> int | None:
        """The column param ``name`` as an index, None when absent."""
        try:
            idx = getattr(self.p, name)
        except AttributeError:
            raise ValueError(f'{type(self).__name__}: line {name!r} has no column param; '
                             f'declare it, e.g. params = (({name!r}, 7),) or -1 if '
                             'absent') from None
        if idx is None:
            return None
        if isinstance(idx, bool) or not isinstance(idx, numbers.Integral):
            raise ValueError(f'{self._source_name()}: param {name}={idx!r} must be a '
                             'column index (int, -1 or None when absent)')
        return int(idx) if idx >= 0 else None

    def _loadcolumns(self) -> dict:
        p = self.p
        dtconv = self._dtconverter()
        dtidx = self._colindex('datetime')
        if dtidx is None:
            raise ValueError(f'{self._source_name()}: param datetime={p.datetime!r} must be '
                             'the index of the date/time column')
        strcols = {'datetime': dtidx}
        tmidx = self._colindex('time')
        if tmidx is not None and isinstance(p.dtformat, str):
            strcols['time'] = tmidx  # backtrader ignores the time column otherwise
        lines = [x for x in self.getlinealiases() if x != 'datetime']
        where = {name: self._colindex(name) for name in lines}
        numcols = {name: idx for name, idx in where.items() if idx is not None}
        table = self._read_table(strcols, numcols, p.nullvalue)
        n = len(self._srcrows)
        self._absent = {name: idx is None for name, idx in where.items()}
        out = {}
        used = set()
        for name in lines:
            if name not in numcols:
                out[name] = np.full(n, p.nullvalue, dtype=float)
            else:
                # lines use their arrays as storage: two lines reading one
                # column must not share it
                a = table[name]
                out[name] = a.copy() if numcols[name] in used else a
                used.add(numcols[name])
        stamps = table['datetime']
        fmt = p.dtformat
        if 'time' in table:
            stamps = stamps + 'T' + table['time']
            fmt = fmt + 'T' + p.tmformat
        out['datetime'] = self._datetimes(stamps, dtconv, fmt)
        return out

    def _loadline(self, linetokens: list) -> bool:
        """One row into the lines (used only by subclasses overriding this)."""
        p = self.p
        stamp = linetokens[p.datetime]
        fmt = p.dtformat
        if isinstance(fmt, str):
            if self._colindex('time') is not None:
                stamp += 'T' + linetokens[p.time]
                fmt += 'T' + p.tmformat
            dt = datetime.datetime.strptime(stamp, fmt)
        elif isinstance(fmt, numbers.Integral) and int(fmt) in (1, 2):
            secs = int(stamp) if int(fmt) == 1 else float(stamp)
            dt = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc).replace(tzinfo=None)
        else:
            self._dtconverter()  # raises on a bad dtformat
            dt = fmt(stamp)
        num = date2num(dt)
        if p.timeframe >= TimeFrame.Days:
            own = date2num(self._tzinput.localize(dt)) if self._tzinput is not None else num
            eos = self.date2num(datetime.datetime.combine(dt.date(), p.sessionend))
            num = eos if eos > own else num
        self.lines.datetime[0] = num
        for name in self.getlinealiases():
            if name == 'datetime':
                continue
            idx = self._colindex(name)
            token = p.nullvalue if idx is None else linetokens[idx]
            getattr(self.lines, name)[0] = float(p.nullvalue if token == '' else token)
        return True

    # -- date and time ---------------------------------------------------
    def _dtconverter(self) -> Callable | None:
        """None for a strptime format, else the converter of unique strings."""
        fmt = self.p.dtformat
        if isinstance(fmt, str):
            return None
        if isinstance(fmt, numbers.Integral):  # bools included, as in backtrader
            if int(fmt) == 1:
                return self._unix_int
            if int(fmt) == 2:
                return self._unix_float
            raise ValueError(f'{self._source_name()}: param dtformat={fmt!r}: an int '
                             'dtformat must be 1 (Unix seconds) or 2 (Unix seconds as float)')
        if callable(fmt):
            return self._call_dtformat
        raise ValueError(f'{self._source_name()}: param dtformat={fmt!r} must be a strptime '
                         'format, a callable or 1/2 (Unix timestamps)')

    def _datetimes(self, stamps: np.ndarray, dtconv: Callable | None, fmt: Any) -> np.ndarray:
        """The datetime line from the date(+time) strings."""
        import pandas as pd
        codes, uniq = pd.factorize(stamps)
        uniq = np.asarray(uniq, dtype=object)
        if dtconv is None:
            local, num = self._strptime(uniq, codes, fmt)
        else:
            local, num = dtconv(uniq, codes)
        if self.p.timeframe >= TimeFrame.Days:
            num = self._sessionend(local, num)
        return num[codes]

    def _badstamp(self, codes: np.ndarray, j: int, value: Any, why: str) -> FeedDataError:
        row = self._srcrows[int(np.flatnonzero(codes == j)[0])]
        return FeedDataError(f'{self._source_name()}: row {row}: datetime {value!r} {why}')

    def _strptime(self, uniq: np.ndarray, codes: np.ndarray, fmt: str):
        """(naive wall-clock datetime64[us], day numbers) of the unique strings."""
        local = np.empty(len(uniq), dtype='datetime64[us]')
        todo = np.ones(len(uniq), dtype=bool)
        if set(re.findall(r'%(.)', fmt)) <= _PANDAS_DIRECTIVES and len(uniq):
            import pandas as pd
            try:
                parsed = pd.to_datetime(uniq, format=fmt)
            except (ValueError, TypeError, OverflowError):
                parsed = None
            if parsed is not None and parsed.tz is None and not parsed.isna().any():
                # Keep only values that format back to the very same text:
                # for those strptime provably agrees (pandas is more lenient
                # with e.g. 9 fraction digits or a 60th second).
                same = np.asarray(parsed.strftime(fmt), dtype=object) == uniq
                local[same] = parsed.to_numpy(dtype='datetime64[us]')[same]
                todo = ~same
        aware = {}
        for j in np.flatnonzero(todo):
            s = uniq[j]
            try:
                dt = datetime.datetime.strptime(s, fmt)
            except (ValueError, TypeError) as e:
                raise self._badstamp(codes, j, s, f'does not match dtformat {fmt!r} ({e})')
            if dt.tzinfo is not None:
                aware[j] = date2num(dt)  # %z: backtrader's date2num takes it to UTC
                dt = dt.replace(tzinfo=None)
            local[j] = dt
        num = dates2num(local)
        for j, v in aware.items():
            num[j] = v
        return local, num

    def _unix_int(self, uniq: np.ndarray, codes: np.ndarray):
        """dtformat=1: ``utcfromtimestamp(int(text))``."""
        try:
            secs = np.asarray(uniq, dtype=str).astype(np.int64)
        except (ValueError, OverflowError):
            secs = np.zeros(len(uniq), dtype=np.int64)
            for j, s in enumerate(uniq):
                try:
                    secs[j] = int(s)
                except (ValueError, OverflowError):
                    raise self._badstamp(codes, j, s, 'is not a Unix timestamp in '
                                         'whole seconds (dtformat=1)') from None
        return self._from_unix(uniq, codes, secs, np.zeros(len(uniq), dtype=np.int64))

    def _unix_float(self, uniq: np.ndarray, codes: np.ndarray):
        """dtformat=2: ``utcfromtimestamp(float(text))``, microseconds rounded half-even."""
        values = self._tofloats_unique(uniq, codes)
        bad = np.flatnonzero(~np.isfinite(values))
        if len(bad):
            raise self._badstamp(codes, bad[0], uniq[bad[0]], 'is not a finite timestamp')
        # the same steps as CPython's _PyTime_DoubleToDenominator
        frac, whole = np.modf(values)
        us = np.rint(frac * 1e6)
        up = us >= 1e6
        us[up] -= 1e6
        whole[up] += 1.0
        down = us < 0
        us[down] += 1e6
        whole[down] -= 1.0
        return self._from_unix(uniq, codes, whole.astype(np.int64), us.astype(np.int64))

    def _tofloats_unique(self, uniq: np.ndarray, codes: np.ndarray) -> np.ndarray:
        try:
            return np.asarray(uniq, dtype=str).astype(float)
        except ValueError:
            for j, s in enumerate(uniq):
                try:
                    float(s)
                except ValueError:
                    raise self._badstamp(codes, j, s, 'is not a Unix timestamp '
                                         '(dtformat=2)') from None
            raise

    def _from_unix(self, uniq, codes, secs: np.ndarray, us: np.ndarray):
        bad = np.flatnonzero((secs < _MIN_SECS) | (secs > _MAX_SECS))
        if len(bad):
            raise self._badstamp(codes, bad[0], uniq[bad[0]], 'is out of the datetime range')
        local = (secs * 1000000 + us).astype('datetime64[us]')
        return local, dates2num(local)

    def _call_dtformat(self, uniq: np.ndarray, codes: np.ndarray):
        """A callable dtformat, called once per distinct string."""
        conv = self.p.dtformat
        local = np.empty(len(uniq), dtype='datetime64[us]')
        num = np.empty(len(uniq))
        for j, s in enumerate(uniq):
            try:
                dt = conv(s)
            except Exception as e:
                raise self._badstamp(codes, j, s, f'rejected by dtformat: '
                                     f'{type(e).__name__}: {e}') from None
            if not isinstance(dt, datetime.datetime):
                if isinstance(dt, datetime.date):
                    dt = datetime.datetime.combine(dt, datetime.time())
                else:
                    raise self._badstamp(codes, j, s, f'gave {dt!r} from dtformat, '
                                         'not a datetime')
            num[j] = date2num(dt)
            local[j] = dt.replace(tzinfo=None)
        return local, num

    def _sessionend(self, local: np.ndarray, num: np.ndarray) -> np.ndarray:
        """Daily bars: the session end of their day, unless their own time is later."""
        end = self.p.sessionend
        days = local.astype('datetime64[D]')
        if self._tz is None:
            endus = ((end.hour * 60 + end.minute) * 60 + end.second) * 1000000 + end.microsecond
            eos = dates2num(days.astype('datetime64[us]') + np.timedelta64(endus, 'us'))
        else:
            # the session end is in the output zone, converted to UTC
            udays, inv = np.unique(days, return_inverse=True)
            ueos = np.array([self.date2num(datetime.datetime.combine(d, end))
                             for d in udays.astype(object)])
            eos = ueos[inv.reshape(-1)]
        if self._tzinput is not None:
            # compared with the bar's time read in the input zone
            tzin = self._tzinput
            cmp = np.array([date2num(tzin.localize(dt)) for dt in local.astype(object)])
        else:
            cmp = num
        return np.where(eos > cmp, eos, num)


class GenericCSV(CSVFeedBase):
    DataCls = GenericCSVData
