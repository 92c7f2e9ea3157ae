"""Variability-Weighted Return: the annual return penalised by its variability."""
from __future__ import annotations

import math

from ..analyzer import TimeFrameAnalyzerBase
from ..mathsupport import standarddev
from .fundmode import FundModeMixin
from .returns import PERIODS_PER_YEAR, Returns

__all__ = ('VWR', 'VariabilityWeightedReturn')


class VWR(FundModeMixin, TimeFrameAnalyzerBase):
    """``vwr`` = rnorm100 * (1 - (stddev / sdev_max) ** tau).

    stddev is the sample deviation of each period's value from the ideal
    path growing at the average log return.
    """

    params = (('tann', None), ('tau', 0.2), ('sdev_max', 2.0), ('fund', None))
    _TANN = PERIODS_PER_YEAR

    def __init__(self) -> None:
        self._returns = Returns(timeframe=self.p.timeframe, compression=self.p.compression,
                                tann=self.p.tann)

    def start(self) -> None:
        super().start()
        self._pick_fundmode()
        self._pis = [self._broker_value()]  # value at each period's start
        self._pns = [None]                  # value at each period's end

    def notify_fund(self, cash, value, fundvalue, shares) -> None:
        self._pns[-1] = fundvalue if self._fundmode else value

    def on_dt_over(self) -> None:
        self._pis.append(self._pns[-1])
        self._pns.append(None)

    def stop(self) -> None:
        super().stop()
        if self._pns[-1] is None:
            self._pis.pop()
            self._pns.pop()
        rs = self._returns.get_analysis()
        ravg = rs['ravg']
        devs = [pn / (pi * math.exp(ravg * n)) - 1.0
                for n, (pi, pn) in enumerate(zip(self._pis, self._pns), 1)]
        # the sample deviation needs two periods (backtrader divides by zero)
        sdev = standarddev(devs, bessel=True) if len(devs) > 1 else float('nan')
        self.rets['vwr'] = rs['rnorm100'] * (1.0 - pow(sdev / self.p.sdev_max, self.p.tau))


VariabilityWeightedReturn = VWR
