"""The bar loops of a run: move the feeds, then run the bar (broker, strategies).

``Cerebro.run`` prepares the run (feeds, strategies, observers) and calls the
loop its :class:`~backtrader_ib.runplan.RunPlan` names: one function here
per loop. Every loop takes the Cerebro and the strategies; the vectorised
ones (``runonce_*``) run after the indicators were computed over whole
columns, the others (``runnext*``) compute everything bar by bar.

* ``runonce_single``: one preloaded data; the loop itself is the clock.
* ``runonce_lean``: ``runonce_single`` for one lean strategy alone, its
  step inlined.
* ``runonce_merged``: several preloaded datas advanced from one merged
  timeline computed up front (``runplan.merged_timeline``).
* ``runonce_multi``: the general vectorised loop: per bar, the smallest next
  datetime over the feeds decides which of them advance.
* ``runnext_single`` / ``runnext``: bar by bar (live feeds, resampling,
  replay, ``runonce=False``), one data without filters, or any.
* ``runonce_old`` / ``runnext_old``: ``oldsync=True`` (the first data sets
  the pace).
"""
from __future__ import annotations

import contextlib
import datetime
import math
import time

from .utils.date import date2num

__all__ = ('run', 'run_bar', 'deliver_notifications', 'open_views')

_MAXDATE = date2num(datetime.datetime.max) - 2


def run(cerebro, runstrats: list, plan) -> None:
    """Run the bars with the loop ``plan`` names (choosing it first)."""
    runonce = cerebro._dopreload and cerebro._dorunonce
    if runonce:
        for strat in runstrats:
            strat._once()
        if cerebro.p.oldsync:
            plan.choose_loop(cerebro, True, cerebro.datas)
            runonce_old(cerebro, runstrats)
            return
        # preloading queued the feeds' and stores' notifications (e.g. IB historical)
        cerebro._storenotify()
        cerebro._datanotify()
        datas = sorted(cerebro.datas, key=lambda d: (d._timeframe, d._compression))
        for strat in runstrats:
            for tl in strat._timelines_owned():
                tl.reserve(max(d.buflen() for d in datas))
        loop = plan.choose_loop(cerebro, True, datas, runstrats)
        if loop == 'runonce_lean':
            runonce_lean(cerebro, runstrats[0], datas[0])
        elif loop == 'runonce_single':
            runonce_single(cerebro, runstrats, datas[0])
        elif loop == 'runonce_merged':
            runonce_merged(cerebro, runstrats, datas, plan.timeline)
        else:
            runonce_multi(cerebro, runstrats, datas)
        cerebro._storenotify()  # those that came during the bars
        cerebro._datanotify()
        return
    if cerebro.p.oldsync:
        plan.choose_loop(cerebro, False, cerebro.datas)
        runnext_old(cerebro, runstrats)
        return
    datas = sorted(cerebro.datas, key=lambda d: (d._timeframe, d._compression))
    if cerebro._dopreload:  # the number of steps is known: no regrowth
        for strat in runstrats:
            for tl in strat._timelines_owned():
                tl.reserve(max(d.buflen() for d in datas))
    if plan.choose_loop(cerebro, False, datas) == 'runnext_single':
        runnext_single(cerebro, runstrats, datas[0])
    else:
        runnext(cerebro, runstrats, datas)


# -- the work of one bar ---------------------------------------------------------
def open_views(runstrats: list) -> contextlib.ExitStack:
    """For user code run after the feeds moved but before the strategies
    (timers, quicknotify notifications): indicators not recalculated yet,
    as in backtrader (see OpenView)."""
    views = contextlib.ExitStack()
    for strat in runstrats:
        if strat._openview is not None:
            views.enter_context(strat._openview)
    return views


def check_timers(cerebro, runstrats: list, dt0: float, cheat: bool = False) -> None:
    timers = cerebro._timerscheat if cheat else cerebro._timers
    with open_views(runstrats):
        for t in timers:
            if not t.check(dt0):
                continue
            t.params.owner.notify_timer(t, t.lastwhen, *t.args, **t.kwargs)
            if t.params.strats:
                for strat in runstrats:
                    strat.notify_timer(t, t.lastwhen, *t.args, **t.kwargs)


def broker_notify(cerebro) -> None:
    cerebro._broker.next()
    deliver_notifications(cerebro)


def deliver_notifications(cerebro, queue=None) -> None:
    """Hand the broker's queued order notifications to their strategies.
    ``queue``: the broker's deque, read directly
    (``RunPlan.notification_queue``)."""
    get = cerebro._broker.get_notification if queue is None else None
    quick = cerebro.p.quicknotify
    while True:
        if get is None:
            if not queue:
                break
            order = queue.popleft()
        else:
            order = get()
            if order is None:
                break
        owner = order.owner
        if owner is None:
            owner = cerebro.runningstrats[0]
        owner._addnotification(order, quicknotify=quick)


