"""Resampling of a vectorised source computed over whole columns.

``Resampler`` decides bar by bar whether the bar being built is over, with
``num2date`` calls and feed-line reads on every source bar. When the source's
columns are all known before the run (a CSV/DataFrame feed) the same decisions
can be made up front: the time-of-day points, edge tests and session ends come
from NumPy over the whole column, then one lean pass over plain floats applies
the resampler's rules (including its session-end state, which depends on the
path), and the bars' values come from NumPy reductions over the segments.

The result is a plan: every output bar's values and the index of the source bar
on whose arrival the bar-by-bar resampler would deliver it (or -1: delivered by
``last()`` at the end). ``Resampler`` uses it when :func:`unsupported` names no
reason, and the feed's ``load()`` then takes the bars from it, checking that
each source bar is the one the plan expects. ``BTIB_GENERAL_PATH=1`` (as
Cerebro read it for the run) keeps the bar-by-bar path.

Covered: ``Resampler`` to Seconds or Minutes with ``bar2edge=True`` (any
``adjbartime``/``rightedge``/``boundoff``), or to Days, from a smaller
timeframe, with no time zone and no trading calendar; ``Replayer`` likewise
without ``adjbartime`` (``ReplayPlan``). Late data (ticks sharing a second)
is modelled as the filters take it, ``takelate`` either way. Everything else
stays bar by bar.
"""
from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import numpy as np

from .dataseries import TimeFrame
from .utils.date import date2num, num2date

__all__ = ('ResamplePlan', 'unsupported', 'make_plan', 'plan_for', 'general_path',
           'ReplayPlan', 'replay_unsupported', 'make_replay_plan', 'replay_plan_for')

LINES = ('close', 'low', 'high', 'open', 'volume', 'openinterest', 'datetime')
_US_DAY = 86_400_000_000


def general_path(env) -> bool:
    """BTIB_GENERAL_PATH=1, as the running Cerebro read it: no fast paths."""
    return bool(getattr(env, '_general_path', False))


