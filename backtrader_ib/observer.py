"""Observers: lines recorded alongside a strategy (cash, value, trades...)."""
from __future__ import annotations

from .linebuffer import Timeline
from .lineiterator import LineIterator, ObserverBase
from .utils.overrides import overridden_below

__all__ = ('Observer', 'FollowerTimeline')


class FollowerTimeline(Timeline):
    """The timeline of a strategy's observers: it follows ``leader`` (the
    strategy's or a data's timeline) but only catches up when the strategy
    runs its observers, so that while ``next`` runs they are still on the
    previous bar (backtrader's observers are one bar behind there too)."""

    __slots__ = ('leader',)

    def __init__(self, leader: Timeline) -> None:
        super().__init__()
        self.leader = leader

    def catch_up(self) -> None:
        n = self.leader.count - self.count
        if n == 1:  # the usual bar: forward(1) without the call
            i = self.idx + 1
            if i < self.capacity:
                self.idx = i
                self.count += 1
                if i >= self.end:
                    self.end = i + 1
                return
        if n > 0:
            self.forward(n)


class Observer(ObserverBase):
    """Base of observers; they record on every bar, before the min period too."""

    _stclock = False  # True: follow the strategy's clock, not data0's
    # True (in the body of a class defining next): that next() only acts on
    # bars with order or trade notifications; see acts_on_news_only
    _on_events = False
    _mindatas = 0
    _ltype = LineIterator.ObsType
    csv = True
    plotinfo = dict(plot=False, subplot=True)

    @classmethod
    def acts_on_news_only(cls) -> bool:
        """May the strategy skip ``next`` on a bar without order or trade news?
        Only if the class whose ``next`` runs says so: a user's subclass that
        overrides ``next`` is called on every bar."""
        return bool(cls._on_events) and not overridden_below(cls, 'next', '_on_events')

    def _preinit(self, args, kwargs):
        self._analyzers = []
        return super()._preinit(args, kwargs)

    def _pick_clock(self):
        if self._stclock or not self.datas:
            return self._owner
        return self.datas[0]

    def _pick_timeline(self) -> Timeline:
        leader = super()._pick_timeline()
        follow = getattr(self._owner, '_observer_timeline', None)
        # (an owner that is not a strategy moves nothing: keep its clock's)
        return follow(leader) if follow is not None else leader

    def prenext(self) -> None:
        self.next()

    def _register_analyzer(self, analyzer) -> None:
        self._analyzers.append(analyzer)

    def _start(self) -> None:
        self.start()

    def start(self) -> None:
        pass

# backtrader's name for the metaclass of this family (one metaclass builds every object)
MetaObserver = type(Observer)
