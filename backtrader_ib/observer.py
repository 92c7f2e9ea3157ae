"""Observers: lines recorded alongside a strategy (cash, value, trades...)."""
from __future__ import annotations

from .lineiterator import LineIterator, ObserverBase

__all__ = ('Observer',)


class Observer(ObserverBase):
    """Base of observers; they record on every bar, before the min period too."""

    _stclock = False  # True: follow the strategy's clock, not data0's
    # True: next() only acts on bars with order or trade notifications, so
    # the strategy may skip calling it on other bars
    _on_events = False
    _mindatas = 0
    _ltype = LineIterator.ObsType
    csv = True
    plotinfo = dict(plot=False, subplot=True)

    def _preinit(self, args, kwargs):
        self._analyzers = []
        return super()._preinit(args, kwargs)

    def _pick_clock(self):
        if self._stclock or not self.datas:
            return self._owner
        return self.datas[0]

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
