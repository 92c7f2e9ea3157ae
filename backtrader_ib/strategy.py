"""Strategies: the user's trading logic, run bar by bar by Cerebro."""
from __future__ import annotations

import collections
import datetime
import itertools
import math
from typing import Any

from . import signal as _signal
from .linebuffer import Timeline
from .lineiterator import LineIterator, StrategyBase, owning
from .observer import FollowerTimeline
from .metabase import ItemCollection, owners
from .signal import (SIGNAL_LONG, SIGNAL_LONG_ANY, SIGNAL_LONG_INV, SIGNAL_LONGEXIT,
                     SIGNAL_LONGEXIT_ANY, SIGNAL_LONGEXIT_INV, SIGNAL_LONGSHORT, SIGNAL_SHORT,
                     SIGNAL_SHORT_ANY, SIGNAL_SHORT_INV, SIGNAL_SHORTEXIT, SIGNAL_SHORTEXIT_ANY,
                     SIGNAL_SHORTEXIT_INV)
from .sizers import FixedSize
from .trade import Trade
from .utils.autodict import AutoDictList, AutoOrderedDict
from .utils.numeric import is_real
from .utils.py3 import MAXINT
from .order import Order

_LIMIT, _STOP = Order.Limit, Order.Stop

__all__ = ('Strategy', 'MetaStrategy', 'SignalStrategy', 'MetaSigStrategy')


