"""Objects that run bar by bar (``next``) or over ranges (``once``).

Indicators, observers and strategies are line iterators. While one of them
runs its ``__init__`` it sits on :data:`construction_stack`; every indicator
or line operation created meanwhile becomes its child, computed before it on
every bar. Children are kept in creation order, which is always a valid
evaluation order (an object can only use objects that exist already).
"""
from __future__ import annotations

from typing import Any

from .linebuffer import LineActions, LineBuffer, LineNum, Timeline
from .lineroot import LineRoot, LineSingle
from .lineseries import LineSeries, LineSeriesMaker
from .metabase import construction_stack, constructing, current_owner, owners
from .utils.autodict import DotDict

__all__ = ('LineIterator', 'IndicatorBase', 'ObserverBase', 'StrategyBase',
           'DataAccessor', 'construction_stack')



# Context in which new indicators/observers are adopted by ``owner``.
owning = constructing


class LineIterator(LineSeries):
    """Base of indicators, observers and strategies."""

    _mindatas = 1
    _ltype = LineSeries.IndType
    _nextforce = False
    plotinfo = dict(plot=True, subplot=True, plotname='', plotskip=False,
                    plotabove=False, plotlinelabels=False, plotlinevalues=True,
                    plotvaluetags=True, plotymargin=0.0, plotyhlines=[],
                    plotyticks=[], plothlines=[], plotforce=False,
                    plotmaster=None)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A subclass that writes ``next`` but not ``once`` is run bar by bar
        # even in vectorised mode (backtrader's rule).
        base = _hook_base(cls)
        if base is not None and 'once' not in _overrides_below(cls, base):
            if 'next' in _overrides_below(cls, base):
                cls.once = LineIterator.once_via_next
                cls.preonce = LineIterator.preonce_via_prenext
                cls.oncestart = LineIterator.oncestart_via_nextstart

    _adopts_children = True

    # -- construction ----------------------------------------------------
    def _preinit(self, args, kwargs):
        owner = current_owner()
        if not isinstance(owner, LineIterator):
            owner = None  # e.g. Cerebro while it builds strategies
        self._owner = owner
        self._children: list = []       # indicators and operations, in order
        self._bindings: list = []       # (source line, declared line)
        self._lineiterators = {self.IndType: [], self.StratType: [], self.ObsType: []}

        # leading line-like arguments are the data inputs
        datas = []
        mindatas = self._mindatas
        i = 0
        for arg in args:
            if isinstance(arg, LineRoot):
                datas.append(LineSeriesMaker(arg))
            elif mindatas > 0 and isinstance(arg, (int, float)) and not isinstance(arg, bool):
                datas.append(LineSeriesMaker(LineNum(arg)))
            else:
                break
            mindatas = max(0, mindatas - 1)
            i += 1
        args = args[i:]
        if not datas and owner is not None and self._ltype in (self.IndType, self.ObsType):
            datas = list(owner.datas[:self._mindatas])
        self._setdatas(datas)

        args, kwargs = super()._preinit(args, kwargs)
        self._clock = self._pick_clock()
        self._makelines(self._pick_timeline())
        self._minperiod = max([d._minperiod for d in self.datas] or [self._minperiod])
        for line in self.lines:
            line.addminperiod(self._minperiod)
        return args, kwargs

    def _setdatas(self, datas: list) -> None:
        self.datas = datas
        self.ddatas = {d: None for d in datas}
        if datas:
            self.data = datas[0]
            for d, data in enumerate(datas):
                setattr(self, f'data{d}', data)
        self.dnames = DotDict((d._name, d) for d in datas if getattr(d, '_name', ''))

    def _pick_clock(self):
        return self.datas[0] if self.datas else self._owner

    def _pick_timeline(self) -> Timeline:
        clock = self._clock
        tl = getattr(clock, '_tl', None)
        return tl if tl is not None else Timeline()

    def _postinit(self) -> None:
        self._minperiod = max([ln._minperiod for ln in self.lines] or [self._minperiod])
        self._periodrecalc()
        if self._owner is not None:
            self._owner.addindicator(self)

    def _periodrecalc(self) -> None:
        periods = [c._minperiod for c in self._lineiterators[self.IndType]]
        self.updateminperiod(max(periods or [self._minperiod]))

    def updateminperiod(self, minperiod: int) -> None:
        if minperiod > self._minperiod:
            self._minperiod = minperiod
        for line in self.lines:
            line.updateminperiod(minperiod)

    def addminperiod(self, minperiod: int) -> None:
        for line in self.lines:
            line.addminperiod(minperiod)
        self._minperiod = max([ln._minperiod for ln in self.lines] or
                              [self._minperiod + minperiod - 1])

    def incminperiod(self, minperiod: int) -> None:
        for line in self.lines:
            line.incminperiod(minperiod)
        self._minperiod += minperiod

    def setminperiod(self, minperiod: int) -> None:
        for line in self.lines:
            line.setminperiod(minperiod)
        self._minperiod = minperiod

    # -- children ----------------------------------------------------------
    def addindicator(self, child: Any) -> None:
        """Adopt an indicator or operation built during our ``__init__``."""
        ltype = getattr(child, '_ltype', self.IndType)
        self._lineiterators[ltype].append(child)
        if ltype == self.IndType:  # observers run after the owner, not before
            self._children.append(child)

    def _addbinding(self, source: LineSingle, target: LineBuffer) -> None:
        self._bindings.append((source, target))

    def bindlines(self, owner: Any = None, own: Any = None):
        """Bind our lines to the owner's (backtrader's ``bind2lines`` helper)."""
        owner = owner if owner is not None else self._owner
        own = own if own is not None else range(self.size())
        for i, j in enumerate(own if isinstance(own, (list, tuple, range)) else [own]):
            owner.lines[j] = self.lines[i]
        return self

    bind2lines = bind2line = bindlines

    def getindicators(self) -> list:
        return self._lineiterators[self.IndType]

    def getindicators_lines(self) -> list:
        return [x for x in self._lineiterators[self.IndType]
                if hasattr(x, 'getlinealiases') and not isinstance(x, LineActions)]

    def getobservers(self) -> list:
        return self._lineiterators[self.ObsType]

    # -- stages ----------------------------------------------------------
    def _stage1(self) -> None:
        super()._stage1()
        for data in self.datas:
            data._stage1()
        for child in self._children:
            child._stage1()

    def _stage2(self) -> None:
        super()._stage2()
        for data in self.datas:
            data._stage2()
        for child in self._children:
            child._stage2()

    # -- running -----------------------------------------------------------
    def _binding_plan(self) -> tuple:
        """Bindings split by when to copy them: before any child runs (their
        source is not computed by a child) and right after each child."""
        plan = self.__dict__.get('_bplan')
        if plan is None:
            producer = {}
            for i, child in enumerate(self._children):
                for line in getattr(child, 'lines', (child,)):
                    producer[id(line)] = i
            before, after = [], [[] for _ in self._children]
            for src, dst in self._bindings:
                i = producer.get(id(src))
                (before if i is None else after[i]).append((src, dst))
            plan = self._bplan = (before, after)
        return plan

    def _next(self) -> None:
        if self._children:
            if self._bindings:
                before, after = self._binding_plan()
                for src, dst in before:
                    dst[0] = src[0]
                for child, binds in zip(self._children, after):
                    child._next()
                    for src, dst in binds:
                        dst[0] = src[0]
            else:
                for child in self._children:
                    child._next()
        elif self._bindings:  # lines bound straight to inputs (no child computes them)
            for src, dst in self._bindings:
                dst[0] = src[0]
        n = self._tl.count
        mp = self._minperiod
        if n > mp:
            self.next()
        elif n == mp:
            self.nextstart()
        elif n:
            self.prenext()

    def _once(self) -> None:
        end = self._tl.end
        before, after = self._binding_plan()
        for src, dst in before:
            _copy_line(src, dst, end)
        for child, binds in zip(self._children, after):
            child._once()
            for src, dst in binds:
                _copy_line(src, dst, end)
        mp = self._minperiod
        self.preonce(0, mp - 1)
        self.oncestart(mp - 1, mp)
        self.once(mp, self.buflen())

    def _timelines(self) -> list:
        """Every timeline this object reads: its own and its inputs'."""
        seen = {id(self._tl): self._tl}
        for data in self.datas:
            tl = getattr(data, '_tl', None)
            if tl is not None:
                seen.setdefault(id(tl), tl)
        return list(seen.values())

    def _run_bars(self, start: int, end: int, method) -> None:
        """Run ``method`` bar by bar over [start, end) (once via next)."""
        tls = self._timelines()
        saved = [(tl.idx, tl.count) for tl in tls]
        try:
            for i in range(start, end):
                for tl in tls:
                    tl.idx = i
                    tl.count = i + 1
                method()
        finally:
            for tl, (idx, count) in zip(tls, saved):
                tl.idx, tl.count = idx, count

    def preonce_via_prenext(self, start: int, end: int) -> None:
        self._run_bars(start, end, self.prenext)

    def oncestart_via_nextstart(self, start: int, end: int) -> None:
        self._run_bars(start, end, self.nextstart)

    def once_via_next(self, start: int, end: int) -> None:
        self._run_bars(start, end, self.next)

    def preonce(self, start: int, end: int) -> None:
        pass

    def oncestart(self, start: int, end: int) -> None:
        self.once(start, end)

    def once(self, start: int, end: int) -> None:
        pass

    def prenext(self) -> None:
        pass

    def nextstart(self) -> None:
        self.next()

    def next(self) -> None:
        pass

    # only the owner of a timeline (a feed, a strategy) moves it
    def _owns_timeline(self) -> bool:
        return self._clock is None or getattr(self._clock, '_tl', None) is not self._tl

    def forward(self, value=float('nan'), size: int = 1) -> None:
        if self._owns_timeline():
            self._tl.forward(size)

    def advance(self, size: int = 1) -> None:
        if self._owns_timeline():
            self._tl.advance(size)

    def home(self) -> None:
        if self._owns_timeline():
            self._tl.home()

    def rewind(self, size: int = 1) -> None:
        if self._owns_timeline():
            self._tl.rewind(size)

    def backwards(self, size: int = 1, force: bool = False) -> None:
        if self._owns_timeline():
            self._tl.backwards(size)

    def extend(self, value=float('nan'), size: int = 0) -> None:
        if self._owns_timeline():
            self._tl.extend(size)

    def reset(self) -> None:
        if self._owns_timeline():
            self._tl.reset()

    # -- data shortcuts: data_close, data0_close, data1_2 --------------------
    def __getattr__(self, name: str):
        if name.startswith('data'):
            head, sep, tail = name.partition('_')
            if sep and tail:
                idx = head[4:]
                try:
                    data = self.__dict__['datas'][int(idx) if idx else 0]
                except (KeyError, ValueError, IndexError):
                    pass
                else:
                    if tail.isdigit():
                        return data.lines[int(tail)]
                    return getattr(data.lines, tail)
        return super().__getattr__(name)


