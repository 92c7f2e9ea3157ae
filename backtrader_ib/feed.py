"""Data feeds: where bars come from.

A feed fills its lines one of two ways:

* vectorised: the subclass implements ``_loadarrays()`` returning every bar at
  once as NumPy arrays (CSV files, DataFrames). Validation and the
  fromdate/todate window are applied to whole columns, and preloading is a
  single assignment per line.
* bar by bar: the subclass implements ``_load()`` writing ``self.lines.x[0]``
  for one new bar and returning True, or False when there is no more
  (custom and live feeds, exactly as in backtrader).

Bad input never turns into a silent wrong number: malformed values, unsorted
or duplicated timestamps and half-missing prices raise ``ValueError`` naming
the source and row; rows with no price at all are skipped with a warning.

CSV parsing (``CSVDataBase``) lives in ``feeds/csvbase.py``; this module
still answers for its names, the import path backtrader code uses.
"""
from __future__ import annotations

import collections
import datetime
import numbers
import os
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from .dataseries import OHLCDateTime, TimeFrame
from .linebuffer import Timeline
from .resamplerfilter import Replayer, Resampler
from .tradingcal import PandasMarketCalendar
from .utils.overrides import overridden_below
from .utils.date import (TIME_MAX, Localizer, date2num, localize_nums, num2date,
                         time2num, tzparse)
from .utils.userwarn import warn_user

if TYPE_CHECKING:  # resolved at run time by __getattr__ below
    from .feeds.csvbase import CSVDataBase, CSVFeedBase

__all__ = ('AbstractDataBase', 'DataBase', 'FeedBase', 'CSVDataBase',
           'CSVFeedBase', 'DataClone', 'FeedDataError')

PRICE_LINES = ('open', 'high', 'low', 'close')


class FeedDataError(ValueError):
    """Bad input data; the message names the source, row and column."""