class Strategy(StrategyBase):
    """Base of strategies: declare indicators in ``__init__``, trade in ``next``."""

    _ltype = LineIterator.StratType
    csv = True
    _oldsync = False
    _memsave = False  # exactbars >= 1: no history of closed trades
    _notify_always = True  # refined in _start
    _positions = None  # the broker's positions dict, when getposition() reads it plainly
    _fill_observers = None  # see _use_paths
    _sticky_status = False  # see _use_paths
    _quiet_bars = False  # see _use_paths
    _follower = None  # our observers' timeline when there is one (set in _start)
    _lean_steps = None  # see _lean_plan
    lines = ('datetime',)

    def __init_subclass__(cls, **kwargs):
        # backtrader's original hook names
        if 'notify' in cls.__dict__ and 'notify_order' not in cls.__dict__:
            cls.notify_order = cls.__dict__['notify']
        if 'notify_operation' in cls.__dict__ and 'notify_trade' not in cls.__dict__:
            cls.notify_trade = cls.__dict__['notify_operation']
        super().__init_subclass__(**kwargs)

    # -- construction ----------------------------------------------------
    def _preinit(self, args, kwargs):
        cerebro = _find_engine()
        self.env = self.cerebro = cerebro
        self._id = cerebro._next_stid() if cerebro is not None else 0
        args, kwargs = super()._preinit(args, kwargs)
        self.broker = cerebro.broker if cerebro is not None else None
        self._sizer = FixedSize()
        self._orderspending: list = []
        self._trades = collections.defaultdict(AutoDictList)
        self._tradespending: list = []
        self.stats = self.observers = ItemCollection()
        self.analyzers = ItemCollection()
        self._alnames = collections.defaultdict(itertools.count)
        self.writers: list = []
        self._slave_analyzers: list = []
        self._tradehistoryon = False
        self._quicknotify = bool(cerebro is not None and cerebro.p.quicknotify)
        self._followers: dict = {}  # observer timelines, by id of the one they follow
        self._openview = None  # set by Cerebro for cheat-on-open runs (see openview)
        return args, kwargs

    def _pick_timeline(self) -> Timeline:
        return Timeline()  # a strategy counts its own steps

    def _once(self) -> None:
        """Vectorised mode: compute every indicator over all bars up front."""
        for child in self._children:
            child._once()

    def _observer_timeline(self, leader: Timeline) -> FollowerTimeline:
        """The timeline of our observers that follow ``leader``."""
        env = self.env
        if len(self.datas) == 1 and leader is self.datas[0]._tl:
            leader = self._tl  # one data: we step with it, so one timeline serves all
        elif getattr(env, '_dopreload', False) and getattr(env, '_dorunonce', False) \
                and not getattr(env, '_doreplay', False):
            # backtrader's vectorised mode moves every observer with the
            # strategy (a data's own observers too, before its first bar);
            # resampled feeds preloaded (resample_vec) keep their own clocks:
            # backtrader runs those bar by bar
            leader = self._tl
        follower = self._followers.get(id(leader))
        if follower is None:
            follower = self._followers[id(leader)] = FollowerTimeline(leader)
        return follower

    def _timelines_owned(self) -> list:
        """Our timeline and our observers' (to size or bound them)."""
        return [self._tl, *self._followers.values()]

    def _catch_up_observers(self) -> None:
        follower = self._follower  # (the usual case: one observer timeline)
        if follower is not None:
            follower.catch_up()
            return
        for follower in self._followers.values():
            follower.catch_up()

    def _postinit(self) -> None:
        super()._postinit()
        self._sizer.set(self, self.broker)

    # -- components ------------------------------------------------------
    def _addobserver(self, multi: bool, obscls, *obsargs, **obskwargs) -> None:
        obsname = obskwargs.pop('obsname', '') or obscls.__name__.lower()
        with owning(self):
            if not multi:
                obs = obscls(*itertools.chain(self.datas, obsargs), **obskwargs)
                self.stats.append(obs, obsname)
                return
            group = []
            setattr(self.stats, obsname, group)
            for data in self.datas:
                group.append(obscls(data, *obsargs, **obskwargs))

    def _getanalyzer_name(self, name: str) -> str:
        n = next(self._alnames[name])
        return f'{name}{n or ""}'  # a repeated name gets 1, 2... (as backtrader)

    def _addanalyzer_slave(self, ancls, *anargs, **ankwargs):
        with owning(self):
            analyzer = ancls(*anargs, **ankwargs)
        self._slave_analyzers.append(analyzer)
        return analyzer

    def _addanalyzer(self, ancls, *anargs, **ankwargs) -> None:
        anname = self._getanalyzer_name(ankwargs.pop('_name', '') or ancls.__name__.lower())
        with owning(self):
            analyzer = ancls(*anargs, **ankwargs)
        self.analyzers.append(analyzer, anname)

    def _addindicator(self, indcls, *indargs, **indkwargs) -> None:
        with owning(self):
            indcls(*indargs, **indkwargs)

    def _addwriter(self, writer) -> None:
        self.writers.append(writer)

    def _addsizer(self, sizer, *args, **kwargs) -> None:
        if sizer is None:
            self.setsizer(FixedSize())
        else:
            self.setsizer(sizer(*args, **kwargs))

    def setsizer(self, sizer):
        self._sizer = sizer
        sizer.set(self, self.broker)
        return sizer

    def getsizer(self):
        return self._sizer

    sizer = property(getsizer, setsizer)

    def getsizing(self, data=None, isbuy: bool = True):
        data = data if data is not None else self.datas[0]
        return self._sizer.getsizing(data, isbuy=isbuy)

    def set_tradehistory(self, onoff: bool = True) -> None:
        self._tradehistoryon = onoff

    def _settz(self, tz) -> None:
        self.lines.datetime._settz(tz)

    # -- lifecycle ----------------------------------------------------------
    def _periodset(self) -> None:
        """Per data, the min period of the indicators that run on its clock."""
        tl_index = {id(d._tl): i for i, d in enumerate(self.datas)}
        per_data = collections.defaultdict(list)
        for child in self._lineiterators[self.IndType]:
            i = tl_index.get(id(getattr(child, '_tl', None)))
            if i is not None:
                per_data[i].append(child._minperiod)
        self._minperiods = [max(per_data[i]) if per_data[i] else d._minperiod
                            for i, d in enumerate(self.datas)]
        mps = [c._minperiod for c in self._lineiterators[self.IndType]]
        self._minperiod = max(mps or [self._minperiod])

    def _getminperstatus_single(self) -> int:
        self._minperstatus = status = self._single_mp - self._single_tl.count  # type: ignore[union-attr]
        return status

    def _getminperstatus(self) -> int:
        self._minperstatus = status = max(
            mp - len(d) for mp, d in zip(self._minperiods, self.datas))
        return status

    def _start(self) -> None:
        self._periodset()
        for analyzer in itertools.chain(self.analyzers, self._slave_analyzers):
            analyzer._start()
        for obs in self.observers:
            for o in (obs if isinstance(obs, list) else [obs]):
                o._start()
        self._stage2()
        self._dlens = [len(d) for d in self.datas]
        self._minperstatus = MAXINT
        self._quiet_observers = [o for o in self._lineiterators[self.ObsType]
                                 if not o.acts_on_news_only()]
        hooks_cashvalue = (type(self).notify_cashvalue is not Strategy.notify_cashvalue
                           or type(self).notify_fund is not Strategy.notify_fund)
        # whether _notify has work even on a bar without order or trade news
        self._notify_always = bool(hooks_cashvalue or self.analyzers._items
                                   or self._slave_analyzers)
        self._quiet_nexts = [o.next for o in self._quiet_observers]
        followers = list(self._followers.values())
        self._follower = followers[0] if len(followers) == 1 else None
        # the fast paths: the run plan's choice (runplan.RunPlan.strategy_paths);
        # without a Cerebro (or BTIB_GENERAL_PATH=1) the general code
        plan = getattr(self.env, '_runplan', None)
        if plan is not None:
            plan.strategy_paths(self)
        else:
            self._use_paths(single=False, lean=False, plain_observers=False, positions=None,
                            fill_observers=None)
        # Indicators made in start() are ours too, computed as those of
        # __init__ (and, as in backtrader, not counted in our min period).
        # Operators build lines meanwhile (stage 1), as in __init__, where
        # backtrader's compute a value (and CrossOver fails there).
        self._stage1()
        try:
            with owning(self):
                self.start()
        finally:
            self._stage2()

    def _use_paths(self, single: bool, lean: bool, plain_observers: bool,
                   positions: dict | None, fill_observers: dict | None,
                   sticky_status: bool = False, quiet_bars: bool = False) -> None:
        """Take the fast paths the run plan chose (all False/None: the general code).

        ``single``: one data is the clock; ``lean``: the lean steps run it
        (``runloop.runonce_lean``, ``_next_lean``); ``plain_observers``: no observer has analyzers; ``positions``: the
        broker's dict, read directly; ``fill_observers``: id(data) -> the BuySell
        observers of that data, run only on bars where its orders filled;
        ``sticky_status``: in a vectorised pass, a negative min-period status
        stays negative (the datas' lengths only grow), so it is not recomputed;
        ``quiet_bars``: bar by bar, every ``_next`` is a new bar for the
        observers (one data, not replayed), so on one without order or trade
        news those acting only on news (``_on_events``) are not called."""
        self._quiet_bars = quiet_bars
        self._sticky_status = sticky_status
        self._plain_observers = plain_observers
        self._single_tl: Timeline | None = None
        if single:
            self._single_mp = self._minperiods[0]
            self._single_tl = self.datas[0]._tl
            self._getminperstatus = self._getminperstatus_single
        self._lean = lean
        self._positions = positions
        self._fill_observers = fill_observers
        if fill_observers:
            skip = {id(o) for obs in fill_observers.values() for o in obs}
            self._nonfill_observers = [o for o in self._lineiterators[self.ObsType]
                                       if id(o) not in skip]

    def start(self) -> None:
        pass

    def _stop(self) -> None:
        self._positions = None  # a later run's broker.start() makes a new dict
        self.stop()
        for analyzer in itertools.chain(self.analyzers, self._slave_analyzers):
            analyzer._stop()
        self._stage1()

    def stop(self) -> None:
        pass

    def _clk_update(self) -> int:
        if self._oldsync:  # the first data is the clock
            if len(self.datas[0]) != self._tl.count:
                self._tl.forward()
            self.lines.datetime[0] = max(d.datetime[0] for d in self.datas if len(d))
            return self._tl.count
        if self._single_tl is not None:
            self._clk_single()
            return self._tl.count
        newdlens = [len(d) for d in self.datas]
        if any(nl > ol for ol, nl in zip(self._dlens, newdlens)):
            self._tl.forward()
        self.lines.datetime[0] = max(d.datetime[0] for d in self.datas if len(d))
        self._dlens = newdlens
        return self._tl.count

    def _clk_single(self) -> int:
        """``_clk_update`` for one data: our clock moves with its bars (the
        data's bar count, returned, may stay put: a replayed bar in progress)."""
        count = self._single_tl.count  # type: ignore[union-attr]
        if count > self._dlens[0]:
            self._tl.forward()
            self._dlens[0] = count
        self.datetime._arr[self._tl.idx] = self.datas[0].datetime[0]
        return count

    def _next(self) -> None:
        self._clk_update()
        for child in self._children:
            child._next()
        if self._orderspending or self._tradespending or self._notify_always:
            self._notify()
        status = self._getminperstatus()
        self._user_step(status)
        self._next_analyzers(status)
        self._catch_up_observers()
        self._next_observers(status)
        self.clear()

    def _user_step(self, status: int) -> None:
        """The user's hook for a min-period ``status``: prenext, nextstart or next."""
        if status < 0:
            self.next()
        elif status == 0:
            self.nextstart()
        else:
            self.prenext()

    def _next_lean(self) -> None:
        """``_next`` for a lean run bar by bar (``_lean``: one data, no
        analyzers nor cash/value hooks, plain observers): once every indicator
        is past its min period, those that ``LineIterator._next`` would only
        dispatch to ``next`` are called straight, and so are the observers.
        A specialised copy kept for speed (bench/workloads.py single-noronce
        and replay, about 10% of either run)."""
        count = self._clk_single()
        children = self._children
        steps = self._lean_steps
        if steps is None or steps[0] != len(children):  # (indicators made in start())
            steps = self._lean_steps = self._lean_plan()
        if count > steps[1]:
            for step in steps[2]:
                step()
        else:  # some indicator still before its min period
            for child in children:
                child._next()
        news = self._orderspending or self._tradespending
        if news:
            self._notify()
        status = self._minperstatus = self._single_mp - count
        self._user_step(status)
        follower = self._follower
        if follower is not None:
            follower.catch_up()
        if status < 0 and steps[3] is not None and follower is not None \
                and follower.count > steps[4]:
            if news or not self._quiet_bars:
                for observer_next in steps[3]:
                    observer_next()
            else:
                for observer_next in self._quiet_nexts:
                    observer_next()
        else:
            self._next_observers(status)
        self.clear()

    def _lean_plan(self) -> tuple:
        """(number of children, the bar count past which every direct child is
        past its min period, each child's step, the observers' ``next`` or None
        if one needs ``_next``, the observers' largest min period)."""
        def direct(obj) -> bool:  # LineIterator._next would only call next
            return (type(obj)._next is LineIterator._next and not obj._children
                    and not obj._bindings)

        children = self._children
        steps, mp = [], 0
        for child in children:
            if (isinstance(child, LineIterator) and direct(child)
                    and child._tl is self._single_tl):
                steps.append(child.next)
                mp = max(mp, child._minperiod)
            else:
                steps.append(child._next)
        observers = self._lineiterators[self.ObsType]
        obs_nexts = None
        if all(direct(o) for o in observers):
            obs_nexts = [o.next for o in observers]
        obs_mp = max((o._minperiod for o in observers), default=0)
        return len(children), mp, steps, obs_nexts, obs_mp

    def _oncepost(self, dt: float) -> None:
        tl = self._tl
        i = tl.idx + 1
        if i + 1 + tl.ext <= tl.capacity:  # Timeline.forward's common case, inlined
            tl.idx = i
            tl.count += 1
            if i + 1 + tl.ext > tl.end:
                tl.end = i + 1 + tl.ext
        else:
            tl.forward()
            i = tl.idx
        self.datetime._mv[i] = dt
        news = self._orderspending or self._tradespending
        if news or self._notify_always:
            self._notify()
        if self._single_tl is not None:
            status = self._minperstatus = self._single_mp - self._single_tl.count
        elif self._sticky_status and self._minperstatus < 0:
            status = self._minperstatus  # (only its sign is read)
        else:
            status = self._getminperstatus()
        if status < 0:
            self.next()
        elif status == 0:
            self.nextstart()
        else:
            self.prenext()
        if self.analyzers._items:
            self._next_analyzers(status)
        self._catch_up_observers()
        if status < 0 and self._plain_observers and not news:
            for observer_next in self._quiet_nexts:  # the common bar, inlined
                observer_next()
        else:
            self._next_observers(status, once=True)
        if self._orderspending:
            self._orderspending = []
        if self._tradespending:
            self._tradespending = []

    def _next_open(self) -> None:
        status = self._minperstatus
        if status < 0:
            hook = self.next_open
        elif status == 0:
            hook = self.nextstart_open
        else:
            hook = self.prenext_open
        view = self._openview
        if view is None:
            hook()
            return
        with view:  # the datas on the new bar, indicators not recalculated yet
            hook()

    def _next_observers(self, status: int, once: bool = False) -> None:
        if once and status < 0 and self._plain_observers:
            if self._orderspending or self._tradespending:
                fills = self._fill_observers
                if fills is None:
                    for observer in self._lineiterators[self.ObsType]:
                        observer.next()
                    return
                for observer in self._nonfill_observers:
                    observer.next()
                self._next_fill_observers(fills)
            else:
                for observer in self._quiet_observers:
                    observer.next()
            return
        if (self._quiet_bars and status < 0
                and not (self._orderspending or self._tradespending)):
            for observer in self._quiet_observers:  # those acting on every bar
                observer._next()
            return
        for observer in self._lineiterators[self.ObsType]:
            if observer._analyzers:
                for analyzer in observer._analyzers:
                    if status < 0:
                        analyzer._next()
                    elif status == 0:
                        analyzer._nextstart()
                    else:
                        analyzer._prenext()
            if once:
                if status < 0:
                    observer.next()
                elif status == 0:
                    observer.nextstart()
                elif len(observer):
                    observer.prenext()
            else:
                observer._next()

    def _next_fill_observers(self, fills: dict) -> None:
        """The BuySell observers of the datas whose orders filled on this bar.
        The others have nothing to do: in a vectorised run every observer
        moves with the strategy (``_observer_timeline``), so each step is a
        new observer bar with nothing recorded on it yet."""
        done = set()
        for order in self._orderspending:
            key = id(order.data)
            if key in done or not order.executed.size:
                continue
            done.add(key)
            for observer in fills.get(key, ()):
                observer.next()

    def _next_analyzers(self, status: int, once: bool = False) -> None:
        if not self.analyzers:
            return
        for analyzer in self.analyzers:
            if status < 0:
                analyzer._next()
            elif status == 0:
                analyzer._nextstart()
            else:
                analyzer._prenext()

    def prenext_open(self) -> None:
        pass

    def nextstart_open(self) -> None:
        self.next_open()

    def next_open(self) -> None:
        pass

    def qbuffer(self, savemem: int = 0, replaying: bool = False) -> None:
        pass

    # -- notifications -------------------------------------------------------
    def clear(self) -> None:
        # backtrader also keeps every notified order clone here for no reader;
        # not keeping them is what bounds memory on long runs.
        if self._orderspending:
            self._orderspending = []
        if self._tradespending:
            self._tradespending = []

    def _addnotification(self, order, quicknotify: bool = False) -> None:
        if not order.simulated:
            self._orderspending.append(order)
        executed = order.executed
        if not executed.size:
            if quicknotify:
                self._notify(qorders=[order], qtrades=[])
            return
        # quicknotify: the trades also go, as their own copies, straight to _notify
        qtrades: list | None = [] if quicknotify else None
        pending = self._tradespending

        def tell(trade) -> None:  # a snapshot of the trade for each notification
            pending.append(trade.__copy__())
            if qtrades is not None:
                qtrades.append(trade.__copy__())

        tradedata = order.data._compensate
        if tradedata is None:
            tradedata = order.data
        datatrades = self._trades[tradedata][order.tradeid]
        if not datatrades:
            trade = Trade(data=tradedata, tradeid=order.tradeid,
                          historyon=self._tradehistoryon)
            datatrades.append(trade)
        else:
            trade = datatrades[-1]
        for exbit in executed.iterpending():
            if exbit is None:
                break
            if exbit.closed:
                trade.update(order, exbit.closed, exbit.price, exbit.closedvalue,
                             exbit.closedcomm, exbit.pnl, comminfo=order.comminfo)
                if trade.isclosed:
                    tell(trade)
            if exbit.opened:
                if trade.isclosed:
                    if self._memsave:
                        del datatrades[:]  # memory-saving runs keep only the live trade
                    trade = Trade(data=tradedata, tradeid=order.tradeid,
                                  historyon=self._tradehistoryon)
                    datatrades.append(trade)
                trade.update(order, exbit.opened, exbit.price, exbit.openedvalue,
                             exbit.openedcomm, exbit.pnl, comminfo=order.comminfo)
                if trade.isclosed:
                    tell(trade)
            if trade.justopened:
                tell(trade)
        if qtrades is not None:
            self._notify(qorders=[order], qtrades=qtrades)

    def _notify(self, qorders=(), qtrades=()) -> None:
        if self._quicknotify:
            procorders, proctrades = qorders, qtrades
        else:
            procorders, proctrades = self._orderspending, self._tradespending
        listeners = self.analyzers._items
        if self._slave_analyzers:
            listeners = listeners + self._slave_analyzers
        historical = Order.Historical
        for order in procorders:
            if order.exectype != historical or order.histnotify:
                self.notify_order(order)
            for analyzer in listeners:
                analyzer._notify_order(order)
        for trade in proctrades:
            self.notify_trade(trade)
            for analyzer in listeners:
                analyzer._notify_trade(trade)
        if qorders or not self._notify_always:
            return  # (nobody listens to cash/value: skip querying the broker)
        broker = self.broker
        cash = broker.getcash()
        value = broker.getvalue()
        fundvalue = broker.fundvalue
        fundshares = broker.fundshares
        self.notify_cashvalue(cash, value)
        self.notify_fund(cash, value, fundvalue, fundshares)
        for analyzer in listeners:
            analyzer._notify_cashvalue(cash, value)
            analyzer._notify_fund(cash, value, fundvalue, fundshares)

    def notify_order(self, order) -> None:
        pass

    def notify_trade(self, trade) -> None:
        pass

    def notify_cashvalue(self, cash: float, value: float) -> None:
        pass

    def notify_fund(self, cash: float, value: float, fundvalue: float, shares: float) -> None:
        pass

    def notify_store(self, msg, *args, **kwargs) -> None:
        pass

    def notify_data(self, data, status, *args, **kwargs) -> None:
        pass

    def notify_timer(self, timer, when, *args, **kwargs) -> None:
        pass

    # -- data --------------------------------------------------------------
    def getdatanames(self) -> list:
        return list(self.env.datasbyname.keys())

    def getdatabyname(self, name: str):
        return self.env.datasbyname[name]

    def _resolve_data(self, data):
        if isinstance(data, str):
            try:
                return self.getdatabyname(data)
            except KeyError:
                raise KeyError(f'no data named {data!r}; the names are '
                               f'{self.getdatanames()}') from None
        return data if data is not None else self.datas[0]

    # -- orders --------------------------------------------------------------
    def cancel(self, order) -> None:
        self.broker.cancel(order)

    def buy(self, data=None, size=None, price=None, plimit=None, exectype=None,
            valid=None, tradeid=0, oco=None, trailamount=None, trailpercent=None,
            parent=None, transmit=True, **kwargs):
        """Buy ``size`` (default: the sizer's stake) of ``data``; None if size is 0."""
        return self._place(True, data, size, price, plimit, exectype, valid, tradeid, oco,
                           trailamount, trailpercent, parent, transmit, kwargs)

    def sell(self, data=None, size=None, price=None, plimit=None, exectype=None,
             valid=None, tradeid=0, oco=None, trailamount=None, trailpercent=None,
             parent=None, transmit=True, **kwargs):
        """Sell ``size`` (default: the sizer's stake) of ``data``; None if size is 0."""
        return self._place(False, data, size, price, plimit, exectype, valid, tradeid, oco,
                           trailamount, trailpercent, parent, transmit, kwargs)

    def _place(self, isbuy: bool, data, size, price, plimit, exectype, valid, tradeid, oco,
               trailamount, trailpercent, parent, transmit, kwargs: dict):
        """The order ``buy``/``sell`` describe, sent to the broker (None for size 0)."""
        data = self._resolve_data(data)
        side = 'buy' if isbuy else 'sell'
        self._check_data(data, side)
        if size is None:
            size = self.getsizing(data, isbuy=isbuy)
            if is_real(size):
                # backtrader's sizers may return the signed position (PercentSizer,
                # AllInSizer when in one): the side is the call's, the size its magnitude
                size = abs(size)
        _check_size(size, side)
        if not size:
            return None
        send = self.broker.buy if isbuy else self.broker.sell
        if kwargs:
            return send(self, data, size=size, price=price, plimit=plimit, exectype=exectype,
                        valid=valid, tradeid=tradeid, oco=oco, trailamount=trailamount,
                        trailpercent=trailpercent, parent=parent, transmit=transmit, **kwargs)
        # (the same call: without ** the keywords are not gathered in a dict, ~1 us)
        return send(self, data, size=size, price=price, plimit=plimit, exectype=exectype,
                    valid=valid, tradeid=tradeid, oco=oco, trailamount=trailamount,
                    trailpercent=trailpercent, parent=parent, transmit=transmit)

    def _check_data(self, data, what: str) -> None:
        """``data`` must be one of the run's feeds (else its orders end in Margin)."""
        env = self.env
        if env is None:
            return
        ids = self.__dict__.get('_dataids')
        if ids is None or len(ids) != len(env.datas):
            ids = self._dataids = {id(d) for d in env.datas}
        if id(data) not in ids:
            name = getattr(data, '_name', '') or type(data).__name__
            raise ValueError(f'{what}: data {name!r} is not a data feed of this run '
                             '(add it with cerebro.adddata before run)')

    def close(self, data=None, size=None, **kwargs):
        """Close (or reduce by ``size``) the position in ``data``."""
        data = self._resolve_data(data)
        possize = self.getposition(data, self.broker).size
        size = abs(size if size is not None else possize)
        if possize > 0:
            return self.sell(data=data, size=size, **kwargs)
        if possize < 0:
            return self.buy(data=data, size=size, **kwargs)
        return None

    def buy_bracket(self, data=None, size=None, price=None, plimit=None,
                    exectype=_LIMIT, valid=None, tradeid=0, trailamount=None,
                    trailpercent=None, oargs={}, stopprice=None, stopexec=_STOP,
                    stopargs={}, limitprice=None, limitexec=_LIMIT, limitargs={},
                    **kwargs) -> list:
        """A buy with a protective sell stop below and a sell limit above.

        Returns [main, stop, limit]; ``stopexec=None`` / ``limitexec=None``
        leave that side out (None in its place).
        """
        return self._bracket(self.buy, self.sell, dict(
            size=size, data=data, price=price, plimit=plimit, exectype=exectype,
            valid=valid, tradeid=tradeid, trailamount=trailamount,
            trailpercent=trailpercent), oargs, stopprice, stopexec, stopargs,
            limitprice, limitexec, limitargs, kwargs)

    def sell_bracket(self, data=None, size=None, price=None, plimit=None,
                     exectype=_LIMIT, valid=None, tradeid=0, trailamount=None,
                     trailpercent=None, oargs={}, stopprice=None, stopexec=_STOP,
                     stopargs={}, limitprice=None, limitexec=_LIMIT, limitargs={},
                     **kwargs) -> list:
        """A sell with a protective buy stop above and a buy limit below."""
        return self._bracket(self.sell, self.buy, dict(
            size=size, data=data, price=price, plimit=plimit, exectype=exectype,
            valid=valid, tradeid=tradeid, trailamount=trailamount,
            trailpercent=trailpercent), oargs, stopprice, stopexec, stopargs,
            limitprice, limitexec, limitargs, kwargs)

    def _bracket(self, enter, leave, kargs, oargs, stopprice, stopexec, stopargs,
                 limitprice, limitexec, limitargs, kwargs) -> list:
        what = f'{enter.__name__}_bracket'
        for name, value in (('stopprice', stopprice), ('limitprice', limitprice)):
            if value is not None and (not is_real(value) or not math.isfinite(value)):
                raise ValueError(f'{what}: {name} must be a finite number, got {value!r}')
        data, valid, tradeid = kargs['data'], kargs['valid'], kargs['tradeid']
        kargs.update(oargs)
        kargs.update(kwargs)
        # the last order created transmits the whole group
        kargs['transmit'] = limitexec is None and stopexec is None
        o = enter(**kargs)
        legs = []
        for lprice, lexec, largs, last in ((stopprice, stopexec, stopargs, limitexec is None),
                                           (limitprice, limitexec, limitargs, True)):
            if lexec is None:
                legs.append(None)
                continue
            kargs = dict(data=data, price=lprice, exectype=lexec, valid=valid,
                         tradeid=tradeid)
            kargs.update(largs)
            kargs.update(kwargs)
            kargs.update(parent=o, transmit=last, size=abs(o.size))
            legs.append(leave(**kargs))
        return [o] + legs

    def order_target_size(self, data=None, target=0, **kwargs):
        """Buy or sell what takes the position in ``data`` to ``target`` units."""
        _check_target(target, 'order_target_size')
        data = self._resolve_data(data)
        possize = self.getposition(data, self.broker).size
        if not target and possize:
            return self.close(data=data, size=possize, **kwargs)
        if target > possize:
            return self.buy(data=data, size=target - possize, **kwargs)
        if target < possize:
            return self.sell(data=data, size=possize - target, **kwargs)
        return None

    def order_target_value(self, data=None, target=0.0, price=None, **kwargs):
        """Buy or sell what takes the value of the position in ``data`` to ``target``."""
        _check_target(target, 'order_target_value')
        return self._order_target_value(data, target, price, 'order_target_value', kwargs)

    def _order_target_value(self, data, target, price, what: str, kwargs: dict):
        data = self._resolve_data(data)
        possize = self.getposition(data, self.broker).size
        if not target and possize:
            return self.close(data=data, size=possize, price=price, **kwargs)
        value = self.broker.getvalue(datas=[data])
        if target == value:
            return None
        comminfo = self.broker.getcommissioninfo(data)
        if price is None:
            price = data.close[0]
            if not math.isfinite(price):
                raise ValueError(f'{what}: the close of {data._name or "the data"!r} is '
                                 f'{price} on this bar; pass price= to size the order')
        elif not is_real(price) or not math.isfinite(price):
            raise ValueError(f'{what}: price must be a finite number, got {price!r}')
        if target > value:
            size = comminfo.getsize(price, target - value)
            return self.buy(data=data, size=size, price=price, **kwargs)
        size = comminfo.getsize(price, value - target)
        return self.sell(data=data, size=size, price=price, **kwargs)

    def order_target_percent(self, data=None, target=0.0, **kwargs):
        """Buy or sell what makes the position in ``data`` ``target`` (0.1 = 10%)
        of the portfolio value."""
        _check_target(target, 'order_target_percent')
        data = self._resolve_data(data)
        target *= self.broker.getvalue()
        price = kwargs.pop('price', None)
        return self._order_target_value(data, target, price, 'order_target_percent', kwargs)

    # -- positions -----------------------------------------------------------
    def getposition(self, data=None, broker=None):
        data = data if data is not None else self.datas[0]
        return (broker or self.broker).getposition(data)

    @property
    def position(self):
        """The position in the first data."""
        positions = self._positions
        if positions is not None:  # BackBroker's getposition, without the call
            return positions[self.data]
        return self.broker.getposition(self.data)

    def getpositionbyname(self, name=None, broker=None):
        data = self.datas[0] if not name else self.getdatabyname(name)
        return (broker or self.broker).getposition(data)

    positionbyname = property(getpositionbyname)

    def getpositions(self, broker=None):
        return (broker or self.broker).positions

    positions = property(getpositions)

    def getpositionsbyname(self, broker=None):
        positions = (broker or self.broker).positions
        return collections.OrderedDict(
            (name, positions[data]) for name, data in self.env.datasbyname.items())

    positionsbyname = property(getpositionsbyname)

    # -- writer ------------------------------------------------------------
    def getwriterheaders(self) -> list:
        self.indobscsv = [self]
        indobs = itertools.chain(self.getindicators_lines(), self.getobservers())
        self.indobscsv.extend(x for x in indobs if x.csv)
        headers = []
        for iocsv in self.indobscsv:
            headers.append(iocsv.plotinfo.plotname or type(iocsv).__name__)
            headers.append('len')
            headers.extend(iocsv.getlinealiases())
        return headers

    def getwritervalues(self) -> list:
        values = []
        for iocsv in self.indobscsv:
            values.append(iocsv.plotinfo.plotname or type(iocsv).__name__)
            lio = len(iocsv)
            values.append(lio)
            if lio:
                values.extend(line[0] for line in iocsv.lines)
            else:
                values.extend([''] * iocsv.lines.size())
        return values

    def getwriterinfo(self) -> AutoOrderedDict:
        wrinfo = AutoOrderedDict()
        wrinfo['Params'] = self.p._getkwargs()
        for sectname, items in (('Indicators', self.getindicators_lines()),
                                ('Observers', self.getobservers())):
            sinfo = wrinfo[sectname]
            for item in items:
                itname = type(item).__name__
                sinfo[itname].Lines = item.lines.getlinealiases() or None
                sinfo[itname].Params = item.p._getkwargs() or None
        ainfo = wrinfo.Analyzers
        ainfo.Value.Begin = self.broker.startingcash
        ainfo.Value.End = self.broker.getvalue()
        for aname, analyzer in self.analyzers.getitems():
            ainfo[aname].Params = analyzer.p._getkwargs() or None
            ainfo[aname].Analysis = analyzer.get_analysis()
        return wrinfo

    def add_timer(self, when, offset=datetime.timedelta(), repeat=datetime.timedelta(),
                  weekdays=(), weekcarry: bool = False, monthdays=(),
                  monthcarry: bool = True, allow=None, tzdata=None, cheat: bool = False,
                  *args, **kwargs):
        """Call this strategy's ``notify_timer`` at ``when`` (see Cerebro.add_timer)."""
        return self.cerebro._add_timer(self, when, offset, repeat, weekdays, weekcarry,
                                       monthdays, monthcarry, allow, tzdata, False, cheat,
                                       *args, **kwargs)


