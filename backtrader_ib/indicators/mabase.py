"""The moving-average base class and the ``MovAv`` registry of every average."""
from __future__ import annotations

from ..indicator import Indicator

__all__ = ('MovingAverage', 'MovAv', 'MovingAverageBase', 'MetaMovAvBase')


class MovingAverage:
    """Registry: ``MovAv.SMA``, ``MovAv.Simple``, ... (filled as averages load).

    Every subclass of :class:`MovingAverageBase` (aliases included) registers
    under its class name and under its name without "MovingAverage"
    (``ExponentialMovingAverage`` -> ``Exponential``).
    """

    _movavs: list = []

    @classmethod
    def register(cls, regcls: type) -> None:
        if getattr(regcls, '_notregister', False):
            return
        cls._movavs.append(regcls)
        clsname = regcls.__name__
        setattr(cls, clsname, regcls)
        short = ''
        if clsname.endswith('MovingAverage'):
            short = clsname.split('MovingAverage')[0]
        elif clsname.startswith('MovingAverage'):
            short = clsname.split('MovingAverage')[1]
        if short:
            setattr(cls, short, regcls)


class MovAv(MovingAverage):
    """Short name of the registry."""


class MovingAverageBase(Indicator):
    """Base of the moving averages: a ``period`` param, drawn on the data."""

    params = (('period', 30),)
    plotinfo = dict(subplot=False)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        MovingAverage.register(cls)


MovingAverage.register(MovingAverageBase)

#: backtrader registers averages with a metaclass; here it is the class's type
MetaMovAvBase = type(MovingAverageBase)
