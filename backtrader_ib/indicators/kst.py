"""Know sure thing (Martin Pring)."""
from __future__ import annotations

from ..indicator import Indicator
from .momentum import ROC100
from .sma import SMA

__all__ = ('KnowSureThing', 'KST')


class KnowSureThing(Indicator):
    """Weighted sum of four smoothed rates of change; signal = sma(kst)."""

    alias = ('KST',)
    lines = ('kst', 'signal')
    params = (('rp1', 10), ('rp2', 15), ('rp3', 20), ('rp4', 30),
              ('rma1', 10), ('rma2', 10), ('rma3', 10), ('rma4', 10),
              ('rsignal', 9), ('rfactors', [1.0, 2.0, 3.0, 4.0]),
              ('_rmovav', SMA), ('_smovav', SMA))
    plotinfo = dict(plothlines=[0.0])

    def __init__(self) -> None:
        p = self.p
        rcmas = [p._rmovav(ROC100(period=rp), period=rma)
                 for rp, rma in ((p.rp1, p.rma1), (p.rp2, p.rma2),
                                 (p.rp3, p.rma3), (p.rp4, p.rma4))]
        # sum() starts from 0: 0 + f1 * r1 + ... as in backtrader
        self.l.kst = kst = sum([rfi * rci for rfi, rci in zip(p.rfactors, rcmas)])
        self.l.signal = p._smovav(kst, period=p.rsignal)
        super().__init__()