def _copy_line(src, dst: LineBuffer, end: int) -> None:
    """Give ``dst`` the values of ``src`` (a line or a constant) up to ``end``."""
    if isinstance(src, LineBuffer):
        n = min(end, len(src._arr))
        dst._arr[:n] = src._arr[:n]
    else:
        dst._arr[:end] = src[0]


def _hook_base(cls: type):
    """The framework class whose next/once defaults ``cls`` may override."""
    for base in cls.__mro__[1:]:
        if base.__dict__.get('_hook_root'):
            return base
    return None


def _overrides_below(cls: type, base: type) -> set:
    names = set()
    for klass in cls.__mro__:
        if klass is base:
            break
        names.update(n for n in ('next', 'once') if n in klass.__dict__)
    return names


class DataAccessor(LineIterator):
    """Price-type shortcuts shared by indicators, observers and strategies."""

    PriceClose = 0
    PriceLow = 1
    PriceHigh = 2
    PriceOpen = 3
    PriceVolume = 4
    PriceOpenInteres = 5
    PriceDateTime = 6


class IndicatorBase(DataAccessor):
    _hook_root = True


class ObserverBase(DataAccessor):
    pass


class StrategyBase(DataAccessor):
    pass


# -- coupling: a slower line seen on a faster clock (``line()``) --------------
def _run_bar_by_bar() -> None:
    """Couplers need the bar-by-bar loop: ask the Cerebro being set up."""
    for obj in owners():
        if hasattr(obj, '_disable_runonce'):
            obj._disable_runonce()


