"""Signals: indicators whose sign says go long (> 0) or short (< 0).

``cerebro.add_signal(bt.SIGNAL_LONG, MyIndicator)`` makes Cerebro run a
``SignalStrategy`` (defined in strategy.py, as in backtrader, and also
reachable here) that enters, exits and reverses on those signs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .indicator import Indicator

if TYPE_CHECKING:  # strategy.py defines it and sets it here (it is a layer above)
    from .strategy import MetaSigStrategy, SignalStrategy  # noqa: F401

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
