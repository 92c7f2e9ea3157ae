"""Bill Williams' fractals."""
from __future__ import annotations

import numpy as np

from ...indicators import _kernels as K
from ...indicators.basicops import PeriodN

__all__ = ['Fractal']


class Fractal(PeriodN):
    """Marks a bar whose high (low) is the highest (lowest) of the ``period``
    bars around it, at ``bardist`` above (below) it. A fractal is only known
    ``shift_to_potential_fractal`` bars later; it is written back there.
    """

    lines = ('fractal_bearish', 'fractal_bullish')
    plotinfo = dict(subplot=False, plotlinelabels=False, plot=True)
    plotlines = dict(
        fractal_bearish=dict(marker='^', markersize=4.0, color='lightblue',
                             fillstyle='full', ls=''),
        fractal_bullish=dict(marker='v', markersize=4.0, color='lightblue',
                             fillstyle='full', ls=''))
    params = (('period', 5), ('bardist', 0.015), ('shift_to_potential_fractal', 2))

    def next(self) -> None:
        highs = self.data.high.get(size=self.p.period)
        max_val = max(highs)
        if highs.index(max_val) == self.p.shift_to_potential_fractal:
            self.lines.fractal_bearish[-2] = max_val * (1 + self.p.bardist)
        lows = self.data.low.get(size=self.p.period)
        min_val = min(lows)
        if lows.index(min_val) == self.p.shift_to_potential_fractal:
            self.lines.fractal_bullish[-2] = min_val * (1 - self.p.bardist)

    def once(self, start: int, end: int) -> None:
        if end <= start:
            return
        period, shift = self.p.period, self.p.shift_to_potential_fractal
        for src, dst, extreme, factor in (
                (self.data.high, self.lines.fractal_bearish, K.window_max, 1 + self.p.bardist),
                (self.data.low, self.lines.fractal_bullish, K.window_min, 1 - self.p.bardist)):
            w = K.windows(src._arr, start, end, period)
            m = extreme(w)
            hit = np.flatnonzero(K.first_index(w, m) == shift)
            # always written at 2 bars back, whatever the shift (as backtrader)
            dst._arr[start + hit - 2] = m[hit] * factor
