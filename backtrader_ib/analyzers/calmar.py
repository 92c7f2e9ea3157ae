"""Calmar ratio: annualised log return over the maximum drawdown, rolling."""
from __future__ import annotations

import collections
import math

from ..analyzer import TimeFrameAnalyzerBase
from ..dataseries import TimeFrame
from .drawdown import TimeDrawDown
from .fundmode import FundModeMixin

__all__ = ('Calmar',)


class Calmar(FundModeMixin, TimeFrameAnalyzerBase):
    """{period end: log(value now / value ``period`` periods ago) / period / max drawdown}.

    ``calmar`` holds the latest ratio. As in backtrader, the ratio is NaN
    until ``period`` periods have passed, and the drawdown is in percent.
    """

    params = (('timeframe', TimeFrame.Months), ('period', 36), ('fund', None))

    def __init__(self) -> None:
        self._maxdd = TimeDrawDown(timeframe=self.p.timeframe, compression=self.p.compression)

    def start(self) -> None:
        self._pick_fundmode()
        self._mdd = float('-inf')
        self._values = collections.deque([float('nan')] * self.p.period, maxlen=self.p.period)
        self._values.append(self._broker_value())

    def on_dt_over(self) -> None:
        self._mdd = max(self._mdd, self._maxdd.maxdd)
        self._values.append(self._broker_value())
        rann = math.log(self._values[-1] / self._values[0]) / len(self._values)
        self.calmar = rann / (self._mdd or float('inf'))
        self.rets[self.dtkey] = self.calmar

    def stop(self) -> None:
        self.on_dt_over()  # the last, unfinished period