def run_bar(cerebro, runstrats: list, dt0: float, once: bool, bar: bool = True) -> bool:
    """One loop turn once the feeds have moved: timers, cheat-on-open
    hooks, the broker, then (if a ``bar`` came) each strategy's step
    (``_oncepost`` if ``once``, else ``_next``) and the writers. False: stop."""
    if bar:
        if cerebro._timerscheat:
            check_timers(cerebro, runstrats, dt0, cheat=True)
        if cerebro.p.cheat_on_open:
            for strat in runstrats:
                strat._next_open()
                if cerebro._event_stop:
                    return False
    if cerebro.p.quicknotify:  # notifications go out from inside the broker
        with open_views(runstrats):
            broker_notify(cerebro)
    else:
        broker_notify(cerebro)
    if cerebro._event_stop:
        return False
    if bar:
        if cerebro._timers:
            check_timers(cerebro, runstrats, dt0)
        for strat in runstrats:
            if once:
                strat._oncepost(dt0)
            else:
                strat._next()
            if strat._openview is not None:
                strat._openview.mark()
            if cerebro._event_stop:
                return False
            cerebro._next_writers(runstrats)
    return True


# -- vectorised loops ------------------------------------------------------------
def runonce_multi(cerebro, runstrats: list, datas: list) -> None:
    """Per bar, the feeds whose next bar is the earliest advance."""
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
        if not run_bar(cerebro, runstrats, dt0, True):
            return


def runonce_merged(cerebro, runstrats: list, datas: list, timeline) -> None:
    """``runonce_multi`` with the steps known up front: each step advances
    the feeds that have a bar at it (their timelines, as ``advance`` does)."""
    for d in datas:
        d.home()
    tls = [d._tl for d in datas]
    if timeline.lockstep:
        for dt0 in timeline.steps:
            for tl in tls:
                tl.idx += 1
                tl.count += 1
            if not run_bar(cerebro, runstrats, dt0, True):
                return
        return
    feeds, bounds = timeline.feeds, timeline.bounds
    for s, dt0 in enumerate(timeline.steps):
        for k in feeds[bounds[s]:bounds[s + 1]]:
            tl = tls[k]
            tl.idx += 1
            tl.count += 1
        if not run_bar(cerebro, runstrats, dt0, True):
            return


def _single_feed(cerebro, data) -> tuple:
    """What the one-data loops read: the data's day numbers, the broker's
    notification deque to read directly (or None) and the one to test for news."""
    # iterate the day numbers lazily: a list of them would cost ~32 bytes a bar
    dts = memoryview(data.lines.datetime._arr)[:data.buflen()]
    notifs = getattr(cerebro._broker, 'notifs', None)
    if notifs is None:  # a broker without a notification queue of its own
        notifs = (True,)
    return dts, cerebro._runplan.notification_queue(cerebro._broker), notifs


def runonce_single(cerebro, runstrats: list, data) -> None:
    """One data, no timers: the loop sets the data's bar itself."""
    tl = data._tl
    dts, queue, notifs = _single_feed(cerebro, data)
    brokernext = cerebro._broker.next
    writers = cerebro.runwriters
    cheat = cerebro.p.cheat_on_open
    steps = [strat._oncepost for strat in runstrats]
    for i, dt0 in enumerate(dts):
        tl.idx = i
        tl.count = i + 1
        if cheat:
            for strat in runstrats:
                strat._next_open()
                if cerebro._event_stop:
                    return
        brokernext()
        if notifs:  # broker_notify without the broker.next call
            deliver_notifications(cerebro, queue)
        if cerebro._event_stop:
            return
        for strat, step in zip(runstrats, steps):
            step(dt0)
            if cheat:
                strat._openview.mark()
            if cerebro._event_stop:
                return
            if writers:
                cerebro._next_writers(runstrats)


