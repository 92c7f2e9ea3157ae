"""Analyzers: statistics computed over a run (returns, drawdown, trades...)."""
from __future__ import annotations

import calendar
import datetime
import pprint as _pprint
from collections import OrderedDict

from .dataseries import TimeFrame
from .lineiterator import ObserverBase, StrategyBase
from .metabase import ParamsBase, findowner
from .utils.autodict import DotDict
from .utils.py3 import MAXINT
from .writer import WriterFile

__all__ = ('Analyzer', 'TimeFrameAnalyzerBase', 'period_key')


class Analyzer(ParamsBase):
    """Base of analyzers: hooks called by the strategy, results in ``rets``."""

    csv = True
    _adopts_children = True  # child analyzers created in __init__ register here

    def _preinit(self, args, kwargs):
        args, kwargs = super()._preinit(args, kwargs)
        self._children = []
        # owners found by role (the lines core's bases), not by importing the
        # strategy and observer modules: they are built on analyzers
        self.strategy = findowner(self, StrategyBase)
        self._parent = findowner(self, Analyzer)
        masterobs = findowner(self, ObserverBase)
        if masterobs is not None:
            masterobs._register_analyzer(self)
        self.datas = self.strategy.datas if self.strategy is not None else []
        if self.datas:
            self.data = self.datas[0]
            for d, data in enumerate(self.datas):
                setattr(self, f'data{d}', data)
        self.dnames = DotDict((d._name, d) for d in self.datas if getattr(d, '_name', ''))
        self.create_analysis()
        return args, kwargs

    def _postinit(self) -> None:
        if self._parent is not None:
            self._parent._register(self)

    def __getattr__(self, name: str):
        if name.startswith('data') and '_' in name:
            head, _, tail = name.partition('_')
            idx = head[4:]
            try:
                data = self.__dict__['datas'][int(idx) if idx else 0]
            except (KeyError, ValueError, IndexError):
                pass
            else:
                return data.lines[int(tail)] if tail.isdigit() else getattr(data.lines, tail)
        raise AttributeError(f'{type(self).__name__!r} object has no attribute {name!r}')

    def __len__(self) -> int:
        return len(self.strategy)

    def _register(self, child) -> None:
        self._children.append(child)

    def _prenext(self) -> None:
        for child in self._children:
            child._prenext()
        self.prenext()

    def _notify_cashvalue(self, cash, value) -> None:
        for child in self._children:
            child._notify_cashvalue(cash, value)
        self.notify_cashvalue(cash, value)

    def _notify_fund(self, cash, value, fundvalue, shares) -> None:
        for child in self._children:
            child._notify_fund(cash, value, fundvalue, shares)
        self.notify_fund(cash, value, fundvalue, shares)

    def _notify_trade(self, trade) -> None:
        for child in self._children:
            child._notify_trade(trade)
        self.notify_trade(trade)

    def _notify_order(self, order) -> None:
        for child in self._children:
            child._notify_order(order)
        self.notify_order(order)

    def _nextstart(self) -> None:
        for child in self._children:
            child._nextstart()
        self.nextstart()

    def _next(self) -> None:
        for child in self._children:
            child._next()
        self.next()

    def _start(self) -> None:
        for child in self._children:
            child._start()
        self.start()

    def _stop(self) -> None:
        for child in self._children:
            child._stop()
        self.stop()

    def notify_cashvalue(self, cash, value):
        pass

    def notify_fund(self, cash, value, fundvalue, shares):
        pass

    def notify_order(self, order):
        pass

    def notify_trade(self, trade):
        pass

    def next(self):
        pass

    def prenext(self):
        self.next()

    def nextstart(self):
        self.next()

    def start(self):
        pass

    def stop(self):
        pass

    def create_analysis(self) -> None:
        self.rets: OrderedDict = OrderedDict()

    def get_analysis(self):
        return self.rets

    def print(self, *args, **kwargs) -> None:
        writer = WriterFile(*args, **kwargs)
        writer.start()
        writer.writedict({type(self).__name__: self.get_analysis()}, level=0)
        writer.stop()

    def pprint(self, *args, **kwargs) -> None:
        _pprint.pprint(self.get_analysis(), *args, **kwargs)


