"""Vortex indicator."""
from __future__ import annotations

from ...indicator import Indicator
from .._lines import PyMax as Max
from ..basicops import SumN

__all__ = ['Vortex']


class Vortex(Indicator):
    """+VI = sum|high - low[-1]| / sum(true range); -VI = sum|low - high[-1]| / ..."""

    lines = ('vi_plus', 'vi_minus')
    params = (('period', 14),)
    plotlines = dict(vi_plus=dict(_name='+VI'), vi_minus=dict(_name='-VI'))

    def __init__(self) -> None:
        d, period = self.data, self.p.period
        vm_plus = SumN(abs(d.high(0) - d.low(-1)), period=period)
        vm_minus = SumN(abs(d.low(0) - d.high(-1)), period=period)
        h0c1 = abs(d.high(0) - d.close(-1))
        l0c1 = abs(d.low(0) - d.close(-1))
        h0l0 = abs(d.high(0) - d.low(0))
        tr = SumN(Max(h0l0, h0c1, l0c1), period=period)
        self.l.vi_plus = vm_plus / tr
        self.l.vi_minus = vm_minus / tr
