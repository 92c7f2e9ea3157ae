"""Acceleration/deceleration oscillator (Bill Williams)."""
from __future__ import annotations

from ..indicator import Indicator
from .awesomeoscillator import AwesomeOscillator
from .mabase import MovAv

__all__ = ['AccelerationDecelerationOscillator', 'AccDeOsc']


class AccelerationDecelerationOscillator(Indicator):
    """AO - sma(AO, period)."""

    alias = ('AccDeOsc',)
    lines = ('accde',)
    params = (('period', 5), ('movav', MovAv.SMA))
    plotlines = dict(accde=dict(_method='bar', alpha=0.5, width=1.0))

    def __init__(self) -> None:
        ao = AwesomeOscillator()
        self.l.accde = ao - self.p.movav(ao, period=self.p.period)
        super().__init__()
