"""Oscillators: data minus a line (usually a moving average of the data).

Besides :class:`Oscillator`, one ``<Average>Oscillator`` class is generated
per registered moving average (``SMAOscillator``, ``SMAOsc``, ...): the data
minus that average, as a subclass of the average.
"""
from __future__ import annotations

from ..indicator import Indicator
from .envelope import make_family
from .mabase import MovingAverage

__all__ = ['OscillatorMixIn', 'Oscillator']


class OscillatorMixIn(Indicator):
    """Turns line 0 of an average into data - average."""

    plotlines = dict(_0=dict(_name='osc'))

    def _plotinit(self) -> None:
        try:
            lname = self.lines._getlinealias(0)
            self.plotlines._0._name = lname + '_osc'
        except AttributeError:
            pass


class Oscillator(Indicator):
    """data0 - data1; with one data (an indicator): its input - it."""

    lines = ('osc',)
    plotlines = dict(_0=dict(_name='osc'))

    def _plotinit(self) -> None:
        try:
            lname = self.dataosc._getlinealias(0)
            self.plotlines._0._name = lname + '_osc'
        except AttributeError:
            pass

    def __init__(self) -> None:
        super().__init__()
        if len(self.datas) > 1:
            datasrc = self.data
            self.dataosc = self.data1
        else:
            datasrc = self.data.data
            self.dataosc = self.data
        self.lines[0] = datasrc - self.dataosc


def _build_oscillator(self, ma) -> None:
    self.lines[0] = self.data - ma


for _movav in MovingAverage._movavs[1:]:
    if getattr(_movav, 'aliased', ''):
        continue
    _name = _movav.__name__
    _aliases = [_name + 'Osc']
    for _alias in getattr(_movav, 'alias', []):
        _aliases += [_alias + 'Oscillator', _alias + 'Osc']
    _cls = make_family(_movav, OscillatorMixIn, 'Oscillator', _aliases,
                       f'Oscillation of a {_name} around its data.',
                       dict(plotinfo=dict(subplot=True)),
                       _build_oscillator)
    __all__ += [_cls.__name__] + list(_cls.alias)

del _movav, _name, _aliases, _cls