class ResamplePlan:
    """Output bars (values in line order) and the source index delivering each."""

    __slots__ = ('bars', 'release', 'srcdt', 'opened', 'pos', 'nextbar')

    def __init__(self, bars: list, release: list, srcdt: Sequence, opened: Sequence) -> None:
        self.bars = bars          # list of [close, low, high, open, volume, oi, datetime]
        self.release = release    # source index delivering bars[k]; -1 for last()
        self.srcdt = srcdt        # the source's datetimes (checked on every call)
        self.opened = opened      # after source bar i, is a bar being built?
        self.pos = 0              # next source index expected
        self.nextbar = 0          # next bar to deliver

    def call(self, data) -> bool:
        """Resampler.__call__ for the next source bar (on ``data``'s lines)."""
        i = self.pos
        if i >= len(self.srcdt) or data.lines.datetime[0] != self.srcdt[i]:
            raise RuntimeError(f'resampling {data!r}: source bar {i} is not the one the '
                               'precomputed bars expect; run with BTIB_GENERAL_PATH=1 and '
                               'report this')
        self.pos = i + 1
        k = self.nextbar
        if k < len(self.bars) and self.release[k] == i:
            # deliver now, in the source bar's slot (the bar-by-bar path stacks
            # it, drops the source bar, and loads it from the stack: same lines)
            self.nextbar = k + 1
            data._updatebar(self.bars[k])
            return False
        data.backwards()
        return True

    def load(self, data) -> bool | None:
        """The feed's load() with the filter's effect known: take the source's
        new bars until one delivers a bar (True) or none is left (False).
        None when a new run started (the feed then loads bar by bar)."""
        root = _root_of(data)
        n = len(self.srcdt)
        if getattr(data, '_preloading', False):
            if self.pos >= n and self.nextbar == len(self.bars):  # a new run's preload
                data._vecload = None
                return None
            return self._preload_rest(data)
        if root is data:
            if data._srcpos == 0 and self.pos:
                data._vecload = None
                return None
            # straight to the source bar that delivers the next bar (the ones
            # before it deliver nothing)
            k = self.nextbar
            if k < len(self.release) and self.release[k] >= data._srcpos:
                i = self.release[k]
                data._srcpos = self.pos = i + 1
                return self._deliver(data, i)
            data._srcpos = self.pos = n
            data._exhausted = True
            return False
        if data._dlen == 0 and self.pos:
            data._vecload = None
            return None
        srcdt = root.lines.datetime
        while len(root) > data._dlen:  # as DataClone._load, one source bar at a time
            data._dlen += 1
            i = self.pos
            if i >= n or srcdt[data._dlen - len(root)] != self.srcdt[i]:
                raise RuntimeError(f'resampling {data!r}: source bar {i} is not the one '
                                   'the precomputed bars expect; run with '
                                   'BTIB_GENERAL_PATH=1 and report this')
            self.pos = i + 1
            if self._deliver(data, i):
                return True
        return False

    def _preload_rest(self, data) -> bool:
        """A copy preloading: every bar but last()'s at once (the source is
        preloaded already, the plan was made from it). False: done."""
        bars, release = self.bars, self.release
        tl = data._tl
        bufs = data.lines._buffers
        k = self.nextbar
        while k < len(bars) and release[k] >= 0:
            tl.forward()
            idx = tl.idx
            for buf, val in zip(bufs, bars[k]):
                buf._arr[idx] = val
            k += 1
        self.nextbar = k
        self.pos = len(self.srcdt)
        # as after the clone's walk of the source to its end: no tick_* prices left
        _root_of(data)._tick_nullify()
        return False

    def _deliver(self, data, i: int) -> bool:
        k = self.nextbar
        if k < len(self.release) and self.release[k] == i:
            self.nextbar = k + 1
            data._tl.forward()
            data._updatebar(self.bars[k])
            return True
        return False

    def last(self, data) -> bool:
        k = self.nextbar
        if k < len(self.bars) and self.release[k] == -1:
            self.nextbar = k + 1
            data._add2stack(self.bars[k])
            return True
        return False

    def check(self, forcedata) -> None:
        """A no-op where the bar-by-bar check is one (``unsupported`` makes it so)."""
        i = self.pos - 1
        if i < 0 or not self.opened[i]:
            return None
        if forcedata is not None and forcedata.datetime[0] == self.srcdt[i]:
            return None  # the source's own clock: nothing is over yet
        raise RuntimeError('precomputed resampling: a bar would be closed by another clock; '
                           'run with BTIB_GENERAL_PATH=1 and report this')


def _root_of(data) -> Any:
    return data.data if getattr(data, '_clone', False) else data


def _source_columns(root) -> dict | None:
    """The source's columns: as loaded, or from its lines once it preloaded
    (a later run of a preloaded run: the lines hold them then)."""
    src = getattr(root, '_src', None)
    if src is not None:
        return src
    if getattr(root, '_loadarrays', None) is not None and root._exhausted \
            and not root._filters and root.buflen():
        n = root.buflen()
        return {name: getattr(root.lines, name)._arr[:n] for name in LINES}
    return None


def unsupported(resampler, data) -> str | None:
    """Why the plan cannot be used for ``resampler`` on ``data`` (None: it can)."""
    p = resampler.p
    env = getattr(data, '_env', None)
    if general_path(env):
        return 'BTIB_GENERAL_PATH'
    if resampler.replaying:
        return 'replay'
    if p.timeframe not in (TimeFrame.Seconds, TimeFrame.Minutes, TimeFrame.Days):
        return 'timeframe'
    if not p.bar2edge and p.timeframe != TimeFrame.Days:
        return 'bar2edge=False'
    root = _root_of(data)
    if p.timeframe == TimeFrame.Days and p.compression > 1 \
            and root.p.timeframe >= TimeFrame.Days:
        return 'days to several days'  # counted across sessions: left to the bar-by-bar path
    if getattr(root, '_ownload', False):
        return 'source has its own _load'
    if getattr(root, '_clone', False) or (root is not data and root._filters) \
            or _source_columns(root) is None:
        return 'source not vectorised'
    if root.islive():
        return 'live'
    if tuple(data.lines._lines) != LINES or tuple(root.lines._lines[:len(LINES)]) != LINES:
        return 'extra lines'
    if data._tz is not None or root._tz is not None:
        return 'tz'
    if data._calendar is not None or root._calendar is not None:
        return 'calendar'
    if len(data._filters) != 1:
        return 'other filters'
    datas = getattr(env, 'datas', None)
    if datas is None or getattr(env.p, 'oldsync', False):
        return 'run loop'
    # another feed's clock may close a bar early (Resampler.check): only the
    # source and its clones, each resampled alone, share the run
    for d in datas:
        if d is root and d is not data:
            continue
        if _root_of(d) is not root or len(d._filters) != 1 \
                or type(d._filters[0][0]).__name__ != type(resampler).__name__ \
                or d._filters[0][0].replaying:
            return 'other feeds'
    return None