class AbstractDataBase(OHLCDateTime):
    params = (
        ('dataname', None),
        ('name', ''),
        ('compression', 1),
        ('timeframe', TimeFrame.Days),
        ('fromdate', None),
        ('todate', None),
        ('sessionstart', None),
        ('sessionend', None),
        ('filters', []),
        ('tz', None),
        ('tzinput', None),
        ('qcheck', 0.0),
        ('calendar', None),
    )

    (CONNECTED, DISCONNECTED, CONNBROKEN, DELAYED, LIVE, NOTSUBSCRIBED,
     NOTSUPPORTED_TF, UNKNOWN) = range(8)
    _NOTIFNAMES = ['CONNECTED', 'DISCONNECTED', 'CONNBROKEN', 'DELAYED',
                   'LIVE', 'NOTSUBSCRIBED', 'NOTSUPPORTED_TIMEFRAME', 'UNKNOWN']

    _compensate = None
    _feed = None
    _store: Any = None  # the Store class of a live feed
    _srcrows: Any  # each bar's source row (file line numbers, labels), for error messages
    _clone = False
    _qcheck = 0.0
    _tmoffset = datetime.timedelta()
    resampling = 0
    replaying = 0
    _started = False
    _owner = None
    _exhausted = False  # the source has no more bars (preloaded or ended)
    _vecload = None  # resample_vec: loads precomputed resampled bars (None: load here)
    _ownload = False  # a subclass's own _load delivers the columns' rows (see _start)
    # set by replay/ticks handling to the bar-so-far prices the broker matches
    tick_open = tick_high = tick_low = tick_close = tick_volume = tick_openinterest = None

    @classmethod
    def _getstatusname(cls, status: int) -> str:
        return cls._NOTIFNAMES[status]

    # -- construction ----------------------------------------------------
    def _preinit(self, args, kwargs):
        args, kwargs = super()._preinit(args, kwargs)
        self._makelines(Timeline())
        p = self.p
        self._name = p.name or ''
        self._dataname = p.dataname
        self._compression = p.compression
        self._timeframe = p.timeframe
        if isinstance(p.sessionstart, datetime.datetime):
            p.sessionstart = p.sessionstart.time()
        elif p.sessionstart is None:
            p.sessionstart = datetime.time.min
        if isinstance(p.sessionend, datetime.datetime):
            p.sessionend = p.sessionend.time()
        elif p.sessionend is None:
            p.sessionend = TIME_MAX
        # a plain date covers its whole session
        if isinstance(p.fromdate, datetime.date) and not isinstance(p.fromdate, datetime.datetime):
            p.fromdate = datetime.datetime.combine(p.fromdate, p.sessionstart)
        if isinstance(p.todate, datetime.date) and not isinstance(p.todate, datetime.datetime):
            p.todate = datetime.datetime.combine(p.todate, p.sessionend)
        for name in ('fromdate', 'todate'):
            value = getattr(p, name)
            if value is not None and not isinstance(value, datetime.datetime):
                raise TypeError(f'{self._source_name()}: param {name} must be a datetime or '
                                f'date, got {value!r}')
        tf = p.timeframe
        if (not isinstance(tf, numbers.Integral) or isinstance(tf, bool)
                or not TimeFrame.Ticks <= tf <= TimeFrame.NoTimeFrame):
            raise ValueError(f'{self._source_name()}: param timeframe must be a TimeFrame '
                             f'value (bt.TimeFrame.Days, ...), got {tf!r}')
        comp = p.compression
        if not isinstance(comp, numbers.Integral) or isinstance(comp, bool) or comp < 1:
            raise ValueError(f'{self._source_name()}: param compression must be a positive '
                             f'integer, got {comp!r}')
        if (isinstance(p.fromdate, datetime.datetime) and isinstance(p.todate, datetime.datetime)
                and p.fromdate > p.todate):
            raise ValueError(f'{self._source_name()}: fromdate {p.fromdate} is after '
                             f'todate {p.todate}')
        self._filters = []
        self._ffilters = []
        self._barstack = collections.deque()
        self._barstash = collections.deque()
        self.notifs = collections.deque()
        self._laststatus = self.CONNECTED
        self._src = None
        self._env = None
        self._tz = None
        self._tzinput = None
        self.fromdate = float('-inf')
        self.todate = float('inf')
        return args, kwargs

    def _postinit(self) -> None:
        super()._postinit()
        for f in self.p.filters:
            self.addfilter(f)

    def _source_name(self) -> str:
        name = self.p.dataname
        if isinstance(name, (str, os.PathLike)):
            return str(name)
        return self.p.name or type(self).__name__

    # -- time zones ------------------------------------------------------
    def _gettz(self):
        return tzparse(self.p.tz)

    def _gettzinput(self):
        return tzparse(self.p.tzinput)

    def date2num(self, dt: datetime.datetime) -> float:
        if self._tz is not None:
            return date2num(self._tz.localize(dt))
        return date2num(dt)

    def num2date(self, dt: float | None = None, tz: Any = None, naive: bool = True):
        if dt is None:
            return num2date(self.lines.datetime[0], tz or self._tz, naive)
        return num2date(dt, tz or self._tz, naive)

    def _start_finish(self) -> None:
        self._tz = self._gettz()
        self.lines.datetime._settz(self._tz)
        self._tzinput = Localizer(self._gettzinput())
        self.fromdate = float('-inf') if self.p.fromdate is None else self.date2num(self.p.fromdate)
        self.todate = float('inf') if self.p.todate is None else self.date2num(self.p.todate)
        self.sessionstart = time2num(self.p.sessionstart)
        self.sessionend = time2num(self.p.sessionend)
        cal = self.p.calendar
        if cal is None and self._env is not None:
            cal = self._env._tradingcal
        elif isinstance(cal, str):  # an exchange name for pandas_market_calendars
            cal = PandasMarketCalendar(calendar=cal)
        self._calendar = cal
        self._started = True

    # -- life cycle ------------------------------------------------------
    def _start(self) -> None:
        self.start()
        if not self._started:
            self._start_finish()
        self._exhausted = False
        self._runno = getattr(self, '_runno', 0) + 1  # resample_vec.run_started reads it
        if hasattr(self, '_loadarrays'):
            if self._src is None:
                self._src = self._prepare(self._loadarrays())
                self._srcrows = None  # only error messages needed the row names
            self._srcpos = 0  # a feed may be run again (several Cerebro runs)
            # a subclass's own _load: its bars go through it (super()._load() hands
            # out the columns' rows); backtrader programs override it to change bars
            self._ownload = overridden_below(type(self), '_load', '_loadarrays')

    def start(self) -> None:
        self._barstack = collections.deque()
        self._barstash = collections.deque()
        self._laststatus = self.CONNECTED

    def stop(self) -> None:
        pass

    def _stop(self) -> None:
        self.stop()

    def setenvironment(self, env) -> None:
        self._env = env

    def getenvironment(self):
        return self._env

    def islive(self) -> bool:
        return False

    def haslivedata(self) -> bool:
        return False

    def do_qcheck(self, onoff: bool, qlapse: float) -> None:
        """How long a live ``_load`` may wait for data: ``qcheck`` less the
        time the loop already spent on other feeds (0: don't wait)."""
        self._qcheck = max(0.0, self.p.qcheck - qlapse) if onoff else 0.0

    def _timeoffset(self) -> datetime.timedelta:
        """Source clock minus local clock (a live store corrects with it)."""
        return self._tmoffset

    def _utcnow(self) -> datetime.datetime:
        """The source's current UTC time (naive): what closes bars by the clock."""
        return datetime.datetime.utcnow() + self._timeoffset()

    def put_notification(self, status: int, *args, **kwargs) -> None:
        if status != self._laststatus:
            self.notifs.append((status, args, kwargs))
            self._laststatus = status

    def get_notifications(self) -> list:
        self.notifs.append(None)
        out = []
        while True:
            n = self.notifs.popleft()
            if n is None:
                break
            out.append(n)
        return out

    def getfeed(self):
        return self._feed

    def qbuffer(self, savemem: int = 0, replaying: bool = False) -> None:
        self._tl.keep = max(self._tl.keep, 1)

    def _setkeep(self, keep: int) -> None:
        self._tl.keep = keep

    # -- filters -----------------------------------------------------------
    def addfilter(self, p, *args, **kwargs) -> None:
        """Add a filter: a class (built here with this data and the arguments)
        or a callable ``f(data, *args, **kwargs)``. A filter returning True has
        taken the bar out of the stream; one with ``last(data)`` may still
        deliver bars when the source ends."""
        if isinstance(p, type):
            pobj = p(self, *args, **kwargs)
            self._filters.append((pobj, (), {}))
            if hasattr(pobj, 'last'):
                self._ffilters.append((pobj, (), {}))
        else:
            self._filters.append((p, args, kwargs))

    def addfilter_simple(self, f, *args, **kwargs) -> None:
        """Add ``f(data, *args, **kwargs)``: a True answer drops the bar."""
        def simple(data, *fargs, **fkwargs):
            if f(data, *fargs, **fkwargs):
                data.backwards()
                return True
            return False
        self._filters.append((simple, args, kwargs))

    def compensate(self, other) -> None:
        """Orders on this data compensate the position held in ``other``."""
        self._compensate = other

    def resample(self, **kwargs) -> None:
        self.addfilter(Resampler, **kwargs)

    def replay(self, **kwargs) -> None:
        self.addfilter(Replayer, **kwargs)

    # -- the bar stacks filters use ------------------------------------------
    def _add2stack(self, bar, stash: bool = False) -> None:
        """Queue a bar (values in line order) for delivery before new loads;
        ``stash`` queues it instead of the next load from the source."""
        (self._barstash if stash else self._barstack).append(bar)

    def _save2stack(self, erase: bool = False, force: bool = False,
                    stash: bool = False) -> None:
        """Queue the current bar; ``erase`` takes it off the lines too."""
        self._add2stack([line[0] for line in self.lines], stash=stash)
        if erase:
            self.backwards(force=force)

    def _updatebar(self, bar, forward: bool = False, ago: int = 0) -> None:
        """Write ``bar`` (values in line order) over the bar ``ago``."""
        if forward:
            self.forward()
        for line, val in zip(self.lines, bar):
            line[ago] = val

    def _fromstack(self, forward: bool = False, stash: bool = False) -> bool:
        """Move the oldest queued bar onto the lines; False if none is queued."""
        queue = self._barstash if stash else self._barstack
        if not queue:
            return False
        if forward:
            self.forward()
        for line, val in zip(self.lines, queue.popleft()):
            line[0] = val
        return True

    # -- tick_* values: the latest prices of a bar still forming -----------
    def _tick_nullify(self) -> None:
        for name in self.lines._lines:
            if name != 'datetime':
                setattr(self, 'tick_' + name, None)
        self.tick_last = None

    def _tick_fill(self, force: bool = False) -> None:
        """Set tick_* from the current bar (unless already set, or ``force``)."""
        names = self.lines._lines
        if force or getattr(self, 'tick_' + names[0], None) is None:
            for name, line in zip(names, self.lines):
                if name != 'datetime':
                    setattr(self, 'tick_' + name, line[0])
            self.tick_last = self.lines[0][0]

    # -- vectorised source -----------------------------------------------
    def _rowname(self, i: int) -> str:
        """How to name row ``i`` of the source in an error message."""
        rows = getattr(self, '_srcrows', None)
        if rows is not None:
            return self._rowlabel(rows[i])
        return str(i)

    def _rowlabel(self, row) -> str:
        """A source row number (as kept in ``_srcrows``) as shown to users."""
        return str(row)

    def _prepare(self, arrays: dict) -> dict:
        """Validate and window whole columns from ``_loadarrays``."""
        src = self._source_name()
        rows = getattr(self, '_srcrows', None)
        dt = np.asarray(arrays['datetime'], dtype=float)
        n = len(dt)
        bad = np.flatnonzero(np.isnan(dt))
        if len(bad):
            raise FeedDataError(f'{src}: row {self._rowname(bad[0])}: missing date/time')
        if not n:
            raise FeedDataError(f'{type(self).__name__}: {self._source_desc()} has no data rows')
        cols = {k: np.asarray(v, dtype=float) for k, v in arrays.items()}
        present = [k for k in PRICE_LINES if k in cols and not getattr(self, '_absent', {}).get(k)]
        if present and n:
            isnan = np.column_stack([np.isnan(cols[k]) for k in present])
            allnan = isnan.all(axis=1)
            partial = isnan.any(axis=1) & ~allnan
            if partial.any():
                i = int(np.flatnonzero(partial)[0])
                col = present[int(np.flatnonzero(isnan[i])[0])]
                raise FeedDataError(f'{src}: row {self._rowname(i)}: {col} is missing or NaN '
                                    'while other prices are present')
            if allnan.any():
                drop = np.flatnonzero(allnan)
                warnings.warn(f'{src}: skipped {len(drop)} row(s) with no prices '
                              f'(first: row {self._rowname(drop[0])})', stacklevel=3)
                keep = ~allnan
                cols = {k: v[keep] for k, v in cols.items()}
                if rows is not None:
                    rows = np.asarray(rows)[keep]
                    self._srcrows = rows
                dt = cols['datetime']
        self._check_values(cols, present)
        if self._tzinput is not None:
            dt = self._localize_input(dt)
            cols['datetime'] = dt
        if len(dt) > 1:
            step = np.diff(dt)
            back = np.flatnonzero(step < 0)
            if len(back):
                i = int(back[0]) + 1
                raise FeedDataError(
                    f'{src}: row {self._rowname(i)}: timestamp {num2date(dt[i])} is '
                    f'earlier than the previous row ({num2date(dt[i - 1])}); '
                    'the data must be sorted by time')
            if self.p.timeframe != TimeFrame.Ticks:
                dup = np.flatnonzero(step == 0)
                if len(dup):
                    i = int(dup[0]) + 1
                    raise FeedDataError(
                        f'{src}: row {self._rowname(i)}: duplicate timestamp '
                        f'{num2date(dt[i])} (also on row {self._rowname(i - 1)})')
        lo = np.searchsorted(dt, self.fromdate, side='left')
        hi = np.searchsorted(dt, self.todate, side='right')
        if lo or hi < len(dt):
            cols = {k: v[lo:hi] for k, v in cols.items()}
            if rows is not None:
                self._srcrows = np.asarray(rows)[lo:hi]
        return cols

    def _check_values(self, cols: dict, prices: list) -> None:
        """Impossible values are errors; odd but real ones (negative prices) warnings."""
        src = self._source_name()
        counts = [k for k in ('volume', 'openinterest')
                  if k in cols and not getattr(self, '_absent', {}).get(k)]
        for k in prices + counts:
            a = cols[k]
            iscount = k in counts
            unknown = a == -1.0 if iscount else np.zeros(len(a), dtype=bool)  # TWS: not known
            bad = np.flatnonzero(np.isinf(a) | ((a < 0) & ~unknown if iscount else False))
            if len(bad):
                i = int(bad[0])
                raise FeedDataError(f'{src}: row {self._rowname(i)}: {k} is {a[i]}'
                                    + (f'; a {k} must be >= 0' if iscount else ''))
            if unknown.any():
                i = int(np.flatnonzero(unknown)[0])
                warn_user(f'{src}: {k} is -1 on {int(unknown.sum())} row(s) (first: row '
                          f'{self._rowname(i)}); kept as is (Interactive Brokers sends -1 '
                          'for "not known")')
        if prices:
            neg = np.column_stack([cols[k] < 0 for k in prices]).any(axis=1)
            if neg.any():
                i = int(np.flatnonzero(neg)[0])
                # real for spreads and some futures (crude oil in April 2020)
                warn_user(f'{src}: {int(neg.sum())} row(s) with a negative price (first: row '
                          f'{self._rowname(i)}, ' + ', '.join(
                              f'{k}={cols[k][i]}' for k in prices) + ')')
        if 'high' in prices and 'low' in prices:
            inverted = cols['high'] < cols['low']
            if inverted.any():
                i = int(np.flatnonzero(inverted)[0])
                where = (f'first: row {self._rowname(i)}, high={cols["high"][i]} '
                         f'low={cols["low"][i]}')
                if inverted.all():
                    raise FeedDataError(f'{src}: high is below low on every row ({where}); '
                                        'are the high and low columns swapped?')
                warn_user(f'{src}: {int(inverted.sum())} row(s) with high below low ({where})')

    def _source_desc(self) -> str:
        """The source as named in a message about its content as a whole."""
        return self._source_name()

    def _localize_input(self, dt: np.ndarray) -> np.ndarray:
        return localize_nums(dt, self._tzinput)

    # -- loading -----------------------------------------------------------
    def preload(self) -> None:
        """Load every bar into the lines, then rewind to before the first."""
        if self._src is not None and not self._filters and not self._ownload:
            src = self._src
            n = len(src['datetime'])
            self._tl.adopt([src.get(name) for name in self.lines._lines], n)
            self._srcpos = n
            self._tl.home()
            self._exhausted = True
            self._src = None  # the lines hold it now (rebuilt on the next start)
            return
        while self.load():
            pass
        self._last()
        self.home()

    def _last(self, datamaster=None) -> bool:
        """The source has ended: filters deliver what they still hold."""
        if not self._ffilters:
            return False
        ret = 0
        for ff, fargs, fkwargs in self._ffilters:
            ret += ff.last(self, *fargs, **fkwargs)
        doticks = datamaster is not None and self._barstack
        while self._fromstack(forward=True):
            pass
        if doticks:
            self._tick_fill()
        return bool(ret)

    def _check(self, forcedata=None) -> None:
        """No new bar: filters may still close one by the clock (resamplers)."""
        for ff, fargs, fkwargs in self._filters:
            if hasattr(ff, 'check'):
                ff.check(self, *fargs, _forcedata=forcedata, **fkwargs)

    def load(self) -> bool | None:
        """Append one bar to the lines: True; False when the source has ended;
        None when a live source has nothing yet."""
        if self._exhausted and not self._barstack:
            return False  # don't grow the lines just to find out again
        if self._vecload is not None:
            ret = self._vecload(self)
            if ret is not None:  # None: the precomputed bars are not for this run
                return ret
        tl = self._tl
        filters = self._filters
        while True:
            tl.forward()
            if self._barstack and self._fromstack():
                return True  # a filter's bar
            if self._exhausted:
                tl.backwards()
                return False
            if not (self._barstash and self._fromstack(stash=True)):
                if self._src is not None and not self._ownload:
                    ret = self._load_src_row()
                else:
                    ret = self._load()
                if not ret:
                    tl.backwards()
                    if ret is None:
                        return None  # live: nothing yet, but not the end
                    if not self._clone:  # a clone waits for its source's next bar
                        self._exhausted = True
                    return False
                if self._src is None:
                    dt = self.lines.datetime[0]
                    if self._tzinput is not None:
                        dt = date2num(self._tzinput.localize(num2date(dt)))
                        self.lines.datetime[0] = dt
                    if dt < self.fromdate:
                        tl.backwards()
                        continue
                    if dt > self.todate:
                        tl.backwards()
                        self._exhausted = True
                        return False
            if filters and self._apply_filters():
                continue  # a filter took the bar: load another
            return True

    def _apply_filters(self) -> bool:
        """Run the bar through the filters; True if one took it out."""
        taken = False
        for ff, fargs, fkwargs in self._filters:
            if self._barstack:  # an earlier filter queued bars: each goes through
                for _ in range(len(self._barstack)):
                    self._fromstack(forward=True)
                    taken = ff(self, *fargs, **fkwargs)
            else:
                taken = ff(self, *fargs, **fkwargs)
            if taken:
                break
        return bool(taken)

    def _load_src_row(self) -> bool:
        i = self._srcpos
        src = self._src
        if i >= len(src['datetime']):
            return False
        tl_idx = self._tl.idx
        for name, buf in zip(self.lines._lines, self.lines._buffers):
            values = src.get(name)
            if values is not None:
                buf._arr[tl_idx] = values[i]
        self._srcpos = i + 1
        return True

    def _load(self) -> bool:
        # a vectorised feed's row, for a subclass's _load calling super()._load()
        return self._load_src_row() if self._src is not None else False

    def next(self, datamaster=None, ticks: bool = True) -> bool | None:
        """Move to the next bar (already loaded, or loaded now). With a
        ``datamaster``, a bar later than the master's is held back (False)."""
        tl = self._tl
        if tl.idx + 1 < tl.end - tl.ext:
            tl.advance()
            if ticks:
                self._tick_nullify()
        else:
            if ticks:
                self._tick_nullify()
            ret = self.load()
            if not ret:
                return ret
            if datamaster is None:
                if ticks:
                    self._tick_fill()
                return ret
        if datamaster is not None and self.lines.datetime[0] > datamaster.lines.datetime[0]:
            self.rewind()
            return False
        if ticks:
            self._tick_fill()
        return True

    def advance(self, size: int = 1, datamaster=None, ticks: bool = True) -> None:
        """Move over preloaded bars; with a ``datamaster`` (oldsync) stay put
        while ahead of it, and past the end give an empty (NaN) bar."""
        if ticks:
            self._tick_nullify()
        tl = self._tl
        tl.advance(size)
        if datamaster is not None:
            if len(self) > self.buflen():
                tl.rewind()
                tl.forward()
                return
            if self.lines.datetime[0] > datamaster.lines.datetime[0]:
                tl.rewind()
            elif ticks:
                self._tick_fill()
        elif ticks and len(self) < self.buflen():
            self._tick_fill()

    def advance_peek(self) -> float:
        tl = self._tl
        i = tl.idx + 1
        if i < tl.end - tl.ext:
            return self.lines.datetime._mv[i]
        return float('inf')

    # -- misc backtrader API ---------------------------------------------
    def _getnexteos(self) -> tuple:
        """The end of the current bar's session: (UTC datetime, day number)."""
        if self._clone:
            return self.data._getnexteos()
        if not len(self):
            return datetime.datetime.min, 0.0
        dtime = num2date(self.lines.datetime[0])
        if self._calendar is None:
            nexteos = num2date(self.date2num(datetime.datetime.combine(dtime, self.p.sessionend)))
            while dtime > nexteos:
                nexteos += datetime.timedelta(days=1)
        else:
            _, nexteos = self._calendar.schedule(dtime, self._tz)
        return nexteos, date2num(nexteos)

    def _gettmoffset(self):
        return self._tmoffset

    def clone(self, **kwargs):
        return DataClone(dataname=self, **kwargs)

    def copyas(self, _dataname, **kwargs):
        d = DataClone(dataname=self, **kwargs)
        d._dataname = _dataname
        d._name = _dataname
        return d

    def __repr__(self):
        return f'<{type(self).__name__} {self._source_name()!r}>'


