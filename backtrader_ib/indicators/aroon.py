"""Aroon up/down and the Aroon oscillator."""
from __future__ import annotations

from ..indicator import Indicator
from ._lines import order_lines
from .basicops import FindFirstIndexHighest, FindFirstIndexLowest

__all__ = ('AroonUp', 'AroonDown', 'AroonUpDown', 'AroonIndicator',
           'AroonOscillator', 'AroonOsc', 'AroonUpDownOscillator', 'AroonUpDownOsc')


class _AroonBase(Indicator):
    """Builds ``self.up`` / ``self.down`` as the class asks (``_up``/``_down``)."""

    _up = False
    _down = False
    params = (('period', 14), ('upperband', 70), ('lowerband', 30))
    plotinfo = dict(plotymargin=0.05, plotyhlines=[0, 100])

    def _plotlabel_values(self) -> list:
        return [self.p.period]

    def _plotinit(self) -> None:
        self.plotinfo.plotyhlines += [self.p.lowerband, self.p.upperband]

    def __init__(self) -> None:
        # the window includes the current bar: period + 1 values
        idxperiod = self.p.period + 1
        if self._up:
            hhidx = FindFirstIndexHighest(self.data.high, period=idxperiod)
            self.up = 100.0 / self.p.period * (self.p.period - hhidx)
        if self._down:
            llidx = FindFirstIndexLowest(self.data.low, period=idxperiod)
            self.down = 100.0 / self.p.period * (self.p.period - llidx)
        super().__init__()


class AroonUp(_AroonBase):
    """100 * (period - bars since the highest high) / period."""

    _up = True
    lines = ('aroonup',)

    def __init__(self) -> None:
        super().__init__()
        self.lines.aroonup = self.up


class AroonDown(_AroonBase):
    """100 * (period - bars since the lowest low) / period."""

    _down = True
    lines = ('aroondown',)

    def __init__(self) -> None:
        super().__init__()
        self.lines.aroondown = self.down


class AroonUpDown(AroonUp, AroonDown):
    """Aroon up and Aroon down together."""

    alias = ('AroonIndicator',)


class AroonOscillator(_AroonBase):
    """Aroon up - Aroon down."""

    _up = True
    _down = True
    alias = ('AroonOsc',)
    lines = ('aroonosc',)

    def _plotinit(self) -> None:
        super()._plotinit()
        for yhline in self.plotinfo.plotyhlines[:]:
            self.plotinfo.plotyhlines.append(-yhline)

    def __init__(self) -> None:
        super().__init__()
        self.lines.aroonosc = self.up - self.down


class AroonUpDownOscillator(AroonUpDown, AroonOscillator):
    """Aroon up, Aroon down and their difference."""

    alias = ('AroonUpDownOsc',)


order_lines(AroonUpDown, 'aroonup', 'aroondown')
order_lines(AroonUpDownOscillator, 'aroonup', 'aroondown', 'aroonosc')