def runonce_lean(cerebro, strat, data) -> None:
    """``runonce_single`` for one lean strategy (``Strategy._lean``: one data,
    plain observers, no analyzers nor cash/value hooks) without cheat-on-open
    or writers: ``Strategy._oncepost`` inlined for that case, what it reads of
    the strategy read once. A specialised copy kept for speed: about 10% of a
    default-mode run (bench/workloads.py single-default, 2026-12-04)."""
    dtl = data._tl
    dts, queue, notifs = _single_feed(cerebro, data)
    brokernext = cerebro._broker.next
    stl = strat._tl  # the strategy's own lines (its datetime)
    dtline = strat.datetime
    follower = strat._follower  # the observers' timeline: one bar behind until the step
    single_mp = strat._single_mp
    quiet = strat._quiet_nexts
    for i, dt0 in enumerate(dts):
        dtl.idx = i
        dtl.count = i + 1
        brokernext()
        if notifs:
            deliver_notifications(cerebro, queue)
        if cerebro._event_stop:
            return
        # -- the strategy's step (Strategy._oncepost for this case)
        j = stl.idx + 1
        if j + 1 + stl.ext <= stl.capacity:  # Timeline.forward's common case, inlined
            stl.idx = j
            stl.count += 1
            if j + 1 + stl.ext > stl.end:
                stl.end = j + 1 + stl.ext
        else:
            stl.forward()
            j = stl.idx
        dtline._mv[j] = dt0
        news = strat._orderspending or strat._tradespending
        if news:
            strat._notify()
        status = strat._minperstatus = single_mp - i - 1  # (the data's count is i + 1)
        if status < 0:
            strat.next()
            if follower is not None:
                k = follower.idx + 1
                if k < follower.capacity:  # its catch_up (one bar), inlined
                    follower.idx = k
                    follower.count += 1
                    if k >= follower.end:
                        follower.end = k + 1
                else:
                    follower.catch_up()
            if news:
                strat._next_observers(status, once=True)
            else:
                for observer_next in quiet:  # the common bar
                    observer_next()
        else:
            if status == 0:
                strat.nextstart()
            else:
                strat.prenext()
            if follower is not None:
                follower.catch_up()
            strat._next_observers(status, once=True)
        if strat._orderspending:
            strat._orderspending = []
        if strat._tradespending:
            strat._tradespending = []
        if cerebro._event_stop:
            return


def runonce_old(cerebro, runstrats: list) -> None:
    """oldsync, vectorised: the first data sets the pace, the others follow."""
    data0, others = cerebro.datas[0], cerebro.datas[1:]
    for d in cerebro.datas:
        d.home()
    for strat in runstrats:
        for tl in strat._timelines_owned():
            tl.reserve(data0.buflen())
    for _ in range(data0.buflen()):
        data0.advance(ticks=False)
        for d in others:
            d.advance(datamaster=data0, ticks=False)
        dt0 = data0.datetime[0]
        if not run_bar(cerebro, runstrats, dt0, True):
            return


# -- bar-by-bar loops ------------------------------------------------------------
def runnext(cerebro, runstrats: list, datas: list) -> None:
    """Feeds deliver bars as they come (or, live, when they come: a feed may
    answer None, "nothing yet"); per bar the earliest datetime is the clock."""
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
        cerebro._storenotify()
        if cerebro._event_stop:
            return
        cerebro._datanotify()
        if cerebro._event_stop:
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
            cerebro._master = (dmaster, dt0)  # (Cerebro._dtmaster, read rarely)
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
        cerebro._datanotify()
        if cerebro._event_stop:
            return
        if not run_bar(cerebro, runstrats, dt0, False, bool(d0ret or lastret)):
            return
    cerebro._datanotify()
    if cerebro._event_stop:
        return
    cerebro._storenotify()


def runnext_old(cerebro, runstrats: list) -> None:
    """oldsync, bar by bar: the first data sets the pace, the others follow."""
    data0, others = cerebro.datas[0], cerebro.datas[1:]
    d0ret = True
    while d0ret or d0ret is None:
        lastret = False
        cerebro._storenotify()
        if cerebro._event_stop:
            return
        cerebro._datanotify()
        if cerebro._event_stop:
            return
        d0ret = data0.next(ticks=False)
        if d0ret:
            for d in others:
                if not d.next(datamaster=data0, ticks=False):
                    d._check(forcedata=data0)
                    d.next(datamaster=data0, ticks=False)
        elif d0ret is None:
            for d in cerebro.datas:
                d._check()
        else:
            lastret = data0._last()
            for d in others:
                lastret += d._last(datamaster=data0)
            if not lastret:
                break
        cerebro._datanotify()
        if cerebro._event_stop:
            return
        dt0 = data0.datetime[0] if len(data0) else _MAXDATE
        if not run_bar(cerebro, runstrats, dt0, False, bool(d0ret or lastret)):
            return
    cerebro._datanotify()
    if cerebro._event_stop:
        return
    cerebro._storenotify()


def runnext_single(cerebro, runstrats: list, data) -> None:
    """``runnext`` for the common case of one feed and no store."""
    writers = cerebro.runwriters
    # each strategy's bar step: the lean one where it applies (Strategy._lean)
    steps = [strat._next_lean if strat._lean else strat._next for strat in runstrats]
    while True:
        if data.notifs:
            cerebro._datanotify()
            if cerebro._event_stop:
                return
        if not data.next(ticks=False):
            break
        if data.notifs:
            cerebro._datanotify()
            if cerebro._event_stop:
                return
        broker_notify(cerebro)
        if cerebro._event_stop:
            return
        for step in steps:
            step()
            if cerebro._event_stop:
                return
            if writers:
                cerebro._next_writers(runstrats)
    cerebro._datanotify()
