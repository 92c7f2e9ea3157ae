"""Sharpe ratio of the per-period returns."""
from __future__ import annotations

import math

from ..analyzer import Analyzer, check_timeframe
from ..dataseries import TimeFrame
from ..mathsupport import average, standarddev
from .annualreturn import AnnualReturn
from .timereturn import TimeReturn

__all__ = ('SharpeRatio', 'SharpeRatio_A')


class SharpeRatio(Analyzer):
    """``sharperatio``: mean excess return / its standard deviation, per period.

    Periods are ``timeframe``/``compression`` (years by default). The yearly
    ``riskfreerate`` is converted to the period (``convertrate``), or else the
    returns are converted to yearly ones; ``factor`` (or ``daysfactor`` for
    days) overrides the periods per year; ``annualize`` multiplies the ratio
    by sqrt(factor); ``stddev_sample`` uses the sample deviation;
    ``legacyannual`` uses AnnualReturn's returns. None when undefined.
    """

    params = (('timeframe', TimeFrame.Years), ('compression', 1),
              ('riskfreerate', 0.01), ('factor', None), ('convertrate', True),
              ('annualize', False), ('stddev_sample', False), ('daysfactor', None),
              ('legacyannual', False), ('fund', None))

    RATEFACTORS = {TimeFrame.Days: 252, TimeFrame.Weeks: 52,
                   TimeFrame.Months: 12, TimeFrame.Years: 1}

    def __init__(self) -> None:
        if self.p.timeframe:  # (None: the data's own, as in TimeReturn)
            check_timeframe(self.p.timeframe, self)
        if self.p.legacyannual:
            self.anret = AnnualReturn()
        else:
            self.timereturn = TimeReturn(timeframe=self.p.timeframe,
                                         compression=self.p.compression, fund=self.p.fund)

    def stop(self) -> None:
        if self.p.legacyannual:
            self.ratio = self._legacy_ratio()
        else:
            self.ratio = self._ratio(list(self.timereturn.get_analysis().values()))
        self.rets['sharperatio'] = self.ratio

    def _legacy_ratio(self):
        rets = self.anret.rets
        try:
            excess = average([r - self.p.riskfreerate for r in rets])
            return excess / standarddev(rets)
        except ZeroDivisionError:  # backtrader crashes here (no return, or all equal)
            return None

    def _factor(self):
        p = self.p
        if p.timeframe == TimeFrame.Days and p.daysfactor is not None:
            return p.daysfactor
        if p.factor is not None:
            return p.factor
        return self.RATEFACTORS.get(p.timeframe)

    def _ratio(self, returns: list):
        p = self.p
        rate = p.riskfreerate
        factor = self._factor()
        if factor is not None:
            if p.convertrate:
                rate = pow(1.0 + rate, 1.0 / factor) - 1.0
            else:
                returns = [pow(1.0 + r, factor) - 1.0 for r in returns]
        if not len(returns) - p.stddev_sample:
            return None
        excess = [r - rate for r in returns]
        avg = average(excess)
        try:
            ratio = avg / standarddev(excess, avg, bessel=p.stddev_sample)
        except (ValueError, TypeError, ZeroDivisionError):
            return None
        if factor is not None and p.convertrate and p.annualize:
            ratio = math.sqrt(factor) * ratio
        return ratio


class SharpeRatio_A(SharpeRatio):
    """SharpeRatio annualised (``annualize=True``)."""

    params = (('annualize', True),)