def first_bar(data) -> bool:
    """Is the resampler seeing the first source bar of a run?"""
    root = _root_of(data)
    if root is data:
        return getattr(data, '_src', None) is not None and data._srcpos == 1
    return len(root) == 1


def run_started(filt, data) -> bool:
    """Is this ``filt``'s first call of a run? Once per run: a filter ahead of
    it (DaySplitter_Close) may hand it several bars made of the first source bar."""
    if not first_bar(data):
        return False
    run = getattr(_root_of(data), '_runno', 0)
    if getattr(filt, '_planned_run', None) == run:
        return False
    filt._planned_run = run
    return True


class _Late(Exception):
    """A source the plan leaves to the bar-by-bar path: NaN times or prices
    (Bar's max/min/isopen treat NaN their own way), or a late source bar a
    resampled copy's clock check would close at a session end."""


def plan_for(resampler, data) -> ResamplePlan | None:
    """The plan for this run, or None when the bar-by-bar path must run."""
    plan = resampler.__dict__.pop('_preplan', None)
    if plan is not None:  # made by preloadable() for this run
        return plan
    if unsupported(resampler, data) is not None:
        return None
    try:
        return make_plan(resampler, data)
    except _Late:
        return None


def _points(dt: np.ndarray, tf: int, boundoff: int) -> tuple[np.ndarray, np.ndarray]:
    """(time point of the timeframe + boundoff, has a smaller remainder) as
    ``num2date`` then ``_tmpoint`` compute them, for every day number (in
    slices: a dozen temporaries of the column's size otherwise)."""
    n = len(dt)
    point = np.empty(n, dtype=np.int64)
    rest = np.empty(n, dtype=bool)
    for k in range(0, n, _SLICE):
        point[k:k + _SLICE], rest[k:k + _SLICE] = _points_slice(dt[k:k + _SLICE], tf, boundoff)
    return point, rest


_SLICE = 1 << 16


def _points_slice(dt: np.ndarray, tf: int, boundoff: int) -> tuple[np.ndarray, np.ndarray]:
    ix = np.floor(dt)
    rem = dt - ix
    hour, rem = np.divmod(24.0 * rem, 1.0)
    minute, rem = np.divmod(60.0 * rem, 1.0)
    second, rem = np.divmod(60.0 * rem, 1.0)
    micro = np.trunc(1e6 * rem)
    micro[micro < 10] = 0
    us = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micro
    up = micro > 999_990  # num2date rounds these up to the next second
    us[up] += 1_000_000 - micro[up]
    us = us.astype(np.int64) % _US_DAY
    secs, micro_i = np.divmod(us, 1_000_000)
    minutes, second_i = np.divmod(secs, 60)
    if tf == TimeFrame.Minutes:
        return minutes + boundoff, (second_i + micro_i) != 0
    return secs + boundoff, micro_i != 0


def _eos(root, dt: float) -> float:
    """The session end after the bar at ``dt`` (the feed's ``_getnexteos``)."""
    dtime = num2date(dt)
    nexteos = num2date(root.date2num(datetime.datetime.combine(dtime, root.p.sessionend)))
    while dtime > nexteos:
        nexteos += datetime.timedelta(days=1)
    return date2num(nexteos)


