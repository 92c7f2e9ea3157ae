"""Rolling regressions between two datas: OLS slope/intercept, spread
z-score, beta, and the Engle-Granger cointegration test.

backtrader needs pandas and statsmodels for these; here slope, intercept and
beta are computed with NumPy (least squares by pseudo-inverse, the method of
statsmodels' OLS), and only CointN needs statsmodels (imported when built).
"""
from __future__ import annotations

import numpy as np

from .basicops import PeriodN
from .deviation import StandardDeviation
from .sma import SMA

__all__ = ['OLS_Slope_InterceptN', 'OLS_TransformationN', 'OLS_BetaN', 'CointN']


def _ols(y, x) -> tuple:
    """(intercept, slope) of y = intercept + slope * x, by pseudo-inverse."""
    xm = np.column_stack([np.ones(len(x)), np.asarray(x, dtype=float)])
    intercept, slope = np.linalg.pinv(xm) @ np.asarray(y, dtype=float)
    return float(intercept), float(slope)


class OLS_Slope_InterceptN(PeriodN):
    """Regression of data0 on data1 over ``period`` bars: slope, intercept."""

    _mindatas = 2
    lines = ('slope', 'intercept')
    params = (('period', 10),)

    def next(self) -> None:
        p = self.p.period
        intercept, slope = _ols(self.data0.get(size=p), self.data1.get(size=p))
        self.lines.slope[0] = slope
        self.lines.intercept[0] = intercept


class OLS_TransformationN(PeriodN):
    """spread = data0 - (slope * data1 + intercept), its mean, std and z-score."""

    _mindatas = 2
    lines = ('spread', 'spread_mean', 'spread_std', 'zscore')
    params = (('period', 10),)

    def __init__(self) -> None:
        slint = OLS_Slope_InterceptN(*self.datas)
        spread = self.data0 - (slint.slope * self.data1 + slint.intercept)
        self.l.spread = spread
        self.l.spread_mean = mean = SMA(spread, period=self.p.period)
        self.l.spread_std = std = StandardDeviation(spread, period=self.p.period)
        self.l.zscore = (spread - mean) / std


class OLS_BetaN(PeriodN):
    """Beta (slope) of data0 regressed on data1 over ``period`` bars.

    backtrader calls ``pandas.ols``, removed from pandas in 2017: it fails
    there; here the slope is computed as OLS_Slope_InterceptN does.
    """

    _mindatas = 2
    lines = ('beta',)
    params = (('period', 10),)

    def next(self) -> None:
        p = self.p.period
        self.lines.beta[0] = _ols(self.data0.get(size=p), self.data1.get(size=p))[1]


class CointN(PeriodN):
    """Engle-Granger cointegration test of the two datas: score, pvalue."""

    _mindatas = 2
    lines = ('score', 'pvalue')
    params = (('period', 10), ('trend', 'c'))

    def __init__(self) -> None:
        super().__init__()
        try:
            from statsmodels.tsa.stattools import coint
        except ImportError as exc:
            raise ImportError('CointN needs statsmodels: pip install statsmodels') from exc
        self._coint = coint

    def next(self) -> None:
        import pandas as pd
        p = self.p.period
        x, y = (pd.Series(d.get(size=p)) for d in self.datas)
        score, pvalue, _ = self._coint(x, y, trend=self.p.trend)
        self.lines.score[0] = score
        self.lines.pvalue[0] = pvalue