def _check_size(size: Any, side: str) -> None:
    if size is None or not is_real(size):
        raise ValueError(f'{side}: size must be a number, got {size!r}')
    if not math.isfinite(size):
        raise ValueError(f'{side}: size must be a finite number, got {size!r}')
    if size < 0:
        raise ValueError(f'{side}: size must not be negative, got {size!r} '
                         f'(use {"sell" if side == "buy" else "buy"}() for the other side)')


def _check_target(target: Any, what: str) -> None:
    if not is_real(target) or not math.isfinite(target):
        raise ValueError(f'{what}: target must be a finite number, got {target!r}')


def _find_engine() -> Any:
    """The engine building this strategy: the innermost object under
    construction that says it runs strategies (Cerebro sets ``_runs_strategies``);
    found by that role, so this module need not import cerebro (a layer above)."""
    for obj in reversed(owners()):
        if getattr(type(obj), '_runs_strategies', False):
            return obj
    return None


def _all(signals, test) -> bool:
    """``test`` holds for every signal's current value (True when none)."""
    return all(test(s[0]) for s in signals) if signals else test(0.0)


class SignalStrategy(Strategy):
    """Trades market orders from the signals added with ``signal_add``/``add_signal``.

    Params: ``signals`` (list of (type, class, args, kwargs)), ``_accumulate``
    (enter again while in the market), ``_concurrent`` (issue orders while
    one is pending), ``_data`` (the data traded: None = data0, an index, a
    name or a data).
    """

    params = (('signals', []), ('_accumulate', False), ('_concurrent', False),
              ('_data', None))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The user's ``next`` runs after the signal logic of each bar.
        if 'next' in cls.__dict__ and cls.__dict__['next'] is not SignalStrategy._next_catch:
            cls._next_custom = cls.__dict__['next']
            cls.next = SignalStrategy._next_catch

    def _preinit(self, args, kwargs):
        args, kwargs = super()._preinit(args, kwargs)
        self._signals = collections.defaultdict(list)
        target = self.p._data
        if target is None:
            self._dtarget = self.data0
        elif isinstance(target, int):
            self._dtarget = self.datas[target]
        elif isinstance(target, str):
            self._dtarget = self.getdatabyname(target)
        else:
            self._dtarget = target
        return args, kwargs

    def _postinit(self) -> None:
        with owning(self):
            for sigtype, sigcls, sigargs, sigkwargs in self.p.signals:
                self._signals[sigtype].append(sigcls(*sigargs, **sigkwargs))
        super()._postinit()

    def _start(self) -> None:
        self._sentinel = None
        self._longexit = bool(self._signals[SIGNAL_LONGEXIT])
        self._shortexit = bool(self._signals[SIGNAL_SHORTEXIT])
        super()._start()

    def signal_add(self, sigtype: int, signal) -> None:
        self._signals[sigtype].append(signal)

    def _notify(self, qorders=(), qtrades=()) -> None:
        if self._sentinel is not None:
            for order in (qorders or self._orderspending):
                if order == self._sentinel and not order.alive():
                    self._sentinel = None
                    break
        super()._notify(qorders=qorders, qtrades=qtrades)

    def _next_catch(self) -> None:
        self._next_signal()
        custom = getattr(self, '_next_custom', None)
        if custom is not None:
            custom()

    next = _next_catch

    def _next_signal(self) -> None:
        if self._sentinel is not None and not self.p._concurrent:
            return  # an order is pending
        s = self._signals
        pos = lambda v: v > 0.0
        neg = lambda v: v < 0.0
        nonzero = bool

        ls_long = _all(s[SIGNAL_LONGSHORT], pos)
        ls_short = _all(s[SIGNAL_LONGSHORT], neg)
        l_enter = (_all(s[SIGNAL_LONG], pos) or _all(s[SIGNAL_LONG_INV], neg)
                   or _all(s[SIGNAL_LONG_ANY], nonzero))
        s_enter = (_all(s[SIGNAL_SHORT], neg) or _all(s[SIGNAL_SHORT_INV], pos)
                   or _all(s[SIGNAL_SHORT_ANY], nonzero))
        l_exit = (_all(s[SIGNAL_LONGEXIT], neg) or _all(s[SIGNAL_LONGEXIT_INV], pos)
                  or _all(s[SIGNAL_LONGEXIT_ANY], nonzero))
        s_exit = (_all(s[SIGNAL_SHORTEXIT], pos) or _all(s[SIGNAL_SHORTEXIT_INV], neg)
                  or _all(s[SIGNAL_SHORTEXIT_ANY], nonzero))
        l_rev = not self._longexit and s_enter
        s_rev = not self._shortexit and l_enter
        l_leave = not self._longexit and (
            _all(s[SIGNAL_LONG], neg) or _all(s[SIGNAL_LONG_INV], pos)
            or _all(s[SIGNAL_LONG_ANY], nonzero))
        s_leave = not self._shortexit and (
            _all(s[SIGNAL_SHORT], pos) or _all(s[SIGNAL_SHORT_INV], neg)
            or _all(s[SIGNAL_SHORT_ANY], nonzero))

        size = self.getposition(self._dtarget).size
        if not size:
            if ls_long or l_enter:
                self._sentinel = self.buy(self._dtarget)
            elif ls_short or s_enter:
                self._sentinel = self.sell(self._dtarget)
        elif size > 0:
            if ls_short or l_exit or l_rev or l_leave:
                self.close(self._dtarget)
            if ls_short or l_rev:
                self._sentinel = self.sell(self._dtarget)
            if (ls_long or l_enter) and self.p._accumulate:
                self._sentinel = self.buy(self._dtarget)
        else:
            if ls_long or s_exit or s_rev or s_leave:
                self.close(self._dtarget)
            if ls_long or s_rev:
                self._sentinel = self.buy(self._dtarget)
            if (ls_short or s_enter) and self.p._accumulate:
                self._sentinel = self.sell(self._dtarget)


MetaStrategy = type(Strategy)
MetaSigStrategy = MetaStrategy  # SignalStrategy's: the same metaclass

# backtrader has SignalStrategy here; bt.signal.SignalStrategy keeps working too
# (signal.py is a layer below and cannot import it back)
_signal.SignalStrategy = SignalStrategy  # type: ignore[misc]
_signal.MetaSigStrategy = MetaSigStrategy