class TimeFrameAnalyzerBase(Analyzer):
    """An analyzer that reports per period (day, week, month, year...).

    ``on_dt_over`` is called at the first bar of each new period (a subclass
    may also name it ``_on_dt_over``, as backtrader allows); ``dtkey`` is the
    period's key (its last instant) and ``dtkey1`` the previous one.
    """

    params = (('timeframe', None), ('compression', None), ('_doprenext', True))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if '_on_dt_over' in cls.__dict__:
            cls.on_dt_over = cls.__dict__['_on_dt_over']

    def _start(self) -> None:
        self.timeframe = check_timeframe(self.p.timeframe or self.data._timeframe, self)
        self.compression = self.p.compression or self.data._compression
        self.dtcmp, self.dtkey = period_key(datetime.datetime.min, self.timeframe,
                                            self.compression)
        super()._start()

    def _prenext(self) -> None:
        for child in self._children:
            child._prenext()
        if self._dt_over():
            self.on_dt_over()
        if self.p._doprenext:
            self.prenext()

    def _nextstart(self) -> None:
        for child in self._children:
            child._nextstart()
        if self._dt_over() or not self.p._doprenext:
            self.on_dt_over()
        self.nextstart()

    def _next(self) -> None:
        for child in self._children:
            child._next()
        if self._dt_over():
            self.on_dt_over()
        self.next()

    def on_dt_over(self) -> None:
        pass

    def _dt_over(self) -> bool:
        if self.timeframe == TimeFrame.NoTimeFrame:
            dtcmp, dtkey = MAXINT, datetime.datetime.max
        else:
            dt = _bar_datetime(self.strategy.datetime)
            dtcmp, dtkey = period_key(dt, self.timeframe, self.compression)
        if self.dtcmp is None or dtcmp > self.dtcmp:
            self.dtkey, self.dtkey1 = dtkey, self.dtkey
            self.dtcmp, self.dtcmp1 = dtcmp, self.dtcmp
            return True
        return False

    def _get_dt_cmpkey(self, dt):
        return period_key(dt, self.timeframe, self.compression)


# [(line, its raw value, that value as a datetime)]: the time-frame analyzers
# of a strategy all ask for the same bar's datetime; convert it once. One
# tuple, read and replaced whole: runs in other threads share this cache.
_last_bar: list = [(None, None, None)]


def _bar_datetime(line) -> datetime.datetime:
    num = line[0]
    cline, cnum, cdt = _last_bar[0]
    if cnum == num and cline is line:
        return cdt
    dt = line.datetime()
    _last_bar[0] = (line, num, dt)
    return dt


_TIMEFRAMES = {getattr(TimeFrame, n): n for n in TimeFrame.Names if n}


def check_timeframe(timeframe, owner) -> int:
    """``timeframe`` if it is one of ``bt.TimeFrame``'s, else a clear error."""
    if isinstance(timeframe, bool) or timeframe not in _TIMEFRAMES:
        names = ', '.join(f'TimeFrame.{n}' for n in _TIMEFRAMES.values())
        raise ValueError(f'{type(owner).__name__}: timeframe={timeframe!r} is not a '
                         f'time frame (use one of {names})')
    return timeframe


def period_key(dt: datetime.datetime, timeframe: int, compression: int = 1):
    """(comparable, key) of the period of ``timeframe``/``compression`` holding ``dt``.

    The comparable grows from one period to the next; the key is the period's
    last instant (a date for years), as backtrader labels periods. Weeks are
    ISO weeks ending on Sunday.
    """
    tf = timeframe
    if tf == TimeFrame.NoTimeFrame:
        return None, None
    if tf == TimeFrame.Years:
        return dt.year, datetime.date(dt.year, 12, 31)
    if tf == TimeFrame.Months:
        _, lastday = calendar.monthrange(dt.year, dt.month)
        return dt.year * 100 + dt.month, datetime.datetime(dt.year, dt.month, lastday)
    if tf == TimeFrame.Weeks:
        isoyear, isoweek, isoweekday = dt.isocalendar()
        sunday = dt + datetime.timedelta(days=7 - isoweekday)
        return isoyear * 100 + isoweek, datetime.datetime(sunday.year, sunday.month, sunday.day)
    if tf == TimeFrame.Days:
        return (dt.year * 10000 + dt.month * 100 + dt.day,
                datetime.datetime(dt.year, dt.month, dt.day))
    return _subday_key(dt, tf, compression)


def _subday_key(dt: datetime.datetime, tf: int, compression: int):
    # The end of the ``compression``-sized slot of the day holding dt, one
    # unit before the next slot starts (backtrader's labelling).
    point: float = dt.hour * 60 + dt.minute
    if tf < TimeFrame.Minutes:
        point = point * 60 + dt.second
    if tf < TimeFrame.Seconds:
        point = point * 1e6 + dt.microsecond
    point = (point // compression + 1) * compression
    ps: float
    pus: float
    if tf == TimeFrame.Minutes:
        ph, pm = divmod(point, 60)
        ps = pus = 0
    elif tf == TimeFrame.Seconds:
        ph, pm = divmod(point, 60 * 60)
        pm, ps = divmod(pm, 60)
        pus = 0
    else:
        ph, pm = divmod(point, 60 * 60 * 1e6)
        pm, psec = divmod(pm, 60 * 1e6)
        ps, pus = divmod(psec, 1e6)
    extradays, ph = divmod(ph, 24)
    if extradays:
        dt += datetime.timedelta(days=extradays)
    dtcmp = dt.replace(hour=int(ph), minute=int(pm), second=int(ps), microsecond=int(pus))
    dtcmp -= datetime.timedelta(minutes=tf == TimeFrame.Minutes,
                                seconds=tf == TimeFrame.Seconds,
                                microseconds=tf == TimeFrame.MicroSeconds)
    return dtcmp, dtcmp

# backtrader's name for the metaclass of this family (one metaclass builds every object)
MetaAnalyzer = MetaTimeFrameAnalyzerBase = type(Analyzer)
