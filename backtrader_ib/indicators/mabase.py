"""The moving-average base class and the ``MovAv`` registry of every average."""
from __future__ import annotations

from ..indicator import Indicator

__all__ = ('MovingAverage', 'MovAv', 'MovingAverageBase')


class MovingAverage:
    """Registry: ``MovAv.SMA``, ``MovAv.Simple``, ... (filled as averages load)."""

    _movavs: list = []

    @classmethod
    def register(cls, regcls: type) -> None:
        if getattr(regcls, '_notregister', False):
            return
        cls._movavs.append(regcls)
        clsname = regcls.__name__
        setattr(cls, clsname, regcls)
        short = clsname
        if clsname.endswith('MovingAverage'):
            short = clsname.split('MovingAverage')[0]
        elif clsname.startswith('MovingAverage'):
            short = clsname.split('MovingAverage')[1]
        if short:
            setattr(cls, short, regcls)


MovAv = MovingAverage


class MovingAverageBase(Indicator):
    params = (('period', 30),)
    plotinfo = dict(subplot=False)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        MovingAverage.register(cls)