class SingleCoupler(LineActions):
    """One line of another timeframe on the owner's clock: every bar shows
    the latest value delivered so far."""

    def __init__(self, cdata: LineSingle, clock: Any = None) -> None:
        owner = current_owner()
        self._clock = clock if clock is not None else owner
        LineBuffer.__init__(self, self._clock._tl)
        self._minperiod = getattr(cdata, '_minperiod', 1)
        self._owner = owner
        if owner is not None:
            owner.addindicator(self)
        self.cdata = cdata
        self.dlen = 0
        self.val = float('nan')
        _run_bar_by_bar()

    def next(self) -> None:
        if len(self.cdata) > self.dlen:
            self.val = self.cdata[0]
            self.dlen += 1
        self[0] = self.val


class MultiCoupler(LineIterator):
    """Every line of another timeframe's line series on the owner's clock."""

    _ltype = LineIterator.IndType

    def _pick_clock(self):
        return self._owner

    def __init__(self) -> None:
        self.dlen = 0
        self.dvals = [float('nan')] * self.lines.size()
        _run_bar_by_bar()

    def next(self) -> None:
        if len(self.data) > self.dlen:
            self.dlen += 1
            self.dvals = [line[0] for line in self.data.lines]
        for line, val in zip(self.lines, self.dvals):
            line[0] = val


def LinesCoupler(cdata: Any, clock: Any = None, **kwargs) -> Any:
    """``obj()``: ``cdata`` (a line or a line series) coupled to the clock of
    the object being built (a strategy or indicator)."""
    if isinstance(cdata, LineSingle):
        return SingleCoupler(cdata, clock)
    cls = type(f'LinesCoupler_{type(cdata).__name__}', (MultiCoupler,),
               {'lines': tuple(cdata.lines.getlinealiases()), '__module__': __name__})
    return cls(cdata, **kwargs)


LineCoupler = LinesCoupler
# ``line()`` / ``obj()`` on any line or line series (modules below) build this
LineRoot._LinesCoupler = staticmethod(LinesCoupler)  # a function: not a method

# backtrader's name for the metaclass of this family (one metaclass builds every object)
MetaLineIterator = type(LineIterator)
