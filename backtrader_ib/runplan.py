"""The run plan: which fast path each part of a run takes, decided in one place.

A backtest has general code for every part of the per-bar work (the bar loop,
the strategy step, the broker step, the observers' reads) and, where a common
case allows it, a specialised twin that does the same work with fewer checks.
:class:`RunPlan` makes every one of those choices and records, per choice, the
condition that made it (``plan.why``). The parts only ask the plan; none of
them reads the environment.

``BTIB_GENERAL_PATH=1`` in the environment (read once per ``Cerebro.run``)
turns every fast twin off: the general code runs everywhere. The differential
tests run both ways (docs/engine.md, "Running").
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import resample_vec
from .broker import BrokerBase
from .feed import AbstractDataBase
from .observers import BuySell

__all__ = ('ENV_GENERAL', 'RunPlan', 'MergedTimeline', 'general_from_env', 'merged_timeline')

ENV_GENERAL = 'BTIB_GENERAL_PATH'


def general_from_env() -> bool:
    """``BTIB_GENERAL_PATH`` set to anything but '' or '0'."""
    return os.environ.get(ENV_GENERAL, '') not in ('', '0')


@dataclass
class MergedTimeline:
    """The steps of a vectorised multi-feed run, computed once.

    ``steps``: the union of the feeds' datetimes, ascending (one loop turn
    each). ``lockstep``: every feed has a bar at every step. Otherwise step
    ``s`` advances ``feeds[bounds[s]:bounds[s + 1]]`` (indices into the
    sorted datas).
    """

    steps: list
    lockstep: bool
    feeds: list | None = None
    bounds: list | None = None


def merged_timeline(datas: list) -> MergedTimeline | None:
    """The merged timeline of preloaded ``datas``, or None when a feed's
    datetimes are not strictly increasing (or NaN): the per-bar minimum over
    the feeds then decides, as it always did."""
    cols = []
    for d in datas:
        n = d.buflen()
        col = np.asarray(d.lines.datetime._arr[:n], dtype=np.float64)
        if n and (np.isnan(col).any() or (n > 1 and not bool((np.diff(col) > 0).all()))):
            return None
        cols.append(col)
    if not cols:
        return MergedTimeline(steps=[], lockstep=True)
    first = cols[0]
    if all(len(c) == len(first) and np.array_equal(c, first) for c in cols[1:]):
        return MergedTimeline(steps=first.tolist(), lockstep=True)
    alldt = np.concatenate(cols)
    steps = np.unique(alldt)
    which = np.concatenate([np.full(len(c), k, dtype=np.int64) for k, c in enumerate(cols)])
    at = np.searchsorted(steps, alldt)
    order = np.lexsort((which, at))  # by step, then feed
    counts = np.bincount(at, minlength=len(steps))
    bounds = np.concatenate(([0], np.cumsum(counts)))
    return MergedTimeline(steps=steps.tolist(), lockstep=False,
                          feeds=which[order].tolist(), bounds=bounds.tolist())


@dataclass
class RunPlan:
    """The choices for one run. ``loop`` names the function of
    ``backtrader_ib.runloop`` that runs the bars; ``why`` maps each choice
    (``loop``, ``broker``, ``strategy[i].step``, ...) to its condition."""

    general: bool = False
    loop: str = ''
    timeline: MergedTimeline | None = None
    why: dict = field(default_factory=dict)
    _nstrats: int = 0

    @classmethod
    def for_run(cls, general: bool | None = None) -> RunPlan:
        """A plan for a run starting now (``general``: the environment's switch)."""
        plan = cls(general=general_from_env() if general is None else general)
        if plan.general:
            plan.why['general'] = f'{ENV_GENERAL}=1: the general code everywhere'
        return plan

    def _pick(self, key: str, value: Any, why: str) -> Any:
        self.why[key] = why
        return value

    # -- the bar loop --------------------------------------------------------
    def choose_loop(self, cerebro, runonce: bool, datas: list, runstrats: list = ()) -> str:
        """Which runloop function runs the bars (``datas``: sorted as the loop
        reads them; ``runstrats``: the strategies, started)."""
        p = cerebro.p
        timers = bool(cerebro._timers or cerebro._timerscheat)
        if p.oldsync:
            loop = 'runonce_old' if runonce else 'runnext_old'
            return self._set_loop(loop, 'oldsync=True: the first data sets the pace')
        if runonce:
            if self.general:
                return self._set_loop('runonce_multi', 'general path: per-bar minimum over feeds')
            if len(datas) == 1 and not (timers or p.quicknotify):
                if (len(runstrats) == 1 and runstrats[0]._lean
                        and runstrats[0]._single_tl is datas[0]._tl
                        and not (p.cheat_on_open or cerebro.runwriters)):
                    return self._set_loop('runonce_lean', 'vectorised, one data, no timers, '
                                          'no quicknotify; one lean strategy, no writers, '
                                          'no cheat-on-open: its step inlined')
                return self._set_loop('runonce_single', 'vectorised, one data, no timers, '
                                      'no quicknotify')
            released = resample_vec.release_steps(datas)
            if released is not None:
                steps, feeds, bounds = released
                self.timeline = MergedTimeline(steps, False, feeds, bounds)
                return self._set_loop('runonce_merged', 'vectorised, a source and its '
                                      'precomputed resampled copies: each bar at the source '
                                      'bar that releases it')
            why = _merge_blocker(datas)
            if why is None:
                self.timeline = merged_timeline(datas)
                if self.timeline is None:
                    why = 'a feed\'s datetimes are not strictly increasing'
            if why is None:
                return self._set_loop('runonce_merged', 'vectorised, several datas (or timers/'
                                      'quicknotify): one merged timeline computed up front')
            return self._set_loop('runonce_multi', f'vectorised, per-bar minimum over feeds: {why}')
        simple = not (cerebro.stores or p.cheat_on_open or timers or self.general
                      or p.quicknotify)
        d0 = datas[0] if datas else None
        if len(datas) == 1 and simple and not d0.islive() and (
                not d0._filters or resample_vec.replayed_alone(d0)):
            return self._set_loop('runnext_single', 'bar by bar, one data without filters '
                                  '(or replayed alone), not live; no store, cheat-on-open, '
                                  'timers, quicknotify')
        return self._set_loop('runnext', 'bar by bar, general synchronisation')

    def _set_loop(self, loop: str, why: str) -> str:
        self.loop = self._pick('loop', loop, why)
        return loop

    # -- the broker ----------------------------------------------------------
    def broker_paths(self, broker) -> None:
        """BackBroker: its one-position shortcut and open-position valuation."""
        broker._general = self._pick('broker', self.general,
                                     'general path: no broker shortcuts' if self.general else
                                     'one-position shortcut and open-only valuation allowed')

    # -- a strategy's step ---------------------------------------------------
    def strategy_paths(self, strat) -> None:
        """Set ``strat``'s fast paths (at its ``_start``, after its observers
        and analyzers started, before the user's ``start``)."""
        key = f'strategy[{self._nstrats}]'
        self._nstrats += 1
        if self.general:
            strat._use_paths(single=False, lean=False, plain_observers=False, positions=None,
                             fill_observers=None)
            self.why[f'{key}.step'] = 'general path'
            return
        plain_obs = not any(o._analyzers for o in strat._lineiterators[strat.ObsType])
        single = len(strat.datas) == 1 and not strat._oldsync
        followers = list(strat._followers.values())
        lean = (single and plain_obs and not strat._notify_always
                and not strat.analyzers._items and len(followers) <= 1)
        getpos = getattr(strat.broker, '_plain_positions', None)
        positions = getpos() if getpos is not None else None
        # BuySell observers run only on bars where an order of their data filled
        # (a vectorised run's bar is new: nothing recorded on it yet)
        fills: dict = {}
        for o in strat._lineiterators[strat.ObsType]:
            if type(o).next is BuySell.next and not o._analyzers:
                fills.setdefault(id(o.data), []).append(o)
        # bar by bar, observers on a bar without news that act only on news
        # have nothing to do when each step is a new bar for them
        quiet = single and plain_obs and not strat.datas[0].replaying
        strat._use_paths(single=single, lean=lean, plain_observers=plain_obs,
                         positions=positions, fill_observers=fills or None, sticky_status=True,
                         quiet_bars=quiet)
        self.why[f'{key}.step'] = ('lean (one data, plain observers, no analyzers nor '
                                   'cash/value hooks)' if lean else
                                   'single-data clock' if single else 'several datas')
        self.why[f'{key}.positions'] = ('read directly' if positions is not None
                                        else 'through getposition()')

    # -- notifications -------------------------------------------------------
    def notification_queue(self, broker):
        """The broker's notification deque for the one-data loops to pop
        themselves, if its ``get_notification`` is BrokerBase's (which only pops
        it); else None: the loops call ``get_notification``."""
        ok = not self.general and type(broker).get_notification is BrokerBase.get_notification
        self.why['notifications'] = ('the broker\'s deque read directly' if ok else
                                     'get_notification() calls')
        return broker.notifs if ok else None

    # -- observers -----------------------------------------------------------
    def direct_broker_readings(self, broker, fundmode: bool) -> bool:
        """Whether the Broker observer reads BackBroker's fields directly."""
        plain = getattr(broker, '_plain_readings', None)
        ok = not fundmode and not self.general and plain is not None and plain()
        self.why['observer.broker'] = ('direct field reads' if ok else
                                       'getvalue()/getcash() calls')
        return ok


def _merge_blocker(datas: list) -> str | None:
    """Why the feeds cannot be advanced from a merged timeline (or None)."""
    tls = set()
    for d in datas:
        if type(d).advance is not AbstractDataBase.advance:
            return f'{type(d).__name__} has its own advance()'
        if id(d._tl) in tls:
            return 'two datas share a timeline'
        tls.add(id(d._tl))
    return None