def _segment_sums(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Sum of values[s:e+1] added left to right from 0.0, as the bar folds them."""
    total = np.abs(values).sum() if len(values) else 0.0
    if np.isfinite(total) and total < 2.0 ** 52 and np.all(values == np.floor(values)):
        return np.add.reduceat(values, starts) if len(starts) else np.empty(0)  # exact
    out = np.empty(len(starts))
    vals = values.tolist()
    for k, (s, e) in enumerate(zip(starts.tolist(), ends.tolist())):
        acc = 0.0
        for v in vals[s:e + 1]:
            acc += v
        out[k] = acc
    return out


def _segments(resampler, data, checked: bool, replay: bool = False) -> tuple:
    """The resampler's bar-closing rules over the source's columns.

    Returns (starts, ends, stamps, release, opened, srcdt, cols, keep, shown):
    each bar's first and last position among the kept source bars, its stamp
    and the source index delivering it (-1: ``last()``); whether a bar is open
    after each source bar; the source's datetimes and columns; which source
    bars are folded into some bar (None: all); for ``replay``, the time each
    source bar shows (None: its own). ``checked``: a resampled copy's check()
    runs on every source bar it does not deliver on.

    Late data (an intraday target; a source bar stamped at or before the last
    bar the feed shows, e.g. ticks sharing a second) is handled as the
    bar-by-bar filters do: with ``takelate`` folded into the bar being built,
    whose time becomes the shown bar's plus 1e-6 days; without, dropped.

    Runs of source bars that only fold into the open bar (time increasing,
    same time point, no edge, before the session end) are skipped in one step."""
    root = _root_of(data)
    src = _source_columns(root)
    n = len(src['datetime'])
    cols = {name: (np.asarray(src[name], dtype=float) if src.get(name) is not None
                   else np.full(n, np.nan)) for name in LINES}
    dts = cols['datetime']
    if np.isnan(dts).any():
        raise _Late  # a NaN time compares false both ways: left to the bar-by-bar path
    if np.isnan(cols['open']).any() or np.isnan(cols['high']).any() \
            or np.isnan(cols['low']).any():
        raise _Late  # a NaN price: Bar's max/min/isopen treat it their own way
    p = resampler.p
    comp = p.compression
    days = p.timeframe == TimeFrame.Days
    if days:  # days end only at the session end
        point = np.zeros(n, dtype=np.int64)
        timeonedge = np.zeros(n, dtype=bool)
    else:
        point, rest = _points(dts, p.timeframe, p.boundoff)
        timeonedge = (~rest) & (point % comp == 0)
    # where a run of plain folds must stop: time going back (or, replayed,
    # not forward: late data), a new time point, an edge. nextstop[i]: the
    # first such index >= i
    stop = np.zeros(n + 1, dtype=bool)
    stop[n] = True
    if n:
        stop[0] = True
        step = np.diff(dts)
        stop[1:n] = (step <= 0) if replay else (step < 0)
        stop[1:n] |= point[1:] != point[:-1]
        stop[:n] |= timeonedge
    nextstop = np.flatnonzero(stop)
    nextstop = nextstop[np.searchsorted(nextstop, np.arange(n + 1))]
    sortedts = n < 2 or bool((np.diff(dts) >= 0).all())
    compcount = 0
    dtl = memoryview(np.ascontiguousarray(dts))
    ptl = memoryview(point)
    edgel = memoryview(timeonedge)
    nstop = memoryview(nextstop)
    adjust = resampler.doadjusttime
    takelate = bool(p.takelate)
    numpoint = resampler._numpoint
    starts: list[int] = []
    ends: list[int] = []
    stamps: list[float] = []
    release: list[int] = []
    opened = np.zeros(n, dtype=bool)
    keep = None    # made when a late source bar is dropped
    shown = None   # made when a replayed bar shows a time not its own
    isopen = False
    plain = False  # the open bar's last fold was an ordinary one (bdt, bpt: its own)
    start = 0
    bdt = bpt = 0.0
    nexteos = None      # the resampler's _nextdteos while _nexteos is set
    lastdteos = None
    # the time of the bar the feed shows last (late data is at or before it):
    # resampling, the last delivered bar; replay, the bar shown so far
    lastshown = None
    j = 0               # position among the kept source bars

    def stamp(bardt: float, greater: bool) -> float:
        if not adjust:
            return bardt
        # the resampler's own _calcadjtime with its state set to ours
        resampler._nexteos = None if nexteos is None else True
        resampler._nextdteos = nexteos if nexteos is not None else -np.inf
        resampler._lastdteos = lastdteos
        resampler.bar.datetime = bardt
        dtnum = resampler._calcadjtime()
        return bardt if greater and dtnum <= bardt else dtnum

    i = 0
    while i < n:
        if plain and nexteos is not None and sortedts:
            # every bar up to the next stop (and before the session end) just folds in
            end = nstop[i]
            if nexteos >= bdt:
                end = min(end, int(np.searchsorted(dts, nexteos, 'left')))
            if end > i:
                opened[i:end] = True
                j += end - i
                i = end
                bdt, bpt = dtl[i - 1], ptl[i - 1]
                if replay:
                    lastshown = bdt
                continue
        dt = dtl[i]
        if not days and lastshown is not None and dt <= lastshown:
            # late data: no edge or time test (resampling); replay tests the bar's end
            if not takelate:
                if keep is None:
                    keep = np.ones(n, dtype=bool)
                keep[i] = False
                opened[i] = isopen
                if checked and isopen:
                    # the copy's check() by the source's clock (the bar's time is later)
                    if nexteos is None:
                        nexteos = _eos(root, dt)
                    if dt == nexteos:
                        raise _Late  # the check would close the bar at the session end
                i += 1
                continue
            if not isopen:
                isopen = True
                start = j
            bdt = lastshown + 0.000001
            bpt = numpoint(bdt)[0]
            plain = False
            if replay:
                if shown is None:
                    shown = dts.copy()
                shown[i] = lastshown = bdt
                # the Replayer's bar-over test, of which only the session end can pass
                if nexteos is None:
                    nexteos = _eos(root, dt)
                if dt == nexteos:
                    lastdteos, nexteos = nexteos, None
                    starts.append(start)
                    ends.append(j)
                    stamps.append(bdt)
                    release.append(i)
                    isopen = False
            elif checked:
                # the copy's check() by the source's clock (the bar's time is later)
                if nexteos is None:
                    nexteos = _eos(root, dt)
                if dt == nexteos:
                    raise _Late  # the check would close the bar at the session end
            opened[i] = isopen
            j += 1
            i += 1
            continue
        # _dataonedge: the exact session end, else the time edge
        if nexteos is None:
            nexteos = _eos(root, dt)
        if dt == nexteos:
            lastdteos, nexteos = nexteos, None
            onedge = True
        else:
            onedge = edgel[i]
        if onedge:  # folded in, then the bar is delivered as it is
            if not isopen:
                start = j
            starts.append(start)
            ends.append(j)
            stamps.append(dt)
            release.append(i)
            lastshown = dt
            isopen = plain = False
            j += 1
            i += 1
            continue
        delivered = False
        if isopen:
            # _barover_subdays: a past session end, else a later time bucket
            if dt > nexteos and bdt <= nexteos:
                lastdteos, nexteos = nexteos, None
                over = True
            elif days:
                over = False
            elif dt < bdt:
                over = False
            else:
                barpoint = ptl[i]
                over = barpoint > bpt and (comp == 1 or barpoint // comp > bpt // comp)
            if over and days:  # a day is over: counted against the compression
                compcount += 1
                over = not compcount % comp
            if over:
                starts.append(start)
                ends.append(j - 1)
                stamps.append(stamp(bdt, True))
                release.append(i)
                if not replay:
                    lastshown = stamps[-1]
                isopen, delivered = False, True
        if not isopen:
            isopen = True
            start = j
        bdt, bpt = dt, ptl[i]
        plain = True
        if replay:
            lastshown = dt
        opened[i] = True
        j += 1
        if checked and not delivered and nexteos is None:
            # the copy's check() by the source's clock looks the session end up
            # again from this bar (and may pass it), as the bar-by-bar path does
            nexteos = _eos(root, dt)
            if dt == nexteos:
                lastdteos, nexteos = nexteos, None
        i += 1
    if isopen:  # delivered by last(): adjusted without the "later" test
        starts.append(start)
        ends.append(j - 1)
        stamps.append(stamp(bdt, False))
        release.append(-1)
    resampler._nexteos, resampler._nextdteos, resampler._lastdteos = None, -np.inf, None
    resampler.bar.bstart(maxdate=True)
    return starts, ends, stamps, release, memoryview(opened), dtl, cols, keep, shown


def make_plan(resampler, data) -> ResamplePlan:
    """Compute every bar ``resampler`` delivers from ``data``'s source columns."""
    starts, ends, stamps, release, opened, dtl, cols, keep, _ = _segments(
        resampler, data, checked=_root_of(data) is not data)
    if keep is not None:  # late source bars dropped (takelate=False)
        cols = {name: col[keep] for name, col in cols.items()}
    s = np.asarray(starts, dtype=np.intp)
    e = np.asarray(ends, dtype=np.intp)
    if len(s):
        high = np.maximum.reduceat(cols['high'], s)
        low = np.minimum.reduceat(cols['low'], s)
    else:
        high = low = np.empty(0)
    values = np.column_stack([cols['close'][e], low, high, cols['open'][s],
                              _segment_sums(cols['volume'], s, e), cols['openinterest'][e],
                              np.asarray(stamps, dtype=float)])
    return ResamplePlan(values.tolist(), release, dtl, opened)


# -- replay -------------------------------------------------------------------

class ReplayPlan:
    """Every source bar's in-progress larger bar (columns in line order),
    whether it opens a new larger bar, and the source's own values (the tick_*
    prices). Columns are memoryviews of float arrays: indexing one gives a
    Python float, and no per-value object is kept."""

    __slots__ = ('states', 'newbar', 'ticks', 'srcdt', 'dropped', 'pos')

    def __init__(self, states: list, newbar: Sequence, ticks: list, srcdt: Sequence,
                 dropped: Sequence | None = None) -> None:
        self.states = states      # 7 columns: close, low, high, open, volume, oi, datetime
        self.newbar = newbar
        self.ticks = ticks        # 6 columns: the source's close, low, high, open, volume, oi
        self.srcdt = srcdt
        self.dropped = dropped    # late source bars dropped (takelate=False); None: none
        self.pos = 0              # next source index expected

    def call(self, data) -> bool:
        """Replayer.__call__ for the source bar just loaded on ``data``'s lines."""
        i = self.pos
        if i >= len(self.srcdt) or data.lines.datetime[0] != self.srcdt[i]:
            raise RuntimeError(f'replaying {data!r}: source bar {i} is not the one the '
                               'precomputed bars expect; run with BTIB_GENERAL_PATH=1 and '
                               'report this')
        self.pos = i + 1
        if self.dropped is not None and self.dropped[i]:
            data.backwards(force=True)  # late data left out, as the Replayer does
            return True
        self._ticks(data, i)
        if not self.newbar[i]:  # the bar grows in place: drop the source's slot
            data.backwards()
        data._updatebar([col[i] for col in self.states])
        return False

    def load(self, data) -> bool | None:
        """The feed's load(): the next source bar as the larger bar so far (True),
        False at the end, None when a new run started (loaded bar by bar)."""
        i = data._srcpos
        if i == 0 and self.pos:
            data._vecload = None
            return None
        n = len(self.srcdt)
        dropped = self.dropped
        if dropped is not None:
            while i < n and dropped[i]:
                i += 1
        if i >= n:
            data._srcpos = self.pos = n
            data._exhausted = True
            return False
        data._srcpos = self.pos = i + 1
        tl = data._tl
        if self.newbar[i]:
            tl.forward()
        idx = tl.idx
        for buf, col in zip(data.lines._buffers, self.states):
            buf._arr[idx] = col[i]
        self._ticks(data, i)
        return True

    def _ticks(self, data, i: int) -> None:
        # as the Replayer's _tick_fill(force=True) before it rewrites the bar
        close, low, high, opn, vol, oi = self.ticks
        data.tick_close = data.tick_last = close[i]
        data.tick_low = low[i]
        data.tick_high = high[i]
        data.tick_open = opn[i]
        data.tick_volume = vol[i]
        data.tick_openinterest = oi[i]

    def check(self, forcedata) -> None:
        """The Replayer's clock check changes no bar without adjbartime."""
        return None


def replay_unsupported(replayer, data) -> str | None:
    """Why the replay plan cannot be used for ``replayer`` on ``data`` (None: it can)."""
    p = replayer.p
    env = getattr(data, '_env', None)
    if general_path(env):
        return 'BTIB_GENERAL_PATH'
    if p.timeframe not in (TimeFrame.Seconds, TimeFrame.Minutes, TimeFrame.Days):
        return 'timeframe'
    if not p.bar2edge and p.timeframe != TimeFrame.Days:
        return 'bar2edge=False'
    if replayer.doadjusttime:
        return 'adjbartime'  # the finished bar is rewritten and its source bar stashed
    if replayer.componly:
        return 'same timeframe'
    if getattr(data, '_clone', False):
        return 'replayed copy'
    if getattr(data, '_src', None) is None:
        return 'source not vectorised'
    if data.islive():
        return 'live'
    if tuple(data.lines._lines) != LINES:
        return 'extra lines'
    if data._tz is not None:
        return 'tz'
    if data._calendar is not None:
        return 'calendar'
    if len(data._filters) != 1:
        return 'other filters'
    if getattr(env, 'datas', None) is None or getattr(env.p, 'oldsync', False):
        return 'run loop'
    return None


def replayed_alone(data) -> bool:
    """A feed whose one filter is a Replayer: the general bar loop's extra
    work (clock checks, last(), other feeds) does nothing for it."""
    filters = data._filters
    return len(filters) == 1 and getattr(filters[0][0], 'replaying', False) is True \
        and not hasattr(filters[0][0], 'last')


def replay_plan_for(replayer, data) -> ReplayPlan | None:
    """The replay plan for this run, or None when the bar-by-bar path must run."""
    if replay_unsupported(replayer, data) is not None:
        return None
    try:
        return make_replay_plan(replayer, data)
    except _Late:
        return None


def make_replay_plan(replayer, data) -> ReplayPlan:
    """Every state the Replayer shows, from ``data``'s source columns."""
    starts, ends, _, _, _, dtl, cols, keep, shown = _segments(replayer, data, checked=False,
                                                              replay=True)
    replayer._firstbar = True
    n = len(dtl)
    # the kept source bars (late ones dropped by takelate=False are not shown)
    k = cols if keep is None else {name: col[keep] for name, col in cols.items()}
    m = len(k['datetime'])
    first = np.zeros(m, dtype=bool)
    first[np.asarray(starts, dtype=np.intp)] = True
    high, low, vol = k['high'], k['low'], k['volume']
    runhigh, runlow, runvol = np.empty(m), np.empty(m), np.empty(m)
    # running values within each bar, folded left to right as Bar.bupdate does
    for s, e in zip(starts, ends):
        e += 1
        np.maximum.accumulate(high[s:e], out=runhigh[s:e])
        np.minimum.accumulate(low[s:e], out=runlow[s:e])
        np.add.accumulate(vol[s:e], out=runvol[s:e])
    seg = np.cumsum(first) - 1
    opens = k['open'][np.asarray(starts, dtype=np.intp)][seg]
    stamps = cols['datetime'] if shown is None else shown
    states = [k['close'], runlow, runhigh, opens, runvol, k['openinterest']]
    if keep is None:
        newbar = first
    else:  # back to source positions (a dropped bar's values are never read)
        idx = np.flatnonzero(keep)
        newbar = np.zeros(n, dtype=bool)
        newbar[idx] = first
        full = []
        for col in states:
            out = np.full(n, np.nan)
            out[idx] = col
            full.append(out)
        states = full

    def view(col: np.ndarray) -> memoryview:
        return memoryview(np.ascontiguousarray(col, dtype=np.float64))
    states = [view(c) for c in states + [stamps]]
    ticks = [view(cols[c]) for c in ('close', 'low', 'high', 'open', 'volume', 'openinterest')]
    dropped = None if keep is None else memoryview(~keep)
    return ReplayPlan(states, memoryview(newbar), ticks, dtl, dropped)


# -- preloaded runs --------------------------------------------------------------

# start() methods that only reset state (a file feed with _loadarrays opens nothing)
_PLAIN_STARTS = {('backtrader_ib.feed', 'AbstractDataBase.start'),
                 ('backtrader_ib.feeds.csvbase', 'CSVDataBase.start')}


def _early_start_ok(data) -> bool:
    """Can the feed be started before Cerebro starts it (no side effects)?"""
    start = type(data).start
    return (hasattr(data, '_loadarrays')
            and (start.__module__, start.__qualname__) in _PLAIN_STARTS)


def preloadable(cerebro) -> bool:
    """Can this run preload its resampled feeds (bars precomputed) and run
    vectorised? Only a vectorised source and copies of it, each resampled
    alone with a plan, whose bars the bar-by-bar run delivers exactly at the
    source bar that releases them (``release_steps``). Makes the plans."""
    p = cerebro.p
    if general_path(cerebro) or p.oldsync or p.live or cerebro._pretimers:
        return False  # (timers: the bar-by-bar run's last turn keeps the source's time)
    datas = cerebro.datas
    resampled = [d for d in datas if d._filters]
    if not resampled:
        return False
    for d in datas:
        if d.replaying or d.islive():
            return False
        root = _root_of(d)
        if root._filters and root is not d:
            return False
        if not _early_start_ok(root) or (root is not d and not any(root is x for x in datas)):
            return False
    plans = []
    for d in resampled:
        root = _root_of(d)
        root._start()  # loads the source's columns (Cerebro starts it again: no reload)
        if root is not d:
            d._start()
        res = d._filters[0][0]
        if len(d._filters) != 1 or res.replaying or unsupported(res, d) is not None:
            return False
        try:
            plan = make_plan(res, d)
        except _Late:
            return False
        srcdt = plan.srcdt
        for bar, r in zip(plan.bars, plan.release):
            if r >= 0 and bar[6] > srcdt[r]:
                return False  # the bar-by-bar run would hold it back (rewind)
        plans.append((res, plan))
    for res, plan in plans:
        res._preplan = plan
    return True


def release_steps(datas: list) -> tuple | None:
    """For a preloaded run of a source and its resampled copies (``datas`` in
    the loop's order): (steps, feeds, bounds) with the bar-by-bar run's steps:
    one per source bar (at its time) and, if bars were left for ``last()``,
    one more (at the last source bar's time). Step ``s`` advances
    ``feeds[bounds[s]:bounds[s + 1]]``. None when this is not such a run."""
    src = None
    plans = []
    for k, d in enumerate(datas):
        if not d._filters:
            if src is not None:
                return None
            src = k
            continue
        plan = getattr(d._filters[0][0], '_plan', None)
        if not isinstance(plan, ResamplePlan) or plan.nextbar != len(plan.bars):
            return None
        plans.append((k, plan))
    if src is None or not plans:
        return None
    n = datas[src].buflen()
    steps = np.asarray(datas[src].lines.datetime._arr[:n], dtype=float)
    at = [np.arange(n, dtype=np.int64)]
    which = [np.full(n, src, dtype=np.int64)]
    extra = False
    for k, plan in plans:
        if len(plan.srcdt) != n or not np.array_equal(np.asarray(plan.srcdt), steps):
            return None
        rel = np.asarray(plan.release, dtype=np.int64)
        last = rel < 0
        extra = extra or bool(last.any())
        rel[last] = n
        at.append(rel)
        which.append(np.full(len(rel), k, dtype=np.int64))
    at_all, which_all = np.concatenate(at), np.concatenate(which)
    order = np.lexsort((which_all, at_all))
    nsteps = n + extra
    bounds = np.concatenate(([0], np.cumsum(np.bincount(at_all, minlength=nsteps))))
    steplist = steps.tolist()
    if extra:  # its time: the latest of the datas' (as the strategy's clock takes it)
        steplist.append(max([steplist[-1]] + [plan.bars[-1][6] for _, plan in plans
                                              if plan.release[-1] < 0]))
    return steplist, which_all[order].tolist(), bounds.tolist()