class DataBase(AbstractDataBase):
    """Base of concrete data feeds."""


class FeedBase:
    """A factory of data feeds sharing common params (backtrader's FeedBase)."""

    params = () + DataBase.params._gettuple()

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.datas = []

    def start(self):
        for data in self.datas:
            data.start()

    def stop(self):
        for data in self.datas:
            data.stop()

    def getdata(self, dataname, name='', **kwargs):
        kw = dict(self.kwargs)
        kw.update(kwargs)
        kw['dataname'] = dataname
        kw['name'] = name
        data = self.DataCls(**kw)
        data._feed = self
        self.datas.append(data)
        return data


class DataClone(AbstractDataBase):
    """A feed that delivers another feed's bars (``data.clone()``), e.g. to
    resample one source to several timeframes."""

    _clone = True

    def __init__(self) -> None:
        self.data = self.p.dataname
        self._dataname = getattr(self.data, '_dataname', self.data.p.dataname)
        # no name of its own unless given one (as backtrader): the source
        # keeps its name, so getdatabyname finds the source, not the copy
        self._timeframe = self.data._timeframe
        self._compression = self.data._compression
        self.p.sessionstart = self.data.p.sessionstart
        self.p.sessionend = self.data.p.sessionend

    def _start(self) -> None:
        self.start()
        data = self.data
        self._tz = data._tz
        self.lines.datetime._settz(self._tz)
        self._calendar = data._calendar
        self._tzinput = None  # the source converted its input already
        self.fromdate, self.todate = data.fromdate, data.todate
        self.sessionstart, self.sessionend = data.sessionstart, data.sessionend
        self._exhausted = False
        self._started = True

    def start(self) -> None:
        super().start()
        self._dlen = 0
        self._preloading = False

    def preload(self) -> None:
        self._preloading = True
        super().preload()
        self.data.home()  # preloading walked the source forward
        self._preloading = False
        self._dlen = self.buflen()  # every source bar is copied already

    def _load(self) -> bool:
        src = self.data
        ago = 0
        if self._preloading:  # walk the (preloaded) source along
            src.advance()
            if len(src) > src.buflen():
                return False
        elif len(src) <= self._dlen:
            return False  # nothing new on the source
        else:
            # the source's next bar we have not copied: the current one unless
            # this clone was held back while the source moved on
            self._dlen += 1
            ago = self._dlen - len(src)
        for mine, theirs in zip(self.lines, src.lines):
            mine[0] = theirs[ago]
        return True

    def islive(self) -> bool:
        return self.data.islive()

    def haslivedata(self) -> bool:
        return self.data.haslivedata()

    def _utcnow(self) -> datetime.datetime:
        return self.data._utcnow()

# backtrader's name for the metaclass of this family (one metaclass builds every object)
MetaAbstractDataBase = MetaCSVDataBase = type(AbstractDataBase)


def __getattr__(name: str):
    # backtrader code imports CSVDataBase/CSVFeedBase from this module, but they
    # live a layer up in feeds/csvbase.py (which imports this one): a lazy
    # import keeps this module's own imports pointing down.
    if name in ('CSVDataBase', 'CSVFeedBase'):
        from .feeds import csvbase
        return getattr(csvbase, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | {'CSVDataBase', 'CSVFeedBase'})
