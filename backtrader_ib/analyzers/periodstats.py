"""Statistics of the per-period returns (average, stddev, best, worst...)."""
from __future__ import annotations

from ..analyzer import Analyzer
from ..dataseries import TimeFrame
from ..mathsupport import average, standarddev
from .timereturn import TimeReturn

__all__ = ('PeriodStats',)


class PeriodStats(Analyzer):
    """``average``, ``stddev`` (population), ``positive``, ``negative``,
    ``nochange`` (counts of periods), ``best`` and ``worst`` of the returns of
    each ``timeframe`` period. ``zeroispos`` counts flat periods as positive.
    """

    params = (('timeframe', TimeFrame.Years), ('compression', 1),
              ('zeroispos', False), ('fund', None))

    def __init__(self) -> None:
        self._tr = TimeReturn(timeframe=self.p.timeframe, compression=self.p.compression,
                              fund=self.p.fund)

    def stop(self) -> None:
        trets = list(self._tr.get_analysis().values())
        pos = sum(r > 0.0 for r in trets)
        neg = sum(r < 0.0 for r in trets)
        flat = sum(r == 0.0 for r in trets)
        if self.p.zeroispos:
            pos, flat = pos + flat, 0
        if not trets:  # no bar ran: nothing to average
            avg = std = best = worst = float('nan')
        else:
            avg = average(trets)
            std = standarddev(trets, avg)
            best, worst = max(trets), min(trets)
        self.rets['average'] = avg
        self.rets['stddev'] = std
        self.rets['positive'] = pos
        self.rets['negative'] = neg
        self.rets['nochange'] = flat
        self.rets['best'] = best
        self.rets['worst'] = worst
