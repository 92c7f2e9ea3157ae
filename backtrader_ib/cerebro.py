"""Cerebro: gathers data, strategies and broker, and runs the backtest."""
from __future__ import annotations

import contextlib
import datetime
import itertools
import math
import os
import time
from typing import Any

from . import observers
from .brokers import BackBroker
from .feeds import Chainer, RollOver
from .metabase import ParamsBase, construction_stack
from .openview import OpenView
from .optreturn import OptReturn
from .strategy import SignalStrategy, Strategy
from .timer import Timer
from .tradingcal import PandasMarketCalendar, TradingCalendarBase
from .utils.autodict import OrderedDict
from .utils.date import date2num, num2date, tzparse
from .utils.gctune import tuned_gc
from .writer import WriterFile

__all__ = ('Cerebro', 'OptReturn')

_MAXDATE = date2num(datetime.datetime.max) - 2
# The garbage collector's young-generation threshold during a run (Python's
# default is 700); see runstrategies.
_GC_YOUNG = 20000


class Cerebro(ParamsBase):
    """The engine: ``adddata``, ``addstrategy``, ``run``."""

    _general_path = False  # BTIB_GENERAL_PATH, read by run()
    _runs_strategies = True  # the role strategies look for on the construction stack

    params = (
        ('preload', True),
        ('runonce', True),
        ('maxcpus', None),
        ('stdstats', True),
        ('oldbuysell', False),
        ('oldtrades', False),
        ('lookahead', 0),
        ('exactbars', False),
        ('optdatas', True),
        ('optreturn', True),
        ('objcache', False),
        ('live', False),
        ('writer', False),
        ('tradehistory', False),
        ('oldsync', False),
        ('tz', None),
        ('cheat_on_open', False),
        ('broker_coo', True),
        ('quicknotify', False),
        # ours: where optimisation runs go (None: backtrader's maxcpus rule;
        # see backtrader_ib.optimize)
        ('executor', None),
    )

    def __init__(self) -> None:
        self._event_stop = False
        self._dolive = False
        self._doreplay = False
        self._dooptimize = False
        self.stores: list = []
        self.feeds: list = []
        self.datas: list = []
        self.datasbyname: OrderedDict = OrderedDict()
        self.strats: list = []
        self.optcbs: list = []
        self.observers: list = []
        self.analyzers: list = []
        self.indicators: list = []
        self.sizers: dict = {}
        self.writers: list = []
        self.storecbs: list = []
        self.datacbs: list = []
        self.signals: list = []
        self._signal_strat = (None, None, None)
        self._signal_concurrent = False
        self._signal_accumulate = False
        self._dataid = itertools.count(1)
        self._broker = BackBroker()
        self._broker.cerebro = self
        self._tradingcal = None
        self._pretimers: list = []
        self._timers: list = []
        self._timerscheat: list = []
        self._ohistory: list = []
        self._fhistory = None
        self.runstrats: list = []

    # -- helpers ---------------------------------------------------------
    @staticmethod
    def iterize(iterable) -> list:
        """Wrap plain values so every element is iterable (for optstrategy)."""
        out = []
        for elem in iterable:
            if isinstance(elem, str) or not hasattr(elem, '__iter__'):
                elem = (elem,)
            out.append(elem)
        return out

    # -- data --------------------------------------------------------------
    def adddata(self, data, name: str | None = None):
        """Add a data feed; ``name`` overrides the feed's own name."""
        if name is not None:
            data._name = name
        data._id = next(self._dataid)
        data.setenvironment(self)
        self.datas.append(data)
        self.datasbyname[data._name] = data
        feed = data.getfeed()
        if feed and feed not in self.feeds:
            self.feeds.append(feed)
        if data.islive():
            self._dolive = True
        return data

    def resampledata(self, dataname, name: str | None = None, **kwargs):
        """Add ``dataname`` resampled (a clone if it was added already);
        kwargs go to the resampler (timeframe, compression, bar2edge, ...)."""
        if any(dataname is d for d in self.datas):
            dataname = dataname.clone()
        dataname.resample(**kwargs)
        self.adddata(dataname, name=name)
        self._doreplay = True  # as backtrader: bars are built as the run goes
        return dataname

    def replaydata(self, dataname, name: str | None = None, **kwargs):
        """Add ``dataname`` replayed: the larger bar grows tick by tick."""
        if any(dataname is d for d in self.datas):
            dataname = dataname.clone()
        dataname.replay(**kwargs)
        self.adddata(dataname, name=name)
        self._doreplay = True
        return dataname

    def chaindata(self, *args, name: str | None = None):
        """Add one feed made of ``args`` one after the other (see feeds.Chainer)."""
        name = name if name is not None else args[0]._dataname
        return self.adddata(Chainer(*args, dataname=name), name=name)

    def rolloverdata(self, *args, name: str | None = None, **kwargs):
        """Add a continuous future from the contracts ``args`` (see feeds.RollOver)."""
        name = name if name is not None else args[0]._dataname
        return self.adddata(RollOver(*args, dataname=name, **kwargs), name=name)

    def adddatacb(self, callback) -> None:
        self.datacbs.append(callback)

    def addtz(self, tz) -> None:
        self.p.tz = tz

    def addcalendar(self, cal) -> None:
        """The trading calendar of every feed without its own: a calendar,
        its class, an exchange name or a ``pandas_market_calendars`` object."""
        if isinstance(cal, str) or hasattr(cal, 'valid_days'):
            cal = PandasMarketCalendar(calendar=cal)
        elif isinstance(cal, type) and issubclass(cal, TradingCalendarBase):
            cal = cal()
        self._tradingcal = cal

    # -- strategies ----------------------------------------------------------
    def addstrategy(self, strategy, *args, **kwargs) -> int:
        """Add a strategy class with its arguments; returns its index."""
        self.strats.append([(strategy, args, kwargs)])
        return len(self.strats) - 1

    def optstrategy(self, strategy, *args, **kwargs) -> None:
        """Add a strategy to run once per combination of the given value lists."""
        self._dooptimize = True
        args = self.iterize(args)
        optkeys = list(kwargs)
        vals = self.iterize(kwargs.values())
        # materialise one-shot iterators so they can be checked and reused
        args = [a if hasattr(a, '__len__') else list(a) for a in args]
        vals = [v if hasattr(v, '__len__') else list(v) for v in vals]
        empty = [f'argument #{i}' for i, a in enumerate(args, 1) if len(a) == 0]
        empty += [f'{k}=' for k, v in zip(optkeys, vals) if len(v) == 0]
        if empty:
            raise ValueError(f'optstrategy({strategy.__name__}): {", ".join(empty)} is an empty '
                             'list of values, so there would be nothing to run')
        optargs = itertools.product(*args)
        optvals = itertools.product(*vals)
        okwargs = [dict(zip(optkeys, v)) for v in optvals]
        self.strats.append([(strategy, a, k) for a, k in itertools.product(optargs, okwargs)])

    def optcallback(self, cb) -> None:
        self.optcbs.append(cb)

    def add_signal(self, sigtype, sigcls, *sigargs, **sigkwargs) -> None:
        self.signals.append((sigtype, sigcls, sigargs, sigkwargs))

    def signal_strategy(self, stratcls, *args, **kwargs) -> None:
        self._signal_strat = (stratcls, args, kwargs)

    def signal_concurrent(self, onoff: bool) -> None:
        self._signal_concurrent = onoff

    def signal_accumulate(self, onoff: bool) -> None:
        self._signal_accumulate = onoff

    # -- components ----------------------------------------------------------
    def addindicator(self, indcls, *args, **kwargs) -> None:
        self.indicators.append((indcls, args, kwargs))

    def addanalyzer(self, ancls, *args, **kwargs) -> None:
        self.analyzers.append((ancls, args, kwargs))

    def addobserver(self, obscls, *args, **kwargs) -> None:
        self.observers.append((False, obscls, args, kwargs))

    def addobservermulti(self, obscls, *args, **kwargs) -> None:
        self.observers.append((True, obscls, args, kwargs))

    def addsizer(self, sizercls, *args, **kwargs) -> None:
        self.sizers[None] = (sizercls, args, kwargs)

    def addsizer_byidx(self, idx: int, sizercls, *args, **kwargs) -> None:
        self.sizers[idx] = (sizercls, args, kwargs)

    def addwriter(self, wrtcls, *args, **kwargs) -> None:
        self.writers.append((wrtcls, args, kwargs))

    def addstore(self, store) -> None:
        if store not in self.stores:
            self.stores.append(store)

    def addstorecb(self, callback) -> None:
        self.storecbs.append(callback)

    def add_timer(self, when, offset=datetime.timedelta(), repeat=datetime.timedelta(),
                  weekdays=(), weekcarry: bool = False, monthdays=(),
                  monthcarry: bool = True, allow=None, tzdata=None,
                  strats: bool = False, cheat: bool = False, *args, **kwargs):
        """Call ``notify_timer`` (of Cerebro, and of the strategies if
        ``strats``) at ``when``; see ``backtrader_ib.timer.Timer``."""
        return self._add_timer(self, when, offset, repeat, weekdays, weekcarry,
                               monthdays, monthcarry, allow, tzdata, strats, cheat,
                               *args, **kwargs)

    def _add_timer(self, owner, when, offset=datetime.timedelta(),
                   repeat=datetime.timedelta(), weekdays=(), weekcarry: bool = False,
                   monthdays=(), monthcarry: bool = True, allow=None, tzdata=None,
                   strats: bool = False, cheat: bool = False, *args, **kwargs):
        timer = Timer(*args, tid=len(self._pretimers), owner=owner, strats=strats,
                      when=when, offset=offset, repeat=repeat, weekdays=weekdays,
                      weekcarry=weekcarry, monthdays=monthdays, monthcarry=monthcarry,
                      allow=allow, tzdata=tzdata, cheat=cheat, **kwargs)
        self._pretimers.append(timer)
        return timer

    def _check_timers(self, runstrats: list, dt0: float, cheat: bool = False) -> None:
        with self._open_views(runstrats):
            self._check_timers_now(runstrats, dt0, self._timerscheat if cheat else self._timers)

    @staticmethod
    def _open_views(runstrats: list) -> contextlib.ExitStack:
        """For user code run after the feeds moved but before the strategies
        (timers, quicknotify notifications): indicators not recalculated yet,
        as in backtrader (see OpenView)."""
        views = contextlib.ExitStack()
        for strat in runstrats:
            if strat._openview is not None:
                views.enter_context(strat._openview)
        return views

    def _check_timers_now(self, runstrats: list, dt0: float, timers: list) -> None:
        for t in timers:
            if not t.check(dt0):
                continue
            t.params.owner.notify_timer(t, t.lastwhen, *t.args, **t.kwargs)
            if t.params.strats:
                for strat in runstrats:
                    strat.notify_timer(t, t.lastwhen, *t.args, **t.kwargs)

    # -- broker ------------------------------------------------------------
    def setbroker(self, broker) -> Any:
        self._broker = broker
        broker.cerebro = self
        return broker

    def getbroker(self):
        return self._broker

    broker = property(getbroker, setbroker)

    def add_order_history(self, orders, notify: bool = True) -> None:
        self._ohistory.append((orders, notify))

    def set_fund_history(self, fund) -> None:
        self._fhistory = fund

    # -- notifications -----------------------------------------------------
    def notify_store(self, msg, *args, **kwargs) -> None:
        pass

    def notify_data(self, data, status, *args, **kwargs) -> None:
        pass

    def notify_timer(self, timer, when, *args, **kwargs) -> None:
        pass

    def _datanotify(self) -> None:
        for data in self.datas:
            if not data.notifs:
                continue
            for notif in data.get_notifications():
                status, args, kwargs = notif
                self.notify_data(data, status, *args, **kwargs)
                for cb in self.datacbs:
                    cb(data, status, *args, **kwargs)
                for strat in self.runningstrats:
                    strat.notify_data(data, status, *args, **kwargs)

    def _storenotify(self) -> None:
        if not self.stores:
            return
        for store in self.stores:
            for notif in store.get_notifications():
                msg, args, kwargs = notif
                self.notify_store(msg, *args, **kwargs)
                for cb in self.storecbs:
                    cb(msg, *args, **kwargs)
                for strat in self.runningstrats:
                    strat.notify_store(msg, *args, **kwargs)

    # -- running -----------------------------------------------------------
    def runstop(self) -> None:
        """Ask the run to stop at the next opportunity."""
        self._event_stop = True

    def _disable_runonce(self) -> None:
        """Run bar by bar (asked by parts that have no vectorised form)."""
        self._dorunonce = False

    def _next_stid(self) -> int:
        return next(self.stcount)

    def run(self, **kwargs) -> list:
        """Run the backtest; returns the strategies (a list per run when optimising)."""
        self._event_stop = False
        if not self.datas:
            return []
        for key, val in kwargs.items():
            if key in self.params._pairs:
                setattr(self.p, key, val)
        self._check_params()
        # BTIB_GENERAL_PATH=1: no fast paths anywhere (docs/engine.md)
        self._general_path = os.environ.get('BTIB_GENERAL_PATH', '') not in ('', '0')
        self._doreplay = self._doreplay or any(d.replaying for d in self.datas)
        self._dolive = self._dolive or any(d.islive() for d in self.datas)
        self._dopreload = self.p.preload
        self._dorunonce = self.p.runonce
        self._exactbars = int(self.p.exactbars)
        if self._exactbars:
            self._dorunonce = False
            self._dopreload = self._dopreload and self._exactbars < 1
        if self._doreplay:
            self._dopreload = False
        if self._dolive or self.p.live:
            self._dorunonce = False
            self._dopreload = False

        self.runwriters = []
        if self.p.writer is True:
            self.runwriters.append(WriterFile())
        for wrcls, wrargs, wrkwargs in self.writers:
            self.runwriters.append(wrcls(*wrargs, **wrkwargs))
        self.writers_csv = any(w.p.csv for w in self.runwriters)

        self.runstrats = []
        strats = self.strats
        if self.signals:
            signalst, sargs, skwargs = self._signal_strat
            if (signalst is None and strats and len(strats[0]) == 1
                    and issubclass(strats[0][0][0], SignalStrategy)):
                # the first strategy added is a signal strategy: it gets the
                # signals (backtrader means this but crashes unpacking it)
                (signalst, sargs, skwargs), strats = strats[0][0], strats[1:]
            if signalst is None:
                signalst, sargs, skwargs = SignalStrategy, (), {}
            skwargs = dict(skwargs, signals=self.signals,
                           _accumulate=self._signal_accumulate,
                           _concurrent=self._signal_concurrent)
            strats = strats + [[(signalst, sargs, skwargs)]]  # runs last, as in backtrader
        if not strats:
            # datas and no strategy: a plain Strategy runs them (analyzers, writers), as in backtrader
            self.addstrategy(Strategy)
            strats = self.strats

        if self._dooptimize:
            # lazy: optimize is the layer above the engine (it drives the Cerebro
            # it is given and never imports this module)
            from .optimize import run_optimisation
            self.runstrats = run_optimisation(self, strats)
            return self.runstrats
        self.runstrats.append(self.runstrategies(next(itertools.product(*strats))))
        return self.runstrats[0]  # self.runstrats keeps a list per run

    def _check_params(self) -> None:
        eb = self.p.exactbars
        if eb not in (False, True) and eb not in (-2, -1, 0, 1):
            if not (isinstance(eb, int) and eb > 1):
                raise ValueError(f'Cerebro: exactbars={eb!r}; valid values are '
                                 'False/0, True/1 (or more), -1 and -2')

    def _init_stcount(self) -> None:
        self.stcount = itertools.count(0)

    def runstrategies(self, iterstrat, predata: bool = False) -> list:
        self._init_stcount()
        self.runningstrats = runstrats = []
        for store in self.stores:
            store.start()
        if self.p.cheat_on_open and self.p.broker_coo and hasattr(self._broker, 'set_coo'):
            self._broker.set_coo(True)
        if self._fhistory is not None:
            self._broker.set_fund_history(self._fhistory)
        for orders, onotify in self._ohistory:
            self._broker.add_order_history(orders, onotify)
        self._broker._general = self._general_path
        self._broker.start()
        for feed in self.feeds:
            feed.start()
        if self.writers_csv:
            wheaders = []
            for data in self.datas:
                if data.csv:
                    wheaders.extend(data.getwriterheaders())
            for writer in self.runwriters:
                if writer.p.csv:
                    writer.addheaders(wheaders)
        if not predata:
            for data in self.datas:
                data.reset()
                if self._exactbars < 1:
                    data.extend(size=self.p.lookahead)
                data._start()
                if self._dopreload:
                    data.preload()

        construction_stack.append(self)  # strategies find their Cerebro here
        try:
            for stratcls, sargs, skwargs in iterstrat:
                sargs = self.datas + list(sargs)
                strat = stratcls(*sargs, **skwargs)
                if self.p.oldsync:
                    strat._oldsync = True
                if self.p.tradehistory:
                    strat.set_tradehistory()
                runstrats.append(strat)
        finally:
            construction_stack.pop()

        tz = self.p.tz
        if isinstance(tz, int) and not isinstance(tz, bool):
            tz = self.datas[tz]._tz
        else:
            tz = tzparse(tz)

        if runstrats:
            defaultsizer = self.sizers.get(None, (None, None, None))
            for idx, strat in enumerate(runstrats):
                if self.p.stdstats:
                    strat._addobserver(False, observers.Broker)
                    if self.p.oldbuysell:
                        strat._addobserver(True, observers.BuySell)
                    else:
                        strat._addobserver(True, observers.BuySell, barplot=True)
                    if self.p.oldtrades or len(self.datas) == 1:
                        strat._addobserver(False, observers.Trades)
                    else:
                        strat._addobserver(False, observers.DataTrades)
                for multi, obscls, obsargs, obskwargs in self.observers:
                    strat._addobserver(multi, obscls, *obsargs, **obskwargs)
                for indcls, indargs, indkwargs in self.indicators:
                    strat._addindicator(indcls, *indargs, **indkwargs)
                for ancls, anargs, ankwargs in self.analyzers:
                    strat._addanalyzer(ancls, *anargs, **ankwargs)
                sizer, sargs, skwargs = self.sizers.get(idx, defaultsizer)
                if sizer is not None:
                    strat._addsizer(sizer, *sargs, **skwargs)
                strat._settz(tz)
                strat._start()
                if self.p.cheat_on_open or self._pretimers or self.p.quicknotify:
                    strat._openview = OpenView(strat.datas)  # hooks run before the strategy
                for writer in self.runwriters:
                    if writer.p.csv:
                        writer.addheaders(strat.getwriterheaders())

            if self._exactbars >= 1 and not predata:
                self._bound_memory(runstrats)
            for writer in self.runwriters:
                writer.start()
            self._timers, self._timerscheat = [], []
            for timer in self._pretimers:
                timer.start(self.datas[0])
                (self._timerscheat if timer.params.cheat else self._timers).append(timer)

            # Objects alive now (data, indicators, modules) live for the whole
            # run: keep them out of the garbage collector's scans meanwhile.
            # And collect young objects less often: most of what a run makes
            # is freed by reference counting, and what it keeps (orders)
            # would otherwise be scanned again and again; cyclic garbage
            # waits for at most _GC_YOUNG allocations (bounded).
            # (Overlapping runs share the settings: see utils/gctune.)
            with tuned_gc(_GC_YOUNG):
                if self._dopreload and self._dorunonce:
                    (self._runonce_old if self.p.oldsync else self._runonce)(runstrats)
                else:
                    (self._runnext_old if self.p.oldsync else self._runnext)(runstrats)

            for strat in runstrats:
                strat._stop()

        self._broker.stop()
        self._broker._memsave = False
        if not predata:
            for data in self.datas:
                data.stop()
        for feed in self.feeds:
            feed.stop()
        for store in self.stores:
            store.stop()
        self.stop_writers(runstrats)

        if self._dooptimize and self.p.optreturn:
            results = []
            for strat in runstrats:
                for a in strat.analyzers:
                    a.strategy = None
                    a._parent = None
                results.append(OptReturn(strat.params, analyzers=strat.analyzers,
                                         strategycls=type(strat)))
            return results
        return runstrats

    def _bound_memory(self, runstrats: list) -> None:
        """exactbars >= 1: every timeline keeps only what lookbacks need."""
        keep = 1
        for strat in runstrats:
            keep = max(keep, strat._minperiod, *strat._minperiods)
            for child in strat._lineiterators[strat.IndType]:
                keep = max(keep, child._minperiod)
        keep += 1 + self.p.lookahead
        timelines = {}
        for strat in runstrats:
            for tl in strat._timelines_owned():  # (and its observers')
                timelines[id(tl)] = tl
            for d in strat.datas:
                timelines[id(d._tl)] = d._tl
        for tl in timelines.values():
            tl.keep = max(tl.keep, keep)
        # and no history of finished orders and trades (see docs/differences.md)
        self._broker._memsave = True
        for strat in runstrats:
            strat._memsave = True

    def stop_writers(self, runstrats: list) -> None:
        cerebroinfo = OrderedDict()
        datainfos = OrderedDict()
        for i, data in enumerate(self.datas):
            datainfos[f'Data{i}'] = data.getwriterinfo()
        cerebroinfo['Datas'] = datainfos
        stratinfos = {}
        for strat in runstrats:
            stratinfos[type(strat).__name__] = strat.getwriterinfo()
        cerebroinfo['Strategies'] = stratinfos
        for writer in self.runwriters:
            writer.writedict(dict(Cerebro=cerebroinfo))
            writer.stop()

    def _next_writers(self, runstrats: list) -> None:
        if not self.runwriters or not self.writers_csv:
            return
        wvalues = []
        for data in self.datas:
            if data.csv:
                wvalues.extend(data.getwritervalues())
        for strat in runstrats:
            wvalues.extend(strat.getwritervalues())
        for writer in self.runwriters:
            if writer.p.csv:
                writer.addvalues(wvalues)
                writer.next()

    def _brokernotify(self) -> None:
        self._broker.next()
        self._deliver_notifications()

    def _deliver_notifications(self) -> None:
        """Hand the broker's queued order notifications to their strategies."""
        broker = self._broker
        get = broker.get_notification
        quick = self.p.quicknotify
        while True:
            order = get()
            if order is None:
                break
            owner = order.owner
            if owner is None:
                owner = self.runningstrats[0]
            owner._addnotification(order, quicknotify=quick)

    def _run_bar(self, runstrats: list, step, dt0: float, bar: bool = True) -> bool:
        """One loop turn once the feeds have moved: timers, cheat-on-open
        hooks, the broker, then (if a ``bar`` came) ``step`` for each strategy
        and the writers. False: stop the run."""
        if bar:
            if self._timerscheat:
                self._check_timers(runstrats, dt0, cheat=True)
            if self.p.cheat_on_open:
                for strat in runstrats:
                    strat._next_open()
                    if self._event_stop:
                        return False
        if self.p.quicknotify:  # notifications go out from inside the broker
            with self._open_views(runstrats):
                self._brokernotify()
        else:
            self._brokernotify()
        if self._event_stop:
            return False
        if bar:
            if self._timers:
                self._check_timers(runstrats, dt0)
            for strat in runstrats:
                step(strat)
                if strat._openview is not None:
                    strat._openview.mark()
                if self._event_stop:
                    return False
                self._next_writers(runstrats)
        return True

    def _runonce(self, runstrats: list) -> None:
        """Vectorised mode: indicators computed up front, then one pass of bars."""
        for strat in runstrats:
            strat._once()
        # preloading queued the feeds' and stores' notifications (e.g. IB historical)
        self._storenotify()
        self._datanotify()
        datas = sorted(self.datas, key=lambda d: (d._timeframe, d._compression))
        cheat = self.p.cheat_on_open
        for strat in runstrats:
            for tl in strat._timelines_owned():
                tl.reserve(max(d.buflen() for d in datas))
        if len(datas) == 1 and not (self._timers or self._timerscheat or self._general_path
                                    or self.p.quicknotify):
            self._runonce_single(runstrats, datas[0], cheat)
        else:
            self._runonce_multi(runstrats, datas)
        self._storenotify()  # those that came during the bars
        self._datanotify()

    def _runonce_multi(self, runstrats: list, datas: list) -> None:
        for d in datas:  # preloaded once for several runs (optdatas): start over
            d.home()
        while True:
            dts = [d.advance_peek() for d in datas]
            dt0 = min(dts)
            if dt0 == math.inf:
                return
            for d, dti in zip(datas, dts):
                if dti <= dt0:
                    d.advance(ticks=False)
            if not self._run_bar(runstrats, lambda strat: strat._oncepost(dt0), dt0):
                return

    def _runonce_single(self, runstrats: list, data, cheat: bool) -> None:
        tl = data._tl
        # iterate the day numbers lazily: a list of them would cost ~32 bytes a bar
        dts = memoryview(data.lines.datetime._arr)[:data.buflen()]
        broker = self._broker
        brokernext = broker.next
        notifs = getattr(broker, 'notifs', None)
        if notifs is None:  # a broker without a notification queue of its own
            notifs = (True,)
        writers = self.runwriters
        # each strategy's bar step: the lean one where it applies (Strategy._lean)
        steps = [strat._oncepost_lean if strat._lean else strat._oncepost for strat in runstrats]
        deliver = self._deliver_notifications
        for i, dt0 in enumerate(dts):
            tl.idx = i
            tl.count = i + 1
            if cheat:
                for strat in runstrats:
                    strat._next_open()
                    if self._event_stop:
                        return
            brokernext()
            if notifs:  # _brokernotify without the broker.next call
                deliver()
            if self._event_stop:
                return
            for strat, step in zip(runstrats, steps):
                step(dt0)
                if cheat:
                    strat._openview.mark()
                if self._event_stop:
                    return
                if writers:
                    self._next_writers(runstrats)

    def _runnext(self, runstrats: list) -> None:
        """Bar-by-bar mode: feeds deliver bars as they come (or, live, when
        they come: a feed may answer None, "nothing yet"); lines grow."""
        datas = sorted(self.datas, key=lambda d: (d._timeframe, d._compression))
        if self._dopreload:  # the number of steps is known: no regrowth
            for strat in runstrats:
                for tl in strat._timelines_owned():
                    tl.reserve(max(d.buflen() for d in datas))
        simple = not (self.stores or self.p.cheat_on_open or self._timers
                      or self._timerscheat or self._general_path or self.p.quicknotify)
        if len(datas) == 1 and simple and not datas[0]._filters and not datas[0].islive():
            self._runnext_single(runstrats, datas[0])
            return
        data0, datas1 = datas[0], datas[1:]
        rsonly = {i for i, d in enumerate(datas) if d.resampling and not d.replaying}
        anydt = len(rsonly) in (0, len(datas))  # else resampled bars don't set the time
        nlive = len(datas) - sum(bool(d._clone) for d in datas)
        dt0 = _MAXDATE
        d0ret = True
        while d0ret or d0ret is None:
            # wait for live data only while no feed has some queued, and
            # either none or all of them are live already (backfills first)
            waitq = not any(d.haslivedata() for d in datas)
            if not waitq:
                nowlive = sum(d._laststatus == d.LIVE for d in datas)
                waitq = not nowlive or nowlive == nlive
            lastret = False
            self._storenotify()
            if self._event_stop:
                return
            self._datanotify()
            if self._event_stop:
                return
            drets = []
            qstart = time.monotonic()
            for d in datas:
                d.do_qcheck(waitq, time.monotonic() - qstart)
                drets.append(d.next(ticks=False))
            d0ret = any(drets)
            if not d0ret and any(r is None for r in drets):
                d0ret = None
            if d0ret:
                dts = [d.datetime[0] if ret else None for d, ret in zip(datas, drets)]
                cands = [dt for i, dt in enumerate(dts)
                         if dt is not None and (anydt or i not in rsonly)]
                # backtrader fails here when only resampled feeds moved: use them
                dt0 = min(cands or [dt for dt in dts if dt is not None])
                dmaster = datas[dts.index(dt0)]
                self._dtmaster = dmaster.num2date(dt0)
                self._udtmaster = num2date(dt0)
                for i, ret in enumerate(drets):
                    if ret:
                        continue
                    d = datas[i]
                    d._check(forcedata=dmaster)  # a resampler may close its bar
                    if d.next(datamaster=dmaster, ticks=False):
                        dts[i] = d.datetime[0]
                for d, dti in zip(datas, dts):
                    if dti is None:
                        continue
                    if dti > dt0:
                        d.rewind()  # ahead of the others: deliver it later
                    elif not d.replaying:
                        d._tick_fill(force=True)
            elif d0ret is None:
                for d in datas:  # nothing new: let resamplers close by the clock
                    d._check()
            else:
                lastret = data0._last()
                for d in datas1:
                    lastret += d._last(datamaster=data0)
                if not lastret:
                    break
            self._datanotify()
            if self._event_stop:
                return
            if not self._run_bar(runstrats, Strategy._next, dt0, bool(d0ret or lastret)):
                return
        self._datanotify()
        if self._event_stop:
            return
        self._storenotify()

    def _runonce_old(self, runstrats: list) -> None:
        """oldsync, vectorised: the first data sets the pace, the others follow."""
        for strat in runstrats:
            strat._once()
        data0, others = self.datas[0], self.datas[1:]
        for d in self.datas:
            d.home()
        for strat in runstrats:
            for tl in strat._timelines_owned():
                tl.reserve(data0.buflen())
        for _ in range(data0.buflen()):
            data0.advance(ticks=False)
            for d in others:
                d.advance(datamaster=data0, ticks=False)
            dt0 = data0.datetime[0]
            if not self._run_bar(runstrats, lambda strat: strat._oncepost(dt0), dt0):
                return

    def _runnext_old(self, runstrats: list) -> None:
        """oldsync, bar by bar: the first data sets the pace, the others follow."""
        data0, others = self.datas[0], self.datas[1:]
        d0ret = True
        while d0ret or d0ret is None:
            lastret = False
            self._storenotify()
            if self._event_stop:
                return
            self._datanotify()
            if self._event_stop:
                return
            d0ret = data0.next(ticks=False)
            if d0ret:
                for d in others:
                    if not d.next(datamaster=data0, ticks=False):
                        d._check(forcedata=data0)
                        d.next(datamaster=data0, ticks=False)
            elif d0ret is None:
                for d in self.datas:
                    d._check()
            else:
                lastret = data0._last()
                for d in others:
                    lastret += d._last(datamaster=data0)
                if not lastret:
                    break
            self._datanotify()
            if self._event_stop:
                return
            dt0 = data0.datetime[0] if len(data0) else _MAXDATE
            if not self._run_bar(runstrats, Strategy._next, dt0, bool(d0ret or lastret)):
                return
        self._datanotify()
        if self._event_stop:
            return
        self._storenotify()

    def _runnext_single(self, runstrats: list, data) -> None:
        """``_runnext`` for the common case of one feed and no store."""
        writers = self.runwriters
        while True:
            if data.notifs:
                self._datanotify()
                if self._event_stop:
                    return
            if not data.next(ticks=False):
                break
            if data.notifs:
                self._datanotify()
                if self._event_stop:
                    return
            self._brokernotify()
            if self._event_stop:
                return
            for strat in runstrats:
                strat._next()
                if self._event_stop:
                    return
                if writers:
                    self._next_writers(runstrats)
        self._datanotify()

    # -- plotting ------------------------------------------------------------
    def plot(self, plotter=None, numfigs: int = 1, iplot: bool = True, start=None,
             end=None, width: int = 16, height: int = 9, dpi: int = 300,
             tight: bool = True, use=None, savefig: str | None = None, **kwargs):
        """Plot every strategy of the last run (see ``backtrader_ib.plot``)."""
        from .plot import plot_cerebro  # lazy: matplotlib, and plot is a layer above
        return plot_cerebro(self, plotter=plotter, numfigs=numfigs, iplot=iplot,
                            start=start, end=end, width=width, height=height, dpi=dpi,
                            tight=tight, use=use, savefig=savefig, **kwargs)

    def report(self, filename: str, **kwargs):
        """Write the interactive HTML report of the last run (see ``backtrader_ib.plot``)."""
        from .plot import report  # lazy: bokeh, and plot is a layer above
        return report(self, filename, **kwargs)
