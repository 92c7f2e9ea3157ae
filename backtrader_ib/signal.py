"""Signals: indicators whose sign says go long (> 0) or short (< 0).

``cerebro.add_signal(bt.SIGNAL_LONG, MyIndicator)`` makes Cerebro run a
:class:`SignalStrategy` that enters, exits and reverses on those signs.
"""
from __future__ import annotations

import collections

from .indicator import Indicator
from .strategy import Strategy

__all__ = ['Signal', 'SignalStrategy', 'SignalTypes'] + [
    'SIGNAL_NONE', 'SIGNAL_LONGSHORT', 'SIGNAL_LONG', 'SIGNAL_LONG_INV',
    'SIGNAL_LONG_ANY', 'SIGNAL_SHORT', 'SIGNAL_SHORT_INV', 'SIGNAL_SHORT_ANY',
    'SIGNAL_LONGEXIT', 'SIGNAL_LONGEXIT_INV', 'SIGNAL_LONGEXIT_ANY',
    'SIGNAL_SHORTEXIT', 'SIGNAL_SHORTEXIT_INV', 'SIGNAL_SHORTEXIT_ANY']

(SIGNAL_NONE, SIGNAL_LONGSHORT, SIGNAL_LONG, SIGNAL_LONG_INV, SIGNAL_LONG_ANY,
 SIGNAL_SHORT, SIGNAL_SHORT_INV, SIGNAL_SHORT_ANY, SIGNAL_LONGEXIT,
 SIGNAL_LONGEXIT_INV, SIGNAL_LONGEXIT_ANY, SIGNAL_SHORTEXIT,
 SIGNAL_SHORTEXIT_INV, SIGNAL_SHORTEXIT_ANY) = range(14)

SignalTypes = list(range(14))


class Signal(Indicator):
    """Wraps any line as a signal (its first line)."""

    SignalTypes = SignalTypes
    lines = ('signal',)

    def __init__(self) -> None:
        self.lines.signal = self.data0.lines[0]
        self.plotinfo.plotmaster = getattr(self.data0, '_clock', self.data0)


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
        from .lineiterator import owning
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

# backtrader's name for the metaclass of this family (one metaclass builds every object)
MetaSigStrategy = type(SignalStrategy)
