"""Resampling and replay: filters that build larger bars from a feed's bars.

Both sit in a feed's filter chain (``data.resample(...)``, ``data.replay(...)``,
``cerebro.resampledata(...)``, ``cerebro.replaydata(...)``). For every bar the
source delivers they decide whether the bar being built is over:

* ``Resampler`` takes each source bar out of the stream and delivers the
  finished larger bar (through the feed's bar stack) once it is over.
* ``Replayer`` lets every source bar through but rewrites it as the larger
  bar so far, so strategies see the bar grow; the feed's length moves only
  when a new larger bar starts.

When a bar is over follows backtrader exactly (its results are the
reference): intraday bars close on time boundaries (``bar2edge``) aligned to
the compression, or by counting source bars; days close at the session end;
weeks, months and years when the calendar unit changes (or on the trading
calendar's last day of it). ``check`` lets a live loop close a bar by the
clock when no new data comes.
"""
from __future__ import annotations

import datetime
from typing import Any

from .dataseries import TimeFrame
from . import resample_vec as _vec
from .metabase import ParamsBase
from .utils.date import date2num, num2date

__all__ = ('Resampler', 'Replayer',
           'ResamplerTicks', 'ResamplerSeconds', 'ResamplerMinutes', 'ResamplerDaily',
           'ResamplerWeekly', 'ResamplerMonthly', 'ResamplerYearly',
           'ReplayerTicks', 'ReplayerSeconds', 'ReplayerMinutes', 'ReplayerDaily',
           'ReplayerWeekly', 'ReplayerMonthly', 'DTFaker')

_NAN = float('nan')
_INF = float('inf')


def _hms(x: float) -> tuple:
    """``num2date(x).time()`` as (hour, minute, second, microsecond), without
    building datetimes (the same arithmetic and rounding: the live path calls
    it for every tick)."""
    rem = x - int(x)
    hour, rem = divmod(24.0 * rem, 1)
    minute, rem = divmod(60.0 * rem, 1)
    second, rem = divmod(60.0 * rem, 1)
    micro = int(1e6 * rem)
    h, m, sec = int(hour), int(minute), int(second)
    if micro < 10:
        micro = 0  # float noise just past a whole second
    elif micro > 999990:  # float noise just short of a whole second: round up
        micro = 0
        sec += 1
        if sec == 60:
            sec = 0
            m += 1
            if m == 60:
                m = 0
                h = (h + 1) % 24
    return h, m, sec, micro


class Bar:
    """A bar being built: OHLCV, open interest and time (in line order)."""

    __slots__ = ('close', 'low', 'high', 'open', 'volume', 'openinterest', 'datetime')

    # a date far in the future that still converts back (time zones may add hours)
    MAXDATE = date2num(datetime.datetime.max) - 2

    def __init__(self, maxdate: bool = False) -> None:
        self.bstart(maxdate)

    def bstart(self, maxdate: bool = False) -> None:
        """Empty the bar (not open until the first update)."""
        self.close = _NAN
        self.low = _INF
        self.high = -_INF
        self.open = _NAN
        self.volume = 0.0
        self.openinterest = 0.0
        self.datetime = self.MAXDATE if maxdate else None

    def isopen(self) -> bool:
        o = self.open
        return o == o

    def bupdate(self, data, reopen: bool = False) -> bool:
        """Fold ``data``'s current bar in; True if this opened the bar."""
        if reopen:
            self.bstart()
        # the current bar's values straight from the line arrays (line order)
        i = data._tl.idx
        bufs = data.lines._buffers
        close, low, high, open_, volume, oi, dt = (
            bufs[0]._mv[i], bufs[1]._mv[i], bufs[2]._mv[i], bufs[3]._mv[i],
            bufs[4]._mv[i], bufs[5]._mv[i], bufs[6]._mv[i])
        self.datetime = dt
        self.high = max(self.high, high)
        self.low = min(self.low, low)
        self.close = close
        self.volume += volume
        self.openinterest = oi
        o = self.open
        if reopen or o != o:
            self.open = open_
            return True
        return False

    def lvalues(self) -> list:
        """The values in the feed's line order."""
        return [self.close, self.low, self.high, self.open, self.volume,
                self.openinterest, self.datetime]


