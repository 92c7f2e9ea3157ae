"""Total, average and annualised log returns of the portfolio."""
from __future__ import annotations

import math

from ..analyzer import TimeFrameAnalyzerBase
from ..dataseries import TimeFrame
from .fundmode import FundModeMixin

__all__ = ('Returns', 'PERIODS_PER_YEAR')

# periods in a year, to annualise a per-period return
PERIODS_PER_YEAR = {TimeFrame.Days: 252.0, TimeFrame.Weeks: 52.0,
                    TimeFrame.Months: 12.0, TimeFrame.Years: 1.0}


class Returns(FundModeMixin, TimeFrameAnalyzerBase):
    """``rtot`` (log of end/start value), ``ravg`` (rtot per period), ``rnorm``
    (ravg annualised with ``tann`` periods a year) and ``rnorm100`` (percent).
    """

    params = (('tann', None), ('fund', None))
    _TANN = PERIODS_PER_YEAR

    def start(self) -> None:
        super().start()
        self._pick_fundmode()
        self._value_start = self._broker_value()
        self._tcount = 0

    def on_dt_over(self) -> None:
        self._tcount += 1

    def stop(self) -> None:
        super().stop()
        self._value_end = self._broker_value()
        try:
            growth = self._value_end / self._value_start
        except ZeroDivisionError:
            rtot = float('-inf')
        else:
            rtot = float('-inf') if growth < 0.0 else math.log(growth)
        self.rets['rtot'] = rtot
        # no bar ran: no period to average over (backtrader divides by zero)
        self.rets['ravg'] = ravg = rtot / self._tcount if self._tcount else float('nan')
        tann = (self.p.tann or self._TANN.get(self.timeframe)
                or self._TANN.get(self.data._timeframe, 1.0))
        rnorm = math.expm1(ravg * tann) if ravg > float('-inf') else ravg  # (nan stays nan)
        self.rets['rnorm'] = rnorm
        self.rets['rnorm100'] = rnorm * 100.0
