"""Cerebro: gathers data, strategies and broker, and runs the backtest."""
from __future__ import annotations

import datetime
import itertools
from typing import Any

from . import observers, resample_vec, runloop
from .brokers import BackBroker
from .feeds import Chainer, RollOver
from .metabase import ParamsBase, construction_stack
from .openview import OpenView
from .optreturn import OptReturn
from .runplan import RunPlan, general_from_env
from .strategy import SignalStrategy, Strategy
from .timer import Timer
from .tradingcal import PandasMarketCalendar, TradingCalendarBase
from .utils.autodict import OrderedDict
from .utils.date import num2date, tzparse
from .utils.gctune import tuned_gc
from .writer import WriterFile

__all__ = ('Cerebro', 'OptReturn')

# The garbage collector's young-generation threshold during a run (Python's
# default is 700); see runstrategies.
_GC_YOUNG = 20000


class Cerebro(ParamsBase):
    """The engine: ``adddata``, ``addstrategy``, ``run``."""

    _general_path = False  # BTIB_GENERAL_PATH (the run plan's), read by resample_vec
    _runplan = None  # the RunPlan of the run going on (runplan.py)
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
    # The bar-by-bar loop's clock as datetimes (backtrader's private names),
    # converted when read: the loop keeps only the day number and its data.
    _master: tuple | None = None  # (data setting the clock, day number)

    @property
    def _dtmaster(self):
        return None if self._master is None else self._master[0].num2date(self._master[1])

    @property
    def _udtmaster(self):
        return None if self._master is None else num2date(self._master[1])

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
        # BTIB_GENERAL_PATH=1: no fast paths anywhere (docs/engine.md); read
        # once per run, each runstrategies makes its plan (runplan.py) from it
        self._general_path = general_from_env()
        self._doreplay = self._doreplay or any(d.replaying for d in self.datas)
        self._dolive = self._dolive or any(d.islive() for d in self.datas)
        self._dopreload = self.p.preload
        self._dorunonce = self.p.runonce
        self._exactbars = int(self.p.exactbars)
        if self._exactbars:
            self._dorunonce = False
            self._dopreload = self._dopreload and self._exactbars < 1
        if self._doreplay and not (self._dopreload and self._dorunonce and not self._dolive
                                   and resample_vec.preloadable(self)):
            self._dopreload = False  # (precomputed resampled bars can preload)
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
        # which fast paths this run takes (loop, strategy step, broker, observers)
        self._runplan = plan = RunPlan.for_run(general=self._general_path)
        plan.broker_paths(self._broker)
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
                runloop.run(self, runstrats, self._runplan)

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