class _Now:
    """A feed seen at a moment with no new bar: "now" by the source's clock
    (a live check) or the master feed's time. Enough of a feed for the
    bar-over tests."""

    def __init__(self, data, forcedata=None) -> None:
        self.data = data
        if forcedata is None:
            self._dt = date2num(data._utcnow())
            self._dtime = data.num2date(self._dt)
        else:
            self._dt = forcedata.datetime[0]
            self._dtime = forcedata.datetime.datetime()
        self.datetime = self  # so data.datetime[0] and data.datetime.date() work

    def __getitem__(self, ago: int) -> float:
        return self._dt if ago == 0 else -_INF

    def __call__(self, ago: int = 0) -> datetime.datetime:
        return self._dtime

    def date(self, ago: int = 0) -> datetime.date:
        return self._dtime.date()

    def time(self, ago: int = 0) -> datetime.time:
        return self._dtime.time()

    def __len__(self) -> int:
        return len(self.data)

    @property
    def _calendar(self):
        return self.data._calendar

    def num2date(self, *args, **kwargs):
        return self.data.num2date(*args, **kwargs)

    def date2num(self, *args, **kwargs):
        return self.data.date2num(*args, **kwargs)


class _BaseResampler(ParamsBase):
    params = (
        ('bar2edge', True),
        ('adjbartime', True),
        ('rightedge', True),
        ('boundoff', 0),
        ('timeframe', TimeFrame.Days),
        ('compression', 1),
        ('takelate', True),
        ('sessionend', True),
    )

    replaying = False

    def __init__(self, data) -> None:
        p = self.p
        tf, comp = p.timeframe, p.compression
        what = type(self).__name__
        if tf not in range(TimeFrame.Ticks, TimeFrame.NoTimeFrame):
            raise ValueError(f'{what}: timeframe={tf!r} is not a TimeFrame value '
                             f'(Ticks..Years)')
        if not isinstance(comp, int) or isinstance(comp, bool) or comp < 1:
            raise ValueError(f'{what}: compression={comp!r}; it must be an integer >= 1')
        if tf < data._timeframe:
            raise ValueError(
                f'{what}: cannot build {TimeFrame.getname(tf, comp)} bars from '
                f'{TimeFrame.getname(data._timeframe, data._compression)} bars of '
                f'{data._name or data}: the target timeframe is smaller than the source\'s')
        self.subdays = TimeFrame.Ticks < tf < TimeFrame.Days
        self.subweeks = tf < TimeFrame.Weeks
        # same unit, a multiple of the source's compression: just count bars
        self.componly = (not self.subdays and data._timeframe == tf
                         and not comp % data._compression)
        self.bar = Bar(maxdate=True)
        self._pts: dict = {}  # day number -> _tmpoint of its UTC time (_numpoint)
        self._tzoffs: dict = {}  # quarter hour (UTC) -> the zone's offset, s (_localpoint)
        self.compcount = 0
        self._firstbar = True
        self.doadjusttime = p.bar2edge and p.adjbartime and self.subweeks
        self._nexteos = None
        self._nextdteos = -_INF
        self._lastdteos = None
        data.resampling = 1
        data.replaying = self.replaying
        data._timeframe = tf
        data._compression = comp
        self.data = data

    # -- is the bar over? -------------------------------------------------
    def _latedata(self, data) -> bool:
        """An intraday bar not later than the previous one."""
        if not self.subdays:
            return False
        return len(data) > 1 and data.datetime[0] <= data.datetime[-1]

    def _checkbarover(self, data, fromcheck: bool = False, forcedata=None) -> bool:
        chkdata = _Now(data, forcedata) if fromcheck else data
        if not self.componly and not self._barover(chkdata):
            return False
        if self.subdays and self.p.bar2edge:
            return True
        if not fromcheck:  # a clock check never counts as a bar
            self.compcount += 1
            return not self.compcount % self.p.compression
        return False

    def _barover(self, data) -> bool:
        tf = self.p.timeframe
        if tf == TimeFrame.Ticks:
            return self.bar.isopen()
        if tf < TimeFrame.Days:
            return self._barover_subdays(data)
        if tf == TimeFrame.Days:
            return self._eoscheck(data)
        if tf == TimeFrame.Weeks:
            return self._barover_weeks(data)
        if tf == TimeFrame.Months:
            return self._barover_months(data)
        return data.datetime.datetime().year > data.num2date(self.bar.datetime).year

    def _eoscheck(self, data, exact: bool = False) -> bool:
        """Has ``data`` reached the end of the session the bar belongs to?"""
        if self._nexteos is None:
            self._nexteos, self._nextdteos = self.data._getnexteos()
        dt = data.datetime[0]
        if exact or dt <= self._nextdteos:
            ret = dt == self._nextdteos
        else:  # past the session end: over if the bar is from before it
            ret = self.bar.isopen() and self.bar.datetime <= self._nextdteos
        if ret:
            self._lastdteos = self._nextdteos
            self._nexteos = None
            self._nextdteos = -_INF
        return ret

    def _barover_weeks(self, data) -> bool:
        if self.data._calendar is None:
            year, week, _ = data.num2date(self.bar.datetime).date().isocalendar()
            dyear, dweek, _ = data.datetime.date().isocalendar()
            return dyear * 100 + dweek > year * 100 + week
        return data._calendar.last_weekday(data.datetime.date())

    def _barover_months(self, data) -> bool:
        bdt = data.num2date(self.bar.datetime)
        ddt = data.datetime.datetime()
        return ddt.year * 100 + ddt.month > bdt.year * 100 + bdt.month

    def _tmpoint(self, tm: datetime.time) -> tuple:
        """(units of the timeframe since midnight, leftover smaller units)."""
        return self._point(tm.hour, tm.minute, tm.second, tm.microsecond)

    def _point(self, hour: int, minute: int, second: int, micro: int) -> tuple:
        point = hour * 60 + minute
        rest = 0
        tf = self.p.timeframe
        if tf < TimeFrame.Minutes:
            point = point * 60 + second
            if tf < TimeFrame.Seconds:
                point = point * 1e6 + micro
            else:
                rest = micro
        else:
            rest = second + micro
        return point + self.p.boundoff, rest

    def _numpoint(self, x: float) -> tuple:
        """``_tmpoint`` of the (UTC) time of day number ``x``; the last few are
        kept: a tick's point is asked again as the next tick's bar time."""
        pts = self._pts
        pt = pts.get(x)
        if pt is None:
            if len(pts) > 16:
                pts.clear()
            pt = pts[x] = self._point(*_hms(x))
        return pt

    def _localpoint(self, dtline) -> tuple:
        """``_tmpoint(dtline.time())`` (the feed's local time): the UTC time
        shifted by the zone's offset, known for each quarter hour (UTC) that
        has one offset throughout; else (a zone change inside it) the datetime."""
        x = dtline[0]
        key = int(x * 96)
        offs = self._tzoffs
        off = offs.get(key)
        if off is None:
            tz = dtline._tz
            a = num2date(key / 96, tz, naive=False).utcoffset()
            b = num2date((key + 1) / 96 - 1e-9, tz, naive=False).utcoffset()
            off = int(a.total_seconds()) if a is not None and a == b else False
            if len(offs) > 64:
                offs.clear()
            offs[key] = off
        if off is False:
            return self._tmpoint(dtline.time())
        h, m, sec, micro = _hms(x)
        secs = (h * 3600 + m * 60 + sec + off) % 86400
        h, rest = divmod(secs, 3600)
        m, sec = divmod(rest, 60)
        return self._point(h, m, sec, micro)

    def _barover_subdays(self, data) -> bool:
        if self._eoscheck(data):
            return True
        if data.datetime[0] < self.bar.datetime:
            return False
        # (backtrader compares these times without the feed's time zone)
        point = self._numpoint(self.bar.datetime)[0]
        barpoint = self._numpoint(data.datetime[0])[0]
        if barpoint <= point:
            return False
        comp = self.p.compression
        if not self.p.bar2edge or comp == 1:
            return True
        return barpoint // comp > point // comp

    def _dataonedge(self, data) -> tuple:
        """(is ``data``'s bar the last of a period, should bar-over be checked)."""
        if not self.subweeks:
            cal = data._calendar
            if cal is None:
                return False, True
            tf = self.p.timeframe
            day = data.datetime.date()
            if tf == TimeFrame.Weeks:
                last = cal.last_weekday(day)
            elif tf == TimeFrame.Months:
                last = cal.last_monthday(day)
            else:
                last = cal.last_yearday(day)
            if not last:
                return False, True
            self.compcount += 1
            return not self.compcount % self.p.compression, False
        if self._eoscheck(data, exact=True):
            return True, True
        if self.subdays:
            dtline = data.lines.datetime
            if dtline._tz is None:  # the feed's local time is UTC: no datetime needed
                point, rest = self._numpoint(dtline[0])
            else:
                point, rest = self._localpoint(dtline)
            if rest:
                return False, True
            return not point % self.p.compression, True
        return False, True

    # -- the bar's time ----------------------------------------------------
    def _calcadjtime(self) -> float:
        """The bar's time moved to its boundary (right or left edge)."""
        if self._nexteos is None:
            return self._lastdteos if self._lastdteos is not None else self.bar.datetime
        dt = self.data.num2date(self.bar.datetime)
        comp = self.p.compression
        point, _ = self._tmpoint(dt.time())
        point = (point // comp + self.p.rightedge) * comp
        tf = self.p.timeframe
        ps = pus = 0
        if tf == TimeFrame.Minutes:
            ph, pm = divmod(point, 60)
        elif tf == TimeFrame.Seconds:
            ph, pm = divmod(point, 3600)
            pm, ps = divmod(pm, 60)
        elif tf <= TimeFrame.MicroSeconds:
            ph, pm = divmod(point, 3600e6)
            pm, psec = divmod(pm, 60e6)
            ps, pus = divmod(psec, 1e6)
        else:
            # days: the session end itself. backtrader puts the UTC clock time
            # of the session end on the bar's local date, an hour-shifted bar
            # (or a wrong day) when the feed has a tz (docs/differences.md)
            return self._nextdteos
        extradays = 0
        if ph > 23:  # past midnight
            extradays, ph = divmod(ph, 24)
        dt = dt.replace(hour=int(ph), minute=int(pm), second=int(ps), microsecond=int(pus))
        if extradays:
            dt += datetime.timedelta(days=extradays)
        return self.data.date2num(dt)

    def _adjusttime(self, greater: bool = False) -> bool:
        dtnum = self._calcadjtime()
        if greater and dtnum <= self.bar.datetime:
            return False
        self.bar.datetime = dtnum
        return True

    def _newrun(self) -> None:
        """Forget a previous run's half-built bar and counters (backtrader
        carries them into the next optimisation run: docs/differences.md)."""
        self.bar.bstart(maxdate=True)
        self.compcount = 0
        self._firstbar = True
        self._nexteos = None
        self._nextdteos = -_INF
        self._lastdteos = None

    def check(self, data, _forcedata=None) -> Any:
        """No new bar came: close the bar being built if its time is over."""
        plan = getattr(self, '_plan', None)
        if plan is not None:
            return plan.check(_forcedata)
        if not self.bar.isopen():
            return None
        return self(data, fromcheck=True, forcedata=_forcedata)


class Resampler(_BaseResampler):
    """Builds bars of a larger ``timeframe``/``compression`` from a feed's
    bars, delivering each once it is complete."""

    params = (
        ('bar2edge', True),
        ('adjbartime', True),
        ('rightedge', True),
    )

    replaying = False

    _plan = None  # a resample_vec.ResamplePlan when the bars are precomputed

    def last(self, data) -> bool:
        """The source ended: deliver the bar being built, if any."""
        if self._plan is not None:
            return self._plan.last(data)
        if not self.bar.isopen():
            return False
        if self.doadjusttime:
            self._adjusttime()
        data._add2stack(self.bar.lvalues())
        self.bar.bstart(maxdate=True)
        return True

    def __call__(self, data, fromcheck: bool = False, forcedata=None) -> bool:
        if not fromcheck:
            if _vec.run_started(self, data):  # a run starts: can the bars be precomputed?
                self._newrun()
                self._plan = _vec.plan_for(self, data)
                # the feed's later loads take the precomputed bars directly
                data._vecload = None if self._plan is None else self._plan.load
            if self._plan is not None:
                return self._plan.call(data)
        bar = self.bar
        consumed = onedge = False
        docheckover = True
        if not fromcheck:
            if self._latedata(data):
                if self.p.takelate:  # into the current bar, keeping time order
                    bar.bupdate(data)
                    bar.datetime = data.datetime[-1] + 0.000001
                data.backwards()
                return True
            if self.componly:
                _, self._lastdteos = self.data._getnexteos()
                consumed = True
            else:
                onedge, docheckover = self._dataonedge(data)
                consumed = onedge
        if consumed:  # the bar ends with this one: fold it in first
            bar.bupdate(data)
            data.backwards()

        over = bar.isopen()
        if over and not onedge and docheckover:
            over = self._checkbarover(data, fromcheck=fromcheck, forcedata=forcedata)
        if over and self._deliverable(forcedata):
            if not onedge and self.doadjusttime:
                self._adjusttime(greater=True)
            data._add2stack(bar.lvalues())
            bar.bstart(maxdate=True)

        if not fromcheck and not consumed:  # the new bar opens the next one
            bar.bupdate(data)
            data.backwards()
        return True

    def _deliverable(self, forcedata) -> bool:
        """Forced by a master feed: only if the bar is not later than it."""
        if forcedata is None:
            return True
        tf = self.p.timeframe
        if tf == TimeFrame.Ticks:
            return True
        if tf in (TimeFrame.Minutes, TimeFrame.Days):
            return self._calcadjtime() <= forcedata.datetime[0]
        return False


class Replayer(_BaseResampler):
    """Builds bars of a larger timeframe and shows each as it grows: every
    source bar updates the current larger bar in place."""

    params = (
        ('bar2edge', True),
        ('adjbartime', False),
        ('rightedge', True),
    )

    replaying = True

    _plan = None  # a resample_vec.ReplayPlan when the states are precomputed

    def __call__(self, data, fromcheck: bool = False, forcedata=None) -> bool:
        if not fromcheck:
            if _vec.run_started(self, data):  # a run starts: can the states be precomputed?
                self._newrun()
                self._plan = _vec.replay_plan_for(self, data)
                data._vecload = None if self._plan is None else self._plan.load
            if self._plan is not None:
                return self._plan.call(data)
        bar = self.bar
        consumed = onedge = takinglate = False
        docheckover = True
        if not fromcheck:
            if self._latedata(data):
                if not self.p.takelate:
                    data.backwards(force=True)
                    return True
                consumed = takinglate = True
            elif self.componly:
                consumed = True
            else:
                onedge, docheckover = self._dataonedge(data)
                consumed = onedge
            data._tick_fill(force=True)  # the broker matches the new prices

        if consumed:
            bar.bupdate(data)
            if takinglate:
                bar.datetime = data.datetime[-1] + 0.000001

        over = onedge or (docheckover and self._checkbarover(data, fromcheck=fromcheck))
        if over:
            if not onedge and self.doadjusttime:
                # the finished bar gets its boundary time, then the new one starts
                adjusted = self._adjusttime(greater=True)
                if adjusted:
                    ago = 0 if (consumed or fromcheck) else -1
                    data._updatebar(bar.lvalues(), forward=False, ago=ago)
                if fromcheck:
                    self._restart()
                    if adjusted:
                        data._save2stack(erase=True, force=True)
                elif consumed:
                    self._restart()
                else:
                    bar.bupdate(data, reopen=True)
                    data._save2stack(erase=True, force=True)
            elif not fromcheck:
                if not consumed:  # the new source bar is the new larger bar
                    bar.bupdate(data, reopen=True)
                else:  # it completes the bar: show the completed bar in its place
                    if not self._firstbar:
                        data.backwards(force=True)
                    data._updatebar(bar.lvalues(), forward=False, ago=0)
                    self._restart()
        elif not fromcheck:  # the bar grows: show it in place of the source bar
            if not consumed:
                bar.bupdate(data)
            if not self._firstbar:
                data.backwards(force=True)
            data._updatebar(bar.lvalues(), forward=False, ago=0)
            self._firstbar = False
        return False

    def _restart(self) -> None:
        self.bar.bstart(maxdate=True)
        self._firstbar = True


def _fixed(base: type, tf: int, name: str) -> type:
    """``base`` with its timeframe fixed (backtrader's ResamplerDaily & co)."""
    return type(name, (base,), {'params': (('timeframe', tf),), '__module__': __name__})


ResamplerTicks = _fixed(Resampler, TimeFrame.Ticks, 'ResamplerTicks')
ResamplerSeconds = _fixed(Resampler, TimeFrame.Seconds, 'ResamplerSeconds')
ResamplerMinutes = _fixed(Resampler, TimeFrame.Minutes, 'ResamplerMinutes')
ResamplerDaily = _fixed(Resampler, TimeFrame.Days, 'ResamplerDaily')
ResamplerWeekly = _fixed(Resampler, TimeFrame.Weeks, 'ResamplerWeekly')
ResamplerMonthly = _fixed(Resampler, TimeFrame.Months, 'ResamplerMonthly')
ResamplerYearly = _fixed(Resampler, TimeFrame.Years, 'ResamplerYearly')
ReplayerTicks = _fixed(Replayer, TimeFrame.Ticks, 'ReplayerTicks')
ReplayerSeconds = _fixed(Replayer, TimeFrame.Seconds, 'ReplayerSeconds')
ReplayerMinutes = _fixed(Replayer, TimeFrame.Minutes, 'ReplayerMinutes')
ReplayerDaily = _fixed(Replayer, TimeFrame.Days, 'ReplayerDaily')
ReplayerWeekly = _fixed(Replayer, TimeFrame.Weeks, 'ReplayerWeekly')
ReplayerMonthly = _fixed(Replayer, TimeFrame.Months, 'ReplayerMonthly')

# backtrader's name for the stand-in feed at a moment with no new bar
DTFaker = _Now
